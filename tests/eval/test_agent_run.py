"""``assistant eval agent`` on two shipped tasks, through the agent loop, tools and the
real Docker sandbox: driven by an OpenAI-compatible server on 127.0.0.1 that plays
a competent model, and by the real default model."""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.eval.helpers import threads_flag
from tests.fakes.openai_batch_server import openai_batch_fake, text, tool_calls

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
TASKS = REPO / "eval" / "agent"
TWO = ["--task", "inspect-timeout-constant", "--task", "debug-adult"]


def cli(*parts: str | Path) -> list[str]:
    return ["eval", "agent", "--tasks", str(TASKS), *TWO, *map(str, parts)]


def competent(body: dict[str, Any]) -> Any:
    """Solves the two tasks step by step, reading the tool results it gets back."""
    msgs = body["messages"]
    instruction = next(m["content"] for m in msgs if m["role"] == "user")
    results = [m["content"] for m in msgs if m["role"] == "tool"]
    if "TIMEOUT_SECONDS" in instruction:
        if not results:
            return tool_calls("read_file", {"path": "net/config.py"})
        value = next(
            line.split("=")[1].strip() for line in results[0].splitlines() if "TIMEOUT" in line
        )
        return text(f"TIMEOUT_SECONDS is {value}.")
    steps = [
        ("read_file", {"path": "people.py"}),
        ("edit_file", {"path": "people.py", "old_text": "age > 18", "new_text": "age >= 18"}),
        ("run_shell", {"command": "python3 -m unittest -q test_people"}),
    ]
    if len(results) < len(steps):
        return tool_calls(*steps[len(results)])
    return text(f"Fixed: is_adult now accepts 18. Test run: {results[-1][-40:]}")


@pytest.mark.slow
@pytest.mark.docker
def test_eval_agent_through_an_openai_compatible_server(tmp_path: Path, docker_ready) -> None:
    out = tmp_path / "agent.json"
    with openai_batch_fake() as fake:
        fake.responder = competent
        result = runner.invoke(
            app,
            cli(
                "--model",
                "openai:local-test",
                "--base-url",
                fake.base_url,
                "--output",
                out,
                "--plot",
                tmp_path / "a.png",
            ),
            env={"COLUMNS": "160"},
        )
        requests = [r.body for r in fake.chat_requests]
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text())
    by_id = {t["id"]: t for t in res["tasks"]}
    assert set(by_id) == {"inspect-timeout-constant", "debug-adult"}
    insp, dbg = by_id["inspect-timeout-constant"], by_id["debug-adult"]
    assert insp["passed"] and dbg["passed"], res["tasks"]
    assert (insp["steps"], dbg["steps"]) == (2, 4)
    assert dbg["tool_calls"] == ["read_file", "edit_file", "run_shell"]
    steps = dbg["transcript"]
    assert [s["role"] for s in steps] == ["assistant", "tool"] * 3 + ["assistant"]
    assert steps[2]["tool_calls"] == [
        {
            "name": "edit_file",
            "arguments": {"path": "people.py", "old_text": "age > 18", "new_text": "age >= 18"},
        }
    ]
    assert steps[1]["name"] == "read_file" and "def is_adult" in steps[1]["content"]
    assert "OK" in steps[5]["content"] and steps[6]["content"] == dbg["answer"]
    assert dbg["checks"] == [
        {"kind": "unittest", "ok": True, "detail": "the task's own tests pass"},
        {"kind": "behaviour", "ok": True, "detail": "all 4 hidden cases pass"},
        {"kind": "unchanged", "ok": True, "detail": "unchanged"},
    ]
    # the test ran in the sandbox and its output came back to the model
    assert "OK" in requests[-1]["messages"][-1]["content"]
    assert all(t["usage"]["input_tokens"] > 0 and t["ended"] == "done" for t in res["tasks"])
    assert res["accuracy"] == 1.0 and res["steps"] == 6
    assert res["categories"]["debugging"]["mean_steps"] == 4
    assert res["usage"]["input_tokens"] == sum(t["usage"]["input_tokens"] for t in res["tasks"])
    assert res["settings"]["approval"] == "auto"
    assert "debug-adult" in result.output and "pass" in result.output
    assert (tmp_path / "a.png").stat().st_size > 5000


@pytest.mark.slow
@pytest.mark.docker
def test_an_answer_cut_off_by_the_token_limit_is_not_graded_as_one(
    tmp_path: Path, docker_ready
) -> None:
    """The right value in a reply that stopped at max_tokens (as a local model's partial
    tool call does) passes no answer check."""

    def cut_off(body: dict[str, Any]) -> Any:
        if not any(m["role"] == "tool" for m in body["messages"]):
            return tool_calls("read_file", {"path": "net/config.py"})
        return text(
            'TIMEOUT_SECONDS is 17 <tool_call>{"name": "grep", "argu', finish_reason="length"
        )

    out = tmp_path / "agent.json"
    with openai_batch_fake() as fake:
        fake.responder = cut_off
        result = runner.invoke(
            app,
            ["eval", "agent", "--tasks", str(TASKS), "--task", "inspect-timeout-constant",
             "--model", "openai:m", "--base-url", fake.base_url, "--output", str(out)],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    task = json.loads(out.read_text())["tasks"][0]
    assert (task["ended"], task["passed"]) == ("max_tokens", False)
    assert "17" in task["answer"] and task["checks"][0]["ok"] is False


@pytest.mark.slow
@pytest.mark.docker
def test_eval_agent_fails_a_wrong_answer_and_an_edited_test(tmp_path: Path, docker_ready) -> None:
    """A model that reads one file again and again, or 'fixes' the test instead of the
    code, passes nothing; the loop ends at --max-repeats."""

    def cheater(body: dict[str, Any]) -> Any:
        msgs = body["messages"]
        instruction = next(m["content"] for m in msgs if m["role"] == "user")
        if "TIMEOUT_SECONDS" in instruction:
            return tool_calls("read_file", {"path": "net/config.py"})
        if any(m["role"] == "tool" for m in msgs):
            return text("It is 30.")
        return tool_calls(
            "edit_file",
            {
                "path": "test_people.py",
                "old_text": "assertTrue(is_adult(18))",
                "new_text": "assertTrue(True)",
            },
        )

    out = tmp_path / "agent.json"
    with openai_batch_fake() as fake:
        fake.responder = cheater
        result = runner.invoke(
            app,
            cli("--model", "openai:m", "--base-url", fake.base_url, "--output", out,
                "--max-repeats", "2"),
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text())
    looped = next(t for t in res["tasks"] if t["id"] == "inspect-timeout-constant")
    assert (looped["ended"], looped["steps"], res["settings"]["max_repeats"]) == ("repeating", 2, 2)
    checks = {t["id"]: {c["kind"]: c["ok"] for c in t["checks"]} for t in res["tasks"]}
    assert checks["inspect-timeout-constant"] == {
        "answer_matches": False,
        "answer_lacks_match": True,
    }
    # the task's own tests, run from their pristine copy, still fail; the file changed
    assert checks["debug-adult"] == {"unittest": False, "behaviour": False, "unchanged": False}
    assert res["accuracy"] == 0.0


@pytest.mark.slow
@pytest.mark.docker
def test_eval_agent_with_the_real_default_model(tmp_path: Path, docker_ready) -> None:
    out = tmp_path / "base-agent.json"
    result = runner.invoke(
        app,
        cli("--max-steps", "3", "--max-tokens", "96", "--output", out, *threads_flag()),
    )
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text())
    assert res["provider"] == "local" and res["n_tasks"] == 2 and res["n_errors"] == 0
    for t in res["tasks"]:
        assert 1 <= t["steps"] <= 3
        assert t["usage"]["input_tokens"] > 0 and t["usage"]["output_tokens"] > 0
        assert t["wall_s"] > 0
        assert t["ended"] in ("done", "max_steps", "format_errors", "repeating")
        assert t["checks"] and t["passed"] == all(c["ok"] for c in t["checks"])
    assert res["accuracy"] == sum(t["passed"] for t in res["tasks"]) / 2


def test_a_task_whose_checks_cannot_run_is_an_error_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agent answered; then the sandbox the checks run in could not start (Docker went
    away): the task was not graded, so it is an error, not the model's failure."""
    import asyncio

    from assistant.agent.builder import build_model
    from assistant.config import load_settings
    from assistant.eval.agent import RunOptions, load_tasks, run_task, summarize

    (task,) = load_tasks(TASKS / "debug-adult")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-daemon.sock")
    with openai_batch_fake() as fake:
        fake.responder = lambda body: text("Fixed.")
        overrides = {"model": "openai:m", "llm": {"base_url": fake.base_url}}
        model = build_model(load_settings(tmp_path, overrides))
        result = asyncio.run(
            run_task(model, task, RunOptions(sandbox="docker", max_steps=2), "openai:m")
        )
    assert not result.passed
    assert result.ended == "error", (result.ended, result.checks)
    assert result.error and "Docker" in result.error
    assert summarize([result])["n_errors"] == 1


PLANT = "mkdir -p {d}/objects {d}/refs && echo 'ref: refs/heads/main' > {d}/HEAD"
PLANT_DELAY_S = 3
"""How long the background planter waits: longer than its command and the scan after it
take to return, on a loaded machine too."""


def planter(body: dict[str, Any]) -> Any:
    """Does each task and leaves a git repository in the workspace: after its last command
    (a background process; the sandbox warns as it closes), or in the foreground of a
    command (the warning is in that command's output only)."""
    msgs = body["messages"]
    instruction = next(m["content"] for m in msgs if m["role"] == "user")
    if any(m["role"] == "tool" for m in msgs):
        if "greeting.txt" in instruction:
            time.sleep(PLANT_DELAY_S + 3)  # the plant lands while the answer is written
        return text("Done.")
    if "greeting.txt" in instruction:
        late = shlex.quote(f"sleep {PLANT_DELAY_S}; " + PLANT.format(d="x"))
        plant = f"setsid nohup sh -c {late} >/dev/null 2>&1 &"
        return tool_calls(
            "run_shell", {"command": f"{plant} echo hello from the eval > greeting.txt"}
        )
    plant = PLANT.format(d="y")
    return tool_calls("run_shell", {"command": f"{plant} && python3 compute.py > result.txt"})


@pytest.mark.slow
@pytest.mark.docker
def test_a_run_that_plants_a_repository_fails_and_keeps_the_warning(
    tmp_path: Path, docker_ready
) -> None:
    """Both tasks' own checks pass, but a model that leaves a git repository in the
    workspace has not passed; the closing sandbox warning is kept in the result."""
    out = tmp_path / "agent.json"
    tasks = ["--task", "tool-create-file", "--task", "tool-run-save-output"]
    with openai_batch_fake() as fake:
        fake.responder = planter
        result = runner.invoke(
            app,
            ["eval", "agent", "--tasks", str(TASKS), *tasks, "--model", "openai:m",
             "--base-url", fake.base_url, "--output", str(out)],
            env={"COLUMNS": "200"},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    by_id = {t["id"]: t for t in json.loads(out.read_text())["tasks"]}
    late, foreground = by_id["tool-create-file"], by_id["tool-run-save-output"]
    for t, where in ((late, "x"), (foreground, "y")):
        *own, planted = t["checks"]
        assert own and all(c["ok"] for c in own), t["checks"]
        assert planted == {
            "kind": "no_repository",
            "ok": False,
            "detail": f"git repository left in the workspace: {where}",
        }
        assert not t["passed"]
    (warning,) = late["warnings"]
    assert warning.startswith("[sandbox warning] After the sandbox's last command")
    assert " at x " in warning
    assert foreground["warnings"] == []  # its command's output carried the warning
    assert "[sandbox warning]" in foreground["transcript"][1]["content"]
    assert result.output.count("(repository planted)") == 2, result.output
