"""The server over a cloud backend: the fake Anthropic server behind ``anthropic:MODEL``.

The backend is the real ``AnthropicModel`` that ``assistant serve -m anthropic:MODEL``
builds, pointed at the local fake; the clients are the official SDKs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anthropic
import openai
import pytest

from assistant.config import Settings
from assistant.llm.anthropic import AnthropicModel
from assistant.server.agent_mode import AgentRunner
from tests.fakes.anthropic_server import AnthropicFake, Fault, anthropic_fake, text, tool_use
from tests.server.conftest import RunningServer, start_server

HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


def claude(fake: AnthropicFake, **kw) -> AnthropicModel:
    return AnthropicModel("claude-haiku-4-5", api_key="test-key", base_url=fake.base_url, **kw)


@pytest.fixture
def agent_server(fake: AnthropicFake, workspace: Path) -> Iterator[RunningServer]:
    """``serve --agent`` over a cloud model with a small context (prompt checks are cheap)."""
    running = start_server(claude(fake, max_retries=0, context_length=2000))
    settings = Settings.model_validate(
        {"approval": {"mode": "ask"}, "sandbox": {"kind": "host"}, "limits": {"max_steps": 1}}
    )
    running.state.agent = AgentRunner(running.state.engine, settings, workspace)
    yield running
    running.stop()


def test_agent_mode_checks_the_request_before_the_turn_starts(
    agent_server: RunningServer, fake: AnthropicFake
) -> None:
    client = agent_server.openai()
    with pytest.raises(openai.UnprocessableEntityError) as many:
        client.chat.completions.create(model="default", messages=HELLO, n=2)
    assert many.value.param == "n"
    with pytest.raises(openai.BadRequestError) as unknown:
        client.chat.completions.create(
            model="default",
            messages=HELLO,
            tool_choice={"type": "function", "function": {"name": "launch_rockets"}},
        )
    assert unknown.value.param == "tool_choice" and "read_file" in unknown.value.message
    with pytest.raises(openai.UnprocessableEntityError) as long:
        client.chat.completions.create(
            model="default", messages=[{"role": "user", "content": "word " * 4000}]
        )
    assert long.value.code == "context_length_exceeded"
    assert fake.message_requests == []  # no turn started


def test_agent_mode_turn_ends_as_finish_reasons(
    agent_server: RunningServer, fake: AnthropicFake
) -> None:
    client = agent_server.openai()

    def finish() -> tuple[str | None, str]:
        reply = client.chat.completions.create(model="default", messages=HELLO)
        return reply.choices[0].finish_reason, reply.model_dump()["agent"]["turn_end"]

    fake.script(text("All done."))
    assert finish() == ("stop", "done")
    fake.script(text("Half an ans", stop_reason="max_tokens"))
    assert finish() == ("length", "max_tokens")
    fake.script(tool_use("list_files", {}))  # one step allowed: the call is its last
    assert finish() == ("length", "max_steps")


def test_agent_mode_turn_that_fails_is_an_error_response(
    agent_server: RunningServer, fake: AnthropicFake
) -> None:
    client = agent_server.openai()
    too_long = Fault(400, "invalid_request_error", "prompt is too long: 210000 tokens")
    fake.script(too_long)
    with pytest.raises(openai.UnprocessableEntityError) as exc:
        client.chat.completions.create(model="default", messages=HELLO)
    assert "prompt is too long" in exc.value.message
    fake.script(too_long)  # streamed: the error arrives in the stream, not as a reply
    with pytest.raises(openai.APIError, match="prompt is too long"):
        for chunk in client.chat.completions.create(model="default", messages=HELLO, stream=True):
            assert chunk.choices[0].finish_reason is None


@pytest.fixture
def served(fake: AnthropicFake) -> Iterator[RunningServer]:
    """``serve -m anthropic:MODEL``: the backend keeps its SDK's own retries (2)."""
    running = start_server(claude(fake))
    yield running
    running.stop()


def fault(status: int | None, kind: str = "api_error") -> Fault:
    # A short Retry-After keeps the backend's own retries quick.
    return Fault(status, kind, "upstream says no", {"retry-after-ms": "10"})


@pytest.mark.parametrize(
    ("upstream", "openai_status", "anthropic_status", "anthropic_type"),
    [
        (fault(429, "rate_limit_error"), 429, 429, "rate_limit_error"),
        (fault(500), 502, 502, "api_error"),
        (fault(529, "overloaded_error"), 503, 529, "overloaded_error"),
    ],
)
def test_upstream_failures_keep_a_status_clients_retry(
    served: RunningServer,
    fake: AnthropicFake,
    upstream: Fault,
    openai_status: int,
    anthropic_status: int,
    anthropic_type: str,
) -> None:
    fake.responder = lambda body: upstream
    with pytest.raises(openai.APIStatusError) as oa:
        served.openai().chat.completions.create(model="default", messages=HELLO)
    assert oa.value.status_code == openai_status
    assert "upstream says no" in oa.value.message
    assert len(fake.message_requests) == 3  # the backend's retries ran out first
    with pytest.raises(anthropic.APIStatusError) as an:
        served.anthropic().messages.create(model="default", max_tokens=8, messages=HELLO)
    assert an.value.status_code == anthropic_status
    assert an.value.body["error"]["type"] == anthropic_type
    if openai_status == 429:
        assert isinstance(oa.value, openai.RateLimitError)
        assert isinstance(an.value, anthropic.RateLimitError)
        assert oa.value.response.headers["retry-after"] == "1"


@pytest.mark.parametrize("status", [401, 403, 404])
def test_an_upstream_that_refuses_the_server_itself_is_a_bad_gateway(
    served: RunningServer, fake: AnthropicFake, status: int
) -> None:
    fake.responder = lambda body: fault(status, "authentication_error")
    with pytest.raises(openai.APIStatusError) as oa:
        served.openai().chat.completions.create(model="default", messages=HELLO)
    assert oa.value.status_code == 502 and "upstream says no" in oa.value.message
    assert len(fake.message_requests) == 1, "not retried by the backend"


def test_a_stream_that_fails_before_its_first_token_is_an_error_status(
    served: RunningServer, fake: AnthropicFake
) -> None:
    fake.responder = lambda body: fault(429, "rate_limit_error")
    with pytest.raises(openai.RateLimitError):
        served.openai().chat.completions.create(model="default", messages=HELLO, stream=True)
    with (
        pytest.raises(anthropic.RateLimitError),
        served.anthropic().messages.stream(model="default", max_tokens=8, messages=HELLO) as s,
    ):
        s.get_final_message()
    fake.responder = lambda body: text("OK")
    chunks = list(
        served.openai().chat.completions.create(model="default", messages=HELLO, stream=True)
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "OK"


def test_a_lost_upstream_connection_is_a_bad_gateway(
    served: RunningServer, fake: AnthropicFake
) -> None:
    fake.responder = lambda body: Fault(None, mid_stream=False)
    with pytest.raises(openai.InternalServerError) as exc:
        served.openai().chat.completions.create(model="default", messages=HELLO)
    assert exc.value.status_code == 502 and "lost its connection" in exc.value.message


def test_cached_tokens_are_counted_once_and_alike_in_every_reply(
    served: RunningServer, fake: AnthropicFake
) -> None:
    # Anthropic counts 10 uncached prompt tokens, 30 read from and 5 written to its cache.
    fake.responder = lambda body: text(
        "OK", input_tokens=10, cache_read_input_tokens=30, cache_creation_input_tokens=5
    )
    usage = served.openai().chat.completions.create(model="default", messages=HELLO).usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.prompt_tokens_details.cached_tokens) == (45, 30)
    client = served.anthropic()
    body = client.messages.create(model="default", max_tokens=8, messages=HELLO).usage
    with client.messages.stream(model="default", max_tokens=8, messages=HELLO) as stream:
        streamed = stream.get_final_message().usage
    for u in (body, streamed):
        assert (u.input_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens) == (
            10,
            30,
            5,
        )
