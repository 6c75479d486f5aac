"""Small real-shaped dataset records (OpenAI messages + tools) for the training tests.

They follow what ``assistant distill`` writes: a system turn, tools, assistant turns
with ``tool_calls`` (arguments as a JSON string), tool results, a final answer.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

SYSTEM = "You are a coding assistant. Read files before you answer questions about them."

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a text file from the workspace.",
            "parameters": {
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "Path relative to the workspace."}
                },
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "run_shell",
            "description": "Run a shell command in the sandbox — output is truncated.",
            "parameters": {
                "type": "object",
                "properties": {"command": {"type": "string"}},
                "required": ["command"],
            },
        },
    },
]

_FUNCS = ["add", "sub", "mul", "div", "parse", "render", "load", "save", "main", "helper"]
_FILES = ["calc.py", "utils.py", "app.py", "io.py", "cli.py", "core.py"]
_GENERAL = [
    (
        "What is a Python decorator?",
        "A decorator is a function that takes a function and returns a new one, written with @name above a def.",
    ),
    (
        "What is a list comprehension?",
        "A compact way to build a list: [x * 2 for x in items if x > 0].",
    ),
    (
        "What does `git stash` do?",
        "It saves your uncommitted changes and restores a clean working tree; `git stash pop` brings them back.",
    ),
    (
        "What is the difference between a tuple and a list?",
        "A tuple is immutable and a list is mutable; both are ordered sequences.",
    ),
]


def _call(cid: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": cid,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }


def make_records(n: int, seed: int = 0, tools: bool = True) -> list[dict[str, Any]]:
    """``n`` records: reading a file, running tests (two calls in one turn), general questions."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 3
        f = rng.choice(_FILES)
        funcs = rng.sample(_FUNCS, 3)
        if kind == 0:
            body = "\n\n".join(
                f"def {fn}(a, b):\n    return a {rng.choice('+-*')} b" for fn in funcs
            )
            msgs = [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": f"What functions are defined in {f}?"},
                {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [_call("c1", "read_file", {"path": f})],
                },
                {"role": "tool", "tool_call_id": "c1", "name": "read_file", "content": body},
                {
                    "role": "assistant",
                    "content": f"{f} defines " + ", ".join(f"`{fn}`" for fn in funcs) + ".",
                },
            ]
        elif kind == 1:
            bad = funcs[0]
            msgs = [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": "Run the tests and tell me which one fails."},
                {
                    "role": "assistant",
                    "content": "I will run the tests and read the test file.",
                    "tool_calls": [
                        _call("c1", "run_shell", {"command": "pytest -q"}),
                        _call("c2", "read_file", {"path": f"tests/test_{f}"}),
                    ],
                },
                {
                    "role": "tool",
                    "tool_call_id": "c1",
                    "name": "run_shell",
                    "content": f"FAILED tests/test_{f}::test_{bad} - assert 3 == 4\n1 failed, {rng.randint(2, 9)} passed",
                },
                {
                    "role": "tool",
                    "tool_call_id": "c2",
                    "name": "read_file",
                    "content": f"def test_{bad}():\n    assert {bad}(1, 2) == 4",
                },
                {
                    "role": "assistant",
                    "content": f"`test_{bad}` fails: it expects {bad}(1, 2) == 4 but gets 3.",
                },
            ]
        else:
            q, a = _GENERAL[i % len(_GENERAL)]
            msgs = [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": q},
                {"role": "assistant", "content": a},
            ]
        out.append(
            {
                "id": f"rec-{seed}-{i}",
                "messages": msgs,
                "tools": TOOLS if tools else [],
                "meta": {"provider": "test", "category": ["read", "tests", "general"][kind]},
            }
        )
    return out


def write_dataset(
    out: Path, n_train: int, n_val: int = 0, seed: int = 0, tools: bool = True
) -> Path:
    """A distill-style directory with train.jsonl (and val.jsonl); ``tools=False`` makes
    short records (no tool list in the system turn) for fast training tests."""
    out.mkdir(parents=True, exist_ok=True)
    recs = make_records(n_train + n_val, seed, tools)
    (out / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[:n_train]))
    if n_val:
        (out / "val.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[n_train:]))
    return out


def write_run_inputs(root: Path, n_train: int, n_val: int, config: str) -> tuple[Path, Path]:
    """A dataset of short records and a YAML config for a training run, under ``root``."""
    data = write_dataset(root / "data", n_train, n_val, tools=False)
    path = root / "train.yaml"
    path.write_text(config)
    return data, path
