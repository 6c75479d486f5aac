"""AnthropicModel against a local server speaking the Messages API, via the official SDK."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import anthropic
import pytest

from assistant.llm.anthropic import (
    AnthropicModel,
    completion_from_anthropic_message,
    to_anthropic_messages,
    to_anthropic_request,
    to_anthropic_tool_choice,
)
from assistant.llm.base import (
    CancelToken,
    Completion,
    LLMError,
    Message,
    MissingAPIKeyError,
    TextDelta,
    ToolCall,
    complete,
)
from assistant.llm.errors import ProviderHTTPError
from assistant.llm.pricing import cost_usd

try:  # tests/ is a package root or on sys.path, depending on how pytest is run
    from tests.fakes.anthropic_server import (
        AnthropicFake,
        Fault,
        RecordedRequest,
        anthropic_fake,
        dropped,
        overloaded,
        rate_limited,
        server_error,
        text,
        tool_use,
    )
except ImportError:  # pragma: no cover
    from fakes.anthropic_server import (  # type: ignore[no-redef]
        AnthropicFake,
        Fault,
        RecordedRequest,
        anthropic_fake,
        dropped,
        overloaded,
        rate_limited,
        server_error,
        text,
        tool_use,
    )

MODEL = "claude-haiku-4-5"
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a file.",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "search",
            "description": "Search files.",
            "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}}},
        },
    },
]


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


def make_model(fake: AnthropicFake, **kw) -> AnthropicModel:
    kw.setdefault("max_retries", 0)
    return AnthropicModel(MODEL, api_key="test-key", base_url=fake.base_url, **kw)


def api_key_sent(req: RecordedRequest) -> str:
    """SDK releases send the key as ``x-api-key`` or as ``Authorization: Bearer``."""
    return req.headers.get("x-api-key") or req.headers["authorization"].removeprefix("Bearer ")


async def collect(model: AnthropicModel, messages: list[Message], **kw) -> list:
    return [item async for item in model.stream(messages, **kw)]


async def test_streams_text_then_one_completion(fake: AnthropicFake) -> None:
    fake.script(text("Hello there, this is Claude.", input_tokens=21, output_tokens=9))
    items = await collect(
        make_model(fake), [Message.system("Be brief."), Message.user("hi")], temperature=0.2
    )

    deltas = [i for i in items if isinstance(i, TextDelta)]
    assert len(deltas) >= 2, "text should arrive in several deltas"
    assert "".join(d.text for d in deltas) == "Hello there, this is Claude."
    assert isinstance(items[-1], Completion)
    assert sum(isinstance(i, Completion) for i in items) == 1
    done = items[-1]
    assert done.message.role == "assistant"
    assert done.message.content == "Hello there, this is Claude."
    assert done.message.tool_calls == []
    assert done.finish_reason == "stop"
    assert (done.usage.input_tokens, done.usage.output_tokens) == (21, 9)

    (req,) = fake.message_requests
    assert api_key_sent(req) == "test-key"
    assert req.body["stream"] is True
    assert req.body["model"] == MODEL
    assert req.body["temperature"] == 0.2
    assert req.body["max_tokens"] == 8192
    assert req.body["system"] == [
        {"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}
    ]
    assert req.body["messages"] == [
        {
            "role": "user",
            "content": [{"type": "text", "text": "hi", "cache_control": {"type": "ephemeral"}}],
        }
    ]
    assert "tools" not in req.body


async def test_tool_use_round_trip(fake: AnthropicFake) -> None:
    fake.script(
        tool_use(
            "read_file",
            {"path": "src/app.py"},
            id="toolu_01",
            text="Let me look.",
            more=[("search", {"pattern": "def main"})],
        ),
        text("The entry point is main()."),
    )
    model = make_model(fake)
    messages = [Message.system("sys"), Message.user("Where is main?")]

    first = await complete(model, messages, tools=TOOLS)
    assert first.finish_reason == "tool_calls"
    assert first.message.content == "Let me look."
    calls = first.message.tool_calls
    assert [(c.name, c.arguments) for c in calls] == [
        ("read_file", {"path": "src/app.py"}),
        ("search", {"pattern": "def main"}),
    ]
    assert calls[0].id == "toolu_01"
    assert calls[1].id.startswith("toolu_fake_")

    messages += [
        first.message,
        Message.tool(calls[0], "def main(): ..."),
        Message.tool(calls[1], "src/app.py:1: def main"),
    ]
    second = await complete(model, messages, tools=TOOLS, tool_choice="required")
    assert second.message.content == "The entry point is main()."
    assert second.finish_reason == "stop"

    body = fake.message_requests[1].body
    assert body["tool_choice"] == {"type": "any"}
    assert [t["name"] for t in body["tools"]] == ["read_file", "search"]
    assert body["tools"][0]["input_schema"]["required"] == ["path"]
    assert body["tools"][0]["description"] == "Read a file."
    user, assistant, results = body["messages"]
    assert user["role"] == "user"
    assert assistant["role"] == "assistant"
    assert [b["type"] for b in assistant["content"]] == ["text", "tool_use", "tool_use"]
    assert assistant["content"][1] == {
        "type": "tool_use",
        "id": "toolu_01",
        "name": "read_file",
        "input": {"path": "src/app.py"},
    }
    assert results["role"] == "user"
    assert [(b["type"], b["tool_use_id"]) for b in results["content"]] == [
        ("tool_result", "toolu_01"),
        ("tool_result", calls[1].id),
    ]
    assert results["content"][0]["content"] == "def main(): ..."


def test_message_translation_merges_and_repairs_turns() -> None:
    call_a = ToolCall("read_file", {"path": "a"}, id="call.a/1")  # characters the API rejects
    call_b = ToolCall("search", {"pattern": "x"}, id="call_b")
    system, turns = to_anthropic_messages(
        [
            Message.system("one"),
            Message.user("first"),
            Message.user("second"),
            Message.system("two"),
            Message("assistant", "", tool_calls=[call_a, call_b]),
            Message.tool(call_a, "A"),
            # call_b's result is missing (cancelled); the user speaks next
            Message.user("stop that"),
            Message("assistant", ""),  # an empty turn is dropped
            Message("assistant", "ok"),
            Message("tool", "orphan", tool_call_id="call_gone"),
        ]
    )
    assert system == "one\n\ntwo"
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant", "user"]
    assert turns[0]["content"] == [
        {"type": "text", "text": "first"},
        {"type": "text", "text": "second"},
    ]
    assert [b.get("id") for b in turns[1]["content"]] == ["call_a_1", "call_b"]
    assert turns[2]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_a_1", "content": "A"},
        {"type": "tool_result", "tool_use_id": "call_b", "content": "(no result)"},
        {"type": "text", "text": "stop that"},
    ]
    assert turns[3]["content"] == [{"type": "text", "text": "ok"}]
    assert turns[4]["content"] == [{"type": "text", "text": "Tool result: orphan"}]


def test_tool_choice_and_request_options() -> None:
    assert to_anthropic_tool_choice("auto") == {"type": "auto"}
    assert to_anthropic_tool_choice("required") == {"type": "any"}
    assert to_anthropic_tool_choice("none") == {"type": "none"}
    assert to_anthropic_tool_choice("read_file") == {"type": "tool", "name": "read_file"}

    body = to_anthropic_request(
        [Message.user("hi")], TOOLS, model="claude-3-haiku-20240307", prompt_caching=False
    )
    assert body["max_tokens"] == 4096  # that model's output limit
    assert "system" not in body
    assert "cache_control" not in str(body)
    assert body["tool_choice"] == {"type": "auto"}
    body = to_anthropic_request([Message.user("hi")], model=MODEL, tool_choice="required")
    assert "tool_choice" not in body and "tools" not in body  # no tools, no choice


async def test_usage_and_cost_include_cache_tokens(fake: AnthropicFake) -> None:
    fake.script(
        text(
            "cached",
            input_tokens=1000,
            output_tokens=500,
            cache_read_input_tokens=20_000,
            cache_creation_input_tokens=3000,
        )
    )
    done = await complete(make_model(fake), [Message.user("hi")])
    u = done.usage
    assert (u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens) == (
        1000,
        500,
        20_000,
        3000,
    )
    expected = (1000 * 1.0 + 500 * 5.0 + 20_000 * 0.10 + 3000 * 1.25) / 1e6
    assert u.cost_usd == pytest.approx(expected)
    assert u.cost_usd == pytest.approx(cost_usd(MODEL, u))


async def test_429_surfaces_retry_after_without_sdk_retries(fake: AnthropicFake) -> None:
    fake.script(rate_limited(retry_after=7), rate_limited(retry_after=1.5, ms=True))
    model = make_model(fake, max_retries=0)
    with pytest.raises(ProviderHTTPError) as info:
        await complete(model, [Message.user("hi")])
    err = info.value
    assert isinstance(err, LLMError)
    assert (err.status_code, err.retry_after, err.provider) == (429, 7.0, "anthropic")
    assert err.error_type == "rate_limit_error"
    assert err.retryable
    assert "429" in str(err)
    with pytest.raises(ProviderHTTPError) as info:
        await complete(model, [Message.user("hi")])
    assert info.value.retry_after == pytest.approx(1.5)
    assert len(fake.message_requests) == 2, "max_retries=0 must not retry"


async def test_sdk_retries_succeed_when_enabled(fake: AnthropicFake) -> None:
    fake.script(rate_limited(retry_after=0.05), overloaded(), text("finally"))
    model = make_model(fake, max_retries=2)
    started = time.monotonic()
    done = await complete(model, [Message.user("hi")])
    assert done.message.content == "finally"
    assert len(fake.message_requests) == 3
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("fault", "status", "error_type"),
    [
        (overloaded(), 529, "overloaded_error"),
        (server_error(), 500, "api_error"),
        (dropped(mid_stream=False), None, None),
        (dropped(mid_stream=True), None, None),
        (overloaded(mid_stream=True), 529, "overloaded_error"),
    ],
    ids=["529", "500", "drop-before-response", "drop-mid-stream", "overloaded-mid-stream"],
)
async def test_faults_become_provider_http_errors(
    fake: AnthropicFake, fault: Fault, status: int | None, error_type: str | None
) -> None:
    fake.script(fault)
    with pytest.raises(ProviderHTTPError) as info:
        await collect(make_model(fake, max_retries=0), [Message.user("hi")])
    err = info.value
    assert err.status_code == status
    assert err.error_type == error_type
    assert err.retryable
    assert err.retry_after is None
    assert len(fake.message_requests) == 1


async def test_bad_request_is_not_retryable(fake: AnthropicFake) -> None:
    fake.script(Fault(400, "invalid_request_error", "messages: roles must alternate"))
    with pytest.raises(ProviderHTTPError) as info:
        await complete(make_model(fake, max_retries=2), [Message.user("hi")])
    assert info.value.status_code == 400
    assert not info.value.retryable
    assert "roles must alternate" in str(info.value)
    assert len(fake.message_requests) == 1


def test_missing_api_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError, match="ANTHROPIC_API_KEY is not set"):
        AnthropicModel(MODEL)


async def test_key_and_base_url_from_environment(
    fake: AnthropicFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "env-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.base_url)
    model = AnthropicModel(MODEL, max_retries=0)
    assert (model.name, model.provider, model.context_length) == (MODEL, "anthropic", 200_000)
    done = await complete(model, [Message.user("hi")])
    assert done.message.content == "OK"  # the fake's default reply
    assert api_key_sent(fake.message_requests[0]) == "env-key"


async def test_cancel_stops_the_stream(fake: AnthropicFake) -> None:
    long = "word " * 200
    fake.script(text(long, chunk_delay=0.05), text("next call works"))
    cancel = CancelToken()
    model = make_model(fake)
    items = []
    started = time.monotonic()
    async for item in model.stream([Message.user("hi")], cancel=cancel):
        items.append(item)
        if isinstance(item, TextDelta):
            cancel.cancel()
    assert time.monotonic() - started < 3
    done = items[-1]
    assert isinstance(done, Completion)
    assert done.finish_reason == "cancelled"
    assert 0 < len(done.message.content) < len(long)
    cancel.reset()
    again = await complete(model, [Message.user("hi")], cancel=cancel)
    assert again.message.content == "next call works"


async def test_cancel_does_not_wait_for_a_stalled_stream(fake: AnthropicFake) -> None:
    """Ctrl-C (or a turn's time limit) stops the call at once, even while the server sends
    nothing (a long time to first token, a stalled connection), and the model still works."""
    fake.script(text("slow", chunk_delay=10), text("next call works"))
    cancel = CancelToken()
    asyncio.get_running_loop().call_later(0.3, cancel.cancel)
    model = make_model(fake)
    started = time.monotonic()
    done = await complete(model, [Message.user("hi")], cancel=cancel)
    assert time.monotonic() - started < 3
    assert done.finish_reason == "cancelled" and done.message.content == ""
    cancel.reset()
    again = await complete(model, [Message.user("hi")], cancel=cancel)
    assert again.message.content == "next call works"


def test_count_tokens_is_an_estimate(fake: AnthropicFake) -> None:
    model = make_model(fake)
    short = model.count_tokens([Message.user("hi")])
    long = model.count_tokens([Message.user("x" * 4000)], TOOLS)
    assert 0 < short < 10
    assert 1000 <= long < 1300


async def test_batch_api_round_trip_with_the_sdk(fake: AnthropicFake) -> None:
    """The shape distill's batch mode relies on: params from to_anthropic_request, results parsed."""
    fake.script(text("answer one", input_tokens=100, output_tokens=10), server_error())
    client = anthropic.AsyncAnthropic(api_key="k", base_url=fake.base_url, max_retries=0)
    requests = [
        {"custom_id": f"task-{i}", "params": to_anthropic_request([Message.user(q)], model=MODEL)}
        for i, q in enumerate(["q1", "q2"])
    ]
    batch = await client.messages.batches.create(requests=requests)
    assert batch.processing_status == "in_progress"
    for _ in range(5):
        batch = await client.messages.batches.retrieve(batch.id)
        if batch.processing_status == "ended":
            break
        await asyncio.sleep(0.01)
    assert batch.processing_status == "ended"
    assert batch.request_counts.succeeded == 1 and batch.request_counts.errored == 1

    results = {r.custom_id: r.result async for r in await client.messages.batches.results(batch.id)}
    assert results["task-1"].type == "errored"
    ok = results["task-0"]
    assert ok.type == "succeeded"
    done = completion_from_anthropic_message(ok.message.model_dump(), batch=True)
    assert done.message.content == "answer one"
    assert done.usage.cost_usd == pytest.approx((100 * 1.0 + 10 * 5.0) / 1e6 / 2)
    created = next(r for r in fake.requests if r.path == "/v1/messages/batches")
    assert created.body["requests"][0]["params"]["messages"][0]["role"] == "user"


def test_parse_retry_after_forms() -> None:
    from email.utils import formatdate

    from assistant.llm.errors import parse_retry_after

    assert parse_retry_after({"retry-after": "12"}) == 12.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    now = time.time()
    in_30s = formatdate(now + 30, usegmt=True)
    assert parse_retry_after({"retry-after": in_30s}, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


# --------------------------------------------------------------------------- create (no stream)


def aiohttp_model(fake: AnthropicFake) -> AnthropicModel:
    """The transport distill uses: the SDK's aiohttp client."""
    return make_model(fake, http_client=anthropic.DefaultAioHttpClient())


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_create_returns_one_completion_without_streaming(
    fake: AnthropicFake, transport: str
) -> None:
    fake.script(
        text("Plain answer.", input_tokens=30, output_tokens=7, cache_read_input_tokens=100),
        tool_use("read_file", {"path": "a.py"}, id="toolu_1", text="Looking."),
    )
    model = make_model(fake) if transport == "httpx" else aiohttp_model(fake)
    try:
        done = await model.create(
            [Message.system("Be brief."), Message.user("hi")], temperature=0.0, max_tokens=64
        )
        assert isinstance(done, Completion)
        assert (done.message.content, done.finish_reason) == ("Plain answer.", "stop")
        u = done.usage
        assert (u.input_tokens, u.output_tokens, u.cache_read_tokens) == (30, 7, 100)
        assert u.cost_usd == pytest.approx(cost_usd(MODEL, u)) and u.cost_usd > 0

        called = await model.create([Message.user("read a.py")], TOOLS, tool_choice="read_file")
        assert called.finish_reason == "tool_calls" and called.message.content == "Looking."
        assert called.message.tool_calls == [ToolCall("read_file", {"path": "a.py"}, "toolu_1")]
    finally:
        await model.client.close()

    first, second = fake.message_requests
    assert "stream" not in first.body or first.body["stream"] is False
    assert (first.body["temperature"], first.body["max_tokens"]) == (0.0, 64)
    assert first.body["system"][0]["text"] == "Be brief."
    assert api_key_sent(first) == "test-key"
    assert second.body["tool_choice"] == {"type": "tool", "name": "read_file"}
    assert [t["name"] for t in second.body["tools"]] == ["read_file", "search"]


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_create_errors_are_provider_http_errors(fake: AnthropicFake, transport: str) -> None:
    fake.script(rate_limited(retry_after=3), dropped(mid_stream=False), server_error())
    model = make_model(fake) if transport == "httpx" else aiohttp_model(fake)
    try:
        with pytest.raises(ProviderHTTPError) as info:
            await model.create([Message.user("hi")])
        assert (info.value.status_code, info.value.retry_after) == (429, 3.0)
        with pytest.raises(ProviderHTTPError) as info:
            await model.create([Message.user("hi")])
        assert info.value.status_code is None and info.value.retryable  # dropped connection
        with pytest.raises(ProviderHTTPError) as info:
            await model.create([Message.user("hi")])
        assert info.value.status_code == 500
    finally:
        await model.client.close()
    assert len(fake.message_requests) == 3, "max_retries=0 must not retry"
