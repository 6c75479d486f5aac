"""User errors in ``assistant eval``: one sentence naming the problem and the fix, non-zero
exit, and no results file written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["tools", "--data", "{tmp}/nope.jsonl"], 1, "does not exist; pass --data"),
        (["tools", "--data", "{tmp}/bad.jsonl"], 1, "bad.jsonl:2: not valid JSON"),
        (["tools", "--category", "no_such_category"], 2, "No case in"),
        (["tools", "--model", "{tmp}/missing.gguf"], 1, "does not exist"),
        (["tools", "--model", "anthropic:claude-haiku-4-5"], 1, "ANTHROPIC_API_KEY is not set"),
        (["agent", "--tasks", "{tmp}/nowhere"], 1, "does not exist; pass --tasks"),
        (["agent", "--task", "no-such-task"], 2, "No task no-such-task"),
        (["agent", "--sandbox", "vm"], 2, "is not docker or bwrap"),
        (["agent", "--sandbox", "host"], 2, "an eval has no one to ask"),
    ],
)
def test_user_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, message: str
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    good = REPO / "eval" / "tools" / "cases.jsonl"
    (tmp_path / "bad.jsonl").write_text(good.read_text().splitlines()[0] + "\n{oops\n")
    out = tmp_path / "out.json"
    argv = ["eval", *(a.replace("{tmp}", str(tmp_path)) for a in args), "--output", str(out)]
    result = runner.invoke(app, argv)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert result.output.count("error:") == 1
    assert not out.exists()


def test_eval_agent_refuses_to_run_without_its_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every tool call would fail and the tasks would still be scored; it stops first."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-daemon.sock")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["eval", "agent", "--sandbox", "docker", "--output", str(out)])
    assert result.exit_code == 1, result.output
    assert "The tasks need the docker sandbox: Docker is not reachable" in result.output
    assert "assistant sandbox doctor" in result.output
    assert not out.exists()


def test_results_are_json_for_scripts(tmp_path: Path) -> None:
    bad = tmp_path / "r.json"
    bad.write_text(json.dumps({"accuracy": 1.0}))
    result = runner.invoke(app, ["eval", "compare", str(bad), str(bad)])
    assert result.exit_code == 1 and "no accuracy or categories" in result.output
