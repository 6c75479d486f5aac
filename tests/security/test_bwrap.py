"""Attacks 2 and 8 under --sandbox bwrap: protected paths, and what of the host is visible."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.tools.sandbox import open_sandbox
from assistant.tools.sandbox.bwrap import bwrap_usable
from tests.security.attacks import PLANT_REPO, attack_script, host_git_dir, plant_present

pytestmark = pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run here")


@pytest.fixture
async def box(repo: Path):
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[core]\n")
    sb = open_sandbox("bwrap", repo, "sec-bwrap")
    yield sb
    await sb.close()


async def test_protected_paths_are_read_only_even_when_missing(box, repo: Path) -> None:
    plant_present(repo)
    res = await box.exec(attack_script(), timeout=30)
    assert "WROTE:" not in res.output, res.output
    assert "NORMAL-OK" in res.output
    assert (repo / ".git" / "config").read_text() == "[core]\n"
    assert (repo / "ok.txt").read_text() == "normal\n"
    await box.close()
    # Placeholders for names that did not exist are gone again; real ones stay.
    left = sorted(p.name for p in repo.iterdir())
    assert left == [".assistant.toml", ".envrc", ".git", "mise.toml", "ok.txt"], left


async def test_host_secrets_and_sockets_are_not_visible(
    box, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Path(os.path.expanduser("~"))
    probe = (
        f"ls -A {home} 2>&1 | head -3; echo HOME=$HOME; ls -A ~ | wc -l; "
        "test -e /var/run/docker.sock && echo DOCKER-SOCK; test -e /run && echo RUN-DIR; "
        "test -e /var && echo VAR-DIR; python3 -c 'print(6*7)'; git --version >/dev/null && echo GIT"
    )
    res = await box.exec(probe, timeout=30)
    out = res.output
    assert "HOME=/home/sandbox" in out
    assert "DOCKER-SOCK" not in out and "RUN-DIR" not in out and "VAR-DIR" not in out
    assert "42" in out and "GIT" in out  # the toolchain still works
    if home != Path("/home/sandbox") and any(home.iterdir()):
        assert "No such file" in out.splitlines()[0]


async def test_placeholders_are_not_listed_by_the_file_tools(box, repo: Path) -> None:
    from assistant.tools.base import ToolContext
    from assistant.tools.search import list_files

    await box.exec("echo hi > a.txt", timeout=30)
    assert (repo / ".venv").is_dir() and (repo / ".github").is_dir()  # mounted stand-ins
    r = await list_files.run({"path": "."}, ToolContext(workspace=repo))
    assert "a.txt" in r.output
    assert ".venv" not in r.output and ".github" not in r.output, r.output


async def test_placeholders_left_by_a_killed_session_are_cleaned_up(repo: Path) -> None:
    from assistant.tools.sandbox.protect import PLACEHOLDER_MODE

    left = repo / ".venv"
    left.mkdir()
    left.chmod(PLACEHOLDER_MODE)  # what a SIGKILLed session leaves behind
    (repo / ".vscode").mkdir()  # the user's own empty directory stays
    sb = open_sandbox("bwrap", repo, "sec-bwrap-leftover")
    try:
        res = await sb.exec("touch .venv/x 2>/dev/null || echo ro", timeout=30)
        assert "ro" in res.output
    finally:
        await sb.close()
    assert sorted(p.name for p in repo.iterdir()) == [".vscode"]


async def test_failed_start_leaves_no_placeholders(repo: Path, tmp_path: Path) -> None:
    """bwrap refused by the kernel (no user namespaces, as on Ubuntu 24.04 by default):
    the error names it, and the workspace is left as it was, with no close() needed."""
    from assistant.tools.sandbox.base import SandboxError

    refused = tmp_path / "bwrap"
    refused.write_text(
        "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n"
    )
    refused.chmod(0o755)
    (repo / "a.txt").write_text("x\n")
    sb = open_sandbox("bwrap", repo, "sec-bwrap-refused")
    sb.bwrap = str(refused)
    with pytest.raises(SandboxError, match="uid map: Permission denied"):
        await sb.exec("true", timeout=30)
    assert sorted(p.name for p in repo.iterdir()) == ["a.txt"]
    await sb.close()


async def test_a_planted_repository_cannot_take_the_root_and_is_named_elsewhere(
    repo: Path,
) -> None:
    sb = open_sandbox("bwrap", repo, "sec-bwrap-bare")
    try:
        root = await sb.exec(PLANT_REPO.format(d="."), timeout=30)
        sub = await sb.exec(PLANT_REPO.format(d="docs/x"), timeout=30)
        assert host_git_dir(repo) is None
    finally:
        await sb.close()
    assert "PLANTED-." not in root.output, root.output
    assert "sandbox warning" in sub.output and " at docs/x " in sub.output, sub.output
    assert not (repo / "HEAD").exists()


async def test_a_repository_planted_in_a_protected_name_made_by_a_command_is_named(
    repo: Path,
) -> None:
    """.idea is read-only only when present: one a command creates is scanned too.  The
    warning comes first: the transcript shows the head of a long output."""
    sb = open_sandbox("bwrap", repo, "sec-bwrap-bare-idea")
    try:
        res = await sb.exec("seq 100; " + PLANT_REPO.format(d=".idea/x"), timeout=30)
    finally:
        await sb.close()
    assert res.output.startswith("[sandbox warning]"), res.output
    assert " at .idea/x " in res.output, res.output
