"""What a chat template that breaks the prefix property costs: prompt tokens re-evaluated.

The default model (SmolLM2-135M) is prompted once in the project's format and once with
a real template that breaks the property (Mistral v0.3's, stored in tests/data), on the
same two-question agent conversation. For each, the first question's prompt is
evaluated, then the second question's; llama.cpp reuses the KV cache up to the first
token that differs. Pairs alternate so a busy machine slows both alike.

    .venv/bin/python scripts/template_prefix_cost.py [--pairs 3] [--template NAME] [--threads 1]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.llm.base import Message, ToolCall, complete  # noqa: E402
from assistant.llm.llamacpp import LlamaCppModel  # noqa: E402
from assistant.llm.models import default_model_path  # noqa: E402
from tests.llm.sample_tools import TOOLS  # noqa: E402

TEMPLATES = ROOT / "tests" / "data" / "chat_templates"
READ = ToolCall("read_file", {"path": "README.md"})
FIRST = [
    Message.system("You are a coding assistant. Read files before answering."),
    Message.user("What does README.md say?"),
    Message("assistant", "", tool_calls=[READ]),
    Message.tool(READ, "# Demo\nA small demo project with a calculator."),
]
SECOND = [
    *FIRST,
    Message("assistant", "It describes a small demo project with a calculator."),
    Message.user("Which files are in src?"),
]


async def measure(model: LlamaCppModel) -> tuple[int, int, float]:
    """(prompt tokens, tokens evaluated, seconds to first token) for the second question."""
    await complete(model, FIRST, tools=TOOLS, max_tokens=1, temperature=0.0)
    await complete(model, SECOND, tools=TOOLS, max_tokens=1, temperature=0.0)
    s = model.last_stats
    return s.prompt_tokens, s.prompt_eval_tokens, s.time_to_first_token_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--template", default="mistral-7b-instruct-v0.3")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (all cores)")
    args = ap.parse_args()
    path = default_model_path()
    template = (TEMPLATES / f"{args.template}.jinja").read_text()
    models = {
        "project format": LlamaCppModel(path, n_ctx=4096, n_threads=args.threads),
        f"{args.template} template": LlamaCppModel(
            path, n_ctx=4096, n_threads=args.threads, chat_template=template
        ),
    }
    for name, model in models.items():
        print(f"{name}: {model.prompt_format.name}; notices: {model.notices}")
    results: dict[str, list[tuple[int, int, float]]] = {k: [] for k in models}
    for _ in range(args.pairs):
        for name, model in models.items():
            results[name].append(asyncio.run(measure(model)))
    print(f"\nsecond question of a two-question agent conversation, {args.pairs} alternating pairs")
    print(f"{'format':<40} {'prompt':>7} {'evaluated':>10} {'reused':>7} {'ttft (median)':>14}")
    for name, rows in results.items():
        prompt, evaluated = rows[-1][0], rows[-1][1]
        ttft = statistics.median(r[2] for r in rows)
        print(f"{name:<40} {prompt:>7} {evaluated:>10} {prompt - evaluated:>7} {ttft:>12.2f} s")


if __name__ == "__main__":
    main()
