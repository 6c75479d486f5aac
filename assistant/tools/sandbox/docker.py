"""DockerSandbox: one locked-down container per session with a persistent shell.

The container's main process (under ``docker-init``) *is* the shell driver from
:mod:`assistant.tools.sandbox.shell`; we talk to it over the attach socket, so a command costs
one write and one read on a local socket: no ``docker exec`` per command.  A timeout sends
SIGUSR1 to the container, which ``docker-init`` forwards to the driver, whose trap kills the
command's process group with builtins only (works even when a fork bomb holds every pid).

Containers carry labels naming their session, owner pid and host; on start, containers
whose owner process is gone are removed, and ``close()`` / ``atexit`` remove our own.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import re
import secrets
import socket
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.tools.sandbox.base import ExecResult, SandboxError
from assistant.tools.sandbox.host import allowed_env
from assistant.tools.sandbox.image import IMAGE, docker_client, image_exists
from assistant.tools.sandbox.protect import (
    ProtectedMounts,
    ProtectError,
    RepositoryGuard,
    prepare,
)
from assistant.tools.sandbox.shell import DEFAULT_MAX_OUTPUT, PersistentShell, driver_argv

LABEL = "assistant.sandbox"
STATE_DIR = "/run/sandbox"
HOME = "/home/sandbox"
CONTAINER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# cgroup v2 first, then v1: the driver reads the oom_kill counter before/after a command.
OOM_FILES = ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")
PIDS_DIRS = ("/sys/fs/cgroup", "/sys/fs/cgroup/pids")

_live: dict[str, str] = {}  # container id -> session id, removed at exit if still there


def _proc_start_time(pid: int) -> str | None:
    """Start time of ``pid`` in clock ticks since boot (tells a reused pid from the owner)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2 :].split()[19]
    except (OSError, ValueError, IndexError):
        return None


def _owner_alive(labels: dict[str, str]) -> bool:
    try:
        pid = int(labels.get("assistant.owner_pid", ""))
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    started = labels.get("assistant.owner_start")
    return not started or _proc_start_time(pid) in (None, started)


def reap_orphans(client: Any) -> list[str]:
    """Remove sandbox containers of this host whose owner process is gone; return their ids."""
    host = socket.gethostname()
    removed = []
    # The low-level list carries the labels; the high-level one inspects every container
    # afterwards and fails with NotFound when another session removes one meanwhile.
    for c in client.api.containers(all=True, filters={"label": LABEL}):
        labels = c.get("Labels") or {}
        if labels.get("assistant.owner_host") != host or _owner_alive(labels):
            continue
        with contextlib.suppress(Exception):
            client.api.remove_container(c["Id"], force=True)
            removed.append(c["Id"])
    return removed


@atexit.register
def _cleanup_at_exit() -> None:
    if not _live:
        return
    try:
        import docker

        client = docker.from_env(timeout=10)
    except Exception:
        return
    for cid in list(_live):
        with contextlib.suppress(Exception):
            client.api.remove_container(cid, force=True)
        _live.pop(cid, None)


class AttachTransport:
    """The container's stdin/stdout over the attach socket (multiplexed frames, tty off)."""

    def __init__(
        self,
        sandbox: DockerSandbox,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        raw: Any,
    ) -> None:
        self._sb = sandbox
        self._r = reader
        self._w = writer
        self._raw = raw  # keep docker-py's socket object alive

    async def write(self, data: bytes) -> None:
        self._w.write(data)
        await self._w.drain()

    async def read(self) -> bytes:
        try:
            header = await self._r.readexactly(8)
            (size,) = struct.unpack(">xxxxL", header)
            return await self._r.readexactly(size) if size else await self.read()
        except (asyncio.IncompleteReadError, ConnectionError):
            return b""

    async def interrupt(self) -> None:
        await self._sb._signal("SIGUSR1")

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            self._w.close()
        with contextlib.suppress(Exception):
            self._raw.close()


def _size_bytes(limit: str | int) -> int:
    if isinstance(limit, int):
        return limit
    m = re.fullmatch(r"(\d+)([kmg]?)b?", limit.strip().lower())
    if not m:
        raise SandboxError(f"Memory limit {limit!r} is not a size like '512m'; fix the setting.")
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2)]


class DockerSandbox:
    """A session's container; started on the first command, removed by :meth:`close`."""

    name = "docker"

    def __init__(
        self,
        workspace: str | Path,
        session_id: str,
        *,
        image: str = IMAGE,
        network: str = "none",
        memory: str | int = "512m",
        cpus: float = 1.0,
        pids_limit: int = 128,
        tmp_size: str = "64m",
        user: str | None = None,
        env: dict[str, str] | None = None,
        max_output: int = DEFAULT_MAX_OUTPUT,
        read_only: bool = True,
        max_file_size: str | int = "4g",
        max_open_files: int = 4096,
    ) -> None:
        self.workspace = Path(workspace).resolve()
        if not self.workspace.is_dir():
            raise SandboxError(
                f"Workspace {self.workspace} is not a directory; pass an existing one."
            )
        self.session_id = session_id
        self.workdir = "/workspace"
        self.image = image
        self.network = network
        self.memory = _size_bytes(memory)
        self.cpus = cpus
        self.pids_limit = pids_limit
        self.tmp_size = tmp_size
        self.user = user or f"{os.getuid()}:{os.getgid()}"
        self.read_only = read_only
        self.max_file_size = _size_bytes(max_file_size)
        self.max_open_files = max_open_files
        self._env = {
            **allowed_env(env),
            "PATH": CONTAINER_PATH,
            "HOME": HOME,
            "LANG": "C.UTF-8",
        }
        for k in ("USER", "LOGNAME", "SHELL", "TMPDIR"):
            self._env.pop(k, None)
        if env:
            self._env.update(env)
        self._client: Any = None
        self.container: Any = None
        self._protected: ProtectedMounts | None = None
        self._repos = RepositoryGuard(self.workspace)
        # A shell given up on (no answer even to the kill) takes its container with it:
        # whatever it still runs must not go on until the next command.
        self.shell = PersistentShell(self._connect, max_output=max_output, on_dead=self._remove)
        self._closed = False

    # -- lifecycle ---------------------------------------------------------------------------

    def _protect(self) -> list[Any]:
        """The workspace, and read-only mounts over the paths the host runs (``protect``)."""
        from docker.types import Mount

        try:
            fresh = prepare(self.workspace)
        except ProtectError as exc:
            raise SandboxError(str(exc)) from None
        if self._protected is not None:  # an old container Docker would not remove holds them
            fresh.placeholders = self._protected.placeholders + fresh.placeholders
        self._protected = fresh
        # A Mount, not a volume: a "host:container:mode" string breaks on a ':' in the path.
        workspace = Mount("/workspace", str(self.workspace), type="bind", read_only=False)
        return [workspace] + [
            Mount(
                f"/workspace/{p.relative_to(fresh.workspace).as_posix()}",
                str(p),
                type="bind",
                read_only=True,
            )
            for p in fresh.paths
        ]

    def _ulimits(self) -> list[Any]:
        """No core dumps (they land in the workspace), bounded file sizes and descriptors."""
        from docker.types import Ulimit

        return [
            Ulimit(name="core", soft=0, hard=0),
            Ulimit(name="fsize", soft=self.max_file_size, hard=self.max_file_size),
            Ulimit(name="nofile", soft=self.max_open_files, hard=self.max_open_files),
        ]

    def _container_kwargs(self) -> dict[str, Any]:
        from docker.types import LogConfig

        uid, _, gid = self.user.partition(":")
        owner = f"uid={uid},gid={gid or uid}" if uid.isdigit() else ""
        tmpfs_opts = "rw,exec,nosuid,nodev"
        argv, extra_env = driver_argv(
            STATE_DIR, ":".join(OOM_FILES), ":".join(PIDS_DIRS), nodump=True
        )
        safe_id = re.sub(r"[^a-zA-Z0-9_.-]", "-", self.session_id)[:40] or "session"
        return dict(
            image=self.image,
            command=argv,
            name=f"assistant-{safe_id}-{secrets.token_hex(3)}",
            hostname="sandbox",
            labels={
                LABEL: "1",
                "assistant.session": self.session_id,
                "assistant.owner_pid": str(os.getpid()),
                "assistant.owner_start": _proc_start_time(os.getpid()) or "",
                "assistant.owner_host": socket.gethostname(),
            },
            user=self.user,
            working_dir="/workspace",
            environment={**self._env, **extra_env},
            mounts=self._protect(),
            network_mode=self.network,
            read_only=self.read_only,
            tmpfs={
                "/tmp": f"{tmpfs_opts},size={self.tmp_size}",
                HOME: f"{tmpfs_opts},size={self.tmp_size},mode=0700,{owner}".rstrip(","),
                STATE_DIR: f"rw,noexec,nosuid,nodev,size=1m,mode=0700,{owner}".rstrip(","),
            },
            mem_limit=self.memory,
            memswap_limit=self.memory,
            nano_cpus=int(self.cpus * 1e9),
            pids_limit=self.pids_limit,
            ulimits=self._ulimits(),
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            init=True,
            stdin_open=True,
            tty=False,
            log_config=LogConfig(type="none"),  # output goes to us, never to disk logs
            ipc_mode="private",
        )

    def _start_sync(self) -> Any:
        import docker.errors

        if self._client is None:
            self._client = docker_client()
        if not image_exists(self._client, self.image):
            raise SandboxError(
                f"The sandbox image {self.image} is missing; build it with "
                "`python -m assistant.tools.sandbox.image` (or `make test` does it)."
            )
        reap_orphans(self._client)
        kwargs = self._container_kwargs()
        try:
            ctr = self._client.containers.create(**kwargs)
        except docker.errors.APIError as e:
            self._release()
            raise SandboxError(f"Docker could not create the sandbox container: {e}") from e
        _live[ctr.id] = self.session_id
        sock = self._client.api.attach_socket(
            ctr.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
        )
        try:
            ctr.start()
        except docker.errors.APIError as e:
            with contextlib.suppress(Exception):
                ctr.remove(force=True)
            _live.pop(ctr.id, None)
            self._release()
            raise SandboxError(f"Docker could not start the sandbox container: {e}") from e
        return ctr, sock

    async def _connect(self) -> AttachTransport:
        if self._closed:
            raise SandboxError("This sandbox was closed; open a new one.")
        if self.container is not None:  # the driver died: start a fresh container
            await self._remove()
        starting = asyncio.ensure_future(asyncio.to_thread(self._start_sync))
        try:
            ctr, raw = await asyncio.shield(starting)
        except asyncio.CancelledError:
            # Ctrl-C during the start: the thread goes on and would leave its container
            # running until we exit; remove it as soon as it exists.
            await asyncio.shield(self._discard(starting))
            raise
        self.container = ctr
        sock = getattr(raw, "_sock", raw)
        if not isinstance(sock, socket.socket) or sock.family != socket.AF_UNIX:
            with contextlib.suppress(Exception):
                raw.close()
            raise SandboxError(
                "Only a local Docker daemon (unix socket) is supported; unset DOCKER_HOST."
            )
        sock.setblocking(False)
        reader, writer = await asyncio.open_connection(sock=sock, limit=1 << 20)
        return AttachTransport(self, reader, writer, raw)

    @staticmethod
    async def _discard(starting: asyncio.Future[Any]) -> None:
        """Remove the container of a start that was cancelled, once the start is done."""
        with contextlib.suppress(Exception):
            ctr, raw = await starting
            with contextlib.suppress(Exception):
                raw.close()
            with contextlib.suppress(Exception):
                await asyncio.to_thread(ctr.remove, force=True)
            _live.pop(ctr.id, None)

    async def _signal(self, sig: str) -> None:
        if self.container is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.container.kill, sig)

    async def start(self) -> None:
        """Start the container now (otherwise the first command does)."""
        await self.exec(":", timeout=60)

    def _release(self) -> None:
        """Remove the placeholders; only while no container of ours is running."""
        protected, self._protected = self._protected, None
        if protected is not None:
            protected.cleanup()

    async def _remove(self) -> None:
        """Remove the container, then the placeholders: they live no longer than it does.

        A container Docker would not remove may still run with them mounted (deleting a
        mounted placeholder would unmount its read-only cover), so it keeps them; the
        next start, ``close()`` and the exit handler try again.
        """
        import docker.errors

        ctr = self.container
        if ctr is not None:
            try:
                await asyncio.to_thread(ctr.remove, force=True)
            except docker.errors.NotFound:
                pass
            except Exception:
                return
            self.container = None
            _live.pop(ctr.id, None)
        self._release()

    async def exec(
        self,
        command: str,
        timeout: float = 60.0,
        on_output: Callable[[str], None] | None = None,
    ) -> ExecResult:
        return await self._repos.run(lambda: self.shell.exec(command, timeout, on_output))

    async def close(self) -> str | None:
        """Remove the container (its background processes die with it), then name the
        repositories they or the file tools left since the last command (``last_check``)."""
        self._closed = True
        await self.shell.close()
        await self._remove()
        return await self._repos.last_check()
