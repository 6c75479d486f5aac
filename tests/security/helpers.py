"""Small helpers for the attack tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from assistant.tools.base import ToolContext


def sandbox_ctx(workspace: Path, sandbox: Any) -> ToolContext:
    """A ToolContext whose tools run commands in ``sandbox``."""

    async def provider() -> Any:
        return sandbox

    fn: Callable[[], Awaitable[Any]] = provider
    return ToolContext(workspace=workspace, sandbox_provider=fn)
