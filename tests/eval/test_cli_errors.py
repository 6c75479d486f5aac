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
        (
            ["tools", "--category", "call_single", "--category", "nosuchcat"],
            2,
            "has category nosuchcat; the categories are ",
        ),
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


@pytest.mark.parametrize("where", ["folder", "under_a_file"])
@pytest.mark.parametrize("command", ["tools", "agent"])
def test_an_output_that_cannot_be_written_is_refused_before_the_run(
    tmp_path: Path, where: str, command: str
) -> None:
    """Found only at the end, it would cost the whole run and end in a traceback."""
    (tmp_path / "a_file").write_text("x")
    out = tmp_path if where == "folder" else tmp_path / "a_file" / "results.json"
    # a model that would answer nothing: without the check the run goes ahead
    argv = ["eval", command, "--model", "openai:m", "--base-url", "http://127.0.0.1:9/v1"]
    result = runner.invoke(app, [*argv, "--output", str(out)], env={"OPENAI_API_KEY": "k"})
    assert result.exit_code == 2, result.output
    assert "is a folder" in result.output or "cannot be written" in result.output
    assert result.output.count("error:") == 1 and "Traceback" not in result.output
    for flag in ("--plot",):
        plotted = runner.invoke(app, [*argv, flag, str(out)], env={"OPENAI_API_KEY": "k"})
        assert plotted.exit_code == 2 and f"{flag} {out}" in plotted.output


def test_compare_plot_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "r.json"
    results.write_text(json.dumps({"accuracy": 1.0, "categories": {"x": {"accuracy": 1.0}}}))
    for plot, code, message in (
        (tmp_path, 2, f"--plot {tmp_path} is a folder"),
        (tmp_path / "r.json" / "p.png", 2, "cannot be written"),
    ):
        argv = ["eval", "compare", str(results), str(results), "--plot", str(plot)]
        result = runner.invoke(app, argv)
        assert result.exit_code == code, result.output
        assert message in result.output and "Traceback" not in result.output


def test_an_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    """eval tools --data val.jsonl --output val.jsonl would replace the cases with results."""
    cases = tmp_path / "val.jsonl"
    shipped = REPO / "eval" / "tools" / "cases.jsonl"
    cases.write_text(shipped.read_text().splitlines()[0] + "\n")
    before = cases.read_bytes()
    for command in ("tools", "calibrate"):
        argv = ["eval", command, "--data", str(cases), "--model", "nosuch", "--output"]
        result = runner.invoke(app, [*argv, str(tmp_path / "." / "val.jsonl")])
        assert result.exit_code == 2, result.output
        assert "is the input file" in result.output
    assert cases.read_bytes() == before
