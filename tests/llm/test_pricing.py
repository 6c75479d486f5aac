"""The price table, model-name matching and cost arithmetic."""

from __future__ import annotations

import pytest

from assistant.llm.base import Message, Usage
from assistant.llm.pricing import PRICES, cost_usd, estimate_tokens, price_for


@pytest.mark.parametrize(
    ("model", "entry"),
    [
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("claude-opus-4-5", "claude-opus-4-5"),
        ("claude-opus-4-20250514", "claude-opus-4"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet"),
        ("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
        ("anthropic:claude-haiku-4-5", "claude-haiku-4-5"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),  # Vertex
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("openai:gpt-4.1-nano", "gpt-4.1-nano"),
        ("GPT-4.1", "gpt-4.1"),
        ("o3-mini-2025-01-31", "o3-mini"),
        ("o4-mini", "o4-mini"),
        ("gpt-5-mini-2025-08-07", "gpt-5-mini"),
        ("gpt-5", "gpt-5"),
    ],
)
def test_names_match_their_entry(model: str, entry: str) -> None:
    assert price_for(model) == PRICES[entry]
    assert price_for(model).known


def test_longest_entry_wins_and_families_do_not_swallow_successors() -> None:
    assert price_for("gpt-4o-mini").input == 0.15  # not gpt-4o's 2.50
    assert price_for("claude-opus-4-5").input == 5.0  # not claude-opus-4's 15.0
    for newer in ("claude-opus-4-9", "claude-sonnet-4-7", "gpt-4o-audio-preview", "gpt-6"):
        p = price_for(newer)
        assert not p.known, newer
        assert (p.input, p.output) == (0.0, 0.0)


def test_local_models_are_free_and_known() -> None:
    for model, provider in [
        ("SmolLM2-135M-Instruct", "local"),
        ("/models/qwen2.5-coder-1.5b-q4_k_m.gguf", None),
        ("local", None),
    ]:
        p = price_for(model, provider)
        assert p.known and p.input == p.output == 0.0
    usage = Usage(input_tokens=10_000, output_tokens=10_000)
    assert cost_usd("SmolLM2-135M-Instruct", usage, provider="local") == 0.0


def test_cost_arithmetic_and_batch_discount() -> None:
    usage = Usage(
        input_tokens=2_000_000,
        output_tokens=100_000,
        cache_read_tokens=1_000_000,
        cache_write_tokens=400_000,
    )
    # claude-sonnet-4-5: 3 in, 15 out, 0.30 cache read, 3.75 cache write ($/MTok)
    expected = 2 * 3.0 + 0.1 * 15.0 + 1 * 0.30 + 0.4 * 3.75
    assert cost_usd("claude-sonnet-4-5", usage) == pytest.approx(expected)
    assert cost_usd("claude-sonnet-4-5", usage, batch=True) == pytest.approx(expected / 2)
    # OpenAI bills no cache writes; cached input at its discounted rate
    assert cost_usd("gpt-4o-mini", usage) == pytest.approx(2 * 0.15 + 0.1 * 0.60 + 1 * 0.075)
    assert cost_usd("mystery-model-7b", usage) == 0.0


def test_claude_cache_prices_follow_the_multipliers() -> None:
    for name, p in PRICES.items():
        if name.startswith("claude") and name != "claude-3-haiku":
            assert p.cache_read == pytest.approx(p.input * 0.1), name
            assert p.cache_write == pytest.approx(p.input * 1.25), name


def test_estimate_tokens_scales_with_text() -> None:
    small = estimate_tokens([Message.user("hello")])
    big = estimate_tokens([Message.user("hello " * 1000)])
    assert small < 10
    assert 1400 < big < 1600
    assert (
        estimate_tokens(
            [Message.user("x")],
            [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        )
        > small
    )


@pytest.mark.parametrize(
    ("model", "inp", "out"),
    [
        ("claude-opus-5-5", 4.0, 20.0),
        ("claude-sonnet-5-5", 2.0, 10.0),
        ("claude-sonnet-5", 2.0, 10.0),
        ("claude-opus-5", 5.0, 25.0),
        ("claude-fable-5-1", 10.0, 50.0),
        ("claude-sonnet-4-6", 3.0, 15.0),
        ("claude-opus-4-7", 5.0, 25.0),
        ("gpt-5.4", 2.50, 15.0),
        ("gpt-5.4-mini", 0.75, 4.50),
    ],
)
def test_current_models_are_priced(model: str, inp: float, out: float) -> None:
    p = price_for(model)
    assert p.known and (p.input, p.output) == (inp, out)
    # a snapshot of the model is the model; the model is not its predecessor
    assert price_for(f"{model}-20261001") == p


def test_the_scripted_teacher_is_free_and_known() -> None:
    p = price_for("scripted", "scripted")
    assert p.known and p.input == p.output == 0.0


def test_set_price_prices_an_unknown_model_and_overrides_the_table() -> None:
    from assistant.llm.pricing import reset_prices, set_price

    usage = Usage(input_tokens=1_000_000, output_tokens=500_000)
    assert not price_for("house-model-x").known
    set_price("house-model-x", 2.0, 6.0)
    assert price_for("openai:house-model-x").known
    assert cost_usd("house-model-x", usage) == pytest.approx(2.0 + 3.0)
    set_price("claude-haiku-4-5", 9.0, 9.0)
    try:
        assert price_for("claude-haiku-4-5").input == 9.0
    finally:
        reset_prices()
    assert price_for("claude-haiku-4-5") == PRICES["claude-haiku-4-5"]
    assert not price_for("house-model-x").known
