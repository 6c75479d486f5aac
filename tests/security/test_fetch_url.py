"""Attack 9: fetch_url as a way into the host's network (loopback, metadata, LAN, redirects)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.agent.approval import ApprovalReply, ApprovalRequest, Approver, Decision
from assistant.llm.base import ToolCall
from assistant.tools.base import ToolContext
from assistant.tools.fetch import ALLOW_PRIVATE_ENV, fetch_url, is_public

hits: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a) -> None:
        pass

    def do_GET(self) -> None:
        hits.append(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if self.path.startswith("/away"):
                target = self.path.split("to=", 1)[1]
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
                return
            body = b"internal admin page"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def local() -> Iterator[int]:
    """A service on the host's loopback, as the sandbox must never reach it."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def ctx(repo: Path, monkeypatch: pytest.MonkeyPatch) -> ToolContext:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    hits.clear()
    return ToolContext(workspace=repo)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "2130706433", "[::ffff:127.0.0.1]", "127.1"],
)
async def test_loopback_is_refused_in_every_spelling(
    ctx: ToolContext, local: int, host: str
) -> None:
    r = await fetch_url.run({"url": f"http://{host}:{local}/admin"}, ctx)
    assert r.is_error and "non-public address" in r.output, r.output
    assert hits == []


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "100.64.0.1",
        "fd00::1",
        "fe80::1",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254: a DNS64 network translates it
        "64:ff9b:1::a00:1",  # local-use NAT64 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    ],
)
def test_metadata_and_private_ranges_are_not_public(address: str) -> None:
    assert not is_public(address)


def test_public_addresses_are_public() -> None:
    assert is_public("93.184.216.34") and is_public("2606:4700::1111")
    assert is_public("64:ff9b::5db8:d822")  # NAT64 of 93.184.216.34


async def test_user_may_allow_private_addresses(
    ctx: ToolContext, local: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    r = await fetch_url.run({"url": f"http://localhost:{local}/admin"}, ctx)
    assert not r.is_error and "internal admin page" in r.output
    assert r.meta["address"] in ("127.0.0.1", "::1")  # the address actually connected to


async def test_redirects_to_another_origin_are_not_followed(
    ctx: ToolContext, local: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    for target in (f"http://localhost:{local}/admin", "http://169.254.169.254/latest/meta-data/"):
        hits.clear()
        r = await fetch_url.run({"url": f"http://127.0.0.1:{local}/away?to={target}"}, ctx)
        assert not r.is_error and "not followed" in r.output and target in r.output
        assert hits == [f"/away?to={target}"]  # only the approved URL was requested
    r = await fetch_url.run({"url": f"http://127.0.0.1:{local}/away?to=/admin"}, ctx)
    assert "internal admin page" in r.output  # same origin: followed


async def test_userinfo_urls_are_refused(ctx: ToolContext) -> None:
    url = "https://docs.python.org" + "x" * 500 + "@127.0.0.1/"
    r = await fetch_url.run({"url": url}, ctx)
    assert r.is_error and "user@" in r.output


async def test_approval_names_scheme_and_host_first(repo: Path) -> None:
    seen: list[ApprovalRequest] = []

    async def deny(req: ApprovalRequest) -> ApprovalReply:
        seen.append(req)
        return ApprovalReply(Decision.DENY)

    url = "https://example.org/" + "a" * 600
    call = ToolCall(id="1", name="fetch_url", arguments={"url": url})
    await Approver("ask", ask=deny).check(call, fetch_url, ToolContext(workspace=repo))
    assert seen[0].why.startswith("fetches https://example.org:443 from your machine")
