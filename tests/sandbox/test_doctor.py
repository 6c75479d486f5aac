"""The doctor against the real daemon."""

from __future__ import annotations

import pytest

from assistant.tools.sandbox.doctor import host_git_check, run_doctor_async


@pytest.fixture
def git_config(tmp_path, monkeypatch):
    """The user's global git config: a file of the test's own (the real git reads it)."""
    path = tmp_path / "gitconfig"
    path.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return path


def test_host_git_without_safe_bare_repository_is_flagged(git_config):
    name, ok, detail = host_git_check()
    assert name == "host git" and not ok
    assert "git config --global safe.bareRepository explicit" in detail
    git_config.write_text("[safe]\n\tbareRepository = explicit\n")
    assert host_git_check()[1], host_git_check()


@pytest.mark.docker
@pytest.mark.slow
async def test_doctor_all_green(docker_ready, git_config):
    git_config.write_text("[safe]\n\tbareRepository = explicit\n")
    checks = await run_doctor_async()
    names = [c[0] for c in checks]
    assert names == [
        "docker daemon",
        "sandbox image",
        "self-test exec",
        "limits applied",
        "privileges dropped",
        "seccomp",
        "apparmor",
        "network mode",
        "network isolation",
        "host git",
    ]
    assert all(ok for _, ok, _ in checks), checks


@pytest.mark.docker
@pytest.mark.slow
async def test_doctor_flags_missing_image(docker_ready):
    checks = (await run_doctor_async(image="assistant-sandbox:nope"))[:-1]
    assert checks[-1][0] == "sandbox image" and not checks[-1][1]
    assert "build it" in checks[-1][2]
