"""Small helpers shared by the SDK-based backends (``anthropic.py``, ``openai.py``)."""

from __future__ import annotations

import functools
import importlib
import inspect
from typing import Any

from assistant.llm.base import LLMError


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
