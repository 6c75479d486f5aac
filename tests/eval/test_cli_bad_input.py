"""``assistant eval`` with wrong files and out-of-range flags: one sentence, a non-zero exit,
no traceback, and no results file, before any model is asked anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()
# A model that would answer nothing: without the checks the run goes ahead.
UNREACHABLE = ["--model", "openai:m", "--base-url", "http://127.0.0.1:9/v1", "--limit", "1"]


def invoke(tmp_path: Path, args: list[str]):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["eval", *args, "--output", str(out)], env={"OPENAI_API_KEY": "k"})
    assert not out.exists()
    assert "Traceback" not in result.output and not isinstance(result.exception, ValueError)
    return result


@pytest.mark.parametrize(
    ("args", "flag", "bound"),
    [
        (["tools", "--concurrency", "0"], "--concurrency", "greater than or equal to 1"),
        (["agent", "--concurrency", "-3"], "--concurrency", "greater than or equal to 1"),
        (["tools", "--temperature", "-1"], "--temperature", "greater than or equal to 0"),
        (["agent", "--max-tokens", "0"], "--max-tokens", "greater than or equal to 1"),
        (["agent", "--max-cost", "-1"], "--max-cost", "greater than or equal to 0"),
    ],
)
def test_out_of_range_flags_are_refused(
    tmp_path: Path, args: list[str], flag: str, bound: str
) -> None:
    """They used to be taken (a run at concurrency 0 went ahead)."""
    result = invoke(tmp_path, [*args, *UNREACHABLE])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.replace("│", " ").split())  # the box wraps the sentence
    assert f"Invalid value for '{flag}'" in text and bound in text


def test_tools_data_that_is_a_folder_is_named(tmp_path: Path) -> None:
    """It used to read "Case file X does not exist" for a folder that does."""
    result = invoke(tmp_path, ["tools", "--data", str(tmp_path), *UNREACHABLE])
    assert result.exit_code == 2, result.output
    assert f"error: --data {tmp_path} is a folder; pass a .jsonl file of cases." in result.output


@pytest.mark.parametrize("command", ["tools", "calibrate"])
def test_data_that_is_not_utf8_is_named(tmp_path: Path, command: str) -> None:
    """Both used to end in a UnicodeDecodeError traceback."""
    data = tmp_path / "cases.jsonl"
    data.write_bytes(b'{"id": "\xff"}\n')
    model = UNREACHABLE if command == "tools" else ["--model", "openai:m"]
    result = invoke(tmp_path, [command, "--data", str(data), *model])
    assert result.exit_code == 2, result.output
    assert f"error: --data {data} is not UTF-8 text" in result.output
    assert result.output.count("error:") == 1


def test_agent_tasks_that_are_a_file_are_named(tmp_path: Path) -> None:
    """It used to read "Task folder X does not exist" for a file that does."""
    tasks = tmp_path / "tasks"
    tasks.write_text("{}")
    result = invoke(tmp_path, ["agent", "--tasks", str(tasks), *UNREACHABLE])
    assert result.exit_code == 2, result.output
    assert f"error: --tasks {tasks} is a file; pass a folder of tasks." in result.output


def test_a_run_that_measured_nothing_keeps_the_earlier_results(tmp_path: Path) -> None:
    """A typo in the model name makes every case an error; the run used to replace the
    results already at --output (say, the base model's) with those errors."""
    from tests.fakes.openai_batch_server import bad_request, openai_batch_fake

    shipped = Path(__file__).resolve().parents[2] / "eval" / "tools" / "cases.jsonl"
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(shipped.read_text().splitlines(keepends=True)[:2]))
    out = tmp_path / "base.json"
    out.write_text('{"earlier": "results"}\n')
    with openai_batch_fake() as fake:
        fake.responder = lambda body: bad_request("The model `nope` does not exist.")
        argv = ["eval", "tools", "--model", "openai:nope", "--base-url", fake.base_url]
        result = runner.invoke(
            app, [*argv, "--data", str(data), "--output", str(out)], env={"OPENAI_API_KEY": "k"}
        )
    assert result.exit_code == 1, result.output
    assert "Every case ended in a backend error" in result.output
    assert out.read_text() == '{"earlier": "results"}\n'
    kept = tmp_path / "base.errors.json"
    assert f"wrote {kept}" in result.output
    assert json.loads(kept.read_text())["n_errors"] == 2
