"""A real server on 127.0.0.1 (uvicorn in a thread) over the real default model."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import openai
import pytest
import uvicorn

from assistant.server.app import create_app
from assistant.server.cli import bind
from assistant.server.engine import Engine
from assistant.server.state import ServerConfig, ServerState

API_KEY = "test-key-123"


class RunningServer:
    """``create_app(state)`` served by uvicorn on a free port, in a daemon thread."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.sock = bind("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(state), log_level="warning", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()

    def openai(self, api_key: str = API_KEY, **kw) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=api_key, max_retries=0, **kw)

    def async_openai(self, api_key: str = API_KEY, **kw) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(base_url=f"{self.url}/v1", api_key=api_key, max_retries=0, **kw)

    def anthropic(self, api_key: str = API_KEY, **kw) -> anthropic.Anthropic:
        return anthropic.Anthropic(base_url=self.url, api_key=api_key, max_retries=0, **kw)


def start_server(model, **config) -> RunningServer:
    max_waiting = config.pop("max_waiting", 64)
    state = ServerState(Engine(model, max_waiting=max_waiting), ServerConfig(**config))
    return RunningServer(state).start()


@pytest.fixture(scope="session")
def server(local_model) -> Iterator[RunningServer]:
    """The shared server: API key on, small limits so the limit errors are cheap to hit."""
    running = start_server(
        local_model,
        api_key=API_KEY,
        max_tokens_limit=512,
        default_max_tokens=32,
        max_request_bytes=64 * 1024,
    )
    yield running
    running.stop()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws
