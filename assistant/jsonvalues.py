"""Comparing JSON values the way a checker means "the same answer"."""

from __future__ import annotations

from typing import Any


def same_json_value(a: Any, b: Any) -> bool:
    """JSON values equal, with 2 and 2.0 the same number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json_value(a[k], b[k]) for k in a)
    return bool(a == b)
