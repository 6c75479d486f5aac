"""The host and bubblewrap backends: same shell framing, no Docker needed."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from assistant.tools.sandbox import SandboxError, open_sandbox
from assistant.tools.sandbox.bwrap import bwrap_usable

BACKENDS = [
    "host",
    pytest.param(
        "bwrap",
        marks=pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run here"),
    ),
]


@pytest.fixture(params=BACKENDS)
async def box(request, tmp_path, fake_secret):
    sb = open_sandbox(request.param, tmp_path, f"local-{request.param}")
    yield sb
    await sb.close()


async def alive(sb) -> None:
    res = await sb.exec("echo alive", timeout=10)
    assert (res.exit_code, res.output) == (0, "alive\n")


async def test_state_persists(box, tmp_path):
    res = await box.exec("mkdir sub && cd sub && export V='a b'", timeout=10)
    assert res.cwd == str(tmp_path / "sub")
    res = await box.exec('pwd; echo "$V"; exit 4', timeout=10)
    assert (res.exit_code, res.output) == (4, f"{tmp_path / 'sub'}\na b\n")


async def test_errors_read_as_bash_prints_them(box):
    """As ``bash -c`` prints them: the command's own line numbers, not the runner's."""
    res = await box.exec("echo a\npython33 --version\nif then", timeout=10)
    assert res.output.splitlines() == [
        "a",
        "bash: line 2: python33: command not found",
        "bash: eval: line 3: syntax error near unexpected token `then'",
        "bash: eval: line 3: `if then'",
    ]


async def test_timeout_kills_group_and_recovers(box):
    t = time.monotonic()
    res = await box.exec("sleep 60 & sleep 60; echo never", timeout=1)
    assert res.timed_out and res.exit_code == 137 and "never" not in res.output
    assert time.monotonic() - t < 6
    res = await box.exec("while :; do :; done", timeout=1)  # a pure-shell loop, no child
    assert res.timed_out
    await alive(box)


async def test_multiline_and_special_characters(box):
    cmd = "printf '%s\\n' \"tab\there\" 'back\\slash' \"$'\\x01'\" | od -c | head -3\ncat <<'E'\nq'\"$x\nE"
    res = await box.exec(cmd, timeout=10)
    assert res.exit_code == 0 and "\\" in res.output and "q'\"$x" in res.output


async def test_fake_marker_and_no_secrets(box):
    res = await box.exec("printf '\\n__END_abc__ 0 0 /\\n'; env; (exit 9)", timeout=10)
    assert res.exit_code == 9
    assert "sk-ant-FAKE" not in res.output and "ANTHROPIC_API_KEY" not in res.output


async def test_output_cap_and_streaming(box):
    seen: list[str] = []
    res = await box.exec("seq 1 200000", timeout=20, on_output=seen.append)
    assert res.truncated and res.output.startswith("1\n2\n") and res.output.endswith("200000\n")
    assert "bytes of output cut" in res.output
    assert "".join(seen).startswith("1\n2\n3\n")


async def test_cancel_kills_command_and_shell_survives(box):
    task = asyncio.create_task(box.exec("sleep 30", timeout=60))
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await alive(box)


async def test_stdin_is_devnull(box):
    res = await box.exec("read x; echo rc=$?; cat; python3 -c 'print(1)'", timeout=5)
    assert not res.timed_out and res.output.startswith("rc=1\n")


@pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run here")
async def test_bwrap_isolation(tmp_path):
    sb = open_sandbox("bwrap", tmp_path, "iso")
    try:
        res = await sb.exec("touch /etc/evil_bwrap", timeout=10)
        assert "Read-only file system" in res.output
        res = await sb.exec("touch ok && ls /tmp | wc -l && echo $$", timeout=10)
        assert (tmp_path / "ok").exists()
        res = await sb.exec(
            "python3 -c \"import socket; socket.create_connection(('1.1.1.1', 53), 2)\"",
            timeout=10,
        )
        assert res.exit_code != 0 and "Network is unreachable" in res.output
        res = await sb.exec("ps -e --no-headers | wc -l", timeout=10)
        assert int(res.output) < 10  # own pid namespace
    finally:
        await sb.close()
    assert not os.path.exists("/etc/evil_bwrap")


async def test_bad_workspace_and_kind(tmp_path):
    with pytest.raises(SandboxError, match="not a directory"):
        open_sandbox("host", tmp_path / "missing")
    with pytest.raises(SandboxError, match="Unknown sandbox"):
        open_sandbox("vm", tmp_path)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", ["sleep 30", "yes tick"])
async def test_closing_under_a_running_command_reads_as_the_shell_dying(box, command):
    """An interrupted distill closes its sandbox while a tool's command still runs: the
    command ends as a dead shell (exit 137), never an AssertionError from the shell."""
    task = asyncio.create_task(box.exec(command, timeout=60))
    await asyncio.sleep(0.3)
    await box.close()
    res = await asyncio.wait_for(task, 10)
    assert res.exit_code == 137 and "sandbox shell died" in res.output
