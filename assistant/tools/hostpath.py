"""Programs the host runs (``rg``, ``git``, ``bash``, ``bwrap``), found only where the
workspace cannot put them.

A ``PATH`` entry that is relative (``./node_modules/.bin``, ``bin``, or an empty one,
meaning the current directory) is looked up from wherever the assistant happens to be,
usually the workspace; an absolute entry may lie inside the workspace (a direnv-added
``$PWD/bin``).  A command in the sandbox writes there, so a program found through such an
entry is workspace content run on the host.  Lookups keep only absolute directories
outside the workspace, the executable is passed to the child by its absolute path, and
host children get ``PATH`` filtered the same way (a child that runs ``git`` by name, or
whose own ``PATH`` walk the workspace could steer).
"""

from __future__ import annotations

import os
from pathlib import Path


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    """Whether ``path`` (normalised and resolved) lies in one of ``roots``."""
    spelled = os.path.normpath(path)
    real = os.path.realpath(path)
    return any(
        p == root or p.startswith(root.rstrip("/") + "/") for p in (spelled, real) for root in roots
    )


def _roots(workspace: Path | str | None) -> tuple[str, ...]:
    """The workspace as spelled and as resolved. Without one (a sandbox build, the
    doctor): the current directory, most likely the project; but never ``/``, under which
    every directory lies, so there only the relative entries go."""
    base = os.fspath(workspace) if workspace is not None else os.getcwd()
    if workspace is None and os.path.realpath(base) == "/":
        return ()
    return tuple(dict.fromkeys((os.path.normpath(os.path.abspath(base)), os.path.realpath(base))))


def host_path_dirs(workspace: Path | str | None, path: str | None = None) -> list[str]:
    """The entries of ``path`` (our ``PATH`` when None) a host program may come from:
    absolute directories outside ``workspace``, in their order."""
    path = os.environ.get("PATH", os.defpath) if path is None else path
    roots = _roots(workspace)
    return [d for d in path.split(os.pathsep) if os.path.isabs(d) and not _inside(d, roots)]


def host_path(workspace: Path | str | None, path: str | None = None) -> str:
    """``PATH`` for a child on the host: ``host_path_dirs`` joined again."""
    return os.pathsep.join(host_path_dirs(workspace, path))


def host_env(workspace: Path | str | None, env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (a copy of ours when None) with its ``PATH`` filtered by ``host_path``."""
    out = dict(os.environ if env is None else env)
    out["PATH"] = host_path(workspace, out.get("PATH", os.defpath))
    return out


def host_which(name: str, workspace: Path | str | None) -> str | None:
    """The absolute path of the executable ``name`` in ``host_path_dirs``, else None.

    An executable that is a symlink into the workspace is passed over as well.
    """
    roots = _roots(workspace)
    for d in host_path_dirs(workspace):
        candidate = os.path.join(d, name)
        if (
            os.path.isfile(candidate)
            and os.access(candidate, os.X_OK)
            and not _inside(candidate, roots)
        ):
            return candidate
    return None
