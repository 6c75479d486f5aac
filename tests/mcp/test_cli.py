"""``assistant mcp list`` through the real CLI: servers, their state and their tools."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import assistant
from tests.mcp.conftest import NOTES, STDLIB


def test_mcp_list_shows_servers_states_and_tools(ws: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[mcp.servers.notes]\ncommand = ["{sys.executable}", "{NOTES}"]\n\n'
        f'[mcp.servers.broken]\ncommand = ["{tmp_path / "missing"}"]\n\n'
        f'[mcp.servers.std]\ncommand = ["{sys.executable}", "{STDLIB}", "--extra"]\n\n'
        '[mcp.servers.later]\nurl = "http://127.0.0.1:9/mcp"\nenabled = false\n'
    )
    out = assistant(["mcp", "list", "-C", str(ws)], ws, {"ASSISTANT_CONFIG": str(config)}, 120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "notes: ready (host)"
    assert any(ln.split()[:2] == ["notes__add_note", "asks"] for ln in lines)
    assert any(ln.split()[:2] == ["notes__list_notes", "read-only"] for ln in lines)
    assert (
        f"broken: failed (host): cannot start '{tmp_path / 'missing'}': no such program; "
        "fix the command in the config"
    ) in lines
    assert ["std__blank", "asks", "first", "blank"] in [ln.split() for ln in lines]
    assert lines[-1] == "later: disabled"


def test_mcp_list_without_servers_says_where_to_add_them(ws: Path, tmp_path: Path) -> None:
    out = assistant(["mcp", "list", "-C", str(ws)], ws, timeout=120)
    assert out.returncode == 0
    assert out.stdout.strip() == (
        f"No MCP servers configured; add [mcp.servers.NAME] to {tmp_path / 'config.toml'}."
    )


def test_a_malformed_server_entry_is_one_sentence_and_a_non_zero_exit(
    ws: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[mcp.servers.both]\ncommand = ["x"]\nurl = "http://127.0.0.1:9/mcp"\n')
    out = assistant(["mcp", "list", "-C", str(ws)], ws, {"ASSISTANT_CONFIG": str(config)}, 120)
    assert out.returncode == 1 and out.stdout == ""
    assert "mcp.servers.both" in out.stderr
    assert "give exactly one of command (stdio) or url (streamable HTTP)" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_headless_run_uses_an_mcp_tool_and_notes_a_broken_server(ws: Path, tmp_path: Path) -> None:
    from tests.cli.test_cli import claude_args
    from tests.fakes.anthropic_server import anthropic_fake, text, tool_use

    config = tmp_path / "config.toml"
    config.write_text(
        '[approval]\nallow = ["notes__add_note"]\n\n'
        f'[mcp.servers.notes]\ncommand = ["{sys.executable}", "{NOTES}"]\n\n'
        f'[mcp.servers.broken]\ncommand = ["{tmp_path / "missing"}"]\n'
    )
    with anthropic_fake() as fake:
        fake.script(tool_use("notes__add_note", {"text": "ship it"}), text("Noted."))
        out = assistant(
            [
                "run",
                "-p",
                "note: ship it",
                "--approve",
                "auto",
                "--sandbox",
                "host",
                *claude_args(fake),
            ],
            ws,
            {"ASSISTANT_CONFIG": str(config), "ANTHROPIC_API_KEY": "k"},
            120,
        )
        sent = fake.message_requests[1].body["messages"][-1]["content"][0]
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Noted."
    assert "note: MCP server broken: failed (host)" not in out.stderr
    assert f"note: MCP server broken: failed: cannot start '{tmp_path / 'missing'}'" in out.stderr
    assert sent["type"] == "tool_result" and "saved note 1: ship it" in str(sent["content"])


@pytest.mark.slow
def test_plain_chat_shows_why_an_mcp_server_is_missing(tmp_path: Path, ws: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[mcp.servers.broken]\ncommand = ["{tmp_path / "missing"}"]\n')
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "chat", "--plain", "--sandbox", "host"],
        cwd=ws,
        env={
            **os.environ,
            "ASSISTANT_CONFIG": str(config),
            "ASSISTANT_DATA_DIR": str(tmp_path),
            "COLUMNS": "400",
        },
        input="/quit\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert f"MCP server broken: failed: cannot start '{tmp_path / 'missing'}'" in out.stdout


def test_run_can_force_an_mcp_tool(tmp_path: Path, ws: Path) -> None:
    from tests.cli.test_cli import claude_args
    from tests.fakes.anthropic_server import anthropic_fake, text, tool_use

    config = tmp_path / "config.toml"
    config.write_text(
        '[approval]\nallow = ["notes__add_note"]\n\n'
        f'[mcp.servers.notes]\ncommand = ["{sys.executable}", "{NOTES}"]\n'
    )
    with anthropic_fake() as fake:
        fake.script(tool_use("notes__add_note", {"text": "ship it"}), text("Noted."))
        out = assistant(
            ["run", "-p", "note: ship it", "--approve", "auto", "--sandbox", "host",
             "--tool-choice", "notes__add_note", *claude_args(fake)],
            ws,
            {"ASSISTANT_CONFIG": str(config), "ANTHROPIC_API_KEY": "k"},
            120,
        )  # fmt: skip
        first = fake.message_requests[0].body if fake.message_requests else {}
    assert out.returncode == 0, out.stderr
    assert first["tool_choice"] == {"type": "tool", "name": "notes__add_note"}
