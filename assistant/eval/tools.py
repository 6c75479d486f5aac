"""Run tool-calling cases through a model and grade them.

Each case is one model call with tool choice ``auto``, through the same
``ChatModel.stream`` the agent uses (for local models: the prompt format, the stop at
``<tool_call>`` and the grammar-constrained call body). Only the calls the backend
returns count, exactly as the agent would act on them; a ``<tool_call>`` left in the
text is a malformed attempt. Local cases run one at a time, grouped by tool set so
the KV cache keeps the shared prompt prefix; cloud cases run concurrently.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.eval.checker import REASONS, Call, Case, check_reply
from assistant.llm.base import ChatModel, LLMError, Message, Usage, complete
from assistant.llm.dialects import DIALECTS

DEFAULT_TEMPERATURE = 0.0
DEFAULT_MAX_TOKENS = 128
"""Per reply. Every call in the shipped cases fits in well under 100 tokens, and a call
in this format comes first or after a sentence; the cap keeps a rambling answer
from costing minutes on a CPU. Raise it with --max-tokens for prose-first models."""
CLOUD_CONCURRENCY = 8
_TEXT_KEPT = 400


@dataclass
class CaseResult:
    id: str
    category: str
    needs_call: bool
    passed: bool
    reason: str | None
    detail: str
    calls: list[dict[str, Any]]
    content: str
    well_formed: list[bool]
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    finish_reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "needs_call": self.needs_call,
            "passed": self.passed,
            "reason": self.reason,
            "detail": self.detail,
            "calls": self.calls,
            "content": self.content[:_TEXT_KEPT],
            "well_formed": self.well_formed,
            "finish_reason": self.finish_reason,
            "latency_s": round(self.latency_s, 3),
            "usage": self.usage.to_dict(),
        }


_STRAY = re.compile("|".join(d.stray_open for d in DIALECTS.values()))


def count_stray_blocks(text: str) -> int:
    """Call openings left in the text (``<tool_call>`` then a JSON object, or another
    local dialect's opening then a call): attempts the backend did not return as calls,
    e.g. cut off by the token limit. The tag merely mentioned in prose ("within
    <tool_call> tags") is not an attempt."""
    return len(_STRAY.findall(text))


async def run_case(
    model: ChatModel,
    case: Case,
    *,
    temperature: float | None = DEFAULT_TEMPERATURE,
    max_tokens: int | None = DEFAULT_MAX_TOKENS,
) -> CaseResult:
    messages = [Message.from_dict(m) for m in case.messages]
    started = time.monotonic()
    try:
        done = await complete(
            model,
            messages,
            tools=case.tools,
            tool_choice="auto",
            temperature=temperature,
            max_tokens=max_tokens,
        )
    except LLMError as exc:
        return CaseResult(
            case.id, case.category, case.needs_call, False, "error", str(exc), [], "", []
        )
    elapsed = time.monotonic() - started
    calls = [Call(tc.name, tc.arguments) for tc in done.message.tool_calls]
    verdict = check_reply(case, calls, count_stray_blocks(done.message.content))
    return CaseResult(
        id=case.id,
        category=case.category,
        needs_call=case.needs_call,
        passed=verdict.passed,
        reason=verdict.reason,
        detail=verdict.detail,
        calls=[c.to_dict() for c in calls],
        content=done.message.content,
        well_formed=verdict.well_formed,
        usage=done.usage,
        latency_s=elapsed,
        finish_reason=done.finish_reason,
    )


def _tools_key(case: Case) -> str:
    return json.dumps(case.tools, sort_keys=True)


async def run_cases(
    model: ChatModel,
    cases: list[Case],
    *,
    temperature: float | None = DEFAULT_TEMPERATURE,
    max_tokens: int | None = DEFAULT_MAX_TOKENS,
    concurrency: int | None = None,
    on_result: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Results in the order of ``cases``. ``concurrency`` defaults to 1 locally, 8 in the cloud."""
    if concurrency is None:
        concurrency = 1 if model.provider == "local" else CLOUD_CONCURRENCY
    results: dict[str, CaseResult] = {}
    order = cases
    if concurrency == 1:
        # Same tools, same prompt prefix: llama.cpp then only evaluates the user turn.
        first_seen: dict[str, int] = {}
        for i, c in enumerate(cases):
            first_seen.setdefault(_tools_key(c), i)
        order = sorted(cases, key=lambda c: first_seen[_tools_key(c)])
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(case: Case) -> None:
        async with gate:
            result = await run_case(model, case, temperature=temperature, max_tokens=max_tokens)
        results[case.id] = result
        if on_result is not None:
            on_result(result)

    if concurrency == 1:
        for case in order:
            await one(case)
    else:
        await asyncio.gather(*(one(c) for c in order))
    return [results[c.id] for c in cases]


def _rate(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def summarize(results: list[CaseResult]) -> dict[str, Any]:
    """The headline numbers: accuracy overall, per category, for calls and abstentions."""
    by_cat: dict[str, list[CaseResult]] = {}
    for r in results:
        by_cat.setdefault(r.category, []).append(r)
    graded = [r for r in results if r.reason != "error"]
    call_cases = [r for r in results if r.needs_call]
    abstain_cases = [r for r in results if not r.needs_call]
    flags = [f for r in results for f in r.well_formed]
    reasons = Counter(r.reason for r in results if not r.passed and r.reason)
    usage = Usage()
    for r in results:
        usage = usage + r.usage
    return {
        "n_cases": len(results),
        "n_errors": len(results) - len(graded),
        "accuracy": _rate(sum(r.passed for r in results), len(results)),
        "call_accuracy": _rate(sum(r.passed for r in call_cases), len(call_cases)),
        "abstain_accuracy": _rate(sum(r.passed for r in abstain_cases), len(abstain_cases)),
        "n_call_cases": len(call_cases),
        "n_abstain_cases": len(abstain_cases),
        "cases_with_calls": sum(1 for r in results if r.calls or not all(r.well_formed)),
        "well_formed_rate": _rate(sum(flags), len(flags)),
        "n_call_attempts": len(flags),
        "categories": {
            cat: {
                "n": len(rs),
                "passed": sum(r.passed for r in rs),
                "accuracy": _rate(sum(r.passed for r in rs), len(rs)),
            }
            for cat, rs in sorted(by_cat.items())
        },
        "failure_reasons": {k: reasons[k] for k in REASONS if reasons[k]},
        "usage": usage.to_dict(),
    }
