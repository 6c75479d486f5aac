"""Adversarial commands against one real, locked-down container.

Every test asserts the stated outcome *and* that the session survives (``echo alive``).
One module-scoped sandbox keeps the suite fast.
"""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest
import pytest_asyncio

from assistant.tools.sandbox import open_sandbox
from tests.sandbox.conftest import FAKE_KEY

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sb(docker_ready, tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    saved = {k: os.environ.get(k) for k in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY")}
    os.environ["ANTHROPIC_API_KEY"] = FAKE_KEY  # must never reach the container
    os.environ["OPENAI_API_KEY"] = FAKE_KEY
    box = open_sandbox("docker", ws, "adversarial", max_output=16 * 1024)
    try:
        res = await box.exec("echo ready", timeout=60)
        assert res.output == "ready\n"
        yield box
    finally:
        await box.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


async def alive(box) -> None:
    res = await box.exec("echo alive", timeout=30)
    assert (res.exit_code, res.output) == (0, "alive\n")


async def test_cwd_and_exports_persist(sb):
    res = await sb.exec("mkdir -p /tmp/d && cd /tmp/d && export GREETING='hi there'", timeout=10)
    assert res.exit_code == 0 and res.cwd == "/tmp/d"
    res = await sb.exec('pwd; echo "$GREETING"', timeout=10)
    assert res.output == "/tmp/d\nhi there\n"
    res = await sb.exec("unset GREETING; cd /workspace", timeout=10)
    res = await sb.exec('echo "[${GREETING-unset}]"; pwd', timeout=10)
    assert res.output == "[unset]\n/workspace\n" and res.cwd == "/workspace"


async def test_workspace_files_belong_to_host_user(sb):
    res = await sb.exec("echo data > /workspace/owned.txt", timeout=10)
    assert res.exit_code == 0
    ws = Path(sb.workspace)
    st = (ws / "owned.txt").stat()
    assert (st.st_uid, st.st_gid) == (os.getuid(), os.getgid())
    assert (ws / "owned.txt").read_text() == "data\n"


async def test_fork_bomb_hits_pids_limit(sb):
    # bash retries a failing fork for up to ~15 s before giving up on `sleep`.
    res = await sb.exec(":(){ :|:& };:; sleep 3; echo done", timeout=40)
    assert "Resource temporarily unavailable" in res.output
    res = await sb.exec("echo alive", timeout=30)  # the guard kills the leftover bomb first
    assert res.exit_code == 0 and res.output.endswith("alive\n")
    assert "process limit was reached" in res.output
    await alive(sb)
    res = await sb.exec("ps -e --no-headers | wc -l", timeout=30)
    assert int(res.output) < 10, res.output  # the bomb's processes are gone
    res = await sb.exec("cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null")
    assert "128" in res.output


async def test_memory_bomb_reports_oom(sb):
    res = await sb.exec("python3 -c 'x = bytearray(2 << 30); print(len(x))'", timeout=60)
    assert res.exit_code == 137 and res.oom_killed, res
    assert "out of memory" in res.output
    await alive(sb)


async def test_timeout_kills_the_process_group(sb):
    res = await sb.exec("sleep 100 & sleep 100; echo never", timeout=2)
    assert res.timed_out and "never" not in res.output
    assert res.duration_s < 8
    res = await sb.exec("ps -eo comm --no-headers", timeout=10)
    assert "sleep" not in res.output.split()
    await alive(sb)


async def test_endless_output_is_capped_and_host_memory_bounded(sb):
    proc = psutil.Process()
    before = proc.memory_info().rss
    chunks: list[int] = []
    res = await sb.exec("yes", timeout=4, on_output=lambda s: chunks.append(len(s)))
    grown = proc.memory_info().rss - before
    assert res.timed_out and res.truncated
    assert "bytes of output cut" in res.output
    assert len(res.output) < 20 * 1024
    assert res.output.startswith("y\ny\n")
    assert res.output.endswith("y\ny\n\n[command timed out and was killed]\n")
    assert sum(chunks) < 10 * 1024  # live streaming stops at the cap too
    assert grown < 100 * 2**20, f"host RSS grew by {grown / 2**20:.0f} MiB"
    await alive(sb)


async def test_filling_tmp_hits_tmpfs_limit(sb):
    res = await sb.exec("dd if=/dev/zero of=/tmp/fill bs=1M count=200", timeout=60)
    assert res.exit_code != 0 and "No space left on device" in res.output
    res = await sb.exec("cd /tmp && export AFTER_FULL=1", timeout=10)  # state still saved
    res = await sb.exec("rm -f /tmp/fill; echo $AFTER_FULL; pwd", timeout=10)
    assert res.output == "1\n/tmp\n"
    await alive(sb)


async def test_root_filesystem_is_read_only(sb):
    res = await sb.exec("echo x > /etc/evil", timeout=10)
    assert res.exit_code != 0 and "Read-only file system" in res.output
    res = await sb.exec("touch /usr/bin/evil", timeout=10)
    assert res.exit_code != 0 and "Read-only file system" in res.output
    await alive(sb)


async def test_no_network(sb):
    res = await sb.exec(
        "python3 -c \"import socket; socket.create_connection(('1.1.1.1', 443), 3)\"", timeout=20
    )
    assert res.exit_code != 0 and "Network is unreachable" in res.output
    res = await sb.exec(
        "python3 -c \"import socket; socket.getaddrinfo('deb.debian.org', 80)\"", timeout=20
    )
    assert res.exit_code != 0 and "gaierror" in res.output
    res = await sb.exec("echo > /dev/tcp/1.1.1.1/80", timeout=20)
    assert res.exit_code != 0
    res = await sb.exec("curl -sS https://example.com || echo no-curl", timeout=20)
    assert "<html" not in res.output
    res = await sb.exec("grep -v '^Iface' /proc/net/route | wc -l", timeout=10)
    assert res.output.strip() == "0"  # no routes at all
    await alive(sb)


async def test_no_host_secrets_inside(sb):
    for cmd in ("env", "cat /proc/1/environ | tr '\\0' '\\n'", "cat /proc/self/environ"):
        res = await sb.exec(cmd, timeout=10)
        assert res.exit_code == 0
        assert FAKE_KEY not in res.output and "API_KEY" not in res.output, cmd
    res = await sb.exec("ls -la /var/run/docker.sock /run/docker.sock 2>&1", timeout=10)
    assert "No such file" in res.output
    await alive(sb)


async def test_no_capabilities_no_new_privileges(sb):
    res = await sb.exec("grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status", timeout=10)
    assert "CapEff:\t0000000000000000" in res.output
    assert "CapBnd:\t0000000000000000" in res.output
    assert "NoNewPrivs:\t1" in res.output


async def test_setuid_and_su_fail(sb):
    res = await sb.exec(
        "python3 -c 'import os; os.setuid(0 if os.getuid() else 12345)'", timeout=10
    )
    assert res.exit_code != 0 and "PermissionError" in res.output
    res = await sb.exec("su -c id root </dev/null; echo rc=$?", timeout=10)
    assert "rc=0" not in res.output
    res = await sb.exec("sudo id; echo rc=$?", timeout=10)
    assert "rc=0" not in res.output
    res = await sb.exec("chown 12345 /workspace/owned.txt 2>&1 || echo denied", timeout=10)
    assert "denied" in res.output
    await alive(sb)


async def test_fake_end_marker_does_not_fool_the_shell(sb):
    cmd = (
        "printf '\\n__END_0123456789abcdef01234567__ 0 0 /etc\\n'; "
        'echo "nonce:[$1$__n$__h]"; cd /usr; exit 3'
    )
    res = await sb.exec(cmd, timeout=10)
    assert res.exit_code == 3 and res.cwd == "/usr"
    assert "__END_0123456789abcdef01234567__ 0 0 /etc" in res.output
    assert "nonce:[]" in res.output
    await sb.exec("cd /workspace", timeout=10)
    await alive(sb)


async def test_interactive_programs_do_not_hang(sb):
    res = await sb.exec("read x; echo rc=$?", timeout=5)
    assert not res.timed_out and "rc=1" in res.output
    res = await sb.exec("python3", timeout=5)
    assert not res.timed_out and res.exit_code == 0
    res = await sb.exec("python3 -c 'import sys; sys.stdin.read(); print(\"eof\")'", timeout=5)
    assert res.output == "eof\n"
    # Something that waits forever regardless of stdin still only costs the timeout.
    res = await sb.exec("tail -f /dev/null", timeout=2)
    assert res.timed_out
    await alive(sb)


async def test_shell_killed_from_inside_restarts(sb):
    res = await sb.exec("kill -9 $PPID", timeout=10)  # kill the driver itself
    res = await sb.exec("echo back; pwd", timeout=60)
    assert res.output.startswith("back\n")


async def test_stopped_shell_does_not_leave_the_command_running(sb, docker_ready):
    """The command stops its driver, so the kill on timeout gets no answer: the container
    (and the command spinning a CPU in it) goes at once, not at the next command."""
    from tests.sandbox.conftest import sandbox_containers

    sb.shell.kill_grace_s = 1.0
    try:
        res = await sb.exec("kill -STOP $PPID; while :; do :; done", timeout=2)
    finally:
        sb.shell.kill_grace_s = 5.0
    assert res.timed_out, res.output
    assert sb.container is None
    assert sandbox_containers(docker_ready, "adversarial") == []
    res = await sb.exec("echo back", timeout=60)
    assert res.output == "back\n", res.output
