"""OpenAIModel against a real OpenAI-compatible server: llama-cpp-python's own server.

The server runs the default GGUF model in a subprocess for this module. Its
output is not what a cloud model would say, but the wire protocol is the real
one, spoken to the official ``openai`` SDK.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openai
import pytest

from assistant.llm.base import (
    CancelToken,
    Completion,
    Message,
    MissingAPIKeyError,
    TextDelta,
    ToolCall,
    complete,
)
from assistant.llm.errors import ProviderHTTPError
from assistant.llm.openai import (
    OpenAIModel,
    _merge_call_delta,
    completion_from_openai_response,
    context_length_for,
    to_openai_messages,
    to_openai_request,
)

READ_FILE = {
    "type": "function",
    "function": {
        "name": "read_file",
        "description": "Read a text file from the workspace.",
        "parameters": {
            "type": "object",
            "properties": {"path": {"type": "string", "description": "File path."}},
            "required": ["path"],
        },
    },
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(
    default_model_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``python -m llama_cpp.server`` on the default model; yields its ``/v1`` base URL."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(default_model_path),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
                "--n_threads",
                "1",  # the model is tiny; more threads spin against each other on a busy CI box
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def no_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


# --------------------------------------------------------------------------- real server


@pytest.mark.slow
async def test_streams_text_from_a_compatible_server(
    llama_server: str, no_openai_env: None
) -> None:
    model = OpenAIModel("smollm2", base_url=llama_server, max_retries=0)  # no key needed
    items = [
        item
        async for item in model.stream(
            [Message.system("You are helpful."), Message.user("Say hello to Ada.")],
            temperature=0.0,
            max_tokens=16,
        )
    ]
    deltas = [i for i in items if isinstance(i, TextDelta)]
    assert deltas, "expected streamed text"
    assert isinstance(items[-1], Completion)
    assert sum(isinstance(i, Completion) for i in items) == 1
    done = items[-1]
    assert done.message.content == "".join(d.text for d in deltas)
    assert done.message.content.strip()
    assert done.finish_reason in ("stop", "length")
    assert done.usage.input_tokens > 5
    assert done.usage.output_tokens > 0
    assert done.usage.cost_usd == 0.0  # not a priced model


@pytest.mark.slow
async def test_native_tool_call_round_trip(llama_server: str, no_openai_env: None) -> None:
    """A named tool_choice makes llama.cpp constrain output to the schema and return tool_calls."""
    model = OpenAIModel("smollm2", base_url=llama_server, max_retries=0)
    messages = [Message.user("Show me the contents of README.md")]
    first = await complete(
        model, messages, tools=[READ_FILE], tool_choice="read_file", max_tokens=48, temperature=0.0
    )
    assert first.finish_reason == "tool_calls"
    (call,) = first.message.tool_calls
    assert call.name == "read_file"
    assert isinstance(call.arguments.get("path"), str)
    assert call.id

    messages += [first.message, Message.tool(call, "# Demo\nA tiny project.")]
    second = await complete(
        model, messages, tools=[READ_FILE], tool_choice="none", max_tokens=8, temperature=0.0
    )
    assert second.message.tool_calls == []
    assert second.usage.input_tokens > first.usage.input_tokens  # the history went through


@pytest.mark.slow
@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_create_without_streaming_from_a_compatible_server(
    llama_server: str, no_openai_env: None, transport: str
) -> None:
    """``create`` (distill's path) gets one JSON reply: text, or a native tool call."""
    http_client = openai.DefaultAioHttpClient() if transport == "aiohttp" else None
    model = OpenAIModel("smollm2", base_url=llama_server, max_retries=0, http_client=http_client)
    try:
        done = await model.create(
            [Message.system("You are helpful."), Message.user("Say hello to Ada.")],
            temperature=0.0,
            max_tokens=16,
        )
        assert isinstance(done, Completion)
        assert done.message.content.strip() and done.message.tool_calls == []
        assert done.finish_reason in ("stop", "length")
        assert done.usage.input_tokens > 5 and done.usage.output_tokens > 0

        called = await model.create(
            [Message.user("Show me the contents of README.md")],
            [READ_FILE],
            tool_choice="read_file",
            max_tokens=48,
            temperature=0.0,
        )
        assert called.finish_reason == "tool_calls"
        (call,) = called.message.tool_calls
        assert call.name == "read_file" and isinstance(call.arguments.get("path"), str)
    finally:
        await model.client.close()


# --------------------------------------------------------------------------- errors


async def test_unreachable_server_is_a_dropped_connection(no_openai_env: None) -> None:
    model = OpenAIModel(
        "gpt-4o",
        api_key="k",
        base_url=f"http://127.0.0.1:{free_port()}/v1",
        max_retries=0,
        timeout=5,
    )
    with pytest.raises(ProviderHTTPError) as info:
        await complete(model, [Message.user("hi")])
    assert info.value.status_code is None
    assert info.value.provider == "openai"
    assert info.value.retryable
    assert "OpenAI API" in str(info.value)


async def test_http_error_status_is_kept(no_openai_env: None) -> None:
    """A server that has no chat endpoint answers 404: not retryable, status kept."""
    try:
        from tests.fakes.anthropic_server import anthropic_fake
    except ImportError:  # pragma: no cover
        from fakes.anthropic_server import anthropic_fake  # type: ignore[no-redef]
    with anthropic_fake() as fake:
        model = OpenAIModel("gpt-4o", api_key="k", base_url=fake.base_url + "/v1", max_retries=0)
        with pytest.raises(ProviderHTTPError) as info:
            await complete(model, [Message.user("hi")])
    assert info.value.status_code == 404
    assert not info.value.retryable
    assert fake.requests[0].path == "/v1/chat/completions"


def test_missing_key_only_matters_without_base_url(no_openai_env: None) -> None:
    with pytest.raises(MissingAPIKeyError, match="OPENAI_API_KEY is not set"):
        OpenAIModel("gpt-4o")
    local = OpenAIModel("qwen", base_url="http://127.0.0.1:9/v1")
    assert local.client.api_key == "not-needed"


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model = OpenAIModel("qwen")
    assert str(model.client.base_url).startswith("http://127.0.0.1:9/v1")


# --------------------------------------------------------------------------- translation


def test_request_translation() -> None:
    call = ToolCall("read_file", {"path": "a.py"}, id="call_1")
    msgs = [
        Message.system("sys"),
        Message.user("hi"),
        Message("assistant", "", tool_calls=[call]),
        Message.tool(call, "print(1)"),
    ]
    body = to_openai_request(
        msgs, [READ_FILE], model="gpt-4o", tool_choice="read_file", temperature=0.3, max_tokens=99
    )
    assert body["tool_choice"] == {"type": "function", "function": {"name": "read_file"}}
    assert body["temperature"] == 0.3 and body["max_tokens"] == 99
    assert body["tools"] == [READ_FILE]
    assistant, tool = body["messages"][2:]
    assert assistant["content"] == ""
    assert assistant["tool_calls"][0]["function"] == {
        "name": "read_file",
        "arguments": '{"path": "a.py"}',
    }
    assert tool == {"role": "tool", "content": "print(1)", "tool_call_id": "call_1"}

    for choice in ("auto", "required", "none"):
        assert (
            to_openai_request(msgs, [READ_FILE], model="gpt-4o", tool_choice=choice)["tool_choice"]
            == choice
        )
    # reasoning models: max_completion_tokens, no temperature
    body = to_openai_request(msgs, model="o3-mini", temperature=0.3, max_tokens=50)
    assert body["max_completion_tokens"] == 50
    assert "temperature" not in body and "max_tokens" not in body and "tools" not in body
    assert to_openai_messages([Message.user("x")]) == [{"role": "user", "content": "x"}]


def test_response_parsing_usage_and_cost() -> None:
    response = {
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_x",
                            "type": "function",
                            "function": {"name": "read_file", "arguments": '{"path": "b"}'},
                        },
                        {
                            "id": "call_y",
                            "type": "function",
                            "function": {"name": "read_file", "arguments": "{not json"},
                        },
                    ],
                },
            }
        ],
        "usage": {
            "prompt_tokens": 3000,
            "completion_tokens": 200,
            "prompt_tokens_details": {"cached_tokens": 1000},
        },
    }
    done = completion_from_openai_response(response)
    assert done.finish_reason == "tool_calls"
    assert done.message.content == ""
    assert [(c.id, c.arguments) for c in done.message.tool_calls] == [
        ("call_x", {"path": "b"}),
        ("call_y", {"__raw__": "{not json"}),
    ]
    u = done.usage
    assert (u.input_tokens, u.cache_read_tokens, u.output_tokens) == (2000, 1000, 200)
    assert u.cost_usd == pytest.approx((2000 * 0.15 + 1000 * 0.075 + 200 * 0.60) / 1e6)
    batch = completion_from_openai_response(response, batch=True)
    assert batch.usage.cost_usd == pytest.approx(u.cost_usd / 2)
    assert (
        completion_from_openai_response(
            {"choices": [{"finish_reason": "length", "message": {"content": "cut"}}]}
        ).finish_reason
        == "length"
    )


def test_streamed_tool_call_fragments_are_merged() -> None:
    calls: dict = {}
    for delta in [
        {"index": 0, "id": "call_a", "function": {"name": "read_file", "arguments": ""}},
        {"index": 0, "function": {"arguments": '{"pa'}},
        {"index": 1, "id": "call_b", "function": {"name": "search", "arguments": "{}"}},
        {"index": 0, "function": {"name": "read_file", "arguments": 'th": "x"}'}},
    ]:
        _merge_call_delta(calls, delta)
    assert calls[0]["id"] == "call_a"
    assert calls[0]["function"] == {"name": "read_file", "arguments": '{"path": "x"}'}
    assert calls[1]["function"]["name"] == "search"


def test_context_lengths() -> None:
    assert context_length_for("gpt-4o-mini") == 128_000
    assert context_length_for("gpt-4.1-nano") == 1_047_576
    assert context_length_for("gpt-5-mini") == 400_000
    assert context_length_for("o3") == 200_000
    assert context_length_for("some-local-model") == 128_000
    assert (
        OpenAIModel("x", base_url="http://127.0.0.1:9/v1", context_length=2048).context_length
        == 2048
    )


# --------------------------------------------------------------------------- create (no stream)


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with ``self.server.reply`` (bytes) as JSON, and records bodies."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.server.bodies.append(json.loads(body))  # type: ignore[attr-defined]
        self.server.auth.append(self.headers.get("authorization"))  # type: ignore[attr-defined]
        reply: bytes = self.server.reply  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


@pytest.fixture
def canned() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    server.bodies = []  # type: ignore[attr-defined]
    server.auth = []  # type: ignore[attr-defined]
    server.reply = b"{}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


async def test_create_parses_the_reply_and_estimates_missing_usage(
    canned: ThreadingHTTPServer, no_openai_env: None
) -> None:
    canned.reply = json.dumps(
        {  # type: ignore[attr-defined]
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": "gpt-4o",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_9",
                                "type": "function",
                                "function": {"name": "read_file", "arguments": '{"path": "x.md"}'},
                            }
                        ],
                    },
                }
            ],
        }
    ).encode()
    model = OpenAIModel("gpt-4o", api_key="k", base_url=_url(canned), max_retries=0)
    done = await model.create([Message.user("read x.md")], [READ_FILE], temperature=0.5)
    assert done.finish_reason == "tool_calls" and done.message.content == ""
    assert done.message.tool_calls == [ToolCall("read_file", {"path": "x.md"}, "call_9")]
    assert done.usage.input_tokens > 0 and done.usage.output_tokens > 0  # estimated
    (body,) = canned.bodies  # type: ignore[attr-defined]
    assert "stream" not in body and body["temperature"] == 0.5
    assert body["tools"] == [READ_FILE] and body["tool_choice"] == "auto"
    assert canned.auth == ["Bearer k"]  # type: ignore[attr-defined]


async def test_create_rejects_a_reply_that_is_not_a_json_object(
    canned: ThreadingHTTPServer, no_openai_env: None
) -> None:
    canned.reply = b"<html>not an API</html>"  # type: ignore[attr-defined]
    model = OpenAIModel("gpt-4o", api_key="k", base_url=_url(canned), max_retries=0)
    with pytest.raises(ProviderHTTPError, match="check --base-url") as info:
        await model.create([Message.user("hi")])
    assert info.value.status_code == 200 and not info.value.retryable


async def test_create_unreachable_with_aiohttp_is_a_dropped_connection(
    no_openai_env: None,
) -> None:
    model = OpenAIModel(
        "gpt-4o",
        api_key="k",
        base_url=f"http://127.0.0.1:{free_port()}/v1",
        max_retries=0,
        timeout=5,
        http_client=openai.DefaultAioHttpClient(),
    )
    try:
        with pytest.raises(ProviderHTTPError) as info:
            await model.create([Message.user("hi")])
    finally:
        await model.client.close()
    assert info.value.status_code is None and info.value.retryable


async def test_create_reads_calls_a_compatible_server_gets_wrong(
    canned: ThreadingHTTPServer, no_openai_env: None
) -> None:
    """Arguments that are JSON but not an object, and a call without a name, become calls
    the agent's registry rejects with a sentence, not values that crash it."""

    def call(fn: dict) -> dict:
        return {"id": f"call_{len(fn)}_{fn.get('arguments')}", "type": "function", "function": fn}

    canned.reply = json.dumps(  # type: ignore[attr-defined]
        {
            "choices": [
                {
                    "finish_reason": "tool_calls",
                    "message": {
                        "content": None,
                        "tool_calls": [
                            call({"name": "read_file", "arguments": "null"}),
                            call({"name": "read_file", "arguments": "5"}),
                            call({"name": "read_file", "arguments": '["x.md"]'}),
                            call({"arguments": '{"path": "x.md"}'}),
                            call({"name": "list_files", "arguments": None}),
                        ],
                    },
                }
            ],
        }
    ).encode()
    model = OpenAIModel("gpt-4o", api_key="k", base_url=_url(canned), max_retries=0)
    done = await model.create([Message.user("read x.md")], [READ_FILE])
    calls = done.message.tool_calls
    assert [c.arguments for c in calls[:3]] == [
        {"__raw__": "null"},
        {"__raw__": "5"},
        {"__raw__": '["x.md"]'},
    ]
    assert (calls[3].name, calls[3].arguments) == ("", {"path": "x.md"})
    assert (calls[4].name, calls[4].arguments) == ("list_files", {})


class _Stalling(BaseHTTPRequestHandler):
    """Streams one chunk of text, then sends nothing for 10 s (a stalled server)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        chunk = {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "gpt-4o",
            "choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": None}],
        }
        try:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(10)
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


async def test_cancel_does_not_wait_for_a_stalled_stream(no_openai_env: None) -> None:
    """Ctrl-C (or a turn's time limit) stops the call at once, even while the server sends
    nothing (a reasoning model thinking, a stalled connection)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        model = OpenAIModel("gpt-4o", api_key="k", base_url=_url(server), max_retries=0)
        cancel = CancelToken()
        deltas: list[str] = []
        started = time.monotonic()
        async for item in model.stream([Message.user("hi")], cancel=cancel):
            if isinstance(item, TextDelta):
                deltas.append(item.text)
                asyncio.get_running_loop().call_later(0.3, cancel.cancel)
            else:
                done = item
        assert time.monotonic() - started < 3
        assert deltas == ["Hello"]
        assert done.finish_reason == "cancelled" and done.message.content == "Hello"
    finally:
        server.shutdown()
        server.server_close()
