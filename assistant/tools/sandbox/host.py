"""HostSandbox: commands run directly on this machine (explicit opt-in only).

There is no isolation here; the agent asks before every command.  It still gets the same
persistent-shell framing as the container (process groups, timeouts, output caps) and the
same environment allowlist, so host API keys do not leak into commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

from assistant.tools.hostpath import host_which
from assistant.tools.sandbox.base import ExecResult, SandboxError
from assistant.tools.sandbox.shell import DEFAULT_MAX_OUTPUT, PersistentShell, driver_argv

# Host variables that may pass into sandboxed commands; everything else (API keys!) stays out.
ENV_ALLOWLIST = (
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TERM",
    "TZ",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "COLUMNS",
    "LINES",
    "TMPDIR",
)


def allowed_env(extra: dict[str, str] | None = None, **fixed: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ENV_ALLOWLIST}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.setdefault("TERM", "dumb")
    env.update(fixed)
    env.update(extra or {})
    return env


def stat_fields(proc_dir: Path) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name: state ppid pgrp session
    ... (the name, in parentheses, may itself hold spaces and parentheses)."""
    stat = (proc_dir / "stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()


def kill_session(sid: int) -> None:
    """SIGKILL every process of session ``sid`` (the driver and all its commands' groups)."""
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = stat_fields(d)
            if int(fields[3]) == sid:
                os.kill(int(d.name), signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            continue


class ProcessTransport:
    """The driver as a local subprocess (host backend, bwrap backend)."""

    def __init__(self, proc: asyncio.subprocess.Process, driver_pid: Callable[[], int | None]):
        self.proc = proc
        self._driver_pid = driver_pid

    @classmethod
    async def spawn(
        cls,
        argv: list[str],
        env: dict[str, str],
        cwd: str,
        driver_pid: Callable[[asyncio.subprocess.Process], int | None] | None = None,
        pass_fds: tuple[int, ...] = (),
    ) -> ProcessTransport:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,  # Ctrl-C in the terminal does not hit the sandbox
            pass_fds=pass_fds,
        )
        finder = driver_pid or (lambda p: p.pid)
        return cls(proc, lambda: finder(proc))

    async def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        await self.proc.stdin.drain()

    async def read(self) -> bytes:
        assert self.proc.stdout is not None
        return await self.proc.stdout.read(65536)

    async def interrupt(self) -> None:
        pid = self._driver_pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGUSR1)

    async def close(self) -> None:
        kill_session(self.proc.pid)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.proc.wait(), 5)


class HostSandbox:
    """Runs commands on the host in ``workspace`` with a persistent bash."""

    name = "host"

    def __init__(
        self,
        workspace: str | Path,
        session_id: str = "host",
        *,
        env: dict[str, str] | None = None,
        max_output: int = DEFAULT_MAX_OUTPUT,
    ) -> None:
        self.workspace = Path(workspace).resolve()
        if not self.workspace.is_dir():
            raise SandboxError(
                f"Workspace {self.workspace} is not a directory; pass an existing one."
            )
        bash = host_which("bash", self.workspace)
        if bash is None:
            raise SandboxError("bash is not installed; install it to use the host sandbox.")
        self.bash = bash
        self.session_id = session_id
        self.workdir = str(self.workspace)
        # The commands keep the user's absolute PATH entries (an activated .venv, a
        # direnv-added bin/): each is asked. A relative entry ('./node_modules/.bin')
        # would point into the workspace even for the runner's own `bash`, so it goes.
        self._env = allowed_env(env)
        if "PATH" in self._env:
            entries = self._env["PATH"].split(os.pathsep)
            self._env["PATH"] = os.pathsep.join(d for d in entries if os.path.isabs(d))
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # tmpfs: faster state saves
        self._state = tempfile.mkdtemp(prefix="assistant-shell-", dir=shm)
        self.shell = PersistentShell(self._connect, max_output=max_output)

    async def _connect(self) -> ProcessTransport:
        argv, extra = driver_argv(self._state)
        argv = [self.bash, *argv[1:]]
        return await ProcessTransport.spawn(argv, {**self._env, **extra}, str(self.workspace))

    async def exec(
        self,
        command: str,
        timeout: float = 60.0,
        on_output: Callable[[str], None] | None = None,
    ) -> ExecResult:
        return await self.shell.exec(command, timeout, on_output)

    async def close(self) -> None:
        await self.shell.close()
        shutil.rmtree(self._state, ignore_errors=True)
