"""The scripted teacher: a ChatModel that needs no model and no key.

Every task carries its solution as a generator (see ``tasks/``). The generator yields
what the assistant does next, a :class:`Call` (or a list of them) or an :class:`Answer`,
and receives the real results of the calls, which the agent loop ran through the
same tools and the same sandbox as at inference. Final answers are written from those
results, so the record only passes verification when the tools really produced them.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from assistant.llm.base import (
    CancelToken,
    Completion,
    Message,
    StreamItem,
    TextDelta,
    ToolCall,
    ToolChoice,
    Usage,
)

PROVIDER = "scripted"


@dataclass
class Call:
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    text: str


@dataclass
class Result:
    """What one call returned, as the model sees it."""

    output: str
    is_error: bool


Step = Call | list[Call] | Answer
Script = Generator[Step, list[Result], None]
Solution = Callable[[], Script]


def _approx_tokens(text: str) -> int:
    return max(1, len(text) // 4)


class ScriptedModel:
    """Plays one task's solution; build one per task (it keeps the script's state)."""

    provider = PROVIDER
    name = "scripted"
    context_length = 1_000_000

    def __init__(self, solution: Solution, task_id: str) -> None:
        self._script: Script | None = None
        self._solution = solution
        self._task_id = task_id
        self._steps = 0
        self.errors: dict[str, bool] = {}
        """Which call ids failed, filled in from the agent's tool_result events: the
        message the model sees carries no flag, and the script must know."""

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        return sum(_approx_tokens(m.content) for m in messages)

    def _next(self, messages: list[Message]) -> Step:
        if self._script is None:
            self._script = self._solution()
            return next(self._script)
        results: list[Result] = []
        for m in reversed(messages):
            if m.role != "tool":
                break
            failed = self.errors.get(
                m.tool_call_id or "", m.content.startswith(("Error", "Denied"))
            )
            results.append(Result(m.content, failed))
        results.reverse()
        return self._script.send(results)

    def _call_id(self, i: int) -> str:
        digest = hashlib.sha256(f"{self._task_id}:{self._steps}:{i}".encode()).hexdigest()
        return f"call_{digest[:24]}"

    def reply(self, messages: list[Message]) -> Completion:
        try:
            step = self._next(messages)
        except StopIteration:
            step = Answer("")
        self._steps += 1
        if isinstance(step, Answer):
            msg = Message("assistant", step.text)
            reason = "stop"
        else:
            calls = step if isinstance(step, list) else [step]
            msg = Message(
                "assistant",
                "",
                [ToolCall(c.name, dict(c.args), self._call_id(i)) for i, c in enumerate(calls)],
            )
            reason = "tool_calls"
        out = _approx_tokens(msg.content + "".join(str(c.arguments) for c in msg.tool_calls))
        return Completion(
            msg, Usage(input_tokens=self.count_tokens(messages), output_tokens=out), reason
        )

    async def create(self, messages: list[Message], **_: Any) -> Completion:
        return self.reply(messages)

    async def stream(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> AsyncIterator[StreamItem]:
        done = self.reply(messages)
        if done.message.content:
            yield TextDelta(done.message.content)
        yield done


class IdleModel:
    """The do-nothing teacher of the sweep test: answers "done" and calls nothing."""

    provider = "idle"
    name = "idle"
    context_length = 1_000_000

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        return 1

    async def stream(
        self, messages: list[Message], tools: Any = None, **_: Any
    ) -> AsyncIterator[StreamItem]:
        yield Completion(Message("assistant", "done"), Usage(), "stop")
