"""Where a configured MCP server may run: what counts as workspace content.

Placement is the trust decision: a stdio server whose command comes from the workspace
(a project file, a program inside the workspace, or a working directory inside it) runs
in the Docker sandbox, never on the host; one from the user's own config runs on the
host, in a neutral directory (see ``neutral_cwd``) unless it names its own ``cwd``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path, PurePath

# Programs that run the script named by their first non-option argument.
INTERPRETERS = frozenset(
    {"python", "python3", "node", "deno", "bun", "bash", "sh", "zsh", "ruby", "perl", "php"}
)


class ConfigProblem(Exception):
    """A server's configuration cannot be used; the message says why and how to fix it."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused
        """True when the server was refused on purpose (trust), not broken."""


def _is_interpreter(program: str) -> bool:
    base = PurePath(program).name
    return base in INTERPRETERS or bool(re.fullmatch(r"python3(\.\d+)?", base))


def workspace_program(
    command: list[str], workspace: Path, cwd: Path, path_env: str | None = None
) -> Path | None:
    """The file inside ``workspace`` that ``command`` would run, if any.

    Checks the program itself (a bare name as PATH finds it) and, for interpreters, the
    script (``python server.py``) or module (``python -m pkg``, which imports from the
    working directory first). Relative paths resolve against ``cwd``, where it starts.
    """
    root = workspace.resolve()
    program = command[0]
    if "/" in program:
        found: str | None = str(cwd / os.path.expanduser(program))
    else:
        found = shutil.which(program, path=path_env)
    if found is not None and Path(found).resolve().is_relative_to(root):
        return Path(found).resolve()
    if not _is_interpreter(program):
        return None
    args = command[1:]
    if any(a in ("-c", "-e", "--eval") for a in args):
        return None  # inline code written in the config, not a file
    if "-m" in args[:-1]:
        module = args[args.index("-m") + 1].split(".")[0]
        for name in (module, f"{module}.py"):
            path = (cwd / name).resolve()
            if path.exists() and path.is_relative_to(root):
                return path
        return None
    script = next((a for a in args if not a.startswith("-")), None)
    if script is not None:
        path = (cwd / os.path.expanduser(script)).resolve()
        if path.is_relative_to(root):
            return path
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
    return path.resolve().is_relative_to(workspace.resolve())
