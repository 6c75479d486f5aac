"""A first-come, first-served slot for the one model in memory.

llama.cpp contexts are not thread-safe and the local backend runs one generation at a
time, so requests take turns: each waits for the slot in arrival order. A waiter that
goes away (its client disconnected, its task was cancelled) leaves the line at once.
When ``max_waiting`` requests already wait, a new one is refused (HTTP 429).
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from assistant.server.errors import APIError


class QueueFullError(APIError):
    def __init__(self, waiting: int) -> None:
        super().__init__(
            429,
            f"The server is busy ({waiting} requests already wait for the model); retry later.",
            code="queue_full",
        )


@dataclass
class QueueStats:
    running: int
    waiting: int
    served: int
    cancelled: int


class FairQueue:
    """One holder at a time; the others wait in FIFO order."""

    def __init__(self, max_waiting: int = 64) -> None:
        self.max_waiting = max_waiting
        self._busy = False
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self.served = 0
        self.cancelled = 0

    def check_room(self) -> None:
        """Raise QueueFullError now if a new request could not wait (before a stream starts)."""
        if self._busy and len(self._waiters) >= self.max_waiting:
            raise QueueFullError(len(self._waiters))

    def stats(self) -> QueueStats:
        return QueueStats(int(self._busy), len(self._waiters), self.served, self.cancelled)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self.served += 1
            self._release()

    async def _acquire(self) -> None:
        if not self._busy and not self._waiters:
            self._busy = True
            return
        if len(self._waiters) >= self.max_waiting:
            raise QueueFullError(len(self._waiters))
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                # The slot was handed over just as this waiter left: pass it on.
                self._release()
            else:
                self._waiters.remove(fut)
            raise

    def _release(self) -> None:
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(None)  # the slot passes straight to the next waiter
                return
        self._busy = False
