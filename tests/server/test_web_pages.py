"""A web page the user visits cannot drive the server: not by a cross-site "simple"
POST, not through DNS rebinding, not from a foreign Origin; the SDKs still work. With an
API key, the key alone decides (a page cannot send it), so proxies and container names work.

The model behind the real server is the Anthropic fake, so every request that reached
the model (or the agent's first step) is in ``fake.message_requests``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from assistant.config import Settings
from assistant.llm.anthropic import AnthropicModel
from assistant.server.agent_mode import AgentRunner
from assistant.server.hosts import host_allowed, origin_allowed
from tests.fakes.anthropic_server import AnthropicFake, anthropic_fake, text
from tests.server.conftest import API_KEY, RunningServer, start_server

HELLO = [{"role": "user", "content": "List the files here."}]
CHAT = json.dumps({"model": "default", "messages": HELLO}).encode()
MESSAGE = json.dumps({"model": "default", "max_tokens": 8, "messages": HELLO}).encode()
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


@pytest.fixture
def agent_server(fake: AnthropicFake, workspace: Path) -> Iterator[RunningServer]:
    """``serve --agent`` with its defaults: 127.0.0.1, no API key."""
    model = AnthropicModel("claude-haiku-4-5", api_key="k", base_url=fake.base_url, max_retries=0)
    running = start_server(
        model, host="bound.lan", allowed_hosts=["assistant.lan"], cors_origins=["http://ui.lan"]
    )
    settings = Settings.model_validate(
        {"approval": {"mode": "ask"}, "sandbox": {"kind": "host"}, "limits": {"max_steps": 1}}
    )
    running.state.agent = AgentRunner(running.state.engine, settings, workspace)
    yield running
    running.stop()


@pytest.fixture
def served(fake: AnthropicFake) -> Iterator[RunningServer]:
    """``serve`` without ``--agent``, for the Messages API."""
    running = start_server(AnthropicModel("claude-haiku-4-5", api_key="k", base_url=fake.base_url))
    yield running
    running.stop()


@pytest.fixture
def keyed_server(fake: AnthropicFake) -> Iterator[RunningServer]:
    """``serve --api-key`` reached as a container or proxy would: under its own name."""
    model = AnthropicModel("claude-haiku-4-5", api_key="k", base_url=fake.base_url, max_retries=0)
    running = start_server(model, host="0.0.0.0", api_key=API_KEY)
    yield running
    running.stop()


def _refused(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    message = body["error"]["message"]
    assert all(w in message for w in words), message
    return body["error"]["type"]


def test_a_body_not_sent_as_json_is_refused_and_the_agent_never_runs(
    agent_server: RunningServer, served: RunningServer, fake: AnthropicFake
) -> None:
    chat = agent_server.url + "/v1/chat/completions"
    for content_type in ("text/plain;charset=UTF-8", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        err = _refused(httpx.post(chat, content=CHAT, headers=headers), 415, "application/json")
        assert err == "invalid_request_error"
    messages = httpx.post(served.url + "/v1/messages", content=MESSAGE, headers={})
    assert messages.json()["type"] == "error"  # the Messages API's own shape
    _refused(messages, 415, "Content-Type: application/json")
    assert fake.message_requests == []

    fake.script(text("Done."))  # the same body sent as JSON (with a charset) does reach it
    typed = {"Content-Type": "application/json; charset=utf-8"}
    assert httpx.post(chat, content=CHAT, headers=typed, timeout=30).status_code == 200
    assert len(fake.message_requests) == 1


def test_a_name_nobody_allowed_in_host_is_refused(
    agent_server: RunningServer, fake: AnthropicFake
) -> None:
    port = agent_server.port
    for path in ("/v1/chat/completions", "/v1/models", "/health"):
        rebound = {**JSON, "Host": f"rebind.evil.example:{port}"}
        response = httpx.request(
            "POST" if path.startswith("/v1/chat") else "GET",
            agent_server.url + path,
            content=CHAT,
            headers=rebound,
        )
        _refused(response, 403, "'rebind.evil.example'", "--allowed-host rebind.evil.example")
    tricked = {"Host": f"evil.example@127.0.0.1:{port}"}
    assert httpx.get(agent_server.url + "/health", headers=tricked).status_code == 403
    assert fake.message_requests == []

    for host in (
        "localhost",
        "127.0.0.1",
        "[::1]",
        "10.1.2.3",
        "assistant.lan",
        "bound.lan",
        "LOCALHOST.",
    ):
        ok = httpx.get(agent_server.url + "/health", headers={"Host": f"{host}:{port}"})
        assert ok.status_code == 200, host


def test_a_web_page_of_another_origin_is_refused(
    agent_server: RunningServer, fake: AnthropicFake
) -> None:
    chat = agent_server.url + "/v1/chat/completions"
    port = agent_server.port
    for origin in ("http://evil.example", "null", f"http://localhost:{port + 1}", "file://"):
        response = httpx.post(chat, content=CHAT, headers={**JSON, "Origin": origin})
        _refused(response, 403, repr(origin), f"--cors-origin {origin}")
    assert fake.message_requests == []

    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}", "http://ui.lan"):
        fake.script(text("Done."))
        response = httpx.post(chat, content=CHAT, headers={**JSON, "Origin": origin}, timeout=30)
        assert response.status_code == 200, origin


def test_a_page_of_the_servers_own_origin_is_served(
    agent_server: RunningServer, fake: AnthropicFake
) -> None:
    """A page served under the name the request was sent to (a LAN address, a proxy's
    name) is not cross-site, whatever its port."""
    chat = agent_server.url + "/v1/chat/completions"
    for host, origin in (
        ("192.168.1.5:8000", "http://192.168.1.5:8000"),
        ("assistant.lan", "https://assistant.lan"),  # a TLS proxy forwarding the Host
        ("Assistant.LAN:8443", "https://assistant.lan:8443"),
    ):
        fake.script(text("Done."))
        headers = {**JSON, "Host": host, "Origin": origin}
        assert httpx.post(chat, content=CHAT, headers=headers, timeout=30).status_code == 200
    for host, origin in (
        ("192.168.1.5:8000", "http://192.168.1.5:8001"),
        ("assistant.lan", "http://assistant.lan:8000"),
        ("assistant.lan:8000", "http://bound.lan:8000"),
    ):
        headers = {**JSON, "Host": host, "Origin": origin}
        _refused(httpx.post(chat, content=CHAT, headers=headers), 403, repr(origin))
    # A rebound name is its own page's origin too, but the Host check comes first.
    port = agent_server.port
    rebound = {**JSON, "Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    _refused(httpx.post(chat, content=CHAT, headers=rebound), 403, "'evil.example'")
    assert len(fake.message_requests) == 3


def test_with_an_api_key_the_key_decides_not_the_host_or_origin(
    keyed_server: RunningServer, fake: AnthropicFake
) -> None:
    """docker-compose's ``http://assistant:8000``, a LAN name, a proxy forwarding the
    Host: with the key they are served; without it the key check refuses them."""
    chat = keyed_server.url + "/v1/chat/completions"
    key = {"Authorization": f"Bearer {API_KEY}"}
    for foreign in ({"Host": "assistant:8000"}, {"Origin": "http://evil.example"}):
        headers = {**JSON, **foreign}
        fake.script(text("Done."))
        served = httpx.post(chat, content=CHAT, headers={**headers, **key}, timeout=30)
        assert served.status_code == 200, foreign
        assert served.json()["choices"][0]["message"]["content"] == "Done."
        _refused(httpx.post(chat, content=CHAT, headers=headers), 401, "API key")
        models = httpx.get(keyed_server.url + "/v1/models", headers={**foreign, **key})
        assert models.status_code == 200, foreign
    assert len(fake.message_requests) == 2

    plain = {**key, "Host": "assistant:8000", "Content-Type": "text/plain"}
    _refused(httpx.post(chat, content=CHAT, headers=plain), 415, "application/json")
    assert len(fake.message_requests) == 2


def test_the_official_sdks_still_work(
    agent_server: RunningServer, served: RunningServer, fake: AnthropicFake
) -> None:
    fake.script(text("Here they are."))
    reply = agent_server.openai().chat.completions.create(model="default", messages=HELLO)
    assert reply.choices[0].message.content == "Here they are."
    fake.script(text("Hello."))
    message = served.anthropic().messages.create(model="default", max_tokens=8, messages=HELLO)
    assert message.content[0].text == "Hello."
    with pytest.raises(openai.PermissionDeniedError):  # and they see a refusal as their own
        agent_server.openai(default_headers={"Origin": "http://evil.example"}).models.list()


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("[::1]", True),
        ("192.168.1.5", True),
        ("bound.name:8000", True),
        ("Bound.Name", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.evil.example:8000", False),
        ("localhost:notaport", False),
        ("localhost/x", False),
        ("", False),
    ],
)
def test_host_header_rules(header: str, allowed: bool) -> None:
    assert host_allowed(header, {"bound.name"}) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://[::1]:8000", True),
        ("https://localhost:8000", True),
        ("http://localhost", False),  # port 80, not this server's
        ("http://127.0.0.1:8001", False),
        ("http://evil.example:8000", False),
        ("chrome-extension://abc", False),
        ("http://editor.example", True),  # listed with --cors-origin
    ],
)
def test_origin_rules(origin: str, allowed: bool) -> None:
    assert origin_allowed(origin, 8000, {"http://editor.example"}) is allowed


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://192.168.1.5:8000", "192.168.1.5:8000", True),
        ("http://assistant.lan", "assistant.lan", True),
        ("https://assistant.lan", "assistant.lan", True),
        ("https://assistant.lan:443", "Assistant.Lan", True),
        ("http://[fd00::1]:9000", "[fd00::1]:9000", True),
        ("http://assistant.lan", "assistant.lan:8000", False),
        ("http://assistant.lan:8000", "assistant.lan", False),
        ("http://other.lan:8000", "assistant.lan:8000", False),
        ("ftp://assistant.lan", "assistant.lan", False),
        ("null", "assistant.lan", False),
        ("http://assistant.lan", "assistant.lan:notaport", False),
    ],
)
def test_an_origin_equal_to_the_host_is_same_origin(origin: str, host: str, allowed: bool) -> None:
    assert origin_allowed(origin, 8000, set(), host) is allowed


def test_agent_on_a_network_address_needs_an_api_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_SERVE_API_KEY"}
    env["ASSISTANT_CONFIG"] = str(tmp_path / "no-config.toml")
    serve = [sys.executable, "-m", "assistant.cli", "serve", "--agent", "--port", "0"]
    result = subprocess.run(
        [*serve, "--host", "0.0.0.0", "-C", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "--agent on 0.0.0.0 without an API key" in result.stderr
    assert "--api-key" in result.stderr
