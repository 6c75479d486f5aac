"""Typed events the agent loop emits; the UI, headless mode, sessions and distill consume them.

As JSON each event has a ``type``: text, tool_call, approval, tool_output,
tool_result, usage, turn_end, error.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class Event:
    type: str = field(init=False, default="event")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class TextEvent(Event):
    delta: str
    type: str = field(init=False, default="text")


@dataclass
class ToolCallEvent(Event):
    id: str
    name: str
    arguments: dict[str, Any]
    type: str = field(init=False, default="tool_call")


@dataclass
class ApprovalEvent(Event):
    id: str
    name: str
    phase: Literal["requested", "decided"]
    decision: str | None = None
    """allow_once, allow_session, always, deny (``decided`` only)."""
    reason: str | None = None
    policy: str | None = None
    type: str = field(init=False, default="approval")


@dataclass
class ToolOutputEvent(Event):
    id: str
    chunk: str
    type: str = field(init=False, default="tool_output")


@dataclass
class ToolResultEvent(Event):
    id: str
    name: str
    output: str
    is_error: bool = False
    display: str | None = None
    display_kind: str = "text"
    exit_code: int | None = None
    duration_s: float = 0.0
    type: str = field(init=False, default="tool_result")


@dataclass
class UsageEvent(Event):
    input_tokens: int
    output_tokens: int
    cost_usd: float
    total_cost_usd: float
    context_tokens: int
    context_limit: int
    tokens_per_s: float | None = None
    type: str = field(init=False, default="usage")


@dataclass
class TurnEndEvent(Event):
    reason: Literal[
        "done",
        "max_steps",
        "max_tokens",
        "max_cost",
        "max_time",
        "cancelled",
        "format_errors",
        "repeating",
        "error",
    ]
    final_text: str = ""
    steps: int = 0
    type: str = field(init=False, default="turn_end")


@dataclass
class ErrorEvent(Event):
    message: str
    type: str = field(init=False, default="error")
