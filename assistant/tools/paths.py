"""Workspace confinement: every path a tool touches must resolve inside the workspace.

Resolution follows symlinks (``os.path.realpath``), so a link inside the
workspace that points out (``ws/x -> /``) is refused, while a link whose
target stays inside is fine.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath
from typing import IO

from assistant.tools.base import ToolError

SANDBOX_MOUNT = "/workspace"
"""Where the workspace is mounted inside the container; the model sees paths under it."""


def workspace_root(workspace: Path | str) -> Path:
    return Path(os.path.realpath(os.fspath(workspace)))


def _from_sandbox_mount(raw: str) -> str | None:
    """``/workspace/x`` as the workspace-relative ``x`` ('.' for the mount itself), else None."""
    if raw.rstrip("/") == SANDBOX_MOUNT:
        return "."
    if raw.startswith(SANDBOX_MOUNT + "/"):
        return raw[len(SANDBOX_MOUNT) + 1 :].lstrip("/") or "."
    return None


def resolve_in_workspace(workspace: Path | str, path: str | os.PathLike[str]) -> Path:
    """The real absolute path of ``path`` (relative to ``workspace``), refusing escapes.

    ``/workspace/...`` (the container's mount point, which the model sees in shell
    output) is an alias of the workspace root, like the host's absolute path.

    Raises ToolError for NUL bytes, ``..`` escapes, absolute paths outside the
    workspace, and symlinks (of the file or any parent) that point outside it.
    """
    raw = os.fspath(path)
    if "\x00" in raw:
        raise ToolError(f"Path {raw!r} contains a NUL byte; pass a plain file path.")
    if not raw.strip():
        raise ToolError("Path is empty; pass a file path relative to the workspace.")
    root = workspace_root(workspace)
    mounted = _from_sandbox_mount(raw)
    # A host workspace that really lives under /workspace takes the path literally.
    use_alias = mounted is not None and not Path(SANDBOX_MOUNT).is_relative_to(root)
    raw_rel = mounted if use_alias and mounted is not None else raw
    expanded = os.path.expanduser(raw_rel) if raw_rel.startswith("~") else raw_rel
    candidate = Path(expanded)
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        real = Path(os.path.realpath(candidate))
    except OSError as exc:  # a link swapped for a directory halfway through resolving
        raise ToolError(
            f"Path {raw!r} changed while being resolved ({exc.strerror}); try again."
        ) from None
    if not real.is_relative_to(root):
        raise ToolError(
            f"Path {raw!r} is outside the workspace {root}; "
            "use a path inside the workspace (relative paths are relative to it)."
        )
    return real


def relative_to_workspace(workspace: Path | str, real: Path) -> str:
    """The workspace-relative POSIX form of an already-resolved path ('.' for the root)."""
    root = workspace_root(workspace)
    try:
        rel = real.relative_to(root)
    except ValueError:
        return str(real)
    return rel.as_posix() or "."


# (prefix or exact name, reason). Matched against the workspace-relative POSIX path.
_SENSITIVE_EXACT: dict[str, str] = {
    ".git/config": "changes git configuration (can run commands via hooks/aliases)",
    ".envrc": "direnv runs this file automatically when you enter the directory",
    ".assistant.toml": "changes this assistant's own project settings and permissions",
    ".gitmodules": "changes where git fetches submodules from",
    ".pre-commit-config.yaml": "pre-commit runs these commands on every commit",
    ".npmrc": "changes package-manager settings (registries, scripts)",
    ".pypirc": "holds package-index credentials",
    ".netrc": "holds network credentials",
    ".bashrc": "the shell runs this file automatically",
    ".zshrc": "the shell runs this file automatically",
    ".profile": "the shell runs this file automatically",
}
_SENSITIVE_PREFIX: dict[str, str] = {
    ".git/hooks/": "git runs hook scripts automatically",
    ".git/": "writes inside the git repository's internals",
    ".vscode/": "editor settings and tasks can run commands when the folder opens",
    ".idea/": "IDE settings and run configurations can run commands",
    ".github/workflows/": "CI workflows run with the repository's secrets",
    ".gitlab-ci": "CI pipelines run with the repository's secrets",
    ".circleci/": "CI pipelines run with the repository's secrets",
    ".devcontainer/": "dev-container settings run commands when the folder opens",
    ".husky/": "git hooks run automatically",
    ".ssh/": "SSH keys and config",
}


_EXTRA_EXACT: dict[str, str] = {
    ".gitattributes": "git attributes can name filter and diff programs",
    "mise.toml": "mise runs tasks and hooks from this file",
    ".mise.toml": "mise runs tasks and hooks from this file",
    ".tool-versions": "version managers install and run what this file names",
    ".gitlab-ci.yml": "CI pipelines run with the repository's secrets",
}
_EXTRA_PREFIX: dict[str, str] = {
    ".venv/": "the project's virtualenv: tools on your machine run its programs",
    ".hg/": "writes inside the Mercurial repository's internals (hgrc can run commands)",
    ".github/actions/": "CI actions run with the repository's secrets",
    ".gitlab/": "CI configuration the pipelines include runs with the repository's secrets",
    ".jj/": "writes inside the Jujutsu repository (its config can name programs)",
    ".direnv/": "direnv's virtualenv, whose programs your shell runs",
    ".cargo/": "cargo runs the programs its config names",
    ".mvn/": "every mvn loads the wrapper, extensions and JVM options here",
}


# Matched as the path's last components, in any folder: the tools read them from the
# directory they run in and its parents, and each names a program they then run.
_SENSITIVE_TAIL: dict[str, str] = {
    ".cargo/config.toml": "cargo runs the runner and rustc-wrapper programs it names",
    ".cargo/config": "cargo runs the runner and rustc-wrapper programs it names",
    ".yarnrc.yml": "yarn runs the program its yarnPath names",
    ".yarnrc": "yarn runs the program its yarn-path names",
    ".pnpmfile.cjs": "pnpm runs this file's hooks when it installs",
    "gradle/wrapper/gradle-wrapper.properties": "./gradlew downloads and runs the Gradle it names",
    ".mvn/wrapper/maven-wrapper.properties": "./mvnw downloads and runs the Maven it names",
}


def sensitive_reason(rel_path: str) -> str | None:
    """Why a write to this workspace-relative path needs explicit approval, or None.

    Compared case-insensitively (``.GIT/config`` is ``.git/config`` on macOS and Windows
    file systems); a ``.git`` anywhere on the path (nested repositories, submodule
    gitlink files) counts.
    """
    p = PurePosixPath(rel_path.replace("\\", "/"))
    parts = [x for x in p.parts if x not in ("", ".")]
    shown = "/".join(parts)
    norm = shown.lower()
    lowered = [x.lower() for x in parts]
    name = lowered[-1] if lowered else ""
    exact = {**_SENSITIVE_EXACT, **_EXTRA_EXACT}
    if norm in exact:
        return f"{shown}: {exact[norm]}"
    for tail, reason in _SENSITIVE_TAIL.items():
        if norm == tail or norm.endswith("/" + tail):
            return f"{shown}: {reason}"
    if name == ".env" or name.startswith(".env."):
        return f"{shown}: environment files usually hold secrets"
    if name == ".envrc":
        return f"{shown}: {_SENSITIVE_EXACT['.envrc']}"
    for prefix, reason in {**_SENSITIVE_PREFIX, **_EXTRA_PREFIX}.items():
        if norm.startswith(prefix) or (norm + "/") == prefix:
            return f"{shown}: {reason}"
    if ".git" in lowered or ".hg" in lowered:  # nested repositories, gitlink files
        return f"{shown}: writes inside a repository's internals"
    return None


# What git's ``is_git_directory`` (setup.c) checks: a HEAD beside objects/ and refs/, or a
# HEAD beside a ``commondir`` file naming where those are (a worktree's admin directory).
_REPO_HEAD = "head"
_REPO_DIRS = ("objects", "refs")
_REPO_COMMONDIR = "commondir"


def repository_reason(workspace: Path | str, real: Path) -> str | None:
    """Why writing the already-resolved ``real`` needs explicit approval because it lies in
    a directory that is, or with this write would become, a git repository directory
    (a bare repository planted in the workspace), else None.

    Git on the host, run in or below such a folder, uses its config, whose
    ``core.fsmonitor`` or ``core.pager`` run programs.  Each folder from ``real``'s parent
    up to the workspace root is checked as it would be after the write: the write
    supplies HEAD or commondir when it is that file, and objects/ or refs/ when it lies
    under them.  An ordinary ``config`` or ``HEAD`` in a folder without the other
    markers is fine.
    """
    root = workspace_root(workspace)
    if not real.is_relative_to(root) or real == root:
        return None
    rel_parts = [x.lower() for x in real.relative_to(root).parts]
    folder = real.parent
    for depth in range(len(rel_parts) - 1, -1, -1):
        below = rel_parts[depth:]  # the written path's components inside ``folder``
        adds, under = (below[0], None) if len(below) == 1 else (None, below[0])
        if is_git_directory(folder, adds=adds, adds_under=under):
            where = relative_to_workspace(root, folder)
            shown = relative_to_workspace(root, real)
            return (
                f"{shown}: makes or changes a git repository directory at {where!r} "
                "(a HEAD beside objects/ and refs/); git on your machine, run in that "
                "folder, would use its config, which can run programs "
                "(core.fsmonitor, core.pager)"
            )
        folder = folder.parent
    return None


def is_git_directory(
    folder: Path | str, *, adds: str | None = None, adds_under: str | None = None
) -> bool:
    """Whether git takes ``folder`` for a repository directory: a HEAD beside objects/ and
    refs/, or beside a commondir file.  Git takes a symlinked HEAD by its target's name
    (``refs/...``), even one that points at a directory.  For a pending write, ``adds`` is
    the lower-cased name of the file it puts directly in ``folder`` and ``adds_under`` the
    lower-cased folder it lands under, both counted as present."""
    folder = Path(folder)
    head_path = folder / "HEAD"
    head = (
        adds == _REPO_HEAD
        or head_path.is_symlink()
        or (head_path.exists() and not head_path.is_dir())
    )
    if not head:
        return False
    if adds == _REPO_COMMONDIR or os.path.isfile(folder / "commondir"):
        return True
    return all(adds_under == name or os.path.isdir(folder / name) for name in _REPO_DIRS)


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write`` for UTF-8 text."""
    atomic_write(path, text.encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename.

    Keeps the permission bits of a file it replaces; creates missing parent dirs.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode: int | None = None
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def open_private_append(path: Path) -> IO[str]:
    """Open ``path`` for appending text, readable by the owner only (``0600`` in ``0700``).

    Session logs and undo journals hold file contents the model read (a ``.env``...).
    Missing parent directories are created ``0700``; the direct parent is tightened to
    ``0700`` and an existing file to ``0600``.
    """
    parent = path.parent
    missing = [p for p in (parent, *parent.parents) if not p.exists()]
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=0o700)
    with contextlib.suppress(OSError):
        if stat.S_IMODE(parent.stat().st_mode) & 0o077:
            os.chmod(parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise
