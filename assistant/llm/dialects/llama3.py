"""Llama 3.x: a call is a bare JSON object ``{"name": ..., "parameters": {...}}``.

The Llama 3.1/3.2 templates render an assistant call exactly that way (no marker before
it) and results in an ``ipython`` turn; the model may also open a call with
``<|python_tag|>``. Several calls may follow one another, separated by ``;`` or newlines.
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

PYTHON_TAG = "<|python_tag|>"
ARGS_KEY = "parameters"

TOOLS_PREAMBLE = (
    "You have access to the following functions. To call a function, please respond with "
    'JSON for a function call. Respond in the format {"name": function name, "parameters": '
    "dictionary of argument name and its value}. Do not use variables.\n\n"
)

_SEPARATORS = re.compile(r"^[\s;]*$")


class Llama3(Dialect):
    name = "llama3"
    call_open = ""
    open_markers = (PYTHON_TAG, '{"name"')
    stray_open = re.escape(PYTHON_TAG) + r"\s*\{"  # bare JSON in prose is not counted
    template_markers = ("<|start_header_id|>", PYTHON_TAG)

    def render_tools(self, tools: list[dict[str, Any]]) -> str:
        return TOOLS_PREAMBLE + "".join(json.dumps(t, indent=4) + "\n\n" for t in tools)

    def render_call(self, call: ToolCall) -> str:
        return json.dumps({"name": call.name, ARGS_KEY: call.arguments}, ensure_ascii=False)

    def render_result(self, message: Message) -> str:
        return message.content

    def parse(self, text: str) -> ParsedReply:
        calls: list[ToolCall] = []
        errors: list[str] = []
        spans: list[tuple[int, int]] = []
        i = 0
        while (i := text.find("{", i)) >= 0:
            found = decode_json_at(text, i)
            obj = found[0] if found else None
            if not (isinstance(obj, dict) and isinstance(obj.get("name"), str)) or not (
                ARGS_KEY in obj or "arguments" in obj
            ):
                i += 1
                continue
            assert found is not None
            end = found[1]
            args = read_arguments(obj["name"], obj.get(ARGS_KEY, obj.get("arguments")), errors)
            if args is not None:
                calls.append(ToolCall(name=obj["name"], arguments=args))
            spans.append((i, end))
            i = end
        content, last = [], 0
        for start, end in spans:
            piece = text[last:start].replace(PYTHON_TAG, "")
            if not (content and _SEPARATORS.match(piece)):  # drop ';' between two calls
                content.append(piece)
            last = end
        content.append(text[last:].replace(PYTHON_TAG, ""))
        return ParsedReply(content="".join(content).strip(), tool_calls=calls, errors=errors)

    def grammar(self, tools: list[dict[str, Any]], only: str | None = None) -> str:
        variants = call_variants(tools, only, ARGS_KEY)
        schema = variants[0] if len(variants) == 1 else {"oneOf": variants}
        return json_grammar(schema, ["name", ARGS_KEY])
