"""Fixtures for the MCP tests: the SDK-written fixture servers, run for real."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import McpServerSettings

SERVERS = Path(__file__).resolve().parents[1] / "fixtures" / "mcp_servers"
NOTES = SERVERS / "notes_server.py"
SILENT = SERVERS / "silent_server.py"
STDLIB = SERVERS / "stdlib_server.py"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    d = tmp_path / "ws"
    d.mkdir()
    return d


def notes_server(**kw: object) -> McpServerSettings:
    """The notes fixture server as a stdio server from the user's config."""
    return McpServerSettings(command=[sys.executable, str(NOTES)], **kw)  # type: ignore[arg-type]


def stdlib_server(**kw: object) -> McpServerSettings:
    """The plain-Python fixture server with its awkward extra tools (``--extra``)."""
    return McpServerSettings(command=[sys.executable, str(STDLIB), "--extra"], **kw)  # type: ignore[arg-type]


def raw_server(answer: str) -> str:
    """A server in plain Python, no SDK: it answers ``initialize`` and lets ``answer`` (code
    that sets ``result``, or a JSON-RPC ``error``, from ``req``) answer every other request."""
    body = "\n".join("    " + line for line in answer.strip("\n").splitlines())
    return f"""
import json, os, sys
for line in sys.stdin:
    req = json.loads(line)
    if "id" not in req:
        continue
    result, error = {{}}, None
    if req["method"] == "initialize":
        result = {{"protocolVersion": req["params"]["protocolVersion"],
                  "capabilities": {{"tools": {{}}}}, "serverInfo": {{"name": "raw", "version": "0"}}}}
{body}
    answer = {{"error": error}} if error else {{"result": result}}
    sys.stdout.write(json.dumps({{"jsonrpc": "2.0", "id": req["id"], **answer}}) + "\\n")
    sys.stdout.flush()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_notes() -> Iterator[str]:
    """The notes server over streamable HTTP on 127.0.0.1; yields its /mcp URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(NOTES), "http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("the HTTP fixture server exited") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the HTTP fixture server did not listen within 20 s")
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
