"""Ctrl-C during ``assistant eval tools | agent``: a real subprocess gets a real SIGINT
while a model reply is pending on an OpenAI-compatible server on 127.0.0.1. What
finished is printed and saved beside ``--output`` (or in the data folder), marked
partial, the command says where in one sentence and exits 130, and ``eval compare``
refuses the partial file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.fakes.openai_batch_server import openai_batch_fake, text, tool_calls

SHIP = {
    "type": "function",
    "function": {
        "name": "ship_parcel",
        "description": "Ship a parcel.",
        "parameters": {
            "type": "object",
            "properties": {"to_city": {"type": "string"}},
            "required": ["to_city"],
        },
    },
}


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "OPENAI_API_KEY": "k",
        "ASSISTANT_CONFIG": str(tmp_path / "no-config.toml"),
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "160",
    }


def _wait_for(
    stream: IO[str], needle: str, seen: list[str], limit_s: float = 60.0
) -> threading.Thread:
    """Read ``stream`` (stderr) until a line holds ``needle``; the lines land in ``seen``
    (all of them, once the returned thread has ended at the end of the stream)."""
    found = threading.Event()

    def pump() -> None:
        for line in stream:
            seen.append(line)
            if needle in line:
                found.set()

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    assert found.wait(limit_s), "".join(seen)
    return pumping


def _interrupt_run(
    argv: list[str], tmp_path: Path, responder: Callable[[dict[str, Any]], Any], needle: str
) -> tuple[int, str, str]:
    """Run ``assistant`` with ``argv`` against a fake server whose ``responder`` may block;
    SIGINT it once stderr shows ``needle`` and a third request is pending."""
    release = threading.Event()
    with openai_batch_fake() as fake:
        fake.responder = lambda body: responder(body) if not release.is_set() else text("late")
        cmd = [sys.executable, "-m", "assistant.cli", *argv, "--base-url", fake.base_url]
        proc = subprocess.Popen(
            cmd,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        seen: list[str] = []
        try:
            assert proc.stderr is not None and proc.stdout is not None
            pumping = _wait_for(proc.stderr, needle, seen)
            deadline = time.monotonic() + 30
            while len(fake.chat_requests) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=60)
            stdout = proc.stdout.read()
            pumping.join(60)  # the rest of stderr, up to its end
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return code, stdout, "".join(seen)


def _blocks_on(marker: str, answer: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
    """Answers every request with ``answer`` except one whose user turn holds ``marker``,
    which hangs (until the test ends) as a slow model would."""
    hang = threading.Event()

    def responder(body: dict[str, Any]) -> Any:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if marker in user:
            hang.wait(120)
        return answer(body)

    return responder


def _refused_by_compare(path: Path) -> str:
    result = CliRunner().invoke(app, ["eval", "compare", str(path), str(path)])
    assert result.exit_code != 0
    return result.output


def test_interrupted_eval_tools_saves_the_finished_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    with cases.open("w") as fh:
        for cid in ("a", "b", "c-slow", "d"):
            case = {
                "id": cid,
                "category": "call",
                "messages": [{"role": "user", "content": f"case {cid}: ship to Oslo"}],
                "tools": [SHIP],
                "expected": [{"name": "ship_parcel", "arguments": {"to_city": ["Oslo"]}}],
            }
            fh.write(json.dumps(case) + "\n")
    out = tmp_path / "tools.json"
    out.write_text('{"an earlier": "complete run"}\n')
    argv = ["eval", "tools", "--data", str(cases), "--model", "openai:m", "--output", str(out),
            "--concurrency", "1"]  # fmt: skip
    responder = _blocks_on("c-slow", lambda body: tool_calls("ship_parcel", {"to_city": "Oslo"}))
    code, stdout, stderr = _interrupt_run(argv, tmp_path, responder, "2/4 done")
    assert code == 130, stderr
    partial = tmp_path / "tools.partial.json"
    # the --output path keeps what was there: scripts reading it never see a partial run
    assert out.read_text() == '{"an earlier": "complete run"}\n'
    data = json.loads(partial.read_text())
    assert data["partial"] is True and data["kind"] == "tools"
    assert (data["n_planned"], data["unfinished"]) == (4, ["c-slow", "d"])
    assert [c["id"] for c in data["cases"]] == ["a", "b"] and data["n_cases"] == 2
    assert data["accuracy"] == 1.0
    said = " ".join(stderr.split())
    assert (
        f"Interrupted after 2 of 4 cases: the finished ones are saved, marked partial, "
        f"in {partial}."
    ) in said
    assert "PARTIAL: interrupted after 2 of 4" in stdout
    assert "partial run (interrupted after 2 of 4)" in _refused_by_compare(partial)


def _task(folder: Path, instruction: str, name: str) -> None:
    (folder / "workspace").mkdir(parents=True)
    (folder / "workspace" / "notes.txt").write_text("nothing here\n")
    task = {
        "category": "inspection",
        "instruction": instruction,
        "checks": [{"kind": "answer_contains", "text": name}],
        "reference_answer": name,
    }
    (folder / "task.json").write_text(json.dumps(task))


@pytest.mark.docker
def test_interrupted_eval_agent_saves_the_finished_tasks(tmp_path: Path, docker_ready) -> None:
    tasks = tmp_path / "tasks"
    for tid in ("t1", "t2", "t3-slow"):
        _task(tasks / tid, f"Task {tid}: name the colour.", "teal")
    argv = ["eval", "agent", "--tasks", str(tasks), "--model", "openai:m", "--concurrency", "1"]
    responder = _blocks_on("t3-slow", lambda body: text("The colour is teal."))
    code, stdout, stderr = _interrupt_run(argv, tmp_path, responder, "2/3 done")
    assert code == 130, stderr
    (partial,) = (tmp_path / "data" / "eval").glob("agent-*.partial.json")
    data = json.loads(partial.read_text())
    assert data["partial"] is True and data["kind"] == "agent"
    assert (data["n_planned"], data["unfinished"]) == (3, ["t3-slow"])
    assert [t["id"] for t in data["tasks"]] == ["t1", "t2"] and data["n_tasks"] == 2
    assert all(t["passed"] for t in data["tasks"])
    said = " ".join(stderr.split())
    assert (
        f"Interrupted after 2 of 3 tasks: the finished ones are saved, marked partial, "
        f"in {partial}."
    ) in said
    assert "PARTIAL: interrupted after 2 of 3" in stdout
    assert "partial run (interrupted after 2 of 3)" in _refused_by_compare(partial)


def test_a_task_cancelled_while_its_workspace_is_copied_leaves_no_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C lands as a task starts: the copy of its workspace, made in a thread that
    goes on after the cancel, is removed rather than left in the temp folder."""
    import asyncio
    import tempfile

    from assistant.agent.builder import build_model
    from assistant.config import load_settings
    from assistant.eval.agent import RunOptions, load_tasks, run_task

    _task(tmp_path / "tasks" / "big", "Name the colour.", "teal")
    files = tmp_path / "tasks" / "big" / "workspace" / "many"
    files.mkdir()
    for i in range(3000):
        (files / f"f{i}.txt").write_text("x\n")
    (task,) = load_tasks(tmp_path / "tasks" / "big")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("OPENAI_API_KEY", "k")

    async def start_then_cancel() -> None:
        with openai_batch_fake() as fake:
            overrides = {"model": "openai:m", "llm": {"base_url": fake.base_url}}
            model = build_model(load_settings(tmp_path, overrides))
            running = asyncio.ensure_future(run_task(model, task, RunOptions(), "openai:m"))
            while not any(scratch.iterdir()):  # the copy has begun
                await asyncio.sleep(0.001)
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running

    asyncio.run(start_then_cancel())  # returns once the copying thread has ended
    assert not list(scratch.iterdir())
