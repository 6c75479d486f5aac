"""Agent tasks of two linked steps: look something up, then act on what came back.

The first call observes (runs a script, greps, reads a file); the second writes or edits
with a value that only the first call's result gives. A model that stops after the first
call, or writes a value it did not read, fails the check.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Spec
from assistant.distill.tasks.kit import NOUNS, VERBS, hit_refs, lines_of, stdout

CATEGORY = "chains"
OUTPUTS = ["out.txt", "output.txt", "notes/result.md", "report.txt", "value.txt", "saved.txt"]
SCRIPTS: list[tuple[str, Callable[[int], str]]] = [
    ("total = sum(range(1, {n} + 1))\nprint(total)\n", lambda n: str(n * (n + 1) // 2)),
    ("print({n} * {n})\n", lambda n: str(n * n)),
    (
        "a, b = 0, 1\nfor _ in range({n}):\n    a, b = b, a + b\nprint(a)\n",
        lambda n: str(_fib(n)),
    ),
    ("print(len(str(2 ** {n})))\n", lambda n: str(len(str(2**n)))),
    ("print(sum(i % 7 for i in range({n})))\n", lambda n: str(sum(i % 7 for i in range(n)))),
]
TYPOS = [
    ("recieve", "receive"),
    ("seperate", "separate"),
    ("occured", "occurred"),
    ("definately", "definitely"),
    ("enviroment", "environment"),
    ("paramter", "parameter"),
    ("retreive", "retrieve"),
    ("existance", "existence"),
]
FOLDERS = ["notes", "guides", "wiki", "manual", "handbook"]
MARKERS = ["FIXME", "HACK", "XXX"]


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def save_script_output(rng: random.Random) -> Spec:
    template, expected = rng.choice(SCRIPTS)
    n = rng.randint(8, 40)
    script = rng.choice(["calc_total.py", "tools/report.py", "job.py", "scripts/summary.py"])
    out = rng.choice(OUTPUTS)
    value = expected(n)
    prompt = rng.choice(
        [
            f"Run {script} with python3 and write what it prints to {out}.",
            f"Execute `python3 {script}` and store its output in {out}.",
            f"Put the output of {script} into a file called {out}.",
            f"What does {script} print? Save it to {out} as well.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {script}"})
        printed = stdout(res[0].output)
        yield Call("write_file", {"path": out, "content": printed + "\n"})
        yield Answer(f"{script} prints {printed}; saved to {out}.")

    checks = [
        {"kind": "tool_called", "name": ["run_shell", "run_python"]},
        {"kind": "file_matches", "path": out, "regex": rf"(?m)^\s*{value}\s*$"},
    ]
    return Spec(prompt, checks, solve, {script: template.format(n=n)})


def save_marker_count(rng: random.Random) -> Spec:
    marker = rng.choice(MARKERS)
    folder = rng.choice(["src", "lib", "app"])
    out = rng.choice(OUTPUTS)
    files: dict[str, str] = {}
    count = 0
    for i in range(rng.randint(3, 5)):
        name = f"{folder}/{rng.choice(VERBS)}_{rng.choice(NOUNS)}_{i}.py"
        k = rng.randint(0, 2)
        count += k
        notes = "".join(
            f"    # {marker}: {rng.choice(VERBS)} the {rng.choice(NOUNS)}\n" for _ in range(k)
        )
        files[name] = f"def run(x):\n{notes}    return x\n"
    if count == 0:
        first = next(iter(files))
        files[first] = f"def run(x):\n    # {marker}: check this\n    return x\n"
        count = 1
    files["README.md"] = f"# project\n\nSearch for {marker} before a release.\n"
    prompt = rng.choice(
        [
            f"How many {marker} comments are there in {folder}/? Write the number to {out}.",
            f"Count the {marker} markers under {folder} and put the count in {out}.",
            f"Record in {out} how many {marker} notes the {folder} folder has.",
        ]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": marker, "path": folder})
        n = len(hit_refs(res[0].output))
        yield Call("write_file", {"path": out, "content": f"{n}\n"})
        yield Answer(f"{folder}/ has {n} {marker} comments; wrote {n} to {out}.")

    checks = [
        {"kind": "tool_called", "name": ["grep", "run_shell"]},
        {"kind": "file_matches", "path": out, "regex": rf"(?m)^\s*{count}\s*$"},
    ]
    return Spec(prompt, checks, solve, files)


def save_definition_path(rng: random.Random) -> Spec:
    func = f"{rng.choice(['load', 'build', 'emit', 'resolve'])}_{rng.choice(NOUNS)}"
    top = rng.choice(["src", "pkg", "service"])
    paths = rng.sample(
        [f"{top}/{s}/{m}.py" for s in ("io", "core", "jobs") for m in ("utils", "main", "base")],
        3,
    )
    home = paths[0]
    files = {p: f"def helper_{i}(x):\n    return x\n" for i, p in enumerate(paths)}
    files[home] = f"def {func}(x):\n    return x\n"
    files[paths[1]] = f"from {home[:-3].replace('/', '.')} import {func}\n\n\nprint({func}(1))\n"
    out = rng.choice(OUTPUTS)
    prompt = rng.choice(
        [
            f"Find the file that defines {func} and write its path into {out}.",
            f"Which module has `def {func}`? Put the path in {out}.",
            f"Locate the definition of {func} and record the file's path in {out}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": f"def {func}"})
        found = hit_refs(res[0].output)[0].split(":")[0]
        yield Call("write_file", {"path": out, "content": found + "\n"})
        yield Answer(f"{func} is defined in {found}; wrote the path to {out}.")

    checks = [
        {"kind": "tool_called", "name": ["grep", "run_shell"]},
        {"kind": "file_contains", "path": out, "text": home},
    ]
    return Spec(prompt, checks, solve, files)


def copy_version(rng: random.Random) -> Spec:
    version = f"{rng.randint(0, 5)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
    source, text = rng.choice(
        [
            ("pyproject.toml", f'[project]\nname = "app"\nversion = "{version}"\n'),
            ("setup.cfg", f"[metadata]\nname = app\nversion = {version}\n"),
            ("package.json", f'{{\n  "name": "app",\n  "version": "{version}"\n}}\n'),
        ]
    )
    out = rng.choice(["VERSION", "version.txt", "RELEASE"])
    prompt = rng.choice(
        [
            f"Write the version from {source} into {out}.",
            f"Copy the project's version number out of {source} into a file {out}.",
            f"Create {out} containing the version that {source} declares.",
        ]
    )

    def solve() -> Script:
        res = yield Call("read_file", {"path": source})
        m = re.search(r"version\W+([0-9][0-9.]*)", "\n".join(lines_of(res[0].output)))
        found = m.group(1) if m else "?"
        yield Call("write_file", {"path": out, "content": found + "\n"})
        yield Answer(f"Wrote {found} to {out}.")

    checks = [
        {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
        {"kind": "file_matches", "path": out, "regex": rf"(?m)^\s*{re.escape(version)}\s*$"},
    ]
    return Spec(prompt, checks, solve, {source: text})


def fix_typo_in_folder(rng: random.Random) -> Spec:
    wrong, right = rng.choice(TYPOS)
    folder = rng.choice(FOLDERS)
    names = rng.sample(["intro.md", "setup.md", "faq.md", "usage.txt", "deploy.md"], 3)
    hits = names[: rng.randint(1, 2)]
    files = {}
    for name in names:
        noun = rng.choice(NOUNS)
        line = f"You will {wrong} the {noun} here." if name in hits else f"Read about the {noun}."
        files[f"{folder}/{name}"] = f"# {name[:-3].title()}\n\n{line}\n"
    prompt = rng.choice(
        [
            f"'{wrong}' is misspelled somewhere in {folder}/. Correct it to '{right}'.",
            f"Fix every '{wrong}' in the {folder} folder: it should read '{right}'.",
            f"Search {folder} for the typo '{wrong}' and replace it with '{right}'.",
        ]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": wrong, "path": folder})
        paths = sorted({ref.split(":")[0] for ref in hit_refs(res[0].output)})
        if paths:
            yield [
                Call("edit_file", {"path": p, "old_text": wrong, "new_text": right}) for p in paths
            ]
        yield Answer(f"Corrected '{wrong}' to '{right}' in {', '.join(paths) or 'no file'}.")

    checks: list[dict[str, Any]] = [
        {"kind": "command", "command": f"! grep -r {wrong} {folder}"},
    ]
    checks += [
        {"kind": "file_contains", "path": f"{folder}/{name}", "text": f"will {right} the"}
        for name in hits
    ]
    return Spec(prompt, checks, solve, files)


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("chain-save-output", CATEGORY, save_script_output),
    ("chain-save-count", CATEGORY, save_marker_count),
    ("chain-save-path", CATEGORY, save_definition_path),
    ("chain-copy-version", CATEGORY, copy_version),
    ("chain-fix-typo", CATEGORY, fix_typo_in_folder),
]
