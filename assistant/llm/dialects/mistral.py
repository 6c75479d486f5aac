"""Mistral (v0.3, Nemo): ``[TOOL_CALLS] [{"name": ..., "arguments": {...}}, ...]``.

One block carries every call of the turn as a JSON array; tools are listed in
``[AVAILABLE_TOOLS]`` and results come back in ``[TOOL_RESULTS]``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from assistant.llm.base import Message, ToolCall
from assistant.llm.dialects.base import (
    Dialect,
    ParsedReply,
    call_variants,
    decode_json_at,
    json_grammar,
    read_arguments,
)

TOOL_CALLS = "[TOOL_CALLS]"


class Mistral(Dialect):
    name = "mistral"
    call_open = TOOL_CALLS
    open_markers = (TOOL_CALLS,)
    stray_open = re.escape(TOOL_CALLS) + r"\s*[\[{\w]"
    template_markers = (TOOL_CALLS,)

    def render_tools(self, tools: list[dict[str, Any]]) -> str:
        return f"[AVAILABLE_TOOLS] {json.dumps(tools, ensure_ascii=False)}[/AVAILABLE_TOOLS]"

    def _call_object(self, call: ToolCall) -> str:
        return json.dumps({"name": call.name, "arguments": call.arguments}, ensure_ascii=False)

    def render_call(self, call: ToolCall) -> str:
        return f"{TOOL_CALLS} [{self._call_object(call)}]"

    def render_assistant(self, content: str, calls: list[ToolCall]) -> str:
        block = f"{TOOL_CALLS} [{', '.join(self._call_object(c) for c in calls)}]"
        return "\n".join(p for p in (content, block if calls else "") if p)

    def render_result(self, message: Message) -> str:
        body = json.dumps({"content": message.content}, ensure_ascii=False)
        return f"[TOOL_RESULTS] {body}[/TOOL_RESULTS]"

    def parse(self, text: str) -> ParsedReply:
        calls: list[ToolCall] = []
        errors: list[str] = []
        content: list[str] = []
        last = 0
        while (start := text.find(TOOL_CALLS, last)) >= 0:
            content.append(text[last:start])
            i = start + len(TOOL_CALLS)
            while i < len(text) and text[i].isspace():
                i += 1
            found = decode_json_at(text, i)
            if found is None:
                errors.append(
                    f"Could not read the tool calls in {text[i : i + 120]!r}: expected "
                    '[{"name": ..., "arguments": {...}}] as JSON.'
                )
                last = len(text)
                break
            value, last = found
            for item in value if isinstance(value, list) else [value]:
                if not (isinstance(item, dict) and isinstance(item.get("name"), str)):
                    errors.append(f"Could not read a tool call from {item!r}: it names no tool.")
                    continue
                raw = item.get("arguments", item.get("parameters", {}))
                args = read_arguments(item["name"], raw, errors)
                if args is not None:
                    calls.append(ToolCall(name=item["name"], arguments=args))
        content.append(text[last:])
        return ParsedReply(content="".join(content).strip(), tool_calls=calls, errors=errors)

    def grammar(self, tools: list[dict[str, Any]], only: str | None = None) -> str:
        variants = call_variants(tools, only, "arguments")
        item = variants[0] if len(variants) == 1 else {"oneOf": variants}
        # One call per block: greedy small models otherwise repeat the call until cut off.
        schema = {"type": "array", "items": item, "minItems": 1, "maxItems": 1}
        gbnf = json_grammar(schema, ["name", "arguments"])
        # The v0.3 template writes a space after [TOOL_CALLS], Nemo's does not.
        return gbnf.replace("root ::= ", 'root ::= " "? ', 1)
