"""Quality filters applied to every finished run before it may become a record.

Each check returns a rejection reason (a short stable slug that metadata counts)
or None. The order is cheap to expensive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jsonschema

from assistant.llm.base import Message

REFUSALS = re.compile(
    r"(?i)\b(i(?:'m| am) (?:sorry|unable|not able)|i can(?:no|')t (?:help|assist|do that|comply)"
    r"|as an ai(?: language model)?|i won't be able|i must decline|i do not have the ability)"
)
CODE_BLOCK = re.compile(r"```[^\n]*\n.*?```", re.DOTALL)


@dataclass
class FilterConfig:
    min_chars: int = 8
    max_chars: int = 60_000
    max_messages: int = 80


def _validators(tools: list[dict[str, Any]]) -> dict[str, jsonschema.Draft202012Validator]:
    return {
        t["function"]["name"]: jsonschema.Draft202012Validator(
            t["function"].get("parameters") or {}
        )
        for t in tools
    }


def check_tool_calls(messages: list[Message], tools: list[dict[str, Any]]) -> str | None:
    """Every call names a known tool and its arguments validate against the schema."""
    validators = _validators(tools) if tools else {}
    for m in messages:
        for call in m.tool_calls:
            v = validators.get(call.name)
            if v is None:
                return "unknown_tool"
            if "__raw__" in call.arguments or next(v.iter_errors(call.arguments), None) is not None:
                return "invalid_tool_arguments"
    for m in messages:
        if m.role == "tool" and m.content.startswith("Error: the call was malformed"):
            return "invalid_tool_arguments"
    return None


def check(
    messages: list[Message],
    tools: list[dict[str, Any]],
    *,
    code_required: bool,
    config: FilterConfig | None = None,
) -> str | None:
    """The first reason to reject this conversation, or None when it passes."""
    cfg = config or FilterConfig()
    assistant = [m for m in messages if m.role == "assistant"]
    if not assistant:
        return "no_reply"
    final = assistant[-1].content.strip()
    total = sum(len(m.content) for m in assistant)
    if len(final) < cfg.min_chars:
        return "too_short"
    if total > cfg.max_chars or len(messages) > cfg.max_messages:
        return "too_long"
    if REFUSALS.search(final[:400]):
        return "refusal"
    if code_required and not any(CODE_BLOCK.search(m.content) for m in assistant):
        return "missing_code_block"
    return check_tool_calls(messages, tools)
