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
MAX_OUTPUT_CHARS = 40_000

CallFn = Callable[[str, dict[str, Any]], Awaitable[ToolResult]]


def tool_name(server: str, tool: str) -> str:
    """``server__tool``, limited to the characters and length model APIs accept."""
    raw = f"{server}{SEPARATOR}{tool}"
    return re.sub(r"[^A-Za-z0-9_-]", "_", raw)[:MAX_NAME]


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
    """The tool's JSON schema as an object schema the registry accepts."""
    schema = dict(tool.input_schema or {})
    schema.setdefault("type", "object")
    schema.setdefault("properties", {})
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def adapt(server: str, tool: types.Tool, call: CallFn, *, trust_hints: bool) -> Tool:
    """One MCP tool as a ``Tool``; ``call(tool_name, arguments)`` runs it on the server."""
    hints = tool.annotations
    read_only = bool(trust_hints and hints is not None and hints.read_only_hint)
    description = (tool.description or "").strip() or (tool.title or "").strip() or tool.name

    # ctx is positional-only, so a tool parameter named ``ctx`` lands in ``arguments``.
    async def run(ctx: ToolContext, /, **arguments: Any) -> ToolResult:
        return await call(tool.name, arguments)

    return Tool(
        name=tool_name(server, tool.name),
        description=description,
        parameters=input_schema(tool),
        func=run,
        read_only=read_only,
    )
