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
