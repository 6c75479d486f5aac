"""Scripted-teacher throughput: N records (default 1,000) with the default task mix,
agent tasks in the real Docker sandbox, through `assistant distill` as a user runs it.

Prints a table per mix: wall time, records/s, rejected tasks, sandbox errors, and the
time the same run would take for 1,000 records. The target is 1,000 records in under
5 minutes on a 2-core machine.

    python benchmarks/bench_scripted.py [--n 1000] [--sandbox docker]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIXES = {
    "default": None,
    "no sandbox (call+abstain)": "call=0.4,abstain=0.6",
    "agent only": "agent=1",
}


def run(n: int, mix: str | None, sandbox: str, seed: int) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="bench-scripted-"))
    cmd = [
        sys.executable,
        "-m",
        "assistant.distill",
        "--provider",
        "scripted",
        "-n",
        str(n),
        "-o",
        str(out / "d"),
        "--seed",
        str(seed),
        "--sandbox",
        sandbox,
        "--quiet",
    ]
    if mix:
        cmd += ["--task-mix", mix]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"distill failed ({res.returncode}): {res.stderr[-2000:]}")
    meta = json.loads((out / "d" / "metadata.json").read_text())
    rejected = meta["attempted"] - meta["records"]["this_run"]
    return {
        "records": meta["records"]["this_run"],
        "wall_s": wall,
        "rps": n / wall,
        "rejected": rejected,
        "errors": sum(meta["errors"].values()),
        "per_1000_s": wall * 1000 / n,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--sandbox", default="docker")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mixes", default=",".join(MIXES), help="comma list of: " + ", ".join(MIXES))
    args = ap.parse_args()
    rows = []
    for name in args.mixes.split(","):
        r = run(args.n, MIXES[name], args.sandbox, args.seed)
        rows.append((name, r))
        print(f"  done: {name}", file=sys.stderr)
    print(f"\nscripted teacher, {args.n} records, sandbox {args.sandbox}\n")
    head = f"{'mix':<28}{'records':>8}{'wall s':>9}{'rec/s':>8}{'rejected':>10}{'errors':>8}{'s/1000':>9}"
    print(head)
    print("-" * len(head))
    for name, r in rows:
        print(
            f"{name:<28}{r['records']:>8.0f}{r['wall_s']:>9.1f}{r['rps']:>8.1f}"
            f"{r['rejected']:>10.0f}{r['errors']:>8.0f}{r['per_1000_s']:>9.1f}"
        )


if __name__ == "__main__":
    main()
