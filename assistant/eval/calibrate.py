"""Choose a local model's call threshold on a validation split.

At the start of a reply the local backend can decide whether to open a tool call by
comparing the model's probability of opening one with a threshold (see
``llm.llamacpp.BranchProbe``). This module measures that probability at every assistant
turn of held-out dataset records — labelled by whether the teacher called a tool there —
and picks the threshold that maximises balanced accuracy: the mean of the share of call
turns that open a call and the share of other turns that do not.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.eval import spread
from assistant.llm.base import Message

GRID = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
"""Thresholds shown in the table (the chosen one is searched over all measured values)."""


class CalibrationError(ValueError):
    """The validation data cannot be used (missing, malformed, or one-sided)."""


@dataclass(frozen=True)
class BranchPoint:
    record_id: str
    messages: list[Message]
    """The conversation before the assistant turn."""
    tools: list[dict[str, Any]]
    calls: bool
    """Whether the teacher's turn opened with a tool call."""


@dataclass(frozen=True)
class Scored:
    point: BranchPoint
    p_open: float


@dataclass(frozen=True)
class Operating:
    threshold: float
    call_recall: float
    """Share of call turns whose probability reaches the threshold."""
    abstain_recall: float
    """Share of no-call turns below it."""

    @property
    def balanced(self) -> float:
        return (self.call_recall + self.abstain_recall) / 2


def branch_points(path: Path, limit: int | None = None) -> list[BranchPoint]:
    """Every assistant turn of the records in ``path`` (JSONL), spread evenly to ``limit``."""
    if not path.is_file():
        raise CalibrationError(
            f"No validation records at {path}; pass --data with a distill val.jsonl."
        )
    points: list[BranchPoint] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            points.extend(_points_of(record))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CalibrationError(
                f"{path}:{lineno} is not a dataset record ({exc}); pass a distill val.jsonl."
            ) from None
    kinds = {p.calls for p in points}
    if kinds != {True, False}:
        raise CalibrationError(
            f"{path} needs turns with and without tool calls to calibrate on; it has "
            f"{'only call turns' if True in kinds else 'no call turns'}."
        )
    if limit and len(points) > limit:
        points = _spread_by_label(points, limit)
    return points


def _spread_by_label(points: list[BranchPoint], limit: int) -> list[BranchPoint]:
    """``limit`` points spread evenly within call and no-call turns, in their share (at
    least one of each), kept in file order."""
    indexed = list(enumerate(points))
    calls = [ip for ip in indexed if ip[1].calls]
    others = [ip for ip in indexed if not ip[1].calls]
    n_calls = min(max(1, round(limit * len(calls) / len(points))), limit - 1)
    picked = spread(calls, n_calls) + spread(others, limit - n_calls)
    return [point for _, point in sorted(picked, key=lambda ip: ip[0])]


def _points_of(record: dict[str, Any]) -> Iterator[BranchPoint]:
    tools = record.get("tools") or []
    if not tools:
        return
    history: list[Message] = []
    for raw in record["messages"]:
        message = Message.from_dict(raw)
        # A call after prose is decided mid-reply, not at the branch point measured here.
        if message.role == "assistant" and not (message.tool_calls and message.content.strip()):
            yield BranchPoint(
                str(record.get("id", "")), list(history), tools, bool(message.tool_calls)
            )
        history.append(message)


def score(
    points: list[BranchPoint],
    probability: Callable[[list[Message], list[dict[str, Any]]], float],
    on_done: Callable[[int], None] | None = None,
) -> list[Scored]:
    scored = []
    for i, point in enumerate(points, 1):
        scored.append(Scored(point, probability(point.messages, point.tools)))
        if on_done is not None:
            on_done(i)
    return scored


def operating_point(scored: list[Scored], threshold: float) -> Operating:
    calls = [s.p_open for s in scored if s.point.calls]
    others = [s.p_open for s in scored if not s.point.calls]
    return Operating(
        threshold,
        sum(p >= threshold for p in calls) / len(calls),
        sum(p < threshold for p in others) / len(others),
    )


def choose_threshold(scored: list[Scored]) -> Operating:
    """The threshold with the best balanced accuracy; ties go to the middle of the run."""
    values = sorted({s.p_open for s in scored})
    # Candidates halfway between neighbouring measured values (plus the extremes), so
    # the chosen threshold does not sit on one example's probability.
    candidates = [values[0] / 2]
    candidates += [(a + b) / 2 for a, b in itertools.pairwise(values)]
    candidates.append((values[-1] + 1) / 2)
    points = [operating_point(scored, t) for t in candidates]
    best = max(p.balanced for p in points)
    tied = [p for p in points if p.balanced >= best - 1e-12]
    return tied[len(tied) // 2]


def table(scored: list[Scored]) -> list[Operating]:
    return [operating_point(scored, t) for t in GRID]
