"""Task families and the deterministic expansion of (seed, index) into tasks.

A run draws each task's mode by the mix (``call`` / ``abstain`` / ``agent``), then a
category within the mode, then a family within the category, then the family builds
the task from a generator seeded by ``(seed, index)``: the same seed gives the same
task at the same index on every machine and every resume.
"""

from __future__ import annotations

import random
from functools import cache

from assistant.distill.tasks import (
    agent,
    agent_direct,
    agent_lookup,
    agent_missing,
    coding_answers,
    functions,
    records,
    services,
    written,
)
from assistant.distill.tasks.base import MODES, Family, Spec, Task

DEFAULT_MIX = {"call": 0.28, "abstain": 0.43, "agent": 0.29}
"""Share of records per mode: about 38% abstentions, most of them near misses."""
ABSTAIN_WEIGHTS = {
    "near_miss": 0.50,
    "missing_value": 0.28,
    "knowledge": 0.17,
    "chat": 0.05,
    "services_near": 0.45,
    "services_other": 0.45,
    "services_missing": 0.25,
    "services_unrelated": 0.1,
    "records_missing": 0.3,
    "agent_missing": 0.4,
    "coding_answers": 0.6,
    "written_near": 0.45,
    "written_other": 0.35,
    "written_missing": 0.3,
    "written_unrelated": 0.1,
}
"""Weight of each abstention category among abstentions: mostly hard cases."""
CATEGORY_WEIGHTS = {
    "services": 1.5,
    "services_parallel": 0.7,
    "records": 1.5,
    "direct_tools": 3.0,
    "direct_lookup": 3.0,
    "written": 4.0,
    "chains": 3.0,
    "file_edits": 3.0,
    "shell_edits": 3.0,
}
"""Weight of a call or agent category within its mode (others: 1)."""
HELD_OUT_CATEGORIES = frozenset({written.HELD_OUT_CATEGORY})
"""Validation-only services: drawn only when ``--categories`` names them, never by default."""


class TemplateError(ValueError):
    """Unknown categories or an impossible mix; the message names the fix."""


@cache
def all_families() -> tuple[Family, ...]:
    fams = [
        *functions.families(),
        *agent.families(),
        *services.families(),
        *agent_direct.families(),
        *records.families(),
        *coding_answers.families(),
        *agent_missing.families(),
        *agent_lookup.families(),
        *written.families(),
    ]
    ids = [f.id for f in fams]
    if len(ids) != len(set(ids)):
        raise TemplateError("Two task families share an id; ids must be unique.")
    return tuple(fams)


def category_of(task_id: str) -> str:
    """The category of a task id (``s{seed}-{index}-{family}``), or "?" if unknown."""
    parts = task_id.split("-", 2)
    return _family_categories().get(parts[2], "?") if len(parts) == 3 else "?"


@cache
def _family_categories() -> dict[str, str]:
    return {f.id: f.category for f in all_families()}


def categories() -> list[str]:
    return sorted({f.category for f in all_families()})


def parse_mix(text: str | None) -> dict[str, float]:
    """``call=0.3,abstain=0.4,agent=0.3`` → weights (missing modes get 0)."""
    if not text:
        return dict(DEFAULT_MIX)
    out = dict.fromkeys(MODES, 0.0)
    for item in text.split(","):
        key, _, value = item.partition("=")
        key = key.strip()
        if key not in MODES:
            raise TemplateError(
                f"--task-mix names {key!r}; use {', '.join(MODES)} as in "
                "call=0.3,abstain=0.4,agent=0.3."
            )
        try:
            out[key] = float(value)
        except ValueError:
            raise TemplateError(f"--task-mix value for {key} must be a number.") from None
    if any(v < 0 for v in out.values()) or sum(out.values()) <= 0:
        raise TemplateError("--task-mix weights must be non-negative and not all zero.")
    return out


class TaskSource:
    """Deterministic ``index -> Task`` for one seed, category selection and mix."""

    def __init__(
        self,
        seed: int,
        categories: list[str] | None = None,
        mix: dict[str, float] | None = None,
        families: tuple[Family, ...] | None = None,
    ) -> None:
        pool = families if families is not None else all_families()
        known = sorted({f.category for f in pool})
        if categories:
            unknown = [c for c in categories if c not in known]
            if unknown:
                raise TemplateError(
                    f"Unknown categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
                    f"choose from {', '.join(known)}."
                )
            pool = tuple(f for f in pool if f.category in categories)
        else:
            pool = tuple(f for f in pool if f.category not in HELD_OUT_CATEGORIES)
        if not pool:
            raise TemplateError("No task families match the chosen categories.")
        self.seed = seed
        self.by_mode: dict[str, dict[str, list[Family]]] = {}
        for f in pool:
            self.by_mode.setdefault(f.mode, {}).setdefault(f.category, []).append(f)
        weights = mix or DEFAULT_MIX
        self.modes = [m for m in MODES if m in self.by_mode and weights.get(m, 0) > 0]
        if not self.modes:
            raise TemplateError("The --task-mix gives no weight to any selected category's mode.")
        self.mode_weights = [weights[m] for m in self.modes]
        self._memo: dict[int, Task] = {}

    def task(self, index: int) -> Task:
        cached = self._memo.get(index)
        if cached is None:
            if len(self._memo) > 4096:
                self._memo.clear()
            cached = self._memo[index] = self.make(index)
        return cached

    def family_for(self, rng: random.Random) -> Family:
        mode = rng.choices(self.modes, self.mode_weights)[0]
        cats = sorted(self.by_mode[mode])
        if mode == "abstain":
            w = [ABSTAIN_WEIGHTS.get(c, 0.1) for c in cats]
            category = rng.choices(cats, w)[0]
        elif any(c in CATEGORY_WEIGHTS for c in cats):
            category = rng.choices(cats, [CATEGORY_WEIGHTS.get(c, 1.0) for c in cats])[0]
        else:
            category = rng.choice(cats)
        return rng.choice(self.by_mode[mode][category])

    def make(self, index: int, family: Family | None = None) -> Task:
        """The task at ``index`` (or ``family``'s task for that index: the sweeps use it)."""
        rng = random.Random(f"{self.seed}:{index}")
        fam = family or self.family_for(rng)
        spec = fam.build(rng)
        return task_from(spec, fam, f"s{self.seed}-{index:07d}-{fam.id}", index)


def task_from(spec: Spec, fam: Family, task_id: str, index: int) -> Task:
    return Task(
        task_id=task_id,
        index=index,
        template_id=fam.id,
        category=fam.category,
        mode=fam.mode,
        prompt=spec.prompt,
        files=spec.files,
        setup=spec.setup,
        verify=spec.verify,
        solution=spec.solution,
        functions=spec.functions,
    )


__all__ = [
    "DEFAULT_MIX",
    "HELD_OUT_CATEGORIES",
    "Family",
    "Spec",
    "Task",
    "TaskSource",
    "TemplateError",
    "all_families",
    "categories",
    "category_of",
    "parse_mix",
]
