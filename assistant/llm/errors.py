"""Errors from cloud providers, in one shape for every backend.

The cloud backends (``anthropic.py``, ``openai.py``) turn the official SDKs'
exceptions into :class:`ProviderHTTPError`, keeping what a retry layer needs:
the HTTP status (``None`` when the connection dropped or timed out) and the
server's ``Retry-After`` hint. Distill constructs the backends with
``max_retries=0`` and owns the single retry layer on top of this error.
"""

from __future__ import annotations

import email.utils
import importlib
import time
from collections.abc import Mapping
from typing import Any

from assistant.llm.base import LLMError

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})

# Anthropic sends errors inside a 200 SSE stream as ``event: error``; the SDK
# then reports the stream's 200 status. These map the error type back to the
# status the same error has outside a stream.
ERROR_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def _transport_errors() -> tuple[type[BaseException], ...]:
    """httpx's transport errors: a connection dropped mid-stream surfaces as one of these.

    Recent SDKs ship on ``httpx2``, older ones on ``httpx``; catch both.
    """
    found: list[type[BaseException]] = []
    for name in ("httpx", "httpx2"):
        try:
            found.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


TRANSPORT_ERRORS = _transport_errors()


class ProviderHTTPError(LLMError):
    """A cloud API call failed: an HTTP error status, or no response at all.

    Attributes:
        provider: ``"anthropic"`` or ``"openai"``.
        status_code: the HTTP status, or ``None`` for a dropped connection or a timeout.
        retry_after: seconds the server asked us to wait (``Retry-After``), if it said.
        error_type: the provider's error type (``rate_limit_error``, ``overloaded_error``, ...).
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status_code: int | None,
        retry_after: float | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.status_code = status_code
        self.retry_after = retry_after
        self.error_type = error_type

    @property
    def retryable(self) -> bool:
        """True for rate limits, overload, server errors and dropped connections."""
        return self.status_code is None or self.status_code in RETRYABLE_STATUS


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` / ``retry-after`` (seconds or an HTTP date)."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _error_type(body: Any) -> str | None:
    """The ``error.type`` of an Anthropic/OpenAI error body, if it has one."""
    if not isinstance(body, dict):
        return None
    err = body.get("error", body)
    if isinstance(err, dict):
        kind = err.get("type") or err.get("code")
        return str(kind) if kind else None
    return None


def from_sdk_error(exc: BaseException, provider: str) -> ProviderHTTPError:
    """Translate an ``anthropic``/``openai`` SDK exception (or an httpx transport error).

    Both SDKs share one exception design (``APIStatusError`` with ``status_code``,
    ``response`` and ``body``; ``APIConnectionError`` / ``APITimeoutError`` with
    neither), so this reads attributes instead of importing either SDK.
    """
    status = getattr(exc, "status_code", None)
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) if status is not None else None
    kind = _error_type(getattr(exc, "body", None))
    if status is not None and status < 400 and kind in ERROR_TYPE_STATUS:
        status = ERROR_TYPE_STATUS[kind]  # an error event inside a 200 stream
    elif status is None and kind is not None:
        status = ERROR_TYPE_STATUS.get(kind, 500)  # openai: an error chunk inside a stream
    name = provider.capitalize() if provider != "openai" else "OpenAI"
    if status is None:
        what = "timed out" if "timeout" in type(exc).__name__.lower() else "lost its connection"
        message = f"The {name} API {what} ({exc}); check your network and retry."
    else:
        detail = str(getattr(exc, "message", "") or exc)
        message = f"The {name} API returned HTTP {status}: {detail}"
    return ProviderHTTPError(
        message,
        provider=provider,
        status_code=status,
        retry_after=parse_retry_after(headers),
        error_type=kind,
    )
