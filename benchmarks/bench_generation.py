"""Repeat penalty and per-turn token cap for a local model, measured on eval cases.

Runs the eval's free-text cases (general questions with tools offered, where the right
reply is an answer and no call) greedily under each repeat penalty with a generous
token cap, and counts per setting: right abstentions, replies that loop (a sentence or
an 8-word run said three times or more), replies cut by the cap, and the length of the
replies that did not loop. It also counts answers that copy names from a tool result:
the agent has read a small module with ``read_file`` (the real tool, so the model sees
what it sees in a session) and is asked which functions it defines; the answer is right
when it names every function exactly (a penalty counts the reply's own tokens, so a
second ``_`` in a copied name can lose to ``-``). Prints a markdown table and the
setting it suggests: the lowest penalty with the fewest loops among those within one of
the most abstentions and of the most exact copies, and a cap that cuts neither the
95th-percentile non-looping reply nor any assistant turn of the training data
(``--data``: what the model was taught to write), rounded up to 64 tokens.

    .venv/bin/python benchmarks/bench_generation.py [--model local] [--limit 24]
        [--penalties 1.0,1.1,1.2,1.3] [--cap 512] [--threads 1] [--data train.jsonl]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import statistics
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.eval import spread
from assistant.eval.checker import Case, load_cases
from assistant.eval.tools import run_case
from assistant.llm.base import Message, ToolCall, complete
from assistant.llm.models import load_model
from assistant.tools.base import ToolContext
from assistant.tools.files import read_file

CASES = Path(__file__).resolve().parents[1] / "eval" / "tools" / "cases.jsonl"
FREE_TEXT = ("agent_no_call_general", "no_call_unrelated")
_WORDS = re.compile(r"\w+")
MODULES = {
    "shapes.py": ("perimeter_of_square", "area_of_disc", "volume_of_box"),
    "calc.py": ("add_tax", "round_to_cents", "split_bill"),
    "dates_util.py": ("parse_iso_date", "days_between", "next_working_day"),
    "inventory.py": ("count_in_stock", "restock_item", "list_low_stock"),
    "text_tools.py": ("strip_html_tags", "count_words", "title_case_words"),
    "net_helpers.py": ("build_query_string", "parse_host_port", "is_private_ip"),
}
"""Modules the copy cases read, and the functions each defines."""


@dataclass(frozen=True)
class CopyCase:
    messages: list[Message]
    tools: list[dict[str, Any]]
    names: tuple[str, ...]


async def copy_cases(agent_case: Case, workspace: Path) -> list[CopyCase]:
    """The agent's prompt and tools (from an eval case), a question about a module, the
    ``read_file`` call and what the real tool returns for it."""
    ctx = ToolContext(workspace=workspace)
    cases = []
    for module, names in MODULES.items():
        body = "".join(f"def {n}(value):\n    return value\n\n\n" for n in names)
        (workspace / module).write_text(body.rstrip() + "\n", encoding="utf-8")
        call = ToolCall("read_file", {"path": module})
        read = await read_file.run(call.arguments, ctx)
        if read.is_error:
            raise RuntimeError(f"read_file failed on {module}: {read.output}")
        messages = [
            Message.from_dict(agent_case.messages[0]),
            Message("user", f"What functions are defined in {module}?"),
            Message("assistant", "", tool_calls=[call]),
            Message("tool", read.output, tool_call_id=call.id, name="read_file"),
        ]
        cases.append(CopyCase(messages, agent_case.tools, names))
    return cases


def copied(text: str, names: tuple[str, ...]) -> bool:
    return all(re.search(rf"\b{re.escape(n)}\b", text) for n in names)


def loops(text: str) -> bool:
    """A sentence, or a run of eight words, said three times or more."""
    sentences = [s.strip().lower() for s in re.split(r"(?<=[.!?\n])\s+", text) if len(s) > 12]
    if sentences and Counter(sentences).most_common(1)[0][1] >= 3:
        return True
    words = _WORDS.findall(text.lower())
    grams = Counter(tuple(words[i : i + 8]) for i in range(len(words) - 7))
    return bool(grams) and grams.most_common(1)[0][1] >= 3


def percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] if ordered else 0


async def measure(
    model: Any, cases: list[Any], copies: list[CopyCase], penalty: float, cap: int
) -> dict[str, Any]:
    model.repeat_penalty = penalty
    right = looped = capped = exact = 0
    for copy in copies:
        done = await complete(
            model, copy.messages, tools=copy.tools, tool_choice="auto", temperature=0.0,
            max_tokens=cap,
        )  # fmt: skip
        exact += not done.message.tool_calls and copied(done.message.content, copy.names)
    lengths: list[int] = []
    for case in cases:
        result = await run_case(model, case, temperature=0.0, max_tokens=cap)
        right += result.passed
        looping = loops(result.content)
        looped += looping
        capped += result.finish_reason == "length"
        if not looping:
            lengths.append(result.usage.output_tokens)
    return {
        "penalty": penalty,
        "right": right,
        "looped": looped,
        "capped": capped,
        "copied": exact,
        "median": int(statistics.median(lengths)) if lengths else 0,
        "p95": percentile(lengths, 0.95),
    }


def turn_lengths(model: Any, data: Path) -> list[int]:
    """Tokens of every assistant turn in a distill data file, calls included."""
    lengths = []
    for line in data.read_text(encoding="utf-8").splitlines():
        for m in json.loads(line)["messages"]:
            if m["role"] == "assistant":
                text = m.get("content") or ""
                text += "".join(json.dumps(c["function"]) for c in m.get("tool_calls") or [])
                lengths.append(model.count_tokens([Message("assistant", text)]))
    return lengths


def suggest(rows: list[dict[str, Any]], needed: int) -> dict[str, Any]:
    best_right = max(r["right"] for r in rows)
    best_copied = max(r["copied"] for r in rows)
    keep = [r for r in rows if r["right"] >= best_right - 1 and r["copied"] >= best_copied - 1] or [
        max(rows, key=lambda r: r["right"] + r["copied"])
    ]
    fewest = min(r["looped"] for r in keep)
    pick = min((r for r in keep if r["looped"] == fewest), key=lambda r: r["penalty"])
    cap = 64 * math.ceil(max(64, pick["p95"], needed) / 64)
    return {"repeat_penalty": pick["penalty"], "max_tokens": cap}


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="local")
    ap.add_argument("--limit", type=int, default=24)
    ap.add_argument("--penalties", default="1.0,1.1,1.2,1.3")
    ap.add_argument("--cap", type=int, default=512)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", type=Path, default=None, help="Distill train.jsonl.")
    args = ap.parse_args()

    cases = [c for c in load_cases(CASES) if c.category in FREE_TEXT]
    cases = spread(cases, args.limit)
    agent_case = next(c for c in load_cases(CASES) if c.category == "agent_call")
    model = load_model(args.model, n_threads=args.threads)
    with tempfile.TemporaryDirectory() as workspace:
        copies = await copy_cases(agent_case, Path(workspace))
    penalties = [float(p) for p in args.penalties.split(",")]
    rows = [await measure(model, cases, copies, p, args.cap) for p in penalties]
    n, m = len(cases), len(copies)
    print(
        f"Model {model.name}, {n} free-text eval cases and {m} answers copied from a "
        f"read_file result, greedy, cap {args.cap} tokens.\n"
    )
    print(
        "| repeat penalty | right (no call) | looped | cut by the cap | median tokens "
        "| p95 tokens | names copied exactly |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['penalty']:.2f} | {r['right']}/{n} | {r['looped']}/{n} | {r['capped']}/{n} "
            f"| {r['median']} | {r['p95']} | {r['copied']}/{m} |"
        )
    needed = 0
    if args.data:
        turns = turn_lengths(model, args.data)
        needed = max(turns)
        print(
            f"\nAssistant turns in {args.data}: {len(turns)}, p99 {percentile(turns, 0.99)} "
            f"tokens, longest {needed}."
        )
    pick = suggest(rows, needed)
    print(f"\nSuggested: repeat_penalty {pick['repeat_penalty']}, max_tokens {pick['max_tokens']}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
