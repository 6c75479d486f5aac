"""fetch_url converts a large HTML page off the event loop: the UI and Ctrl-C stay live."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.fetch import fetch_url

PAGE = (
    "<html><body>"
    + "".join(f'<p>para {i} <a href="/x{i}">link</a> <b>bold</b></p>' for i in range(12000))
    + "</body></html>"
).encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@pytest.fixture
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


async def test_the_loop_keeps_running_while_a_big_page_converts(
    server: str, ctx: ToolContext
) -> None:
    ctx.settings["fetch_allow_private"] = True  # the test server is on 127.0.0.1
    ticks = [0]

    async def tick() -> None:
        while True:
            await asyncio.sleep(0.01)
            ticks[0] += 1

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    r = await fetch_url.run({"url": f"{server}/page", "max_bytes": 2_000_000}, ctx)
    took = time.monotonic() - started
    ticker.cancel()
    assert not r.is_error and "para 11999" not in r.output  # cut at MAX_TEXT_CHARS
    assert "para 1 [link]" in r.output and "**bold**" in r.output
    assert took > 0.2, f"the page converted in {took:.2f} s; too fast to tell"
    # Blocked by the conversion, the loop would tick only while the page downloads.
    assert ticks[0] >= 0.25 * took / 0.01, f"{ticks[0]} ticks in {took:.2f} s"
