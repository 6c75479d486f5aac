"""A local HTTP server that speaks OpenAI's Files, Batch and Chat Completions APIs.

It stands in for the OpenAI cloud (the only thing the tests fake): a real server on
127.0.0.1 that the official ``openai`` SDK talks to through ``base_url``, so the
SDK's multipart upload, request building, response models and errors all run for real.

What it speaks (the parts the SDK uses for batches):

* ``POST /v1/files`` (multipart ``file`` + ``purpose``), ``GET /v1/files/{id}`` and
  ``GET /v1/files/{id}/content``;
* ``POST /v1/batches`` (``input_file_id``, ``endpoint``, ``completion_window``),
  ``GET /v1/batches`` and ``/v1/batches/{id}``, ``POST /v1/batches/{id}/cancel``.
  A batch is ``validating`` when created, ``in_progress`` for the next polls and
  ``completed`` on poll number :attr:`OpenAIBatchFake.batch_polls_to_complete`, when
  its ``output_file_id`` (successful lines) and ``error_file_id`` (failed lines)
  appear, as the real API splits them;
* ``POST /v1/chat/completions``, plain JSON and streaming SSE, so non-batch calls work.

Replies are scripted as in ``anthropic_server``: :meth:`OpenAIBatchFake.script` queues
items, each chat request (or each line of a batch, in file order) takes the next one,
and when the queue is empty ``fake.responder(body)`` decides (default: the text "OK").
In a batch a :class:`Fault` becomes a failed line: with a status, a ``response`` with
that ``status_code`` and an error body; with ``status=None``, ``response: null`` and
an ``error`` object (see :func:`line_error`).

Every request is kept in ``fake.requests`` (method, path, headers, body; an upload's
body is ``{"purpose": ..., "filename": ..., "content": bytes}``).
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
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.server import LocalHTTPServer

BATCH_ENDPOINTS = ("/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/completions")
TERMINAL = ("completed", "failed", "expired", "cancelled")

# --------------------------------------------------------------------------- script items


@dataclass
class Reply:
    """One canned assistant message: text and/or tool calls, plus usage."""

    content: str | None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str | None = None
    """Defaults to ``tool_calls`` when there are tool calls, else ``stop``."""
    prompt_tokens: int | None = None
    """Defaults to an estimate from the request (4 characters a token)."""
    completion_tokens: int | None = None
    cached_tokens: int = 0
    chunk_delay: float = 0.0
    """Seconds between streamed chunks."""


@dataclass
class Fault:
    """A scripted failure.

    On ``/v1/chat/completions``: an HTTP error with OpenAI's error body, or with
    ``status=None`` a dropped connection. Inside a batch: a failed output line.
    """

    status: int | None
    error_type: str = "server_error"
    message: str = "The server had an error while processing your request."
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


ScriptItem = Reply | Fault
_ids = itertools.count(1)


def text(value: str, **kw: Any) -> Reply:
    """A plain text reply."""
    return Reply(value, **kw)


def tool_calls(
    name: str,
    arguments: dict[str, Any],
    *,
    text: str | None = None,
    more: list[tuple[str, dict[str, Any]]] | None = None,
    **kw: Any,
) -> Reply:
    """A reply calling function ``name`` (after optional ``text``; ``more`` adds calls)."""
    calls = [
        {
            "id": f"call_fake_{next(_ids)}",
            "type": "function",
            "function": {"name": n, "arguments": json.dumps(args)},
        }
        for n, args in [(name, arguments), *(more or [])]
    ]
    return Reply(text, calls, **kw)


def rate_limited(retry_after: float = 1.0) -> Fault:
    """HTTP 429 with ``retry-after`` (in a batch: a line with ``status_code`` 429)."""
    return Fault(
        429,
        "requests",
        "Rate limit reached for requests",
        "rate_limit_exceeded",
        {"retry-after": f"{retry_after:g}"},
    )


def server_error() -> Fault:
    """HTTP 500 (in a batch: a line with ``status_code`` 500)."""
    return Fault(500)


def bad_request(message: str = "Invalid request.", param: str | None = None) -> Fault:
    """HTTP 400 ``invalid_request_error`` (in a batch: a line with ``status_code`` 400)."""
    return Fault(400, "invalid_request_error", message, param)


def line_error(code: str = "invalid_prompt", message: str = "The prompt was rejected.") -> Fault:
    """A batch line with ``response: null`` and an ``error`` object (``status=None``)."""
    return Fault(None, "error", message, code)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


# --------------------------------------------------------------------------- the fake


class OpenAIBatchFake(LocalHTTPServer):
    """The server's state: script, recorded requests, files and batches."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.responder: Callable[[dict[str, Any]], ScriptItem] = lambda body: text("OK")
        self.batch_polls_to_complete = 2
        """A batch is ``completed`` on this retrieve (``validating`` before the first,
        ``in_progress`` in between); a huge value keeps it running."""
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._queue: deque[ScriptItem] = deque()
        self._lock = threading.RLock()
        super().__init__()

    # -- scripting and inspection

    def script(self, *items: ScriptItem) -> OpenAIBatchFake:
        with self._lock:
            self._queue.extend(items)
        return self

    @property
    def pending(self) -> int:
        return len(self._queue)

    def next_item(self, body: dict[str, Any]) -> ScriptItem:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self.responder(body)

    def posts(self, path: str) -> list[RecordedRequest]:
        """The ``POST`` requests to ``path`` (e.g. ``/v1/files``), oldest first."""
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return self.posts("/v1/chat/completions")

    @property
    def batch_polls(self) -> int:
        return sum(
            1 for r in self.requests if r.method == "GET" and r.path.startswith("/v1/batches/")
        )

    # -- lifecycle

    @property
    def base_url(self) -> str:
        """The SDK's ``base_url`` (with the ``/v1``)."""
        return f"{self.origin}/v1"

    # -- files

    def add_file(self, content: bytes, filename: str, purpose: str) -> dict[str, Any]:
        file_id = f"file-fake{next(_ids)}"
        self.files[file_id] = {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
            "content": content,
        }
        return self.file_object(file_id)

    def file_object(self, file_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.files[file_id].items() if k != "content"}

    # -- batches

    def create_batch(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Validate like the real API (400 for a bad request), then queue the batch."""
        file_id = body.get("input_file_id")
        endpoint = body.get("endpoint")
        if file_id not in self.files:
            return 404, _error(
                f"No such File object: {file_id}",
                "invalid_request_error",
                "input_file_id",
                "file_not_found",
            )
        if self.files[file_id]["purpose"] != "batch":
            return 400, _error(
                "The input file must have purpose 'batch'.",
                "invalid_request_error",
                "input_file_id",
            )
        if endpoint not in BATCH_ENDPOINTS:
            return 400, _error(
                f"Invalid endpoint {endpoint!r}.", "invalid_request_error", "endpoint"
            )
        if body.get("completion_window") != "24h":
            return 400, _error(
                "completion_window must be '24h'.", "invalid_request_error", "completion_window"
            )
        now = int(time.time())
        batch_id = f"batch_fake{next(_ids)}"
        b: dict[str, Any] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": endpoint,
            "errors": None,
            "input_file_id": file_id,
            "completion_window": "24h",
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
            "model": None,
        }
        lines, errors = self._parse_input(self.files[file_id]["content"], endpoint)
        if errors:
            b.update(status="failed", failed_at=now, errors={"object": "list", "data": errors})
        else:
            b["request_counts"]["total"] = len(lines)
            b["model"] = lines[0]["body"].get("model") if lines else None
        self.batches[batch_id] = {"object": b, "lines": lines, "polls": 0}
        return 200, dict(b)

    def _parse_input(
        self, content: bytes, endpoint: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        lines: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        seen: set[str] = set()
        for n, raw in enumerate(content.decode("utf-8", "replace").splitlines(), 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError:
                errors.append(
                    {
                        "code": "invalid_json_line",
                        "line": n,
                        "param": None,
                        "message": "This line is not parseable as valid JSON.",
                    }
                )
                continue
            problem = None
            if row.get("method") != "POST":
                problem = ("invalid_method", "method")
            elif row.get("url") != endpoint:
                problem = ("mismatched_endpoint", "url")
            elif not isinstance(row.get("custom_id"), str) or row["custom_id"] in seen:
                problem = ("duplicate_custom_id", "custom_id")
            elif not isinstance(row.get("body"), dict) or "model" not in row["body"]:
                problem = ("missing_required_parameter", "body.model")
            elif endpoint == "/v1/chat/completions" and not row["body"].get("messages"):
                problem = ("missing_required_parameter", "body.messages")
            if problem:
                errors.append(
                    {
                        "code": problem[0],
                        "line": n,
                        "param": problem[1],
                        "message": f"Line {n}: bad {problem[1]}.",
                    }
                )
                continue
            seen.add(row["custom_id"])
            lines.append(row)
        return lines, errors

    def batch_object(self, batch_id: str, poll: bool = False) -> dict[str, Any]:
        with self._lock:
            state = self.batches[batch_id]
            b = state["object"]
            if poll and b["status"] not in TERMINAL:
                state["polls"] += 1
                now = int(time.time())
                if b["status"] == "cancelling":
                    self._finish(state, "cancelled")
                elif state["polls"] >= self.batch_polls_to_complete:
                    self._finish(state, "completed")
                elif b["status"] == "validating":
                    b.update(status="in_progress", in_progress_at=now)
            return dict(b)

    def _finish(self, state: dict[str, Any], status: str) -> None:
        """Run every line (each takes the next script item) and write the result files."""
        b = state["object"]
        ok: list[str] = []
        failed: list[str] = []
        for row in state["lines"]:
            line_id = f"batch_req_fake{next(_ids)}"
            if status == "cancelled":
                failed.append(
                    json.dumps(
                        {
                            "id": line_id,
                            "custom_id": row["custom_id"],
                            "response": None,
                            "error": {
                                "code": "batch_cancelled",
                                "message": "This request could not be executed before the "
                                "batch was cancelled.",
                            },
                        }
                    )
                )
                continue
            item = self.next_item(row["body"])
            if isinstance(item, Fault) and item.status is None:
                failed.append(
                    json.dumps(
                        {
                            "id": line_id,
                            "custom_id": row["custom_id"],
                            "response": None,
                            "error": {"code": item.code, "message": item.message},
                        }
                    )
                )
            elif isinstance(item, Fault):
                failed.append(
                    json.dumps(
                        {
                            "id": line_id,
                            "custom_id": row["custom_id"],
                            "response": {
                                "status_code": item.status,
                                "request_id": f"req_{line_id}",
                                "body": _error(item.message, item.error_type, None, item.code),
                            },
                            "error": None,
                        }
                    )
                )
            else:
                ok.append(
                    json.dumps(
                        {
                            "id": line_id,
                            "custom_id": row["custom_id"],
                            "response": {
                                "status_code": 200,
                                "request_id": f"req_{line_id}",
                                "body": _completion(item, row["body"]),
                            },
                            "error": None,
                        }
                    )
                )
        now = int(time.time())
        name = b["id"]
        if ok:
            b["output_file_id"] = self.add_file(
                ("\n".join(ok) + "\n").encode(), f"{name}_output.jsonl", "batch_output"
            )["id"]
        if failed:
            b["error_file_id"] = self.add_file(
                ("\n".join(failed) + "\n").encode(), f"{name}_error.jsonl", "batch_output"
            )["id"]
        b["request_counts"] = {
            "total": len(state["lines"]),
            "completed": len(ok),
            "failed": len(failed),
        }
        b["status"] = status
        b["in_progress_at"] = b["in_progress_at"] or now
        if status == "completed":
            b.update(finalizing_at=now, completed_at=now)
        else:
            b["cancelled_at"] = now

    def cancel_batch(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            b = self.batches[batch_id]["object"]
            if b["status"] not in TERMINAL:
                b.update(status="cancelling", cancelling_at=int(time.time()))
            return dict(b)


@contextlib.contextmanager
def openai_batch_fake() -> Iterator[OpenAIBatchFake]:
    """Run a fresh fake on a free port for the ``with`` block."""
    fake = OpenAIBatchFake().start()
    try:
        yield fake
    finally:
        fake.stop()


# --------------------------------------------------------------------------- wire helpers


def _error(
    message: str, type_: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _estimate(body: dict[str, Any]) -> int:
    return max(1, len(json.dumps([body.get("messages"), body.get("tools")])) // 4)


def _usage(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    prompt = reply.prompt_tokens if reply.prompt_tokens is not None else _estimate(request)
    out = reply.completion_tokens
    if out is None:
        out = max(1, len(json.dumps([reply.content, reply.tool_calls])) // 4)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": out,
        "total_tokens": prompt + out,
        "prompt_tokens_details": {"cached_tokens": reply.cached_tokens, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _finish_reason(reply: Reply) -> str:
    return reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")


def _completion(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": reply.content,
        "refusal": None,
        "annotations": [],
    }
    if reply.tool_calls:
        message["tool_calls"] = reply.tool_calls
    return {
        "id": f"chatcmpl-fake{next(_ids)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "gpt-fake"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": _finish_reason(reply),
            }
        ],
        "usage": _usage(reply, request),
        "service_tier": "default",
        "system_fingerprint": "fp_fake",
    }


def _pieces(value: str, n: int = 3) -> list[str]:
    if len(value) <= 1:
        return [value] if value else []
    size = max(1, -(-len(value) // n))
    return [value[i : i + size] for i in range(0, len(value), size)]


def _chunks(reply: Reply, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    base = {
        "id": f"chatcmpl-fake{next(_ids)}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": request.get("model", "gpt-fake"),
        "system_fingerprint": "fp_fake",
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            **base,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }

    yield chunk({"role": "assistant", "content": "", "refusal": None})
    for piece in _pieces(reply.content or ""):
        yield chunk({"content": piece})
    for i, call in enumerate(reply.tool_calls):
        fn = call["function"]
        yield chunk(
            {
                "tool_calls": [
                    {
                        "index": i,
                        "id": call["id"],
                        "type": "function",
                        "function": {"name": fn["name"], "arguments": ""},
                    }
                ]
            }
        )
        for piece in _pieces(fn["arguments"], 2):
            yield chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]})
    yield chunk({}, _finish_reason(reply))
    if (request.get("stream_options") or {}).get("include_usage"):
        yield {**base, "choices": [], "usage": _usage(reply, request)}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: OpenAIBatchFake

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    # -- plumbing

    def _raw(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(data)))
        self.send_header("x-request-id", f"req_fake{next(_ids)}")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json", headers)

    def _record(self, body: Any) -> None:
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.fake._lock:
            self.fake.requests.append(RecordedRequest(self.command, path, headers, body))

    def _authorised(self) -> bool:
        if (self.headers.get("authorization") or "").startswith("Bearer "):
            return True
        self._json(
            401,
            _error(
                "You didn't provide an API key.", "invalid_request_error", None, "invalid_api_key"
            ),
        )
        return False

    def _not_found(self, path: str) -> None:
        self._json(404, _error(f"Invalid URL ({self.command} {path})", "invalid_request_error"))

    # -- routes

    def do_GET(self) -> None:
        self._record(None)
        path = self.path.split("?", 1)[0]
        if not self._authorised():
            return
        parts = path.strip("/").split("/")
        fake = self.fake
        if parts[:2] == ["v1", "files"] and len(parts) >= 3 and parts[2] in fake.files:
            if len(parts) == 3:
                return self._json(200, fake.file_object(parts[2]))
            if parts[3:] == ["content"]:
                data = fake.files[parts[2]]["content"]
                return self._send(200, data, "application/octet-stream")
        if parts == ["v1", "batches"]:
            data = [fake.batch_object(b) for b in reversed(fake.batches)]
            return self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "has_more": False,
                    "first_id": data[0]["id"] if data else None,
                    "last_id": data[-1]["id"] if data else None,
                },
            )
        if parts[:2] == ["v1", "batches"] and len(parts) == 3 and parts[2] in fake.batches:
            return self._json(200, fake.batch_object(parts[2], poll=True))
        self._not_found(path)

    def do_POST(self) -> None:
        raw = self._raw()
        path = self.path.split("?", 1)[0]
        if path == "/v1/files":
            return self._upload(raw)
        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        self._record(body)
        if not self._authorised():
            return
        parts = path.strip("/").split("/")
        if (
            parts[:2] == ["v1", "batches"]
            and parts[3:] == ["cancel"]
            and parts[2] in self.fake.batches
        ):
            return self._json(200, self.fake.cancel_batch(parts[2]))
        if not isinstance(body, dict):
            return self._json(
                400,
                _error(
                    "We could not parse the JSON body of your request.", "invalid_request_error"
                ),
            )
        if path == "/v1/batches":
            return self._json(*self.fake.create_batch(body))
        if path == "/v1/chat/completions":
            return self._chat(body)
        self._not_found(path)

    def _upload(self, raw: bytes) -> None:
        ctype = self.headers.get("content-type") or ""
        fields: dict[str, Any] = {}
        if ctype.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(
                f"content-type: {ctype}\r\n\r\n".encode() + raw
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    fields[str(name)] = payload
                    fields["filename"] = part.get_filename()
                else:
                    fields[str(name)] = payload.decode()
        self._record(
            {
                "purpose": fields.get("purpose"),
                "filename": fields.get("filename"),
                "content": fields.get("file"),
            }
        )
        if not self._authorised():
            return
        if not isinstance(fields.get("file"), bytes) or not fields.get("purpose"):
            return self._json(
                400,
                _error(
                    "'file' and 'purpose' are required (multipart).",
                    "invalid_request_error",
                    "file",
                ),
            )
        self._json(
            200,
            self.fake.add_file(
                fields["file"], fields.get("filename") or "upload", fields["purpose"]
            ),
        )

    def _chat(self, body: dict[str, Any]) -> None:
        for key in ("model", "messages"):
            if key not in body:
                return self._json(
                    400,
                    _error(
                        f"Missing required parameter: '{key}'.",
                        "invalid_request_error",
                        key,
                        "missing_required_parameter",
                    ),
                )
        item = self.fake.next_item(body)
        if isinstance(item, Fault):
            if item.status is None:
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return None
            return self._json(
                item.status, _error(item.message, item.error_type, None, item.code), item.headers
            )
        if not body.get("stream"):
            return self._json(200, _completion(item, body))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        try:
            for data in _chunks(item, body):
                if item.chunk_delay:
                    time.sleep(item.chunk_delay)
                self._chunk(f"data: {json.dumps(data)}\n\n".encode())
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        return None

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


OpenAIBatchFake.handler = _Handler
