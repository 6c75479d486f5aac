"""The SDK's stdio transport, with a bound on the size of one message from the server.

``mcp.stdio_client`` buffers a server's stdout until a newline comes, without limit: a
server that writes a huge line, or one that never ends, makes this process hold all of
it. ``bounded_stdio_client`` is the SDK's ``stdio_client`` (mcp 2.3) with only the stdout
reader changed; it spawns, feeds and stops the server with the SDK's own helpers (default
environment, own process group, stdin closed then SIGTERM and SIGKILL to the group), so a
server behaves as under the SDK until a line passes ``MAX_MESSAGE_BYTES``. Then it says
so through ``on_too_long``, ends the session's read stream (pending requests get the
SDK's "connection closed") and kills the server's process group without reading on.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TextIO

import anyio
import anyio.lowlevel
from mcp import StdioServerParameters
from mcp.client._transport import TransportStreams
from mcp.client.stdio import (  # the SDK's own spawn and stop, so both stay as it has them
    _WRITER_FLUSH_TIMEOUT,
    _aclose_all,
    _create_platform_compatible_process,
    _drain_stdout,
    _get_executable_command,
    _parse_line,
    _stop_server_process,
    _terminate_process_tree,
    get_default_environment,
)
from mcp.shared.message import SessionMessage

MAX_MESSAGE_BYTES = 8 * 1024 * 1024
"""Bytes one line from a stdio server may take: room for large tool lists (hundreds of
kilobytes in real servers) and an image in base64; a result's text is cut far shorter
(``MAX_OUTPUT_CHARS``) anyway."""

logger = logging.getLogger(__name__)

Incoming = SessionMessage | Exception
"""What the session reads: a message, or why a line was not one (the SDK's convention)."""


class MessageTooLong(Exception):
    """A line from the server passed the limit before its newline came."""


class LineSplitter:
    """Bytes in, complete lines out; an unfinished line is kept only up to ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._unfinished = bytearray()

    def split(self, chunk: bytes) -> list[bytes]:
        """The lines ``chunk`` completes; ``MessageTooLong`` once any line passes the limit."""
        *ends, rest = chunk.split(b"\n")
        lines = []
        for end in ends:
            self._unfinished += end
            lines.append(bytes(self._unfinished))
            self._unfinished.clear()
        self._unfinished += rest
        if len(self._unfinished) > self.limit or any(len(line) > self.limit for line in lines):
            raise MessageTooLong
        return lines


@asynccontextmanager
async def bounded_stdio_client(
    server: StdioServerParameters,
    errlog: TextIO,
    on_too_long: Callable[[], None],
    max_message_bytes: int = MAX_MESSAGE_BYTES,
) -> AsyncIterator[TransportStreams]:
    """Spawn the server and connect to it over stdin/stdout, as ``mcp.stdio_client``."""
    command = await _get_executable_command(server.command)
    process = await _create_platform_compatible_process(
        command=command,
        args=server.args,
        env=get_default_environment() | (server.env or {}),
        errlog=errlog,
        cwd=server.cwd,
    )

    # No awaits until the task group is entered: a cancellation there would leak the process.
    read_stream_writer, read_stream = anyio.create_memory_object_stream[Incoming](0)
    write_stream, write_stream_reader = anyio.create_memory_object_stream[SessionMessage](0)
    writer_done = anyio.Event()
    shutting_down = False

    def parse(line: bytes) -> Incoming:
        try:
            text = line.decode(server.encoding, server.encoding_error_handler)
        except UnicodeDecodeError as exc:
            return exc  # for the session to surface, as the SDK does with a parse error
        return _parse_line(text)

    async def stdout_reader() -> None:
        assert process.stdout, "Opened process is missing stdout"
        lines = LineSplitter(max_message_bytes)
        too_long = False
        try:
            async with read_stream_writer:
                try:
                    async for chunk in process.stdout:
                        for line in lines.split(chunk):
                            try:
                                await read_stream_writer.send(parse(line))
                            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                                return  # the session is gone; only the drain below remains
                except MessageTooLong:
                    too_long = True
                    on_too_long()  # before the session sees the stream end, so it knows why
                finally:
                    if not too_long:
                        await _drain_stdout(process)
            if too_long:
                with anyio.CancelScope(shield=True):  # the shutdown's cancel must not skip it
                    await _terminate_process_tree(process)
        except anyio.ClosedResourceError:
            pass  # our own shutdown closed stdout under the read
        except (anyio.BrokenResourceError, ConnectionError):
            if not shutting_down:
                logger.exception("Reading from the MCP server's stdout failed mid-session")

    async def stdin_writer() -> None:
        assert process.stdin, "Opened process is missing stdin"
        try:
            async with write_stream_reader:
                async for session_message in write_stream_reader:
                    json = session_message.message.model_dump_json(
                        by_alias=True, exclude_unset=True
                    )
                    data = (json + "\n").encode(server.encoding, server.encoding_error_handler)
                    await process.stdin.send(data)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            # The server may still be alive: end the read stream so no request hangs.
            await read_stream_writer.aclose()
        finally:
            writer_done.set()

    async def shutdown() -> None:
        # The SDK's order: unblock the reader into its drain, let the writer flush for a
        # moment, stop the server (stdin closed, then the process group killed).
        read_stream.close()
        write_stream.close()
        with anyio.move_on_after(_WRITER_FLUSH_TIMEOUT):
            await writer_done.wait()
        await _stop_server_process(process)
        await _aclose_all(read_stream, write_stream, read_stream_writer, write_stream_reader)
        await anyio.lowlevel.checkpoint()

    async with anyio.create_task_group() as tg:
        tg.start_soon(stdout_reader)
        tg.start_soon(stdin_writer)
        try:
            yield read_stream, write_stream
        finally:
            shutting_down = True
            # Every wait inside is bounded; shielded so a cancelled caller cannot leak the server.
            with anyio.CancelScope(shield=True):
                await shutdown()
            tg.cancel_scope.cancel()
