"""The session's MCP servers: where each runs, starting them together, their tools, closing.

Placement (the trust rule): a stdio server from the user's own config runs on the host,
in a neutral working directory (never the workspace) with ``PYTHONSAFEPATH=1``; one
that is workspace content (defined in the project file; its program, an argument or an
``env`` value naming a path inside the workspace; or a ``cwd`` inside it; see
``config.workspace_reference``) runs inside the Docker sandbox through
``docker exec -i``, and is refused, with one line saying why, when the sandbox is not
Docker. Servers from a project file get no ``${VAR}`` expansion and their read-only
hints are not believed. Whatever runs on the host (a host server, the ``docker`` CLI)
gets a ``PATH`` without the workspace's directories (nor relative ones, which would
name its working directory), and a sandboxed server's ``env`` reaches the container
through an ``--env-file``, never the environment of the ``docker`` CLI itself (where a
``PATH``, ``LD_PRELOAD`` or ``HOME`` would act on the host).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mcp.client.stdio import get_default_environment

from assistant.config import user_config_path
from assistant.envexpand import MissingVariable, expand
from assistant.tools.base import Tool, ToolResult
from assistant.tools.hostpath import host_path
from assistant.tools.mcp.adapter import UnusableTool, adapt, shown
from assistant.tools.mcp.client import Launch, McpConnection
from assistant.tools.mcp.config import (
    ConfigProblem,
    inside_workspace,
    neutral_cwd,
    workspace_reference,
)

if TYPE_CHECKING:
    from assistant.config import McpServerSettings

CONTAINER_WORKSPACE = PurePosixPath("/workspace")
# What the docker CLI itself needs from the user's environment to reach the daemon.
_DOCKER_ENV = ("DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH")
MAX_SERVER_CHARS = 200_000
"""Characters of the prompt one server's tools may take (their specs as JSON); the tools
past it are left out, with one line."""


class McpManager:
    def __init__(
        self,
        servers: Mapping[str, McpServerSettings],
        workspace: Path,
        *,
        project_servers: set[str] | None = None,
        sandbox_kind: str = "docker",
        sandbox_provider: Callable[[], Awaitable[Any]] | None = None,
        environ: Mapping[str, str] | None = None,
        user_config: str = "your config",
        host_cwd: Path | None = None,
    ) -> None:
        self.settings = dict(servers)
        self.workspace = workspace.resolve()
        self.project_servers = set(project_servers or ())
        self.sandbox_kind = sandbox_kind
        self.sandbox_provider = sandbox_provider
        self.environ = os.environ if environ is None else environ
        self.user_config = user_config
        self.host_cwd = host_cwd or neutral_cwd(
            self.workspace,
            [user_config_path().parent, Path.home(), Path(tempfile.gettempdir())],
        )
        """Where host servers start unless they name a ``cwd``: outside the workspace."""
        self.connections: dict[str, McpConnection] = {}
        self._origins: dict[str, str | None] = {}
        """Why each started server is workspace content (None: it is not), as it started."""
        self.lines: list[str] = []
        """One line per server that failed, was refused or died (for the transcript)."""
        self._tools: list[Tool] = []
        self._starting: asyncio.Future[list[Tool]] | None = None
        self._closed = False

    # -- placement --------------------------------------------------------------------------
    def from_workspace(self, name: str) -> str | None:
        """Why server ``name`` counts as workspace content (project file, program, cwd,
        an argument or ``env`` value naming a path in the workspace); None when it does not."""
        cfg = self.settings[name]
        command = [self._expand(name, a, "command") for a in cfg.command or ()]
        env = {k: self._expand(name, v, f"env {k}") for k, v in cfg.env.items()}
        return self._origin(name, command, env)

    def _origin(self, name: str, command: list[str], env: dict[str, str]) -> str | None:
        """``from_workspace`` for the command and env as they will run (``${VAR}`` expanded)."""
        if name in self.project_servers:
            return "its command comes from the project file"
        if not command:
            return None
        cfg = self.settings[name]
        cwd = self._host_cwd(cfg)
        if cfg.cwd and inside_workspace(cwd, self.workspace):
            return f"its working directory {cwd} is in the workspace"
        return workspace_reference(command, env, self.workspace, cwd, self.environ.get("PATH"))

    def _host_cwd(self, cfg: McpServerSettings) -> Path:
        if not cfg.cwd:
            return self.host_cwd
        return self.workspace / os.path.expanduser(cfg.cwd)  # an absolute cwd stays as it is

    def _expand(self, name: str, value: str, what: str) -> str:
        if name in self.project_servers:
            return value  # a project file never reads your environment
        try:
            return expand(value, self.environ, what)
        except MissingVariable as exc:
            raise ConfigProblem(str(exc)) from None

    def _host_path(self) -> dict[str, str]:
        """``PATH`` for a process on the host: only absolute directories outside the workspace."""
        return {"PATH": host_path(self.workspace)}

    def _env_file(self, env: dict[str, str]) -> Path:
        """The server's env as a private file for ``docker exec --env-file``."""
        for key, value in env.items():
            if not re.fullmatch(r"[^=\s#][^=\s]*", key) or "\n" in value or "\r" in value:
                raise ConfigProblem(
                    f"env {key!r} cannot be passed into the sandbox (a name with '=', '#' or "
                    "a space, or a value with a line break); change it in the config"
                )
        fd, raw = tempfile.mkstemp(prefix="assistant-mcp-env-")  # 0600
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(f"{key}={value}\n" for key, value in env.items())
        return Path(raw)

    def _container_path(self, value: str) -> str:
        """``value`` with each path in the workspace in it (the whole value, after ``=``, in
        shell code or a ``PATH``-like list) as the container sees it, under /workspace."""
        root = re.escape(str(self.workspace))
        return re.sub(rf"(?<![\w./-]){root}(?![\w.-])", str(CONTAINER_WORKSPACE), value)

    async def _launch(self, name: str, cfg: McpServerSettings) -> tuple[Launch, str, Path | None]:
        """How to start the server, where it runs, and the ``--env-file`` to remove once
        it has started (None when there is none)."""
        headers = {k: self._expand(name, v, f"header {k}") for k, v in cfg.headers.items()}
        env = {k: self._expand(name, v, f"env {k}") for k, v in cfg.env.items()}
        command = [self._expand(name, a, "command") for a in cfg.command or ()]
        origin = self._origins[name] = self._origin(name, command, env)
        if cfg.url is not None:
            return Launch(url=self._expand(name, cfg.url, "url"), headers=headers), "http", None
        if origin is None:
            # python -m must not import from the cwd, nor anything run from the workspace
            env = {"PYTHONSAFEPATH": "1", **self._host_path(), **env}
            return Launch(command=command, env=env, cwd=str(self._host_cwd(cfg))), "host", None
        if self.sandbox_kind != "docker" or self.sandbox_provider is None:
            raise ConfigProblem(
                f"{origin}, which never runs on your machine, "
                f"and only the Docker sandbox can run it (the sandbox is {self.sandbox_kind}); "
                f"use --sandbox docker, or define it in {self.user_config} with no path "
                "inside the workspace",
                refused=True,
            )
        # Shielded: a close() during start must not cancel a container half started; the
        # sandbox's own close() waits for the open and removes it.
        sandbox = await asyncio.shield(self.sandbox_provider())
        container = getattr(getattr(sandbox, "container", None), "id", None)
        if container is None:
            raise ConfigProblem("the Docker sandbox did not start a container")
        cwd = self._container_path(str(self._host_cwd(cfg)))
        if not cwd.startswith(str(CONTAINER_WORKSPACE)):
            cwd = str(CONTAINER_WORKSPACE)
        argv = ["docker", "exec", "-i", "-w", cwd]
        # env in a private file: not in docker's argv (ps), nor in its own environment
        env = {k: self._container_path(v) for k, v in env.items()}
        env_file = self._env_file(env) if env else None
        if env_file is not None:
            argv += ["--env-file", str(env_file)]
        argv += [container, *(self._container_path(a) for a in command)]
        docker_env = {k: self.environ[k] for k in _DOCKER_ENV if k in self.environ}
        host_env = {**get_default_environment(), **docker_env, **self._host_path()}
        return Launch(command=argv, env=host_env, cwd=str(self.host_cwd)), "sandbox", env_file

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> list[Tool]:
        """Start every enabled server at once; returns the tools of those that came up.

        Once ``close()`` has begun it returns no tools, and a start still in progress is
        cancelled by it (so nothing starts after the session ended).
        """
        if self._closed:
            return []
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start_all())
        try:
            return await asyncio.shield(self._starting)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self._closed and not (task is not None and task.cancelling()):
                return []  # close() cancelled the start, not our caller
            raise

    async def _start_all(self) -> list[Tool]:
        names = [n for n, cfg in self.settings.items() if cfg.enabled]
        results = await asyncio.gather(*(self._start_one(n) for n in names))
        for name, ok in zip(names, results, strict=True):
            if ok:
                self._tools += self._adapt(name)
        return self._tools

    async def _start_one(self, name: str) -> bool:
        cfg = self.settings[name]
        conn = McpConnection(
            name,
            Launch(),
            timeout=cfg.timeout,
            startup_timeout=cfg.startup_timeout,
            where="",
            on_change=self._changed,
        )
        self.connections[name] = conn
        try:
            conn.launch, conn.where, env_file = await self._launch(name, cfg)
        except ConfigProblem as exc:
            conn.detail = str(exc)
            conn.state = "refused" if exc.refused else "failed"
            self.lines.append(conn.status_line)
            return False
        except Exception as exc:  # the sandbox could not start
            conn.detail = f"the sandbox is not available ({exc})"
            conn.state = "failed"
            self.lines.append(conn.status_line)
            return False
        try:
            return await conn.start()
        finally:  # docker has read it by now (or never will)
            if env_file is not None:
                env_file.unlink(missing_ok=True)

    def _changed(self, conn: McpConnection) -> None:
        if conn.state == "failed":
            self.lines.append(conn.status_line)

    def _adapt(self, name: str) -> list[Tool]:
        conn = self.connections[name]
        # a server never launched here (no origin recorded) is not trusted by default
        trust_hints = name in self._origins and self._origins[name] is None

        async def call(tool: str, arguments: dict[str, Any]) -> ToolResult:
            return await conn.call(tool, arguments)

        tools: list[Tool] = []
        size = 0
        for i, spec in enumerate(conn.tools):
            try:
                tool = adapt(name, spec, call, trust_hints=trust_hints)
            except UnusableTool as exc:
                self.lines.append(f"MCP server {name}: skipped tool {shown(spec.name)}: {exc}")
                continue
            size += len(json.dumps(tool.spec(), ensure_ascii=False))
            if size > MAX_SERVER_CHARS:
                self.lines.append(
                    f"MCP server {name}: left out its last {len(conn.tools) - i} tools: its "
                    f"tools' names, descriptions and schemas would take more than "
                    f"{MAX_SERVER_CHARS} characters of the prompt"
                )
                break
            tools.append(tool)
        if conn.tools_cut:
            self.lines.append(
                f"MCP server {name}: kept the first {len(conn.tools)} of its tools; it lists more"
            )
        return tools

    def tools(self) -> list[Tool]:
        return list(self._tools)

    @property
    def summary(self) -> str:
        """Short state for the status bar, e.g. ``mcp 2/3``; empty without servers."""
        if not self.connections:
            return ""
        ready = sum(c.state == "ready" for c in self.connections.values())
        return f"mcp {ready}/{len(self.connections)}"

    async def close(self) -> None:
        self._closed = True
        starting = self._starting
        if starting is not None and not starting.done():
            starting.cancel()
            await asyncio.wait({starting})
        await asyncio.gather(
            *(c.close() for c in self.connections.values()), return_exceptions=True
        )
