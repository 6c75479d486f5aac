"""Errors as each API spells them, so official SDK clients raise their own error types.

Status codes used (both APIs):

* 400 the request breaks the API's rules: not JSON, a missing or mistyped field,
  ``max_tokens`` above the server's limit, a ``tool_choice`` naming no given tool;
* 401 no or wrong API key;
* 403 a request a web page sent: a ``Host`` the server does not answer to (DNS
  rebinding) or a foreign ``Origin`` (see ``hosts.py``);
* 404 an unknown path or model;
* 413 a body larger than the server accepts;
* 415 a body not sent as ``Content-Type: application/json``;
* 422 a valid request this server cannot carry out: image inputs, ``n`` > 1, a
  prompt longer than the model's context, a JSON schema no grammar can express;
* 429 the request queue is full, or a cloud backend's rate limit was hit (its
  ``Retry-After`` is passed on);
* 502 a cloud backend failed in a way worth retrying (a server error, a timeout, a lost
  connection); 503 it is overloaded (529 ``overloaded_error`` on the Messages API, as
  Anthropic sends it). SDK clients retry these, as they do a 429; they do not retry 422.
  A cloud backend that refuses this server itself (its key, its model: 401, 403, 404
  upstream) is a 502 too: the client's request is not at fault.

Anything unexpected becomes a 500 in the same shape with one sentence and no traceback.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.llm.base import LLMError

log = logging.getLogger("assistant.server")

OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    502: "server_error",
    503: "server_error",
}
ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "request_too_large",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "overloaded_error",
}


class APIError(Exception):
    """A request the server refuses; ``message`` is one sentence naming the problem and fix."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.headers = headers


def llm_error(exc: LLMError) -> APIError:
    """A model's error as the response: see the status codes above."""
    from assistant.llm.errors import ProviderHTTPError

    if isinstance(exc, ProviderHTTPError) and exc.status_code in (401, 403, 404):
        return APIError(502, str(exc))
    if not (isinstance(exc, ProviderHTTPError) and exc.retryable):
        return APIError(422, str(exc))
    if exc.status_code == 429:
        wait = exc.retry_after
        headers = {"retry-after": str(math.ceil(wait))} if wait is not None else None
        return APIError(429, str(exc), headers=headers)
    return APIError(503 if exc.status_code in (503, 529) else 502, str(exc))


def http_status(path: str, err: APIError) -> int:
    """The status to send: the Messages API says 'overloaded' with a 529."""
    return 529 if err.status == 503 and is_anthropic_path(path) else err.status


def stream_error(exc: Exception) -> APIError:
    """An error raised after a stream's headers went out, as the APIError to send in it."""
    from assistant.llm.base import LLMError

    if isinstance(exc, APIError):
        return exc
    if isinstance(exc, LLMError):
        return llm_error(exc)
    log.error("generation failed", exc_info=exc)
    return APIError(
        500, f"The server failed while generating ({type(exc).__name__}); see the server log."
    )


def is_anthropic_path(path: str) -> bool:
    return path.rstrip("/").startswith("/v1/messages")


def openai_error_body(err: APIError) -> dict[str, Any]:
    return {
        "error": {
            "message": err.message,
            "type": OPENAI_TYPES.get(err.status, "invalid_request_error"),
            "param": err.param,
            "code": err.code,
        }
    }


def anthropic_error_body(err: APIError) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {
            "type": ANTHROPIC_TYPES.get(err.status, "invalid_request_error"),
            "message": err.message,
        },
    }


def error_body(
    path: str, err: APIError, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The error object in the shape of the API that ``path`` belongs to, or, on a path
    both share (``/v1/models``), of the client that sent ``headers`` (Anthropic's SDK
    sends ``anthropic-version``, OpenAI's does not)."""
    if is_anthropic_path(path):
        anthropic = True
    elif path.startswith("/v1/chat/"):
        anthropic = False
    else:
        anthropic = "anthropic-version" in (headers or {})
    return anthropic_error_body(err) if anthropic else openai_error_body(err)
