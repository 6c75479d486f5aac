"""What a task family is: a category, a mode, and a builder of concrete tasks.

A family's ``build(rng)`` returns a :class:`Spec`: the prompt, the workspace files and
setup, the checks, the tools offered, and the solution the scripted teacher plays.
Everything is drawn from ``rng``, so one (seed, index) always yields the same task.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.distill.catalogue import Function
from assistant.distill.scripted import Solution

MODES = ("call", "abstain", "agent")
"""call: a catalogue function fits; abstain: tools are offered and none should be
called; agent: the assistant's own tools on a workspace."""


@dataclass
class Spec:
    prompt: str
    verify: list[dict[str, Any]]
    solution: Solution
    files: dict[str, str] = field(default_factory=dict)
    setup: list[str] = field(default_factory=list)
    functions: list[str | Function] | None = None
    """Functions offered (catalogue names, or drawn service functions); None offers the
    agent's own tools."""


@dataclass(frozen=True)
class Family:
    id: str
    category: str
    mode: str
    build: Callable[[random.Random], Spec]
    distinct: bool = True
    """Counts as a distinct task (its own workspace, setup or check), not a rewording."""


@dataclass
class Task:
    """One concrete unit of work: a built family, assigned to a teacher later."""

    task_id: str
    index: int
    template_id: str
    category: str
    mode: str
    prompt: str
    files: dict[str, str]
    setup: list[str]
    verify: list[dict[str, Any]]
    solution: Solution = field(repr=False, compare=False)
    functions: list[str | Function] | None = None
    code_required: bool = False
