"""OpenAI, or any OpenAI-compatible server, through the official ``openai`` SDK.

Our message shape *is* the OpenAI chat shape, so translation is small: tool
specs pass through, ``tool_choice`` maps to the API's strings or a
``{"type": "function", ...}`` object, and the reasoning models (o-series,
gpt-5) get ``max_completion_tokens`` and no ``temperature``.

With ``base_url`` (llama.cpp's server, vLLM, Ollama, ...) no API key is needed.

:func:`to_openai_request` and :func:`completion_from_openai_response` are
public so distill's batch mode can write Batch API request lines and parse
their ``response.body`` with the same translation as streaming.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from typing import Any

import openai

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
    new_call_id,
)
from assistant.llm.errors import TRANSPORT_ERRORS, ProviderHTTPError, from_sdk_error
from assistant.llm.pricing import cost_usd, estimate_tokens
from assistant.llm.sdkutil import base_url_from, sdk_response_class, until_cancelled

PROVIDER = "openai"
_CONTEXT = {  # longest prefix wins
    "gpt-4.1": 1_047_576,
    "gpt-5": 400_000,
    "o1": 200_000,
    "o3": 200_000,
    "o4": 200_000,
    "gpt-4o": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-3.5": 16_385,
}
DEFAULT_CONTEXT_LENGTH = 128_000
_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")
_FINISH = {
    "stop": "stop",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "length": "length",
    "content_filter": "stop",
}


def is_reasoning_model(model: str) -> bool:
    """o-series and gpt-5 models take ``max_completion_tokens`` and reject ``temperature``."""
    return model.lower().startswith(_REASONING_PREFIXES)


def context_length_for(model: str) -> int:
    name = model.lower()
    best = max((p for p in _CONTEXT if name.startswith(p)), key=len, default=None)
    return _CONTEXT[best] if best else DEFAULT_CONTEXT_LENGTH


def to_openai_messages(messages: list[Message]) -> list[dict[str, Any]]:
    """Our messages as Chat Completions ``messages`` (drops fields the API rejects)."""
    out: list[dict[str, Any]] = []
    for m in messages:
        d: dict[str, Any] = {"role": m.role, "content": m.content}
        if m.role == "assistant" and m.tool_calls:
            # content stays "" rather than null: OpenAI takes either, and some
            # compatible servers (llama.cpp's) reject null.
            d["tool_calls"] = [tc.to_dict() for tc in m.tool_calls]
        if m.role == "tool":
            d["tool_call_id"] = m.tool_call_id or ""
        out.append(d)
    return out


def to_openai_tool_choice(tool_choice: ToolChoice) -> str | dict[str, Any]:
    if tool_choice in ("auto", "required", "none"):
        return tool_choice
    return {"type": "function", "function": {"name": tool_choice}}


def to_openai_request(
    messages: list[Message],
    tools: list[dict[str, Any]] | None = None,
    *,
    model: str,
    tool_choice: ToolChoice = "auto",
    temperature: float | None = None,
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """The Chat Completions body (``chat.completions.create`` kwargs / a Batch API ``body``)."""
    body: dict[str, Any] = {"model": model, "messages": to_openai_messages(messages)}
    reasoning = is_reasoning_model(model)
    if tools:
        body["tools"] = [
            t if "function" in t else {"type": "function", "function": t} for t in tools
        ]
        body["tool_choice"] = to_openai_tool_choice(tool_choice)
    if temperature is not None and not reasoning:
        body["temperature"] = temperature
    if max_tokens is not None:
        body["max_completion_tokens" if reasoning else "max_tokens"] = max_tokens
    return body


def usage_from_openai(usage: dict[str, Any] | None, model: str, batch: bool = False) -> Usage:
    """Our Usage: ``input_tokens`` excludes cached tokens (see ``pricing.py``)."""
    u = usage or {}
    cached = ((u.get("prompt_tokens_details") or {}).get("cached_tokens")) or 0
    out = Usage(
        input_tokens=max(0, (u.get("prompt_tokens") or 0) - cached),
        output_tokens=u.get("completion_tokens") or 0,
        cache_read_tokens=cached,
    )
    out.cost_usd = cost_usd(model, out, batch=batch, provider=PROVIDER)
    return out


def _tool_call(raw: dict[str, Any]) -> ToolCall:
    # A compatible server may leave the name out: "" is an unknown tool to the registry;
    # ``"arguments": null`` is no arguments.
    fn = raw.get("function") or {}
    fn = {**fn, "name": fn.get("name") or "", "arguments": fn.get("arguments") or ""}
    return ToolCall.from_dict({**raw, "function": fn})


def completion_from_openai_response(
    response: dict[str, Any], *, model: str | None = None, batch: bool = False
) -> Completion:
    """A ``chat.completion`` object as a dict (``model_dump()`` or a batch ``response.body``)."""
    choice = (response.get("choices") or [{}])[0]
    msg = choice.get("message") or {}
    calls = [_tool_call(tc) for tc in msg.get("tool_calls") or []]
    finish = _FINISH.get(choice.get("finish_reason") or "stop", "stop")
    if calls and finish == "stop":
        finish = "tool_calls"
    name = model or response.get("model") or ""
    return Completion(
        message=Message("assistant", msg.get("content") or "", tool_calls=calls),
        usage=usage_from_openai(response.get("usage"), name, batch=batch),
        finish_reason=finish,
    )


class OpenAIModel:
    """GPT models, or an OpenAI-compatible server at ``base_url``, implementing ``ChatModel``."""

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
        http_client: Any = None,
    ) -> None:
        """``http_client``: an ``httpx``-compatible client for the SDK (e.g. distill's
        ``openai.DefaultAioHttpClient()``); the SDK's default when None."""
        base_url = base_url_from(base_url, "OPENAI_BASE_URL")
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            if not base_url:
                raise MissingAPIKeyError("OPENAI_API_KEY is not set; export it with your API key.")
            key = "not-needed"  # local OpenAI-compatible servers ignore it
        self.name = model
        self.base_url = base_url
        self.context_length = context_length or context_length_for(model)
        self.client = openai.AsyncOpenAI(
            api_key=key,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        """An estimate, about 4 characters a token (see ``estimate_tokens``)."""
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
        body = to_openai_request(
            messages,
            tools,
            model=self.name,
            tool_choice=tool_choice,
            temperature=temperature,
            max_tokens=max_tokens,
        )
        text: list[str] = []
        calls: dict[int, dict[str, Any]] = {}
        finish: str | None = None
        usage: dict[str, Any] | None = None
        cancelled = False
        try:
            stream = await self.client.chat.completions.create(
                **body, stream=True, stream_options={"include_usage": True}
            )
            async with stream:
                async for chunk in until_cancelled(stream, cancel):
                    if chunk.usage is not None:
                        usage = chunk.usage.model_dump()
                    for choice in chunk.choices[:1]:
                        delta = choice.delta
                        if delta.content:
                            text.append(delta.content)
                            yield TextDelta(delta.content)
                        for tc in delta.tool_calls or []:
                            _merge_call_delta(calls, tc.model_dump())
                        if choice.finish_reason:
                            finish = choice.finish_reason
                cancelled = cancel is not None and cancel.cancelled
        except (openai.APIError, *TRANSPORT_ERRORS) as exc:
            raise from_sdk_error(exc, PROVIDER) from exc
        message = {
            "content": "".join(text),
            "tool_calls": [calls[i] for i in sorted(calls)],
        }
        if usage is None:  # a server that ignores stream_options: estimate
            usage = {
                "prompt_tokens": self.count_tokens(messages, tools),
                "completion_tokens": len(json.dumps(message)) // 4,
            }
        done = completion_from_openai_response(
            {"choices": [{"message": message, "finish_reason": finish}], "usage": usage},
            model=self.name,
        )
        if cancelled:
            done.finish_reason = "cancelled"
        yield done

    async def create(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        """One non-streaming ``POST /chat/completions`` (for callers that need no deltas).

        Distill uses it: no SSE decoding and no per-chunk objects, so much less
        client CPU per call than :meth:`stream`. The response's JSON is parsed straight
        into our types, skipping the SDK's pydantic models.
        """
        body = to_openai_request(
            messages,
            tools,
            model=self.name,
            tool_choice=tool_choice,
            temperature=temperature,
            max_tokens=max_tokens,
        )
        try:
            # The SDK's documented generic ``post`` (its retries, auth, headers and error
            # types) with the body as built; ``chat.completions.create`` would re-walk it
            # against its TypedDicts, about a fifth of the client's CPU per call.
            raw = await self.client.post(
                "/chat/completions", body=body, cast_to=sdk_response_class(openai)
            )
            data: Any = raw.json()
        except (openai.APIError, *TRANSPORT_ERRORS) as exc:
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
        if data.get("usage") is None:  # some compatible servers omit it: estimate
            msg = ((data.get("choices") or [{}])[0]).get("message") or {}
            data["usage"] = {
                "prompt_tokens": self.count_tokens(messages, tools),
                "completion_tokens": len(json.dumps(msg)) // 4,
            }
        return completion_from_openai_response(data, model=self.name)


def _merge_call_delta(calls: dict[int, dict[str, Any]], delta: dict[str, Any]) -> None:
    """Accumulate one streamed ``tool_calls`` fragment (id and name once, arguments in pieces)."""
    index = delta.get("index") or 0
    slot = calls.setdefault(
        index, {"id": None, "type": "function", "function": {"name": "", "arguments": ""}}
    )
    if delta.get("id"):
        slot["id"] = delta["id"]
    fn = delta.get("function") or {}
    if fn.get("name") and not slot["function"]["name"]:
        slot["function"]["name"] = fn["name"]  # sent once; some servers repeat it
    if fn.get("arguments"):
        slot["function"]["arguments"] += fn["arguments"]
    if not slot["id"]:
        slot["id"] = new_call_id()


__all__ = [
    "OpenAIModel",
    "ProviderHTTPError",
    "completion_from_openai_response",
    "to_openai_messages",
    "to_openai_request",
    "to_openai_tool_choice",
    "usage_from_openai",
]
