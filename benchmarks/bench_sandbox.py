"""Latency of a trivial command (`true`) through the sandbox vs plain docker CLI.

    .venv/bin/python benchmarks/bench_sandbox.py [--runs 200] [--cli-runs 20]

Rows: container start (first command), warm persistent-shell exec (p50/p95),
``docker exec <ctr> true`` and ``docker run --rm <image> true``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time

from assistant.tools.sandbox import open_sandbox
from assistant.tools.sandbox.image import IMAGE


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


async def main(runs: int, cli_runs: int, starts: int) -> None:
    rows: list[tuple[str, int, float, float]] = []
    with tempfile.TemporaryDirectory() as ws:
        start_times = []
        for i in range(starts):
            sb = open_sandbox("docker", ws, f"bench-start-{i}")
            t = time.perf_counter()
            await sb.exec("true", timeout=60)
            start_times.append(time.perf_counter() - t)
            await sb.close()
        rows.append(
            (
                "container start + first exec",
                starts,
                statistics.median(start_times),
                pct(start_times, 95),
            )
        )

        sb = open_sandbox("docker", ws, "bench")
        await sb.exec("true", timeout=60)
        for _ in range(20):  # warm up
            await sb.exec("true")
        lat = []
        for _ in range(runs):
            t = time.perf_counter()
            res = await sb.exec("true")
            lat.append(time.perf_counter() - t)
            assert res.exit_code == 0
        rows.append(("sandbox exec (warm shell)", runs, statistics.median(lat), pct(lat, 95)))
        cid = sb.container.id
        ex = [timed(["docker", "exec", cid, "true"]) for _ in range(cli_runs)]
        rows.append(("docker exec <ctr> true", cli_runs, statistics.median(ex), pct(ex, 95)))
        await sb.close()
        run = [
            timed(["docker", "run", "--rm", "--network", "none", IMAGE, "true"])
            for _ in range(max(cli_runs // 4, 3))
        ]
        rows.append(
            ("docker run --rm <image> true", len(run), statistics.median(run), pct(run, 95))
        )

    print(f"{'what':32} {'n':>5} {'p50 ms':>9} {'p95 ms':>9}")
    for name, n, p50, p95 in rows:
        print(f"{name:32} {n:>5} {p50 * 1e3:>9.2f} {p95 * 1e3:>9.2f}")
    warm, dexec = rows[1][2], rows[2][2]
    print(f"\nwarm exec is {dexec / warm:.0f}x faster than `docker exec` (p50)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--cli-runs", type=int, default=20)
    ap.add_argument("--starts", type=int, default=5)
    a = ap.parse_args()
    asyncio.run(main(a.runs, a.cli_runs, a.starts))
