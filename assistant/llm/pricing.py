"""What a model call costs, in USD.

Prices are list prices in USD per million tokens, from the providers' pricing
pages (Anthropic, OpenAI), last brought up to date in November 2026. A model name matches an entry
exactly or as that entry plus a snapshot suffix (a date such as
``claude-sonnet-4-5-20250929`` or ``gpt-4o-2024-08-06``, ``-latest``, a
Bedrock ``-v1:0`` or a Vertex ``@date``), longest entry first. Newer releases
are deliberately NOT matched by family (``claude-opus-4-6`` is not priced as
``claude-opus-4``, whose price differs from its successors'). Local models (and distill's scripted teacher) cost
nothing; a model that is not in the table also costs 0, and its
:class:`Price` says ``known=False``, so callers must ask for its prices (distill
refuses to run a paid teacher without them) or warn that a budget cannot be enforced.
Add new models to :data:`PRICES`; :func:`set_price` supplies one at run time
(``--price-in`` / ``--price-out``).

Token accounting (what :class:`~assistant.llm.base.Usage` means everywhere):
``input_tokens`` are prompt tokens billed at the plain input rate, so they
EXCLUDE cache reads and cache writes. That is Anthropic's own meaning; the
OpenAI backend subtracts ``cached_tokens`` from ``prompt_tokens`` to match.
The whole prompt is ``input_tokens + cache_read_tokens + cache_write_tokens``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from assistant.llm.base import Message, Usage

BATCH_DISCOUNT = 0.5
"""Both Anthropic's Message Batches and OpenAI's Batch API bill half price."""


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cache_read: float = 0.0
    cache_write: float = 0.0
    known: bool = True


def _claude(inp: float, out: float) -> Price:
    # Anthropic: cache reads 0.1x input, 5-minute cache writes 1.25x input.
    return Price(inp, out, cache_read=round(inp * 0.1, 6), cache_write=round(inp * 1.25, 6))


PRICES: dict[str, Price] = {
    # Anthropic
    "claude-fable-5-1": _claude(10.0, 50.0),
    "claude-opus-5-5": _claude(4.0, 20.0),
    "claude-opus-5": _claude(5.0, 25.0),
    "claude-sonnet-5-5": _claude(2.0, 10.0),
    "claude-sonnet-5": _claude(2.0, 10.0),
    "claude-opus-4-7": _claude(5.0, 25.0),
    "claude-opus-4-6": _claude(5.0, 25.0),
    "claude-sonnet-4-6": _claude(3.0, 15.0),
    "claude-opus-4-5": _claude(5.0, 25.0),
    "claude-opus-4-1": _claude(15.0, 75.0),
    "claude-opus-4": _claude(15.0, 75.0),
    "claude-sonnet-4-5": _claude(3.0, 15.0),
    "claude-sonnet-4": _claude(3.0, 15.0),
    "claude-haiku-4-5": _claude(1.0, 5.0),
    "claude-3-7-sonnet": _claude(3.0, 15.0),
    "claude-3-5-sonnet": _claude(3.0, 15.0),
    "claude-3-5-haiku": _claude(0.8, 4.0),
    "claude-3-opus": _claude(15.0, 75.0),
    "claude-3-haiku": Price(0.25, 1.25, cache_read=0.03, cache_write=0.30),
    # OpenAI (cached input is discounted; OpenAI does not bill cache writes)
    "gpt-5.4-mini": Price(0.75, 4.50, cache_read=0.075),
    "gpt-5.4": Price(2.50, 15.0, cache_read=0.25),
    "gpt-5-pro": Price(15.0, 120.0),
    "gpt-5-nano": Price(0.05, 0.40, cache_read=0.005),
    "gpt-5-mini": Price(0.25, 2.0, cache_read=0.025),
    "gpt-5": Price(1.25, 10.0, cache_read=0.125),
    "gpt-5-codex": Price(1.25, 10.0, cache_read=0.125),
    "gpt-5.1": Price(1.25, 10.0, cache_read=0.125),
    "gpt-5.1-codex": Price(1.25, 10.0, cache_read=0.125),
    "gpt-4.1-nano": Price(0.10, 0.40, cache_read=0.025),
    "gpt-4.1-mini": Price(0.40, 1.60, cache_read=0.10),
    "gpt-4.1": Price(2.0, 8.0, cache_read=0.50),
    "gpt-4o-mini": Price(0.15, 0.60, cache_read=0.075),
    "gpt-4o": Price(2.50, 10.0, cache_read=1.25),
    "o4-mini": Price(1.10, 4.40, cache_read=0.275),
    "o3-pro": Price(20.0, 80.0),
    "o3-mini": Price(1.10, 4.40, cache_read=0.55),
    "o3": Price(2.0, 8.0, cache_read=0.50),
    "o1-pro": Price(150.0, 600.0),
    "o1-mini": Price(1.10, 4.40, cache_read=0.55),
    "o1-preview": Price(15.0, 60.0, cache_read=7.50),
    "o1": Price(15.0, 60.0, cache_read=7.50),
}

FREE = Price(0.0, 0.0)
UNKNOWN = Price(0.0, 0.0, known=False)
FREE_PROVIDERS = ("local", "scripted")
"""Providers that never bill: the local GGUF model and distill's scripted teacher."""
_CUSTOM: dict[str, Price] = {}


def set_price(model: str, input_usd: float, output_usd: float) -> None:
    """Price ``model`` at run time (USD per million input / output tokens); it takes
    precedence over :data:`PRICES` in this process and the processes it forks."""
    _CUSTOM[normalize(model)] = Price(input_usd, output_usd)


def reset_prices() -> None:
    """Forget every price given with :func:`set_price`."""
    _CUSTOM.clear()


_PROVIDER_PREFIXES = ("anthropic:", "openai:", "anthropic/", "openai/")
_SNAPSHOT = re.compile(r"(-\d{8}|-\d{4}-\d{2}-\d{2}|-latest|-v\d[\w:.-]*|@[\w.-]+)?")


def normalize(model: str) -> str:
    """Lower-case, without an ``anthropic:``/``openai:`` spec prefix."""
    name = model.strip().lower()
    for prefix in _PROVIDER_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def price_for(model: str, provider: str | None = None) -> Price:
    """The price entry for ``model`` (the entry itself or a snapshot of it; see above).

    ``provider="local"`` or ``"scripted"`` (or a ``.gguf`` path, or a ``local:`` spec) is
    free; a price given with :func:`set_price` comes first; anything else not in
    :data:`PRICES` is :data:`UNKNOWN` (free, ``known=False``).
    """
    name = normalize(model)
    if provider in FREE_PROVIDERS or name.endswith(".gguf") or name.startswith("local"):
        return FREE
    if name in _CUSTOM:
        return _CUSTOM[name]
    for key in sorted(PRICES, key=len, reverse=True):
        if name.startswith(key) and _SNAPSHOT.fullmatch(name[len(key) :]):
            return PRICES[key]
    return UNKNOWN


def cost_usd(model: str, usage: Usage, batch: bool = False, provider: str | None = None) -> float:
    """USD for one call's ``usage`` (half price when it ran through a batch API)."""
    p = price_for(model, provider)
    total = (
        usage.input_tokens * p.input
        + usage.output_tokens * p.output
        + usage.cache_read_tokens * p.cache_read
        + usage.cache_write_tokens * p.cache_write
    ) / 1_000_000
    return total * BATCH_DISCOUNT if batch else total


def estimate_tokens(messages: list[Message], tools: list[dict[str, Any]] | None = None) -> int:
    """Roughly 4 characters a token (English and code); an estimate, never exact.

    Used by the cloud backends, where exact counts would cost a network call.
    """
    chars = sum(
        len(m.content) + sum(len(json.dumps(tc.to_dict())) for tc in m.tool_calls) + 8
        for m in messages
    )
    chars += len(json.dumps(tools)) if tools else 0
    return chars // 4 + 1
