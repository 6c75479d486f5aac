"""Attack 2b: a repository's git config names programs that the host's /diff would run."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import pytest

from assistant.tools.gitsafe import git_env, run_git
from assistant.ui.commands import git_diff


def _git(ws: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(ws), *args], check=True, capture_output=True, env=git_env())


@pytest.fixture
def poisoned_repo(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "repo"
    ws.mkdir()
    _git(ws, "init", "-q", "-b", "main")
    (ws / "app.py").write_text("x = 1\n")
    (ws / "data.bin").write_text("blob\n")
    _git(ws, "add", "-A")
    _git(ws, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init")
    pwned = tmp_path / "pwned"
    payload = tmp_path / "payload.sh"
    payload.write_text(f'#!/bin/sh\necho "$0 $*" >> {pwned}\ncat\n')
    payload.chmod(0o755)
    with (ws / ".git" / "config").open("a") as fh:
        fh.write(
            f'[core]\n\tfsmonitor = "{payload}"\n\tpager = "{payload}"\n'
            f'[diff]\n\texternal = "{payload}"\n'
            f'[diff "evil"]\n\ttextconv = "{payload}"\n'
            f'[filter "evil"]\n\tclean = "{payload}"\n\tsmudge = "{payload}"\n'
        )
    (ws / ".gitattributes").write_text("* filter=evil diff=evil\n")
    (ws / "app.py").write_text("x = 2\n")
    return ws, pwned


async def test_diff_runs_nothing_the_repository_configures(
    poisoned_repo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, pwned = poisoned_repo
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(pwned.parent / "payload.sh"))
    diff = await git_diff(ws)
    assert "-x = 1" in diff and "+x = 2" in diff
    assert "data.bin" not in diff  # unchanged files are not shown
    assert not pwned.exists(), pwned.read_text()


async def test_diff_outside_a_repository_is_empty(tmp_path: Path) -> None:
    assert await git_diff(tmp_path) == ""


async def test_diff_does_not_read_through_a_symlinked_directory(tmp_path: Path) -> None:
    """A command replaced a tracked directory with a link out of the workspace: /diff must
    not show the host file it reaches (git itself sees the tracked file as gone)."""
    ws = tmp_path / "repo"
    (ws / "conf").mkdir(parents=True)
    _git(ws, "init", "-q", "-b", "main")
    (ws / "conf" / "secret.txt").write_text("tracked\n")
    _git(ws, "add", "-A")
    _git(ws, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init")
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / "secret.txt").write_text("HOST-SECRET\n")
    for p in (ws / "conf").iterdir():
        p.unlink()
    (ws / "conf").rmdir()
    (ws / "conf").symlink_to(outside)
    diff = await git_diff(ws)
    assert "HOST-SECRET" not in diff, diff
    assert "-tracked" in diff and "+++ /dev/null" in diff, diff


async def test_diff_names_large_files_without_reading_them_whole(tmp_path: Path) -> None:
    """A command can write gigabytes into a tracked file (the sandbox allows 4 GB): /diff
    names it instead of reading and line-diffing it on the UI's event loop."""
    ws = tmp_path / "repo"
    ws.mkdir()
    _git(ws, "init", "-q", "-b", "main")
    big = "".join(f"{i}\n" for i in range(300_000))  # ~2 MB
    (ws / "same.txt").write_text(big)
    (ws / "data.txt").write_text(big)
    (ws / "small.txt").write_text("a\n")
    _git(ws, "add", "-A")
    _git(ws, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init")
    (ws / "data.txt").write_text("".join(f"{i}\n" for i in reversed(range(300_000))))
    with (ws / "small.txt").open("wb") as fh:  # small in HEAD, 64 MB now
        fh.truncate(64 * 2**20)
    diff = await git_diff(ws)
    assert diff == "Large file data.txt differs\nLarge file small.txt differs\n", diff[:500]


def _children_running(marker: str) -> list[int]:
    """This process's children whose command line holds ``marker`` (zombies included)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat_fields[1]) == os.getpid() and marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


async def test_a_cancelled_git_call_leaves_no_git_running(tmp_path: Path) -> None:
    """Cancelling /diff (Ctrl-C) while git blocks must stop git, not leave it behind."""
    os.mkfifo(tmp_path / "blocks")  # no writer: git's open of it never returns
    call = asyncio.create_task(run_git(tmp_path, "hash-object", "--no-filters", "blocks"))
    pids: list[int] = []
    for _ in range(200):
        await asyncio.sleep(0.02)
        if pids := _children_running("hash-object"):
            break
    assert pids, "git never started"
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    try:
        assert _children_running("hash-object") == []
    finally:
        for pid in _children_running("hash-object"):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
