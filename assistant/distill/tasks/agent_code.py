"""Agent tasks on code: debugging runs, writing tests, refactoring, running programs."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Spec
from assistant.distill.tasks.kit import (
    BUGS,
    MODULES,
    NOUNS,
    UNITTEST,
    exit_code,
    fresh_names,
    join,
    lines_of,
    stdout,
    unittest_outcome,
)


# -- debugging ----------------------------------------------------------------------------------
def fix_name_error(rng: random.Random) -> Spec:
    var = rng.choice(["total", "count", "result", "amount", "score"])
    typo = var[:-1] if rng.random() < 0.5 else var + var[-1]
    values = [rng.randint(1, 50) for _ in range(rng.randint(3, 6))]
    name = rng.choice(["report.py", "summary.py", "tally.py"])
    text = f"{var} = 0\nfor v in {values}:\n    {var} += v\nprint('total:', {typo})\n"
    prompt = rng.choice(
        [
            f"{name} crashes. Fix it and tell me what it prints.",
            f"Running {name} fails; fix the bug and report the output.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        m = re.search(r"NameError: name '(\w+)' is not defined", res[0].output)
        bad = m.group(1) if m else typo
        yield Call(
            "edit_file",
            {
                "path": name,
                "old_text": f"print('total:', {bad})",
                "new_text": f"print('total:', {var})",
            },
        )
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        yield Answer(
            f"The last line used the undefined name {bad}; fixed to {var}. "
            f"It prints: {stdout(res[0].output)}"
        )

    return Spec(
        prompt,
        [
            {
                "kind": "command",
                "command": f"python3 {name}",
                "exit_code": 0,
                "output_contains": f"total: {sum(values)}",
            },
            {"kind": "answer_has", "texts": [str(sum(values))]},
        ],
        solve,
        {name: text},
    )


def fix_syntax_error(rng: random.Random) -> Spec:
    fn = fresh_names(rng, 1)[0]
    a, b = rng.randint(2, 30), rng.randint(2, 30)
    name = rng.choice(MODULES) + ".py"
    good = f"def {fn}(a, b):\n    return a * b + 1\n\n\nprint({fn}({a}, {b}))\n"
    text = good.replace(f"def {fn}(a, b):", f"def {fn}(a, b)")
    prompt = rng.choice(
        [
            f"{name} has a syntax error. Fix it and run it.",
            f"Fix {name} so it runs, then tell me its output.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        m = re.search(r"line (\d+)", res[0].output)
        line = int(m.group(1)) if m else 1
        res = yield Call("read_file", {"path": name, "start_line": line, "end_line": line})
        bad = lines_of(res[0].output)[0] if lines_of(res[0].output) else f"def {fn}(a, b)"
        yield Call("edit_file", {"path": name, "old_text": bad, "new_text": bad.rstrip(":") + ":"})
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        yield Answer(
            f"Line {line} lacked a colon after the def; now it prints {stdout(res[0].output)}."
        )

    return Spec(
        prompt,
        [
            {
                "kind": "command",
                "command": f"python3 {name}",
                "exit_code": 0,
                "output_contains": str(a * b + 1),
            },
            {"kind": "answer_has", "texts": [str(a * b + 1)]},
        ],
        solve,
        {name: text},
    )


ERRORS = [
    ("ZeroDivisionError", "x = {n}\nprint(x / (x - x))\n"),
    ("KeyError", "prices = {{'tea': {n}}}\nprint(prices['coffee'])\n"),
    ("IndexError", "items = list(range({n}))\nprint(items[{n}])\n"),
    ("TypeError", "count = {n}\nprint('count: ' + count)\n"),
    ("ValueError", "print(int('{n}a'))\n"),
    ("AttributeError", "value = {n}\nprint(value.append(1))\n"),
]


def explain_crash(rng: random.Random) -> Spec:
    err, code = rng.choice(ERRORS)
    name = rng.choice(["run.py", "job.py", "main.py", "etl.py"])
    prompt = rng.choice(
        [
            f"Run {name} and tell me what error it raises.",
            f"Why does {name} crash? Run it and name the exception.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        m = re.search(r"^(\w+Error): (.*)$", res[0].output, re.M)
        yield Answer(f"It raises {m.group(1)}: {m.group(2)}" if m else "It ran without an error.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell", "run_python"]},
            {"kind": "answer_has", "texts": [err]},
        ],
        solve,
        {name: code.format(n=rng.randint(3, 99))},
    )


def fix_import(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    wrong = mod + rng.choice(["s", "_utils", "lib"])
    fn = fresh_names(rng, 1)[0]
    n = rng.randint(2, 99)
    files = {
        f"{mod}.py": f"def {fn}(x):\n    return x + 1\n",
        "app.py": f"from {wrong} import {fn}\n\nprint({fn}({n}))\n",
    }
    prompt = "app.py fails on its import. Fix the import and run it."

    def solve() -> Script:
        res = yield Call("run_shell", {"command": "python3 app.py"})
        m = re.search(r"No module named '(\w+)'", res[0].output)
        bad = m.group(1) if m else wrong
        res = yield Call("grep", {"pattern": f"def {fn}\\("})
        found = re.search(r"^(\w+)\.py:", res[0].output, re.M)
        right = found.group(1) if found else mod
        yield Call(
            "edit_file",
            {
                "path": "app.py",
                "old_text": f"from {bad} import",
                "new_text": f"from {right} import",
            },
        )
        res = yield Call("run_shell", {"command": "python3 app.py"})
        yield Answer(
            f"{fn} lives in {right}.py, not {bad}; fixed. app.py prints {stdout(res[0].output)}."
        )

    return Spec(
        prompt,
        [
            {
                "kind": "command",
                "command": "python3 app.py",
                "exit_code": 0,
                "output_contains": str(n + 1),
            }
        ],
        solve,
        files,
    )


# -- testing -----------------------------------------------------------------------------------
def write_tests(rng: random.Random) -> Spec:
    """Test generation graded by whether the new tests catch a planted bug."""
    mod = rng.choice(MODULES)
    fn = fresh_names(rng, 1)[0]
    good, buggy, args, want = rng.choice(BUGS)
    files = {f"{mod}.py": f"def {fn}(a, b):\n{good}"}
    test = f"test_{mod}.py"
    prompt = rng.choice(
        [
            f"Write unittest tests for {fn} in {test} and run them.",
            f"Add a test file {test} that checks {fn}, then run it.",
        ]
    )
    # In a subshell, so `exit` ends the check and not the sandbox's persistent shell.
    catch = (
        f"(\npython3 -B -m unittest {test[:-3]} || exit 1\ncp {mod}.py /tmp/orig.py\n"
        f"python3 - <<'EOF'\nimport pathlib\np = pathlib.Path('{mod}.py')\n"
        f"p.write_text(p.read_text().replace({good.strip()!r}, {buggy.strip()!r}))\nEOF\n"
        f"python3 -B -m unittest {test[:-3]}; r=$?\ncp /tmp/orig.py {mod}.py\ntest $r -ne 0\n)"
    )

    def solve() -> Script:
        res = yield Call("read_file", {"path": f"{mod}.py"})
        body = lines_of(res[0].output)
        yield Call(
            "write_file",
            {
                "path": test,
                "content": (
                    f"import unittest\n\nfrom {mod} import {fn}\n\n\nclass Test{fn.title().replace('_', '')}"
                    f"(unittest.TestCase):\n    def test_{fn}(self):\n"
                    f"        self.assertEqual({fn}{args}, {want})\n\n\nif __name__ == '__main__':\n"
                    "    unittest.main()\n"
                ),
            },
        )
        res = yield Call("run_shell", {"command": f"python3 -m unittest {test[:-3]} -v"})
        ok = re.search(r"^OK", res[0].output, re.M) is not None
        yield Answer(
            f"Wrote {test} checking {fn}{args} == {want} ({body[-1].strip()}); "
            + ("it passes." if ok else "it fails.")
        )

    return Spec(prompt, [{"kind": "command", "command": catch, "exit_code": 0}], solve, files)


def count_tests(rng: random.Random) -> Spec:
    counts = {}
    files = {}
    for mod in rng.sample(MODULES, rng.randint(2, 3)):
        names = fresh_names(rng, rng.randint(1, 5))
        counts[mod] = len(names)
        files[f"tests/test_{mod}.py"] = (
            "import unittest\n\n\nclass T(unittest.TestCase):\n"
            + "".join(f"    def test_{n}(self):\n        pass\n\n" for n in names)
        )
    total = sum(counts.values())
    prompt = rng.choice(
        ["How many test functions are in tests/?", "Count the tests in this project."]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": r"def test_", "path": "tests"})
        n = len([x for x in res[0].output.splitlines() if "def test_" in x])
        yield Answer(f"There are {n} tests in tests/.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "run_shell", "read_file"]},
            {"kind": "answer_has", "texts": [str(total)]},
        ],
        solve,
        files,
    )


def run_one_test(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    names = fresh_names(rng, 3)
    pick = rng.randrange(3)
    passes = rng.random() < 0.5
    tests = "".join(
        f"    def test_{n}(self):\n        self.assertEqual(1, {1 if (i != pick or passes) else 2})\n\n"
        for i, n in enumerate(names)
    )
    files = {f"test_{mod}.py": f"import unittest\n\n\nclass T(unittest.TestCase):\n{tests}"}
    target = f"test_{names[pick]}"
    prompt = f"Run only {target} and tell me whether it passes."

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 -m unittest test_{mod}.T.{target} -v"})
        verdict = "passes" if re.search(r"^OK", res[0].output, re.M) else "fails"
        yield Answer(f"{target} {verdict}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": ["passes" if passes else "fails"]},
            {"kind": "answer_lacks", "texts": ["fails" if passes else "passes"]},
        ],
        solve,
        files,
    )


# -- refactoring -------------------------------------------------------------------------------
def rename_function(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    old, new = fresh_names(rng, 2)
    n = rng.randint(2, 50)
    files = {
        f"{mod}.py": f"def {old}(x):\n    return x * 3\n",
        "main.py": f"from {mod} import {old}\n\nprint({old}({n}))\n",
    }
    prompt = f"Rename the function {old} to {new} everywhere."

    def solve() -> Script:
        res = yield Call("grep", {"pattern": rf"\b{old}\b"})
        paths = sorted({x.split(":")[0] for x in res[0].output.splitlines() if ":" in x})
        for p in paths:
            yield Call(
                "edit_file", {"path": p, "old_text": old, "new_text": new, "replace_all": True}
            )
        res = yield Call("run_shell", {"command": "python3 main.py"})
        yield Answer(
            f"Renamed {old} to {new} in {join(paths)}; main.py still prints "
            f"{stdout(res[0].output)}."
        )

    return Spec(
        prompt,
        [
            {
                "kind": "command",
                "command": "python3 main.py",
                "exit_code": 0,
                "output_contains": str(n * 3),
                "guard": True,
            },
            {"kind": "command", "command": f"! grep -rqw {old} --include=*.py ."},
            {"kind": "file_contains", "path": f"{mod}.py", "text": f"def {new}("},
        ],
        solve,
        files,
    )


def extract_constant(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    value = rng.choice([0.21, 0.08, 1.5, 60, 86400, 1024])
    const = rng.choice(["TAX_RATE", "FACTOR", "LIMIT", "SCALE"])
    text = f"def first(x):\n    return x * {value}\n\n\ndef second(x):\n    return x / {value}\n"
    prompt = f"In {mod}.py, replace the magic number {value} with a module constant {const}."

    def solve() -> Script:
        yield Call(
            "edit_file",
            {"path": f"{mod}.py", "old_text": str(value), "new_text": const, "replace_all": True},
        )
        yield Call(
            "edit_file",
            {
                "path": f"{mod}.py",
                "old_text": "def first(x):",
                "new_text": f"{const} = {value}\n\n\ndef first(x):",
            },
        )
        res = yield Call(
            "run_shell", {"command": f"python3 -c 'import {mod}; print({mod}.first(2))'"}
        )
        yield Answer(
            f"{const} = {value} now names the number; first(2) still gives {stdout(res[0].output)}."
        )

    check = (
        f"python3 -c 'import {mod}; assert {mod}.{const} == {value}; "
        f"assert {mod}.first(2) == 2 * {value}; assert {mod}.second(2) == 2 / {value}'"
    )
    return Spec(
        prompt,
        [
            {"kind": "command", "command": check, "exit_code": 0},
            {"kind": "file_count", "path": f"{mod}.py", "text": str(value), "count": 1},
        ],
        solve,
        {f"{mod}.py": text},
    )


def add_type_hints(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    fn = fresh_names(rng, 1)[0]
    text = f"def {fn}(a, b):\n    return a + b\n"
    kind = rng.choice(["int", "float", "str"])
    prompt = f"Add type hints to {fn} in {mod}.py: both parameters and the result are {kind}."

    def solve() -> Script:
        yield Call(
            "edit_file",
            {
                "path": f"{mod}.py",
                "old_text": f"def {fn}(a, b):",
                "new_text": f"def {fn}(a: {kind}, b: {kind}) -> {kind}:",
            },
        )
        yield Answer(f"{fn} is now typed ({kind}, {kind}) -> {kind}.")

    return Spec(
        prompt,
        [
            {
                "kind": "file_matches",
                "path": f"{mod}.py",
                "regex": rf"def {fn}\(a: {kind}, b: {kind}\) -> {kind}:",
            }
        ],
        solve,
        {f"{mod}.py": text},
    )


def print_to_logging(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    msgs = rng.sample(["starting", "loaded config", "done", "retrying", "saved"], 2)
    text = "".join(f"print({m!r})\n" for m in msgs)
    prompt = f"Replace the print calls in {mod}.py with logging.info, setting up logging first."

    def solve() -> Script:
        new = "import logging\n\nlogging.basicConfig(level=logging.INFO)\n" + "".join(
            f"logging.info({m!r})\n" for m in msgs
        )
        yield Call("read_file", {"path": f"{mod}.py"})
        yield Call("write_file", {"path": f"{mod}.py", "content": new})
        res = yield Call("run_shell", {"command": f"python3 {mod}.py 2>&1"})
        yield Answer(
            f"{mod}.py now logs instead of printing: {stdout(res[0].output).splitlines()[0]}"
        )

    return Spec(
        prompt,
        [
            {"kind": "file_not_contains", "path": f"{mod}.py", "text": "print("},
            {
                "kind": "command",
                "command": f"python3 {mod}.py 2>&1",
                "exit_code": 0,
                "output_contains": f"INFO:root:{msgs[0]}",
            },
        ],
        solve,
        {f"{mod}.py": text},
    )


# -- running programs --------------------------------------------------------------------------
def script_with_args(rng: random.Random) -> Spec:
    a, b = rng.randint(2, 999), rng.randint(2, 999)
    op, sym = rng.choice([("add", "+"), ("mul", "*"), ("sub", "-")])
    text = (
        "import sys\n\nop, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])\n"
        "print({'add': a + b, 'mul': a * b, 'sub': a - b}[op])\n"
    )
    value = {"+": a + b, "*": a * b, "-": a - b}[sym]
    prompt = (
        f"Use calc_cli.py to compute {a} {sym} {b} (it takes: op a b, with op add, mul or sub)."
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 calc_cli.py {op} {a} {b}"})
        yield Answer(f"{a} {sym} {b} = {stdout(res[0].output)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [str(value)]},
        ],
        solve,
        {"calc_cli.py": text},
    )


def csv_column_sum(rng: random.Random) -> Spec:
    col = rng.choice(["amount", "qty", "price", "hours"])
    rows = [(rng.choice(NOUNS), rng.randint(1, 500)) for _ in range(rng.randint(4, 12))]
    text = f"name,{col}\n" + "".join(f"{n},{v}\n" for n, v in rows)
    total = sum(v for _, v in rows)
    prompt = rng.choice(
        [
            f"What is the sum of the {col} column in data.csv?",
            f"Add up the {col} values in data.csv.",
        ]
    )

    def solve() -> Script:
        res = yield Call(
            "run_python",
            {
                "code": (
                    "import csv\n"
                    f"print(sum(int(r['{col}']) for r in csv.DictReader(open('data.csv'))))"
                )
            },
        )
        yield Answer(f"The {col} column sums to {stdout(res[0].output)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_python", "run_shell", "read_file"]},
            {"kind": "answer_has", "texts": [str(total)]},
        ],
        solve,
        {"data.csv": text},
    )


def script_exit_status(rng: random.Random) -> Spec:
    ok = rng.random() < 0.5
    code = 0 if ok else rng.choice([1, 2, 3])
    name = rng.choice(["check.py", "lint.py", "verify.py"])
    text = f"import sys\n\nprint('checked {rng.randint(3, 40)} files')\nsys.exit({code})\n"
    prompt = rng.choice(
        [
            f"Does {name} succeed? Run it and tell me its exit code.",
            f"Run {name}; what exit status does it return?",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {name}"})
        c = exit_code(res[0].output)
        yield Answer(f"{name} exits with code {c}, so it " + ("succeeds." if c == 0 else "fails."))

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [f"code {code}"]},
        ],
        solve,
        {name: text},
    )


def json_aggregate(rng: random.Random) -> Spec:
    import json

    users = [
        {"name": n, "age": rng.randint(18, 80), "active": rng.random() < 0.6}
        for n in rng.sample(["ana", "ben", "cai", "dev", "eli", "fay", "gus", "hal"], 5)
    ]
    active = [u["name"] for u in users if u["active"]] or ["nobody"]
    if active == ["nobody"]:
        users[0]["active"] = True
        active = [users[0]["name"]]
    prompt = "Which users in users.json are active?"

    def solve() -> Script:
        res = yield Call(
            "run_python",
            {
                "code": (
                    "import json\nprint(', '.join(u['name'] for u in json.load(open('users.json')) "
                    "if u['active']))"
                )
            },
        )
        yield Answer(f"Active users: {stdout(res[0].output)}.")

    inactive = [u["name"] for u in users if not u["active"]]
    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_python", "read_file", "run_shell"]},
            {"kind": "answer_has", "texts": active},
            {"kind": "answer_lacks", "texts": inactive},
        ],
        solve,
        {"users.json": json.dumps(users, indent=1) + "\n"},
    )


def run_tests_summary(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    names = fresh_names(rng, rng.randint(2, 6))
    files = {
        f"test_{mod}.py": "import unittest\n\n\nclass T(unittest.TestCase):\n"
        + "".join(f"    def test_{n}(self):\n        self.assertTrue(True)\n\n" for n in names)
    }
    prompt = rng.choice(
        [
            "Run the test suite. How many tests ran, and did they pass?",
            "Do all the tests pass? How many are there?",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": UNITTEST})
        ran, ok = unittest_outcome(res[0].output)
        yield Answer(f"{ran or 'No'} tests ran and " + ("all passed." if ok else "some failed."))

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell"]},
            {"kind": "answer_has", "texts": [str(len(names)), "passed"]},
        ],
        solve,
        files,
    )


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("fix-name-error", "debugging", fix_name_error),
    ("fix-syntax-error", "debugging", fix_syntax_error),
    ("explain-crash", "debugging", explain_crash),
    ("fix-import", "debugging", fix_import),
    ("write-tests", "testing", write_tests),
    ("count-tests", "testing", count_tests),
    ("run-one-test", "testing", run_one_test),
    ("run-tests-summary", "testing", run_tests_summary),
    ("rename-function", "refactoring", rename_function),
    ("extract-constant", "refactoring", extract_constant),
    ("add-type-hints", "refactoring", add_type_hints),
    ("print-to-logging", "refactoring", print_to_logging),
    ("script-with-args", "code_exec", script_with_args),
    ("csv-column-sum", "code_exec", csv_column_sum),
    ("script-exit-status", "code_exec", script_exit_status),
    ("json-aggregate", "code_exec", json_aggregate),
]
