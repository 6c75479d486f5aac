"""What a configured MCP server needs before it starts: ``${VAR}`` expansion and placement.

Placement is the trust decision: a stdio server whose command comes from the workspace
(a project file, or a program inside the workspace) runs in the Docker sandbox, never
on the host; one from the user's own config runs on the host as configured.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePath

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

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


def expand(value: str, environ: Mapping[str, str], where: str) -> str:
    """Replace each ``${VAR}`` in ``value`` from ``environ``; a missing variable is an error."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in environ:
            raise ConfigProblem(
                f"{where} uses ${{{name}}}, which is not set; export {name} or remove it from "
                "the config."
            )
        return environ[name]

    return _VAR.sub(sub, value)


def _is_interpreter(program: str) -> bool:
    base = PurePath(program).name
    return base in INTERPRETERS or bool(re.fullmatch(r"python3(\.\d+)?", base))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


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
    if found is not None and _inside(Path(found).resolve(), root):
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
            if path.exists() and _inside(path, root):
                return path
        return None
    script = next((a for a in args if not a.startswith("-")), None)
    if script is not None:
        path = (cwd / os.path.expanduser(script)).resolve()
        if _inside(path, root):
            return path
    return None
