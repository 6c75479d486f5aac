"""Placement of servers from your own config: one that names workspace code anywhere in its
command or env (launcher flags, ``--opt=path``, shell code, ``${VAR}``, symlinks) never
runs on the host; one that names nothing inside the workspace still does."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from assistant.config import McpServerSettings, load_settings
from assistant.tools.base import ToolContext
from assistant.tools.mcp import McpManager
from assistant.tools.mcp.config import workspace_reference
from tests.mcp.conftest import STDLIB

PY = sys.executable


def workspace_code(ws: Path, marker: Path) -> None:
    """Files in the workspace that leave ``marker`` when anything runs them."""
    touch = f"open({str(marker)!r}, 'w').close()\n"
    (ws / "server.py").write_text(touch)
    (ws / "lib").mkdir()
    (ws / "lib" / "wsmod.py").write_text(touch)
    (ws / "start.sh").write_text(f"touch {marker}\n")
    (ws / "hook.js").write_text(f"require('fs').writeFileSync({json.dumps(str(marker))}, '')\n")
    (ws / "node_modules" / ".bin").mkdir(parents=True)
    (ws / "node_modules" / ".bin" / "ws-tool").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (ws / "node_modules" / ".bin" / "ws-tool").chmod(0o755)
    (ws / "bin").mkdir()
    (ws / "bin" / "py").symlink_to(PY)  # points outside now; the workspace may swap it


def toml_value(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def write_config(path: Path, servers: dict[str, dict[str, object]]) -> None:
    lines = []
    for name, table in servers.items():
        lines.append(f"[mcp.servers.{name}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    path.write_text("\n".join(lines) + "\n")


async def test_a_user_server_naming_workspace_code_through_launcher_flags_is_refused(
    ws: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran-on-host"
    workspace_code(ws, marker)
    (tmp_path / "elsewhere.js").write_text("")
    (tmp_path / "link.py").symlink_to(ws / "server.py")
    near = {"cwd": str(tmp_path)}  # the workspace's parent: ws/... are relative paths into it
    servers: dict[str, dict[str, object]] = {
        "xdev": {"command": [PY, "-X", "dev", "ws/server.py"], **near},
        "wignore": {"command": [PY, "-W", "ignore", f"{ws}/server.py"]},
        "chdir": {"command": ["env", f"--chdir={ws}", "sh", "start.sh"]},
        "require": {"command": ["node", f"--require={ws}/hook.js", str(tmp_path / "elsewhere.js")]},
        "shell": {"command": ["sh", "-c", f"cd {ws} && ./start.sh"]},
        "npx": {"command": ["npx", "--prefix", "ws", "ws-tool"], **near},
        "uv": {"command": ["uv", "run", "--directory", "./ws", "server"], **near},
        "expanded": {"command": [PY, "-X", "dev", "${WS}/server.py"]},
        "linked": {"command": [PY, "-X", "dev", str(tmp_path / "link.py")]},
        "swappable": {"command": [str(ws / "bin" / "py"), str(STDLIB)]},
        "pythonpath": {"command": [PY, "-m", "wsmod"], "env": {"PYTHONPATH": f"/nowhere:{ws}/lib"}},
    }
    write_config(tmp_path / "config.toml", servers)
    settings = load_settings(ws)
    environ = {**os.environ, "WS": str(ws)}
    manager = McpManager(settings.mcp.servers, ws, sandbox_kind="bwrap", environ=environ)
    try:
        assert await manager.start() == []
    finally:
        await manager.close()
    states = {name: conn.state for name, conn in manager.connections.items()}
    assert states == dict.fromkeys(servers, "refused")
    assert not marker.exists()
    detail = {name: conn.detail for name, conn in manager.connections.items()}
    assert detail["wignore"].startswith(f"its command comes from {ws / 'server.py'} in the ")
    assert detail["linked"].startswith(f"its command comes from {ws / 'server.py'} in the ")
    assert detail["swappable"].startswith(f"its command comes from {ws / 'bin' / 'py'} in the ")
    assert detail["pythonpath"].startswith(f"its env PYTHONPATH names {ws / 'lib'} in the ")


async def test_a_user_server_naming_nothing_inside_the_workspace_runs_on_the_host(
    ws: Path, tmp_path: Path
) -> None:
    # Paths that only contain the workspace (its parent, /) or lie beside it are not its code.
    (ws / "stdlib_server.py").write_text("raise SystemExit('workspace code ran')\n")
    servers: dict[str, dict[str, object]] = {
        "flags": {"command": [PY, "-X", "dev", "-W", "ignore", str(STDLIB)]},
        "shell": {"command": ["sh", "-c", f"cd / && exec {PY} {STDLIB} --root={tmp_path}"]},
        "env": {"command": ["env", "--chdir=/", PY, str(STDLIB)], "env": {"DATA": str(tmp_path)}},
    }
    write_config(tmp_path / "config.toml", servers)
    settings = load_settings(ws)
    manager = McpManager(settings.mcp.servers, ws, sandbox_kind="bwrap")
    try:
        tools = {t.name: t for t in await manager.start()}
        assert set(tools) == {"flags__where", "shell__where", "env__where"}
        assert {c.where for c in manager.connections.values()} == {"host"}
        result = await tools["flags__where"].run({}, ToolContext(workspace=ws))
    finally:
        await manager.close()
    assert json.loads(result.output)["safepath"] == "1"
    assert manager.lines == []


@pytest.mark.parametrize(
    "arg", ["-r../ws/hook.js", "--prefix=../ws", "--require=../ws/hook.js x", "/nowhere:../ws/lib"]
)
def test_each_spelling_of_a_path_into_the_workspace_is_found(ws: Path, arg: str) -> None:
    (ws / "hook.js").write_text("")
    (ws / "lib").mkdir()
    cwd = ws.parent / "side"  # beside the workspace: ../ws leads into it
    cwd.mkdir()
    assert workspace_reference(["node", arg], {}, ws, cwd)
    assert workspace_reference(["node"], {"NODE_OPTIONS": arg}, ws, cwd)
    beside = arg.replace("../ws", "../side")
    assert workspace_reference(["node", beside], {"NODE_OPTIONS": beside}, ws, cwd) is None


@pytest.mark.docker
@pytest.mark.slow
async def test_a_user_server_naming_the_workspace_runs_in_the_sandbox_with_its_paths_there(
    ws: Path,
) -> None:
    import secrets

    from assistant.agent.builder import LazySandbox

    (ws / "tools").mkdir()
    (ws / "tools" / "where_server.py").write_text(STDLIB.read_text())
    sandbox = LazySandbox("docker", ws, f"mcp-paths-{secrets.token_hex(4)}")
    cfg = McpServerSettings(
        command=["sh", "-c", f"cd {ws}/tools && exec python3 where_server.py"],
        env={"WHERE_TOKEN": f"--data={ws}/data"},
        startup_timeout=60,
    )
    sandbox.mcp = manager = McpManager({"where": cfg}, ws, sandbox_provider=sandbox)
    try:
        tools = await manager.start()
        assert manager.lines == [] and manager.connections["where"].where == "sandbox"
        result = await tools[0].run({}, ToolContext(workspace=ws))
    finally:
        await manager.close()
        await sandbox.close()
    where = json.loads(result.output)
    assert where["cwd"] == "/workspace/tools" and where["token"] == "--data=/workspace/data"
