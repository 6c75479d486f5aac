"""The Sandbox contract: where shell commands and Python run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


class SandboxError(Exception):
    """The sandbox cannot be used; the message names the problem and the fix."""


@dataclass
class ExecResult:
    exit_code: int
    output: str
    truncated: bool = False
    timed_out: bool = False
    duration_s: float = 0.0
    cwd: str | None = None
    oom_killed: bool = False


@runtime_checkable
class Sandbox(Protocol):
    """A persistent shell per session: cwd and exported variables survive between commands."""

    name: str
    """``docker``, ``bwrap`` or ``host``."""
    workdir: str
    """The workspace as commands inside see it (``/workspace`` in the container)."""

    async def exec(
        self,
        command: str,
        timeout: float = 60.0,
        on_output: Callable[[str], None] | None = None,
    ) -> ExecResult: ...

    async def close(self) -> str | None:
        """Stop everything the sandbox runs; a last warning for the user (a repository its
        background processes planted after the last command), or None."""
        ...
