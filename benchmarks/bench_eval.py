"""Both evaluations on the default model (and any other given), as the README's tables.

Runs ``assistant eval tools`` and ``assistant eval agent`` once per model through the
real CLI, keeps the results files, and prints Markdown: a headline row per model,
then accuracy per category for each evaluation, then the exact commands.

    python benchmarks/bench_eval.py [--model SPEC ...] [--tools-limit N] [--agent-limit N]
                                    [--skip-agent] [--threads N] [--out DIR] [--reuse]

``--model`` is repeatable; the default model (``local``) always runs first. A results
file already in ``--out`` for the same model and settings is reused (delete it to
rerun). The full run of 491 cases and 33 tasks takes a while on a small CPU.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _assistant() -> list[str]:
    exe = Path(sys.executable).parent / "assistant"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant.cli"]


def _slug(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(spec).stem if spec.endswith(".gguf") else spec)


def _run(cmd: list[str], out: Path, reuse: bool) -> tuple[dict[str, Any], float]:
    if reuse and out.exists():
        data = json.loads(out.read_text())
        return data, float(data.get("elapsed_s") or data.get("wall_s") or 0.0)
    started = time.monotonic()
    proc = subprocess.run(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {shlex.join(cmd)}\n{proc.stderr[-2000:]}")
    return json.loads(out.read_text()), time.monotonic() - started


def pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def category_table(title: str, runs: list[tuple[str, dict[str, Any]]]) -> list[str]:
    cats = list(dict.fromkeys(c for _, d in runs for c in d["categories"]))
    lines = [
        f"**{title}**",
        "",
        "| category | n | " + " | ".join(name for name, _ in runs) + " |",
        "|---|---:|" + "---:|" * len(runs),
    ]
    for c in cats:
        n = next(d["categories"][c]["n"] for _, d in runs if c in d["categories"])
        vals = [pct(d["categories"].get(c, {}).get("accuracy")) for _, d in runs]
        lines.append(f"| {c} | {n} | " + " | ".join(vals) + " |")
    return [*lines, ""]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", default=[], help="Another model to evaluate.")
    ap.add_argument("--tools-limit", type=int, default=None, help="Only the first N cases.")
    ap.add_argument("--agent-limit", type=int, default=None, help="Only the first N tasks.")
    ap.add_argument("--skip-agent", action="store_true", help="Tool calling only.")
    ap.add_argument("--threads", type=int, default=None, help="CPU threads for local models.")
    ap.add_argument("--sandbox", default="docker", help="Sandbox for eval agent.")
    ap.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "assistant-bench-eval"
    )
    ap.add_argument("--reuse", action="store_true", help="Reuse results files already in --out.")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    models = ["local", *[m for m in args.model if m != "local"]]

    rows, tools_runs, agent_runs, commands = [], [], [], []
    for spec in models:
        slug = _slug(spec)
        t_out = args.out / f"tools-{slug}.json"
        t_cmd = [*_assistant(), "eval", "tools", "--model", spec, "--output", str(t_out)]
        extra = ["--threads", str(args.threads)] if args.threads else []
        t_cmd += extra
        if args.tools_limit:
            t_cmd += ["--limit", str(args.tools_limit)]
        tools, t_wall = _run(t_cmd, t_out, args.reuse)
        commands.append(t_cmd)
        tools_runs.append((tools["model"], tools))
        row = {
            "model": tools["model"],
            "tools": tools,
            "t_wall": t_wall,
        }
        if not args.skip_agent:
            a_out = args.out / f"agent-{slug}.json"
            a_cmd = [*_assistant(), "eval", "agent", "--model", spec, "--sandbox", args.sandbox]
            a_cmd += ["--output", str(a_out), *extra]
            if args.agent_limit:
                a_cmd += ["--limit", str(args.agent_limit)]
            agent, a_wall = _run(a_cmd, a_out, args.reuse)
            commands.append(a_cmd)
            agent_runs.append((agent["model"], agent))
            row |= {"agent": agent, "a_wall": a_wall}
        rows.append(row)

    print(
        "| model | tools: overall | needs a call | no call is right | well-formed calls "
        "| tools wall s | agent: pass rate | steps | tokens in/out | agent wall s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        t = r["tools"]
        cells = [
            r["model"],
            f"{pct(t['accuracy'])} of {t['n_cases']}",
            pct(t["call_accuracy"]),
            pct(t["abstain_accuracy"]),
            pct(t["well_formed_rate"]),
            f"{r['t_wall']:.0f}",
        ]
        if "agent" in r:
            a = r["agent"]
            u = a["usage"]
            cells += [
                f"{pct(a['accuracy'])} of {a['n_tasks']}",
                str(a["steps"]),
                f"{u['input_tokens']}/{u['output_tokens']}",
                f"{r['a_wall']:.0f}",
            ]
        else:
            cells += ["", "", "", ""]
        print("| " + " | ".join(cells) + " |")
    print()
    for line in category_table("eval tools, accuracy per category", tools_runs):
        print(line)
    if agent_runs:
        for line in category_table("eval agent, pass rate per category", agent_runs):
            print(line)
    print("Commands:")
    print()
    for cmd in commands:
        shown = [Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd)]
        print(f"    {shlex.join(shown)}")
    print()
    print(f"    python benchmarks/bench_eval.py {shlex.join(sys.argv[1:])}".rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
