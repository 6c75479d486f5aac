"""How far an eval's figures can be trusted, and whether two runs really differ.

Each case (or agent task) is one pass/fail trial, so a pass rate gets a Wilson score
interval. Two runs over the same cases are compared case by case: only the cases that
flip carry information, and the exact McNemar test (a two-sided binomial test on the
flips, even odds) says how often that many flips one way would come up if neither
model were better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    category: str
    passed: bool
    needs_call: bool | None
    """None for agent tasks, which have no call/abstain split."""


@dataclass(frozen=True)
class Paired:
    n: int
    """Cases both runs hold."""
    gained: int
    """Failed in A, passed in B."""
    lost: int
    """Passed in A, failed in B."""
    p_value: float


def wilson_interval(passed: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a pass rate of ``passed`` out of ``n`` (n > 0)."""
    from scipy.stats import binomtest  # a second to import; only reports need it

    ci = binomtest(passed, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def mcnemar_p(gained: int, lost: int) -> float:
    """Exact two-sided McNemar p-value for ``gained`` flips one way and ``lost`` the other."""
    from scipy.stats import binomtest

    flips = gained + lost
    if flips == 0:
        return 1.0
    return float(binomtest(gained, flips, 0.5).pvalue)


def outcomes(data: dict[str, Any]) -> dict[str, Outcome]:
    """Per-case (tools) or per-task (agent) results of a results file, by id."""
    rows = data.get("cases") or data.get("tasks") or []
    return {
        str(r["id"]): Outcome(str(r["category"]), bool(r["passed"]), r.get("needs_call"))
        for r in rows
        if isinstance(r, dict) and "id" in r and "passed" in r and "category" in r
    }


def pairable(a: dict[str, Outcome], b: dict[str, Outcome]) -> list[str]:
    """The ids both runs hold, or none when a shared id has another category in each
    (the runs were made on different data and their cases cannot be paired)."""
    shared = [i for i in a if i in b]
    if any(a[i].category != b[i].category for i in shared):
        return []
    return shared


def paired(
    a: dict[str, Outcome],
    b: dict[str, Outcome],
    ids: list[str],
    keep: Callable[[Outcome], bool] = lambda _: True,
) -> Paired | None:
    """The flips between A and B over the ``ids`` that ``keep`` selects; None if none do."""
    chosen = [i for i in ids if keep(a[i])]
    if not chosen:
        return None
    gained = sum(1 for i in chosen if b[i].passed and not a[i].passed)
    lost = sum(1 for i in chosen if a[i].passed and not b[i].passed)
    return Paired(len(chosen), gained, lost, mcnemar_p(gained, lost))
