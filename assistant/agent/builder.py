"""Assemble an Agent from settings: model, tools, approval, session, sandbox, undo.

The CLI, the terminal app and distill all build agents here so that a change of
wiring happens in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.agent.approval import Approver, AskFn
from assistant.agent.loop import Agent, Limits
from assistant.agent.prompts import inference_context
from assistant.agent.registry import ToolRegistry
from assistant.agent.session import SessionLog, SessionStore
from assistant.config import PROJECT_CONFIG, Settings
from assistant.llm.base import ChatModel, Message
from assistant.tools.hostpath import host_which


class LazySandbox:
    """Opens the session's sandbox on first use; the agent calls it as ``sandbox_provider``."""

    def __init__(self, kind: str, workspace: Path, session_id: str, **options: Any) -> None:
        self.kind = kind
        self.workspace = workspace
        self.session_id = session_id
        self.options = options
        self._sandbox: Any = None
        self._lock = asyncio.Lock()
        self._unavailable: str | None = None
        self._probed = False
        self._closed = False
        self.mcp: Any = None
        """The session's MCP servers (``McpManager``): shown in ``state``, closed first."""

    @property
    def state(self) -> str:
        mcp = f" · {self.mcp.summary}" if self.mcp is not None and self.mcp.summary else ""
        if self._sandbox is not None:
            return f"{self.kind}: running{mcp}"
        if not self._probed:
            self._probed = True
            self._unavailable = self._unavailable or sandbox_unavailable(self.kind, self.workspace)
        state = "unavailable" if self._unavailable else "idle"
        return f"{self.kind}: {state}{mcp}"

    @property
    def unavailable_reason(self) -> str | None:
        return self._unavailable

    async def __call__(self) -> Any:
        async with self._lock:
            if self._closed:  # the session ended: nothing may start a container now
                raise RuntimeError("the session is closing")
            if self._sandbox is None:
                from assistant.tools.sandbox import open_sandbox

                try:
                    opened = open_sandbox(
                        self.kind, self.workspace, self.session_id, **self.options
                    )
                    if inspect.isawaitable(opened):
                        opened = await opened
                    start = getattr(opened, "start", None)
                    if start is not None:
                        try:
                            await start()
                        except BaseException:  # failed or cancelled: nothing may stay up
                            with contextlib.suppress(Exception):
                                await asyncio.shield(opened.close())
                            raise
                except Exception as exc:
                    self._unavailable = str(exc) or type(exc).__name__
                    raise
                self._sandbox = opened
                self._unavailable = None
            return self._sandbox

    async def close(self) -> str | None:
        """Close the MCP servers and the sandbox; the sandbox's last warning, or None."""
        self._closed = True
        if self.mcp is not None:  # before the sandbox: some servers run inside it
            await self.mcp.close()  # cancels and awaits a start still in progress
        async with self._lock:  # an open in progress finishes first, then is closed here
            sandbox, self._sandbox = self._sandbox, None
        if sandbox is None:
            return None
        return await sandbox.close()


def sandbox_unavailable(kind: str, workspace: Path | None = None) -> str | None:
    """Why the sandbox cannot start (a cheap check, no container started), or None."""
    if kind == "docker":
        try:
            import docker

            docker.from_env(timeout=3).ping()
        except Exception as exc:
            return (
                f"Docker is not reachable ({type(exc).__name__}); run `assistant sandbox doctor`."
            )
    elif kind == "bwrap" and host_which("bwrap", workspace) is None:
        return "bubblewrap (bwrap) is not installed; install the bubblewrap package."
    return None


@dataclass
class Built:
    agent: Agent
    session: SessionLog | None
    sandbox: LazySandbox
    mcp: Any = None
    """The session's ``McpManager`` (None without MCP servers); see :func:`start_mcp`."""
    notices: list[str] = field(default_factory=list)
    """One-line messages for the transcript (web search or MCP servers left out)."""
    _mcp_started: asyncio.Task[list[str]] | None = None


def session_tools(settings: Settings, notices: list[str]) -> list[Any]:
    """The built-in tools, plus web_search when a backend is configured."""
    import os

    from assistant.tools import default_tools
    from assistant.tools.websearch import SearchError, backend_from_settings, web_search_tool

    tools = default_tools()
    try:
        backend = backend_from_settings(
            settings.web_search, os.environ, settings.project_web_search
        )
    except SearchError as exc:
        notices.append(f"web_search is off: {exc}")
        backend = None
    if backend is not None:
        tools.append(web_search_tool(backend, settings.web_search.max_results))
    return tools


async def start_mcp(built: Built) -> list[str]:
    """Start the session's MCP servers and add their tools; returns one line per problem.

    Safe to call more than once (the first call does the work). ``build_agent`` schedules
    it when it runs inside an event loop (the app); ``assistant run`` awaits it.
    """
    if built.mcp is None:
        return []
    if built._mcp_started is None:
        built._mcp_started = asyncio.ensure_future(_start_mcp(built))
    return await asyncio.shield(built._mcp_started)


async def _start_mcp(built: Built) -> list[str]:
    from assistant.llm.toolformat import build_grammar

    manager = built.mcp
    lines: list[str] = []
    for tool in await manager.start():
        if tool.name in built.agent.registry:
            lines.append(f"MCP tool {tool.name} left out: a tool of that name already exists.")
            continue
        try:  # a local model's turns need every tool's schema as a grammar
            build_grammar([tool.spec()])
        except Exception as exc:
            why = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
            lines.append(
                f"MCP tool {tool.name} left out: a local model cannot use its input schema ({why})."
            )
            continue
        built.agent.registry.add(tool)
    lines = [*manager.lines, *lines]
    built.notices += lines
    return lines


def sandbox_options(settings: Settings) -> dict[str, Any]:
    s = settings.sandbox
    if s.kind != "docker":
        return {}
    opts: dict[str, Any] = {
        "network": s.network,
        "memory": s.memory,
        "cpus": s.cpus,
        "pids_limit": s.pids,
    }
    if s.image:
        opts["image"] = s.image
    return opts


def build_model(settings: Settings, api_key: str | None = None) -> ChatModel:
    from assistant.llm.models import load_model

    return load_model(
        settings.model,
        aliases=settings.aliases,
        n_ctx=settings.llm.n_ctx,
        n_threads=settings.llm.n_threads,
        n_gpu_layers=settings.llm.n_gpu_layers,
        base_url=settings.llm.base_url,
        api_key=api_key,
        dialect=settings.llm.dialect,
    )


def build_agent(
    settings: Settings,
    workspace: Path,
    *,
    model: ChatModel | None = None,
    ask: AskFn | None = None,
    store: SessionStore | None = None,
    resume: str | None = None,
    persist: bool = True,
    tools: list[Any] | None = None,
    api_key: str | None = None,
) -> Built:
    """Build a ready agent. ``resume`` is a session id to continue (history restored).

    With the default tools, web_search joins when configured, and the MCP servers in
    ``settings.mcp`` start through :func:`start_mcp`: scheduled here for a saved session
    built inside an event loop (the app), awaited by ``assistant run``, and not started
    for ephemeral agents (eval, the server's agent mode) unless their caller awaits it.
    They close with the sandbox when the agent is closed.
    """
    from assistant.tools.undo import UndoJournal

    workspace = workspace.resolve()
    model = model or build_model(settings, api_key)
    store = store or SessionStore()
    session: SessionLog | None = None
    history: list[Message] | None = None
    if resume and persist:
        session, history = store.open(resume)
    elif resume:  # carry the conversation on without writing to its log
        history = store.history(resume)
    elif persist:
        session = store.create(workspace, model.name)
    session_id = session.id if session else "ephemeral"
    sandbox = LazySandbox(settings.sandbox.kind, workspace, session_id, **sandbox_options(settings))
    undo_path = session.path.with_suffix(".undo.jsonl") if session else None
    approver = Approver(
        settings.approval.mode,
        ask=ask,
        rules=settings.approval.allow,
        project_config=workspace / PROJECT_CONFIG,
        host_sandbox=settings.sandbox.kind == "host",
    )
    notices: list[str] = list(getattr(model, "notices", []))
    tool_list = tools if tools is not None else session_tools(settings, notices)
    system_prompt, _ = inference_context(workspace, tool_list, settings.sandbox.kind)
    agent = Agent(
        model,
        ToolRegistry(tool_list),
        workspace=workspace,
        system_prompt=system_prompt,
        approver=approver,
        limits=Limits(
            max_steps=settings.limits.max_steps,
            max_cost_usd=settings.limits.max_cost_usd,
            max_wall_s=settings.limits.max_wall_s,
            max_repeats=settings.limits.max_repeats,
            max_tokens=settings.llm.max_tokens,
            temperature=settings.llm.temperature,
        ),
        session=session,
        sandbox_provider=sandbox,
        undo=UndoJournal(undo_path),
        messages=history,
    )
    built = Built(agent, session, sandbox, notices=notices)
    servers = {n: s for n, s in settings.mcp.servers.items() if s.enabled}
    if servers and tools is None:
        from assistant.config import user_config_path
        from assistant.tools.mcp import McpManager

        built.mcp = sandbox.mcp = McpManager(
            servers,
            workspace,
            project_servers=settings.project_mcp_servers,
            sandbox_kind=settings.sandbox.kind,
            sandbox_provider=sandbox,
            user_config=str(user_config_path()),
        )
        if session is not None:  # a user's session (the app); eval runs stay as they are
            with contextlib.suppress(RuntimeError):  # no running loop: the caller starts them
                asyncio.get_running_loop()
                built._mcp_started = asyncio.ensure_future(_start_mcp(built))
    return built
