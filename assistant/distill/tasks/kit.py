"""Shared material for task families: names, small modules with planted bugs, helpers,
and the builders several families share (one direct tool call, one drawn-service call)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from assistant.distill.catalogue import Function
from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.functions import parse_result

Values = dict[str, Any]

MODULES = [
    "calc",
    "geometry",
    "pricing",
    "inventory",
    "textutil",
    "scoring",
    "timeutil",
    "ledger",
    "metrics",
    "shapes",
    "payroll",
    "grades",
    "units",
    "parser",
    "stats",
    "cart",
]
VERBS = [
    "add",
    "scale",
    "clamp",
    "total",
    "average",
    "normalize",
    "merge",
    "split",
    "count",
    "parse",
    "format",
    "round",
    "apply",
    "compute",
    "convert",
    "validate",
    "score",
    "rank",
]
NOUNS = [
    "price",
    "items",
    "score",
    "weight",
    "values",
    "rate",
    "name",
    "record",
    "totals",
    "label",
    "amount",
    "tax",
    "discount",
    "ratio",
    "limit",
    "point",
    "window",
    "entry",
]
UNITTEST = "python3 -m unittest -v"
"""The sandbox image has no pytest; the standard library's runner is always there."""


def fresh_names(rng: random.Random, k: int) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        name = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}"
        if name not in out:
            out.append(name)
    return out


def join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def shown_path(rng: random.Random, rel: str) -> str:
    """The path as the model writes it: relative, or under the /workspace mount it is shown."""
    return f"/workspace/{rel}" if rng.random() < 0.3 else rel


FUNCS = [
    ("def {n}(a, b):\n    return a + b\n", "{n}(2, 3)", 5),
    ("def {n}(values):\n    return sum(values) / len(values)\n", "{n}([2, 4, 6])", 4.0),
    ("def {n}(x, low, high):\n    return max(low, min(x, high))\n", "{n}(15, 0, 10)", 10),
    ("def {n}(price, pct):\n    return round(price * (1 - pct / 100), 2)\n", "{n}(200, 10)", 180.0),
    ("def {n}(items):\n    return len([i for i in items if i])\n", "{n}([1, 0, 2, None])", 2),
    ("def {n}(a, b):\n    return a * b\n", "{n}(6, 7)", 42),
    ("def {n}(text):\n    return text.strip().lower()\n", "{n}('  Hi ')", "hi"),
    ("def {n}(x):\n    return x * x\n", "{n}(9)", 81),
]
BUGS = [  # (correct body, buggy body, test call, expected); the bodies differ in length so
    # a stale .pyc (same mtime second, same size) can never hide a fix
    ("    return a + b\n", "    return a + b + 1\n", "(2, 3)", "5"),
    ("    return a * b\n", "    return a ** b\n", "(4, 5)", "20"),
    ("    return max(a, b)\n", "    return a if a < b else b\n", "(3, 8)", "8"),
    ("    return a - b\n", "    return -a + b\n", "(10, 4)", "6"),
    ("    return a // b\n", "    return a % b\n", "(17, 5)", "3"),
    ("    return a ** b\n", "    return a * b\n", "(2, 5)", "32"),
]


def module(
    rng: random.Random, k: int, names: list[str] | None = None
) -> tuple[str, list[str], list[str]]:
    """Source of a module with k functions (``names`` if given), their names, and usage lines."""
    names = names or fresh_names(rng, k)
    bodies = rng.sample(FUNCS, k)
    src = [f'"""Helpers for the {rng.choice(NOUNS)} module."""\n']
    for name, (body, _, _) in zip(names, bodies, strict=True):
        src.append("\n\n" + body.format(n=name))
    return (
        "".join(src),
        names,
        [call.format(n=n) for n, (_, call, _) in zip(names, bodies, strict=True)],
    )


def stdout(output: str) -> str:
    """A run_shell/run_python result without its ``[exit code: N]`` trailer."""
    return re.split(r"\n\[(?:exit code|output truncated|timed out)", output)[0].strip()


def exit_code(output: str) -> int | None:
    m = re.search(r"\[exit code: (-?\d+)\]\s*$", output)
    return int(m.group(1)) if m else None


def unittest_outcome(output: str) -> tuple[str | None, bool]:
    """(how many tests ran, as printed, or None; whether the run ended OK) of a unittest run."""
    ran = re.search(r"Ran (\d+) tests?", output)
    return (ran.group(1) if ran else None), re.search(r"^OK", output, re.M) is not None


def lines_of(read_output: str) -> list[str]:
    """The file lines in a read_file result, without their numbers."""
    return re.findall(r"^\s*\d+\t(.*)$", read_output, re.M)


def listed(output: str) -> list[str]:
    """The paths in a list_files or glob result, without its trailing notes."""
    return [x for x in output.strip().splitlines() if x and not x.startswith("[")]


def hit_refs(output: str) -> list[str]:
    """``path:line`` of each match in a grep result."""
    return [f"{m.group(1)}:{m.group(2)}" for m in re.finditer(r"^(\S+?):(\d+):", output, re.M)]


def fenced(title: str, lang: str = "") -> Callable[[str], str]:
    """A reply showing a read_file result's lines in a code block under ``title``."""
    return lambda output: f"{title}:\n\n```{lang}\n" + "\n".join(lines_of(output)) + "\n```"


def listing(title: str) -> Callable[[str], str]:
    """A reply listing the paths of a list_files or glob result under ``title``."""
    return lambda output: f"{title}:\n" + "\n".join(listed(output))


def one_call(
    prompt: str,
    tool: str,
    args: dict[str, Any],
    reply: Callable[[str], str],
    has: list[str],
    lacks: list[str] | None = None,
    files: dict[str, str] | None = None,
    setup: list[str] | None = None,
) -> Spec:
    """A direct request: one ``tool`` call with ``args``, then ``reply`` to its output.

    The checks: that tool is called, and the answer holds ``has`` (and none of ``lacks``).
    """

    def solve() -> Script:
        res = yield Call(tool, args)
        yield Answer(reply(res[0].output))

    verify: list[dict[str, Any]] = [
        {"kind": "tool_called", "name": tool},
        {"kind": "answer_has", "texts": has},
    ]
    if lacks is not None:
        verify.append({"kind": "answer_lacks", "texts": lacks})
    return Spec(prompt, verify, solve, files or {}, setup or [])


# -- drawn services (``services.py``, ``records.py``) -----------------------------------------
class Service(Protocol):
    """What a call task needs of a drawn service."""

    def call_name(self, action: str) -> str: ...

    def args(self, values: Values) -> Values: ...


S = TypeVar("S", bound=Service)


@dataclass(frozen=True)
class Drawn(Generic[S]):
    """How one kind of drawn service is drawn, asked for, answered and offered."""

    draw: Callable[[random.Random], S]
    request: Callable[[random.Random, S, str], tuple[str, Values]]
    """A request for an action in the user's words, and the generic arguments it implies."""
    answer: Callable[[S, str, Values, Any], tuple[str, list[str]]]
    """The reply written from a call's result, and the result's values it must name."""
    fake_result: Callable[[S, str, Values], Any]
    offer: Callable[[random.Random, S, list[str]], list[str | Function]]


def call_family(fid: str, category: str, action: str, kind: Drawn[Any]) -> Family:
    """Tasks of one call to ``action`` of a drawn service, answered from its result."""

    def build(rng: random.Random) -> Spec:
        service = kind.draw(rng)
        prompt, values = kind.request(rng, service, action)
        args = service.args(values)
        name = service.call_name(action)
        _, must = kind.answer(service, action, values, kind.fake_result(service, action, values))

        def solve() -> Script:
            results = yield Call(name, args)
            reply, _ = kind.answer(service, action, values, parse_result(results[0].output))
            yield Answer(reply)

        return Spec(
            prompt=prompt,
            verify=[
                {"kind": "called", "name": name, "arguments": args},
                {"kind": "answer_has", "texts": must},
            ],
            solution=solve,
            functions=kind.offer(rng, service, [action]),
        )

    return Family(fid, category, "call", build)
