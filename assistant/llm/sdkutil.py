"""Small helpers shared by the SDK-based backends (``anthropic.py``, ``openai.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import inspect
import os
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from assistant.llm.base import CancelToken, LLMError

T = TypeVar("T")

CANCEL_POLL_S = 0.05
"""How often a cloud stream waiting for the server looks at its cancel token (seconds)."""


PASSED_BASE_URL = "--base-url (or llm.base_url in the config, or ASSISTANT_BASE_URL)"
"""Where a ``base_url`` handed to a model comes from: the flag lands in ``llm.base_url``."""


def base_url_from(passed: str | None, env_var: str) -> str | None:
    """``passed``, else the SDK's own ``env_var`` (``OPENAI_BASE_URL``), checked; a bad one
    is named with the place it came from."""
    if passed:
        return checked_base_url(passed, PASSED_BASE_URL)
    return checked_base_url(os.environ.get(env_var) or None, env_var)


def checked_base_url(url: str | None, origin: str) -> str | None:
    """``url`` when it is an http(s) address (or None); a typo would otherwise read as a
    lost connection on the first request. ``origin`` names where it was set."""
    from urllib.parse import urlsplit

    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMError(
            f"The base URL {url!r} is not an http:// or https:// address; set {origin} "
            "to one like http://127.0.0.1:8000/v1."
        )
    return url


@functools.cache
def sdk_response_class(sdk: Any) -> type:
    """The ``Response`` class of the httpx the SDK is built on (``httpx2`` in recent releases,
    ``httpx`` before); ``client.post(..., cast_to=it)`` returns the raw HTTP response."""
    for cls in sdk.DefaultAsyncHttpxClient.__mro__:
        if cls.__name__ == "AsyncClient" and cls.__module__.split(".")[0] != sdk.__name__:
            return importlib.import_module(cls.__module__.split(".")[0]).Response  # type: ignore[no-any-return]
    raise LLMError(f"{sdk.__name__} SDK: cannot find its HTTP client library.")


@functools.cache
def _param_names(func: Any) -> frozenset[str]:
    """A method's parameter names (``inspect.signature`` costs ~0.3 ms; once per method)."""
    return frozenset(inspect.signature(func).parameters)


def sdk_kwargs(method: Any, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` as keyword arguments for an SDK method; fields it does not name go in ``extra_body``.

    SDK releases add and drop parameters (recent ones dropped ``temperature``),
    while the HTTP API keeps accepting them; this keeps the request the same.
    """
    params = _param_names(getattr(method, "__func__", method))
    kwargs = {k: v for k, v in body.items() if k in params and k != "extra_body"}
    extra = {k: v for k, v in body.items() if k not in kwargs}
    if extra:
        kwargs["extra_body"] = extra
    return kwargs


async def until_cancelled(items: AsyncIterator[T], cancel: CancelToken | None) -> AsyncIterator[T]:
    """``items`` until they end or ``cancel`` is set, without waiting for the next item.

    A cloud stream can be silent for minutes (a reasoning model thinking, a stalled
    connection); Ctrl-C and a turn's time limit must not wait for the server. The pending
    read is cancelled; closing the SDK's stream then closes the connection.
    """
    if cancel is None:
        async for item in items:
            yield item
        return
    it = aiter(items)

    async def following() -> tuple[bool, T | None]:
        try:
            return True, await anext(it)
        except StopAsyncIteration:
            return False, None

    while not cancel.cancelled:
        task = asyncio.ensure_future(following())
        try:
            while not task.done() and not cancel.cancelled:
                await asyncio.wait({task}, timeout=CANCEL_POLL_S)
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if task.cancelled():
            return
        more, item = task.result()
        if not more:
            return
        yield item
