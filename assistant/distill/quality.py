"""The quality report: per category and per provider, what was kept and what it teaches.

For each group: records accepted, tasks rejected by reason, the share of records that
call a tool vs abstain, steps (assistant turns) per record, and which tools the records
use. It goes into ``metadata.json`` (``quality``) and the end-of-run table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any


def _empty() -> dict[str, Any]:
    return {
        "accepted": 0,
        "rejected": Counter(),
        "with_calls": 0,
        "abstentions": 0,
        "steps": 0,
        "tools_used": Counter(),
    }


def quality_report(
    records: Iterable[dict[str, Any]],
    rejected: Iterable[tuple[str, str, str]],
    category_of: Callable[[str], str],
) -> dict[str, dict[str, dict[str, Any]]]:
    """``records``: accepted records; ``rejected``: (task id, provider, reason) rows."""
    groups: dict[str, dict[str, dict[str, Any]]] = {
        "per_category": defaultdict(_empty),
        "per_provider": defaultdict(_empty),
    }
    for r in records:
        meta = r.get("meta", {})
        calls = [c for m in r.get("messages", []) for c in m.get("tool_calls") or []]
        steps = sum(1 for m in r.get("messages", []) if m.get("role") == "assistant")
        for key, name in (
            ("per_category", meta.get("category", "?")),
            ("per_provider", meta.get("provider", "?")),
        ):
            g = groups[key][name]
            g["accepted"] += 1
            g["with_calls" if calls else "abstentions"] += 1
            g["steps"] += steps
            g["tools_used"].update(c.get("function", {}).get("name", "?") for c in calls)
    for task_id, provider, reason in rejected:
        groups["per_category"][category_of(task_id)]["rejected"][reason or "?"] += 1
        groups["per_provider"][provider]["rejected"][reason or "?"] += 1
    return {key: {name: _finish(g) for name, g in sorted(by.items())} for key, by in groups.items()}


def _finish(g: dict[str, Any]) -> dict[str, Any]:
    n = g["accepted"]
    return {
        "accepted": n,
        "rejected": dict(g["rejected"].most_common()),
        "with_calls": g["with_calls"],
        "abstentions": g["abstentions"],
        "call_share": round(g["with_calls"] / n, 4) if n else None,
        "abstain_share": round(g["abstentions"] / n, 4) if n else None,
        "steps_per_record": round(g["steps"] / n, 3) if n else None,
        "tools_used": dict(g["tools_used"].most_common()),
    }
