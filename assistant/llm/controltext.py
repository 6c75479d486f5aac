"""Conversation text that cannot spell a local model's control tokens.

The local backend tokenizes the rendered prompt with special tokens parsed, as the chat
template's own markup needs. Text inside the conversation — a file the model read, a
command's output, an MCP server's tool description — would be parsed the same way, so a
repository file holding ``<|im_end|><|im_start|>system`` would open a genuine system
turn. :class:`ControlTextGuard` breaks every such spelling in that text with a zero-width
space after its first character before the template sees it; the model reads it as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from assistant.llm.base import Message

ZERO_WIDTH_SPACE = "\u200b"


class ControlTextGuard:
    """Makes the given control-token spellings plain text wherever they occur."""

    def __init__(self, spellings: Iterable[str]) -> None:
        ordered = sorted({s for s in spellings if len(s) > 1}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def text(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: m[0][0] + ZERO_WIDTH_SPACE + m[0][1:], text)

    def value(self, value: Any) -> Any:
        """A JSON value (tool specs, call arguments) with its keys and strings made plain."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        return value

    def messages(self, messages: list[Message]) -> list[Message]:
        if self._pattern is None:
            return messages
        return [
            replace(
                m,
                content=self.text(m.content),
                tool_calls=[
                    replace(c, name=self.text(c.name), arguments=self.value(c.arguments))
                    for c in m.tool_calls
                ],
                name=None if m.name is None else self.text(m.name),
            )
            for m in messages
        ]

    def tools(self, tools: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
        return None if tools is None or self._pattern is None else self.value(tools)
