"""BwrapSandbox: bubblewrap isolation for machines without Docker.

Only what a toolchain needs is mounted, read-only: ``/usr`` (and the ``/bin``, ``/lib``...
links or directories), ``/etc`` and ``/opt``.  Home is an empty tmpfs (no ``~/.ssh``,
``~/.aws``, other sessions' logs), there is no ``/run`` or ``/var`` (so no
``/var/run/docker.sock``: a read-only bind would not stop ``connect()``), ``/tmp`` is private,
the workspace is read-write except the paths the host later runs (see ``protect``), and
the network and pid namespaces are private.  Lighter than a container (no memory or pid
limits), same persistent-shell framing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant.tools.hostpath import host_path, host_which
from assistant.tools.sandbox.base import ExecResult, SandboxError
from assistant.tools.sandbox.host import ProcessTransport, allowed_env, stat_fields
from assistant.tools.sandbox.protect import (
    ProtectedMounts,
    ProtectError,
    RepositoryGuard,
    prepare,
)
from assistant.tools.sandbox.shell import DEFAULT_MAX_OUTPUT, PersistentShell, driver_argv


def _children(pid: int) -> list[int]:
    out: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                out += [int(c) for c in (task / "children").read_text().split()]
    return out


def find_driver(root_pid: int) -> int | None:
    """Host pid of the first ``bash`` under ``root_pid`` (bwrap -> ns init -> bash driver)."""
    todo = [root_pid]
    seen = 0
    while todo and seen < 64:
        pid = todo.pop(0)
        seen += 1
        with contextlib.suppress(OSError):
            if pid != root_pid and Path(f"/proc/{pid}/comm").read_text().strip() == "bash":
                return pid
        todo += _children(pid)
    return None


def pid_namespace(bwrap_pid: int) -> str | None:
    """The pid namespace bwrap made (that of its child, the namespace's init), or None."""
    with contextlib.suppress(OSError):
        ours = os.readlink("/proc/self/ns/pid")
        for pid in _children(bwrap_pid):
            with contextlib.suppress(OSError):
                ns = os.readlink(f"/proc/{pid}/ns/pid")
                if ns != ours:
                    return ns
    return None


def _running_in(ns: str) -> list[int]:
    """Processes in pid namespace ``ns`` that can still run (zombies cannot)."""
    out = []
    for d in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            in_ns = d.name.isdigit() and os.readlink(d / "ns" / "pid") == ns
            if in_ns and stat_fields(d)[0] not in ("Z", "X"):  # zombies cannot run
                out.append(int(d.name))
    return out


def kill_namespace(ns: str, timeout: float = 5.0) -> bool:
    """SIGKILL every process in pid namespace ``ns`` until none runs; False when some
    still run after ``timeout``.

    Killing bwrap's session takes the namespace's init, and the kernel then kills the
    rest, but only after bwrap itself is gone: until then a background process (even one
    that left the session with ``setsid``) can still write to the workspace.
    """
    deadline = time.monotonic() + timeout
    while live := _running_in(ns):
        if time.monotonic() > deadline:
            return False
        for pid in live:
            with contextlib.suppress(OSError):  # a pidfd: a reused pid is never signalled
                fd = os.pidfd_open(pid)
                try:
                    if os.readlink(f"/proc/{pid}/ns/pid") == ns:
                        signal.pidfd_send_signal(fd, signal.SIGKILL)
                finally:
                    os.close(fd)
        time.sleep(0.01)
    return True


# Top-level directories a toolchain reads.  On merged-/usr systems /bin, /lib... are links.
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt")
SANDBOX_HOME = "/home/sandbox"


def system_binds(root: Path = Path("/")) -> list[str]:
    """bwrap arguments that show the system directories read-only (links kept as links)."""
    args: list[str] = []
    for name in SYSTEM_DIRS:
        p = root / name
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), f"/{name}"]
        elif p.is_dir():
            args += ["--ro-bind", str(p), f"/{name}"]
    return args


class BwrapSandbox:
    """A persistent shell inside ``bwrap`` (read-only root, rw workspace, no network)."""

    name = "bwrap"

    def __init__(
        self,
        workspace: str | Path,
        session_id: str = "bwrap",
        *,
        network: bool = False,
        env: dict[str, str] | None = None,
        max_output: int = DEFAULT_MAX_OUTPUT,
    ) -> None:
        self.workspace = Path(workspace).resolve()
        if not self.workspace.is_dir():
            raise SandboxError(
                f"Workspace {self.workspace} is not a directory; pass an existing one."
            )
        self.bwrap = host_which("bwrap", self.workspace)
        if self.bwrap is None:
            raise SandboxError(
                "bubblewrap is not installed; install it with `apt-get install -y bubblewrap`."
            )
        self.session_id = session_id
        self.workdir = str(self.workspace)
        self.network = network
        self._env = allowed_env(env, HOME=SANDBOX_HOME)
        for k in ("USER", "LOGNAME", "SHELL", "TMPDIR"):
            self._env.pop(k, None)
        self._protected: ProtectedMounts | None = None
        self._repos = RepositoryGuard(self.workspace)
        self._state = tempfile.mkdtemp(prefix="assistant-bwrap-")
        self._driver: int | None = None
        self._bwrap: asyncio.subprocess.Process | None = None
        self.shell = PersistentShell(self._connect, max_output=max_output, on_dead=self._gone)

    def _protect(self) -> list[str]:
        try:
            fresh = prepare(self.workspace)
        except ProtectError as exc:
            raise SandboxError(str(exc)) from None
        if self._protected is not None:  # a restart: keep the first start's placeholders
            fresh.placeholders = self._protected.placeholders + fresh.placeholders
        self._protected = fresh
        args: list[str] = []
        for p in fresh.paths:
            args += ["--ro-bind", str(p), str(p)]
        return args

    def argv(self) -> list[str]:
        ws, st = str(self.workspace), self._state
        inner, _ = driver_argv(st)
        args = [
            self.bwrap,
            *system_binds(),
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "--tmpfs",
            "/tmp",
            "--tmpfs",
            SANDBOX_HOME,
            "--bind",
            ws,
            ws,
            *self._protect(),
            "--bind",
            st,
            st,
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--hostname",
            "sandbox",
            "--die-with-parent",
            "--chdir",
            ws,
        ]
        if not self.network:
            args.append("--unshare-net")
        return [*args, "--", *inner]

    async def _connect(self) -> ProcessTransport:
        _, extra = driver_argv(self._state)
        self._driver = None

        def driver_pid(proc) -> int | None:
            if self._driver is None:
                self._driver = find_driver(proc.pid)
            return self._driver

        argv = await asyncio.to_thread(self.argv)  # asks git, scans the workspace
        try:
            transport = await ProcessTransport.spawn(
                argv, {**self._env, **extra}, str(self.workspace), driver_pid=driver_pid
            )
        except OSError:
            self._release()
            raise
        self._bwrap = transport.proc
        return transport

    def _release(self) -> None:
        """Remove the placeholders; only while no sandbox process of ours is running."""
        protected, self._protected = self._protected, None
        if protected is not None:
            protected.cleanup()

    async def _gone(self) -> None:
        """The shell was dropped (and its processes killed): a failed start (bwrap refused
        by the kernel) or a dead driver leaves no placeholders; a restart remakes them."""
        self._release()

    async def exec(
        self,
        command: str,
        timeout: float = 60.0,
        on_output: Callable[[str], None] | None = None,
    ) -> ExecResult:
        return await self._repos.run(lambda: self.shell.exec(command, timeout, on_output))

    async def close(self) -> str | None:
        """Kill every process of the sandbox (its whole pid namespace, background ones
        included), then name the repositories left since the last command."""
        bwrap, self._bwrap = self._bwrap, None
        # Not yet reaped, so its pid is not reused: read while bwrap still runs.
        ns = pid_namespace(bwrap.pid) if bwrap and bwrap.returncode is None else None
        await self.shell.close()
        if ns is not None:
            await asyncio.to_thread(kill_namespace, ns)
        shutil.rmtree(self._state, ignore_errors=True)
        self._release()
        return await self._repos.last_check()


def bwrap_usable(workspace: Path | None = None) -> bool:
    """True when ``bwrap`` exists (outside ``workspace``, see ``hostpath``) and can create
    its namespaces here."""
    exe = host_which("bwrap", workspace)
    if exe is None:
        return False
    import subprocess

    try:
        r = subprocess.run(
            [
                exe,
                "--ro-bind",
                "/",
                "/",
                "--unshare-pid",
                "--unshare-net",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "true",
            ],
            capture_output=True,
            timeout=10,
            env={"PATH": host_path(workspace) or "/usr/bin"},
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0
