"""A local HTTP server that speaks Anthropic's Messages API, standing in for the cloud.

It is the project's only mock: a real server on 127.0.0.1 that the official
``anthropic`` SDK talks to through ``base_url``, so the SDK's own request
building, SSE parsing, retries and batch helpers all run for real.

What it speaks:

* ``POST /v1/messages``, plain JSON and streaming SSE (``message_start``,
  ``content_block_start``/``delta``/``stop`` for text and ``tool_use`` with
  ``input_json_delta``, ``message_delta`` with usage, ``message_stop``);
* ``POST /v1/messages/count_tokens`` (estimate: 4 characters a token);
* the Message Batches API: ``POST /v1/messages/batches``, ``GET`` one or all,
  ``POST .../{id}/cancel`` and the JSONL ``results_url``.

What it says is scripted. Queue replies and faults with :meth:`AnthropicFake.script`;
each ``/v1/messages`` request (and each request inside a batch) takes the next
item; when the queue is empty, ``fake.responder(body)`` decides, and by default
the reply is the text ``"OK"``.

Example::

    from tests.fakes.anthropic_server import anthropic_fake, text, tool_use, rate_limited

    with anthropic_fake() as fake:
        fake.script(rate_limited(retry_after=0.1), tool_use("read_file", {"path": "a.py"}))
        client = anthropic.Anthropic(api_key="test", base_url=fake.base_url)
        ...
        assert fake.message_requests[-1].body["tools"][0]["name"] == "read_file"

Every request received is kept in ``fake.requests`` (method, path, headers, JSON body).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.server import LocalHTTPServer

# --------------------------------------------------------------------------- script items


@dataclass
class Reply:
    """One canned assistant message: Anthropic content blocks plus usage."""

    content: list[dict[str, Any]]
    stop_reason: str | None = None
    """Defaults to ``tool_use`` when there is a tool_use block, else ``end_turn``."""
    input_tokens: int | None = None
    """Defaults to an estimate from the request (4 characters a token)."""
    output_tokens: int | None = None
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    chunk_delay: float = 0.0
    """Seconds to sleep between streamed events (to test cancellation)."""


@dataclass
class Fault:
    """A scripted failure.

    ``status=None`` drops the connection: before any response when
    ``mid_stream`` is false, otherwise after ``message_start`` and some text of
    a streamed reply. With a status and ``mid_stream``, a streamed request gets
    a 200 and then an SSE ``error`` event (as the real API does when it
    overloads mid-response).
    """

    status: int | None
    error_type: str = "api_error"
    message: str = "Internal server error"
    headers: dict[str, str] = field(default_factory=dict)
    mid_stream: bool = False


ScriptItem = Reply | Fault


def text(value: str, **kw: Any) -> Reply:
    """A plain text reply."""
    return Reply([{"type": "text", "text": value}], **kw)


def tool_use(
    name: str,
    arguments: dict[str, Any],
    *,
    id: str | None = None,
    text: str | None = None,
    more: list[tuple[str, dict[str, Any]]] | None = None,
    **kw: Any,
) -> Reply:
    """A reply calling tool ``name`` (after optional ``text``; ``more`` adds further calls)."""
    blocks: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    calls = [(name, arguments), *(more or [])]
    for i, (n, args) in enumerate(calls):
        call_id = id if (id and i == 0) else f"toolu_fake_{next(_ids)}"
        blocks.append({"type": "tool_use", "id": call_id, "name": n, "input": args})
    return Reply(blocks, **kw)


def rate_limited(retry_after: float | None = 1.0, *, ms: bool = False) -> Fault:
    """HTTP 429 ``rate_limit_error`` with a ``retry-after`` (or ``retry-after-ms``) header."""
    headers = {}
    if retry_after is not None:
        headers = (
            {"retry-after-ms": str(int(retry_after * 1000))}
            if ms
            else {"retry-after": f"{retry_after:g}"}
        )
    return Fault(
        429, "rate_limit_error", "Number of requests has exceeded your rate limit", headers
    )


def overloaded(*, mid_stream: bool = False) -> Fault:
    """HTTP 529 ``overloaded_error`` (or that error as an SSE event inside a 200 stream)."""
    return Fault(529, "overloaded_error", "Overloaded", mid_stream=mid_stream)


def server_error() -> Fault:
    """HTTP 500 ``api_error``."""
    return Fault(500, "api_error", "Internal server error")


def dropped(*, mid_stream: bool = True) -> Fault:
    """Close the socket: mid-response for streams (default), or before any response."""
    return Fault(None, mid_stream=mid_stream)


_ids = itertools.count(1)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


# --------------------------------------------------------------------------- the fake


class AnthropicFake(LocalHTTPServer):
    """The server's state: script, recorded requests, batches. Use :func:`anthropic_fake`."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.responder: Callable[[dict[str, Any]], ScriptItem] = lambda body: text("OK")
        self.batch_polls_to_end = 1
        """A batch reports ``in_progress`` until it has been retrieved this many times."""
        self.batches: dict[str, dict[str, Any]] = {}
        self._queue: deque[ScriptItem] = deque()
        self._lock = threading.Lock()
        super().__init__()

    # -- scripting and inspection

    def script(self, *items: ScriptItem) -> AnthropicFake:
        """Queue replies/faults; each message request (or batch entry) takes the next."""
        with self._lock:
            self._queue.extend(items)
        return self

    @property
    def pending(self) -> int:
        """Script items not used yet."""
        return len(self._queue)

    @property
    def message_requests(self) -> list[RecordedRequest]:
        """The ``POST /v1/messages`` requests, oldest first."""
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/messages"]

    def next_item(self, body: dict[str, Any]) -> ScriptItem:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self.responder(body)

    # -- lifecycle

    @property
    def base_url(self) -> str:
        return self.origin

    # -- batches

    def create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        batch_id = f"msgbatch_fake_{next(_ids)}"
        results = []
        for entry in body.get("requests", []):
            params = entry.get("params", {})
            item = self.next_item(params)
            if isinstance(item, Fault):
                result: dict[str, Any] = {
                    "type": "errored",
                    "error": _error_body(item.error_type, item.message),
                }
            else:
                result = {"type": "succeeded", "message": _message(item, params)}
            results.append({"custom_id": entry.get("custom_id"), "result": result})
        now = datetime.now(UTC)
        self.batches[batch_id] = {
            "results": results,
            "polls": 0,
            "created_at": now,
            "cancel_initiated_at": None,
            "ended_at": None,
        }
        return self.batch_object(batch_id)

    def batch_object(self, batch_id: str, poll: bool = False) -> dict[str, Any]:
        b = self.batches[batch_id]
        if poll:
            b["polls"] += 1
        ended = b["ended_at"] is not None or b["polls"] >= self.batch_polls_to_end
        if ended and b["ended_at"] is None:
            b["ended_at"] = datetime.now(UTC)
        if b["cancel_initiated_at"] and not ended:
            status = "canceling"
        else:
            status = "ended" if ended else "in_progress"
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        for r in b["results"]:
            counts[r["result"]["type"] if ended else "processing"] += 1
        iso = _iso
        return {
            "id": batch_id,
            "type": "message_batch",
            "processing_status": status,
            "request_counts": counts,
            "created_at": iso(b["created_at"]),
            "expires_at": iso(b["created_at"] + timedelta(hours=24)),
            "ended_at": iso(b["ended_at"]) if b["ended_at"] else None,
            "cancel_initiated_at": iso(b["cancel_initiated_at"])
            if b["cancel_initiated_at"]
            else None,
            "archived_at": None,
            "results_url": f"{self.base_url}/v1/messages/batches/{batch_id}/results"
            if ended
            else None,
        }

    def cancel_batch(self, batch_id: str) -> dict[str, Any]:
        b = self.batches[batch_id]
        if b["ended_at"] is None:
            b["cancel_initiated_at"] = datetime.now(UTC)
            b["ended_at"] = b["cancel_initiated_at"]
            for r in b["results"]:
                r["result"] = {"type": "canceled"}
        return self.batch_object(batch_id)


@contextlib.contextmanager
def anthropic_fake() -> Iterator[AnthropicFake]:
    """Run a fresh fake on a free port for the ``with`` block.

    As a pytest fixture::

        @pytest.fixture
        def fake():
            with anthropic_fake() as f:
                yield f
    """
    fake = AnthropicFake().start()
    try:
        yield fake
    finally:
        fake.stop()


# --------------------------------------------------------------------------- wire helpers


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _error_body(error_type: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}}


def _estimate(body: dict[str, Any]) -> int:
    keys = ("system", "messages", "tools")
    return max(1, len(json.dumps([body.get(k) for k in keys])) // 4)


def _usage(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    out = reply.output_tokens
    if out is None:
        out = max(1, len(json.dumps(reply.content)) // 4)
    return {
        "input_tokens": reply.input_tokens
        if reply.input_tokens is not None
        else _estimate(request),
        "output_tokens": out,
        "cache_read_input_tokens": reply.cache_read_input_tokens,
        "cache_creation_input_tokens": reply.cache_creation_input_tokens,
    }


def _stop_reason(reply: Reply) -> str:
    if reply.stop_reason:
        return reply.stop_reason
    return "tool_use" if any(b["type"] == "tool_use" for b in reply.content) else "end_turn"


def _message(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"msg_fake_{next(_ids)}",
        "type": "message",
        "role": "assistant",
        "model": request.get("model", "claude-fake"),
        "content": reply.content,
        "stop_reason": _stop_reason(reply),
        "stop_sequence": None,
        "usage": _usage(reply, request),
    }


def _pieces(value: str, n: int = 3) -> list[str]:
    """Split ``value`` into up to ``n`` non-empty pieces (so deltas really stream)."""
    if len(value) <= 1:
        return [value] if value else []
    size = max(1, -(-len(value) // n))
    return [value[i : i + size] for i in range(0, len(value), size)]


def _stream_events(reply: Reply, request: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    message = _message(reply, request)
    usage = message["usage"]
    start = {**message, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
    yield "message_start", {"type": "message_start", "message": start}
    yield "ping", {"type": "ping"}
    for index, block in enumerate(reply.content):
        if block["type"] == "text":
            yield (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {"type": "text", "text": ""},
                },
            )
            for piece in _pieces(block["text"]):
                yield (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "text_delta", "text": piece},
                    },
                )
        else:
            yield (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {**block, "input": {}},
                },
            )
            for piece in _pieces(json.dumps(block["input"]), 2):
                yield (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "input_json_delta", "partial_json": piece},
                    },
                )
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        },
    )
    yield "message_stop", {"type": "message_stop"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: AnthropicFake

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    # -- plumbing

    def _read_body(self) -> Any:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return raw.decode("utf-8", "replace")

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_fake_{next(_ids)}")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, fault: Fault) -> None:
        assert fault.status is not None
        self._send_json(fault.status, _error_body(fault.error_type, fault.message), fault.headers)

    def _drop(self) -> None:
        """Close the TCP connection without finishing the response."""
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, name: str, data: dict[str, Any]) -> None:
        self._chunk(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())

    def _record(self, body: Any) -> None:
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake.requests.append(RecordedRequest(self.command, path, headers, body))

    # -- routes

    def do_GET(self) -> None:
        self._record(None)
        path = self.path.split("?", 1)[0]
        parts = path.strip("/").split("/")
        if parts[:3] == ["v1", "messages", "batches"]:
            if len(parts) == 3:
                data = [self.fake.batch_object(b) for b in self.fake.batches]
                first, last = (data[0]["id"], data[-1]["id"]) if data else (None, None)
                return self._send_json(
                    200, {"data": data, "has_more": False, "first_id": first, "last_id": last}
                )
            batch_id = parts[3]
            if batch_id in self.fake.batches:
                if len(parts) == 4:
                    return self._send_json(200, self.fake.batch_object(batch_id, poll=True))
                if parts[4:] == ["results"]:
                    return self._send_results(batch_id)
        self._send_json(404, _error_body("not_found_error", f"No route for GET {path}"))

    def do_POST(self) -> None:
        body = self._read_body()
        self._record(body)
        path = self.path.split("?", 1)[0]
        if not self.headers.get("x-api-key") and not self.headers.get("authorization"):
            return self._send_json(
                401, _error_body("authentication_error", "x-api-key header is required")
            )
        if not isinstance(body, dict):
            return self._send_json(400, _error_body("invalid_request_error", "body must be JSON"))
        if path == "/v1/messages":
            return self._messages(body)
        if path == "/v1/messages/count_tokens":
            return self._send_json(200, {"input_tokens": _estimate(body)})
        if path == "/v1/messages/batches":
            return self._send_json(200, self.fake.create_batch(body))
        parts = path.strip("/").split("/")
        if (
            parts[:3] == ["v1", "messages", "batches"]
            and parts[4:] == ["cancel"]
            and parts[3] in self.fake.batches
        ):
            return self._send_json(200, self.fake.cancel_batch(parts[3]))
        self._send_json(404, _error_body("not_found_error", f"No route for POST {path}"))

    def _send_results(self, batch_id: str) -> None:
        lines = [json.dumps(r) for r in self.fake.batches[batch_id]["results"]]
        data = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("content-type", "application/binary")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _messages(self, body: dict[str, Any]) -> None:
        for key in ("model", "max_tokens", "messages"):
            if key not in body:
                return self._send_json(
                    400, _error_body("invalid_request_error", f"{key}: Field required")
                )
        item = self.fake.next_item(body)
        streaming = bool(body.get("stream"))
        if isinstance(item, Fault):
            if item.status is None and not (streaming and item.mid_stream):
                return self._drop()
            if item.status is not None and not (streaming and item.mid_stream):
                return self._send_error(item)
        if not streaming:
            assert isinstance(item, Reply)
            return self._send_json(200, _message(item, body))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", f"req_fake_{next(_ids)}")
        self.end_headers()
        if isinstance(item, Fault):  # mid-stream failure after some output
            partial = text("Partial answer that never finishes")
            events = list(_stream_events(partial, body))[:4]  # start, ping, block start, delta
            for name, data in events:
                self._event(name, data)
            if item.status is None:
                return self._drop()
            self._event("error", _error_body(item.error_type, item.message))
            self._chunk(b"")
            return None
        try:
            for name, data in _stream_events(item, body):
                if item.chunk_delay:
                    time.sleep(item.chunk_delay)
                self._event(name, data)
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):  # the client went away (cancelled)
            self.close_connection = True
        return None


AnthropicFake.handler = _Handler
