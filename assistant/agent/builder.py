"""Assemble an Agent from settings: model, tools, approval, session, sandbox, undo.

The CLI, the terminal app and distill all build agents here so that a change of
wiring happens in one place.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.agent.approval import Approver, AskFn
from assistant.agent.loop import Agent, Limits
from assistant.agent.prompts import inference_context
from assistant.agent.registry import ToolRegistry
from assistant.agent.session import SessionLog, SessionStore
from assistant.config import PROJECT_CONFIG, Settings
from assistant.llm.base import ChatModel, Message


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

    @property
    def state(self) -> str:
        if self._sandbox is not None:
            return f"{self.kind}: running"
        if not self._probed:
            self._probed = True
            self._unavailable = self._unavailable or _probe(self.kind)
        return f"{self.kind}: unavailable" if self._unavailable else f"{self.kind}: idle"

    @property
    def unavailable_reason(self) -> str | None:
        return self._unavailable

    async def __call__(self) -> Any:
        async with self._lock:
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
                        await start()
                except Exception as exc:
                    self._unavailable = str(exc) or type(exc).__name__
                    raise
                self._sandbox = opened
                self._unavailable = None
            return self._sandbox

    async def close(self) -> None:
        if self._sandbox is not None:
            sandbox, self._sandbox = self._sandbox, None
            await sandbox.close()


def _probe(kind: str) -> str | None:
    """Why the sandbox cannot start (a cheap check, no container started), or None."""
    if kind == "docker":
        try:
            import docker

            docker.from_env(timeout=3).ping()
        except Exception as exc:
            return (
                f"Docker is not reachable ({type(exc).__name__}); run `assistant sandbox doctor`."
            )
    elif kind == "bwrap" and shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed; install the bubblewrap package."
    return None


@dataclass
class Built:
    agent: Agent
    session: SessionLog | None
    sandbox: LazySandbox


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
    """Build a ready agent. ``resume`` is a session id to continue (history restored)."""
    from assistant.tools import default_tools
    from assistant.tools.undo import UndoJournal

    workspace = workspace.resolve()
    model = model or build_model(settings, api_key)
    store = store or SessionStore()
    session: SessionLog | None = None
    history: list[Message] | None = None
    if resume:
        session, history = store.open(resume)
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
    tool_list = tools if tools is not None else default_tools()
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
            max_tokens=settings.llm.max_tokens,
            temperature=settings.llm.temperature,
        ),
        session=session,
        sandbox_provider=sandbox,
        undo=UndoJournal(undo_path),
        messages=history,
    )
    return Built(agent, session, sandbox)
