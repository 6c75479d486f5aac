"""THE text tool-call format for local models (Hermes / Qwen2.5 style, ChatML turns).

Tools are listed as JSON inside ``<tools></tools>`` in the system turn; a call is::

    <tool_call>
    {"name": "read_file", "arguments": {"path": "README.md"}}
    </tool_call>

and results come back inside ``<tool_response></tool_response>`` in a user turn.
The local backend, distill, training and eval all import this module, so data is
generated in exactly the form the student model sees at inference.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.llm.base import Message, ToolCall
from assistant.llm.schemarefs import scoped_parameters, with_tool_defs

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
CALL_OPEN = "<tool_call>"
CALL_CLOSE = "</tool_call>"
RESPONSE_OPEN = "<tool_response>"
RESPONSE_CLOSE = "</tool_response>"

TOOLS_PREAMBLE = (
    "# Tools\n\n"
    "You may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n"
    "<tools>\n{tools}\n</tools>\n\n"
    "For each function call, return a json object with function name and arguments "
    "within <tool_call></tool_call> XML tags:\n"
    '<tool_call>\n{{"name": <function-name>, "arguments": <args-json-object>}}\n</tool_call>'
)


def render_tools(tools: list[dict[str, Any]]) -> str:
    """The tools section appended to the system prompt."""
    lines = "\n".join(json.dumps(t, ensure_ascii=False) for t in tools)
    return TOOLS_PREAMBLE.format(tools=lines)


def render_call(call: ToolCall) -> str:
    body = json.dumps({"name": call.name, "arguments": call.arguments}, ensure_ascii=False)
    return f"{CALL_OPEN}\n{body}\n{CALL_CLOSE}"


def render_assistant_content(message: Message) -> str:
    """The text of an assistant turn: prose, then each call block on its own line."""
    parts = [message.content] if message.content else []
    parts.extend(render_call(tc) for tc in message.tool_calls)
    return "\n".join(parts)


def render_prompt(
    messages: list[Message],
    tools: list[dict[str, Any]] | None = None,
    *,
    add_generation_prompt: bool = True,
) -> str:
    """Render a conversation as ChatML text, the way the local model sees it.

    The rendering of a prefix of ``messages`` is always a prefix of the rendering of
    the whole list (apart from the trailing generation prompt), which is what lets
    llama.cpp reuse its KV cache from one turn to the next.
    """
    out: list[str] = []
    msgs = list(messages)
    system = ""
    if msgs and msgs[0].role == "system":
        system = msgs.pop(0).content
    if tools:
        system = f"{system}\n\n{render_tools(tools)}" if system else render_tools(tools)
    if system:
        out.append(f"{IM_START}system\n{system}{IM_END}\n")
    i = 0
    while i < len(msgs):
        m = msgs[i]
        if m.role == "tool":
            # Consecutive tool results share one user turn (Qwen2.5 convention).
            blocks = []
            while i < len(msgs) and msgs[i].role == "tool":
                blocks.append(f"{RESPONSE_OPEN}\n{msgs[i].content}\n{RESPONSE_CLOSE}")
                i += 1
            out.append(f"{IM_START}user\n" + "\n".join(blocks) + f"{IM_END}\n")
            continue
        if m.role == "assistant":
            out.append(f"{IM_START}assistant\n{render_assistant_content(m)}{IM_END}\n")
        else:
            out.append(f"{IM_START}{m.role}\n{m.content}{IM_END}\n")
        i += 1
    if add_generation_prompt:
        out.append(f"{IM_START}assistant\n")
    return "".join(out)


@dataclass
class ParsedReply:
    """What the lenient parser found in a model's text."""

    content: str
    """The prose outside any ``<tool_call>`` block, stripped."""
    tool_calls: list[ToolCall] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One sentence per block that could not be read as a call."""


_BLOCK = re.compile(
    re.escape(CALL_OPEN)
    + r"(.*?)(?:"
    + re.escape(CALL_CLOSE)
    + r"|(?="
    + re.escape(CALL_OPEN)
    + r")|\Z)",
    re.DOTALL,
)


def _decode_first_object(text: str) -> dict[str, Any] | None:
    start = text.find("{")
    if start < 0:
        return None
    decoder = json.JSONDecoder(strict=False)  # accept raw newlines inside strings
    try:
        obj, _ = decoder.raw_decode(text[start:])
    except json.JSONDecodeError:
        # A missing closing brace is the commonest truncation; try to repair it.
        body = text[start:].strip()
        for suffix in ("}", "}}", '"}}', '"}'):
            try:
                obj, _ = decoder.raw_decode(body + suffix)
                break
            except json.JSONDecodeError:
                continue
        else:
            return None
    return obj if isinstance(obj, dict) else None


def parse_tool_calls(text: str) -> ParsedReply:
    """Find every ``<tool_call>`` block in ``text``.

    Lenient on purpose: a missing closing tag, several calls, prose around them,
    ``parameters`` instead of ``arguments`` and arguments given as a JSON string
    are all accepted.
    """
    calls: list[ToolCall] = []
    errors: list[str] = []
    for match in _BLOCK.finditer(text):
        obj = _decode_first_object(match.group(1))
        if obj is None or not isinstance(obj.get("name"), str):
            snippet = match.group(1).strip()[:120]
            errors.append(
                f"Could not read a tool call from {snippet!r}: expected "
                '{"name": ..., "arguments": {...}} as JSON.'
            )
            continue
        args: Any = obj.get("arguments", obj.get("parameters", {}))
        if isinstance(args, str):
            try:
                args = json.loads(args) if args.strip() else {}
            except json.JSONDecodeError:
                errors.append(f"The arguments of the call to {obj['name']} are not valid JSON.")
                continue
        if not isinstance(args, dict):
            errors.append(f"The arguments of the call to {obj['name']} must be a JSON object.")
            continue
        calls.append(ToolCall(name=obj["name"], arguments=args))
    content = _BLOCK.sub("", text).strip()
    return ParsedReply(content=content, tool_calls=calls, errors=errors)


def tool_names(tools: list[dict[str, Any]]) -> list[str]:
    return [t["function"]["name"] for t in tools]


def call_variants(
    tools: list[dict[str, Any]], only: str | None = None, args_key: str = "arguments"
) -> list[dict[str, Any]]:
    """One JSON schema per tool: ``{"name": <const>, args_key: <its parameters>}`` (pass
    the schema built from them through :func:`schemarefs.with_tool_defs`)."""
    variants = []
    for i, t in enumerate(tools):
        fn = t["function"]
        if only is not None and fn["name"] != only:
            continue
        params = fn.get("parameters") or {"type": "object", "properties": {}}
        params, defs = scoped_parameters(params, i)
        variant = {
            "type": "object",
            "properties": {"name": {"const": fn["name"]}, args_key: params},
            "required": ["name", args_key],
            "additionalProperties": False,
        }
        if defs:  # moved to the root by with_tool_defs
            variant["$defs"] = defs
        variants.append(variant)
    if not variants:
        raise ValueError(f"No tool named {only!r} among {tool_names(tools)}.")
    return variants


def call_schema(tools: list[dict[str, Any]], only: str | None = None) -> dict[str, Any]:
    """A JSON schema that matches exactly the valid call objects for ``tools``."""
    variants = call_variants(tools, only)
    return with_tool_defs(variants[0] if len(variants) == 1 else {"oneOf": variants})


def build_grammar(tools: list[dict[str, Any]], only: str | None = None) -> str:
    """GBNF for the JSON body of one call: a real tool name with schema-valid arguments.

    Uses llama.cpp's own JSON-schema converter (shipped in llama-cpp-python) so the
    grammar follows the same rules as llama.cpp's server.
    """
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    schema = call_schema(tools, only)
    return _canonical_layout(
        json_schema_to_gbnf(json.dumps(schema), prop_order=["name", "arguments"])
    )


def _canonical_layout(gbnf: str) -> str:
    """Pin the grammar's whitespace to ``json.dumps`` layout and forbid raw control chars.

    The converter lets the model put optional spaces anywhere (``{ "name" :``...). Fixing
    the layout to what :func:`render_call` writes makes the generated call text-identical
    to its re-rendering in the next turn's prompt and to the training data. (The model may
    still split that text into different tokens than the tokenizer does, e.g. ``{`` + ``"``
    for ``{"``, so llama.cpp may re-evaluate the call itself on the next turn.) Raw
    newlines inside strings are invalid JSON, so they are excluded too (the model must
    write ``\\n``).
    """
    out = []
    for line in gbnf.splitlines():
        if line.startswith("space ::="):
            line = 'space ::= ""'
        else:
            line = line.replace('":" space', '": "').replace('"," space', '", "')
            line = line.replace('[^"\\\\]', '[^"\\\\\\x00-\\x1F\\x7F]')
        out.append(line)
    return "\n".join(out) + "\n"
