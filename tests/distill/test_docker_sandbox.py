"""Distill agent tasks in the default Docker sandbox: a real container per task.

The fake Messages API plays a teacher that looks around with ``run_shell``, writes
the requested file with ``write_file`` and reads it back from inside the container.
The records must be verified, the shell commands must have run in the sandbox
container (its hostname and ``/.dockerenv``, not this machine), and no container
may be left behind.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from assistant.distill.cli import run_distill
from assistant.distill.config import parse_config
from assistant.distill.tasks import Task, TaskSource
from tests.distill.helpers import read_jsonl
from tests.fakes.anthropic_server import Reply, anthropic_fake, text, tool_use

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SEED = 0
PROBE = "cat /etc/os-release; echo host=$(hostname); test -e /.dockerenv && echo in-docker"
WRITABLE = {"file_equals"}


@pytest.fixture(scope="module")
def docker_client() -> Any:
    """Fail (not skip) when Docker is unusable: `make test` sets it up; deselect with -m."""
    from assistant.tools.sandbox.base import SandboxError
    from assistant.tools.sandbox.image import IMAGE, docker_client, image_exists

    try:
        client = docker_client()
    except SandboxError as e:
        pytest.fail(f"{e} (or deselect with -m 'not docker')")
    if not image_exists(client, IMAGE):
        pytest.fail(f"{IMAGE} missing; run scripts/setup-docker.sh (or -m 'not docker')")
    return client


def _containers(client: Any, session: str | None = None) -> list[Any]:
    labels = ["assistant.sandbox"] + ([f"assistant.session={session}"] if session else [])
    return client.containers.list(all=True, filters={"label": labels})


def _prompt(body: dict[str, Any]) -> str:
    first = body["messages"][0]["content"]
    return first if isinstance(first, str) else "".join(b.get("text", "") for b in first)


def _solution(task: Task) -> tuple[str, str] | None:
    """(path, content) that passes ``task``'s checks, when they only ask for file content."""
    checks = task.verify
    if not checks or any(c["kind"] not in WRITABLE for c in checks):
        return None
    paths = {c["path"] for c in checks}
    if len(paths) != 1:
        return None
    return paths.pop(), checks[0]["text"]


class ShellTeacher:
    """Probe the machine, write the file, read it back in the container, then report."""

    def __init__(self, tasks: dict[str, Task]) -> None:
        self.tasks = tasks

    def __call__(self, body: dict[str, Any]) -> Reply:
        task = self.tasks.get(_prompt(body))
        solution = _solution(task) if task is not None else None
        if solution is None:
            return text("I cannot do this one.")
        path, content = solution
        step = sum(1 for m in body["messages"] if m["role"] == "assistant")
        if step == 0:
            return tool_use("run_shell", {"command": PROBE})
        if step == 1:
            return tool_use("write_file", {"path": path, "content": content})
        if step == 2:
            return tool_use("run_shell", {"command": f"cat /workspace/{path}"})
        return text(
            f"I created {path} with the requested content and read it back from the "
            "shell to check that it is there, so the task is complete."
        )


def test_agent_tasks_run_their_commands_in_docker_containers(
    docker_client: Any, tmp_path: Path
) -> None:
    assert socket.gethostname() != "sandbox"  # else the probe below proves nothing
    source = TaskSource(SEED, ["file_ops"])
    tasks = {t.prompt: t for t in (source.task(i) for i in range(60))}
    assert sum(_solution(t) is not None for t in tasks.values()) >= 3  # the fixture is usable
    out = tmp_path / "out"
    with anthropic_fake() as fake:
        fake.responder = ShellTeacher(tasks)
        cfg = parse_config(
            provider="anthropic",
            providers=None,
            mix_ratio=None,
            model="claude-haiku-4-5",
            base_url=fake.base_url,
            model_path=None,
            api_key="test-key",
            num_examples=3,
            output_dir=out,
            categories="file_ops",
            yes=True,
            progress=False,
            concurrency=2,
            seed=SEED,
            max_attempts=60,
        )
        assert cfg.sandbox == "docker", "docker is the default sandbox"
        assert run_distill(cfg) == 0

    records = read_jsonl(out / "records.jsonl")
    assert len(records) == 3
    for r in records:
        assert r["meta"]["verification"]["passed"], r["meta"]["verification"]
        assert r["meta"]["verification"]["ended"] == "done"
        results = [m["content"] for m in r["messages"] if m["role"] == "tool"]
        assert len(results) == 3, results
        probe, wrote, cat = results
        # the command ran in the sandbox image's container, not on this machine
        assert "Debian" in probe and "host=sandbox" in probe and "in-docker" in probe, probe
        # write_file went to the workspace the container sees at /workspace
        task = tasks[r["messages"][1]["content"]]
        _, content = _solution(task)  # type: ignore[misc]
        assert content.splitlines()[0] in cat and "[exit code: 0]" in cat, cat
        assert wrote and "error" not in wrote.lower()[:40]
        # each task had its own session container, and it is gone
        assert _containers(docker_client, task.task_id) == []
    leftovers = [
        c.name
        for c in _containers(docker_client)
        if c.labels.get("assistant.owner_pid") == str(os.getpid())
    ]
    assert leftovers == []
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["records"]["total"] == 3 and meta["cost"]["by_model"][0]["calls"] >= 12
    assert not (out / "work").exists() or not any((out / "work").iterdir())
