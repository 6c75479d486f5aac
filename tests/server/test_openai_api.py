"""The official openai SDK against the real server and the real default model."""

from __future__ import annotations

import json

import httpx
import jsonschema
import pytest

from tests.llm.sample_tools import TOOLS
from tests.server.conftest import API_KEY

pytestmark = pytest.mark.slow

SCHEMAS = {t["function"]["name"]: t["function"]["parameters"] for t in TOOLS}
HELLO = [{"role": "user", "content": "Say hello in one short sentence."}]


def test_models_and_health(server) -> None:
    client = server.openai()
    ids = [m.id for m in client.models.list()]
    assert ids == ["SmolLM2-135M-Instruct"]
    assert client.models.retrieve("default").id == "SmolLM2-135M-Instruct"
    health = httpx.get(f"{server.url}/health", headers={"x-api-key": API_KEY}).json()
    assert health["status"] == "ok" and health["model"] == "SmolLM2-135M-Instruct"


def test_plain_and_streamed_replies_agree(server) -> None:
    client = server.openai()
    opts = dict(model="default", messages=HELLO, max_tokens=12, temperature=0)
    plain = client.chat.completions.create(**opts)
    choice = plain.choices[0]
    assert plain.object == "chat.completion" and plain.model == "SmolLM2-135M-Instruct"
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert plain.usage.completion_tokens <= 12
    assert plain.usage.total_tokens == plain.usage.prompt_tokens + plain.usage.completion_tokens

    chunks = list(
        client.chat.completions.create(**opts, stream=True, stream_options={"include_usage": True})
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == choice.message.content  # greedy: same tokens, streamed
    assert chunks[0].choices[0].delta.role == "assistant"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == choice.finish_reason and not any(finishes[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage is not None  # the usage chunk
    assert chunks[-1].usage.completion_tokens == plain.usage.completion_tokens
    assert all(c.id == chunks[0].id for c in chunks)


def test_tool_call_round_trip(server) -> None:
    client = server.openai()
    messages = [{"role": "user", "content": "Show me what is in README.md."}]
    first = client.chat.completions.create(
        model="default", messages=messages, tools=TOOLS, tool_choice="required", max_tokens=64
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name in SCHEMAS
    jsonschema.validate(json.loads(call.function.arguments), SCHEMAS[call.function.name])

    messages.append(choice.message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "# Demo\nA demo project."})
    second = client.chat.completions.create(
        model="default", messages=messages, tools=TOOLS, tool_choice="none", max_tokens=24
    )
    assert second.choices[0].finish_reason in ("stop", "length")
    assert second.choices[0].message.content and not second.choices[0].message.tool_calls


def test_streamed_named_tool_call(server) -> None:
    client = server.openai()
    stream = client.chat.completions.create(
        model="default",
        messages=[{"role": "user", "content": "Find TODO comments in src."}],
        tools=TOOLS,
        tool_choice={"type": "function", "function": {"name": "grep"}},
        max_tokens=128,
        stream=True,
    )
    calls = [tc for c in stream if c.choices for tc in c.choices[0].delta.tool_calls or []]
    assert len(calls) == 1 and calls[0].function.name == "grep" and calls[0].id
    jsonschema.validate(json.loads(calls[0].function.arguments), SCHEMAS["grep"])


def test_json_schema_and_json_object_output(server) -> None:
    client = server.openai()
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "population": {"type": "integer", "minimum": 0},
            "tags": {"type": "array", "items": {"enum": ["big", "small", "coastal"]}},
        },
        "required": ["city", "population", "tags"],
        "additionalProperties": False,
    }
    opts = dict(
        model="default",
        messages=[{"role": "user", "content": "Describe Paris as JSON."}],
        response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": schema}},
        max_tokens=96,
        temperature=0,
    )
    reply = client.chat.completions.create(**opts)
    jsonschema.validate(json.loads(reply.choices[0].message.content), schema)
    assert reply.choices[0].finish_reason == "stop"
    chunks = list(client.chat.completions.create(**opts, stream=True))
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == reply.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"

    array = {"type": "array", "items": {"type": "integer"}, "maxItems": 3}
    reply = client.chat.completions.create(
        model="default",
        messages=[{"role": "user", "content": "Three small numbers."}],
        response_format={"type": "json_schema", "json_schema": {"name": "n", "schema": array}},
        max_tokens=48,
    )
    jsonschema.validate(json.loads(reply.choices[0].message.content), array)

    reply = client.chat.completions.create(
        model="default",
        messages=[{"role": "user", "content": "Give a JSON object about cats."}],
        response_format={"type": "json_object"},
        max_tokens=64,
    )
    assert isinstance(json.loads(reply.choices[0].message.content), dict)


def test_stop_strings_and_seed(server) -> None:
    client = server.openai()
    opts = dict(model="default", messages=HELLO, max_tokens=16, temperature=0)
    full = client.chat.completions.create(**opts).choices[0].message.content
    words = full.split()
    assert len(words) >= 3, full
    stop = words[2]
    cut = client.chat.completions.create(**opts, stop=[stop, "zzzz"]).choices[0]
    assert cut.finish_reason == "stop"
    assert cut.message.content.rstrip() == full[: full.index(stop)].rstrip()
    streamed = client.chat.completions.create(**opts, stop=stop, stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
    assert text == cut.message.content

    story = [{"role": "user", "content": "Tell me a story about a dragon."}]
    seeded = dict(model="default", messages=story, max_tokens=24, temperature=1.2)
    # The first request meets a cache holding another conversation, the repeat one
    # holding this prompt: a seed must give the same story either way.
    first = client.chat.completions.create(**seeded, seed=7).choices[0].message.content
    again = client.chat.completions.create(**seeded, seed=7).choices[0].message.content
    assert first == again


def test_second_turn_reuses_the_prefix(server) -> None:
    client = server.openai()
    history = [
        {"role": "system", "content": "You are a helpful assistant. " * 40},
        {"role": "user", "content": "Name a colour."},
    ]
    first = client.chat.completions.create(model="default", messages=history, max_tokens=8)
    history.append({"role": "assistant", "content": first.choices[0].message.content})
    history.append({"role": "user", "content": "Another one."})
    second = client.chat.completions.create(model="default", messages=history, max_tokens=8)
    cached = second.usage.prompt_tokens_details.cached_tokens
    assert cached >= first.usage.prompt_tokens - 2  # the whole first prompt came from the cache
