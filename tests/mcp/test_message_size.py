"""One message from a stdio server costs at most ``MAX_MESSAGE_BYTES``: a longer line (or
one that never ends) fails the server in one line and stops it, without reading on; real
servers run as subprocesses."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import psutil
import pytest

from assistant.config import McpServerSettings
from assistant.tools.base import ToolContext
from assistant.tools.mcp import McpManager
from assistant.tools.mcp.stdio import MAX_MESSAGE_BYTES, LineSplitter, MessageTooLong
from tests.mcp.conftest import raw_server, stdlib_server

pytestmark = pytest.mark.timeout(60)

# MODE says when the server sends too much: in its tool list ("over": one line past the
# limit; "endless": a line that never ends) or in a call's answer ("call"), or after a
# call's answer, unasked ("later"); "under" lists tools in one line just under the limit.
# It notes its pid in PID_FILE and how many bytes of the endless line it wrote in WRITTEN.
FLOODING_SERVER = raw_server("""
LIMIT, MODE = int(os.environ["LIMIT"]), os.environ["MODE"]
def note(name, value):  # whole, even if the server is killed while noting it
    with open(os.environ[name] + ".new", "w") as f:
        f.write(str(value))
    os.replace(os.environ[name] + ".new", os.environ[name])
def endless():  # a line that does not end (stopped at 8 limits, so a broken test ends)
    os.write(1, b'{"jsonrpc": "2.0", "id": 0, "result": {"tools": [{"name": "')
    written = 0
    while written < 8 * LIMIT:
        written += os.write(1, b"x" * 65536)
        note("WRITTEN", written)
    sys.stdin.read()
def send(message):
    line = json.dumps(message) + "\\n"
    note("WRITTEN", len(line) - 1)
    sys.stdout.write(line)
    sys.stdout.flush()
TOOL = {"name": "t", "inputSchema": {"type": "object"}}
if req["method"] == "initialize":
    note("PID_FILE", os.getpid())
elif req["method"] == "tools/list" and MODE == "endless":
    endless()
elif req["method"] == "tools/list" and MODE in ("over", "under"):
    size = LIMIT + 1 if MODE == "over" else LIMIT - 150_000
    send({"jsonrpc": "2.0", "id": req["id"], "result": {"tools": [
        {**TOOL, "name": f"t{i}", "description": "d" * (size // 100)} for i in range(100)]}})
    continue
elif req["method"] == "tools/list":
    result = {"tools": [TOOL]}
elif req["method"] == "tools/call" and MODE == "call":
    send({"jsonrpc": "2.0", "id": req["id"],
          "result": {"content": [{"type": "text", "text": "x" * LIMIT}]}})
    continue
elif req["method"] == "tools/call":
    send({"jsonrpc": "2.0", "id": req["id"], "result": {"content": [{"type": "text", "text": "ok"}]}})
    endless()
""")

TOO_LONG = (
    f"it sent a message over {MAX_MESSAGE_BYTES // 2**20} MB, more than an MCP server may "
    "send; it was stopped (fix the server or remove it from the config)"
)


def flooding(tmp_path: Path, mode: str, **kw: object) -> tuple[McpServerSettings, Path, Path]:
    """The flooding server in ``mode``, with the files where it notes its pid and bytes."""
    script = tmp_path / "flooding.py"
    script.write_text(FLOODING_SERVER)
    pid, written = tmp_path / f"{mode}.pid", tmp_path / f"{mode}.written"
    env = {"LIMIT": str(MAX_MESSAGE_BYTES), "MODE": mode}
    env |= {"PID_FILE": str(pid), "WRITTEN": str(written)}
    cfg = McpServerSettings(command=[sys.executable, str(script)], env=env, **kw)  # type: ignore[arg-type]
    return cfg, pid, written


async def assert_stopped(pid_file: Path) -> None:
    """The server's process ends within a few seconds (a zombie until asyncio reaps it)."""
    pid = int(pid_file.read_text())
    for _ in range(100):
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the server (pid {pid}) still runs")


def test_lines_are_split_across_chunks_up_to_the_limit() -> None:
    lines = LineSplitter(limit=5)
    assert lines.split(b"ab") == []
    assert lines.split(b"c\n12345\nxy") == [b"abc", b"12345"]
    assert lines.split(b"z\n\n") == [b"xyz", b""]
    with pytest.raises(MessageTooLong):
        LineSplitter(limit=5).split(b"123456\n")
    unfinished = LineSplitter(limit=5)
    unfinished.split(b"123")
    with pytest.raises(MessageTooLong):
        unfinished.split(b"456")  # no newline yet, and already past the limit


@pytest.mark.parametrize("mode", ["over", "endless"])
async def test_a_tool_list_over_the_limit_fails_the_server_and_not_the_session(
    ws: Path, tmp_path: Path, mode: str
) -> None:
    cfg, pid_file, written = flooding(tmp_path, mode, startup_timeout=15)
    manager = McpManager({"flood": cfg, "std": stdlib_server()}, ws)
    started = time.monotonic()
    try:
        tools = {t.name: t for t in await manager.start()}
        assert time.monotonic() - started < 10
        assert manager.lines == [f"MCP server flood: failed: {TOO_LONG}"]
        await assert_stopped(pid_file)
        # The read stopped near the limit: the server could write only what a pipe holds
        # more (an endless line goes on to 8 limits if nobody stops reading it).
        assert abs(int(written.read_text()) - MAX_MESSAGE_BYTES) < 2**20
        where = await tools["std__where"].run({}, ToolContext(workspace=ws))
        assert not where.is_error and manager.summary == "mcp 1/2"
    finally:
        await manager.close()


async def test_a_tool_list_just_under_the_limit_is_read(ws: Path, tmp_path: Path) -> None:
    cfg, _, written = flooding(tmp_path, "under")
    manager = McpManager({"big": cfg}, ws)
    try:
        tools = await manager.start()
        assert MAX_MESSAGE_BYTES - 200_000 < int(written.read_text()) <= MAX_MESSAGE_BYTES
        assert len(manager.connections["big"].tools) == 100  # the prompt takes fewer
        assert tools and all(t.name.startswith("big__t") for t in tools)
        assert manager.connections["big"].state == "ready"
    finally:
        await manager.close()


async def test_an_answer_over_the_limit_is_an_error_result(ws: Path, tmp_path: Path) -> None:
    cfg, pid_file, _ = flooding(tmp_path, "call")
    manager = McpManager({"flood": cfg}, ws)
    try:
        (tool,) = await manager.start()
        answer = await tool.run({}, ToolContext(workspace=ws))
        assert answer.is_error
        assert answer.output == (
            f"Error: MCP server flood is not available ({TOO_LONG}); its tools cannot be "
            "used in this session."
        )
        again = await tool.run({}, ToolContext(workspace=ws))
        assert again.output == answer.output
        assert manager.lines == [f"MCP server flood: failed: {TOO_LONG}"]
        await assert_stopped(pid_file)
    finally:
        await manager.close()


async def test_a_line_over_the_limit_between_calls_fails_the_server_at_once(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.tools.mcp import client

    monkeypatch.setattr(client, "PING_INTERVAL", 60.0)  # so only the read can notice it
    cfg, pid_file, written = flooding(tmp_path, "later")
    manager = McpManager({"flood": cfg}, ws)
    try:
        (tool,) = await manager.start()
        answer = await tool.run({}, ToolContext(workspace=ws))
        assert answer.output == "ok" and not answer.is_error
        conn = manager.connections["flood"]
        for _ in range(100):
            if conn.state == "failed":
                break
            await asyncio.sleep(0.1)
        assert conn.status_line == f"MCP server flood: failed: {TOO_LONG}"
        await assert_stopped(pid_file)
        assert int(written.read_text()) < MAX_MESSAGE_BYTES + 2**20
    finally:
        await manager.close()
