"""Placeholder: families are added in this session."""

from __future__ import annotations

from assistant.distill.tasks.base import Family


def families() -> list[Family]:
    return []
