"""This project's own distill and eval, pointed at the server as an OpenAI-compatible API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.distill.cli import run_distill
from assistant.distill.config import parse_config
from assistant.eval.cli import eval_app
from tests.server.conftest import API_KEY

pytestmark = pytest.mark.slow


def test_distill_with_the_server_as_openai_teacher(server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cfg = parse_config(
        provider="openai",
        providers=None,
        mix_ratio=None,
        model="default",
        base_url=f"{server.url}/v1",
        model_path=None,
        api_key=API_KEY,
        num_examples=2,
        output_dir=out,
        categories="explain",
        yes=True,
        progress=False,
        max_tokens=32,
        max_attempts=2,
        temperature=0.0,
        price_in="0",
        price_out="0",
    )  # fmt: skip  (a local server costs nothing; distill asks for prices of unknown models)
    served_before = server.state.engine.queue.stats().served
    assert run_distill(cfg) in (0, 1)  # 1: the 135M model did not pass enough tasks
    meta = json.loads((out / "metadata.json").read_text())
    row = meta["cost"]["by_model"][0]
    assert row["provider"] == "openai" and row["model"] == "default"
    assert row["calls"] == 2 and row["input_tokens"] > 0 and row["output_tokens"] > 0
    assert server.state.engine.queue.stats().served - served_before == 2


def test_eval_tools_with_the_server_as_openai_model(server, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "none.toml"))
    results = tmp_path / "results.json"
    args = ["tools", "--model", "openai:default", "--base-url", f"{server.url}/v1"]
    args += ["--limit", "2", "--max-tokens", "64", "--concurrency", "1", "-o", str(results)]
    served_before = server.state.engine.queue.stats().served
    done = CliRunner().invoke(eval_app, args)
    assert done.exit_code == 0, done.output
    data = json.loads(results.read_text())
    assert data["provider"] == "openai" and data["model"] == "default"
    assert data["n_cases"] == 2 and data["n_errors"] == 0
    assert data["usage"]["input_tokens"] > 0 and data["usage"]["output_tokens"] > 0
    assert server.state.engine.queue.stats().served - served_before == 2
