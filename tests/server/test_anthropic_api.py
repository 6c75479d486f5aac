"""The official anthropic SDK against the real server and the real default model."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.llm.sample_tools import TOOLS

pytestmark = pytest.mark.slow

ANTHROPIC_TOOLS = [
    {
        "name": t["function"]["name"],
        "description": t["function"]["description"],
        "input_schema": t["function"]["parameters"],
    }
    for t in TOOLS
]
SCHEMAS = {t["name"]: t["input_schema"] for t in ANTHROPIC_TOOLS}


def test_plain_message(server) -> None:
    reply = server.anthropic().messages.create(
        model="default",
        max_tokens=12,
        system="You are terse.",
        messages=[{"role": "user", "content": "Say hello."}],
        extra_body={"temperature": 0},
    )
    assert reply.type == "message" and reply.role == "assistant"
    assert reply.content[0].type == "text" and reply.content[0].text
    assert reply.stop_reason in ("end_turn", "max_tokens")
    assert 0 < reply.usage.output_tokens <= 12 and reply.usage.input_tokens > 0


def test_usage_of_a_cached_turn_adds_up_to_the_prompt(server) -> None:
    """As Anthropic counts: input_tokens are the uncached prompt tokens, cache reads apart."""
    client = server.anthropic()
    system = "You are a helpful assistant. " * 40
    turn = [{"role": "user", "content": "Name a colour."}]
    first = client.messages.create(model="default", max_tokens=6, system=system, messages=turn)
    turn += [
        {"role": "assistant", "content": first.content[0].text if first.content else ""},
        {"role": "user", "content": "Another one."},
    ]
    second = client.messages.create(model="default", max_tokens=6, system=system, messages=turn)
    prompt = client.messages.count_tokens(model="default", system=system, messages=turn)
    u = second.usage
    assert (u.cache_read_input_tokens or 0) > prompt.input_tokens / 2  # the first turn's prefix
    assert u.input_tokens + (u.cache_read_input_tokens or 0) == prompt.input_tokens
    assert u.input_tokens > 0


def test_stream_follows_the_documented_event_sequence(server) -> None:
    client = server.anthropic()
    opts = dict(
        model="default",
        max_tokens=12,
        messages=[{"role": "user", "content": "Say hello."}],
        extra_body={"temperature": 0},
    )
    plain = client.messages.create(**opts)
    events = list(client.messages.create(**opts, stream=True))
    kinds = [e.type for e in events]
    assert kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"]
    body = [k for k in kinds[1:-2] if k != "ping"]
    assert body[0] == "content_block_start" and body[-1] == "content_block_stop"
    assert set(body[1:-1]) == {"content_block_delta"}
    text = "".join(e.delta.text for e in events if e.type == "content_block_delta")
    assert text == plain.content[0].text
    delta = events[-2]
    assert delta.delta.stop_reason == plain.stop_reason
    assert delta.usage.output_tokens == plain.usage.output_tokens

    # The SDK's own stream helper reassembles the same message.
    with client.messages.stream(**opts) as stream:
        final = stream.get_final_message()
    assert final.content[0].text == plain.content[0].text


def test_tool_use_round_trip(server) -> None:
    client = server.anthropic()
    messages = [{"role": "user", "content": "List the files in the src directory."}]
    first = client.messages.create(
        model="default",
        max_tokens=64,
        tools=ANTHROPIC_TOOLS,
        tool_choice={"type": "any"},
        messages=messages,
    )
    assert first.stop_reason == "tool_use"
    uses = [b for b in first.content if b.type == "tool_use"]
    assert uses and uses[0].id.startswith("toolu_") and uses[0].name in SCHEMAS
    jsonschema.validate(uses[0].input, SCHEMAS[uses[0].name])

    messages.append({"role": "assistant", "content": [b.model_dump() for b in first.content]})
    messages.append(
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": uses[0].id, "content": "main.py\nutil.py"}
            ],
        }
    )
    second = client.messages.create(
        model="default",
        max_tokens=24,
        tools=ANTHROPIC_TOOLS,
        tool_choice={"type": "none"},
        messages=messages,
    )
    assert second.stop_reason in ("end_turn", "max_tokens")
    assert second.content and second.content[0].type == "text"


def test_streamed_tool_use(server) -> None:
    client = server.anthropic()
    with client.messages.stream(
        model="default",
        max_tokens=64,
        tools=ANTHROPIC_TOOLS,
        tool_choice={"type": "tool", "name": "read_file"},
        messages=[{"role": "user", "content": "Open setup.py."}],
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    block = final.content[-1]
    assert block.type == "tool_use" and block.name == "read_file"
    jsonschema.validate(block.input, SCHEMAS["read_file"])


def test_stop_sequences_and_count_tokens(server) -> None:
    client = server.anthropic()
    opts = dict(
        model="default",
        max_tokens=16,
        messages=[{"role": "user", "content": "Say hello in one short sentence."}],
        extra_body={"temperature": 0},
    )
    full = client.messages.create(**opts).content[0].text
    words = full.split()
    assert len(words) >= 3, full
    cut = client.messages.create(**opts, stop_sequences=[words[2]])
    assert cut.stop_reason == "stop_sequence" and cut.stop_sequence == words[2]
    assert cut.content[0].text.rstrip() == full[: full.index(words[2])].rstrip()

    counted = client.messages.count_tokens(model="default", messages=opts["messages"])
    assert counted.input_tokens > 5


def test_structured_output(server) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    opts = dict(
        model="default",
        max_tokens=48,
        messages=[{"role": "user", "content": "Invent a person."}],
        output_config={"format": {"type": "json_schema", "schema": schema}},
    )
    reply = server.anthropic().messages.create(**opts)
    assert reply.stop_reason == "end_turn"
    jsonschema.validate(json.loads(reply.content[0].text), schema)
    with server.anthropic().messages.stream(**opts) as stream:
        streamed = "".join(stream.text_stream)
        final = stream.get_final_message()
    jsonschema.validate(json.loads(streamed), schema)
    assert final.content[0].text == streamed and final.stop_reason == "end_turn"
