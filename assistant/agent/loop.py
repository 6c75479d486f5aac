"""The ReAct loop: model → tool calls → approval → results → model, until an answer.

One turn is ``Agent.run(user_text)``; it yields typed events (``agent/events.py``) that
the UI, headless mode, the session log and distill consume. Limits (steps, cost,
wall time, consecutive format errors) end a turn with a ``turn_end`` event whose
reason says which one. ``cancel()`` stops the running generation or tool and leaves
the history consistent: every assistant tool call gets a tool result.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.agent.approval import Approver
from assistant.agent.context import ContextBudget
from assistant.agent.events import (
    ApprovalEvent,
    ErrorEvent,
    Event,
    TextEvent,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
    TurnEndEvent,
    UsageEvent,
)
from assistant.agent.prompts import build_system_prompt
from assistant.agent.registry import ToolCallError, ToolRegistry
from assistant.llm.base import (
    CancelToken,
    ChatModel,
    Completion,
    LLMError,
    Message,
    TextDelta,
    ToolCall,
    Usage,
)
from assistant.tools.base import ToolContext, ToolResult
from assistant.tools.seen import CallReads, Note, SeenFiles

CANCELLED_RESULT = "Cancelled by the user before it finished."
TIME_UP_RESULT = "Stopped: the turn reached its time limit before this finished."
REPEAT_NOTE = "\n[The same call gave this same result just before; try something else.]"


@dataclass
class Limits:
    max_steps: int = 25
    """Model calls in one turn."""
    max_cost_usd: float | None = None
    """Stop the turn once the session has cost this much (cloud models)."""
    max_wall_s: float | None = None
    """Stop the turn after this many seconds, a generation or tool still running included."""
    max_format_errors: int = 3
    """Consecutive malformed or unknown tool calls before giving up."""
    max_repeats: int | None = 3
    """The same call with the same result this many times in a row ends the turn (the
    model is stuck); 0 or ``None``: never."""
    max_tokens: int | None = None
    """Cap on tokens per model reply."""
    temperature: float | None = None


class Agent:
    def __init__(
        self,
        model: ChatModel,
        registry: ToolRegistry,
        *,
        workspace: Path,
        approver: Approver | None = None,
        limits: Limits | None = None,
        system_prompt: str | None = None,
        session: Any = None,
        sandbox_provider: Callable[[], Awaitable[Any]] | None = None,
        undo: Any = None,
        messages: list[Message] | None = None,
    ) -> None:
        self.model = model
        self.registry = registry
        self.workspace = Path(workspace).resolve()
        self.approver = approver or Approver("ask")
        self.limits = limits or Limits()
        self.session = session
        self.sandbox_provider = sandbox_provider
        self.undo = undo
        self.seen_files = SeenFiles()
        self._reads: list[tuple[Message, list[Note]]] = []
        """Each tool result that showed the model files, with the tool's notes of them."""
        self.budget = ContextBudget(model, reserve=self.limits.max_tokens or 512)
        if messages:
            self.messages = list(messages)
        else:
            prompt = (
                system_prompt if system_prompt is not None else build_system_prompt(self.workspace)
            )
            self.messages = [Message.system(prompt)]
            self._log_message(self.messages[0])
        self.total_usage = Usage()
        # Undo picks a turn's changes by number: a resumed session, whose compacted history
        # holds fewer user messages than it had turns, must not reuse a journalled one.
        journalled = (e.turn for e in getattr(undo, "entries", ()))
        self.turn = max(sum(1 for m in self.messages if m.role == "user"), *journalled, 0)
        self._cancel = CancelToken()
        self._time_up = False
        self._tool_task: asyncio.Task[ToolResult] | None = None
        self._abandoned_tool: asyncio.Task[ToolResult] | None = None
        """A tool call a cancelled turn left unwinding (see :meth:`stop_tool`)."""
        self.last_tokens_per_s: float | None = None
        self._last_call: tuple[str, str, str] | None = None
        self._repeats = 0

    # -- public -----------------------------------------------------------------------------
    @property
    def session_id(self) -> str:
        return getattr(self.session, "id", "default")

    def cancel(self) -> None:
        """Stop the running generation or tool (Ctrl-C)."""
        self._cancel.cancel()
        if self._tool_task is not None and not self._tool_task.done():
            self._tool_task.cancel()

    async def stop_tool(self) -> None:
        """Cancel the tool call still running, or left unwinding by a cancelled turn, and
        wait until it ends: a sandbox closed under it would be used after closing."""
        tasks = [t for t in (self._tool_task, self._abandoned_tool) if t and not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._abandoned_tool = None

    def reset(self, system_prompt: str | None = None) -> None:
        """Start a new conversation with the same model and tools."""
        prompt = system_prompt or self.messages[0].content
        self.messages = [Message.system(prompt)]
        self.seen_files.clear()
        self._reads.clear()
        if self.session is not None:
            self.session.log_replace(self.messages)

    def replace_conversation(self, messages: list[Message]) -> None:
        """Hold ``messages`` from now on (``/load``): no file read before counts as read,
        since the model no longer has those results."""
        self.messages[:] = messages
        self.seen_files.clear()
        self._reads.clear()
        if self.session is not None:  # what /resume gives back from now on
            self.session.log_replace(self.messages)

    async def run(self, user_text: str, *, tool_choice: str = "auto") -> AsyncIterator[Event]:
        """Run one user turn to its end, yielding events.

        ``limits.max_wall_s`` is a deadline: a generation or tool still running when it
        passes is stopped as by ``cancel()`` and the turn ends with ``max_time``.
        """
        self._cancel = CancelToken()
        self._time_up = False
        timer = None
        if self.limits.max_wall_s is not None:
            timer = asyncio.get_running_loop().call_later(
                self.limits.max_wall_s, self._stop_at_time_limit
            )
        try:
            async for event in self._turn(user_text, tool_choice):
                yield event
        finally:
            if timer is not None:
                timer.cancel()

    def _stop_at_time_limit(self) -> None:
        self._time_up = True
        self.cancel()

    def _stop_reason(self) -> Literal["max_time", "cancelled"]:
        """Why a stopped generation or tool stopped: the time limit or the user."""
        return "max_time" if self._time_up else "cancelled"

    def _stopped_result(self) -> ToolResult:
        return ToolResult(TIME_UP_RESULT if self._time_up else CANCELLED_RESULT, is_error=True)

    async def _turn(self, user_text: str, tool_choice: str) -> AsyncIterator[Event]:
        self.turn += 1
        self._append(Message.user(user_text))
        steps = 0
        format_errors = 0
        self._last_call, self._repeats = None, 0
        choice = tool_choice
        while True:
            if steps >= self.limits.max_steps:
                yield self._emit(TurnEndEvent("max_steps", steps=steps))
                return
            if (
                self.limits.max_cost_usd is not None
                and self.total_usage.cost_usd >= self.limits.max_cost_usd
            ):
                yield self._emit(TurnEndEvent("max_cost", steps=steps))
                return
            if self._time_up:  # the deadline passed between steps
                yield self._emit(TurnEndEvent("max_time", steps=steps))
                return
            steps += 1
            tools = self.registry.specs() if len(self.registry) else None
            try:
                await self._fit_history(tools)
            except LLMError as exc:  # the system prompt alone is too long for the context
                yield self._emit(ErrorEvent(str(exc)))
                yield self._emit(TurnEndEvent("error", steps=steps))
                return
            completion: Completion | None = None
            t0 = time.monotonic()
            first_token: float | None = None
            try:
                async for item in self.model.stream(
                    self.messages,
                    tools,
                    tool_choice=choice if tools else "none",
                    temperature=self.limits.temperature,
                    max_tokens=self.limits.max_tokens,
                    cancel=self._cancel,
                ):
                    if isinstance(item, TextDelta):
                        if first_token is None:
                            first_token = time.monotonic()
                        yield self._emit(TextEvent(item.text), log=False)
                    else:
                        completion = item
            except LLMError as exc:
                yield self._emit(ErrorEvent(str(exc)))
                yield self._emit(TurnEndEvent("error", steps=steps))
                return
            choice = "auto"  # a forced choice applies to the first step only
            if completion is None:
                yield self._emit(ErrorEvent(f"{self.model.name} returned no reply."))
                yield self._emit(TurnEndEvent("error", steps=steps))
                return
            message = completion.message
            self._account(completion, t0, first_token)
            yield self._emit(self._usage_event(completion.usage))
            if completion.finish_reason == "cancelled" or self._cancel.cancelled:
                self._append(Message("assistant", message.content))
                yield self._emit(TurnEndEvent(self._stop_reason(), message.content, steps))
                return
            self._append(message)
            if not message.tool_calls:
                # Cut off by the token limit: the answer (or the call it was writing) is
                # unfinished, which the user and distill's filters must be able to tell.
                ended: Literal["max_tokens", "done"] = (
                    "max_tokens" if completion.finish_reason == "length" else "done"
                )
                yield self._emit(TurnEndEvent(ended, message.content, steps))
                return
            for index, call in enumerate(message.tool_calls):
                if self._cancel.cancelled:
                    self._append_result(call, self._stopped_result())
                    continue
                ok = True
                async for event in self._handle_call(call):
                    if (
                        isinstance(event, ToolResultEvent)
                        and event.is_error
                        and event.output.startswith("Error: the call was malformed")
                    ):
                        ok = False
                    yield event
                format_errors = 0 if ok else format_errors + 1
                if self._cancel.cancelled:
                    for rest in message.tool_calls[index + 1 :]:
                        self._append_result(rest, self._stopped_result())
                    yield self._emit(TurnEndEvent(self._stop_reason(), steps=steps))
                    return
            if format_errors >= self.limits.max_format_errors:
                yield self._emit(TurnEndEvent("format_errors", steps=steps))
                return
            if self.limits.max_repeats and self._repeats >= self.limits.max_repeats:
                yield self._emit(
                    ErrorEvent(
                        f"The model made the same call with the same result {self._repeats} "
                        "times in a row, so the turn stopped; rephrase the request or say "
                        "what to try instead."
                    )
                )
                yield self._emit(TurnEndEvent("repeating", steps=steps))
                return

    # -- one tool call ----------------------------------------------------------------------
    async def _handle_call(self, call: ToolCall) -> AsyncIterator[Event]:
        """Run one call to its result; a turn cancelled from outside (the app's second
        Ctrl+C) still leaves the call answered, in the history and the session log."""
        try:
            async for event in self._run_call(call):
                yield event
        except (asyncio.CancelledError, GeneratorExit):
            task, self._tool_task = self._tool_task, None
            if task is not None and not task.done():
                task.cancel()  # a thread that ignores it runs on; its result is dropped
                self._abandoned_tool = task
            # The app may have repaired the history already (every open call answered).
            if not any(m.role == "tool" and m.tool_call_id == call.id for m in self.messages):
                self._finish(call, self._stopped_result(), 0.0)
            raise

    async def _run_call(self, call: ToolCall) -> AsyncIterator[Event]:
        yield self._emit(ToolCallEvent(call.id, call.name, call.arguments))
        try:
            tool = self.registry.validate(call.name, call.arguments)
        except ToolCallError as exc:
            result = ToolResult(f"Error: the call was malformed. {exc}", is_error=True)
            yield self._finish(call, result, 0.0)
            return
        queue: asyncio.Queue[str] = asyncio.Queue()
        reads = CallReads(self.seen_files)
        ctx = ToolContext(
            workspace=self.workspace,
            session_id=self.session_id,
            turn=self.turn,
            sandbox_provider=self.sandbox_provider,
            undo=self.undo,
            seen_files=reads,
            on_output=queue.put_nowait,
            cancel=self._cancel,
        )
        needs_asking = not tool.read_only or tool.host_network
        if needs_asking and self.approver.mode != "never-ask":
            yield self._emit(
                ApprovalEvent(call.id, call.name, "requested", policy=self.approver.mode)
            )
        outcome = await self.approver.check(call, tool, ctx)
        if needs_asking and self.approver.mode != "never-ask":
            yield self._emit(
                ApprovalEvent(call.id, call.name, "decided", str(outcome.decision), outcome.reason)
            )
        if self._cancel.cancelled:
            yield self._finish(call, self._stopped_result(), 0.0)
            return
        if not outcome.allowed:
            reason = outcome.reason or "Denied."
            yield self._finish(call, ToolResult(f"Denied: {reason}", is_error=True), 0.0)
            return
        if outcome.arguments != call.arguments:
            try:
                tool = self.registry.validate(call.name, outcome.arguments)
            except ToolCallError as exc:
                yield self._finish(call, ToolResult(f"Error: {exc}", is_error=True), 0.0)
                return
            call.arguments = outcome.arguments
        started = time.monotonic()
        self._tool_task = asyncio.create_task(tool.run(call.arguments, ctx))
        while True:
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait(
                {self._tool_task, getter}, return_when=asyncio.FIRST_COMPLETED
            )
            if getter in done:
                yield self._emit(ToolOutputEvent(call.id, getter.result()), log=False)
                continue
            getter.cancel()
            break
        while not queue.empty():
            yield self._emit(ToolOutputEvent(call.id, queue.get_nowait()), log=False)
        try:
            result = self._tool_task.result()
        except asyncio.CancelledError:
            result = self._stopped_result()
        except Exception as exc:  # a bug in a tool must not kill the session
            result = ToolResult(f"Error: {type(exc).__name__}: {exc}", is_error=True)
        finally:
            self._tool_task = None
        yield self._finish(call, result, time.monotonic() - started, reads)

    def _finish(
        self,
        call: ToolCall,
        result: ToolResult,
        duration: float,
        reads: CallReads | None = None,
    ) -> ToolResultEvent:
        result = self._mark_repeat(call, result)
        self._append_result(call, result)
        if reads is not None and reads.notes:
            self._reads.append((self.messages[-1], reads.notes))
        return self._emit(
            ToolResultEvent(
                call.id,
                call.name,
                result.output,
                result.is_error,
                result.display,
                result.display_kind,
                result.exit_code,
                round(duration, 4),
            )
        )

    def _mark_repeat(self, call: ToolCall, result: ToolResult) -> ToolResult:
        """Count a call that repeats the one before it, result and all, and say so in its
        result (a small model otherwise tends to run the same failing command again)."""
        key = (call.name, json.dumps(call.arguments, sort_keys=True), result.output)
        if key != self._last_call:
            self._last_call, self._repeats = key, 1
            return result
        self._repeats += 1
        return dataclasses.replace(result, output=result.output + REPEAT_NOTE)

    # -- bookkeeping ------------------------------------------------------------------------
    def _append_result(self, call: ToolCall, result: ToolResult) -> None:
        self._append(Message.tool(call, result.output))

    def _append(self, message: Message) -> None:
        self.messages.append(message)
        self._log_message(message)

    def _log_message(self, message: Message) -> None:
        if self.session is not None:
            self.session.log_message(message)

    async def _fit_history(self, tools: list[dict[str, Any]] | None, force: bool = False) -> None:
        """Compact the history if it does not fit; a summary's model call counts as spent."""
        fitted = await self.budget.fit(self.messages, tools, force=force, cancel=self._cancel)
        self.total_usage = self.total_usage + self.budget.take_spent()
        await self._replace_history(fitted)

    async def _replace_history(self, messages: list[Message]) -> None:
        if messages is self.messages:
            return
        self.messages = messages
        self._forget_cut_reads()
        if self.session is not None:
            self.session.log_replace(messages)

    def _forget_cut_reads(self) -> None:
        """Keep what the model read only as far as the history still shows it: a result the
        compaction left whole stays the same object; one it shrank or cut showed only part
        of its files; one it summarised away counts no more."""
        kept = {id(m) for m in self.messages}
        results = {m.tool_call_id: m for m in self.messages if m.role == "tool"}
        reads: list[tuple[Message, list[Note]]] = []
        for message, notes in self._reads:
            if id(message) in kept:
                reads.append((message, notes))
            elif (shortened := results.get(message.tool_call_id)) is not None:
                reads.append((shortened, [(path, data, False) for path, data, _ in notes]))
        self._reads = reads
        self.seen_files.clear()
        for _, notes in reads:
            for path, data, whole in notes:
                self.seen_files.note(path, data, whole=whole)

    def _emit(self, event: Event, *, log: bool = True) -> Any:
        if log and self.session is not None:
            self.session.log_event(event)
        return event

    def _account(self, completion: Completion, t0: float, first_token: float | None) -> None:
        self.total_usage = self.total_usage + completion.usage
        out = completion.usage.output_tokens
        if first_token is not None and out > 1:
            elapsed = time.monotonic() - first_token
            self.last_tokens_per_s = (out - 1) / elapsed if elapsed > 0 else None

    def _usage_event(self, usage: Usage) -> UsageEvent:
        tools = self.registry.specs() if len(self.registry) else None
        return UsageEvent(
            usage.input_tokens,
            usage.output_tokens,
            usage.cost_usd,
            self.total_usage.cost_usd,
            self.budget.count(self.messages, tools),
            self.model.context_length,
            self.last_tokens_per_s,
        )

    async def compact(self) -> int:
        """Force compaction now (``/compact``); returns tokens saved. ``cancel()`` stops
        its summary (the older turns are then kept as an excerpt)."""
        self._cancel = CancelToken()
        tools = self.registry.specs() if len(self.registry) else None
        before = self.budget.count(self.messages, tools)
        await self._fit_history(tools, force=True)
        return before - self.budget.count(self.messages, tools)

    async def aclose(self) -> str | None:
        """Close the sandbox; its last warning for the user (see ``Sandbox.close``), or None.
        A tool call still running or unwinding ends first: it would use the closed sandbox."""
        await self.stop_tool()
        closer = getattr(self.sandbox_provider, "close", None)
        if closer is not None:
            with contextlib.suppress(Exception):
                warning = await closer()
                return warning if isinstance(warning, str) else None
        return None
