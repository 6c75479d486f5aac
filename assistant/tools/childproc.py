"""Stopping a child process the host started for a tool (ripgrep, the grep child, git)."""

from __future__ import annotations

import asyncio
import contextlib


async def stop_child(proc: asyncio.subprocess.Process) -> None:
    """Kill ``proc`` if it is still running and reap it: a child left behind by a timeout
    or a cancelled call would go on burning a core on the host."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
    await proc.wait()
