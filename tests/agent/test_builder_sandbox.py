"""The app shows when its sandbox cannot start, and never falls back to the host."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.agent.builder import LazySandbox


async def test_unreachable_docker_is_marked_unavailable_and_never_runs_on_the_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such-docker.sock")
    sandbox = LazySandbox("docker", tmp_path, "s1")

    assert sandbox.state == "docker: unavailable"
    assert "sandbox doctor" in (sandbox.unavailable_reason or "")
    with pytest.raises(Exception):  # noqa: B017 - whatever the backend raises, nothing runs
        box = await sandbox()
        await box.exec("touch ran-on-host", timeout=5)
    assert not (tmp_path / "ran-on-host").exists()
    assert sandbox.state == "docker: unavailable"


@pytest.mark.docker
def test_reachable_docker_is_idle_until_first_use(tmp_path: Path) -> None:
    assert LazySandbox("docker", tmp_path, "s2").state == "docker: idle"


@pytest.mark.docker
async def test_a_start_cancelled_after_the_container_runs_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the sandbox starts: the opened sandbox is closed, not left running
    with the workspace mounted until the app exits."""
    import asyncio

    from assistant.tools.sandbox.docker import DockerSandbox
    from assistant.tools.sandbox.image import docker_client

    async def slow_start(self: DockerSandbox) -> None:  # a start still in its first command
        await self.exec("touch started; sleep 30", timeout=60)

    monkeypatch.setattr(DockerSandbox, "start", slow_start)
    sandbox = LazySandbox("docker", tmp_path, "builder-cancel-start")
    opening = asyncio.ensure_future(sandbox())
    for _ in range(300):
        if (tmp_path / "started").exists():
            break
        await asyncio.sleep(0.1)
    assert (tmp_path / "started").exists()
    opening.cancel()
    with pytest.raises(asyncio.CancelledError):
        await opening
    left = docker_client().containers.list(
        all=True, filters={"label": ["assistant.session=builder-cancel-start"]}
    )
    assert left == []
    await sandbox.close()
