"""MCP tools as the agent's ``Tool`` objects, and MCP call results as ``ToolResult``.

An MCP tool ``query`` on server ``db`` becomes ``db__query`` with the server's JSON input
schema, so it goes through the registry's validation, the approver, events, sessions
and tool cards like any built-in tool. It is mutating (asks first) unless the server
marks it ``readOnlyHint``; hints from a workspace server are not believed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import jsonschema
from mcp import types

from assistant.tools.base import Tool, ToolContext, ToolResult

SEPARATOR = "__"
MAX_NAME = 64
"""Characters a model API accepts in a tool name (``server__tool``)."""
TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]+")
"""What an MCP tool name may be made of (the spec's set; ``.`` becomes ``_``)."""
MAX_DESCRIPTION = 2_000
"""Characters of a tool's description kept for the prompt; the rest is cut, with a marker."""
MAX_SCHEMA_TEXT = 500
"""Characters kept of each ``description`` and ``title`` inside an input schema."""
MAX_SCHEMA_CHARS = 20_000
"""Characters of an input schema as JSON (after those cuts) past which a tool is left out."""
MAX_OUTPUT_CHARS = 40_000

CallFn = Callable[[str, dict[str, Any]], Awaitable[ToolResult]]


class UnusableTool(ValueError):
    """A server's tool the session leaves out; the message says why (a clause)."""


def shown(name: str) -> str:
    """A server's name for a tool, quoted and short enough for a line."""
    text = repr(name)
    return text if len(text) <= 60 else f"{text[:50]}... ({len(name)} characters)"


def tool_name(server: str, tool: str) -> str:
    """``server__tool``, in the characters and length model APIs accept.

    Raises ``UnusableTool`` for a tool name outside the MCP spec's characters, or too long
    to fit: cutting or rewriting it could make it another tool's name.
    """
    if not TOOL_NAME.fullmatch(tool):
        raise UnusableTool("its name is not letters, digits, '_', '-' and '.'")
    name = re.sub(r"[^A-Za-z0-9_-]", "_", f"{server}{SEPARATOR}{tool}")
    if len(name) <= MAX_NAME:
        return name
    if len(tool) + len(SEPARATOR) + 1 > MAX_NAME:
        raise UnusableTool(
            f"its name is longer than the {MAX_NAME - len(SEPARATOR) - 1} characters a model "
            "accepts after the server's name"
        )
    raise UnusableTool(
        f"with the server's name it would be {len(name)} characters, more than the {MAX_NAME} "
        "a model accepts in a tool name; give the server a shorter name in the config"
    )


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f" [... cut at {limit} of {len(text)} characters]"


def _cut_texts(node: Any) -> Any:
    """``node`` with every ``description`` and ``title`` string in it cut."""
    if isinstance(node, dict):
        return {
            k: cut(v, MAX_SCHEMA_TEXT)
            if k in ("description", "title") and isinstance(v, str)
            else _cut_texts(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_cut_texts(v) for v in node]
    return node


def _decoded_size(data: str) -> int:
    try:
        return len(base64.b64decode(data, validate=False))
    except (binascii.Error, ValueError):
        return len(data)


def _block_text(block: Any) -> str:
    if isinstance(block, types.TextContent):
        return block.text
    if isinstance(block, types.ImageContent):
        return f"[image: {block.mime_type}, {_decoded_size(block.data)} bytes]"
    if isinstance(block, types.AudioContent):
        return f"[audio: {block.mime_type}, {_decoded_size(block.data)} bytes]"
    if isinstance(block, types.ResourceLink):
        return f"[resource: {block.uri}]"
    if isinstance(block, types.EmbeddedResource):
        res = block.resource
        text = getattr(res, "text", None)
        if text is not None:
            return f"[resource {res.uri}]\n{text}"
        return f"[resource: {res.uri}, {getattr(res, 'mime_type', None) or 'binary'}]"
    return f"[{getattr(block, 'type', 'unknown')} content]"


def convert_result(result: types.CallToolResult) -> ToolResult:
    """Text blocks as they are, images and audio as a one-line placeholder."""
    parts = [_block_text(b) for b in result.content]
    if not parts and result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, ensure_ascii=False))
    text = "\n".join(parts) if parts else "(no output)"
    if len(text) > MAX_OUTPUT_CHARS:
        text = text[:MAX_OUTPUT_CHARS] + f"\n[... cut at {MAX_OUTPUT_CHARS} characters ...]"
    if result.is_error and not text.startswith("Error"):
        text = f"Error: {text}"
    return ToolResult(text, is_error=result.is_error)


def input_schema(tool: types.Tool) -> dict[str, Any]:
    """The tool's JSON schema as an object schema the registry accepts, its texts cut.

    Raises ``UnusableTool`` for a schema that is invalid or too large for the prompt.
    """
    schema = _cut_texts(dict(tool.input_schema or {}))
    schema.setdefault("type", "object")
    schema.setdefault("properties", {})
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        why = str(exc).splitlines()[0][:120]
        raise UnusableTool(f"its input schema is invalid ({why})") from None
    size = len(json.dumps(schema, ensure_ascii=False))
    if size > MAX_SCHEMA_CHARS:
        raise UnusableTool(
            f"its input schema is {size} characters of JSON, more than the {MAX_SCHEMA_CHARS} "
            "a tool may put in the prompt"
        )
    return schema


def adapt(server: str, tool: types.Tool, call: CallFn, *, trust_hints: bool) -> Tool:
    """One MCP tool as a ``Tool``; ``call(tool_name, arguments)`` runs it on the server.

    Raises ``UnusableTool`` when its name or schema cannot be used; a long description is cut.
    """
    name = tool_name(server, tool.name)
    hints = tool.annotations
    read_only = bool(trust_hints and hints is not None and hints.read_only_hint)
    description = (tool.description or "").strip() or (tool.title or "").strip() or tool.name

    # ctx is positional-only, so a tool parameter named ``ctx`` lands in ``arguments``.
    async def run(ctx: ToolContext, /, **arguments: Any) -> ToolResult:
        return await call(tool.name, arguments)

    return Tool(
        name=name,
        description=cut(description, MAX_DESCRIPTION),
        parameters=input_schema(tool),
        func=run,
        read_only=read_only,
    )
