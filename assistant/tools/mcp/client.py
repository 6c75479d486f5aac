"""One MCP server connection for the length of a session, through the official SDK.

The SDK's transports are async context managers that must be entered and left in the
same task, so each connection runs in its own task (``_hold``): it opens the transport
and the ``ClientSession``, lists the tools, reports ready, and holds them open until
``close()``. Calls are made from the agent's tasks through the open session.

A server that fails to start, exits, does not answer a call within its timeout, or sends
a message over ``MAX_MESSAGE_BYTES`` (``stdio.py``) is marked failed with a one-line
``detail``; later calls get that line back as an error result, and the session goes on
without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, Literal

from mcp import ClientSession, StdioServerParameters, types
from mcp.shared.exceptions import MCPError
from pydantic import ValidationError

from assistant.envexpand import origin, without_urls
from assistant.tools.base import ToolResult
from assistant.tools.mcp.adapter import convert_result, cut
from assistant.tools.mcp.stdio import MAX_MESSAGE_BYTES, bounded_stdio_client

State = Literal["configured", "starting", "ready", "failed", "refused", "closed"]

STDERR_TAIL = 4000
"""Bytes of a server's stderr kept (for the last line of a failing server)."""
MAX_TOOLS = 1000
"""Tools taken from one server at most: its list is not read past them (it may not end)."""
MAX_ERROR_CHARS = 2000
"""Characters of a server's error message passed on to the model."""
PING_INTERVAL = 5.0
"""Seconds between the pings that notice a server that died between calls."""
CONNECTION_CLOSED = -32000
REQUEST_TIMEOUT = -32001


@dataclass
class Launch:
    """How to reach a server, with every ``${VAR}`` already expanded."""

    command: list[str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class McpConnection:
    def __init__(
        self,
        name: str,
        launch: Launch,
        *,
        timeout: float = 60.0,
        startup_timeout: float = 20.0,
        where: str = "host",
        on_change: Callable[[McpConnection], None] | None = None,
    ) -> None:
        self.name = name
        self.launch = launch
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.where = where
        """``host``, ``sandbox`` or ``http`` (shown by ``assistant mcp list``)."""
        self.on_change = on_change
        self.ping_interval = PING_INTERVAL
        self.state: State = "configured"
        self.detail = ""
        """Why the server is not usable (one line), empty while it is."""
        self.tools: list[types.Tool] = []
        self.tools_cut = False
        """True when the server listed more than ``MAX_TOOLS`` tools (the rest are not kept)."""
        self._session: ClientSession | None = None
        self._ready = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._refused: int | None = None
        """401 or 403 when an HTTP server refused the credentials."""
        self._stderr = _StderrTail()

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> bool:
        """Start, initialize and list tools within ``startup_timeout``; False on failure."""
        self._set("starting")
        self._task = asyncio.create_task(self._hold(), name=f"mcp:{self.name}")
        waiter = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait(
            {waiter, self._task}, timeout=self.startup_timeout, return_when="FIRST_COMPLETED"
        )
        waiter.cancel()
        if self.state == "ready":
            return True
        if not done:
            self._fail(f"did not answer within {self.startup_timeout:g} s of starting")
        await self._end_task()
        return False

    async def _hold(self) -> None:
        try:
            async with AsyncExitStack() as stack:
                streams = await stack.enter_async_context(self._transport())
                session = await stack.enter_async_context(ClientSession(streams[0], streams[1]))
                await session.initialize()
                self.tools = await self._list_tools(session)
                self._session = session
                self._set("ready")
                self._ready.set()
                await self._watch(session)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # the SDK raises exception groups from its task groups
            if self.state in ("starting", "ready"):
                self._fail(self._why(exc))
        finally:
            self._session = None

    async def _watch(self, session: ClientSession) -> None:
        """Hold the session until ``close()``; a ping now and then notices a dead server."""
        while not self._stop.is_set():
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=self.ping_interval)
            except TimeoutError:
                try:
                    await asyncio.wait_for(session.send_ping(), timeout=self.ping_interval)
                except TimeoutError:
                    continue  # busy, not dead: calls have their own timeout
                except MCPError as exc:
                    if exc.code == CONNECTION_CLOSED:
                        self._fail(self._exited())
                        return

    def _transport(self) -> Any:
        launch = self.launch
        if launch.url is not None:
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            async def note_refusal(response: Any) -> None:
                if response.status_code in (401, 403):
                    self._refused = response.status_code

            client = httpx2.AsyncClient(
                headers=launch.headers,
                timeout=httpx2.Timeout(30.0, read=300.0),
                event_hooks={"response": [note_refusal]},
            )
            return _owning(client, streamable_http_client(launch.url, http_client=client))
        assert launch.command
        params = StdioServerParameters(
            command=launch.command[0], args=launch.command[1:], env=launch.env, cwd=launch.cwd
        )
        self._stderr.watch(asyncio.get_running_loop())
        return bounded_stdio_client(params, self._stderr.file, self._sent_too_much)

    def _sent_too_much(self) -> None:
        """The transport stopped the server for a line over ``MAX_MESSAGE_BYTES``."""
        if self.state in ("starting", "ready"):
            self._fail(
                f"it sent a message over {MAX_MESSAGE_BYTES // 2**20} MB, more than an MCP "
                "server may send; it was stopped (fix the server or remove it from the config)"
            )

    async def _list_tools(self, session: ClientSession) -> list[types.Tool]:
        tools: list[types.Tool] = []
        cursor: str | None = None
        while True:
            params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
            page = await session.list_tools(params=params)
            tools += page.tools
            cursor = page.next_cursor
            if not cursor or len(tools) >= MAX_TOOLS:
                self.tools_cut = len(tools) > MAX_TOOLS or bool(cursor)
                return tools[:MAX_TOOLS]

    async def _end_task(self) -> None:
        """Leave the session and stop the server: politely when it is holding, else cancel."""
        task, self._task = self._task, None
        if task is None:
            return
        if self._session is None:  # still starting (or already gone): nothing to wait for
            task.cancel()
        self._stop.set()
        done, _ = await asyncio.wait({task}, timeout=10)
        if not done:
            task.cancel()
            await asyncio.wait({task}, timeout=10)
        if task.done() and not task.cancelled():
            task.exception()  # retrieved, so asyncio does not log it

    async def close(self) -> None:
        if self.state in ("starting", "ready"):
            self._set("closed")
        await self._end_task()
        if self._closing is not None:
            await asyncio.wait({self._closing}, timeout=30)
        self._stderr.close()

    # -- calls ------------------------------------------------------------------------------
    async def call(self, tool: str, arguments: dict[str, Any]) -> ToolResult:
        """Run one tool; a dead or silent server gives an error result, never an exception."""
        session = self._session
        if self.state != "ready" or session is None:
            return ToolResult(self.unavailable(), is_error=True)
        try:
            result = await session.call_tool(tool, arguments, read_timeout_seconds=self.timeout)
        except MCPError as exc:
            if exc.code == REQUEST_TIMEOUT:
                self._fail(f"did not answer {tool} within {self.timeout:g} s")
            elif exc.code == CONNECTION_CLOSED:
                self._fail(self._exited())
            else:  # the server answered with an error (unknown tool, bad arguments)
                message = cut(exc.message, MAX_ERROR_CHARS)
                return ToolResult(f"Error from MCP server {self.name}: {message}", True)
            self._stop_soon()
            return ToolResult(self.unavailable(), is_error=True)
        except ValidationError as exc:  # it answered, but not in the protocol's shape
            return ToolResult(
                f"Error from MCP server {self.name}: its answer to {tool} is not a valid MCP "
                f"result ({_invalid(exc)})",
                is_error=True,
            )
        except (OSError, BaseExceptionGroup) as exc:
            self._fail(self._why(exc))
            self._stop_soon()
            return ToolResult(self.unavailable(), is_error=True)
        return convert_result(result)

    def _stop_soon(self) -> None:
        """Stop the failed server in the background; ``close()`` waits for it."""
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self._end_task())

    def unavailable(self) -> str:
        return (
            f"Error: MCP server {self.name} is not available ({self.detail or self.state}); "
            "its tools cannot be used in this session."
        )

    # -- state ------------------------------------------------------------------------------
    def _set(self, state: State) -> None:
        self.state = state
        if self.on_change is not None:
            self.on_change(self)

    def _fail(self, detail: str) -> None:
        if self.state == "failed":
            return
        self.detail = detail
        self._set("failed")

    @property
    def status_line(self) -> str:
        """One line for the transcript and the status bar."""
        if self.state == "ready":
            return f"MCP server {self.name}: ready, {len(self.tools)} tools ({self.where})"
        return f"MCP server {self.name}: {self.state}" + (f": {self.detail}" if self.detail else "")

    def _last_stderr(self) -> str:
        lines = [ln.strip() for ln in self._stderr.text().splitlines() if ln.strip()]
        return lines[-1][:200] if lines else ""

    def _exited(self) -> str:
        if self.launch.url is not None:
            return "the server closed the connection"  # no URL: it may carry a key
        tail = self._last_stderr()
        return "the server exited" + (f" ({tail})" if tail else "")

    def _why(self, exc: BaseException) -> str:
        while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
            exc = exc.exceptions[0]
        if isinstance(exc, FileNotFoundError):
            program = self.launch.command[0] if self.launch.command else "?"
            return f"cannot start {program!r}: no such program; fix the command in the config"
        if isinstance(exc, MCPError) and exc.code == CONNECTION_CLOSED:
            return self._exited()
        if isinstance(exc, ValidationError):
            return f"it sent an answer the MCP SDK cannot read ({_invalid(exc)})"
        text = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        if self.launch.url is not None:
            if self._refused is not None:
                return (
                    f"{origin(self.launch.url)} refused the credentials (HTTP {self._refused}); "
                    f"set the headers it needs under [mcp.servers.{self.name}] in your config, "
                    'e.g. headers = { Authorization = "Bearer ${TOKEN}" }'
                )
            return f"cannot reach it ({without_urls(text)})"  # a URL may carry a key
        tail = self._last_stderr()
        return f"{text}" + (f" ({tail})" if tail and tail not in text else "")


def _invalid(exc: ValidationError) -> str:
    """The first thing wrong in an answer, e.g. ``content.0.text: Field required``."""
    errors = exc.errors()
    if not errors:
        return str(exc).splitlines()[0]
    where = ".".join(str(p) for p in errors[0]["loc"])
    return f"{where}: {errors[0]['msg']}"[:200]


class _StderrTail:
    """A server's stderr: a pipe of which only the last ``STDERR_TAIL`` bytes are kept.

    A server (one in the sandbox too) may write without end; a file would fill the
    host's disk, or a ``/tmp`` in memory. The event loop drains the pipe as it fills.
    """

    def __init__(self) -> None:
        read, write = os.pipe()
        os.set_blocking(read, False)
        self._read: int | None = read
        self.file = os.fdopen(write, "w", encoding="utf-8", errors="replace")
        """What the server's stderr is (the write end)."""
        self._tail = bytearray()
        self._loop: asyncio.AbstractEventLoop | None = None

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is None and self._read is not None:
            self._loop = loop
            loop.add_reader(self._read, self._drain)

    def _drain(self) -> None:
        while self._read is not None:
            try:
                data = os.read(self._read, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:  # every writer has closed it
                self._unwatch()
                return
            self._tail += data
            del self._tail[:-STDERR_TAIL]

    def _unwatch(self) -> None:
        if self._loop is not None and self._read is not None:
            self._loop.remove_reader(self._read)
        self._loop = None

    def text(self) -> str:
        self._drain()  # what the server wrote just before it failed
        return self._tail.decode("utf-8", "replace")

    def close(self) -> None:
        self._unwatch()
        if self._read is not None:
            os.close(self._read)
            self._read = None
        self.file.close()


@contextlib.asynccontextmanager
async def _owning(client: Any, transport: Any) -> Any:
    """The HTTP transport, closing the httpx client it was given when it ends."""
    async with client, transport as streams:
        yield streams
