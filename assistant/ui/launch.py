"""Wire settings to a front end: what ``assistant chat`` runs.

``launch(settings, workspace, plain=..., resume=..., store=...) -> exit code`` builds the
agent once (``assistant.agent.builder``), fills a ``UIContext`` with the callables the
slash commands need (/model, /new, /resume, /sessions) and runs the Textual app or the
plain REPL. The model is loaded once and shared by every agent built here.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.ui.commands import UIContext
from assistant.ui.terminal import printable


class _Holder:
    """The current agent and what to close when it is replaced or the app exits."""

    def __init__(self, built: Any) -> None:
        self.built = built
        self.retired: list[Any] = []
        self._closing: list[asyncio.Task[str | None]] = []
        self._unclosed: list[Any] = []
        self.show: Callable[[str], bool] | None = None
        """Shows a retired sandbox's closing warning as soon as it comes (the front end's
        ``UIContext.show_warning``); when it returns False, or is None, :meth:`close` returns
        the warning too, to be printed at exit."""

    def replace(self, built: Any) -> Any:
        """Make ``built`` current; the retired agent's MCP servers and sandbox stop now."""
        old, self.built = self.built, built
        self.retired.append(old)
        try:
            task = asyncio.get_running_loop().create_task(old.agent.aclose())
        except RuntimeError:  # no running loop: close() stops it
            self._unclosed.append(old)
        else:
            self._closing.append(task)
            task.add_done_callback(self._closed)
        return built.agent

    def _closed(self, task: asyncio.Task[str | None]) -> None:
        """A retired agent is closed: its sandbox's warning is shown now, not only at exit."""
        if task.cancelled() or task.exception() is not None or self.show is None:
            return
        warning = task.result()
        if not warning:
            return
        with contextlib.suppress(Exception):  # a front end on its way out: close() has it
            if self.show(warning):
                self._closing.remove(task)  # not printed again at exit

    async def close(self) -> list[str]:
        """Close every agent's sandbox and session; the sandboxes' last warnings."""
        warnings = await asyncio.gather(*self._closing, return_exceptions=True)
        for built in [*self._unclosed, self.built]:
            with contextlib.suppress(Exception):
                warnings.append(await built.agent.aclose())
        for built in [*self.retired, self.built]:
            if built.session is not None:
                built.session.close()
        return [w for w in warnings if isinstance(w, str)]


def make_context(
    settings: Any, workspace: Path, store: Any, holder: _Holder, model: Any
) -> UIContext:
    from assistant.agent.builder import build_agent, build_model
    from assistant.agent.loop import Agent

    def sandbox_state() -> str:
        return holder.built.sandbox.state

    async def switch_model(name: str) -> Any:
        new_model = await asyncio.to_thread(
            build_model, settings.model_copy(update={"model": name})
        )
        old = holder.built.agent
        agent = Agent(
            new_model,
            old.registry,
            workspace=old.workspace,
            approver=old.approver,
            limits=old.limits,
            session=old.session,
            sandbox_provider=old.sandbox_provider,
            undo=old.undo,
            messages=list(old.messages),
        )
        agent.total_usage = old.total_usage
        holder.built.agent = agent
        return agent

    def new_session() -> Any:
        current = holder.built.agent
        built = build_agent(settings, workspace, model=current.model, store=store)
        built.agent.approver = current.approver  # keep session allow rules and mode
        return holder.replace(built)

    def resume_session(session_id: str | None) -> Any:
        if session_id is None:  # the latest but this one (always the newest log)
            current = getattr(holder.built.session, "id", None)
            others = [i for i in store.list(workspace) if i.id != current]
            if not others:
                return None
            session_id = others[0].id
        current = holder.built.agent
        built = build_agent(
            settings, workspace, model=current.model, store=store, resume=session_id
        )
        built.agent.approver = current.approver
        return holder.replace(built)

    ctx = UIContext(
        model_name=model.name,
        workspace=workspace,
        approval_mode=settings.approval.mode,
        sandbox=sandbox_state(),
        sandbox_state=sandbox_state,
        context_limit=model.context_length,
        session_store=store,
        switch_model=switch_model,
        new_session=new_session,
        resume_session=resume_session,
        models=sorted(settings.aliases),
        theme=settings.theme,
    )
    holder.show = lambda warning: ctx.show_warning is not None and ctx.show_warning(warning)
    return ctx


async def launch_async(
    settings: Any,
    workspace: Path,
    *,
    plain: bool = False,
    resume: str | None = None,
    store: Any = None,
) -> int:
    from assistant.agent.builder import build_agent, build_model, start_mcp
    from assistant.agent.session import SessionStore

    store = store or SessionStore()
    model = await asyncio.to_thread(build_model, settings)
    holder = _Holder(build_agent(settings, workspace, model=model, store=store, resume=resume))
    ctx = make_context(settings, workspace, store, holder, model)
    agent = holder.built.agent
    built = holder.built
    early = [*settings.notices, *built.notices]

    async def startup_notices() -> list[str]:
        return [*early, *await start_mcp(built)]

    try:
        if plain:
            from assistant.ui.plain import run_plain_async

            return await run_plain_async(agent, ctx, notices=await startup_notices())
        from assistant.ui.app import AssistantApp

        app = AssistantApp(agent, ctx)
        if resume:
            app.initial_replay = list(agent.messages)

        app.startup_notices = startup_notices
        await app.run_async()
        return app.return_code or 0
    finally:
        # The app's screen is gone by now: what the closing sandbox saw goes to stderr.
        for warning in await holder.close():
            print(printable(warning), file=sys.stderr)


def launch(
    settings: Any,
    workspace: Path,
    *,
    plain: bool = False,
    resume: str | None = None,
    store: Any = None,
) -> int:
    """Run ``assistant chat``; returns the exit code."""
    return asyncio.run(launch_async(settings, workspace, plain=plain, resume=resume, store=store))
