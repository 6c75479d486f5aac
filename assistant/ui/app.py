"""The Textual terminal app.

Entry points (the CLI calls these with a ready ``Agent``)::

    run_app(agent, ctx: UIContext | None = None, *, tool_choice="auto", history=None) -> None
    await run_app_async(agent, ctx, ...)                    # the same, inside a running loop
    AssistantApp(agent, ctx, ...)                           # for App.run_test() / Pilot

``UIContext`` (``assistant.ui.commands``) carries what is not the agent's: model name,
approval mode, sandbox state, workspace, the session store and callables for /model,
/new, /sessions, /resume, /save, /load, /instructions. The app sets
``agent.approver.ask`` to its own approval prompt.

The app holds no agent logic: a worker iterates ``agent.run(text, tool_choice=...)`` and
hands each event to ``Transcript.handle``; Ctrl+C calls ``agent.cancel()`` and puts
queued messages back in the message box unsent. An approval prompt takes no key in its
first half second, and leaves the focus in the message box while that holds a draft
(Escape goes to the prompt), so that text typed ahead never answers it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from assistant.agent.session import repair
from assistant.ui.commands import CommandRunner, UIContext, complete, expand_mentions, parse_command
from assistant.ui.history import InputHistory, default_history_path
from assistant.ui.terminal import printable
from assistant.ui.widgets import (
    ApprovalPrompt,
    CompletionHint,
    PromptInput,
    StatusBar,
    Transcript,
)

__all__ = ["AssistantApp", "UIContext", "run_app", "run_app_async"]

TYPING_GAP_S = 2.0
"""A key pressed in an approval's grace period counts as typed for the message box when
the user typed there at most this long before the prompt appeared."""
BUSY_COMMANDS = {"/new", "/resume", "/load", "/model", "/undo", "/compact"}
"""Commands that change the conversation: refused while a turn runs."""


class AssistantApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "assistant"
    ENABLE_COMMAND_PALETTE = False
    cursor_blink = True
    """False for snapshots and screenshots, which must not depend on the blink phase."""
    BINDINGS = [
        Binding("ctrl+c", "cancel", "cancel", priority=True, show=False),
        Binding("ctrl+d", "quit", "quit", priority=True, show=False),
        Binding("ctrl+o", "toggle_output", "expand output", show=False),
        Binding("ctrl+t", "toggle_theme", "light/dark", show=False),
        Binding("escape", "answer_approval", "answer the approval", show=False),
    ]

    def __init__(
        self,
        agent: Any,
        ctx: UIContext | None = None,
        *,
        tool_choice: str = "auto",
        history: InputHistory | None = None,
    ) -> None:
        super().__init__()
        self.agent = agent
        self.ctx = ctx or UIContext()
        self.tool_choice = tool_choice
        self.history = history or InputHistory(self.ctx.history_path or default_history_path())
        self.commands = CommandRunner(self.ctx)
        self.busy = False
        self.queue: list[str] = []
        self.pending_approval: ApprovalPrompt | None = None
        self.turn_worker: Worker[None] | None = None
        self.last_turn_s: float | None = None
        self._cancel_pressed = 0
        self.initial_replay: list[Any] | None = None
        """Messages shown at start (a resumed session)."""
        self.startup_notices: Callable[[], Awaitable[list[str]]] | None = None
        """Lines for the transcript once the app runs: settings ignored until the project is
        trusted, MCP servers that did not start (awaited: servers start in the background)."""
        if self.ctx.theme == "light":
            self.theme = "textual-light"
        self._attach(agent)

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Transcript(id="transcript")
        yield CompletionHint(id="completions")
        prompt = PromptInput(self.history, lambda before: complete(before, self.ctx), id="prompt")
        prompt.cursor_blink = self.cursor_blink
        yield prompt
        yield StatusBar(id="status")

    def on_mount(self) -> None:
        status = self.status
        model = getattr(self.agent, "model", None)
        status.model = self.ctx.model_name or getattr(model, "name", "")
        status.context_limit = self.ctx.context_limit or getattr(model, "context_length", 0) or 0
        approver = getattr(self.agent, "approver", None)
        status.mode = getattr(approver, "mode", None) or self.ctx.approval_mode
        self.ctx.approval_mode = status.mode
        self._refresh_sandbox()
        self.prompt.focus()
        self.ctx.show_warning = self.show_warning
        if self.initial_replay:
            self.call_later(self.transcript.replay, self.initial_replay)
        if self.startup_notices is not None:
            self.run_worker(self._show_startup_notices(self.startup_notices), group="startup")

    async def _show_startup_notices(self, notices: Callable[[], Awaitable[list[str]]]) -> None:
        for line in await notices():
            await self.transcript.add_notice(line, "warning")
        self._refresh_sandbox()

    def show_warning(self, text: str) -> bool:
        """A warning that comes between turns, as a line in the transcript (see
        ``UIContext.show_warning``). Always False: the transcript goes with the screen (or
        the app may exit before the line is laid out), so it is printed after exit too."""
        if self.is_running and self.ctx.show_warning == self.show_warning:
            self.run_worker(
                self.transcript.add_notice(text, "warning"), group="notices", exit_on_error=False
            )
        return False

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.ctx.show_warning = None  # what comes now is printed after the screen is gone
        super().exit(*args, **kwargs)

    def _refresh_sandbox(self) -> None:
        if self.ctx.sandbox_state is not None:
            self.ctx.sandbox = self.ctx.sandbox_state()
        self.status.sandbox = self.ctx.sandbox

    @property
    def transcript(self) -> Transcript:
        return self.query_one("#transcript", Transcript)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def _attach(self, agent: Any) -> None:
        """Make ``agent`` the current one and route its approvals to this app."""
        self.agent = agent
        approver = getattr(agent, "approver", None)
        if approver is not None:
            approver.ask = self.ask_approval

    # -- input -----------------------------------------------------------------------

    @on(PromptInput.Completions)
    def _show_completions(self, event: PromptInput.Completions) -> None:
        self.query_one("#completions", CompletionHint).show(event.candidates)

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        await self.submit(event.text)

    async def submit(self, text: str) -> None:
        """Handle one submitted input: a slash command, or a message for the model."""
        parsed = parse_command(text)
        if parsed is not None:
            if self.busy and parsed[0] in BUSY_COMMANDS:
                await self.transcript.add_notice(
                    f"{parsed[0]} has to wait until the reply ends; press Ctrl+C to cancel it.",
                    "error",
                )
                return
            await self.run_command(text)
            return
        if self.busy:
            self.queue.append(text)
            await self.transcript.add_notice("Queued: it is sent when the current reply ends.")
            return
        self.start_turn(text)

    async def run_command(self, line: str) -> None:
        result = await self.commands.run(line, self.agent)
        if result.quit:
            self.exit()
            return
        if result.agent is not None:
            self._attach(result.agent)
        if result.clear:
            await self.transcript.clear()
        if result.replay:
            await self.transcript.replay(result.replay)
        status = self.status
        status.model = self.ctx.model_name or status.model
        status.mode = self.ctx.approval_mode
        if self.ctx.context_limit:
            status.context_limit = self.ctx.context_limit
        if result.text:
            await self.transcript.add_notice(result.text, result.kind)
        parsed = parse_command(line)
        if parsed is not None and parsed[0] in BUSY_COMMANDS:
            self._recount_context()

    def _recount_context(self) -> None:
        """Show the size of the conversation a command replaced or compacted: the status
        bar held the old one's until the next reply. Counted in a thread, since a local
        model tokenizes the whole conversation."""
        agent = self.agent
        model = getattr(agent, "model", None)
        messages = getattr(agent, "messages", None)
        if model is None or messages is None:
            return
        registry = getattr(agent, "registry", None)
        tools = registry.specs() if registry is not None and len(registry) else None
        snapshot = list(messages)

        def count() -> None:
            tokens = model.count_tokens(snapshot, tools)
            self.call_from_thread(self._show_context, agent, tokens)

        self.run_worker(count, thread=True, group="context", exclusive=True, exit_on_error=False)

    def _show_context(self, agent: Any, tokens: int) -> None:
        if agent is self.agent and not self.busy:  # else a reply's usage is newer
            self.status.context_tokens = tokens

    # -- a turn ----------------------------------------------------------------------

    def start_turn(self, text: str, tool_choice: str | None = None) -> Worker[None]:
        self.busy = True
        self.prompt.add_class("busy")
        self.status.busy = "generating"
        self.turn_worker = self._turn(text, tool_choice or self.tool_choice)
        return self.turn_worker

    @work(group="agent", exit_on_error=False)
    async def _turn(self, text: str, tool_choice: str) -> None:
        transcript = self.transcript
        message, attached = expand_mentions(text, self.ctx.workspace)
        await transcript.add_user(
            text, [str(p.relative_to(self.ctx.workspace.resolve())) for p in attached]
        )
        started = time.perf_counter()
        agent = self.agent
        try:
            async for event in agent.run(message, tool_choice=tool_choice):
                self._track(event)
                await transcript.handle(event)
        except Exception as exc:  # the agent failed: show it, keep the app alive
            await transcript.finish_message()
            await transcript.add_notice(f"Error: {exc}", "error")
        except asyncio.CancelledError:  # a second Ctrl+C: the agent was left mid-call
            self._settle_stopped_turn(agent)
            raise
        finally:
            await transcript.finish_message()
            self.last_turn_s = time.perf_counter() - started

    def _settle_stopped_turn(self, agent: Any) -> None:
        """After the turn's worker was cancelled: every tool call in the history gets a
        result (the next request would be refused without one), and no card says running."""
        messages = getattr(agent, "messages", None)
        if messages is not None:
            messages[:] = repair(messages)
        for card in self.transcript.cards.values():
            if card.state in ("running", "waiting"):
                card.stopped()
        self.call_later(
            self.transcript.add_notice,
            "Stopped without waiting for the agent: a tool that ignored Ctrl+C may still be running.",
        )

    def _track(self, event: Any) -> None:
        kind = getattr(event, "type", "")
        status = self.status
        if kind == "usage":
            status.update_usage(event)
        elif kind == "text":
            status.busy = "generating"
        elif kind == "tool_call":
            status.busy = f"running {printable(event.name)}"  # a name the model chose
        elif kind == "approval":
            status.busy = "awaiting approval" if event.phase == "requested" else "running tool"
        elif kind == "tool_result":
            status.busy = "generating"
            self._refresh_sandbox()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.turn_worker or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            return
        self.busy = False
        self._cancel_pressed = 0
        self.turn_worker = None
        self.prompt.remove_class("busy")
        self.status.busy = ""
        self._refresh_sandbox()
        if self.queue:
            self.start_turn(self.queue.pop(0))

    async def wait_idle(self, timeout: float = 600.0) -> None:
        """Wait until no turn is running (tests and benchmarks use this)."""
        deadline = time.monotonic() + timeout
        while self.busy or self.turn_worker is not None:
            if time.monotonic() > deadline:
                raise TimeoutError("the turn did not finish in time")
            await asyncio.sleep(0.02)

    # -- approval --------------------------------------------------------------------

    async def ask_approval(self, request: Any) -> Any:
        """The ``Approver.ask`` callback: show a prompt in the transcript, await a key."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        prompt = ApprovalPrompt(request, future, typed_early=self._typed_early)
        self.pending_approval = prompt
        card = self.transcript.cards.get(request.call.id)
        if card is not None:
            card.awaiting_approval()
        self.status.busy = "awaiting approval"
        await self.transcript.mount(prompt)
        self.transcript.scroll_end(animate=False)
        if self.prompt.text:  # the user is writing a message: their keys stay there
            prompt.keep_away()
        else:
            prompt.focus()
        try:
            return await future
        finally:
            self.pending_approval = None
            await prompt.remove()
            self.prompt.focus()

    def _typed_early(self, key: events.Key) -> None:
        """A key that reached the approval prompt in its grace period: a character typed
        while the user was writing in the message box goes there, and so does the focus;
        any other key (a y pressed a moment too soon, an arrow) is dropped, so that the
        next press answers and the box keeps what it held."""
        shown_at = self.pending_approval.shown_at if self.pending_approval else None
        typing = shown_at is not None and shown_at - self.prompt.last_typed < TYPING_GAP_S
        if not (key.is_printable and typing):
            return
        if self.pending_approval is not None:
            self.pending_approval.keep_away()
        self.screen.set_focus(self.prompt)
        self.prompt.post_message(events.Key(key.key, key.character))

    def action_answer_approval(self) -> None:
        """Escape: go from the message box to the approval waiting for an answer."""
        prompt = self.pending_approval
        if prompt is not None and self.focused is self.prompt and prompt.mode == "choose":
            prompt.focus()

    # -- keys ------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Ctrl+C: deny a pending approval and cancel the turn; else clear the prompt."""
        if self.busy and self.queue:
            self._unqueue()
        if self.pending_approval is not None:
            from assistant.agent.approval import ApprovalReply, Decision

            self.agent.cancel()
            self.pending_approval._resolve(ApprovalReply(Decision.DENY, "The user cancelled."))
            return
        if self.busy:
            self._cancel_pressed += 1
            self.agent.cancel()
            self.status.busy = "cancelling"
            if self._cancel_pressed > 1 and self.turn_worker is not None:
                self.turn_worker.cancel()  # a second Ctrl+C stops waiting for the agent
            return
        if self.prompt.text:
            self.prompt.clear()
        else:
            self.notify("Ctrl+D quits.", timeout=2)

    def _unqueue(self) -> None:
        """Messages queued behind a cancelled turn are not sent: back to the box, unsent."""
        texts = [*self.queue, self.prompt.text] if self.prompt.text else list(self.queue)
        self.queue.clear()
        self.prompt.set_text("\n".join(texts))
        self.call_later(
            self.transcript.add_notice,
            "Not sent: the queued message is back in the message box."
            if len(texts) == 1
            else "Not sent: the queued messages are back in the message box.",
        )

    def action_toggle_output(self) -> None:
        card = self.transcript.last_card()
        if card is None or not card.toggle_output():
            self.notify("No collapsed output to expand.", timeout=2)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def run_app(
    agent: Any,
    ctx: UIContext | None = None,
    *,
    tool_choice: str = "auto",
    history: InputHistory | None = None,
) -> None:
    """Run the terminal app until the user quits (blocks)."""
    AssistantApp(agent, ctx, tool_choice=tool_choice, history=history).run()


async def run_app_async(
    agent: Any,
    ctx: UIContext | None = None,
    *,
    tool_choice: str = "auto",
    history: InputHistory | None = None,
) -> None:
    await AssistantApp(agent, ctx, tool_choice=tool_choice, history=history).run_async()


def _main() -> None:  # pragma: no cover - manual use: python -m assistant.ui.app [MODEL]
    import sys

    from assistant.config import load_settings
    from assistant.ui.launch import launch

    workspace = Path.cwd()
    overrides = {"model": sys.argv[1]} if len(sys.argv) > 1 else None
    raise SystemExit(launch(load_settings(workspace, overrides), workspace))


if __name__ == "__main__":  # pragma: no cover
    _main()
