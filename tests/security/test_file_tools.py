"""Attacks 5, 6, 7, 11, 12, 14: the host-side file tools reading or writing outside the workspace.

A command in the sandbox controls the workspace's contents: it can plant symlinks, swap a
directory for a symlink at any moment, create FIFOs and huge sparse files.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest

from assistant.agent.session import SessionStore
from assistant.tools import safeio
from assistant.tools.base import ToolContext
from assistant.tools.files import read_file, write_file
from assistant.tools.paths import resolve_in_workspace, sensitive_reason
from assistant.tools.search import grep, grep_python
from assistant.tools.undo import UndoConflict, UndoJournal


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    d = tmp_path / "outside"
    d.mkdir()
    (d / "secret.txt").write_text("TOP-SECRET\n")
    return d


# ---- 5: grep's Python fallback followed symlinks out ----------------------------------
def test_grep_fallback_does_not_follow_symlinks_out(repo: Path, outside: Path) -> None:
    (repo / "leak.txt").symlink_to(outside / "secret.txt")
    (repo / "ok.txt").write_text("not a SECRET\n")
    hits, _ = grep_python(repo, repo, "SECRET", None, False, 100)
    assert [h.path for h in hits] == ["ok.txt"]


# ---- 6: undo wrote through a directory swapped for a symlink -----------------------------
async def test_undo_refuses_a_path_whose_directory_became_a_symlink(
    repo: Path, outside: Path, tmp_path: Path
) -> None:
    journal = UndoJournal(tmp_path / "undo.jsonl")
    ctx = ToolContext(workspace=repo, turn=1, undo=journal)
    (repo / "sub").mkdir()
    r = await write_file.run({"path": "sub/secret.txt", "content": "mine\n"}, ctx)
    assert not r.is_error, r.output
    # The sandbox replaces sub/ with a link to a directory outside (same file name there).
    os.rename(repo / "sub", repo / "sub-old")
    (repo / "sub").symlink_to(outside)
    with pytest.raises(UndoConflict, match="symlink"):
        journal.undo_last(force=True)
    assert (outside / "secret.txt").read_text() == "TOP-SECRET\n"


# ---- 7: check-then-open races ------------------------------------------------------------
def test_open_after_resolve_refuses_a_swapped_directory(repo: Path, outside: Path) -> None:
    (repo / "sub").mkdir()
    (repo / "sub" / "secret.txt").write_text("inside\n")
    real = resolve_in_workspace(repo, "sub/secret.txt")  # checked ...
    os.rename(repo / "sub", repo / "sub-old")  # ... then swapped ...
    (repo / "sub").symlink_to(outside)
    with pytest.raises(safeio.UnsafePath):  # ... and the open notices
        safeio.read_regular(real, 1 << 20)
    with pytest.raises(safeio.UnsafePath):
        safeio.write_atomic(real, b"pwned")
    assert (outside / "secret.txt").read_text() == "TOP-SECRET\n"


def _exchanger(a: Path, b: Path, stop: threading.Event) -> None:
    """What a loop in the container does: atomically swap a directory and a symlink."""
    libc = ctypes.CDLL(None, use_errno=True)
    rename_exchange, at_fdcwd = 2, -100
    while not stop.is_set():
        libc.renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange)


async def test_read_and_write_under_a_renameat2_exchange_loop(repo: Path, outside: Path) -> None:
    (repo / "sub").mkdir()
    (repo / "sub" / "secret.txt").write_text("inside\n")
    (repo / "swap").symlink_to(outside)
    ctx = ToolContext(workspace=repo, turn=1)
    stop = threading.Event()
    t = threading.Thread(target=_exchanger, args=(repo / "sub", repo / "swap", stop))
    t.start()
    leaked = 0
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            r = await read_file.run({"path": "sub/secret.txt"}, ctx)
            leaked += "TOP-SECRET" in r.output
            await write_file.run({"path": "sub/secret.txt", "content": "inside\n"}, ctx)
    finally:
        stop.set()
        t.join()
    assert leaked == 0
    assert (outside / "secret.txt").read_text() == "TOP-SECRET\n"


# ---- 11: read_file and FIFOs / huge sparse files -------------------------------------------
async def test_read_file_refuses_a_fifo_without_blocking(repo: Path) -> None:
    os.mkfifo(repo / "pipe")
    r = await read_file.run({"path": "pipe"}, ToolContext(workspace=repo))
    assert r.is_error and "not a regular file" in r.output


async def test_read_file_reads_at_most_its_cap_of_a_huge_sparse_file(repo: Path) -> None:
    big = repo / "huge.txt"
    with big.open("wb") as fh:
        fh.write(b"line\n" * 10)
        fh.truncate(60 * 2**30)  # 60 GB, sparse
    start = time.monotonic()
    r = await read_file.run({"path": "huge.txt"}, ToolContext(workspace=repo))
    assert time.monotonic() - start < 10
    assert "64424509440 bytes" in r.output


# ---- 12: protected-path checks ------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        ".GIT/config",
        ".Git/hooks/pre-commit",
        "vendor/lib/.git",
        ".venv/bin/python",
        ".gitattributes",
        ".hg/hgrc",
        "mise.toml",
        ".ENVRC",
    ],
)
def test_protected_paths_need_explicit_approval(path: str) -> None:
    assert sensitive_reason(path)


# ---- 14: sessions and undo journals are private --------------------------------------------
def test_session_and_undo_files_are_owner_only(tmp_path: Path, repo: Path) -> None:
    store = SessionStore(tmp_path / "data" / "sessions")
    log = store.create(repo, "local")
    log.close()
    journal = UndoJournal(tmp_path / "data" / "sessions" / "x.undo.jsonl")
    journal.record(1, repo / "a.env", b"KEY=secret\n", b"", tool="write_file")
    for f in (log.path, journal.path):
        assert f is not None
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(log.path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(shutil.which("rg") is None, reason="ripgrep is not installed")
async def test_ripgrep_under_a_renameat2_exchange_loop(repo: Path, outside: Path) -> None:
    (repo / "sub").mkdir()
    (repo / "sub" / "secret.txt").write_text("inside SECRET\n")
    (repo / "swap").symlink_to(outside)
    ctx = ToolContext(workspace=repo, settings={"grep_backend": "rg"})
    stop = threading.Event()
    t = threading.Thread(target=_exchanger, args=(repo / "sub", repo / "swap", stop))
    t.start()
    leaked = runs = 0
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            r = await grep.run({"pattern": "SECRET", "path": "."}, ctx)
            leaked += "TOP-SECRET" in r.output
            runs += 1
    finally:
        stop.set()
        t.join()
    assert runs > 5 and leaked == 0


def test_host_side_reads_of_workspace_files_stay_inside(repo: Path, outside: Path) -> None:
    """A repository shipping AGENTS.md -> ~/.aws/credentials must not feed the prompt."""
    from assistant.tools.files import read_workspace_text

    (repo / "AGENTS.md").symlink_to(outside / "secret.txt")
    assert read_workspace_text(repo, "AGENTS.md", 20_000) is None
    (repo / "AGENTS.md").unlink()
    os.mkfifo(repo / "AGENTS.md")
    assert read_workspace_text(repo, "AGENTS.md", 20_000) is None  # no blocking on a FIFO
    (repo / "AGENTS.md").unlink()
    (repo / "AGENTS.md").write_text("Use pytest.\n")
    assert read_workspace_text(repo, "AGENTS.md", 20_000) == "Use pytest.\n"
