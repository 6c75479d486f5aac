"""Git on the host, hardened: the workspace's repository is input, never a program.

A repository's ``.git/config`` (or one written by a command, or shipped in a tarball)
can name programs that git runs: ``core.fsmonitor``, ``core.pager``, ``diff.external``,
textconv and clean/smudge filters, hooks.  So the host only runs plumbing that executes
none of them (``ls-tree``, ``cat-file``, ``rev-parse``, ``hash-object --no-filters``),
with command-line overrides for the rest, no system or global config, no ``GIT_*``
variables from our environment, and computes diffs itself.
"""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import os
from pathlib import Path

from assistant.tools.childproc import stop_child
from assistant.tools.hostpath import host_env, host_which
from assistant.tools.safeio import read_regular

GIT_TIMEOUT_S = 20.0
MAX_DIFF_BYTES = 1 << 20
"""Tracked files larger than this (either side) are named in a diff, not compared by line."""

# Command-line config beats every file; each names a program git could otherwise run.
_OVERRIDES = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.editor=false",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.attributesFile=/dev/null",
    "diff.external=",
    "credential.helper=",
    "protocol.allow=never",
    "core.untrackedCache=false",
    "gc.auto=0",
    "maintenance.auto=false",
)


def git_env(workspace: Path | None = None) -> dict[str, str]:
    """Our environment minus every ``GIT_*`` variable, with no system or global config;
    with a ``workspace``, ``PATH`` keeps only directories outside it (``hostpath``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if workspace is not None:
        env = host_env(workspace, env)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_SYSTEM=os.devnull,
        GIT_ATTR_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_NO_REPLACE_OBJECTS="1",
    )
    return env


def git_argv(git: str, workspace: Path, *args: str) -> list[str]:
    argv = [git, "--no-pager", "-C", str(workspace)]
    for item in _OVERRIDES:
        argv += ["-c", item]
    return [*argv, *args]


async def run_git(workspace: Path, *args: str) -> tuple[int, bytes]:
    """(exit code, stdout) of a hardened git command; (127, b"") when git is missing
    (or found only in the workspace, see ``hostpath``)."""
    git = host_which("git", workspace)
    if git is None:
        return 127, b""
    try:
        proc = await asyncio.create_subprocess_exec(
            *git_argv(git, workspace, *args),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=git_env(workspace),
        )
    except OSError:
        return 127, b""
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), GIT_TIMEOUT_S)
    except TimeoutError:
        return 124, b""
    finally:
        await stop_child(proc)
    return proc.returncode or 0, out


def _blob_id(data: bytes, algo: str) -> str:
    h = hashlib.new(algo)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def _worktree_bytes(path: Path, mode: str) -> tuple[bytes, int] | None:
    """What git would store for this path (the link target for a symlink), at most
    ``MAX_DIFF_BYTES`` of it, and its full size; None if gone.

    ``path`` is absolute and resolved up to its parent: a parent reached through a
    symlink (a directory a command replaced with a link out of the workspace) or named
    with ``..`` (a crafted tree) is not the work tree, so the path counts as gone, as
    it does for git.  Only a regular file is read (a FIFO swapped in would block).
    """
    try:
        if os.path.realpath(path.parent) != str(path.parent):
            return None
        if mode == "120000":
            target = os.readlink(path).encode()
            return target, len(target)
        return read_regular(path, MAX_DIFF_BYTES)
    except OSError:
        return None


async def _same_blob(workspace: Path, name: str, oid: str) -> bool:
    """Whether the work-tree file ``name`` hashes to ``oid`` (git streams it; no filters)."""
    rc, out = await run_git(workspace, "hash-object", "--no-filters", "--", name)
    return rc == 0 and out.strip().decode() == oid


def _text(data: bytes) -> str | None:
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")


async def worktree_diff(workspace: Path) -> str:
    """Unified diff of HEAD against the working tree under ``workspace`` (tracked files).

    Content is compared as stored (no clean filters, no textconv), so files that a
    filter rewrites show up as changed; that is the price of running nothing.
    """
    workspace = Path(os.path.realpath(workspace))
    rc, fmt = await run_git(workspace, "rev-parse", "--show-object-format")
    if rc != 0:
        return ""
    algo = "sha256" if fmt.strip() == b"sha256" else "sha1"
    rc, listing = await run_git(workspace, "ls-tree", "-r", "-l", "-z", "HEAD")
    if rc != 0:
        return ""
    chunks: list[str] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        if kind != "blob":
            continue
        name = raw_name.decode("utf-8", "surrogateescape")
        got = _worktree_bytes(workspace / name, mode)
        if int(size) > MAX_DIFF_BYTES or (got is not None and got[1] > MAX_DIFF_BYTES):
            # Named, not diffed: neither side is read whole (a command can write 4 GB).
            if got is None or got[1] != int(size) or not await _same_blob(workspace, name, oid):
                chunks.append(f"Large file {name} differs\n")
            continue
        current = got[0] if got is not None else None
        if current is not None and _blob_id(current, algo) == oid:
            continue
        rc, old = await run_git(workspace, "cat-file", "blob", oid)
        if rc != 0:
            continue
        before, after = _text(old), _text(current or b"")
        if before is None or after is None:
            chunks.append(f"Binary file {name} differs\n")
            continue
        chunks.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile="/dev/null" if current is None else f"b/{name}",
            )
        )
    return "".join(c if c.endswith("\n") else c + "\n" for c in chunks)
