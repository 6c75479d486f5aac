"""Request fields the official SDKs send that this server cannot honour, or sends as null,
and the shapes those SDKs parse (model cards, stream usage): through the SDKs against the
real server and the real default model."""

from __future__ import annotations

from datetime import datetime

import anthropic
import httpx
import openai
import pytest

from tests.llm.sample_tools import TOOLS
from tests.server.conftest import API_KEY

pytestmark = pytest.mark.slow

HELLO = [{"role": "user", "content": "Say hello."}]
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
LEGACY_FUNCTION = {"name": "read_file", "parameters": TOOLS[0]["function"]["parameters"]}


def _one_sentence(message: str) -> None:
    assert message.endswith(".") and message.count(". ") == 0, message


@pytest.mark.parametrize(
    ("fields", "param", "fix"),
    [
        ({"logprobs": True}, "logprobs", "logprobs false"),
        ({"logprobs": True, "top_logprobs": 2}, "logprobs", "logprobs false"),
        ({"top_logprobs": 2}, "top_logprobs", "leave it out"),
        ({"functions": [LEGACY_FUNCTION]}, "functions", "tools"),
        ({"function_call": {"name": "read_file"}}, "function_call", "tool_choice"),
        ({"function_call": "auto"}, "function_call", "tool_choice"),
        ({"modalities": ["text", "audio"]}, "modalities", "'text' modality"),
        ({"audio": {"voice": "alloy", "format": "wav"}}, "audio", "'text' modality"),
    ],
)
def test_openai_refuses_what_it_cannot_honour(server, fields, param, fix) -> None:
    """A 422 naming the field, instead of a 200 whose logprobs (or call) is missing."""
    with pytest.raises(openai.UnprocessableEntityError) as exc:
        server.openai().chat.completions.create(
            model="default", messages=HELLO, max_tokens=1, **fields
        )
    assert exc.value.param == param and fix in exc.value.message
    assert exc.value.body["type"] == "invalid_request_error"
    _one_sentence(exc.value.message)


def test_a_legacy_function_call_in_the_history_is_refused(server) -> None:
    history = [
        {"role": "user", "content": "Open a.py."},
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "read_file", "arguments": '{"path": "a.py"}'},
        },
    ]
    with pytest.raises(openai.UnprocessableEntityError) as exc:
        server.openai().chat.completions.create(model="default", messages=history, max_tokens=1)
    assert exc.value.param == "messages[1].function_call" and "tool_calls" in exc.value.message
    _one_sentence(exc.value.message)


def test_openai_fields_sent_as_null_mean_not_given(server) -> None:
    client = server.openai()
    off = client.chat.completions.create(
        model="default", messages=HELLO, max_tokens=2, logprobs=False, top_logprobs=0
    )
    assert off.choices[0].message.content is not None
    reply = client.chat.completions.create(
        model="default",
        messages=HELLO,
        max_completion_tokens=2,
        stream=None,
        stream_options=None,
        temperature=None,
        top_p=None,
        max_tokens=None,
        stop=None,
        seed=None,
        n=None,
        logprobs=None,
        top_logprobs=None,
        presence_penalty=None,
        frequency_penalty=None,
        logit_bias=None,
        tools=None,
        tool_choice=None,
        response_format=None,
        user=None,
        function_call=None,
        functions=None,
        modalities=None,
        audio=None,
    )
    assert reply.object == "chat.completion" and reply.usage.completion_tokens <= 2

    # Not through the SDK, so that nothing is left out on the way: every field null.
    nulls = dict.fromkeys(
        [
            "stream",
            "stream_options",
            "temperature",
            "max_tokens",
            "stop",
            "seed",
            "tools",
            "tool_choice",
            "response_format",
            "user",
            "n",
            "logprobs",
            "top_logprobs",
        ]
    )
    body = {"model": "default", "messages": HELLO, "max_completion_tokens": 2, **nulls}
    raw = httpx.post(f"{server.url}/v1/chat/completions", json=body, headers=HEADERS, timeout=120)
    assert raw.status_code == 200, raw.text
    assert raw.json()["object"] == "chat.completion"
    streamed = httpx.post(
        f"{server.url}/v1/chat/completions",
        json={**body, "stream": True, "stream_options": {"include_usage": None}},
        headers=HEADERS,
        timeout=120,
    )
    assert streamed.status_code == 200, streamed.text
    assert streamed.text.rstrip().endswith("data: [DONE]")


def test_anthropic_fields_sent_as_null_mean_not_given(server) -> None:
    reply = server.anthropic().messages.create(
        model="default", max_tokens=2, messages=HELLO, stream=None
    )
    assert reply.type == "message"
    nulls = dict.fromkeys(
        [
            "stream",
            "system",
            "stop_sequences",
            "temperature",
            "tools",
            "tool_choice",
            "top_k",
            "top_p",
            "metadata",
            "output_config",
        ]
    )
    body = {"model": "default", "max_tokens": 2, "messages": HELLO, **nulls}
    raw = httpx.post(f"{server.url}/v1/messages", json=body, headers=HEADERS, timeout=120)
    assert raw.status_code == 200, raw.text
    assert raw.json()["type"] == "message"


@pytest.mark.parametrize(
    "tool",
    [
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 2},
        {"type": "bash_20250124", "name": "bash"},
        {"type": "text_editor_20250124", "name": "str_replace_editor"},
    ],
)
def test_anthropic_server_tools_are_named_as_unavailable(server, tool) -> None:
    client = server.anthropic()
    with pytest.raises(anthropic.UnprocessableEntityError) as exc:
        client.messages.create(model="default", max_tokens=2, messages=HELLO, tools=[tool])
    message = exc.value.body["error"]["message"]
    assert f"server tool {tool['type']!r} ({tool['name']}) is not available" in message
    _one_sentence(message)
    with pytest.raises(anthropic.UnprocessableEntityError):
        client.messages.count_tokens(model="default", messages=HELLO, tools=[tool])


def test_a_client_tool_still_needs_its_input_schema(server) -> None:
    for tool in ({"name": "lookup"}, {"type": "custom", "name": "lookup"}):
        with pytest.raises(anthropic.BadRequestError) as exc:
            server.anthropic().messages.create(
                model="default", max_tokens=2, messages=HELLO, tools=[tool]
            )
        message = exc.value.body["error"]["message"]
        assert message.startswith("tools[0] (lookup) has no input_schema"), message
        _one_sentence(message)


def test_anthropic_tool_choice_of_type_tool_needs_a_name(server) -> None:
    tools = [{"name": "f", "input_schema": {"type": "object"}}]
    with pytest.raises(anthropic.BadRequestError) as exc:
        server.anthropic().messages.create(
            model="default", max_tokens=2, messages=HELLO, tools=tools, tool_choice={"type": "tool"}
        )
    message = exc.value.body["error"]["message"]
    assert "needs the name of the tool" in message and "None" not in message
    _one_sentence(message)


def test_each_sdk_lists_models_in_its_own_shape(server) -> None:
    model_id = server.state.model_id
    claude = server.anthropic()
    page = claude.models.list()
    assert [m.id for m in page.data] == [model_id]
    assert page.has_more is False and page.first_id == page.last_id == model_id
    card = page.data[0]
    assert card.type == "model" and card.display_name == model_id
    assert isinstance(card.created_at, datetime) and card.created_at.tzinfo is not None
    assert card.created_at.timestamp() == server.state.created
    card.created_at.isoformat()
    assert card.max_input_tokens == server.state.engine.model.context_length
    assert card.max_tokens == server.state.config.max_tokens_limit == 512
    assert list(claude.models.list(after_id=model_id)) == []

    one = claude.models.retrieve("default")
    assert one.type == "model" and one.id == model_id and isinstance(one.created_at, datetime)
    with pytest.raises(anthropic.NotFoundError) as missing:
        claude.models.retrieve("claude-9")
    assert missing.value.body["type"] == "error"
    assert missing.value.body["error"]["type"] == "not_found_error"

    gpt = server.openai()
    [listed] = gpt.models.list().data
    assert listed.object == "model" and listed.id == model_id
    assert listed.created == server.state.created and listed.owned_by == "assistant"
    assert gpt.models.retrieve("default").object == "model"
    with pytest.raises(openai.NotFoundError) as gone:
        gpt.models.retrieve("gpt-17")
    assert gone.value.code == "model_not_found"


def test_message_start_of_a_forced_call_counts_the_whole_prompt(server) -> None:
    """The server adds the call's opening to a forced call's prompt: message_start's input
    counts include it, as message_delta's final ones do."""
    tools = [
        {"name": t["function"]["name"], "input_schema": t["function"]["parameters"]} for t in TOOLS
    ]
    events = list(
        server.anthropic().messages.create(
            model="default",
            max_tokens=48,
            messages=[{"role": "user", "content": "Open setup.py."}],
            tools=tools,
            tool_choice={"type": "tool", "name": "read_file"},
            stream=True,
        )
    )
    start = events[0].message.usage
    final = next(e for e in events if e.type == "message_delta").usage
    assert final.output_tokens > 0 and start.output_tokens == 0
    assert start.input_tokens == final.input_tokens
    assert start.cache_read_input_tokens == final.cache_read_input_tokens
