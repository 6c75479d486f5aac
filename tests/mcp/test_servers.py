"""MCP servers started for real (fixture servers written with the official SDK): tools and
their schemas, results with text, images and errors, failures that leave the session going."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from assistant.agent.registry import ToolRegistry
from assistant.config import McpServerSettings
from assistant.tools.base import ToolContext
from assistant.tools.mcp import McpManager
from assistant.tools.mcp.client import MAX_TOOLS
from tests.fakes.server import LocalHTTPServer
from tests.mcp.conftest import SILENT, STDLIB, notes_server, raw_server, stdlib_server


def ctx(ws: Path) -> ToolContext:
    return ToolContext(workspace=ws)


async def test_tools_are_listed_with_their_schemas_and_read_only_hints(ws: Path) -> None:
    manager = McpManager({"notes": notes_server()}, ws)
    try:
        tools = {t.name: t for t in await manager.start()}
        assert {"notes__list_notes", "notes__add_note", "notes__chart", "notes__crash"} <= set(
            tools
        )
        add = tools["notes__add_note"]
        assert add.parameters["required"] == ["text"]
        assert add.parameters["properties"]["text"]["type"] == "string"
        assert add.description.startswith("Save a note.")
        assert not add.read_only and tools["notes__list_notes"].read_only
        registry = ToolRegistry(list(tools.values()))  # the schemas are valid JSON Schema
        with pytest.raises(Exception, match="'text' is a required property"):
            registry.validate("notes__add_note", {})
        assert manager.connections["notes"].status_line.startswith("MCP server notes: ready")
        assert manager.summary == "mcp 1/1" and manager.lines == []
    finally:
        await manager.close()


async def test_results_carry_text_images_and_errors(ws: Path) -> None:
    manager = McpManager({"notes": notes_server()}, ws)
    try:
        tools = {t.name: t for t in await manager.start()}
        saved = await tools["notes__add_note"].run({"text": "buy milk"}, ctx(ws))
        assert saved.output == "saved note 1: buy milk" and not saved.is_error
        listed = await tools["notes__list_notes"].run({}, ctx(ws))
        assert listed.output == "buy milk"
        chart = await tools["notes__chart"].run({}, ctx(ws))
        assert chart.output == "1 notes\n[image: image/png, 69 bytes]" and not chart.is_error
        failed = await tools["notes__fail"].run({"reason": "the disk is full"}, ctx(ws))
        assert failed.is_error and "the disk is full" in failed.output
        # A tool error is the tool's answer, not a dead server.
        assert manager.connections["notes"].state == "ready"
    finally:
        await manager.close()


async def test_env_is_expanded_from_the_users_environment(ws: Path) -> None:
    cfg = notes_server(env={"NOTES_USER": "${TEST_NOTES_USER}"})
    manager = McpManager({"notes": cfg}, ws, environ={"TEST_NOTES_USER": "ada", "PATH": ""})
    try:
        tools = {t.name: t for t in await manager.start()}
        assert (await tools["notes__whoami"].run({}, ctx(ws))).output == "ada"
    finally:
        await manager.close()


async def test_a_missing_variable_is_one_clear_line(ws: Path) -> None:
    cfg = notes_server(env={"NOTES_USER": "${NOT_SET_ANYWHERE}"})
    manager = McpManager({"notes": cfg}, ws, environ={})
    try:
        assert await manager.start() == []
        assert manager.lines == [
            "MCP server notes: failed: env NOTES_USER uses ${NOT_SET_ANYWHERE}, "
            "which is not set; export NOT_SET_ANYWHERE or remove it from the config."
        ]
    finally:
        await manager.close()


async def test_a_server_that_cannot_start_leaves_the_others_running(ws: Path) -> None:
    servers = {
        "broken": McpServerSettings(command=[str(ws.parent / "no-such-server")]),
        "dies": McpServerSettings(
            command=[sys.executable, "-c", "import sys; sys.exit('boom: no db')"]
        ),
        "notes": notes_server(),
    }
    manager = McpManager(servers, ws)
    try:
        tools = await manager.start()
        assert tools and all(t.name.startswith("notes__") for t in tools)
        assert manager.connections["broken"].state == "failed"
        assert "no such program" in manager.connections["broken"].detail
        assert manager.connections["dies"].state == "failed"
        assert "boom: no db" in manager.connections["dies"].detail  # its last stderr line
        assert len(manager.lines) == 2 and manager.summary == "mcp 1/3"
    finally:
        await manager.close()


async def test_a_server_that_never_answers_times_out_at_start(ws: Path) -> None:
    cfg = McpServerSettings(command=[sys.executable, str(SILENT)], startup_timeout=1.5)
    manager = McpManager({"silent": cfg}, ws)
    started = time.monotonic()
    try:
        assert await manager.start() == []
        assert manager.lines == [
            "MCP server silent: failed: did not answer within 1.5 s of starting"
        ]
        assert time.monotonic() - started < 10
    finally:
        await manager.close()


async def test_a_crash_mid_call_is_an_error_result_and_later_calls_say_why(ws: Path) -> None:
    manager = McpManager({"notes": notes_server()}, ws)
    try:
        tools = {t.name: t for t in await manager.start()}
        crashed = await tools["notes__crash"].run({}, ctx(ws))
        assert crashed.is_error
        assert "MCP server notes is not available (the server exited" in crashed.output
        after = await tools["notes__list_notes"].run({}, ctx(ws))
        assert after.is_error and "not available" in after.output
        assert manager.lines == [manager.connections["notes"].status_line]
        assert manager.summary == "mcp 0/1"
    finally:
        await manager.close()


async def test_a_call_that_never_answers_times_out(ws: Path) -> None:
    manager = McpManager({"notes": notes_server(timeout=1.0)}, ws)
    try:
        tools = {t.name: t for t in await manager.start()}
        started = time.monotonic()
        hung = await tools["notes__hang"].run({}, ctx(ws))
        assert time.monotonic() - started < 5
        assert hung.is_error and "did not answer hang within 1 s" in hung.output
        assert manager.lines == ["MCP server notes: failed: did not answer hang within 1 s"]
    finally:
        await manager.close()


async def test_streamable_http_server_with_headers(ws: Path, http_notes: str) -> None:
    cfg = McpServerSettings(url=http_notes, headers={"Authorization": "Bearer ${TRACKER_TOKEN}"})
    manager = McpManager({"tracker": cfg}, ws, environ={"TRACKER_TOKEN": "t0k3n"})
    try:
        tools = {t.name: t for t in await manager.start()}
        assert manager.connections["tracker"].where == "http"
        auth = await tools["tracker__authorization"].run({}, ctx(ws))
        assert auth.output == "Bearer t0k3n"
        saved = await tools["tracker__add_note"].run({"text": "over http"}, ctx(ws))
        assert saved.output == "saved note 1: over http"
    finally:
        await manager.close()


async def test_an_http_server_that_is_not_there_fails_in_one_line(ws: Path) -> None:
    cfg = McpServerSettings(url="http://127.0.0.1:9/mcp", startup_timeout=5)
    manager = McpManager({"gone": cfg}, ws)
    try:
        assert await manager.start() == []
        assert len(manager.lines) == 1
        assert manager.lines[0].startswith("MCP server gone: failed: cannot reach it (")
        assert "\n" not in manager.lines[0]
    finally:
        await manager.close()


async def test_a_server_that_dies_between_calls_is_noticed(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import psutil

    from assistant.tools.mcp import client

    monkeypatch.setattr(client, "PING_INTERVAL", 0.2)
    manager = McpManager({"notes": notes_server()}, ws)
    try:
        await manager.start()
        conn = manager.connections["notes"]
        (server,) = [
            p
            for p in psutil.Process().children(recursive=True)
            if "notes_server.py" in " ".join(p.cmdline())
        ]
        server.kill()
        for _ in range(50):
            if conn.state == "failed":
                break
            await asyncio.sleep(0.1)
        assert manager.lines == ["MCP server notes: failed: the server exited"]
        assert manager.summary == "mcp 0/1"
    finally:
        await manager.close()


async def test_an_http_server_going_away_is_an_error_result(ws: Path) -> None:
    import socket
    import subprocess

    from tests.mcp.conftest import NOTES, free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(NOTES), "http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cfg = McpServerSettings(url=f"http://127.0.0.1:{port}/mcp", startup_timeout=20)
    manager = McpManager({"tracker": cfg}, ws)
    try:
        for _ in range(100):  # until it listens
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        tools = {t.name: t for t in await manager.start()}
        proc.kill()
        proc.wait()
        gone = await tools["tracker__list_notes"].run({}, ctx(ws))
        assert gone.is_error
        assert "not available (the server closed the connection)" in gone.output
    finally:
        proc.kill()
        await manager.close()


class Refusing(LocalHTTPServer):
    """An HTTP endpoint that refuses every request's credentials (HTTP 401)."""

    class handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST


async def test_http_failures_name_the_fix_and_never_the_url_secrets(ws: Path) -> None:
    with Refusing() as refusing:
        origin = refusing.origin
        host = origin.removeprefix("http://")
        servers = {
            "tracker": McpServerSettings(url=f"http://user:pa55word@{host}/mcp?key=SECRET"),
            "gone": McpServerSettings(
                url="http://user:pa55word@127.0.0.1:9/mcp?key=SECRET", startup_timeout=5
            ),
        }
        manager = McpManager(servers, ws)
        try:
            assert await manager.start() == []
        finally:
            await manager.close()
    tracker, gone = (
        manager.connections["tracker"].status_line,
        manager.connections["gone"].status_line,
    )
    assert tracker == (
        f"MCP server tracker: failed: {origin} refused the credentials (HTTP 401); "
        "set the headers it needs under [mcp.servers.tracker] in your config, e.g. "
        'headers = { Authorization = "Bearer ${TOKEN}" }'
    )
    assert gone.startswith("MCP server gone: failed: cannot reach it (")
    for line in [*manager.lines, tracker, gone]:
        assert "SECRET" not in line and "pa55word" not in line


async def test_a_parameter_named_ctx_reaches_the_server(ws: Path) -> None:
    manager = McpManager({"std": stdlib_server()}, ws)
    try:
        tools = {t.name: t for t in await manager.start()}
        echoed = await tools["std__echo"].run({"ctx": "mine"}, ctx(ws))
        assert not echoed.is_error and json.loads(echoed.output) == {"ctx": "mine"}
        assert tools["std__blank"].description == "blank"  # whitespace is no description
    finally:
        await manager.close()


async def test_close_cancels_a_start_in_progress_and_nothing_starts_after(ws: Path) -> None:
    import asyncio

    import psutil

    cfg = McpServerSettings(command=[sys.executable, str(SILENT)], startup_timeout=60)
    manager = McpManager({"silent": cfg}, ws)
    starting = asyncio.create_task(manager.start())
    for _ in range(100):  # until the server process runs
        if _children("silent_server.py"):
            break
        await asyncio.sleep(0.05)
    started = time.monotonic()
    await manager.close()
    assert await starting == [] and time.monotonic() - started < 10
    assert await manager.start() == []  # closed: a late start starts nothing
    psutil.wait_procs(_children("silent_server.py"), timeout=5)
    assert _children("silent_server.py") == []


def _children(script: str) -> list[Any]:
    import psutil

    return [
        p
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and p.status() != psutil.STATUS_ZOMBIE and script in " ".join(p.cmdline())
    ]


def _held_files_over(size: int) -> list[int]:
    """Sizes of the regular files this process holds open that are larger than ``size``."""
    sizes = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            st = os.stat(fd)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and st.st_size > size:
            sizes.append(st.st_size)
    return sizes


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
async def test_a_server_flooding_stderr_fills_neither_disk_nor_memory(ws: Path) -> None:
    # What a server writes on stderr used to go to a temporary file without a limit: one
    # in the sandbox could fill the host's disk (or a /tmp in RAM) through it.
    flood = (
        "head -c 30000000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'last words' >&2; "
        f"exec {sys.executable} {STDLIB}"
    )
    servers = {
        "flood": McpServerSettings(command=["sh", "-c", flood]),
        "dies": McpServerSettings(
            command=[
                "sh",
                "-c",
                "head -c 30000000 /dev/zero | tr '\\0' y >&2; echo >&2; echo 'bye' >&2",
            ]
        ),
    }
    manager = McpManager(servers, ws)
    try:
        tools = await manager.start()
        assert [t.name for t in tools] == ["flood__where"]
        assert manager.connections["dies"].state == "failed"
        assert "bye" in manager.connections["dies"].detail  # its last stderr line
        assert _held_files_over(1_000_000) == []
    finally:
        await manager.close()


# Answers that do not follow the protocol (MODE says which).
MALFORMED_SERVER = raw_server("""
MODE = os.environ["MODE"]
if req["method"] == "tools/list":
    result = {"tools": [{"name": "t", "inputSchema": {"type": "array" if MODE == "list" else "object"}}]}
elif req["method"] == "tools/call":
    result = {"content": [{"type": "text"}]}
""")


async def test_answers_that_are_not_valid_mcp_are_one_line(ws: Path, tmp_path: Path) -> None:
    script = tmp_path / "malformed.py"
    script.write_text(MALFORMED_SERVER)
    servers = {
        mode: McpServerSettings(command=[sys.executable, str(script)], env={"MODE": mode})
        for mode in ("list", "call")
    }
    manager = McpManager(servers, ws)
    try:
        tools = await manager.start()
        assert manager.lines == [
            "MCP server list: failed: it sent an answer the MCP SDK cannot read "
            "(tools.0.inputSchema.type: Input should be 'object')"
        ]
        assert [t.name for t in tools] == ["call__t"]
        result = await tools[0].run({}, ctx(ws))
        assert result.is_error and result.output == (
            "Error from MCP server call: its answer to t is not a valid MCP result "
            "(content.0.TextContent.text: Field required)"
        )
        assert manager.connections["call"].state == "ready"  # it answered: still usable
    finally:
        await manager.close()


PAGING_SERVER = raw_server("""
if req["method"] == "tools/list":  # one more page, for ever
    n = int((req.get("params") or {}).get("cursor") or 0)
    result = {"tools": [{"name": f"t{n}", "inputSchema": {"type": "object"}}],
              "nextCursor": str(n + 1)}
""")


async def test_a_server_paging_its_tools_without_end_is_cut_off(ws: Path, tmp_path: Path) -> None:
    script = tmp_path / "pages.py"
    script.write_text(PAGING_SERVER)
    cfg = McpServerSettings(command=[sys.executable, str(script)], startup_timeout=60)
    manager = McpManager({"pages": cfg}, ws)
    try:
        tools = await manager.start()
        assert len(tools) == MAX_TOOLS and tools[0].name == "pages__t0"
        assert manager.connections["pages"].state == "ready"
        assert manager.lines == [
            f"MCP server pages: kept the first {MAX_TOOLS} of its tools; it lists more"
        ]
    finally:
        await manager.close()


# Tools whose names, descriptions and schemas would flood the prompt (MODE says how).
BLOATED_SERVER = raw_server("""
BIG = "x" * 1_000_000
OBJ = {"type": "object"}
if req["method"] == "tools/list" and os.environ["MODE"] == "each":
    result = {"tools": [
        {"name": "huge", "description": "Do it. " + BIG, "inputSchema": {"type": "object",
         "properties": {"q": {"type": "string", "description": "The query. " + BIG,
                              "title": "Q" + BIG}}}},
        {"name": "n" * 100, "description": "Too long.", "inputSchema": OBJ},
        {"name": "m" * 57, "description": "Too long with the server's name.", "inputSchema": OBJ},
        {"name": "clear\\u001b[2J" + BIG, "description": "Not a name.", "inputSchema": OBJ},
        {"name": "", "description": "No name.", "inputSchema": OBJ},
        {"name": "enum", "inputSchema": {"type": "object",
         "properties": {"v": {"enum": [BIG]}}}},
        {"name": "ok.v2", "description": "Fine.", "inputSchema": OBJ},
    ]}
elif req["method"] == "tools/list":  # many tools, each under the limits, too many together
    result = {"tools": [{"name": f"t{i}", "description": "d" * 1_900, "inputSchema": {
        "type": "object", "properties": {f"p{j}": {"description": "p" * 490} for j in range(30)}}}
        for i in range(30)]}
elif req["method"] == "tools/call":
    error = {"code": -32602, "message": "no such record " + BIG}
""")


CLEAR = "clear\x1b[2J"


async def test_names_descriptions_and_schemas_from_a_server_are_bounded(
    ws: Path, tmp_path: Path
) -> None:
    from assistant.tools.mcp.adapter import MAX_DESCRIPTION, MAX_SCHEMA_CHARS, MAX_SCHEMA_TEXT
    from assistant.tools.mcp.manager import MAX_SERVER_CHARS

    script = tmp_path / "bloated.py"
    script.write_text(BLOATED_SERVER)
    servers = {
        name: McpServerSettings(command=[sys.executable, str(script)], env={"MODE": mode})
        for name, mode in (("bloated", "each"), ("many", "many"))
    }
    manager = McpManager(servers, ws)
    try:
        tools = {t.name: t for t in await manager.start()}
        failed = await tools["bloated__huge"].run({"q": "a"}, ctx(ws))
    finally:
        await manager.close()
    huge = tools["bloated__huge"]
    assert huge.description == (
        "Do it. " + "x" * (MAX_DESCRIPTION - 7) + " [... cut at 2000 of 1000007 characters]"
    )
    q = huge.parameters["properties"]["q"]
    assert q["description"].endswith(f" [... cut at {MAX_SCHEMA_TEXT} of 1000011 characters]")
    assert len(q["description"]) < MAX_SCHEMA_TEXT + 50 and len(q["title"]) < MAX_SCHEMA_TEXT + 50
    assert "bloated__ok_v2" in tools
    lines = manager.lines
    assert all(len(line) < 300 for line in lines)
    assert lines[:5] == [
        f"MCP server bloated: skipped tool '{'n' * 49}... (100 characters): its name is "
        "longer than the 61 characters a model accepts after the server's name",
        f"MCP server bloated: skipped tool {'m' * 57!r}: with the server's name it would be 66 "
        "characters, more than the 64 a model accepts in a tool name; give the server a "
        "shorter name in the config",
        f"MCP server bloated: skipped tool {repr(CLEAR + 'x' * 50)[:50]}... "
        "(1000009 characters): its name is not letters, digits, '_', '-' and '.'",
        "MCP server bloated: skipped tool '': its name is not letters, digits, '_', '-' and '.'",
        "MCP server bloated: skipped tool 'enum': its input schema is 1000055 characters of "
        f"JSON, more than the {MAX_SCHEMA_CHARS} a tool may put in the prompt",
    ]
    kept = [n for n in tools if n.startswith("many__")]
    assert 0 < len(kept) < 30
    assert lines[5:] == [
        f"MCP server many: left out its last {30 - len(kept)} tools: its tools' names, "
        f"descriptions and schemas would take more than {MAX_SERVER_CHARS} characters of the "
        "prompt"
    ]
    prompt = sum(len(json.dumps(t.spec())) for t in tools.values())
    assert prompt < 2 * MAX_SERVER_CHARS
    assert failed.is_error and failed.output.startswith(
        "Error from MCP server bloated: no such record xxx"
    )
    assert len(failed.output) < 2100
