"""Noisy-channel scoring of the function name against a model's own choice.

A tuned model that calls the wrong function of a service mostly calls a sibling
(``list_tide_stations`` for ``lookup_tide_table``). The noisy channel asks the other way
round: how likely is the user's request given each tool's name and description,
``log P(request | tool)`` under a plain language model (the bundled base by default).
This script scores every single-turn case whose expected calls name one function and
compares, on the cases where the evaluated model called something, the model's first
function with the channel's choice and with a rule that takes the channel's choice only
when it wins by more than a margin (nats). It also prints, per category, how far the best
tool's score rises above the request's score with no tool (a PMI), and what answering
instead of calling below a PMI threshold would fix and break: the channel's signal for
abstaining.

    assistant eval tools --model local -o build/eval-tools.json
    python benchmarks/bench_channel.py --results build/eval-tools.json \
        [--data eval/tools/cases.jsonl] [--model PATH.gguf] [--scores build/channel.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.eval.checker import Case, load_cases
from assistant.llm.models import default_model_path

MARGINS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
PMI_THRESHOLDS = (-2.0, 0.0, 2.0, 4.0, 6.0)


def tool_prefix(function: dict[str, Any]) -> str:
    description = function.get("description", "")
    return f"A tool: {function['name']} — {description}\nA request this tool answers: "


NULL_PREFIX = "A request: "


class ChannelScorer:
    def __init__(self, model: Path) -> None:
        from llama_cpp import Llama

        self.llm = Llama(
            model_path=str(model),
            n_ctx=1024,
            logits_all=True,
            n_threads=1,
            n_threads_batch=1,
            verbose=False,
        )

    def log_likelihood(self, prefix: str, text: str) -> float:
        """Sum of ``log P(token)`` over ``text``'s tokens after ``prefix``."""
        head = self.llm.tokenize(prefix.encode(), add_bos=False, special=False)
        tail = self.llm.tokenize(text.encode(), add_bos=False, special=False)
        self.llm.reset()
        self.llm.eval(head + tail)
        # The logits at position i predict token i + 1.
        logits = np.asarray(self.llm.scores[len(head) - 1 : len(head) + len(tail) - 1], np.float64)
        top = logits.max(axis=1)
        log_norm = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
        return float((logits[np.arange(len(tail)), tail] - log_norm).sum())

    def score(self, case: Case) -> dict[str, Any]:
        request = case.messages[-1]["content"]
        tools = {t["function"]["name"]: t["function"] for t in case.tools}
        return {
            "category": case.category,
            "expected": sorted({e.name for e in case.expected}),
            "scores": {
                name: self.log_likelihood(tool_prefix(f), request) for name, f in tools.items()
            },
            "null": self.log_likelihood(NULL_PREFIX, request),
        }


def channel_scores(cases: list[Case], model: Path, cache: Path | None) -> dict[str, Any]:
    if cache is not None and cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    scorer = ChannelScorer(model)
    started = time.perf_counter()
    scored = {
        c.id: scorer.score(c)
        for c in cases
        if [m.get("role") for m in c.messages if m.get("role") != "system"] == ["user"]
        and len(c.tools) >= 2
    }
    print(f"scored {len(scored)} cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if cache is not None:
        cache.write_text(json.dumps(scored), encoding="utf-8")
    return scored


def name_table(scored: dict[str, Any], results: dict[str, Any]) -> None:
    picks = {
        c["id"]: c["calls"][0]["name"]
        for c in results["cases"]
        if c["needs_call"] and c["calls"] and c["id"] in scored
    }
    single = {i: p for i, p in picks.items() if len(scored[i]["expected"]) == 1}
    model_right = sum(p in scored[i]["expected"] for i, p in single.items())
    channel_right = sum(
        max(scored[i]["scores"], key=scored[i]["scores"].get) in scored[i]["expected"]
        for i in single
    )
    print(f"\ncases with one expected function where the model called one: {len(single)}")
    print(f"model's function right {model_right}, channel's choice right {channel_right}\n")
    print("| switch when the channel wins by more than | fixed | broken | net | function right |")
    print("|---|---|---|---|---|")
    for margin in MARGINS:
        fixed = broken = 0
        for i, pick in single.items():
            scores, expected = scored[i]["scores"], scored[i]["expected"]
            best = max(scores, key=scores.get)
            if best == pick or scores[best] - scores[pick] <= margin:
                continue
            fixed += best in expected and pick not in expected
            broken += pick in expected
        net = fixed - broken
        print(f"| {margin:g} nats | {fixed} | {broken} | {net:+d} | {model_right + net} |")


def pmi_table(scored: dict[str, Any]) -> None:
    by_category: dict[str, list[float]] = defaultdict(list)
    for s in scored.values():
        by_category[s["category"]].append(max(s["scores"].values()) - s["null"])
    print("\n| category | cases | PMI of the best tool: 10th pct | median | 90th pct |")
    print("|---|---|---|---|---|")
    for category, values in sorted(by_category.items()):
        values.sort()
        n = len(values)
        print(
            f"| {category} | {n} | {values[n // 10]:.1f} | {statistics.median(values):.1f} "
            f"| {values[9 * n // 10]:.1f} |"
        )


def abstain_table(scored: dict[str, Any], results: dict[str, Any]) -> None:
    """Turn a call into an answer when the best tool's PMI is under a threshold."""
    called = [c for c in results["cases"] if c["calls"] and c["id"] in scored]
    print("\n| answer instead of calling when the best PMI is under | fixed | broken | net |")
    print("|---|---|---|---|")
    for threshold in PMI_THRESHOLDS:
        fixed = broken = 0
        for c in called:
            s = scored[c["id"]]
            if max(s["scores"].values()) - s["null"] >= threshold:
                continue
            fixed += not c["needs_call"] and not c["passed"]
            broken += c["needs_call"] and c["passed"]
        print(f"| {threshold:g} nats | {fixed} | {broken} | {fixed - broken:+d} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True, help="assistant eval tools -o JSON")
    parser.add_argument("--data", type=Path, default=Path("eval/tools/cases.jsonl"))
    parser.add_argument(
        "--model", type=Path, default=None, help="scoring GGUF (default: bundled base)"
    )
    parser.add_argument("--scores", type=Path, default=None, help="cache the channel scores here")
    args = parser.parse_args()
    scored = channel_scores(load_cases(args.data), args.model or default_model_path(), args.scores)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    name_table(scored, results)
    pmi_table(scored)
    abstain_table(scored, results)


if __name__ == "__main__":
    main()
