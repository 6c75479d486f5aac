"""Where a configured MCP server may run: what counts as workspace content.

Placement is the trust decision: a stdio server whose command comes from the workspace
(a project file; a program, an argument or an ``env`` value naming a path inside the
workspace; or a working directory inside it) runs in the Docker sandbox, never on the
host; one from the user's own config runs on the host, in a neutral directory (see
``neutral_cwd``) unless it names its own ``cwd``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path


class ConfigProblem(Exception):
    """A server's configuration cannot be used; the message says why and how to fix it."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused
        """True when the server was refused on purpose (trust), not broken."""


_TOKEN_SPLIT = re.compile(r"[\s=:;,&|()<>\"'`$]+")
"""What separates paths inside one argument: shell code (``sh -c``), ``--opt=value``,
``PATH``-like lists. Whatever lies between is checked as a path of its own."""
_ATTACHED = re.compile(r"-+[A-Za-z]*?([./~].*)")
"""A short option with its value attached: ``-I./inc``, ``-r./hook.js``."""


def _candidates(text: str) -> Iterator[str]:
    """``text`` itself, then each piece of it that could name a path."""
    yield text
    for token in _TOKEN_SPLIT.split(text):
        if token:
            yield token
            attached = _ATTACHED.fullmatch(token)
            if attached:
                yield attached.group(1)


def _workspace_path(text: str, root: Path, cwd: Path) -> Path | None:
    """Where ``text``, as a path from ``cwd``, lies in the workspace ``root``, if it does.

    Either its own spelling is inside (a symlink there can be swapped by the workspace
    before the program opens it) or it resolves inside, following symlinks.
    """
    if "\0" in text:
        return None
    path = cwd / os.path.expanduser(text)  # an absolute path stays as it is
    lexical = Path(os.path.normpath(path))
    if lexical.is_relative_to(root):
        return lexical
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a name too long, a symlink loop
        return None
    return real if real.is_relative_to(root) else None


def workspace_reference(
    command: list[str],
    env: Mapping[str, str],
    workspace: Path,
    cwd: Path,
    path_env: str | None = None,
) -> str | None:
    """Why ``command`` with ``env``, started in ``cwd``, counts as workspace content.

    The program itself (a bare name as ``PATH`` finds it) or any argument, any part of
    one (``--prefix=.``, ``sh -c "./start.sh"``, ``-r./hook.js``) or any ``env`` value
    (``PYTHONPATH``, ``NODE_OPTIONS``) that names a path inside the workspace: a
    launcher handed such a path (``python -X dev srv.py``, ``uv run --directory``,
    ``npx --prefix``, ``node --require``) runs or reads code from there. A path that
    only contains the workspace (``/``, your home) does not count. None when nothing does.
    """
    root = workspace.resolve()
    program = command[0]
    found = program if "/" in program else shutil.which(program, path=path_env)
    if found is not None and (path := _workspace_path(found, root, cwd)) is not None:
        return f"its command comes from {path} in the workspace"
    for arg in command[1:]:
        for text in _candidates(arg):
            if (path := _workspace_path(text, root, cwd)) is not None:
                return f"its command comes from {path} in the workspace"
    for key, value in env.items():
        for text in _candidates(value):
            if text and (path := _workspace_path(text, root, cwd)) is not None:
                return f"its env {key} names {path} in the workspace"
    return None


def neutral_cwd(workspace: Path, candidates: list[Path]) -> Path:
    """The first existing directory in ``candidates`` outside ``workspace`` (else /).

    A host server started in the workspace would pick up its code: ``npx`` runs
    ``node_modules/.bin`` from there, ``python -m`` imports its modules, ``uvx`` reads
    its ``uv.toml``.
    """
    root = workspace.resolve()
    for path in candidates:
        real = path.resolve()
        if real.is_dir() and not real.is_relative_to(root):
            return real
    return Path("/")


def inside_workspace(path: Path, workspace: Path) -> bool:
    """Whether ``path`` is inside ``workspace``, as spelled or once symlinks are followed."""
    return _workspace_path(str(path), workspace.resolve(), Path("/")) is not None
