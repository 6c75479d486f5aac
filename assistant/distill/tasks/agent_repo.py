"""Agent tasks on the repository: git, shell work, searching code, and recovering from a
failed call (a wrong path, a missing tool, an edit that matched twice, a bad regex)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Spec
from assistant.distill.tasks.kit import (
    MODULES,
    NOUNS,
    UNITTEST,
    fresh_names,
    join,
    lines_of,
    module,
    stdout,
    unittest_outcome,
)

SUBJECTS = [
    "Add retry to the uploader",
    "Fix off-by-one in pagination",
    "Bump version to 2.4.1",
    "Remove unused imports",
    "Speed up the CSV export",
    "Document the config flags",
    "Handle empty input in parser",
    "Rename Client to ApiClient",
    "Cache the token lookup",
    "Log slow queries",
    "Drop the legacy endpoint",
    "Validate email addresses",
]
AUTHORS = ["Ada Moreno", "Chen Wei", "Greta Lind", "Emeka Obi", "Farah Haddad"]
BRANCHES = ["feature/export", "fix/login-timeout", "release-2.1", "docs/api", "spike/cache"]


def _git(commits: list[tuple[str, str]]) -> list[str]:
    """Setup commands: a repository with one commit per (subject, author)."""
    setup = ["git init -q -b main ."]
    for i, (subject, author) in enumerate(commits):
        setup += [
            f"echo {i} >> history.txt",
            "git add -A",
            f"GIT_AUTHOR_NAME='{author}' git commit -q -m '{subject}'",
        ]
    return setup


# -- git ----------------------------------------------------------------------------------------
def current_branch(rng: random.Random) -> Spec:
    branch = rng.choice(BRANCHES)
    setup = [*_git([(rng.choice(SUBJECTS), rng.choice(AUTHORS))]), f"git checkout -q -b {branch}"]
    prompt = rng.choice(["Which git branch am I on?", "What's the current branch?"])

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "git branch --show-current"})
        yield Answer(f"You are on {stdout(res[0].output)}.")

    return Spec(
        prompt,
        [{"kind": "tool_called", "name": ["run_shell"]}, {"kind": "answer_has", "texts": [branch]}],
        solve,
        {},
        setup,
    )


def count_commits(rng: random.Random) -> Spec:
    n = rng.randint(2, 7)
    setup = _git([(s, rng.choice(AUTHORS)) for s in rng.sample(SUBJECTS, n)])
    prompt = rng.choice(
        ["How many commits does this repository have?", "Count the commits on main."]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "git rev-list --count HEAD"})
        yield Answer(f"There are {stdout(res[0].output)} commits.")

    return Spec(
        prompt,
        [{"kind": "tool_called", "name": ["run_shell"]}, {"kind": "answer_has", "texts": [str(n)]}],
        solve,
        {},
        setup,
    )


def uncommitted_files(rng: random.Random) -> Spec:
    mods = rng.sample(MODULES, 4)
    changed = sorted(rng.sample(mods, 2))
    files = {f"{m}.py": f"# {m}\n" for m in mods}
    setup = [*_git([("Initial import", rng.choice(AUTHORS))])] + [
        f"echo '# edited' >> {m}.py" for m in changed
    ]
    prompt = rng.choice(
        ["Which files have uncommitted changes?", "What have I changed since the last commit?"]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "git status --short"})
        found = [x.split()[-1] for x in stdout(res[0].output).splitlines() if x.strip()]
        yield Answer(f"Uncommitted changes in {join(found)}.")

    clean = [f"{m}.py" for m in mods if m not in changed]
    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [f"{m}.py" for m in changed]},
            {"kind": "answer_lacks", "texts": clean},
        ],
        solve,
        files,
        setup,
    )


def last_commit_files(rng: random.Random) -> Spec:
    mods = rng.sample(MODULES, 4)
    touched = sorted(rng.sample(mods, 2))
    files = {f"{m}.py": f"# {m}\n" for m in mods}
    subject = rng.choice(SUBJECTS)
    setup = [
        *_git([("Initial import", rng.choice(AUTHORS))]),
        *[f"echo '# more' >> {m}.py" for m in touched],
        f"git commit -qam '{subject}'",
    ]
    prompt = rng.choice(["Which files did the last commit change?", "What did HEAD touch?"])

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "git show --name-only --format= HEAD"})
        found = [x.strip() for x in stdout(res[0].output).splitlines() if x.strip()]
        yield Answer(f"The last commit changed {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [f"{m}.py" for m in touched]},
            {"kind": "answer_lacks", "texts": [f"{m}.py" for m in mods if m not in touched]},
        ],
        solve,
        files,
        setup,
    )


def diff_value(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    old, new = rng.sample(range(2, 500), 2)
    key = rng.choice(["LIMIT", "RETRIES", "WORKERS", "TIMEOUT"])
    setup = [
        *_git([("Initial import", rng.choice(AUTHORS))]),
        f"sed -i 's/{key} = {old}/{key} = {new}/' {mod}.py",
    ]
    prompt = f"What did I change in {mod}.py since the last commit?"

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"git diff {mod}.py"})
        gone = re.search(r"^-(\w+ = .+)$", res[0].output, re.M)
        added = re.search(r"^\+(\w+ = .+)$", res[0].output, re.M)
        if gone and added:
            yield Answer(f"You changed `{gone.group(1)}` to `{added.group(1)}`.")
        else:
            yield Answer(f"{mod}.py has no uncommitted changes.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [f"{key} = {old}", f"{key} = {new}"]},
        ],
        solve,
        {f"{mod}.py": f"{key} = {old}\n"},
        setup,
    )


def commit_author(rng: random.Random) -> Spec:
    commits = [(s, rng.choice(AUTHORS)) for s in rng.sample(SUBJECTS, 3)]
    subject, author = rng.choice(commits)
    prompt = f"Who made the commit '{subject}'?"

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "git log --format='%an|%s'"})
        who = next(
            (
                line.split("|")[0]
                for line in stdout(res[0].output).splitlines()
                if line.endswith("|" + subject)
            ),
            "nobody",
        )
        yield Answer(f"{who} made that commit.")

    return Spec(
        prompt,
        [{"kind": "tool_called", "name": ["run_shell"]}, {"kind": "answer_has", "texts": [author]}],
        solve,
        {},
        _git(commits),
    )


def last_commit(rng: random.Random) -> Spec:
    first, last = rng.sample(SUBJECTS, 2)
    setup = _git([(first, rng.choice(AUTHORS)), (last, rng.choice(AUTHORS))])
    prompt = rng.choice(["What was the last commit's message?", "What does the latest commit say?"])

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "git log -1 --format=%s"})
        yield Answer(f'The last commit is "{stdout(res[0].output)}".')

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [last]},
            {"kind": "answer_lacks", "texts": [first]},
        ],
        solve,
        {},
        setup,
    )


# -- shell --------------------------------------------------------------------------------------
def largest_file(rng: random.Random) -> Spec:
    sizes = rng.sample(range(100, 5000), 4)
    names = [f"{n}.dat" for n in rng.sample(NOUNS, 4)]
    files = {f"data/{n}": "x" * s for n, s in zip(names, sizes, strict=True)}
    big = names[sizes.index(max(sizes))]
    prompt = rng.choice(
        ["Which file in data/ is the largest?", "Find the biggest file under data/."]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "ls -S data | head -1"})
        yield Answer(f"The largest is data/{stdout(res[0].output)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell", "run_python"]},
            {"kind": "answer_has", "texts": [big]},
        ],
        solve,
        files,
    )


def count_by_extension(rng: random.Random) -> Spec:
    counts = {ext: rng.randint(1, 5) for ext in rng.sample(["py", "md", "json", "txt", "csv"], 3)}
    ext = rng.choice(sorted(counts))
    files = {
        f"src/{n}_{i}.{e}": "x\n"
        for e, c in counts.items()
        for i, n in enumerate(rng.sample(NOUNS, c))
    }
    prompt = rng.choice(
        [f"How many .{ext} files are in src/?", f"Count the .{ext} files under src."]
    )

    def solve() -> Script:
        res = yield Call("glob", {"pattern": f"src/**/*.{ext}"})
        n = len([x for x in res[0].output.splitlines() if x.endswith(f".{ext}")])
        yield Answer(f"There are {n} .{ext} files in src/.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["glob", "run_shell", "list_files"]},
            {"kind": "answer_has", "texts": [str(counts[ext])]},
        ],
        solve,
        files,
    )


def files_containing(rng: random.Random) -> Spec:
    word = rng.choice(["deprecated", "FIXME", "password", "localhost", "print("])
    mods = rng.sample(MODULES, 5)
    hits = sorted(rng.sample(mods, rng.randint(1, 3)))
    files = {f"{m}.py": (f"x = 1  # {word}\n" if m in hits else "x = 1\n") for m in mods}
    prompt = f"Which files mention {word}?"

    def solve() -> Script:
        res = yield Call("grep", {"pattern": re.escape(word)})
        found = sorted({x.split(":")[0] for x in res[0].output.splitlines() if ":" in x})
        yield Answer(f"{word} appears in {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell"]},
            {"kind": "answer_has", "texts": [f"{m}.py" for m in hits]},
            {"kind": "answer_lacks", "texts": [f"{m}.py" for m in mods if m not in hits]},
        ],
        solve,
        files,
    )


# -- code search --------------------------------------------------------------------------------
def count_todos(rng: random.Random) -> Spec:
    mods = rng.sample(MODULES, 3)
    counts = {m: rng.randint(0, 3) for m in mods}
    if not sum(counts.values()):
        counts[mods[0]] = 1
    files = {
        f"{m}.py": "".join(f"# TODO: {rng.choice(NOUNS)} {i}\nx{i} = {i}\n" for i in range(c))
        + "y = 0\n"
        for m, c in counts.items()
    }
    total = sum(counts.values())
    prompt = rng.choice(["How many TODO comments are there?", "Count the TODOs in the code."])

    def solve() -> Script:
        res = yield Call("grep", {"pattern": "TODO"})
        n = len([x for x in res[0].output.splitlines() if "TODO" in x])
        yield Answer(f"There are {n} TODO comments.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell"]},
            {"kind": "answer_has", "texts": [str(total)]},
        ],
        solve,
        files,
    )


def find_callers(rng: random.Random) -> Spec:
    src, names, _ = module(rng, 2)
    target = names[0]
    mods = rng.sample([m for m in MODULES if m != "helpers"], 4)
    callers = sorted(rng.sample(mods, 2))
    files = {"helpers.py": src}
    for m in mods:
        body = f"from helpers import {target}\n\nvalue = {target}" if m in callers else "value = 1"
        files[f"{m}.py"] = body + ("(1, 2)\n" if m in callers else "\n")
    prompt = f"Which files call {target}?"

    def solve() -> Script:
        res = yield Call("grep", {"pattern": rf"{target}\("})
        found = sorted(
            {x.split(":")[0] for x in res[0].output.splitlines() if ":" in x and "def " not in x}
        )
        yield Answer(f"{target} is called in {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell"]},
            {"kind": "answer_has", "texts": [f"{m}.py" for m in callers]},
            {"kind": "answer_lacks", "texts": [f"{m}.py" for m in mods if m not in callers]},
        ],
        solve,
        files,
    )


def find_importers(rng: random.Random) -> Spec:
    lib = rng.choice(["requests", "sqlite3", "json", "subprocess", "yaml"])
    mods = rng.sample(MODULES, 4)
    users = sorted(rng.sample(mods, rng.randint(1, 2)))
    files = {f"app/{m}.py": (f"import {lib}\n" if m in users else "import os\n") for m in mods}
    prompt = f"Which modules import {lib}?"

    def solve() -> Script:
        res = yield Call("grep", {"pattern": rf"^(import|from) {lib}\b", "path": "app"})
        found = sorted({x.split(":")[0] for x in res[0].output.splitlines() if ":" in x})
        yield Answer(f"{lib} is imported by {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell"]},
            {"kind": "answer_has", "texts": [f"app/{m}.py" for m in users]},
            {"kind": "answer_lacks", "texts": [f"app/{m}.py" for m in mods if m not in users]},
        ],
        solve,
        files,
    )


def class_with_method(rng: random.Random) -> Spec:
    classes = rng.sample(["Invoice", "Cart", "Session", "Report", "Ledger", "Profile"], 3)
    methods = fresh_names(rng, 3)
    text = "".join(
        f"class {c}:\n    def {m}(self):\n        return None\n\n\n"
        for c, m in zip(classes, methods, strict=True)
    )
    i = rng.randrange(3)
    name = rng.choice(MODULES) + ".py"
    prompt = f"Which class in {name} has the method {methods[i]}?"

    def solve() -> Script:
        res = yield Call("read_file", {"path": name})
        current = None
        owner = "none"
        for line in lines_of(res[0].output):
            m = re.match(r"class (\w+)", line)
            if m:
                current = m.group(1)
            if f"def {methods[i]}(" in line:
                owner = current or "none"
        yield Answer(f"{methods[i]} belongs to {owner}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
            {"kind": "answer_has", "texts": [classes[i]]},
            {"kind": "answer_lacks", "texts": [c for c in classes if c != classes[i]]},
        ],
        solve,
        {name: text},
    )


# -- recovery -----------------------------------------------------------------------------------
def wrong_path(rng: random.Random) -> Spec:
    value = rng.randint(100, 99999)
    const = rng.choice(["MAX_RETRIES", "CACHE_SIZE", "BATCH_LIMIT", "TIMEOUT_MS", "PAGE_SIZE"])
    real = rng.choice(["lib/utils.py", "pkg/common/utils.py", "app/helpers/utils.py"])
    prompt = f"What is {const} set to in utils.py?"

    def solve() -> Script:
        res = yield Call("read_file", {"path": "utils.py"})
        if res[0].is_error:
            res = yield Call("glob", {"pattern": "**/utils.py"})
            found = [x for x in res[0].output.splitlines() if x.endswith("utils.py")]
            res = yield Call("read_file", {"path": found[0] if found else real})
        m = re.search(rf"{const} = (\S+)", res[0].output)
        yield Answer(f"{const} is {m.group(1) if m else 'not set'} (in {real}).")

    return Spec(
        prompt,
        [
            {"kind": "answer_has", "texts": [str(value)]},
            {"kind": "tool_called", "name": ["glob", "list_files", "grep", "run_shell"]},
        ],
        solve,
        {real: f'"""Shared helpers."""\n\n{const} = {value}\n'},
    )


def no_pytest(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    names = fresh_names(rng, rng.randint(2, 5))
    files = {
        f"test_{mod}.py": "import unittest\n\n\nclass T(unittest.TestCase):\n"
        + "".join(f"    def test_{n}(self):\n        self.assertTrue(True)\n\n" for n in names)
    }
    prompt = "Run the tests with pytest and tell me how many pass."

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "python3 -m pytest -q"})
        if "No module named pytest" in res[0].output or res[0].is_error:
            res = yield Call("run_shell", {"command": UNITTEST})
            ran, ok = unittest_outcome(res[0].output)
            n = ran or "0"
            yield Answer(
                f"pytest is not installed, so I used unittest: {n} tests ran and "
                + ("all pass." if ok else "some fail.")
            )
        else:
            m = re.search(r"(\d+) passed", res[0].output)
            yield Answer(f"{m.group(1) if m else 0} tests pass.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [str(len(names))]},
        ],
        solve,
        files,
    )


def ambiguous_edit(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    a, b = fresh_names(rng, 2)
    limit = rng.randint(3, 20)
    new = limit + rng.randint(1, 30)
    text = (
        f"def {a}(items):\n    return items[:{limit}]\n\n\n"
        f"def {b}(items):\n    return items[:{limit}]\n"
    )
    prompt = f"In {mod}.py, change the limit in {b} (not {a}) from {limit} to {new}."

    def solve() -> Script:
        res = yield Call(
            "edit_file",
            {"path": f"{mod}.py", "old_text": f"items[:{limit}]", "new_text": f"items[:{new}]"},
        )
        if res[0].is_error:
            yield Call(
                "edit_file",
                {
                    "path": f"{mod}.py",
                    "old_text": f"def {b}(items):\n    return items[:{limit}]",
                    "new_text": f"def {b}(items):\n    return items[:{new}]",
                },
            )
        yield Answer(f"{b} now keeps {new} items; {a} still keeps {limit}.")

    return Spec(
        prompt,
        [
            {
                "kind": "file_contains",
                "path": f"{mod}.py",
                "text": f"def {b}(items):\n    return items[:{new}]",
            },
            {
                "kind": "file_contains",
                "path": f"{mod}.py",
                "text": f"def {a}(items):\n    return items[:{limit}]",
                "guard": True,
            },
        ],
        solve,
        {f"{mod}.py": text},
    )


def bad_regex(rng: random.Random) -> Spec:
    fn = fresh_names(rng, 1)[0]
    mods = rng.sample(MODULES, 3)
    caller = rng.choice(mods)
    files = {f"{m}.py": (f"result = {fn}(3)\n" if m == caller else "result = 0\n") for m in mods}
    files["lib.py"] = f"def {fn}(x):\n    return x\n"
    prompt = f"Search for the text '{fn}(3' and tell me which file has it."

    def solve() -> Script:
        res = yield Call("grep", {"pattern": f"{fn}(3"})
        if res[0].is_error or res[0].output.startswith("No matches"):
            res = yield Call("grep", {"pattern": re.escape(f"{fn}(3")})
        found = sorted({x.split(":")[0] for x in res[0].output.splitlines() if ":" in x})
        yield Answer(f"It is in {join(found) if found else 'no file'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell"]},
            {"kind": "answer_has", "texts": [f"{caller}.py"]},
        ],
        solve,
        files,
    )


def python_not_found(rng: random.Random) -> Spec:
    n = rng.randint(3, 30)
    name = rng.choice(["hello.py", "greet.py", "show.py"])
    text = f"print('x' * {n})\n"
    prompt = f"Run `python {name}` and tell me how long its output line is."

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python {name}"})
        if "not found" in res[0].output or (res[0].output.rstrip().endswith("[exit code: 127]")):
            res = yield Call("run_shell", {"command": f"python3 {name}"})
        out = stdout(res[0].output)
        yield Answer(f"It prints a line of {len(out)} characters.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell", "run_python"]},
            {"kind": "answer_has", "texts": [str(n)]},
        ],
        solve,
        {name: text},
    )


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("current-branch", "git", current_branch),
    ("count-commits", "git", count_commits),
    ("uncommitted-files", "git", uncommitted_files),
    ("last-commit-files", "git", last_commit_files),
    ("diff-value", "git", diff_value),
    ("commit-author", "git", commit_author),
    ("last-commit", "git", last_commit),
    ("largest-file", "shell", largest_file),
    ("count-by-extension", "shell", count_by_extension),
    ("files-containing", "shell", files_containing),
    ("count-todos", "code_search", count_todos),
    ("find-callers", "code_search", find_callers),
    ("find-importers", "code_search", find_importers),
    ("class-with-method", "code_search", class_with_method),
    ("wrong-path", "recovery", wrong_path),
    ("no-pytest", "recovery", no_pytest),
    ("ambiguous-edit", "recovery", ambiguous_edit),
    ("bad-regex", "recovery", bad_regex),
    ("python-not-found", "recovery", python_not_found),
]
