"""Local backend speed: decode overhead of LlamaCppModel and KV-cache reuse across turns.

Prints a table:

1. decode tokens/s through ``LlamaCppModel.stream`` vs raw
   ``llama_cpp.Llama.create_completion(stream=True)`` on the same ``Llama`` instance,
   prompt and sampling parameters (target ratio >= 0.95);
2. time to first token of turn 2 on a ~2,000-token history vs turn 1 with the same
   history evaluated cold (target <= 25%).

Usage: ``python benchmarks/bench_llm.py [--model PATH] [--tokens 128] [--repeats 3] [--threads N]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from assistant.llm import toolformat
from assistant.llm.base import Completion, Message
from assistant.llm.llamacpp import DEFAULT_SEED, LlamaCppModel
from assistant.llm.models import default_model_path

TEMPERATURE = 0.2
STORY = [
    Message.system("You are a helpful assistant."),
    Message.user(
        "Write a long, detailed essay about the history of computers, from the abacus to today."
    ),
]


async def decode_via_model(model: LlamaCppModel, n: int) -> tuple[float, int]:
    """Decode tokens/s measured outside the model, from first to last streamed item."""
    t_first = None
    final: Completion | None = None
    async for item in model.stream(STORY, max_tokens=n, temperature=TEMPERATURE):
        if t_first is None:
            t_first = time.perf_counter()
        if isinstance(item, Completion):
            final = item
    t_end = time.perf_counter()
    assert final is not None and t_first is not None
    # The first item arrives after the first token (at the earliest): count the rest.
    tokens = final.usage.output_tokens
    return (tokens - 1) / (t_end - t_first), tokens


def decode_raw(model: LlamaCppModel, n: int) -> tuple[float, int]:
    llm = model.llama
    prompt = model.tokenize(toolformat.render_prompt(STORY))
    t_first = None
    chunks = 0
    for chunk in llm.create_completion(
        prompt=prompt,
        max_tokens=n,
        temperature=TEMPERATURE,
        top_k=40,
        top_p=0.95,
        min_p=0.05,
        repeat_penalty=1.1,
        seed=DEFAULT_SEED,
        stream=True,
    ):
        if t_first is None:
            t_first = time.perf_counter()
        # One chunk a token, plus a last empty one carrying finish_reason.
        chunks += bool(chunk["choices"][0]["text"])
    t_end = time.perf_counter()
    assert t_first is not None
    return (chunks - 1) / (t_end - t_first), chunks


def history(model: LlamaCppModel, target_tokens: int) -> list[Message]:
    """A made-up coding conversation of about ``target_tokens`` tokens."""
    msgs = [Message.system("You are a coding assistant working in a Python repository.")]
    i = 0
    while model.count_tokens(msgs) < target_tokens:
        i += 1
        msgs.append(
            Message.user(
                f"Explain what function step_{i} in pipeline.py does and whether it is safe."
            )
        )
        msgs.append(
            Message(
                "assistant",
                f"`step_{i}` reads the batch, normalises every record, drops rows whose id is "
                f"missing and writes the result to stage_{i}.parquet. It holds no locks, so two "
                "workers may race on the same output file; guard it with a temporary file and "
                "an atomic rename.",
            )
        )
    msgs.append(Message.user("Now summarise the risks you found in one paragraph."))
    return msgs


async def first_token_s(model: LlamaCppModel, msgs: list[Message]) -> tuple[float, Completion]:
    final = None
    async for item in model.stream(msgs, max_tokens=24, temperature=0.0):
        if isinstance(item, Completion):
            final = item
    assert final is not None
    return model.last_stats.time_to_first_token_s, final


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--tokens", type=int, default=128, help="tokens to decode per run")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--decode-repeats", type=int, default=8, help="raw/stream decode pairs")
    ap.add_argument("--history", type=int, default=2000, help="history length in tokens")
    ap.add_argument("--threads", type=int, default=None, help="default: every core")
    args = ap.parse_args()
    path = args.model or default_model_path()
    t0 = time.perf_counter()
    model = LlamaCppModel(path, n_ctx=4096, n_threads=args.threads)
    load_s = time.perf_counter() - t0
    print(
        f"model: {model.name} ({path.name}), n_threads={model.n_threads}, load {load_s:.2f}s",
        flush=True,
    )

    # Warm up (page in the weights) then alternate raw and wrapped runs, swapping which
    # goes first each time: this machine's speed drifts by up to ±30% between runs, so
    # the ratio is the median of the per-pair ratios, not a ratio of separate medians.
    decode_raw(model, 16)
    ours, raw = [], []
    for i in range(args.decode_repeats):
        if i % 2:
            ours.append(await decode_via_model(model, args.tokens))
            raw.append(decode_raw(model, args.tokens))
        else:
            raw.append(decode_raw(model, args.tokens))
            ours.append(await decode_via_model(model, args.tokens))
    ours_tps = statistics.median(t for t, _ in ours)
    raw_tps = statistics.median(t for t, _ in raw)
    pair_ratio = statistics.median(o / r for (o, _), (r, _) in zip(ours, raw, strict=True))
    ours_n = statistics.median(n for _, n in ours)
    raw_n = statistics.median(n for _, n in raw)

    hist = history(model, args.history)
    cold, warm, evals = [], [], []
    for r in range(args.repeats):
        # Evaluate something unrelated so turn 1 starts from an empty KV cache.
        await first_token_s(model, [Message.user(f"Unrelated warm-up {r}.")])
        t1, reply = await first_token_s(model, hist)
        cold.append(t1)
        turn2 = [*hist, reply.message, Message.user("Which of those risks is the worst?")]
        t2, _ = await first_token_s(model, turn2)
        warm.append(t2)
        evals.append((model.last_stats.prompt_eval_tokens, model.last_stats.prompt_tokens))
    hist_tokens = model.count_tokens(hist)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)

    rows = [
        ("decode tok/s, raw Llama.create_completion", f"{raw_tps:8.1f}", f"{raw_n:.0f} tokens"),
        ("decode tok/s, LlamaCppModel.stream", f"{ours_tps:8.1f}", f"{ours_n:.0f} tokens"),
        ("  ratio stream / raw (target >= 0.95)", f"{pair_ratio:8.3f}", "median of pairs"),
        (f"TTFT turn 1, {hist_tokens}-token history (cold)", f"{cold_s * 1000:8.0f}", "ms"),
        ("TTFT turn 2, same history + 1 turn (KV reuse)", f"{warm_s * 1000:8.0f}", "ms"),
        ("  ratio turn 2 / turn 1 (target <= 0.25)", f"{warm_s / cold_s:8.3f}", ""),
        ("  turn 2 prompt tokens evaluated / total", f"{evals[-1][0]:>8}", f"of {evals[-1][1]}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>8}  note")
    print("-" * (width + 24))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value}  {note}")
    print(
        f"(decode: {args.decode_repeats} alternating pairs; TTFT: median of {args.repeats} runs; "
        f"{time.perf_counter() - t0:.0f}s in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
