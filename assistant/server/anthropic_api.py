"""``POST /v1/messages``: the Anthropic Messages API over the engine.

Streaming follows the documented event sequence: ``message_start``, ``ping``, then per
content block ``content_block_start`` / ``content_block_delta``... / ``content_block_stop``,
then ``message_delta`` (stop reason and output tokens) and ``message_stop``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.llm.base import Message, TextDelta, ToolCall
from assistant.server.engine import GenRequest, Result
from assistant.server.errors import APIError, anthropic_error_body, stream_error
from assistant.server.state import ServerState, check_grammar, check_json_schema

STOP_REASONS = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AnthropicMessage(_Model):
    role: Literal["user", "assistant"]
    content: str | list[dict[str, Any]]


class AnthropicTool(_Model):
    name: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,64}$")
    description: str | None = None
    input_schema: dict[str, Any] | None = None
    """Required of client tools; server tools (``web_search_20250305``...) have none."""
    type: str | None = None


class AnthropicToolChoice(_Model):
    type: Literal["auto", "any", "tool", "none"]
    name: str | None = None


class OutputFormat(_Model):
    type: Literal["json_schema"]
    schema_: dict[str, Any] = Field(alias="schema")


class OutputConfig(_Model):
    format: OutputFormat | None = None


class MessagesRequest(_Model):
    model: str
    max_tokens: int = Field(ge=1)
    messages: list[AnthropicMessage] = Field(min_length=1)
    system: str | list[dict[str, Any]] | None = None
    stop_sequences: list[str] | None = None
    stream: bool | None = None
    temperature: float | None = Field(default=None, ge=0, le=1)
    tools: list[AnthropicTool] | None = None
    tool_choice: AnthropicToolChoice | None = None
    output_config: OutputConfig | None = None
    """Structured output: ``{"format": {"type": "json_schema", "schema": {...}}}``."""


class CountTokensRequest(_Model):
    model: str
    messages: list[AnthropicMessage] = Field(min_length=1)
    system: str | list[dict[str, Any]] | None = None
    tools: list[AnthropicTool] | None = None


# -- request → engine ------------------------------------------------------------------


def _block_text(block: dict[str, Any], where: str) -> str:
    if block.get("type") != "text" or not isinstance(block.get("text"), str):
        raise APIError(
            422,
            f"{where} is a {block.get('type')!r} block; this server's model reads text only, "
            "so send text blocks.",
            param=where,
        )
    return block["text"]


def _system_text(system: str | list[dict[str, Any]] | None) -> str:
    if system is None or isinstance(system, str):
        return system or ""
    return "\n\n".join(_block_text(b, f"system[{i}]") for i, b in enumerate(system))


def _result_text(content: Any, where: str) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        return "".join(
            _block_text(b if isinstance(b, dict) else {}, f"{where}.content[{i}]")
            for i, b in enumerate(content)
        )
    raise APIError(400, f"{where}.content must be a string or a list of blocks.", param=where)


def to_messages(
    system: str | list[dict[str, Any]] | None, raw: list[AnthropicMessage]
) -> list[Message]:
    out: list[Message] = []
    sys_text = _system_text(system)
    if sys_text:
        out.append(Message.system(sys_text))
    names: dict[str, str] = {}
    for i, m in enumerate(raw):
        where = f"messages[{i}]"
        blocks = [{"type": "text", "text": m.content}] if isinstance(m.content, str) else m.content
        texts: list[str] = []
        calls: list[ToolCall] = []
        results: list[Message] = []
        for j, b in enumerate(blocks):
            bw = f"{where}.content[{j}]"
            kind = b.get("type") if isinstance(b, dict) else None
            if kind == "tool_use" and m.role == "assistant":
                if not isinstance(b.get("input"), dict) or not isinstance(b.get("name"), str):
                    raise APIError(400, f"{bw} needs a string name and an object input.", param=bw)
                call_id = str(b.get("id") or "")
                calls.append(ToolCall(b["name"], b["input"], call_id or f"toolu_{j}"))
                names[call_id] = b["name"]
            elif kind == "tool_result" and m.role == "user":
                use_id = b.get("tool_use_id")
                if not isinstance(use_id, str) or not use_id:
                    raise APIError(400, f"{bw} needs the tool_use_id it answers.", param=bw)
                text = _result_text(b.get("content"), bw)
                if b.get("is_error"):
                    text = f"Error: {text}"
                results.append(Message("tool", text, tool_call_id=use_id, name=names.get(use_id)))
            elif kind in ("thinking", "redacted_thinking"):
                continue  # earlier reasoning is not shown to the model again
            else:
                texts.append(_block_text(b if isinstance(b, dict) else {}, bw))
        out.extend(results)
        text = "".join(texts)
        if m.role == "assistant":
            out.append(Message("assistant", text, tool_calls=calls))
        elif text or not results:
            out.append(Message.user(text))
    return out


def to_tools(tools: list[AnthropicTool] | None) -> list[dict[str, Any]]:
    out = []
    for i, t in enumerate(tools or []):
        if t.type not in (None, "custom"):
            raise APIError(
                422,
                f"The server tool {t.type!r} ({t.name}) is not available here; send client "
                "tools with an input_schema.",
                param="tools",
            )
        if t.input_schema is None:
            raise APIError(
                400,
                f"tools[{i}] ({t.name}) has no input_schema; send the JSON schema of the "
                "tool's input.",
                param=f"tools[{i}].input_schema",
            )
        fn: dict[str, Any] = {"name": t.name, "parameters": t.input_schema}
        if t.description:
            fn["description"] = t.description
        out.append({"type": "function", "function": fn})
    return out


def _tool_choice(choice: AnthropicToolChoice | None, names: list[str]) -> str:
    if choice is None or choice.type == "auto":
        return "auto"
    if choice.type == "none":
        return "none"
    if not names:
        raise APIError(
            400, f"tool_choice is {choice.type!r} but no tools were given.", param="tool_choice"
        )
    if choice.type == "any":
        return "required"
    if choice.name is None:
        raise APIError(
            400,
            "tool_choice of type 'tool' needs the name of the tool to call; add name.",
            param="tool_choice.name",
        )
    if choice.name not in names:
        raise APIError(
            400,
            f"tool_choice names the tool {choice.name!r}, which is not among the tools "
            f"({', '.join(names)}); name one of them.",
            param="tool_choice",
        )
    return choice.name


def to_gen_request(state: ServerState, req: MessagesRequest) -> GenRequest:
    state.check_model(req.model)
    messages = to_messages(req.system, req.messages)
    tools = to_tools(req.tools)
    choice = _tool_choice(req.tool_choice, [t["function"]["name"] for t in tools])
    schema = None
    if req.output_config is not None and req.output_config.format is not None:
        schema = check_json_schema(req.output_config.format.schema_, "output_config.format.schema")
        if tools and choice != "none":
            raise APIError(
                422,
                "output_config.format with tools is not supported by this server; send one "
                "or the other.",
                param="output_config",
            )
        tools, choice = [], "auto"
    if tools and choice != "none":
        check_grammar(tools, None if choice in ("auto", "required") else choice)
    n_prompt = state.check_prompt(messages, tools or None)
    return GenRequest(
        messages=messages,
        tools=tools or None,
        tool_choice=choice,
        temperature=req.temperature,
        max_tokens=state.max_tokens(req.max_tokens),
        stop=list(req.stop_sequences or []),
        json_schema=schema,
        prompt_tokens=n_prompt,
    )


# -- engine → response -----------------------------------------------------------------


def new_id() -> str:
    return "msg_" + uuid.uuid4().hex[:24]


def tool_use_id() -> str:
    return "toolu_" + uuid.uuid4().hex[:24]


def stop_reason(result: Result) -> str:
    if result.stop_sequence is not None:
        return "stop_sequence"
    return STOP_REASONS.get(result.finish_reason, "end_turn")


def usage_dict(usage: Any) -> dict[str, Any]:
    return {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cache_creation_input_tokens": usage.cache_write_tokens,
        "cache_read_input_tokens": usage.cache_read_tokens,
    }


def _tool_block(call: ToolCall) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_use_id(), "name": call.name, "input": call.arguments}


def message_body(result: Result, *, model: str) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if result.content:
        content.append({"type": "text", "text": result.content})
    content.extend(_tool_block(c) for c in result.tool_calls)
    return {
        "id": new_id(),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason(result),
        "stop_sequence": result.stop_sequence,
        "usage": usage_dict(result.usage),
    }


async def stream_events(
    items: AsyncIterator[TextDelta | Result], *, model: str, input_tokens: int
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """``(event name, data)`` pairs in the documented order."""
    opened = False
    index = 0
    text_open = False
    try:
        async for item in items:
            if not opened:
                opened = True
                for event in _opening(model, _start_usage(item, input_tokens)):
                    yield event
            if isinstance(item, TextDelta):
                if not text_open:
                    block = {"type": "text", "text": ""}
                    yield "content_block_start", _start(index, block)
                    text_open = True
                delta = {"type": "text_delta", "text": item.text}
                yield "content_block_delta", _delta(index, delta)
                continue
            if text_open:
                yield "content_block_stop", {"type": "content_block_stop", "index": index}
                index += 1
                text_open = False
            for call in item.tool_calls:
                block = {**_tool_block(call), "input": {}}
                yield "content_block_start", _start(index, block)
                delta = {"type": "input_json_delta", "partial_json": json.dumps(call.arguments)}
                yield "content_block_delta", _delta(index, delta)
                yield "content_block_stop", {"type": "content_block_stop", "index": index}
                index += 1
            usage = usage_dict(item.usage)
            yield (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {
                        "stop_reason": stop_reason(item),
                        "stop_sequence": item.stop_sequence,
                    },
                    # The final counts: message_start could only give the prompt's length.
                    "usage": usage,
                },
            )
            yield "message_stop", {"type": "message_stop"}
    except Exception as exc:  # headers are sent: the error goes into the stream
        if not opened:
            for event in _opening(model, _start_usage(None, input_tokens)):
                yield event
        err = stream_error(exc)
        yield "error", anthropic_error_body(err)


def _start_usage(first: TextDelta | Result | None, input_tokens: int) -> dict[str, Any]:
    """``message_start``'s usage, from the generation's first item.

    A reply that starts with its result (a forced tool call streams no text) has its
    final input counts, which include what was added to the prompt (the call's
    opening); a reply that streams text has only the prompt's length as checked.
    """
    if isinstance(first, Result):
        return {**usage_dict(first.usage), "output_tokens": 0}
    return {"input_tokens": input_tokens, "output_tokens": 0}


def _opening(model: str, usage: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    message = {
        "id": new_id(),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage,
    }
    return [
        ("message_start", {"type": "message_start", "message": message}),
        ("ping", {"type": "ping"}),
    ]


def _start(index: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def _delta(index: int, delta: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": delta}
