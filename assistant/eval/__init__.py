"""``assistant eval``: tool-calling accuracy on cases, and agentic coding on tasks.

``checker`` grades one model reply against a case, ``tools`` runs cases through a
backend, ``agent`` runs tasks through the agent loop and sandbox, ``report`` prints
tables, compares result files and draws plots, ``cli`` is the command group.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def spread(items: list[T], n: int | None) -> list[T]:
    """``n`` items spread evenly over ``items`` (which are grouped by kind), in order."""
    if not n or n >= len(items):
        return items
    return [items[(i * len(items)) // n] for i in range(n)]
