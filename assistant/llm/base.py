"""The types every backend, the agent, distill, training and eval agree on.

Messages use the OpenAI chat shape (see docs/architecture.md). Backends translate
to and from their wire formats; nothing else does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Role = Literal["system", "user", "assistant", "tool"]
ToolChoice = str
"""``"auto"``, ``"required"``, ``"none"`` or the name of one tool."""


class LLMError(Exception):
    """A backend problem the user can act on; the message is one clear sentence."""


class MissingAPIKeyError(LLMError):
    pass


class ModelLoadError(LLMError):
    pass


def new_call_id() -> str:
    return "call_" + uuid.uuid4().hex[:24]


@dataclass
class ToolCall:
    """One proposed tool call. ``arguments`` is parsed JSON (a dict)."""

    name: str
    arguments: dict[str, Any]
    id: str = field(default_factory=new_call_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": json.dumps(self.arguments)},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ToolCall:
        fn = data.get("function", data)
        raw = fn.get("arguments", {})
        if isinstance(raw, str):
            try:
                parsed = json.loads(raw) if raw.strip() else {}
            except json.JSONDecodeError:
                parsed = None
            # Not a JSON object ("null", "5", "[...]"): kept as text for the tool registry
            # to reject with a sentence, like text that is not JSON at all.
            args = parsed if isinstance(parsed, dict) else {"__raw__": raw}
        else:
            args = dict(raw)
        return cls(name=fn["name"], arguments=args, id=data.get("id") or new_call_id())


@dataclass
class Message:
    """One chat message in the OpenAI shape."""

    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = [tc.to_dict() for tc in self.tool_calls]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.name is not None:
            out["name"] = self.name
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return cls(
            role=data["role"],
            content=data.get("content") or "",
            tool_calls=[ToolCall.from_dict(tc) for tc in data.get("tool_calls") or []],
            tool_call_id=data.get("tool_call_id"),
            name=data.get("name"),
        )

    @classmethod
    def system(cls, content: str) -> Message:
        return cls("system", content)

    @classmethod
    def user(cls, content: str) -> Message:
        return cls("user", content)

    @classmethod
    def tool(cls, call: ToolCall, content: str) -> Message:
        return cls("tool", content, tool_call_id=call.id, name=call.name)


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.cost_usd + other.cost_usd,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_read_tokens": self.cache_read_tokens,
            "cache_write_tokens": self.cache_write_tokens,
            "cost_usd": round(self.cost_usd, 8),
        }


@dataclass
class TextDelta:
    """A piece of streamed assistant text."""

    text: str


@dataclass
class Completion:
    """The end of one model call: the whole assistant message and its usage."""

    message: Message
    usage: Usage
    finish_reason: str = "stop"
    """``stop``, ``tool_calls``, ``length`` or ``cancelled``."""


StreamItem = TextDelta | Completion


@runtime_checkable
class ChatModel(Protocol):
    """A chat model behind one interface (local GGUF, Claude, GPT, ...)."""

    name: str
    """Human-readable model name, e.g. ``SmolLM2-135M-Instruct`` or ``claude-sonnet-4-5``."""
    provider: str
    """``local``, ``anthropic`` or ``openai``."""
    context_length: int

    def stream(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> AsyncIterator[StreamItem]:
        """Yield ``TextDelta`` items, then exactly one ``Completion``."""
        ...

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        """Tokens the prompt for ``messages`` would take (exact for local, estimated for cloud)."""
        ...


class CancelToken:
    """A flag the UI sets (Ctrl-C) and long-running work polls."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def reset(self) -> None:
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled


async def complete(model: ChatModel, messages: list[Message], **opts: Any) -> Completion:
    """Run ``model.stream`` to the end and return its ``Completion``."""
    final: Completion | None = None
    async for item in model.stream(messages, **opts):
        if isinstance(item, Completion):
            final = item
    if final is None:  # pragma: no cover - a backend bug
        raise LLMError(f"Model {model.name} ended its stream without a completion.")
    return final
