"""Shared material for agent tasks: names, small modules with planted bugs, helpers."""

from __future__ import annotations

import random
import re

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
