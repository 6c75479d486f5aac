"""Many clients at once, a full queue, and a client that leaves mid-stream."""

from __future__ import annotations

import asyncio
import time

import httpx
import openai
import pytest

from tests.server.conftest import API_KEY, start_server

pytestmark = pytest.mark.slow

PROMPTS = [
    "Name a fruit.",
    "Name a planet.",
    "Say something about the sea.",
    "What is two plus two?",
]
LONG = [{"role": "user", "content": "Count from 1 to 1000, one number per line."}]


async def test_32_concurrent_streams_complete_without_interleaving(server) -> None:
    client = server.async_openai()

    async def ask(prompt: str, stream: bool) -> str:
        opts = dict(
            model="default",
            messages=[{"role": "user", "content": prompt}],
            max_tokens=8,
            temperature=0,
        )
        if not stream:
            reply = await client.chat.completions.create(**opts)
            return reply.choices[0].message.content
        chunks = await client.chat.completions.create(**opts, stream=True)
        return "".join([c.choices[0].delta.content or "" async for c in chunks if c.choices])

    expected = [await ask(p, stream=False) for p in PROMPTS]
    started = time.monotonic()
    got = await asyncio.gather(*(ask(PROMPTS[i % 4], stream=True) for i in range(32)))
    assert time.monotonic() - started < 300
    for i, text in enumerate(got):
        assert text == expected[i % 4], f"client {i} got {text!r}"


def _until_content(stream) -> None:
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            return
    raise AssertionError("the stream ended before any text")


def _health(url: str) -> dict:
    return httpx.get(url + "/health", headers={"x-api-key": API_KEY}).json()["queue"]


def test_disconnect_cancels_generation_and_a_full_queue_says_429(local_model) -> None:
    busy = start_server(local_model, max_waiting=0, max_tokens_limit=4096)
    try:
        client = busy.openai(api_key="unused")
        stream = client.chat.completions.create(
            model="default", messages=LONG, max_tokens=4000, temperature=0, stream=True
        )
        _until_content(stream)  # generation is under way; the model is taken
        assert _health(busy.url)["running"] == 1
        with pytest.raises(openai.RateLimitError) as exc:
            client.chat.completions.create(model="default", messages=LONG, max_tokens=4)
        assert exc.value.code == "queue_full"
        with pytest.raises(httpx.HTTPStatusError) as exc2:
            r = httpx.post(
                busy.url + "/v1/messages",
                json={"model": "default", "max_tokens": 4, "messages": LONG, "stream": True},
            )
            r.raise_for_status()
        assert exc2.value.response.json()["error"]["type"] == "rate_limit_error"

        stream.close()  # the client leaves mid-stream
        deadline = time.monotonic() + 5
        while _health(busy.url)["running"] and time.monotonic() < deadline:
            time.sleep(0.05)
        queue = _health(busy.url)
        assert queue["running"] == 0 and queue["cancelled"] == 1
        reply = client.chat.completions.create(model="default", messages=LONG, max_tokens=4)
        assert reply.choices[0].message.content  # the next request is served at once
    finally:
        busy.stop()


def test_disconnect_while_waiting_leaves_the_queue(local_model) -> None:
    busy = start_server(local_model, max_waiting=4, max_tokens_limit=4096)
    try:
        client = busy.openai(api_key="unused")
        holder = client.chat.completions.create(
            model="default", messages=LONG, max_tokens=4000, temperature=0, stream=True
        )
        _until_content(holder)
        waiting_client = busy.openai(api_key="unused", timeout=0.5)
        with pytest.raises(openai.APITimeoutError):  # non-streaming, gives up while queued
            waiting_client.chat.completions.create(model="default", messages=LONG, max_tokens=4)
        deadline = time.monotonic() + 3
        while _health(busy.url)["waiting"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _health(busy.url)["waiting"] == 0
        holder.close()
    finally:
        busy.stop()
