"""Dedup speed and memory: 100,000 synthetic records through exact + MinHash-LSH dedup.

5% of the records are exact copies (up to case and spacing) of earlier ones and 5%
are near copies (about one word in a hundred changed, Jaccard ~0.9); the rest are distinct. Reports wall
time, records/s, what was caught, and peak RSS.

    python benchmarks/bench_dedup.py [--n 100000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.distill.dedup import NUM_PERM, Deduper


def _vocab(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(size)]


def records(n: int, seed: int = 0):
    rng = random.Random(seed)
    vocab = _vocab(rng)
    made: list[list[str]] = []
    for i in range(n):
        roll = rng.random()
        if made and roll < 0.05:
            words = list(rng.choice(made))
            kind = "exact"
        elif made and roll < 0.10:
            words = list(rng.choice(made))
            for j in range(rng.randrange(100), len(words), 100):  # ~1 word in 100
                words[j] = rng.choice(vocab)
            kind = "near"
        else:
            words = rng.choices(vocab, k=rng.randint(80, 200))
            kind = "new"
            if len(made) < 5000:
                made.append(words)
            else:
                made[rng.randrange(5000)] = words
        yield (
            kind,
            {
                "id": str(i),
                "messages": [
                    {"role": "user", "content": "Explain " + " ".join(words[:8])},
                    {"role": "assistant", "content": " ".join(words[8:])},
                ],
                "meta": {},
            },
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    data = list(records(args.n))
    planted = {
        "exact": sum(k == "exact" for k, _ in data),
        "near": sum(k == "near" for k, _ in data),
    }
    d = Deduper()
    t0 = time.perf_counter()
    for _, rec in data:
        d.add(rec)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\ndedup: {args.n:,} synthetic records (exact SHA-256 + MinHash-LSH, {NUM_PERM} perms, "
        "Jaccard 0.85)\n"
    )
    print(f"{'metric':<28} {'value':>14}")
    rows = [
        ("wall time (s)", f"{wall:.1f}"),
        ("records/s", f"{args.n / wall:,.0f}"),
        ("exact duplicates planted", f"{planted['exact']:,}"),
        ("exact duplicates caught", f"{d.stats.exact:,}"),
        ("near duplicates planted", f"{planted['near']:,}"),
        ("near duplicates caught", f"{d.stats.near:,}"),
        ("kept", f"{d.stats.kept:,}"),
        ("peak RSS (MB, whole process)", f"{peak_mb:,.0f}"),
        ("target", "< 60 s, < 2048 MB"),
    ]
    for k, v in rows:
        print(f"{k:<28} {v:>14}")


if __name__ == "__main__":
    main()
