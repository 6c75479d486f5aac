"""Hand-written services: small two-action APIs of many shapes, for function-calling tasks.

The drawn services (``services.py``, ``records.py``) vary names and values over a few
fixed action shapes. These are written one by one, as a developer would expose a small
service: a pair of sibling actions with their own parameters (ids in a house format,
decimals, counts, yes/no options stated as a phrase, enums named by a word, months,
times of day), several ways a user asks for each, a request that leaves a required
value out and the question it calls for, and requests the service cannot do.

Values are drawn from small tables (``Param.draws``: the argument and how a user writes
it) or from the helpers below; results are deterministic fakes drawn from the call's
arguments (``Action.result``), and the reply names every result value.

None of these domains is one of ``eval/tools``'s services (a test checks the names).
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.distill.catalogue import Function
from assistant.distill.services import draw_date, seeded

Drawn = tuple[Any, str]
"""(the argument, how a user writes it)."""
Draw = Callable[[random.Random], Drawn]


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    """JSON schema type: string, integer, number or boolean."""
    description: str
    draws: tuple[Drawn, ...] | Draw
    enum: tuple[str, ...] = ()
    say: tuple[str, ...] = ()
    """Optional parameters only: phrases appended to a request that state the value
    (``{v}`` is how the user writes it). A required parameter has none."""

    @property
    def required(self) -> bool:
        return not self.say

    def draw(self, rng: random.Random) -> Drawn:
        if callable(self.draws):
            return self.draws(rng)
        return rng.choice(self.draws)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "description": self.description}
        if self.enum:
            out["enum"] = list(self.enum)
        return out


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    params: tuple[Param, ...]
    say: tuple[str, ...]
    """Requests: ``{name}`` is a parameter's value as written. Every required parameter
    appears in every request; an optional one that appears is stated in that request."""
    result: dict[str, tuple[Any, ...]]
    """Result fields and the values each is drawn from."""
    reply: str
    """The answer from a result: ``{name}`` for an argument or a result field."""
    doing: str
    """What it does, after "can" / "only": "place a hold on a book"."""
    missing: tuple[tuple[str, str], ...] = ()
    """(a request that leaves a required value out, the question asking for it)."""

    def function(self, domain: str) -> Function:
        params = {
            "type": "object",
            "properties": {p.name: p.schema() for p in self.params},
            "required": [p.name for p in self.params if p.required],
        }
        return Function(self.name, domain, self.run, self.description, params)

    def run(self, **kwargs: Any) -> dict[str, Any]:
        r = seeded(self.name, "written", kwargs)
        return {key: r.choice(options) for key, options in self.result.items()}


@dataclass(frozen=True)
class Domain:
    key: str
    topic: str
    """What its tools handle, plural: "library loans"."""
    actions: tuple[Action, Action]
    cannot: tuple[tuple[str, str], ...] = field(default=())
    """(a request in this domain its tools cannot do, what that would be: "renew a
    passport")."""

    def functions(self) -> list[Function]:
        return [a.function(self.key) for a in self.actions]


# -- value helpers --------------------------------------------------------------------------
def date(rng: random.Random) -> Drawn:
    shown, iso = draw_date(rng)
    return iso, shown


def month(rng: random.Random) -> Drawn:
    d = dt.date(2026, rng.randint(1, 12), 1).replace(year=rng.choice([2026, 2027]))
    shown = rng.choice([d.strftime("%B %Y"), d.strftime("%b %Y"), d.strftime("%Y-%m")])
    return d.strftime("%Y-%m"), shown


def clock(rng: random.Random) -> Drawn:
    h, m = rng.randint(7, 21), rng.choice([0, 15, 30, 45])
    v = f"{h:02d}:{m:02d}"
    return v, rng.choice([v, v, f"{h % 12 or 12}:{m:02d}{'am' if h < 12 else 'pm'}"])


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine", "ten", "eleven", "twelve"]  # fmt: skip


def count(lo: int, hi: int, words: bool = True) -> Draw:
    """An integer in [lo, hi], sometimes written as a word."""

    def draw(rng: random.Random) -> Drawn:
        n = rng.randint(lo, hi)
        shown = str(n)
        if words and n < len(NUMBER_WORDS) and rng.random() < 0.35:
            shown = NUMBER_WORDS[n]
        elif words and n == 12 and rng.random() < 0.5:
            shown = "a dozen"
        return n, shown

    return draw


def decimal(lo: float, hi: float, places: int = 1) -> Draw:
    def draw(rng: random.Random) -> Drawn:
        v = round(rng.uniform(lo, hi), places)
        return v, f"{v:.{places}f}"

    return draw


def code(pattern: str) -> Draw:
    """An id in a house format: ``#`` a digit, ``@`` a capital letter, others kept."""

    def draw(rng: random.Random) -> Drawn:
        v = "".join(
            rng.choice(string.digits)
            if c == "#"
            else rng.choice(string.ascii_uppercase)
            if c == "@"
            else c
            for c in pattern
        )
        return v, v

    return draw


def words(*values: str) -> tuple[Drawn, ...]:
    """Strings a user writes exactly as the argument."""
    return tuple((v, v) for v in values)


YES = ((True, ""),)
"""The value of an optional yes/no parameter whose phrase states it."""
