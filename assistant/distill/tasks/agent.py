"""Agent tasks: a small workspace, a request, checks, and the scripted solution.

Solutions call the assistant's own tools (they run for real in the task's workspace
and sandbox) and write the final answer from what the tools returned: names parsed
from a file, the failing test parsed from the test run, the value printed by a script.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.kit import (
    BUGS,
    MODULES,
    UNITTEST,
    fresh_names,
    join,
    module,
    shown_path,
    unittest_outcome,
)


# -- code search -------------------------------------------------------------------------------
def functions_in_module(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    src, names, _ = module(rng, rng.randint(2, 5))
    files = {f"{mod}.py": src, "README.md": f"# {mod}\n\nSmall helpers.\n"}
    prompt = rng.choice(
        [
            f"What functions are defined in {mod}.py?",
            f"List the functions in {mod}.py.",
            f"Which functions does {mod}.py define?",
        ]
    )

    shown = shown_path(rng, f"{mod}.py")

    def solve() -> Script:
        res = yield Call("read_file", {"path": shown})
        found = re.findall(r"^\s*\d+\t(?:async )?def (\w+)", res[0].output, re.M)
        yield Answer(f"{mod}.py defines {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
            {"kind": "answer_has", "texts": names},
        ],
        solve,
        files,
    )


def find_definition(rng: random.Random) -> Spec:
    mods = rng.sample(MODULES, 3)
    files: dict[str, str] = {}
    all_names: list[tuple[str, str]] = []
    unique = fresh_names(rng, 9)  # one definition per name across the modules
    for i, m in enumerate(mods):
        src, names, _ = module(rng, 3, unique[3 * i : 3 * i + 3])
        files[f"src/{m}.py"] = src
        all_names += [(n, f"src/{m}.py") for n in names]
    target, where = rng.choice(all_names)
    line = (
        files[where]
        .splitlines()
        .index(next(x for x in files[where].splitlines() if x.startswith(f"def {target}(")))
        + 1
    )
    prompt = rng.choice(
        [
            f"Where is {target} defined?",
            f"Find the definition of {target}.",
            f"Which file and line define the function {target}?",
        ]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": f"def {target}\\("})
        m = re.search(r"^(\S+?):(\d+):", res[0].output, re.M)
        path, n = (m.group(1), m.group(2)) if m else ("?", "?")
        yield Answer(f"{target} is defined in {path} at line {n}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell", "read_file"]},
            {"kind": "answer_has", "texts": [where, str(line)]},
        ],
        solve,
        files,
    )


# -- debugging ---------------------------------------------------------------------------------
def _test_suite(rng: random.Random) -> tuple[dict[str, str], str, str, list[str], tuple[str, ...]]:
    """A module with one planted bug and its unittest file: files, module, failing test,
    passing tests, and the bug (correct line, buggy line)."""
    mod = rng.choice(MODULES)
    k = rng.randint(3, 4)
    names = fresh_names(rng, k)
    bugs = rng.sample(BUGS, k)
    bad = rng.randrange(k)
    src = [f'"""{mod} helpers."""\n']
    tests = [
        f"import unittest\n\nfrom {mod} import {', '.join(names)}\n\n\n"
        f"class Test{mod.title()}(unittest.TestCase):\n"
    ]
    for i, (name, (good, buggy, args, want)) in enumerate(zip(names, bugs, strict=True)):
        src.append(f"\n\ndef {name}(a, b):\n" + (buggy if i == bad else good))
        tests.append(
            f"    def test_{name}(self):\n        self.assertEqual({name}{args}, {want})\n\n"
        )
    files = {f"{mod}.py": "".join(src), f"test_{mod}.py": "".join(tests).rstrip() + "\n"}
    failing = f"test_{names[bad]}"
    passing = [f"test_{n}" for i, n in enumerate(names) if i != bad]
    return files, mod, failing, passing, (bugs[bad][0], bugs[bad][1], names[bad])


def _failing_tests(output: str) -> list[str]:
    return re.findall(r"^(test_\w+) \(.*?\) \.\.\. (?:FAIL|ERROR)", output, re.M)


def which_test_fails(rng: random.Random) -> Spec:
    files, mod, failing, passing, _ = _test_suite(rng)
    prompt = rng.choice(
        [
            "Run the tests and tell me which one fails.",
            "Which test is failing? Run them to check.",
            f"Run the {mod} tests and name the failing one.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": UNITTEST})
        failed = _failing_tests(res[0].output)
        yield Answer(f"The failing test is {join(failed) if failed else 'none'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell", "run_python"]},
            {"kind": "answer_has", "texts": [failing]},
            {"kind": "answer_lacks", "texts": passing},
        ],
        solve,
        files,
    )


def fix_failing_test(rng: random.Random) -> Spec:
    files, mod, _failing, _, (good, buggy, func) = _test_suite(rng)
    test_file = f"test_{mod}.py"
    prompt = rng.choice(
        [
            f"The tests in {test_file} fail. Fix the bug in {mod}.py, not the tests.",
            "Find why the test suite fails and fix the code so it passes.",
            f"Make `{UNITTEST}` pass by fixing {mod}.py.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": UNITTEST})
        failed = _failing_tests(res[0].output)
        name = failed[0][len("test_") :] if failed else func
        res = yield Call("grep", {"pattern": f"def {name}\\(", "glob": "*.py"})
        m = re.search(r"^(\S+?):(\d+):", res[0].output, re.M)
        path = m.group(1) if m else f"{mod}.py"
        start = int(m.group(2)) if m else 1
        res = yield Call("read_file", {"path": path, "start_line": start, "end_line": start + 1})
        body = re.findall(r"^\s*\d+\t(.*)$", res[0].output, re.M)
        head = f"def {name}(a, b):\n"
        old = "\n".join(body) + "\n" if len(body) == 2 else head + buggy
        yield Call("edit_file", {"path": path, "old_text": old, "new_text": head + good})
        res = yield Call("run_shell", {"command": UNITTEST})
        ran, ok = unittest_outcome(res[0].output)
        count = ran or "the"
        yield Answer(
            f"Fixed {name} in {path} ({buggy.strip()} → {good.strip()}); "
            + (f"all {count} tests pass now." if ok else "the tests still fail.")
        )

    return Spec(
        prompt,
        [
            {"kind": "command", "command": UNITTEST, "exit_code": 0},
            {"kind": "file_unchanged", "path": test_file},
            {"kind": "file_contains", "path": f"{mod}.py", "text": f"def {func}(a, b):\n{good}"},
            {"kind": "answer_has", "texts": ["pass"]},
        ],
        solve,
        files,
    )


# -- code execution ----------------------------------------------------------------------------
def script_output(rng: random.Random) -> Spec:
    n, m = rng.randint(3, 40), rng.randint(2, 9)
    kind = rng.randrange(3)
    if kind == 0:
        code, value = f"print(sum(i * {m} for i in range({n})))\n", sum(i * m for i in range(n))
    elif kind == 1:
        code, value = (
            f"print(len([i for i in range({n * 10}) if i % {m} == 0]))\n",
            len([i for i in range(n * 10) if i % m == 0]),
        )
    else:
        code, value = f"x = {n}\nfor _ in range({m}):\n    x = x * 2 - 1\nprint(x)\n", n
        for _ in range(m):
            value = value * 2 - 1
    name = rng.choice(["report", "compute", "main", "job", "batch"]) + ".py"
    prompt = rng.choice(
        [f"Run {name} and tell me what it prints.", f"What number does {name} output?"]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        out = res[0].output.split("\n[exit code")[0].strip().splitlines()
        yield Answer(f"{name} prints {out[-1] if out else 'nothing'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell", "run_python"]},
            {"kind": "answer_has", "texts": [str(value)]},
        ],
        solve,
        {name: code},
    )


def compute_with_python(rng: random.Random) -> Spec:
    n = rng.randint(20, 400)
    kind = rng.randrange(3)
    if kind == 0:
        prompt = f"Using Python, what is the sum of the primes below {n}?"
        code = f"print(sum(p for p in range(2, {n}) if all(p % d for d in range(2, int(p ** 0.5) + 1))))"
        value = sum(p for p in range(2, n) if all(p % d for d in range(2, int(p**0.5) + 1)))
    elif kind == 1:
        prompt = f"Run some Python to count the multiples of 7 or 11 below {n * 10}."
        code = f"print(len([i for i in range({n * 10}) if i % 7 == 0 or i % 11 == 0]))"
        value = len([i for i in range(n * 10) if i % 7 == 0 or i % 11 == 0])
    else:
        prompt = f"By running code, find the number of digits of 2 to the power {n}."
        code = f"print(len(str(2 ** {n})))"
        value = len(str(2**n))

    def solve() -> Script:
        res = yield Call("run_python", {"code": code})
        out = res[0].output.split("\n[exit code")[0].strip().splitlines()
        yield Answer(f"The answer is {out[-1] if out else 'unknown'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_python", "run_shell"]},
            {"kind": "answer_has", "texts": [str(value)]},
        ],
        solve,
    )


# -- files -------------------------------------------------------------------------------------
def config_value(rng: random.Random) -> Spec:
    port, workers = rng.randint(1024, 9999), rng.randint(2, 32)
    host = rng.choice(["0.0.0.0", "127.0.0.1", "api.internal", "db.local"])
    key = rng.choice(["port", "workers", "host"])
    value = {"port": str(port), "workers": str(workers), "host": host}[key]
    text = f"[server]\nhost = {host}\nport = {port}\nworkers = {workers}\n"
    name = rng.choice(["settings.ini", "config/app.ini", "server.ini"])
    prompt = rng.choice([f"What {key} is configured in {name}?", f"Which {key} does {name} set?"])

    shown = shown_path(rng, name)

    def solve() -> Script:
        res = yield Call("read_file", {"path": shown})
        m = re.search(rf"^\s*\d+\t{key} = (\S+)", res[0].output, re.M)
        yield Answer(f"{name} sets {key} = {m.group(1) if m else 'nothing'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
            {"kind": "answer_has", "texts": [value]},
        ],
        solve,
        {name: text},
    )


def change_config(rng: random.Random) -> Spec:
    old, new = rng.sample(range(1024, 9999), 2)
    name = rng.choice(["settings.ini", "app.ini", "service.ini"])
    text = f"[server]\nport = {old}\ntimeout = {rng.randint(5, 90)}\n"
    prompt = rng.choice([f"Change the port in {name} to {new}.", f"Set port to {new} in {name}."])

    def solve() -> Script:
        res = yield Call("read_file", {"path": name})
        m = re.search(r"^\s*\d+\t(port = \S+)", res[0].output, re.M)
        line = m.group(1) if m else f"port = {old}"
        res = yield Call("edit_file", {"path": name, "old_text": line, "new_text": f"port = {new}"})
        ok = not res[0].is_error
        yield Answer(f"Done: {name} now has port = {new}." if ok else f"The edit of {name} failed.")

    return Spec(
        prompt,
        [
            {"kind": "file_matches", "path": name, "regex": rf"(?m)^port = {new}$"},
            {"kind": "file_not_contains", "path": name, "text": f"port = {old}"},
        ],
        solve,
        {name: text},
    )


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("functions-in-module", "code_search", functions_in_module),
    ("find-definition", "code_search", find_definition),
    ("which-test-fails", "debugging", which_test_fails),
    ("fix-failing-test", "debugging", fix_failing_test),
    ("script-output", "code_exec", script_output),
    ("compute-with-python", "code_exec", compute_with_python),
    ("config-value", "file_ops", config_value),
    ("change-config", "file_ops", change_config),
]


def families() -> list[Family]:
    from assistant.distill.tasks import (
        agent_chain,
        agent_code,
        agent_edits,
        agent_files,
        agent_repo,
        agent_shell,
    )

    every = [
        *FAMILIES,
        *agent_files.FAMILIES,
        *agent_code.FAMILIES,
        *agent_repo.FAMILIES,
        *agent_chain.FAMILIES,
        *agent_edits.FAMILIES,
        *agent_shell.FAMILIES,
    ]
    return [Family(fid, cat, "agent", build) for fid, cat, build in every]
