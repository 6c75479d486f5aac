"""The loop end to end at a tiny scale: ``assistant distill`` (scripted teacher) →
``assistant train`` (a few steps) → ``assistant export`` q8_0 and lora-gguf → the
agent's own llama.cpp backend → one turn with a tool call."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.llm.base import Completion, Message

pytestmark = pytest.mark.slow


async def _one_turn(path: Path, record: dict) -> Completion:
    from assistant.llm.llamacpp import LlamaCppModel

    model = LlamaCppModel(path, n_ctx=4096)
    messages = [Message.from_dict(m) for m in record["messages"][:2]]  # system + user
    final = None
    async for item in model.stream(
        messages, record["tools"], tool_choice="required", max_tokens=96
    ):
        if isinstance(item, Completion):
            final = item
    assert final is not None
    return final


def test_distill_train_export_run(tmp_path, monkeypatch):
    import asyncio
    import json

    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "config.toml"))  # alias goes here
    runner = CliRunner()
    data = tmp_path / "data"
    r = runner.invoke(
        app,
        [
            "distill",
            "--provider",
            "scripted",
            "--num-examples",
            "8",
            "--yes",
            "--quiet",
            "--output-dir",
            str(data),
            "--task-mix",
            "call=0.75,abstain=0.25",
            "--val-fraction",
            "0.25",
            "--seed",
            "1",
        ],
    )
    assert r.exit_code == 0, r.output
    run = tmp_path / "run"
    r = runner.invoke(
        app,
        ["train", "--data", str(data), "--out", str(run), "--max-steps", "2", "--batch-size", "2"],
    )
    assert r.exit_code == 0, r.output
    assert (run / "adapter" / "adapter_model.safetensors").is_file()

    gguf = tmp_path / "tiny-q8_0.gguf"
    r = runner.invoke(
        app,
        ["export", "--adapter", str(run), "--out", str(gguf), "--quant", "q8_0", "--name", "tiny"],
    )
    assert r.exit_code == 0, r.output
    assert "teacher-forced agreement" in r.output and "registered model alias 'tiny'" in r.output
    assert str(gguf.resolve()) in (tmp_path / "config.toml").read_text()
    lora = tmp_path / "adapter.gguf"
    r = runner.invoke(
        app,
        [
            "export",
            "--adapter",
            str(run),
            "--out",
            str(lora),
            "--format",
            "lora-gguf",
            "--no-validate",
        ],
    )
    assert r.exit_code == 0, r.output

    from assistant.llm.adapters import merge_lora
    from assistant.llm.models import default_model_path

    merged = merge_lora(default_model_path(), lora, tmp_path / "merged.gguf")
    record = next(
        rec
        for rec in map(json.loads, (data / "train.jsonl").read_text().splitlines())
        if any(m.get("tool_calls") for m in rec["messages"])
    )
    names = {t["function"]["name"] for t in record["tools"]}
    for path in (gguf, merged):
        final = asyncio.run(_one_turn(path, record))
        assert final.message.tool_calls, final.message.content
        assert final.message.tool_calls[0].name in names
