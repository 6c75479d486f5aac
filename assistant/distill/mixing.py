"""Split tasks across teachers by ratio, deterministically for a given seed."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from itertools import accumulate


def assign_provider(index: int, seed: int, providers: list[str], ratios: list[float]) -> str:
    """The teacher for task ``index``: a uniform draw from (seed, index) against the ratios.

    Stable across runs and resumes, and independent of which other tasks were
    accepted, so a resumed run sends every task to the same teacher as before.
    """
    if len(providers) == 1:
        return providers[0]
    digest = hashlib.sha256(f"mix:{seed}:{index}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    bounds = list(accumulate(ratios))
    i = min(bisect_right(bounds, u * bounds[-1]), len(providers) - 1)
    return providers[i]
