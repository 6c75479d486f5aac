"""``POST /v1/chat/completions``: the OpenAI Chat Completions API over the engine."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.llm.base import Message, TextDelta, ToolCall
from assistant.server.engine import GenRequest, Result
from assistant.server.errors import APIError, openai_error_body, stream_error
from assistant.server.state import ServerState, check_grammar, check_json_schema

MAX_STOP = 4


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class FunctionSpec(_Model):
    name: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,64}$")
    description: str | None = None
    parameters: dict[str, Any] | None = None


class ToolSpec(_Model):
    type: Literal["function"]
    function: FunctionSpec


class FunctionCall(_Model):
    name: str
    arguments: str


class ToolCallIn(_Model):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class ContentPart(_Model):
    type: str
    text: str | None = None


class ChatMessage(_Model):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCallIn] | None = None
    tool_call_id: str | None = None
    function_call: Any = None
    """The deprecated form of ``tool_calls``: refused, see ``check_request``."""


class NamedFunction(_Model):
    name: str


class NamedToolChoice(_Model):
    type: Literal["function"]
    function: NamedFunction


class JsonSchemaFormat(_Model):
    name: str = "response"
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None


class ResponseFormat(_Model):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = None


class StreamOptions(_Model):
    include_usage: bool | None = None


class ChatRequest(_Model):
    """The fields this server reads; ``null`` means "not given" for each optional one, as
    the spec allows for most (``stream``, ``temperature``, ``stop``...). Fields it cannot
    honour in a way a client would notice are declared so that ``check_request`` refuses
    them instead of dropping them unseen."""

    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    tools: list[ToolSpec] | None = None
    tool_choice: Literal["auto", "none", "required"] | NamedToolChoice | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    response_format: ResponseFormat | None = None
    n: int | None = Field(default=None, ge=1)
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0)
    functions: list[Any] | None = None
    function_call: Any = None
    modalities: list[str] | None = None
    audio: Any = None


# -- request → engine ------------------------------------------------------------------


def _text(content: str | list[ContentPart] | None, where: str) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    parts = []
    for i, part in enumerate(content):
        if part.type == "text" and part.text is None:
            raise APIError(
                400, f"{where}.content[{i}] is a text part without text.", param=f"{where}.content"
            )
        if part.type != "text" or part.text is None:
            raise APIError(
                422,
                f"{where}.content[{i}] is a {part.type!r} part; this server's model reads "
                "text only, so send text parts.",
                param=f"{where}.content",
            )
        parts.append(part.text)
    return "".join(parts)


def to_messages(raw: list[ChatMessage]) -> list[Message]:
    """Chat Completions messages as ours; leading system/developer turns become one."""
    out: list[Message] = []
    names: dict[str, str] = {}
    system: list[str] = []
    for i, m in enumerate(raw):
        where = f"messages[{i}]"
        text = _text(m.content, where)
        if m.role in ("system", "developer"):
            if not out:
                system.append(text)
                continue
            out.append(Message("system", text))
        elif m.role == "user":
            out.append(Message("user", text))
        elif m.role == "assistant":
            calls = []
            for j, tc in enumerate(m.tool_calls or []):
                try:
                    args = (
                        json.loads(tc.function.arguments) if tc.function.arguments.strip() else {}
                    )
                except json.JSONDecodeError:
                    args = None
                if not isinstance(args, dict):
                    raise APIError(
                        400,
                        f"{where}.tool_calls[{j}].function.arguments is not a JSON object; "
                        "send the arguments as a JSON object string.",
                        param=f"{where}.tool_calls",
                    )
                calls.append(ToolCall(tc.function.name, args, tc.id))
                names[tc.id] = tc.function.name
            out.append(Message("assistant", text, tool_calls=calls))
        else:
            if not m.tool_call_id:
                raise APIError(
                    400,
                    f"{where} has role 'tool' but no tool_call_id; set it to the id of the call "
                    "it answers.",
                    param=f"{where}.tool_call_id",
                )
            name = m.name or names.get(m.tool_call_id)
            out.append(Message("tool", text, tool_call_id=m.tool_call_id, name=name))
    if system:
        out.insert(0, Message("system", "\n\n".join(system)))
    return out


def _tool_dicts(tools: list[ToolSpec] | None) -> list[dict[str, Any]]:
    out = []
    for t in tools or []:
        fn: dict[str, Any] = {"name": t.function.name}
        if t.function.description:
            fn["description"] = t.function.description
        fn["parameters"] = t.function.parameters or {"type": "object", "properties": {}}
        out.append({"type": "function", "function": fn})
    return out


def tool_choice(choice: Any, names: list[str]) -> str:
    """The request's ``tool_choice``; 400 unless it fits the tools ``names``."""
    if choice is None:
        return "auto"
    name = choice.function.name if isinstance(choice, NamedToolChoice) else choice
    if name in ("auto", "none"):
        return name
    if not names:
        raise APIError(
            400,
            f"tool_choice is {name!r} but no tools were given; send tools or use 'auto'.",
            param="tool_choice",
        )
    if name != "required" and name not in names:
        raise APIError(
            400,
            f"tool_choice names the function {name!r}, which is not among the tools "
            f"({', '.join(names)}); name one of them.",
            param="tool_choice",
        )
    return name


def _json_schema(fmt: ResponseFormat | None) -> dict[str, Any] | None:
    if fmt is None or fmt.type == "text":
        return None
    if fmt.type == "json_object":
        return {"type": "object"}
    if fmt.json_schema is None or fmt.json_schema.schema_ is None:
        raise APIError(
            400,
            "response_format.json_schema.schema is missing; send the JSON schema the reply "
            "must match.",
            param="response_format",
        )
    return check_json_schema(fmt.json_schema.schema_, "response_format.json_schema.schema")


# Refused rather than mapped onto tools: the reply would have to come back in the legacy
# shape too (message.function_call, finish_reason "function_call", role "function" turns),
# a second form of every tool path for an interface OpenAI deprecated in favour of tools.
LEGACY_FUNCTIONS = (
    "is the deprecated form of tools/tool_choice, which this server does not accept; send "
    "the functions as tools of type 'function' and choose with tool_choice."
)


def check_request(state: ServerState, req: ChatRequest) -> None:
    """The checks every chat request passes first, with or without ``--agent``."""
    state.check_model(req.model)
    if req.n is not None and req.n > 1:
        raise APIError(422, "n > 1 is not supported by this server; send n=1.", param="n")
    _refuse_what_cannot_be_honoured(req)


def _refuse_what_cannot_be_honoured(req: ChatRequest) -> None:
    """422 for fields whose absence from the reply a client would trip over."""
    if req.logprobs:
        raise APIError(
            422,
            "logprobs is not supported by this server; send logprobs false or leave it out.",
            param="logprobs",
        )
    if req.top_logprobs:
        raise APIError(
            422,
            "top_logprobs is not supported by this server, which returns no log "
            "probabilities; leave it out.",
            param="top_logprobs",
        )
    if req.functions or req.function_call is not None:
        param = "functions" if req.functions else "function_call"
        raise APIError(422, f"{param} {LEGACY_FUNCTIONS}", param=param)
    for i, m in enumerate(req.messages):
        if m.function_call is not None:
            param = f"messages[{i}].function_call"
            raise APIError(
                422,
                f"{param} is the deprecated form of tool_calls, which this server does not "
                "read; send the call in tool_calls and its result as a 'tool' message.",
                param=param,
            )
    if req.audio is not None or "audio" in (req.modalities or []):
        raise APIError(
            422,
            "Audio output is not supported by this server's model; leave out audio and "
            "ask for the 'text' modality only.",
            param="audio" if req.audio is not None else "modalities",
        )


def to_gen_request(state: ServerState, req: ChatRequest) -> GenRequest:
    check_request(state, req)
    messages = to_messages(req.messages)
    tools = _tool_dicts(req.tools)
    names = [t["function"]["name"] for t in tools]
    choice = tool_choice(req.tool_choice, names)
    stops = [req.stop] if isinstance(req.stop, str) else list(req.stop or [])
    if len(stops) > MAX_STOP:
        raise APIError(
            400, f"stop has {len(stops)} entries; send at most {MAX_STOP}.", param="stop"
        )
    schema = _json_schema(req.response_format)
    if schema is not None and tools and choice != "none":
        raise APIError(
            422,
            "response_format with tools is not supported by this server; send one or the other.",
            param="response_format",
        )
    if schema is not None:
        tools, choice = [], "auto"
    elif tools and choice != "none":
        check_grammar(tools, None if choice in ("auto", "required") else choice)
    n_prompt = state.check_prompt(messages, tools or None)
    return GenRequest(
        messages=messages,
        tools=tools or None,
        tool_choice=choice,
        temperature=req.temperature,
        max_tokens=state.max_tokens(req.max_completion_tokens or req.max_tokens),
        stop=stops,
        seed=req.seed,
        json_schema=schema,
        prompt_tokens=n_prompt,
    )


# -- engine → response -----------------------------------------------------------------


def new_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex[:24]


def finish_reason(result: Result) -> str:
    return {"cancelled": "stop"}.get(result.finish_reason, result.finish_reason)


def usage_dict(result_usage: Any) -> dict[str, Any]:
    u = result_usage
    prompt = u.input_tokens + u.cache_read_tokens + u.cache_write_tokens
    return {
        "prompt_tokens": prompt,
        "completion_tokens": result_usage.output_tokens,
        "total_tokens": prompt + result_usage.output_tokens,
        "prompt_tokens_details": {"cached_tokens": result_usage.cache_read_tokens},
    }


def completion_body(
    result: Result, *, model: str, id_: str | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": result.content if result.content or not result.tool_calls else None,
        "refusal": None,
    }
    if result.tool_calls:
        message["tool_calls"] = [tc.to_dict() for tc in result.tool_calls]
    body = {
        "id": id_ or new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": finish_reason(result),
            }
        ],
        "usage": usage_dict(result.usage),
    }
    if extra:
        body.update(extra)
    return body


class ChunkWriter:
    """``chat.completion.chunk`` objects for one streamed reply."""

    def __init__(self, model: str, include_usage: bool) -> None:
        self.id = new_id()
        self.created = int(time.time())
        self.model = model
        self.include_usage = include_usage

    def chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if self.include_usage:
            body["usage"] = None
        return body

    def usage_chunk(self, usage: Any) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [],
            "usage": usage_dict(usage),
        }


async def stream_chunks(
    items: AsyncIterator[TextDelta | Result], writer: ChunkWriter
) -> AsyncIterator[dict[str, Any] | str]:
    """The chunk sequence: role, content deltas, tool calls, finish, usage, ``[DONE]``."""
    yield writer.chunk({"role": "assistant", "content": ""})
    try:
        async for item in items:
            if isinstance(item, TextDelta):
                yield writer.chunk({"content": item.text})
                continue
            if item.tool_calls:
                calls = [{"index": i, **tc.to_dict()} for i, tc in enumerate(item.tool_calls)]
                yield writer.chunk({"tool_calls": calls})
            yield writer.chunk({}, finish_reason(item))
            if writer.include_usage:
                yield writer.usage_chunk(item.usage)
    except Exception as exc:  # headers are sent: the error goes into the stream
        err = stream_error(exc)
        yield openai_error_body(err)
    yield "[DONE]"
