"""run_shell / run_python against a real sandbox.

Uses ``assistant.tools.sandbox.host.HostSandbox`` when that module exists, else a
minimal subprocess sandbox defined here (one ``bash -c`` per command).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.exec import format_exec, python_command, run_python, run_shell
from assistant.tools.sandbox.base import ExecResult, SandboxError

try:  # the real host backend, written by the sandbox helper
    from assistant.tools.sandbox.host import HostSandbox as _Host

    def make_sandbox(ws: Path):
        return _Host(ws)

    USING = "host"
except ImportError:  # pragma: no cover - depends on the sandbox package's progress

    class _SubprocessSandbox:
        name = "host"

        def __init__(self, ws: Path) -> None:
            self.ws = ws

        async def exec(
            self,
            command: str,
            timeout: float = 60.0,
            on_output: Callable[[str], None] | None = None,
        ) -> ExecResult:
            t0 = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                "bash", "-c", command, cwd=self.ws,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            chunks: list[str] = []

            async def pump() -> None:
                assert proc.stdout is not None
                while data := await proc.stdout.read(4096):
                    text = data.decode("utf-8", "replace")
                    chunks.append(text)
                    if on_output:
                        on_output(text)

            timed_out = False
            try:
                await asyncio.wait_for(asyncio.gather(pump(), proc.wait()), timeout)
            except TimeoutError:
                timed_out = True
                import os
                import signal

                os.killpg(proc.pid, signal.SIGKILL)
                await proc.wait()
            code = proc.returncode if not timed_out else 124
            return ExecResult(
                code, "".join(chunks), timed_out=timed_out, duration_s=time.monotonic() - t0
            )

        async def close(self) -> None:
            pass

    def make_sandbox(ws: Path):
        return _SubprocessSandbox(ws)

    USING = "subprocess"


@pytest.fixture
async def sctx(ws: Path):
    sandbox = make_sandbox(ws)
    streamed: list[str] = []

    async def provider():
        return sandbox

    ctx = ToolContext(workspace=ws, sandbox_provider=provider, on_output=streamed.append)
    ctx.settings["streamed"] = streamed
    yield ctx
    await sandbox.close()


async def test_run_shell_output_and_exit_code(sctx: ToolContext, ws: Path) -> None:
    (ws / "hello.txt").write_text("hi there\n")
    r = await run_shell.run({"command": "cat hello.txt; echo err >&2; exit 3"}, sctx)
    assert not r.is_error
    assert "hi there" in r.output and "err" in r.output
    assert r.output.endswith("[exit code: 3]") and r.exit_code == 3
    assert "hi there" in "".join(sctx.settings["streamed"])
    r = await run_shell.run({"command": "true"}, sctx)
    assert r.output == "(no output)\n[exit code: 0]"


async def test_run_shell_timeout(sctx: ToolContext) -> None:
    t0 = time.monotonic()
    r = await run_shell.run({"command": "echo start; sleep 30", "timeout": 1}, sctx)
    assert time.monotonic() - t0 < 15
    assert "[timed out after 1s]" in r.output and r.meta["timed_out"]


async def test_run_python_heredoc_is_literal(sctx: ToolContext) -> None:
    code = (
        "import sys\n"
        "s = '$HOME `whoami` $(echo hi) EOF'\n"
        "print(s)\n"
        "print('PY_EOF_x')\n"
        "print(sys.version_info[0])\n"
        "sys.exit(5)\n"
    )
    r = await run_python.run({"code": code}, sctx)
    lines = r.output.splitlines()
    assert lines[0] == "$HOME `whoami` $(echo hi) EOF"
    assert lines[1] == "PY_EOF_x" and lines[2] == "3"
    assert r.exit_code == 5


async def test_run_python_error_traceback(sctx: ToolContext) -> None:
    r = await run_python.run({"code": "raise ValueError('boom')"}, sctx)
    assert "ValueError: boom" in r.output and r.exit_code == 1


async def test_empty_and_missing_sandbox(ws: Path, sctx: ToolContext) -> None:
    assert (await run_shell.run({"command": "  "}, sctx)).is_error
    assert (await run_python.run({"code": ""}, sctx)).is_error
    r = await run_shell.run({"command": "ls"}, ToolContext(workspace=ws))
    assert r.is_error and "No sandbox" in r.output

    async def broken():
        raise SandboxError("Docker is not running; start Docker or use --sandbox host.")

    r = await run_shell.run({"command": "ls"}, ToolContext(workspace=ws, sandbox_provider=broken))
    assert r.is_error and "Docker is not running" in r.output


def test_format_flags() -> None:
    res = ExecResult(137, "partial\n", truncated=True, timed_out=False, oom_killed=True)
    out = format_exec(res, 60)
    assert out.splitlines() == [
        "partial",
        "[output truncated]",
        "[killed: out of memory]",
        "[exit code: 137]",
    ]
    assert "[timed out after 5s]" in format_exec(ExecResult(124, "", timed_out=True), 5)


def test_python_command_shape() -> None:
    cmd = python_command("print(1)\n")
    first, body, last = cmd.split("\n")
    assert first.startswith("python3 - <<'PY_EOF_") and last == first.split("'")[1]
    assert body == "print(1)"
    assert python_command("x") != python_command("x")  # random delimiter


def test_sandbox_kind_reported() -> None:
    print(f"exec tests use the {USING} sandbox")
    assert USING in ("host", "subprocess")
