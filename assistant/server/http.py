"""HTTP plumbing both APIs share: bounded JSON bodies, validation errors in one
sentence, the API-key and web-page checks, and cancelling work when the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.llm.base import CancelToken
from assistant.server.errors import APIError, error_body
from assistant.server.hosts import host_allowed, host_name, origin_allowed

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

DISCONNECT_POLL_S = 0.1
DRAIN_FACTOR = 16
"""An oversized body is read (and dropped) up to this many times the limit, so the
client, still sending, reliably gets the 413 instead of a reset connection."""


class ClientGoneError(Exception):
    """The client disconnected; its work was cancelled."""


def _is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


async def read_json(request: Request, limit: int) -> Any:
    """The request body parsed as JSON; 415 unless sent as JSON, 413 above ``limit`` bytes,
    400 if not JSON.

    A web page can POST ``text/plain`` (or an untyped body) cross-site without asking
    first; requiring ``application/json`` makes the browser ask, and CORS says no.
    """
    content_type = request.headers.get("content-type", "")
    if not _is_json(content_type):
        sent = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
        raise APIError(
            415,
            f"The request body was sent with {sent}; send it as JSON with "
            "'Content-Type: application/json'.",
            code="unsupported_media_type",
        )
    too_large = APIError(
        413,
        f"The request body is larger than this server's limit of {limit} bytes; "
        "send a shorter conversation or restart the server with a higher --max-request-bytes.",
        code="request_too_large",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit * DRAIN_FACTOR:
        raise too_large
    body = bytearray()
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            body += chunk
        elif size > limit * DRAIN_FACTOR:
            raise too_large
    if size > limit:
        raise too_large
    if not body.strip():
        raise APIError(400, "The request body is empty; send a JSON object.")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise APIError(
            400, f"The request body is not valid JSON ({exc}); send a JSON object."
        ) from None
    except RecursionError:
        raise APIError(
            400, "The request body nests JSON too deeply; send a flatter JSON object."
        ) from None


def parse(model: type[M], data: Any) -> M:
    """``data`` validated as ``model``; the first problem becomes a 400 naming the field."""
    if not isinstance(data, dict):
        raise APIError(400, "The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("function-"))
        raise APIError(
            400,
            f"Invalid request: {where or 'body'}: {first['msg']}; fix that field and retry.",
            param=where or None,
        ) from None


def key_matches(expected: str, headers: dict[str, str]) -> bool:
    """``Authorization: Bearer KEY`` (OpenAI) or ``x-api-key: KEY`` (Anthropic)."""
    given = headers.get("x-api-key", "")
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = given or auth[7:].strip()
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


class APIKeyMiddleware:
    """Refuses every request without the server's key (401 in the API's own shape)."""

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if key_matches(self.api_key, headers):
            await self.app(scope, receive, send)
            return
        err = APIError(
            401,
            "Missing or wrong API key; send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'.",
            code="invalid_api_key",
        )
        response = JSONResponse(error_body(scope["path"], err, headers), status_code=401)
        await response(scope, receive, send)


class BrowserGuardMiddleware:
    """Refuses (403) what only a web page would send: a ``Host`` that is neither an IP
    address, ``localhost``, nor an allowed name (DNS rebinding), and an ``Origin`` other
    than the server's own (the one in ``Host``), a loopback page on this server's port or
    a ``--cors-origin`` one.

    Only for a server without an API key: a page can neither read the key nor make the
    browser send it cross-origin without a CORS preflight the server does not grant.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: list[str], cors_origins: list[str]) -> None:
        self.app = app
        self.allowed_hosts = {name for h in allowed_hosts if (name := host_name(h))}
        self.cors_origins = set(cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (err := self.refusal(scope)):
            response = JSONResponse(
                error_body(scope["path"], err, Headers(scope=scope)), status_code=err.status
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> APIError | None:
        headers = Headers(scope=scope)
        host = headers.get("host")
        # No Host at all never comes from a browser (HTTP/1.0 clients may omit it).
        if host is not None and not host_allowed(host, self.allowed_hosts):
            name = host_name(host) or host
            return APIError(
                403,
                f"This server does not answer to the name {name!r} in the Host header, so "
                "that web pages cannot reach it through DNS rebinding; if you use that name "
                f"on purpose, restart the server with --allowed-host {name} or with an --api-key.",
                code="host_not_allowed",
            )
        origin = headers.get("origin")
        port = (scope.get("server") or (None, None))[1]
        if origin is not None and not origin_allowed(origin, port, self.cors_origins, host):
            return APIError(
                403,
                f"Requests from the web page at {origin!r} are refused, so that pages you "
                "visit cannot use this server; to allow that page, restart the server with "
                f"--cors-origin {origin} or with an --api-key.",
                code="origin_not_allowed",
            )
        return None


async def _watch(request: Request, task: asyncio.Task[Any], cancel: CancelToken) -> bool:
    """Wait until ``task`` ends or the client disconnects (then cancel it); True if gone."""
    while not task.done():
        if await request.is_disconnected():
            cancel.cancel()
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            return True
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), DISCONNECT_POLL_S)
    return False


async def until_disconnect(
    request: Request, work: Coroutine[Any, Any, T], cancel: CancelToken
) -> T:
    """Run ``work``; if the client disconnects first, cancel it and raise ClientGoneError."""
    task = asyncio.ensure_future(work)
    try:
        if await _watch(request, task, cancel):
            raise ClientGoneError
        return task.result()
    finally:
        if not task.done():
            cancel.cancel()
            task.cancel()


async def stream_until_disconnect(
    request: Request,
    items: AsyncIterator[T],
    cancel: CancelToken,
) -> AsyncIterator[T]:
    """Iterate ``items`` in a task of its own, stopping it the moment the client leaves.

    Waiting for the model (in the queue or between tokens) produces nothing to send, so
    a disconnect would otherwise go unnoticed until the next write.
    """
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    async def produce() -> None:
        try:
            async for item in items:
                await queue.put(("item", item))
        except Exception as exc:
            await queue.put(("error", exc))
        else:
            await queue.put(("end", None))

    task = asyncio.ensure_future(produce())
    watcher = asyncio.ensure_future(_watch(request, task, cancel))
    try:
        while True:
            if watcher.done():
                if watcher.result():  # the client is gone
                    return
                kind, value = await queue.get()
            else:
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter, watcher}, return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    continue
                kind, value = getter.result()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        if not task.done():
            cancel.cancel()
            task.cancel()
        watcher.cancel()
        with contextlib.suppress(BaseException):
            await task


def sse(data: Any, event: str | None = None) -> bytes:
    """One server-sent event."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n".encode()


async def started(items: AsyncIterator[T]) -> AsyncIterator[T]:
    """``items`` with its first item already produced, so that an error before any output
    (a cloud backend's rate limit, say) is raised here, before a stream's 200 goes out,
    and becomes the error response with its own status, which clients retry."""
    iterator = aiter(items)
    try:
        first = await anext(iterator)
    except StopAsyncIteration:
        return iterator

    async def chained() -> AsyncIterator[T]:
        yield first
        async for item in iterator:
            yield item

    return chained()
