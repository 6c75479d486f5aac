"""Claude through the official ``anthropic`` SDK, with native tool use.

Our messages are in the OpenAI shape (``base.py``); this module translates them
to the Messages API and back:

* system messages become the separate ``system`` parameter;
* an assistant turn's tool calls become ``tool_use`` blocks;
* ``tool`` messages become ``tool_result`` blocks in a user turn;
* consecutive turns of the same role are merged (the API wants alternation).

The pure functions :func:`to_anthropic_request` and
:func:`completion_from_anthropic_message` are public: distill's batch mode
builds Message Batches ``params`` with the first and parses each
``result.message`` with the second, so batch and streaming share one translation.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from typing import Any

import anthropic

from assistant.llm.base import (
    CancelToken,
    Completion,
    Message,
    MissingAPIKeyError,
    StreamItem,
    TextDelta,
    ToolCall,
    ToolChoice,
    Usage,
)
from assistant.llm.errors import TRANSPORT_ERRORS, ProviderHTTPError, from_sdk_error
from assistant.llm.pricing import cost_usd, estimate_tokens
from assistant.llm.sdkutil import (
    base_url_from,
    sdk_kwargs,
    sdk_response_class,
    until_cancelled,
)

PROVIDER = "anthropic"
DEFAULT_MAX_TOKENS = 8192
CONTEXT_LENGTH = 200_000
_SMALL_OUTPUT = ("claude-3-haiku", "claude-3-opus")  # 4096 output tokens at most
_STOP_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "tool_use": "tool_calls",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
}
_CACHE = {"type": "ephemeral"}


def _safe_id(call_id: str) -> str:
    """Tool-use ids must match ``^[a-zA-Z0-9_-]+$``; ids from other providers may not."""
    return re.sub(r"[^a-zA-Z0-9_-]", "_", call_id) or "call"


def to_anthropic_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OpenAI function specs → Anthropic ``{"name", "description", "input_schema"}``."""
    out = []
    for spec in tools:
        fn = spec.get("function", spec)
        schema = fn.get("parameters") or fn.get("input_schema") or {}
        schema = {"type": "object", "properties": {}, **schema}
        entry: dict[str, Any] = {"name": fn["name"], "input_schema": schema}
        if fn.get("description"):
            entry["description"] = fn["description"]
        out.append(entry)
    return out


def to_anthropic_tool_choice(tool_choice: ToolChoice) -> dict[str, Any]:
    """``auto``/``required``/``none``/a tool name → the API's ``tool_choice`` object."""
    if tool_choice == "auto":
        return {"type": "auto"}
    if tool_choice == "required":
        return {"type": "any"}
    if tool_choice == "none":
        return {"type": "none"}
    return {"type": "tool", "name": tool_choice}


def to_anthropic_messages(messages: list[Message]) -> tuple[str, list[dict[str, Any]]]:
    """Split out the system text and translate the turns (merging same-role neighbours)."""
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "system":
            if m.content:
                system.append(m.content)
            continue
        blocks: list[dict[str, Any]] = []
        role = "assistant" if m.role == "assistant" else "user"
        if m.role == "tool":
            blocks.append(
                {
                    "type": "tool_result",
                    "tool_use_id": _safe_id(m.tool_call_id or ""),
                    "content": m.content or "(no output)",
                }
            )
        else:
            if m.content.strip():
                blocks.append({"type": "text", "text": m.content})
            for call in m.tool_calls if m.role == "assistant" else []:
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": _safe_id(call.id),
                        "name": call.name,
                        "input": call.arguments,
                    }
                )
        if not blocks:
            continue  # the API rejects empty turns and empty text blocks
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    _pair_tool_results(turns)
    return "\n\n".join(system), turns


def _pair_tool_results(turns: list[dict[str, Any]]) -> None:
    """Make every ``tool_use`` answered by the next turn, and only those, as the API demands.

    A call whose result is missing (cancelled mid-step) gets a placeholder
    result; a result whose call is missing (history truncated) becomes text.
    Tool results are moved to the front of their user turn.
    """
    i = 0
    while i < len(turns):
        turn = turns[i]
        if turn["role"] == "assistant":
            ids = [b["id"] for b in turn["content"] if b["type"] == "tool_use"]
            if ids:
                if i + 1 == len(turns) or turns[i + 1]["role"] != "user":
                    turns.insert(i + 1, {"role": "user", "content": []})
                nxt = turns[i + 1]["content"]
                have = {b["tool_use_id"] for b in nxt if b["type"] == "tool_result"}
                nxt.extend(
                    {"type": "tool_result", "tool_use_id": cid, "content": "(no result)"}
                    for cid in ids
                    if cid not in have
                )
        else:
            prev = turns[i - 1] if i else None
            asked = {b["id"] for b in (prev["content"] if prev else []) if b["type"] == "tool_use"}
            blocks = []
            for b in turn["content"]:
                if b["type"] == "tool_result" and b["tool_use_id"] not in asked:
                    b = {"type": "text", "text": f"Tool result: {b['content']}"}
                blocks.append(b)
            blocks.sort(key=lambda b: b["type"] != "tool_result")
            turn["content"] = blocks
        i += 1


def to_anthropic_request(
    messages: list[Message],
    tools: list[dict[str, Any]] | None = None,
    *,
    model: str,
    tool_choice: ToolChoice = "auto",
    temperature: float | None = None,
    max_tokens: int | None = None,
    prompt_caching: bool = True,
) -> dict[str, Any]:
    """The Messages API body (``messages.create`` kwargs / a batch request's ``params``).

    With ``prompt_caching`` the tool list, the system prompt and the last turn
    get ``cache_control`` breakpoints, so each agent step re-reads the shared
    prefix at a tenth of the input price (prompts under the model's cache
    minimum are simply not cached; the API does not complain).
    """
    system, turns = to_anthropic_messages(messages)
    body: dict[str, Any] = {
        "model": model,
        "max_tokens": max_tokens or default_max_tokens(model),
        "messages": turns,
    }
    if system:
        body["system"] = [{"type": "text", "text": system}]
    if tools:
        body["tools"] = to_anthropic_tools(tools)
        body["tool_choice"] = to_anthropic_tool_choice(tool_choice)
    if temperature is not None:
        body["temperature"] = temperature
    if prompt_caching:
        if tools:
            body["tools"][-1]["cache_control"] = _CACHE
        if system:
            body["system"][-1]["cache_control"] = _CACHE
        if turns:
            turns[-1]["content"][-1] = {**turns[-1]["content"][-1], "cache_control": _CACHE}
    return body


def usage_from_anthropic(usage: dict[str, Any] | None, model: str, batch: bool = False) -> Usage:
    """Our Usage (with cost) from the API's ``usage`` object."""
    u = usage or {}
    out = Usage(
        input_tokens=u.get("input_tokens") or 0,
        output_tokens=u.get("output_tokens") or 0,
        cache_read_tokens=u.get("cache_read_input_tokens") or 0,
        cache_write_tokens=u.get("cache_creation_input_tokens") or 0,
    )
    out.cost_usd = cost_usd(model, out, batch=batch, provider=PROVIDER)
    return out


def completion_from_anthropic_message(
    message: dict[str, Any], *, model: str | None = None, batch: bool = False
) -> Completion:
    """A Messages API response (a dict: ``Message.model_dump()`` or batch ``result.message``).

    ``batch=True`` prices the usage at the batch discount.
    """
    text: list[str] = []
    calls: list[ToolCall] = []
    for block in message.get("content") or []:
        if block.get("type") == "text":
            text.append(block.get("text", ""))
        elif block.get("type") == "tool_use":
            args = block.get("input")
            calls.append(
                ToolCall(
                    name=block["name"],
                    arguments=args if isinstance(args, dict) else {},
                    id=block["id"],
                )
            )
    finish = _STOP_REASONS.get(message.get("stop_reason") or "end_turn", "stop")
    if calls and finish == "stop":
        finish = "tool_calls"
    name = model or message.get("model") or ""
    return Completion(
        message=Message("assistant", "".join(text), tool_calls=calls),
        usage=usage_from_anthropic(message.get("usage"), name, batch=batch),
        finish_reason=finish,
    )


def default_max_tokens(model: str) -> int:
    return 4096 if any(s in model for s in _SMALL_OUTPUT) else DEFAULT_MAX_TOKENS


class AnthropicModel:
    """Claude via ``anthropic.AsyncAnthropic`` streaming, implementing ``ChatModel``."""

    provider = PROVIDER

    def __init__(
        self,
        model: str,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float = 600,
        *,
        context_length: int | None = None,
        prompt_caching: bool = True,
        http_client: Any = None,
    ) -> None:
        """``http_client``: an ``httpx``-compatible client for the SDK (e.g. distill's
        ``anthropic.DefaultAioHttpClient()``); the SDK's default when None."""
        key = api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise MissingAPIKeyError("ANTHROPIC_API_KEY is not set; export it with your API key.")
        self.name = model
        self.context_length = context_length or CONTEXT_LENGTH
        self.prompt_caching = prompt_caching
        self.client = anthropic.AsyncAnthropic(
            api_key=key,
            base_url=base_url_from(base_url, "ANTHROPIC_BASE_URL"),
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        """An estimate (:func:`estimate_tokens`); exact counts need an API call."""
        return estimate_tokens(messages, tools)

    async def stream(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> AsyncIterator[StreamItem]:
        body = to_anthropic_request(
            messages,
            tools,
            model=self.name,
            tool_choice=tool_choice,
            temperature=temperature,
            max_tokens=max_tokens,
            prompt_caching=self.prompt_caching,
        )
        try:
            async with self.client.messages.stream(
                **sdk_kwargs(self.client.messages.stream, body)
            ) as stream:
                async for event in until_cancelled(stream, cancel):
                    if event.type == "text" and event.text:
                        yield TextDelta(event.text)
                if cancel is not None and cancel.cancelled:
                    yield self._cancelled(stream)
                    return
                final = await stream.get_final_message()
        except (anthropic.APIError, *TRANSPORT_ERRORS) as exc:
            raise from_sdk_error(exc, PROVIDER) from exc
        yield completion_from_anthropic_message(final.model_dump(), model=self.name)

    def _cancelled(self, stream: Any) -> Completion:
        """What a stream cancelled midway has said so far (nothing before its first event)."""
        try:
            snapshot = stream.current_message_snapshot.model_dump()
        except AssertionError:  # no message_start yet
            snapshot = {}
        done = completion_from_anthropic_message(snapshot, model=self.name)
        done.finish_reason = "cancelled"
        return done

    async def create(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        """One non-streaming ``POST /v1/messages`` (for callers that need no deltas).

        Distill uses it: no SSE decoding and no per-event objects, so much less
        client CPU per call than :meth:`stream`. The response's JSON is parsed straight
        into our types, skipping the SDK's pydantic models.
        """
        body = to_anthropic_request(
            messages,
            tools,
            model=self.name,
            tool_choice=tool_choice,
            temperature=temperature,
            max_tokens=max_tokens,
            prompt_caching=self.prompt_caching,
        )
        try:
            # The SDK's documented generic ``post`` (its retries, auth, headers and error
            # types) with the body as built; ``messages.create`` would re-validate it.
            raw = await self.client.post(
                "/v1/messages", body=body, cast_to=sdk_response_class(anthropic)
            )
            data: Any = raw.json()
        except (anthropic.APIError, *TRANSPORT_ERRORS) as exc:
            raise from_sdk_error(exc, PROVIDER) from exc
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ProviderHTTPError(
                f"The server at {self.client.base_url} answered with something other than "
                "a JSON object; check --base-url.",
                provider=PROVIDER,
                status_code=raw.status_code,
            )
        return completion_from_anthropic_message(data, model=self.name)


__all__ = [
    "AnthropicModel",
    "ProviderHTTPError",
    "completion_from_anthropic_message",
    "estimate_tokens",
    "to_anthropic_messages",
    "to_anthropic_request",
    "to_anthropic_tool_choice",
    "to_anthropic_tools",
    "usage_from_anthropic",
]
