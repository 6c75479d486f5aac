"""Distill with the real default GGUF: in-process (`local`) and behind a real
OpenAI-compatible server (`python -m llama_cpp.server`) reached through the openai SDK."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.distill.cli import run_distill
from assistant.distill.config import parse_config
from assistant.distill.store import validate_record
from tests.distill.helpers import read_jsonl

pytestmark = pytest.mark.slow


def _cfg(out: Path, **kw):
    opts = dict(
        provider="local",
        providers=None,
        mix_ratio=None,
        model=None,
        base_url=None,
        model_path=None,
        api_key=None,
        num_examples=3,
        output_dir=out,
        categories="missing_value",
        yes=True,
        progress=False,
        max_tokens=32,
        max_attempts=3,
        temperature=0.0,
        max_steps=1,
    )
    opts.update(kw)
    return parse_config(**opts)


def _check_accounting(out: Path, attempted: int) -> list[dict]:
    meta = json.loads((out / "metadata.json").read_text())
    records = read_jsonl(out / "records.jsonl") if (out / "records.jsonl").exists() else []
    rejected = (
        sum(meta["filters"]["rejected"].values()) + meta["dedup"]["exact"] + meta["dedup"]["near"]
    )
    assert meta["attempted"] == attempted
    assert len(records) + rejected == attempted
    for r in records:
        assert validate_record(r) is None
        assert r["messages"][-1]["role"] == "assistant" and r["messages"][-1]["content"]
    return records


def test_local_teacher_single_call_tasks(tmp_path: Path, local_model) -> None:
    out = tmp_path / "out"
    code = run_distill(_cfg(out), backends={"local": local_model})
    assert code in (0, 1)  # 1: the 135M model did not pass enough tasks
    records = _check_accounting(out, 3)
    for r in records:
        assert r["meta"]["provider"] == "local" and r["meta"]["cost_usd"] == 0


def test_local_teacher_drives_the_agent_loop(tmp_path: Path, local_model) -> None:
    out = tmp_path / "out"
    cfg = _cfg(
        out,
        categories="file_ops",
        sandbox="host",
        num_examples=2,
        max_attempts=2,
        max_steps=2,
        max_tokens=96,
    )
    code = run_distill(cfg, backends={"local": local_model})
    assert code in (0, 1)
    _check_accounting(out, 2)
    ckpt = json.loads((out / "checkpoint.json").read_text())
    assert ckpt["attempted"] == 2 and ckpt["status"] in ("done", "exhausted")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def openai_server(default_model_path: Path, tmp_path_factory: pytest.TempPathFactory):
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 - a pipe would fill up and block the server
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(default_model_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--n_threads",
            "2",
            "--model_alias",
            "smollm2",
            "--verbose",
            "False",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"llama_cpp.server did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


def test_openai_teacher_through_the_sdk(tmp_path: Path, openai_server: str) -> None:
    out = tmp_path / "out"
    # a local server's model has no list price: it must be given (here: free)
    cfg = _cfg(
        out, provider="openai", model="smollm2", base_url=openai_server, price_in="0", price_out="0"
    )
    code = run_distill(cfg)
    assert code in (0, 1)
    records = _check_accounting(out, 3)
    meta = json.loads((out / "metadata.json").read_text())
    row = meta["cost"]["by_model"][0]
    assert row["provider"] == "openai" and row["model"] == "smollm2"
    assert row["calls"] == 3 and row["input_tokens"] > 0 and row["output_tokens"] > 0
    for r in records:
        assert r["meta"]["provider"] == "openai"
