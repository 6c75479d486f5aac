"""``serve --agent``: the chat endpoint runs the full agent instead of one model call.

The agent has the project's tools, runs commands in the configured sandbox and follows
the approval policy from the user's settings. Nobody can be asked over HTTP, so a call
the policy would ask about is denied, and the model is told why (``Denied: ...``).

Each request is one user turn on a fresh agent: earlier turns come from the request's
messages. Agent runs take turns (one at a time): they share one ephemeral sandbox name.
Every model call inside a run still waits its turn in the engine's queue.

When the sandbox closes after the turn, its warning (a git repository directory left in
the workspace after the last command, which git on the user's machine would use) is
logged and listed in the response's ``agent.warnings``.

How the turn's end (``agent.turn_end`` in the response) becomes the ``finish_reason``:

* ``done``: ``stop``;
* ``max_tokens``, ``max_steps``, ``max_cost``, ``max_time``, ``format_errors``,
  ``repeating``: ``length``, since one of the agent's limits ended the turn before it
  had a final answer;
* ``cancelled``: ``stop`` (only when the client left, so nobody reads it);
* ``error``: no completion; the model's error comes back as the API's error response
  (as it would without ``--agent``), or in the stream once it has started.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.agent.events import (
    ApprovalEvent,
    ErrorEvent,
    Event,
    TextEvent,
    ToolCallEvent,
    ToolResultEvent,
    TurnEndEvent,
)
from assistant.config import Settings
from assistant.llm.base import Message, TextDelta
from assistant.server.engine import Engine, QueuedModel, Result
from assistant.server.errors import APIError

if TYPE_CHECKING:
    from assistant.agent.builder import Built

log = logging.getLogger(__name__)

FINISH = {"done": "stop", "cancelled": "stop"}
"""``finish_reason`` by turn end; every other end is one of the agent's limits: ``length``."""

REPORTED = (ToolCallEvent, ApprovalEvent, ToolResultEvent, ErrorEvent, TurnEndEvent)
"""Events listed in the response's ``agent.events`` (text and usage are reported apart)."""


@dataclass
class AgentTurn:
    """What one agent turn did, for the response's ``agent`` field."""

    events: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""
    steps: int = 0
    warnings: list[str] = field(default_factory=list)
    """What the sandbox told the user as it closed (a git repository planted in the
    workspace after its last command, which git on their machine would use)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "turn_end": self.reason,
            "steps": self.steps,
            "warnings": self.warnings,
        }


class AgentRunner:
    def __init__(self, engine: Engine, settings: Settings, workspace: Path) -> None:
        self.engine = engine
        self.settings = settings
        self.workspace = workspace.resolve()
        self._lock = asyncio.Lock()

    def build(self, messages: list[Message]) -> Built:
        """A fresh agent for a turn of ``messages``; close it with ``run`` or ``aclose``.

        Building starts nothing (no sandbox, no session file, no MCP server), so the request
        can be checked against the agent's tools and prompt before the turn is queued.
        """
        from assistant.agent.builder import build_agent

        if not messages or messages[-1].role != "user":
            raise APIError(
                400,
                "In --agent mode the last message must come from the user; send the task there.",
                param="messages",
            )
        return build_agent(
            self.settings, self.workspace, model=QueuedModel(self.engine), persist=False
        )

    async def run(
        self,
        built: Built,
        messages: list[Message],
        *,
        tool_choice: str,
        max_tokens: int,
        turn: AgentTurn,
    ) -> AsyncIterator[TextDelta | Result]:
        """Stream the turn's text; end with a ``Result`` holding the final answer.

        A turn that ends in ``error`` raises the model's ``LLMError`` (or a 500 when the
        model gave no reply) instead.
        """
        history = [m for m in messages[:-1] if m.role != "system"]
        agent = built.agent
        model = agent.model
        assert isinstance(model, QueuedModel)
        try:
            async with self._lock:
                agent.limits.max_tokens = max_tokens
                agent.messages.extend(history)
                final, error = "", ""
                async for event in agent.run(messages[-1].content, tool_choice=tool_choice):
                    if isinstance(event, TextEvent):
                        yield TextDelta(event.delta)
                    elif isinstance(event, ErrorEvent):
                        error = event.message
                    if isinstance(event, REPORTED):
                        turn.events.append(_event_dict(event))
                    if isinstance(event, TurnEndEvent):
                        turn.reason, turn.steps = event.reason, event.steps
                        final = event.final_text
        finally:
            agent.cancel()
            warning = await agent.aclose()
            if warning:
                log.warning("agent turn: %s", warning)
                turn.warnings.append(warning)
        if turn.reason == "error":
            if model.last_error is not None:
                raise model.last_error
            raise APIError(500, error or "The agent's turn failed; see the server log.")
        # Every model call of the turn (compaction's too), cache reads included.
        yield Result(final, [], FINISH.get(turn.reason, "length"), agent.total_usage)


def _event_dict(event: Event) -> dict[str, Any]:
    return event.to_dict()
