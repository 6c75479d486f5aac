"""Teachers: the shared ``assistant.llm`` backends wrapped with cache, limits and retries.

A :class:`Teacher` is itself a ``ChatModel``, so the agent loop drives it exactly as it
drives any model. Each call: look in the call cache; else wait for the provider's
semaphore and rate limiter, check the budget, call the backend (built with
``max_retries=0``; tenacity here is the single retry layer, honouring
``Retry-After``), and store the completion before returning it.

Cloud backends are called without streaming (``create``), over the SDKs' aiohttp
transport when aiohttp is installed: at hundreds of calls a second the client's
CPU per call is the limit (see benchmarks/bench_distill.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from assistant.distill.cache import CallCache, call_key
from assistant.llm.base import (
    CancelToken,
    ChatModel,
    Completion,
    LLMError,
    Message,
    StreamItem,
    TextDelta,
    ToolChoice,
    Usage,
    complete,
)
from assistant.llm.errors import ProviderHTTPError

PROVIDERS = ("anthropic", "openai", "local", "scripted")
T = TypeVar("T")


class BudgetExceeded(Exception):
    """--max-cost was reached; no further paid call is made. Not an LLMError on purpose,
    so it leaves the agent loop instead of becoming an error turn."""


class TokenBucket:
    """An asyncio token bucket: ``rate`` acquisitions a second, bursts up to ``capacity``."""

    def __init__(self, rate: float, capacity: float | None = None) -> None:
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        if self.rate <= 0:
            return
        async with self._lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_s: float = 0.5
    max_s: float = 30.0
    max_retry_after_s: float = 120.0
    timeout_s: float = 600.0


@dataclass
class Spend:
    """Money and tokens, per (provider, model); shared by every teacher of a run."""

    limit_usd: float | None = None
    spent_usd: float = 0.0
    others_usd: float = 0.0
    """Spent by the run's other worker processes (see workers.py), as last reported."""
    by_model: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    retries: int = 0
    retry_waits: list[float] = field(default_factory=list)
    retry_statuses: list[int | None] = field(default_factory=list)

    @property
    def exhausted(self) -> bool:
        return self.limit_usd is not None and self.spent_usd + self.others_usd >= self.limit_usd

    def add(self, provider: str, model: str, c: Completion, *, cached: bool) -> None:
        row = self.by_model.setdefault(
            (provider, model),
            {
                "calls": 0,
                "cached_calls": 0,
                "input_tokens": 0,
                "output_tokens": 0,
                "cache_read_tokens": 0,
                "cache_write_tokens": 0,
                "cost_usd": 0.0,
            },
        )
        row["cached_calls" if cached else "calls"] += 1
        if cached:
            return
        u = c.usage
        row["input_tokens"] += u.input_tokens
        row["output_tokens"] += u.output_tokens
        row["cache_read_tokens"] += u.cache_read_tokens
        row["cache_write_tokens"] += u.cache_write_tokens
        row["cost_usd"] += u.cost_usd
        self.spent_usd += u.cost_usd


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, ProviderHTTPError):
        return exc.retryable
    return isinstance(exc, asyncio.TimeoutError | TimeoutError | ConnectionError)


class Teacher:
    """A ChatModel wrapper: call cache, concurrency, rate limit, budget, retries."""

    def __init__(
        self,
        backend: ChatModel,
        cache: CallCache,
        spend: Spend,
        *,
        concurrency: int,
        rate_per_s: float = 0.0,
        retry: RetryPolicy | None = None,
        task_id: str | None = None,
    ) -> None:
        self.backend = backend
        self.name = backend.name
        self.provider = backend.provider
        self.context_length = backend.context_length
        self.cache = cache
        self.spend = spend
        self.semaphore = asyncio.Semaphore(concurrency)
        self.limiter = TokenBucket(rate_per_s) if rate_per_s > 0 else None
        self.retry = retry or RetryPolicy()
        self.task_id = task_id
        self.usages: list[Usage] = []
        """The usage of every call made through this view (cached ones included)."""

    def for_task(self, task_id: str) -> Teacher:
        """A view that shares everything but tags cache rows with ``task_id``."""
        view = object.__new__(Teacher)
        view.__dict__.update(self.__dict__)
        view.task_id = task_id
        view.usages = []
        return view

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        return self.backend.count_tokens(messages, tools)

    def _backoff(self, attempt: int, exc: BaseException | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        hint = getattr(exc, "retry_after", None)
        if hint is not None:
            wait = min(float(hint), self.retry.max_retry_after_s)
        else:
            ceiling = min(self.retry.max_s, self.retry.base_s * 2 ** (attempt - 1))
            wait = random.uniform(ceiling / 2, ceiling)  # "equal jitter"
        self.spend.retries += 1
        self.spend.retry_waits.append(wait)
        self.spend.retry_statuses.append(getattr(exc, "status_code", None))
        return wait

    async def _attempt(self, make: Callable[[], Awaitable[T]]) -> T:
        if self.limiter is not None:
            await self.limiter.acquire()
        async with asyncio.timeout(self.retry.timeout_s):  # no extra task, unlike wait_for
            return await make()

    async def retrying(self, make: Callable[[], Awaitable[T]]) -> T:
        """Run ``make()`` under the rate limiter, timeout and retry policy.

        The first attempt runs directly: at hundreds of calls a second tenacity's
        per-call bookkeeping shows up in profiles, and most calls succeed at once.
        After a retryable failure tenacity takes over, numbering attempts from 2.
        """
        try:
            return await self._attempt(make)
        except Exception as exc:
            if not _retryable(exc) or self.retry.attempts <= 1:
                raise
            first = exc
        await asyncio.sleep(self._backoff(1, first))

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return self._backoff(state.attempt_number + 1, exc)

        retrying = AsyncRetrying(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(self.retry.attempts - 1),
            wait=wait,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._attempt(make)
        raise AssertionError("unreachable")  # pragma: no cover

    def key_for(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> str:
        """The cache key of a call (the batch path stores its results under the same key)."""
        params = {
            "tool_choice": tool_choice if tools else "none",
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        return call_key(self.provider, self.name, params, messages, tools)

    async def call(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        params = {
            "tool_choice": tool_choice if tools else "none",
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        key = self.key_for(
            messages, tools, tool_choice=tool_choice, temperature=temperature, max_tokens=max_tokens
        )
        hit = self.cache.get(key)
        if hit is not None:
            self.spend.add(self.provider, self.name, hit, cached=True)
            self.usages.append(hit.usage)
            return hit
        async with self.semaphore:
            if self.spend.exhausted:
                raise BudgetExceeded(f"--max-cost {self.spend.limit_usd} reached")
            result = await self.retrying(
                lambda: self._request(
                    messages, tools, params["tool_choice"], temperature, max_tokens
                )
            )
        await self.cache.put_soon(key, self.provider, self.name, self.task_id, result)
        self.spend.add(self.provider, self.name, result, cached=False)
        self.usages.append(result.usage)
        return result

    def _request(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None,
        tool_choice: ToolChoice,
        temperature: float | None,
        max_tokens: int | None,
    ) -> Awaitable[Completion]:
        """One backend call: non-streaming ``create`` where the backend has it (no deltas
        are needed here, and skipping SSE decoding is most of the client's CPU per call)."""
        opts: dict[str, Any] = {
            "tools": tools,
            "tool_choice": tool_choice,
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        create = getattr(self.backend, "create", None)
        if create is not None:
            return create(messages, **opts)  # type: ignore[no-any-return]
        return complete(self.backend, messages, **opts)

    async def stream(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> AsyncIterator[StreamItem]:
        done = await self.call(
            messages, tools, tool_choice=tool_choice, temperature=temperature, max_tokens=max_tokens
        )
        if done.message.content:
            yield TextDelta(done.message.content)
        yield done


def _aiohttp_client(sdk: Any) -> Any:
    """The SDK's aiohttp-backed HTTP client, or None (the SDK's httpx default) without aiohttp.

    At distill's request rates the client's CPU per call is the bottleneck, and the
    aiohttp transport costs about half of the default httpx one (httpcore + anyio).
    Its errors are mapped to httpx errors, so retries and error messages are unchanged.
    """
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return None
    return sdk.DefaultAioHttpClient()


async def close_backend(backend: ChatModel) -> None:
    """Close a cloud backend's HTTP client (its connection pool) in the loop that used it."""
    client = getattr(backend, "client", None)
    close = getattr(client, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            await close()


def build_backend(
    provider: str,
    model: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model_path: Path | None = None,
    timeout: float = 600.0,
    n_ctx: int = 4096,
) -> ChatModel:
    """The shared backend for a teacher, with SDK retries off (one retry layer: ours)."""
    if provider == "anthropic":
        import anthropic

        from assistant.llm.anthropic import AnthropicModel

        return AnthropicModel(
            model,
            api_key=api_key,
            base_url=base_url,
            max_retries=0,
            timeout=timeout,
            http_client=_aiohttp_client(anthropic),
        )
    if provider == "openai":
        import openai

        from assistant.llm.openai import OpenAIModel

        return OpenAIModel(
            model,
            api_key=api_key,
            base_url=base_url,
            max_retries=0,
            timeout=timeout,
            http_client=_aiohttp_client(openai),
        )
    if provider == "local":
        from assistant.llm.models import load_model

        spec = str(model_path) if model_path else (model or "local")
        return load_model(spec, n_ctx=n_ctx)
    raise LLMError(f"Unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}.")
