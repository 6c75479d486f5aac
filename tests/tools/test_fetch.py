"""fetch_url against a real http.server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.fetch import fetch_url

HTML = b"""<!doctype html><html><head><title>T</title><style>p{color:red}</style></head>
<body><h1>Install guide</h1><p>Run <code>pip install demo</code> then
<a href="/next">read more</a>.</p><ul><li>alpha</li><li>beta</li></ul>
<script>var hidden = 1;</script></body></html>"""

LINKS = b"""<html><body><p><a href="/next">root</a> <a href="step2.html">sibling</a>
<a href="../up.html">parent</a> <a href="https://e.com/a?b=1">absolute</a>
<a href="//cdn.e.com/lib.js">scheme-relative</a></p></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a) -> None:  # keep test output quiet
        pass

    def _send(self, code: int, ctype: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self) -> None:
        if self.path == "/page":
            self._send(200, "text/html; charset=utf-8", HTML)
        elif self.path == "/docs/guide/start.html":
            self._send(200, "text/html; charset=utf-8", LINKS)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/docs/guide/start.html")
            self.end_headers()
        elif self.path == "/plain":
            self._send(200, "text/plain; charset=utf-8", "plain text ✓\nline 2\n".encode())
        elif self.path == "/json":
            self._send(200, "application/json", b'{"a": 1}')
        elif self.path == "/latin":
            self._send(200, "text/plain; charset=iso-8859-1", "caf\xe9".encode("latin-1"))
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(400):  # 400 * 16 KB = 6.4 MB, no Content-Length
                self.wfile.write(b"x" * 16383 + b"\n")
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(60):  # a slow drip: each read is quick, the whole is not
                self.wfile.write(b"tick\n")
                self.wfile.flush()
                time.sleep(0.25)
        elif self.path == "/hang":
            time.sleep(10)
            self._send(200, "text/plain", b"late")
        elif self.path == "/image":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/plain")
            self.end_headers()
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


async def fetch(ctx: ToolContext, **args):
    ctx.settings["fetch_allow_private"] = True  # the test server is on 127.0.0.1
    return await fetch_url.run(args, ctx)


async def test_html_becomes_text(server: str, ctx: ToolContext) -> None:
    r = await fetch(ctx, url=f"{server}/page")
    assert not r.is_error, r.output
    assert "# Install guide" in r.output
    assert "`pip install demo`" in r.output
    assert "alpha" in r.output and "beta" in r.output
    assert "<p>" not in r.output and "var hidden" not in r.output and "color:red" not in r.output
    assert r.meta["content_type"] == "text/html"


async def test_links_resolve_against_the_final_page_url(server: str, ctx: ToolContext) -> None:
    r = await fetch(ctx, url=f"{server}/moved")  # redirected: links are relative to the target
    assert not r.is_error, r.output
    assert f"[root]({server}/next)" in r.output
    assert f"[sibling]({server}/docs/guide/step2.html)" in r.output
    assert f"[parent]({server}/docs/up.html)" in r.output
    assert "[absolute](https://e.com/a?b=1)" in r.output
    assert "[scheme-relative](http://cdn.e.com/lib.js)" in r.output
    assert "<" not in r.output.split("\n\n", 1)[1]


async def test_text_types_returned_as_is(server: str, ctx: ToolContext) -> None:
    r = await fetch(ctx, url=f"{server}/plain")
    assert r.output.endswith("plain text ✓\nline 2\n") and "(200, text/plain)" in r.output
    assert (await fetch(ctx, url=f"{server}/json")).output.endswith('{"a": 1}')
    assert (await fetch(ctx, url=f"{server}/latin")).output.endswith("café")
    r = await fetch(ctx, url=f"{server}/redirect")
    assert r.output.startswith(f"{server}/plain (200")


async def test_big_body_capped(server: str, ctx: ToolContext) -> None:
    r = await fetch(ctx, url=f"{server}/big", max_bytes=100_000)
    assert not r.is_error
    assert r.meta["bytes"] == 100_000 and r.meta["truncated"]
    assert "[download stopped at 100000 bytes]" in r.output
    assert "[text cut at 40000 characters]" in r.output


@pytest.mark.parametrize("path", ["/slow", "/hang"])
async def test_timeout(server: str, ctx: ToolContext, path: str) -> None:
    t0 = time.monotonic()
    r = await fetch(ctx, url=f"{server}{path}", timeout=2)
    elapsed = time.monotonic() - t0
    assert r.is_error and "timed out after 2s" in r.output
    assert elapsed < 5


async def test_errors(server: str, ctx: ToolContext) -> None:
    r = await fetch(ctx, url=f"{server}/missing")
    assert r.is_error and "HTTP 404" in r.output
    r = await fetch(ctx, url=f"{server}/image")
    assert r.is_error and "image/png" in r.output and "not text" in r.output
    for bad in (
        "file:///etc/passwd",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "no-scheme.com",
    ):
        r = await fetch(ctx, url=bad)
        assert r.is_error and "only http:// and https://" in r.output
    r = await fetch(ctx, url="http://127.0.0.1:1/")  # nothing listens on port 1
    assert r.is_error and "failed" in r.output


def test_approval_metadata() -> None:
    assert (
        fetch_url.host_network
        and fetch_url.subject({"url": "https://x.test/a"}) == "https://x.test/a"
    )
