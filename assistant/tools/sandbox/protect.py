"""Workspace paths the host later runs, kept read-only inside the sandbox.

Git config and hooks, ``.envrc``, editor tasks, the project's virtualenv, CI workflows and
this assistant's own ``.assistant.toml`` are all read or executed by programs on the host.
A command in the sandbox must not be able to write them, so each is bind-mounted
read-only over the read-write workspace mount. They change only through the file tools,
which ask the user first.

Only top-level names are protected: a read-only mount on a nested path (``.github/workflows``)
could be sidestepped by renaming its parent. A name that does not exist yet gets an empty
placeholder for the session (so that creating it inside the sandbox fails too), removed
again when the sandbox closes if it is still empty.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

# name -> is a directory when missing
PROTECTED: dict[str, bool] = {
    ".git": True,
    ".hg": True,
    ".github": True,
    ".gitlab": True,
    ".circleci": True,
    ".vscode": True,
    ".idea": True,
    ".devcontainer": True,
    ".husky": True,
    ".venv": True,
    ".envrc": False,
    ".assistant.toml": False,
    ".gitmodules": False,
    ".gitattributes": False,
    ".gitlab-ci.yml": False,
    ".pre-commit-config.yaml": False,
    "mise.toml": False,
    ".mise.toml": False,
    ".tool-versions": False,
}


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


def prepare(workspace: Path) -> ProtectedMounts:
    """Make every protected name exist (placeholders) and list what to mount read-only.

    A protected name that is a symlink cannot be protected (a mount follows the link, and
    the link itself could be replaced from inside), so it is refused.
    """
    root = Path(os.path.realpath(workspace))
    out = ProtectedMounts(root)
    for name, is_dir in PROTECTED.items():
        p = root / name
        if p.is_symlink():
            out.cleanup()
            raise ProtectError(
                f"{p} is a symlink, which the sandbox cannot keep read-only; "
                "replace it with the real file or directory."
            )
        if not p.exists():
            try:
                if is_dir:
                    p.mkdir(mode=0o755)
                else:
                    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
                    os.close(fd)
            except OSError:
                continue
            out.placeholders.append(p)
        out.paths.append(p)
    return out
