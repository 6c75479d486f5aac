"""Direct agent requests: the user names one tool action, the reply makes exactly that call.

"Show lines 3-9 of x.py", "list the folder", "run `wc -l f`", "create f with this text":
one call of the right tool with the arguments as the user wrote them (two calls in one
turn when the user asks for two independent reads or searches), then an answer written
from the real result. The checks look at the tool called and at text only the real
result holds (a line of the file, a count, a printed value, the file written).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.kit import (
    MODULES,
    NOUNS,
    fenced,
    fresh_names,
    hit_refs,
    lines_of,
    listed,
    listing,
    module,
    one_call,
    stdout,
    unittest_outcome,
)

CATEGORY = "direct_tools"
TOPS = ["core", "engine", "backend", "lib", "service", "toolkit", "platform", "worker"]
SUBS = ["io", "model", "handlers", "jobs", "storage", "codecs", "views", "net", "cli"]
EXTS = ["yml", "cfg", "sql", "csv", "rst", "ini", "proto", "tmpl"]
WORDS = [
    "amber",
    "birch",
    "cobalt",
    "delta",
    "ember",
    "fjord",
    "garnet",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lagoon",
    "meadow",
    "nickel",
    "orchid",
    "pepper",
    "quartz",
    "raven",
    "saffron",
    "tundra",
]


def _path(rng: random.Random, depth: int, ext: str = "py") -> str:
    parts = rng.sample(TOPS, 1) + rng.sample(SUBS, max(0, depth - 2))
    return "/".join([*parts, f"{rng.choice(MODULES)}_{rng.choice(NOUNS)}.{ext}"])


def _tree(rng: random.Random, n: int) -> dict[str, str]:
    """n small files spread over a few folders (names unique, depth 1 to 3)."""
    files: dict[str, str] = {}
    while len(files) < n:
        depth = rng.randint(1, 3)
        p = _path(rng, depth, rng.choice(["py", "py", "md", "txt", "json"]))
        if p not in files and not any(f.split("/")[-1] == p.split("/")[-1] for f in files):
            files[p] = f"{rng.choice(WORDS)} {rng.randint(100, 999)}\n"
    return files


# -- read_file --------------------------------------------------------------------------------
def read_whole(rng: random.Random) -> Spec:
    path = _path(rng, rng.randint(1, 3))
    src, names, _ = module(rng, rng.randint(2, 3))
    prompt = rng.choice(
        [
            f"Open {path} and show me what it contains.",
            f"I'd like to see the contents of {path}.",
            f"Display the file {path}, please.",
            f"Can you read {path} for me and paste it here?",
            f"Show {path} in full.",
        ]
    )
    first = next(x for x in src.splitlines() if x.startswith("def "))
    return one_call(
        prompt,
        "read_file",
        {"path": path},
        fenced(f"Here is {path}", "python"),
        [first, *names],
        files={path: src, "README.md": "# notes\n"},
    )


def read_range(rng: random.Random) -> Spec:
    path = _path(rng, rng.randint(1, 3), rng.choice(["csv", "log", "txt"]))
    n = rng.randint(24, 60)
    tag = rng.choice(NOUNS)
    rows = [f"{tag}_{i:03d},{rng.randint(1000, 99999)}" for i in range(1, n + 1)]
    a = rng.randint(2, n - 8)
    b = rng.randint(a + 2, min(n - 1, a + 12))
    prompt = rng.choice(
        [
            f"Show me lines {a} through {b} of {path}.",
            f"Read {path}, only lines {a}-{b}.",
            f"I need lines {a} to {b} from {path}; print just those.",
            f"Give me the part of {path} between line {a} and line {b}.",
        ]
    )
    return one_call(
        prompt,
        "read_file",
        {"path": path, "start_line": a, "end_line": b},
        fenced(f"Lines {a}-{b} of {path}"),
        [rows[a - 1], rows[b - 1]],
        [rows[a - 2], rows[b]],
        {path: "\n".join(rows) + "\n"},
    )


def read_two(rng: random.Random) -> Spec:
    paths: list[str] = []
    while len(paths) < 2:
        p = _path(rng, rng.randint(1, 3), rng.choice(["py", "toml", "txt"]))
        if p not in paths:
            paths.append(p)
    marks = [f"{w} = {rng.randint(10, 9999)}" for w in rng.sample(WORDS, 2)]
    files = {p: f"# {rng.choice(NOUNS)}\n{m}\n" for p, m in zip(paths, marks, strict=True)}
    a, b = paths
    prompt = rng.choice(
        [
            f"Open {a} and also {b}; show me both.",
            f"I want to look at two files at once: {a} and {b}.",
            f"Read {a} as well as {b}.",
            f"Show the contents of {a} and of {b}.",
        ]
    )

    def solve() -> Script:
        res = yield [Call("read_file", {"path": a}), Call("read_file", {"path": b})]
        parts = [
            f"{p}:\n```\n" + "\n".join(lines_of(r.output)) + "\n```"
            for p, r in zip(paths, res, strict=True)
        ]
        yield Answer("\n\n".join(parts))

    return Spec(
        prompt,
        [{"kind": "tool_called", "name": "read_file"}, {"kind": "answer_has", "texts": marks}],
        solve,
        files,
    )


# -- list_files -------------------------------------------------------------------------------
def list_project(rng: random.Random) -> Spec:
    files = _tree(rng, rng.randint(4, 7))
    prompt = rng.choice(
        [
            "Show me every file in the workspace.",
            "What files are in this project? Give me the full listing.",
            "List the whole project tree for me.",
            "Produce a list of all files and directories here.",
            "Enumerate the files in the repository, all of them.",
            "I don't know this codebase yet: list its files.",
            "Print the complete file list of the workspace.",
        ]
    )
    return one_call(
        prompt, "list_files", {}, listing("The project contains"), list(files), files=files
    )


def list_folder(rng: random.Random) -> Spec:
    files = _tree(rng, 6)
    top = rng.choice(sorted({p.split("/")[0] for p in files if "/" in p}))
    inside = [p for p in files if p.startswith(top + "/")]
    outside = [p for p in files if not p.startswith(top + "/")]
    if not outside:
        outside_path = f"{rng.choice(WORDS)}_notes.txt"
        files[outside_path] = "notes\n"
        outside = [outside_path]
    prompt = rng.choice(
        [
            f"What's in the {top} directory? List it.",
            f"List the contents of {top}/.",
            f"Show me the files under {top}.",
            f"Give me a listing of the {top} folder.",
        ]
    )
    return one_call(
        prompt, "list_files", {"path": top}, listing(f"{top}/ contains"), inside, outside, files
    )


def list_depth(rng: random.Random) -> Spec:
    depth = rng.choice([1, 2])
    top = rng.choice(TOPS)
    subs = rng.sample(SUBS, 2)
    files = {
        f"{rng.choice(WORDS)}.md": "# readme\n",
        f"{top}/{rng.choice(MODULES)}.py": "x = 1\n",
        f"{top}/{subs[0]}/{rng.choice(NOUNS)}.py": "y = 2\n",
        f"{top}/{subs[0]}/{subs[1]}/{rng.choice(VERB_FILES)}.py": "z = 3\n",
    }
    shown = [p for p in files if p.count("/") < depth]
    hidden = [p for p in files if p.count("/") >= depth]
    words = {1: "one level", 2: "two levels"}[depth]
    prompt = rng.choice(
        [
            f"List the project files, {words} deep only.",
            f"Show the directory tree but go down at most {words}.",
            f"Give me the file listing limited to a depth of {depth}.",
            f"List files with max depth {depth}.",
        ]
    )
    reply = listing(f"Down to depth {depth}")
    return one_call(prompt, "list_files", {"max_depth": depth}, reply, shown, hidden, files)


VERB_FILES = ["loader", "writer", "builder", "checker", "mapper", "runner"]


# -- glob -------------------------------------------------------------------------------------
def glob_ext(rng: random.Random) -> Spec:
    ext = rng.choice(EXTS)
    files = _tree(rng, rng.randint(3, 5))
    hits: list[str] = []
    want = rng.randint(2, 3)
    while len(hits) < want:
        p = _path(rng, rng.randint(1, 3), ext)
        if p not in files:
            files[p] = f"{rng.choice(WORDS)}\n"
            hits.append(p)
    others = [p for p in files if not p.endswith("." + ext)]
    prompt = rng.choice(
        [
            f"Locate all the .{ext} files in the repo.",
            f"Which *.{ext} files do we have?",
            f"Glob for **/*.{ext} and tell me what matches.",
            f"Give me the paths of every {ext} file.",
        ]
    )

    def reply(output: str) -> str:
        found = listed(output)
        return f"{len(found)} .{ext} files:\n" + "\n".join(found)

    return one_call(prompt, "glob", {"pattern": f"**/*.{ext}"}, reply, hits, others, files)


def glob_name(rng: random.Random) -> Spec:
    name = rng.choice(["__init__.py", "Makefile", "schema.json", "defaults.cfg", "routes.py"])
    files = _tree(rng, rng.randint(2, 4))
    hits: list[str] = []
    for top in rng.sample(TOPS, rng.randint(2, 3)):
        p = f"{top}/{rng.choice(SUBS)}/{name}" if rng.random() < 0.5 else f"{top}/{name}"
        files[p] = f"# {rng.choice(WORDS)}\n"
        hits.append(p)
    prompt = rng.choice(
        [
            f"Where are the files called {name}? Find them all.",
            f"Look for every {name} in the tree.",
            f"Which folders hold a file named {name}?",
        ]
    )
    reply = listing(f"{name} is in")
    return one_call(prompt, "glob", {"pattern": f"**/{name}"}, reply, hits, files=files)


# -- grep -------------------------------------------------------------------------------------
def _grep_files(
    rng: random.Random, needle: str, k: int, files: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """k files where ``needle`` occurs and two without it, added to ``files``; hit paths."""
    files = {} if files is None else files
    hits = []
    names = fresh_names(rng, k + 2)
    for i, fn in enumerate(names):
        p = _path(rng, rng.randint(1, 3))
        while p in files:
            p = _path(rng, rng.randint(1, 3))
        body = f"def {fn}(x):\n    return x\n"
        if i < k:
            body = f"import os\n\n\ndef {fn}(x):\n    {needle_line(needle)}\n    return x\n"
            hits.append(p)
        files[p] = body
    return files, hits


def needle_line(needle: str) -> str:
    return f"# {needle}" if " " in needle else f"y = {needle}(x)"


def grep_literal(rng: random.Random) -> Spec:
    if rng.random() < 0.5:
        needle = f"{rng.choice(['load', 'fetch', 'emit', 'store'])}_{rng.choice(NOUNS)}"
    else:
        needle = f"{rng.choice(['NOTE', 'XXX', 'REVIEW'])} {rng.choice(WORDS)}"
    files, hits = _grep_files(rng, needle, rng.randint(1, 3))
    prompt = rng.choice(
        [
            f"Grep the workspace for {needle}.",
            f"Search all files for the text '{needle}'.",
            f"Which lines contain {needle}? Search for it.",
            f"Look for occurrences of `{needle}` in the code.",
        ]
    )

    def reply(output: str) -> str:
        refs = hit_refs(output)
        return f"{needle} occurs at:\n" + "\n".join(refs) if refs else f"No match for {needle}."

    return one_call(prompt, "grep", {"pattern": needle}, reply, hits, files=files)


def grep_in_folder(rng: random.Random) -> Spec:
    needle = f"{rng.choice(['parse', 'render', 'sync', 'encode'])}_{rng.choice(NOUNS)}"
    folder = rng.choice(TOPS)
    other = rng.choice([t for t in TOPS if t != folder])
    line = needle_line(needle)
    inside = f"{folder}/{rng.choice(SUBS)}/{rng.choice(MODULES)}.py"
    outside = f"{other}/{rng.choice(MODULES)}_{rng.choice(VERB_FILES)}.py"
    files = {
        inside: f"def run(x):\n    {line}\n    return y\n",
        outside: f"def go(x):\n    {line}\n    return y\n",
    }
    prompt = rng.choice(
        [
            f"Search for {needle}, but only in the {folder} folder.",
            f"Within {folder}/, where does {needle} appear?",
            f"Grep {folder}/ for {needle} (ignore the other directories).",
        ]
    )

    def reply(output: str) -> str:
        return f"In {folder}/, {needle} appears at " + ", ".join(hit_refs(output)) + "."

    args = {"pattern": needle, "path": folder}
    return one_call(prompt, "grep", args, reply, [inside], [outside], files)


def grep_two(rng: random.Random) -> Spec:
    x, y = (f"{v}_{rng.choice(NOUNS)}" for v in rng.sample(["retry", "flush", "seed", "drain"], 2))
    files, hx = _grep_files(rng, x, 1)
    files, hy = _grep_files(rng, y, 1, files)
    prompt = rng.choice(
        [
            f"Do two separate searches: one for {x}, one for {y}.",
            f"Find where {x} is used, and independently where {y} is used.",
            f"Grep for {x}; also grep for {y}.",
        ]
    )

    def solve() -> Script:
        res = yield [Call("grep", {"pattern": x}), Call("grep", {"pattern": y})]
        rx, ry = (", ".join(hit_refs(r.output)) or "nowhere" for r in res)
        yield Answer(f"{x}: {rx}\n{y}: {ry}")

    return Spec(
        prompt,
        [{"kind": "tool_called", "name": "grep"}, {"kind": "answer_has", "texts": [*hx, *hy]}],
        solve,
        files,
    )


# -- run_shell --------------------------------------------------------------------------------
SUBJECTS = [
    "Add retry to the uploader",
    "Tidy the config loader",
    "Support gzip exports",
    "Trim trailing spaces in reports",
    "Split the billing module",
    "Guard against empty batches",
    "Rename the queue worker",
    "Pin the parser version",
]


def shell_git_log(rng: random.Random) -> Spec:
    total = rng.randint(3, 7)
    n = rng.randint(2, total - 1)
    subjects = rng.sample(SUBJECTS, total)
    setup = ["git init -q -b main ."]
    for i, s in enumerate(subjects):
        setup += [f"echo {i} >> changes.txt", "git add -A", f"git commit -q -m '{s}'"]
    cmd = f"git log --oneline -{n}"
    prompt = rng.choice(
        [
            f"Run `{cmd}` and show me the output.",
            f"Execute {cmd} for me.",
            f"What does `{cmd}` print here?",
        ]
    )
    newest = subjects[::-1]
    return one_call(
        prompt,
        "run_shell",
        {"command": cmd},
        lambda output: f"The last {n} commits:\n" + stdout(output),
        newest[:n],
        [newest[n]],
        setup=setup,
    )


def shell_wc(rng: random.Random) -> Spec:
    path = _path(rng, rng.randint(1, 2), rng.choice(["txt", "csv", "py"]))
    n = rng.randint(7, 180)
    cmd = f"wc -l {path}"
    prompt = rng.choice(
        [
            f"Run {cmd} and tell me the number.",
            f"How many lines does {path} have? Use `wc -l`.",
            f"Execute `{cmd}`.",
        ]
    )

    def reply(output: str) -> str:
        m = re.match(r"\s*(\d+)", stdout(output))
        return f"{path} has {m.group(1) if m else 'an unknown number of'} lines."

    files = {path: "".join(f"row {i}\n" for i in range(n))}
    return one_call(prompt, "run_shell", {"command": cmd}, reply, [str(n)], files=files)


def shell_ls(rng: random.Random) -> Spec:
    folder = rng.choice(TOPS)
    names = sorted({f"{w}.{rng.choice(EXTS)}" for w in rng.sample(WORDS, rng.randint(2, 4))})
    files = {f"{folder}/{x}": "x\n" for x in names}
    files[f"{rng.choice(MODULES)}.py"] = "pass\n"
    flag = rng.choice(["", " -1", " -a"])
    cmd = f"ls{flag} {folder}"
    prompt = rng.choice(
        [
            f"Run `{cmd}`.",
            f"Execute {cmd} in the shell and show the result.",
            f"Do a `{cmd}` for me.",
        ]
    )

    def reply(output: str) -> str:
        shown = [x for x in stdout(output).split() if x not in (".", "..")]
        return f"`{cmd}` shows: " + ", ".join(shown)

    return one_call(prompt, "run_shell", {"command": cmd}, reply, names, files=files)


def shell_script(rng: random.Random) -> Spec:
    name = f"scripts/{rng.choice(['build', 'seed', 'check', 'report', 'bundle'])}_{rng.choice(NOUNS)}.sh"
    word = rng.choice(WORDS)
    k = rng.randint(2, 9)
    body = f'#!/usr/bin/env bash\nset -e\nfor i in $(seq 1 {k}); do :; done\necho "{word} done after $i steps"\n'
    cmd = f"bash {name}"
    prompt = rng.choice(
        [
            f"Execute the shell script {name}.",
            f"Run `{cmd}` and report what it says.",
            f"Start {name} with bash.",
        ]
    )
    return one_call(
        prompt,
        "run_shell",
        {"command": cmd},
        lambda output: f"{name} printed: {stdout(output)}",
        [f"{word} done after {k} steps"],
        files={name: body},
    )


def shell_unittest(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    names = fresh_names(rng, rng.randint(2, 5))
    tests = "import unittest\n\n\nclass TestIt(unittest.TestCase):\n" + "".join(
        f"    def test_{n}(self):\n        self.assertTrue(True)\n\n" for n in names
    )
    cmd = rng.choice(["python3 -m unittest -q", "python3 -m unittest"])
    prompt = rng.choice(
        [
            f"Run `{cmd}` and tell me how many tests ran.",
            f"Execute the test command {cmd}.",
            f"Please run {cmd} in the workspace.",
        ]
    )

    def reply(output: str) -> str:
        ran, ok = unittest_outcome(output)
        return f"{ran or 'No'} tests ran" + (" and all passed." if ok else "; not all passed.")

    has = [f"{len(names)} tests ran"]
    files = {f"test_{mod}.py": tests.rstrip() + "\n"}
    return one_call(prompt, "run_shell", {"command": cmd}, reply, has, files=files)


# -- run_python -------------------------------------------------------------------------------
def run_snippet(rng: random.Random) -> Spec:
    w = rng.choice(WORDS)
    a, b = sorted(rng.sample(range(2, 300), 2))
    k = rng.randint(2, 9)
    code, value = rng.choice(
        [
            (f"print(sum(range({a}, {b})))", str(sum(range(a, b)))),
            (f"print(len('{w}') * {k})", str(len(w) * k)),
            (f"print(''.join(sorted('{w}')))", "".join(sorted(w))),
            (f"print('{w}'.upper()[::-1])", w.upper()[::-1]),
            (f"print(max(x % {k} for x in range({a}, {b})))", str(max(x % k for x in range(a, b)))),
            (f"import math; print(math.gcd({a}, {b}))", str(math.gcd(a, b))),
        ]
    )
    prompt = rng.choice(
        [
            f"Run this Python code and tell me the output: {code}",
            f"Please execute in Python:\n{code}",
            f"What does this print when run with Python? {code}",
            f"Evaluate with the Python tool: {code}",
        ]
    )
    return one_call(
        prompt, "run_python", {"code": code}, lambda output: f"It prints {stdout(output)}.", [value]
    )


# -- write_file / edit_file -------------------------------------------------------------------
def write_exact(rng: random.Random) -> Spec:
    path = rng.choice(
        [
            f"{rng.choice(WORDS)}.txt",
            f"notes/{rng.choice(WORDS)}.md",
            f"conf/{rng.choice(NOUNS)}.env",
            f"{rng.choice(TOPS)}/{rng.choice(NOUNS)}.txt",
        ]
    )
    text = rng.choice(
        [
            f"{rng.choice(NOUNS).upper()}_LIMIT={rng.randint(2, 500)}",
            f"{rng.choice(WORDS).title()} release {rng.randint(1, 9)}.{rng.randint(0, 20)}",
            f"owner: {rng.choice(WORDS)}-team",
        ]
    )
    prompt = rng.choice(
        [
            f"Create {path} containing exactly: {text}",
            f"Write a file {path} whose whole content is {text}",
            f"Make {path} with the text {text} and nothing else.",
        ]
    )

    def solve() -> Script:
        res = yield Call("write_file", {"path": path, "content": text})
        ok = not res[0].is_error
        yield Answer(f"Created {path}." if ok else f"Could not write {path}: {res[0].output}")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": "write_file"},
            {"kind": "file_equals", "path": path, "text": text},
        ],
        solve,
    )


def edit_exact(rng: random.Random) -> Spec:
    path = _path(rng, rng.randint(1, 3), rng.choice(["py", "cfg", "toml"]))
    key = f"{rng.choice(NOUNS).upper()}_{rng.choice(['MAX', 'MIN', 'MODE', 'NAME'])}"
    old_v, new_v = (f"'{w}'" for w in rng.sample(WORDS, 2))
    if rng.random() < 0.5:
        old_v, new_v = (str(v) for v in rng.sample(range(2, 999), 2))
    old, new = f"{key} = {old_v}", f"{key} = {new_v}"
    text = f"# {rng.choice(MODULES)} settings\n{old}\nVERBOSE = {rng.randint(0, 3)}\n"
    prompt = rng.choice(
        [
            f"Edit {path}: replace {old} with {new}.",
            f"In {path} turn `{old}` into `{new}`.",
            f"Change the line {old} in {path} so it reads {new}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("edit_file", {"path": path, "old_text": old, "new_text": new})
        ok = not res[0].is_error
        yield Answer(f"{path} now has {new}." if ok else f"The edit failed: {res[0].output}")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": "edit_file"},
            {"kind": "file_contains", "path": path, "text": f"\n{new}\n"},
            {"kind": "file_not_contains", "path": path, "text": f"\n{old}\n"},
        ],
        solve,
        {path: text},
    )


# -- docs -------------------------------------------------------------------------------------
DOCS = [  # (name, a parameter only its real signature shows)
    ("json.loads", "object_hook"),
    ("shutil.copytree", "dirs_exist_ok"),
    ("subprocess.run", "capture_output"),
    ("os.makedirs", "exist_ok"),
    ("statistics.quantiles", "method"),
    ("textwrap.indent", "predicate"),
    ("collections.namedtuple", "defaults"),
    ("tempfile.NamedTemporaryFile", "delete"),
    ("random.sample", "counts"),
    ("shutil.make_archive", "root_dir"),
]


def docs_lookup(rng: random.Random) -> Spec:
    name, param = rng.choice(DOCS)
    prompt = rng.choice(
        [
            f"Check the docs for {name}.",
            f"Pull up the documentation of {name} for me.",
            f"What parameters does {name} take? Use the docs tool.",
            f"Show me the reference docs on {name}.",
        ]
    )

    def reply(output: str) -> str:
        lines = output.splitlines()
        at = next((i for i, x in enumerate(lines) if x.startswith(name + "(")), None)
        if at is None:
            return f"The docs for {name} say:\n{output}"
        about = next((x.strip() for x in lines[at + 1 :] if x.strip() and "(" not in x), "")
        return f"`{lines[at].strip()}`\n\n{about}".strip()

    return one_call(prompt, "docs", {"query": name}, reply, [param])


FAMILIES: list[tuple[str, Callable[[random.Random], Spec]]] = [
    ("direct-read-whole", read_whole),
    ("direct-read-range", read_range),
    ("direct-read-two", read_two),
    ("direct-list-project", list_project),
    ("direct-list-folder", list_folder),
    ("direct-list-depth", list_depth),
    ("direct-glob-ext", glob_ext),
    ("direct-glob-name", glob_name),
    ("direct-grep-literal", grep_literal),
    ("direct-grep-folder", grep_in_folder),
    ("direct-grep-two", grep_two),
    ("direct-shell-git-log", shell_git_log),
    ("direct-shell-wc", shell_wc),
    ("direct-shell-ls", shell_ls),
    ("direct-shell-script", shell_script),
    ("direct-shell-unittest", shell_unittest),
    ("direct-run-python", run_snippet),
    ("direct-write-file", write_exact),
    ("direct-edit-file", edit_exact),
    ("direct-docs", docs_lookup),
]


def families() -> list[Family]:
    return [Family(fid, CATEGORY, "agent", build, distinct=True) for fid, build in FAMILIES]
