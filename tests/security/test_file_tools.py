"""Attacks 5, 6, 7, 11, 12, 14: the host-side file tools reading or writing outside the workspace.

A command in the sandbox controls the workspace's contents: it can plant symlinks, swap a
directory for a symlink at any moment, create FIFOs and huge sparse files.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from assistant.agent.approval import ApprovalReply, ApprovalRequest, Approver, Decision
from assistant.agent.session import SessionStore
from assistant.llm.base import ToolCall
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


# ---- planted repositories: the file tools ask before making a bare repository ---------------
async def _approved_write(approver: Approver, asker: Asker, repo: Path, path: str, text: str):
    """One write_file call as the agent makes it: approval first, then the real tool."""
    args = {"path": path, "content": text}
    asked = len(asker.requests)
    out = await approver.check(ToolCall("write_file", args), write_file, ToolContext(repo))
    if out.allowed:
        r = await write_file.run(out.arguments, ToolContext(workspace=repo))
        assert not r.is_error, r.output
    return asker.requests[asked:]


class Asker:
    """Denies every request and records it."""

    def __init__(self) -> None:
        self.requests: list[ApprovalRequest] = []

    async def __call__(self, request: ApprovalRequest) -> ApprovalReply:
        self.requests.append(request)
        return ApprovalReply(Decision.DENY, reason="no repositories")


async def test_file_tools_ask_before_the_write_that_makes_a_git_repository(repo: Path) -> None:
    asker = Asker()
    approver = Approver("auto", ask=asker, rules=["write_file"])  # writes need no asking
    fsmonitor = "[core]\n\tfsmonitor = touch /tmp/pwned\n"
    assert not await _approved_write(approver, asker, repo, "x/HEAD", "ref: refs/heads/main\n")
    assert not await _approved_write(approver, asker, repo, "x/objects/info/alternates", "")
    # refs/ completes HEAD + objects/ + refs/: git would take x for a repository.
    (asked,) = await _approved_write(approver, asker, repo, "x/refs/heads/main", "0" * 40)
    assert "git repository directory at 'x'" in asked.why and "core.fsmonitor" in asked.why
    assert not (repo / "x" / "refs").exists()
    # Made some other way (a command in the sandbox): every write into it asks.
    (repo / "x" / "refs" / "heads").mkdir(parents=True)
    for path in ("x/config", "x/packed-refs", "x/refs/heads/main", "x/hooks/pre-commit"):
        (asked,) = await _approved_write(approver, asker, repo, path, fsmonitor)
        assert asked.why.startswith(f"{path}: ")
    assert not (repo / "x" / "config").exists()
    # A worktree's admin directory: HEAD beside a commondir naming the common one.
    (repo / "wt").mkdir()
    (repo / "wt" / "HEAD").write_text("ref: refs/heads/main\n")
    assert await _approved_write(approver, asker, repo, "wt/commondir", "../x\n")
    # A HEAD that is a symlink into refs/ (git accepts one that names a directory).
    (repo / "y" / "objects").mkdir(parents=True)
    (repo / "y" / "refs" / "heads").mkdir(parents=True)
    (repo / "y" / "HEAD").symlink_to("refs/heads")
    assert await _approved_write(approver, asker, repo, "y/config", fsmonitor)
    # A gitlink file anywhere.
    assert await _approved_write(approver, asker, repo, "vendor/lib/.git", "gitdir: ../../x\n")


async def test_ordinary_files_named_like_git_files_are_written_without_asking(repo: Path) -> None:
    asker = Asker()
    approver = Approver("auto", ask=asker, rules=["write_file"])
    (repo / "docs" / "refs").mkdir(parents=True)  # refs/ but no objects/: not a repository
    for path in ("config", "HEAD", "docs/HEAD", "docs/config", "docs/refs/x", "app/config"):
        assert not await _approved_write(approver, asker, repo, path, "text\n"), path
    assert (repo / "docs" / "HEAD").read_text() == "text\n"


def test_what_the_file_tools_ask_about_is_what_git_takes_for_a_repository(repo: Path) -> None:
    """Allowed writes build the folder; git itself confirms it became a repository."""
    from assistant.tools.paths import repository_reason

    x = repo / "x"
    files = {"HEAD": "ref: refs/heads/main\n", "objects/info/packs": "", "refs/heads/.k": ""}
    for name, text in files.items():
        (x / name).parent.mkdir(parents=True, exist_ok=True)
        (x / name).write_text(text)
    assert repository_reason(repo, x / "config")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # Git as it comes: not a config that refuses bare repositories, as README advises.
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    r = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=x, capture_output=True, env=env)
    assert r.returncode == 0 and r.stdout.strip() == b".", r.stderr
    (x / "refs" / "heads" / ".k").unlink()
    (x / "refs" / "heads").rmdir()
    (x / "refs").rmdir()
    assert repository_reason(repo, x / "config") is None
    r = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=x, capture_output=True, env=env)
    assert r.returncode != 0 or Path(r.stdout.decode().strip()).resolve() != x.resolve()
