"""A teacher that leaves a git repository directory in its task's workspace makes no record.

Git on the user's machine would use that repository's config (``core.fsmonitor``,
``core.pager`` run programs).  The Docker sandbox reports such a folder after the command
that made it, or when it closes (the file tools write on the host after the last
command); either way the task's verification fails.  Real agent loop, tools and container.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.distill.config import DistillConfig, TeacherSpec
from assistant.distill.executor import TaskExecutor
from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks import Task
from assistant.distill.teachers import Spend

pytestmark = [pytest.mark.docker, pytest.mark.slow]

HEAD = "ref: refs/heads/main\n"
ANSWER = "I created the folder x with its HEAD file, as you asked; nothing else changed."


def _by_command() -> Script:
    yield Call("run_shell", {"command": f"mkdir -p x/objects x/refs && printf '{HEAD}' > x/HEAD"})
    yield Answer(ANSWER)


def _by_file_tool_after_the_last_command() -> Script:
    yield Call("run_shell", {"command": "mkdir -p x/objects x/refs"})  # not a repository yet
    yield Call("write_file", {"path": "x/HEAD", "content": HEAD})  # on the host: no command
    yield Answer(ANSWER)


def _harmless() -> Script:
    yield Call("run_shell", {"command": "mkdir -p x/refs"})
    yield Call("write_file", {"path": "x/HEAD", "content": HEAD})
    yield Answer(ANSWER)


def _task(solution) -> Task:
    return Task(
        task_id=f"planted-{solution.__name__.strip('_')}",
        index=0,
        template_id="planted",
        category="shell",
        mode="agent",
        prompt="Create the folder x with a HEAD file.",
        files={"README.md": "A project.\n"},
        setup=[],
        verify=[{"kind": "file_equals", "path": "x/HEAD", "text": HEAD}],
        solution=solution,
    )


def _executor(tmp_path: Path) -> TaskExecutor:
    cfg = DistillConfig(
        teachers=[TeacherSpec("scripted", "scripted")],
        ratios=[1.0],
        num_examples=1,
        output_dir=tmp_path,
        sandbox="docker",
    )
    return TaskExecutor(cfg, {}, Spend())


@pytest.mark.parametrize("solution", [_by_command, _by_file_tool_after_the_last_command])
async def test_a_planted_repository_fails_verification(
    solution, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ex = _executor(tmp_path)
    task = _task(solution)
    with caplog.at_level(logging.WARNING, logger="assistant.distill.executor"):
        t = await ex.play(task, ex.model_for(task, "scripted"))
    assert t.ended == "done" and not t.verification["passed"]
    # The task's own check passed: only the planted repository failed it.
    (planted,) = [c for c in t.verification["checks"] if not c["ok"]]
    assert planted["kind"] == "no_planted_repository" and "at x " in planted["detail"]
    if solution is _by_file_tool_after_the_last_command:  # only the closing scan saw it
        assert "After the sandbox's last command" in planted["detail"]
        assert "After the sandbox's last command" in caplog.text


async def test_a_folder_that_is_not_a_repository_keeps_its_record(tmp_path: Path) -> None:
    out = await _executor(tmp_path).run(_task(_harmless), "scripted")
    assert out.reason is None and out.record is not None
    assert out.record["meta"]["verification"]["passed"]
