"""Workspace paths the host later runs, kept read-only inside the sandbox.

Git config and hooks, ``.envrc``, editor tasks, the project's virtualenv, CI workflows and
this assistant's own ``.assistant.toml`` are all read or executed by programs on the host.
A command in the sandbox must not be able to write them, so each is bind-mounted
read-only over the read-write workspace mount. They change only through the file tools,
which ask the user first.

Only top-level names are protected: a read-only mount on a nested path (``.github/workflows``)
could be sidestepped by renaming its parent.  When git's ``core.hooksPath`` points into the
workspace (``.githooks``, ``scripts/hooks``), the top-level name it lies under is protected
too, like ``.git``: git on the host runs those hooks.  So is a virtualenv under another
name than ``.venv`` (a top-level directory with a ``pyvenv.cfg``: ``venv``, ``env``).

When a name does not exist yet: the directories whose mere creation lets code run on the
host later (a ``.git`` or ``.hg`` with hooks and config, a ``.venv`` that editors run,
editor tasks, CI workflows) get an empty placeholder directory for the session, mounted
read-only, so creating them inside the sandbox fails too; it is removed when the sandbox
closes if still empty, the file tools do not list it, and git ignores empty directories.
The others are left to be created: each asks its own tool's trust first or is inert
without one of the above (``.assistant.toml`` is pinned by hash in ``assistant trust``,
``.envrc`` needs ``direnv allow``, ``mise.toml`` needs ``mise trust``, ``.gitattributes``
names programs only through ``.git/config``).

New names cannot be kept out by a mount, and some run on the host too: a ``HEAD`` file
beside ``objects/`` and ``refs/`` (with a ``config`` naming a ``core.fsmonitor`` or
``core.pager``) makes that folder a repository for git on the host.  Where the root has no
real ``.git``, a read-only ``HEAD`` placeholder keeps the root itself from becoming one;
anywhere else :class:`RepositoryWatch` names such folders after each command, and once
more when the sandbox closes, after its background processes are stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import subprocess
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.tools.hostpath import host_env, host_which
from assistant.tools.paths import is_git_directory
from assistant.tools.sandbox.base import ExecResult

# Read-only when present.
PROTECTED = (
    ".git",
    ".hg",
    ".github",
    ".gitlab",
    ".circleci",
    ".vscode",
    ".idea",
    ".devcontainer",
    ".husky",
    ".venv",
    ".direnv",  # direnv's `layout python` virtualenv, on the PATH of the user's shell
    ".jj",  # Jujutsu's repository and its config (ui.pager, ...), like .git
    ".envrc",
    ".assistant.toml",
    ".gitmodules",
    ".gitattributes",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "mise.toml",
    ".mise.toml",
    ".tool-versions",
    ".cargo",  # config.toml: the runner and rustc-wrapper cargo runs
    ".yarnrc.yml",  # yarnPath: the program `yarn` runs
    ".yarnrc",
    ".pnpmfile.cjs",  # hooks pnpm runs on install
    ".mvn",  # the wrapper's Maven, extensions and JVM options any `mvn` loads
)
# Created as an empty placeholder directory when missing.
PLACEHOLDERS = (".git", ".hg", ".venv", ".vscode", ".github")
# Without a real .git at the root, git on the host takes the root itself for a bare
# repository once it holds HEAD, objects/ and refs/ (with a config naming a fsmonitor or
# pager): a read-only directory named HEAD (missing: a placeholder) stops that.
BARE_GUARD = "HEAD"
_live: set[Path] = set()  # placeholders of open sandboxes in this process
# An empty directory with the sticky bit: how a placeholder is told from the user's own.
PLACEHOLDER_MODE = 0o1755


def _is_leftover(p: Path) -> bool:
    try:
        st = p.lstat()
        return (
            stat.S_ISDIR(st.st_mode)
            and stat.S_IMODE(st.st_mode) == PLACEHOLDER_MODE
            and st.st_uid == os.getuid()
            and not any(p.iterdir())
        )
    except OSError:
        return False


def is_placeholder(path: Path) -> bool:
    """True for an (empty) placeholder an open sandbox created; file tools skip it."""
    return path in _live


@dataclass
class ProtectedMounts:
    """The read-only mounts for one sandbox session, and the placeholders it created."""

    workspace: Path
    paths: list[Path] = field(default_factory=list)
    """Host paths (all existing now) to bind read-only at the same place in the workspace."""
    placeholders: list[Path] = field(default_factory=list)

    def cleanup(self) -> None:
        """Remove the placeholders that are still empty (call after the sandbox is gone)."""
        for p in reversed(self.placeholders):
            _live.discard(p)
            with contextlib.suppress(OSError):
                if p.is_symlink():
                    continue
                if p.is_dir():
                    p.rmdir()  # fails unless empty
                elif p.stat().st_size == 0:
                    p.unlink()
        self.placeholders.clear()


class ProtectError(Exception):
    """A protected name cannot be kept read-only; the message names it and the fix."""


def hooks_entry(root: Path) -> str | None:
    """The top-level name under ``root`` holding git's hooks when ``core.hooksPath`` points
    into the workspace (``.githooks`` for ``core.hooksPath = .githooks``), else None.

    Asks git (``rev-parse`` runs nothing the repository configures) with the user's own
    git config, as a ``git commit`` on the host would see it; the path is taken as written,
    not through symlinks, which a command could replace.
    """
    git = host_which("git", root)
    if git is None:
        return None
    # Not the GIT_DIR/GIT_WORK_TREE of whatever runs us; the user's GIT_CONFIG_* stay.
    env = {
        k: v
        for k, v in host_env(root).items()
        if not k.startswith("GIT_") or k.startswith("GIT_CONFIG_")
    }
    try:
        r = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--git-path", "hooks"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env={**env, "GIT_OPTIONAL_LOCKS": "0"},
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = os.fsdecode(r.stdout).rstrip("\n")
    if r.returncode != 0 or not out:
        return None
    hooks = Path(os.path.normpath(root / out))
    if hooks == root or not hooks.is_relative_to(root):
        return None  # outside the workspace (or the workspace itself)
    return hooks.relative_to(root).parts[0]


def virtualenvs(root: Path) -> tuple[str, ...]:
    """Top-level directories holding a ``pyvenv.cfg``: virtualenvs under any name
    (``venv``, ``env``), which the host runs once activated, like ``.venv``."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple(
        e.name
        for e in entries
        if e.name not in PROTECTED
        and e.is_dir(follow_symlinks=False)
        and os.path.isfile(os.path.join(e.path, "pyvenv.cfg"))
    )


def check_workspace(root: Path) -> None:
    """Refuse a workspace that holds the home directory or the assistant's own config.

    Everything there would be writable from the sandbox: shell startup files and
    ``~/.ssh`` that the host runs or trusts, and the config that says what the user
    allowed.
    """
    from assistant.config import user_config_path

    try:
        home: Path | None = Path.home()
    except RuntimeError:
        home = None
    if home is not None and Path(os.path.realpath(home)).is_relative_to(root):
        raise ProtectError(
            f"The workspace {root} holds your home directory, whose shell startup files "
            "and config the sandbox cannot keep read-only; start in a project directory."
        )
    config = user_config_path()
    if Path(os.path.realpath(config.parent)).is_relative_to(root):
        raise ProtectError(
            f"The workspace {root} holds your assistant config {config}, which commands "
            "could rewrite; start in a project directory (or set ASSISTANT_CONFIG elsewhere)."
        )


def prepare(workspace: Path) -> ProtectedMounts:
    """Create the placeholders and list what to mount read-only.

    A protected name that is a symlink cannot be protected (a mount follows the link, and
    the link itself could be replaced from inside), so it is refused, and so is a
    workspace holding the home directory or the user's config (``check_workspace``).
    """
    root = Path(os.path.realpath(workspace))
    check_workspace(root)
    out = ProtectedMounts(root)
    hooks = hooks_entry(root)
    extra = (hooks,) if hooks and hooks not in PROTECTED else ()
    venvs = tuple(v for v in virtualenvs(root) if v not in extra)
    for name in (*PROTECTED, *extra, *venvs):
        _protect(out, name, create=name in PLACEHOLDERS or name in extra)
    git = root / ".git"
    if not (git.is_file() or (git not in out.placeholders and is_git_directory(git))):
        _protect(out, BARE_GUARD, create=True)
    return out


def _protect(out: ProtectedMounts, name: str, *, create: bool) -> None:
    """Add ``name`` (top-level) to the read-only mounts; when missing and ``create``, as a
    placeholder directory."""
    p = out.workspace / name
    if p.is_symlink():
        out.cleanup()
        raise ProtectError(
            f"{p} is a symlink, which the sandbox cannot keep read-only; "
            "replace it with the real file or directory."
        )
    if _is_leftover(p):  # from a session that was killed before it could clean up
        out.placeholders.append(p)
        _live.add(p)
    elif not p.exists():
        if not create:
            return
        try:
            p.mkdir()
            os.chmod(p, PLACEHOLDER_MODE)
        except OSError:
            return
        out.placeholders.append(p)
        _live.add(p)
    out.paths.append(p)


def _fingerprint(d: str) -> tuple[tuple[int, int, int] | None, ...]:
    """What changes when a command rewrites the repository's config, HEAD or hooks."""
    out: list[tuple[int, int, int] | None] = []
    for name in ("config", "HEAD", "hooks", "commondir"):
        try:
            st = os.lstat(os.path.join(d, name))
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def repository_dirs(
    root: Path,
    *,
    skip: frozenset[str] = frozenset({".git"}),
    max_dirs: int = 10_000,
) -> dict[str, tuple[tuple[int, int, int] | None, ...]]:
    """Directories under ``root`` (``.`` for itself) that git would take for a repository
    directory: a ``HEAD`` file beside ``objects/`` and ``refs/`` (git's
    ``is_git_directory``), bare or a nested ``.git``; the top-level names in ``skip`` (the
    real ``.git``, read-only mounts) are left out.  Breadth-first, bounded in directories
    (not in time: two scans of an unchanged tree must see the same folders); symlinks are
    not followed."""
    found: dict[str, tuple[tuple[int, int, int] | None, ...]] = {}
    skipped = {os.path.join(str(root), name) for name in skip}
    queue = deque([str(root)])
    seen = 0
    while queue and seen < max_dirs:
        d = queue.popleft()
        seen += 1
        try:
            with os.scandir(d) as it:
                entries = {e.name: e for e in it}
        except OSError:
            continue
        try:
            markers = {"objects", "refs"} <= entries.keys() or "commondir" in entries
            if "HEAD" in entries and markers and is_git_directory(d):
                found[os.path.relpath(d, root)] = _fingerprint(d)
                continue  # its insides are git's
            queue.extend(
                e.path
                for e in entries.values()
                if e.is_dir(follow_symlinks=False) and e.path not in skipped
            )
        except OSError:
            continue
    return found


class RepositoryWatch:
    """Tells the user when a sandbox command leaves a git repository directory in the
    workspace (or rewrites one's config, HEAD or hooks).

    Git on the host, run in such a folder, reads that repository's config, and its
    ``core.fsmonitor`` or ``core.pager`` run programs: a read-only mount cannot stop new
    names, so ``check()`` after each command names them instead.  Repositories that were
    there when the sandbox started are not reported unless they change.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        # Present now, so read-only in the sandbox: nothing is planted there (and
        # virtualenvs are big).  A protected name created later is scanned.
        self.skip = frozenset(
            name
            for name in (*PROTECTED, *virtualenvs(self.root))
            if (self.root / name).is_dir() and not (self.root / name).is_symlink()
        )
        self.known = repository_dirs(self.root, skip=self.skip)

    def changed(self) -> list[str]:
        """The repository directories new or changed since the last call (or the start)."""
        now = repository_dirs(self.root, skip=self.skip)
        changed = sorted(rel for rel, fp in now.items() if self.known.get(rel) != fp)
        self.known.update(now)
        return changed

    def check(self) -> str | None:
        """One warning naming the new or changed repository directories, or None."""
        return repository_warning(self.changed())


def repository_warning(changed: list[str], *, when: str = "") -> str | None:
    """The warning naming the repository directories in ``changed`` (None when empty);
    ``when`` says when they were written, when it was not during a command."""
    if not changed:
        return None
    # Names come from the workspace: a newline or ESC in one must not hide the warning.
    names = [rel if rel.isprintable() else ascii(rel) for rel in changed]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    advice = "Delete it unless you expected it"
    if any(os.path.basename(rel) != ".git" for rel in changed):
        advice += (
            "; `git config --global safe.bareRepository explicit` makes git refuse a bare "
            "one like this (not a nested .git)"
        )
    return (
        f"[sandbox warning] {when}git repository data was written in the workspace at "
        f"{shown} (a HEAD file beside objects/ and refs/): git on your machine, run in that "
        "folder, would use its config, which can run programs (core.fsmonitor, core.pager). "
        f"{advice}."
    )


class RepositoryGuard:
    """Runs a sandbox's commands and puts a :class:`RepositoryWatch` warning first in the
    output of any command that leaves a repository directory behind."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._watch: RepositoryWatch | None = None

    async def run(self, command: Callable[[], Awaitable[ExecResult]]) -> ExecResult:
        """Run ``command``, then check what it left."""
        if self._watch is None:  # before the first command: what the workspace holds
            self._watch = await asyncio.to_thread(RepositoryWatch, self.root)
        res = await command()
        warning = await asyncio.to_thread(self._watch.check)
        if warning:  # first: the transcript shows a long output's head
            res.output = f"{warning}\n{res.output}"
        return res

    async def last_check(self) -> str | None:
        """The warning for repository directories written since the last command (by a
        background process it left, or by the file tools, which run on the host), or None.
        Call it once the sandbox's processes are gone, as it closes: no command output is
        left to carry the warning, so the caller shows it to the user."""
        if self._watch is None:  # no command ran: the sandbox never started
            return None
        changed = await asyncio.to_thread(self._watch.changed)
        return repository_warning(changed, when="After the sandbox's last command, ")
