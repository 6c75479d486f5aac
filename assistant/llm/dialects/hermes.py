"""Hermes / Qwen2.5: ``<tool_call>`` JSON blocks, the project's own format.

A thin wrapper over :mod:`assistant.llm.toolformat`, which stays the one definition.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.llm import toolformat
from assistant.llm.base import Message, ToolCall
from assistant.llm.dialects.base import Dialect, ParsedReply


class Hermes(Dialect):
    name = "hermes"
    call_open = toolformat.CALL_OPEN + "\n"
    call_close = "\n" + toolformat.CALL_CLOSE
    open_markers = (toolformat.CALL_OPEN,)
    stray_open = re.escape(toolformat.CALL_OPEN) + r"\s*\{"
    template_markers = (toolformat.CALL_OPEN,)

    def render_tools(self, tools: list[dict[str, Any]]) -> str:
        return toolformat.render_tools(tools)

    def render_call(self, call: ToolCall) -> str:
        return toolformat.render_call(call)

    def render_result(self, message: Message) -> str:
        return f"{toolformat.RESPONSE_OPEN}\n{message.content}\n{toolformat.RESPONSE_CLOSE}"

    def parse(self, text: str) -> ParsedReply:
        return toolformat.parse_tool_calls(text)

    def grammar(self, tools: list[dict[str, Any]], only: str | None = None) -> str:
        return toolformat.build_grammar(tools, only=only)
