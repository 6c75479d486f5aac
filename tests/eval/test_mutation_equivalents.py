"""The ``mutation`` check's equivalent rewrites: tests that compare the module's text with
the original (its sha256, a line of it) fail every planted bug, so without equivalents
they passed the test-generation tasks without testing any behaviour. With them, they
fail; the reference tests, which test behaviour, still pass."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.eval.agent import Task, TaskError, copy_workspace, grade_in_sandbox, load_tasks

REPO = Path(__file__).resolve().parents[2]
TASKS = REPO / "eval" / "agent"
TESTGEN = [t for t in load_tasks(TASKS) if t.category == "test_generation"]

NAN = math.nan
INPUTS: dict[str, list[tuple[Any, ...]]] = {
    "testgen-clamp": [
        (x, lo, hi)
        for x in (-5, 0, 3, 4, 10, 15, 2.5, -0.0, NAN)
        for lo, hi in ((0, 10), (10, 0), (3, 3), (-1.5, 2.5))
    ],
    "testgen-discount": [
        (price, percent)
        for price in (0, 80, 9.99, 10, 19.99, -5, 1e9, 0.1, 0.005)
        for percent in (0, 10, 25, 33.3, 100, 150, -20, 12.5)
    ],
    "testgen-grade": [(s,) for s in (*range(-5, 106), 89.5, 69.99, 90.0, NAN)],
    "testgen-initials": [
        (n,)
        for n in (
            "ada king lovelace",
            "",
            "  x  ",
            "élan vital",
            "a\tb\nc",
            "ßa b",
            "1st 2nd",
            None,
        )
    ],
    "testgen-word-count": [
        (t,) for t in ("The cat the Dog", "", "  a  A a. ", "İstanbul ISTANBUL", "x\ty\nx", 5)
    ],
}
"""Inputs on which each equivalent must do what the original does (inverted ranges, NaN,
negative zero and wrong types included: an honest test may pin any of them down)."""


def _mutation_check(task: Task) -> dict[str, Any]:
    (check,) = [c for c in task.checks if c["kind"] == "mutation"]
    return check


def _original(task: Task, path: str) -> str:
    return (task.workspace / path).read_text()


def _equivalent_text(task: Task, equivalent: dict[str, str]) -> str:
    original = _original(task, equivalent["path"])
    if "file" in equivalent:
        return (task.workspace.parent / equivalent["file"]).read_text()
    assert equivalent["old"] in original
    return original.replace(equivalent["old"], equivalent["new"], 1)


def _outcome(source: str, args: tuple[Any, ...]) -> str:
    """What the module's one function returns or raises for ``args``, as text that tells
    1 from 1.0, -0.0 from 0.0 and a dict's key order apart."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<task module>", "exec"), namespace)  # the project's own task code
    (function,) = [v for k, v in namespace.items() if callable(v) and not k.startswith("__")]
    try:
        value = function(*args)
    except Exception as exc:
        return f"raises {type(exc).__name__}"
    return f"{type(value).__name__} {value!r}"


def _ids(tasks: list[Task]) -> list[str]:
    return [t.id for t in tasks]


def test_every_test_generation_task_has_equivalents() -> None:
    assert {t.id for t in TESTGEN} == set(INPUTS)
    for task in TESTGEN:
        equivalents = _mutation_check(task)["equivalents"]
        assert any("file" in e for e in equivalents), task.id
        assert any("old" in e for e in equivalents), task.id


@pytest.mark.parametrize("task", TESTGEN, ids=_ids(TESTGEN))
def test_each_equivalent_differs_in_more_than_whitespace(task: Task) -> None:
    check = _mutation_check(task)
    for equivalent in check["equivalents"]:
        original = _original(task, equivalent["path"])
        text = _equivalent_text(task, equivalent)
        assert "".join(text.split()) != "".join(original.split()), equivalent
    # the whole rewrites keep the def line only: no line of the code, and none of the text
    # the planted bugs change, is there to grep for
    for equivalent in (e for e in check["equivalents"] if "file" in e):
        original = _original(task, equivalent["path"])
        text = _equivalent_text(task, equivalent)
        kept = {line.strip() for line in original.splitlines()} & {
            line.strip() for line in text.splitlines()
        }
        assert kept <= {""} | {line.strip() for line in original.splitlines()[:1]}, kept
        for mutant in check["mutants"]:
            assert mutant["old"] not in text, (task.id, mutant)


@pytest.mark.parametrize("task", TESTGEN, ids=_ids(TESTGEN))
def test_each_equivalent_behaves_as_the_original(task: Task) -> None:
    for equivalent in _mutation_check(task)["equivalents"]:
        original = _original(task, equivalent["path"])
        text = _equivalent_text(task, equivalent)
        for args in INPUTS[task.id]:
            assert _outcome(text, args) == _outcome(original, args), (equivalent, args)


def test_the_loader_names_what_an_equivalent_lacks(tmp_path: Path) -> None:
    folder = tmp_path / "t1"
    (folder / "workspace").mkdir(parents=True)
    (folder / "workspace" / "a.py").write_text("A = 1\n")
    (folder / "rewrites").mkdir()
    (folder / "rewrites" / "a.py").write_text("A = 2 - 1\n")
    (tmp_path / "outside.py").write_text("A = 1\n")
    mutants = [{"path": "a.py", "old": "1", "new": "2"}]
    whole = "a non-empty list of rewrites of the code that keep its behaviour"
    for equivalents, message in (
        (None, "needs equivalents \\(a list\\)"),
        ([], whole),
        ([{"path": "a.py"}], whole),
        ([{"path": "a.py", "old": "1"}], whole),
        ([{"path": "a.py", "old": "1", "new": "1.0", "file": "rewrites/a.py"}], whole),
        ([{"path": "a.py", "old": "A", "new": "A"}], "old and new differ"),
        ([{"path": "a.py", "file": "rewrites/b.py"}], "equivalent file rewrites/b.py"),
        # the workspace is the model's to read; a file outside the task is no task's
        ([{"path": "a.py", "file": "workspace/a.py"}], "equivalent file workspace/a.py"),
        ([{"path": "a.py", "file": "../outside.py"}], "equivalent file ../outside.py"),
        ([{"path": "a.py", "file": "rewrites"}], "equivalent file rewrites"),
    ):
        check = {"kind": "mutation", "command": "t", "mutants": mutants}
        if equivalents is not None:
            check["equivalents"] = equivalents
        task = {"category": "test_generation", "instruction": "x", "checks": [check]}
        (folder / "task.json").write_text(json.dumps(task))
        with pytest.raises(TaskError, match=message):
            load_tasks(tmp_path)
    check["equivalents"] = [
        {"path": "a.py", "file": "rewrites/a.py"},
        {"path": "a.py", "old": "A = 1", "new": "A = (1)"},
    ]
    (folder / "task.json").write_text(json.dumps(task))
    (loaded,) = load_tasks(tmp_path)
    assert _mutation_check(loaded)["equivalents"] == check["equivalents"]


# -- graded in the real sandbox ----------------------------------------------------------------


def _test_file(task: Task) -> str:
    (name,) = [p.name for p in (task.workspace.parent / "solution").iterdir()]
    assert name.removesuffix(".py") in _mutation_check(task)["command"].split()
    return name


Gaming = tuple[str, Callable[[str], bool]]
"""A test file that checks the code's text, and which texts of the code it accepts."""


def _hash_test(task: Task) -> Gaming:
    path = _mutation_check(task)["mutants"][0]["path"]
    digest = hashlib.sha256((task.workspace / path).read_bytes()).hexdigest()
    tests = (
        "import hashlib\nimport unittest\n\n\nclass T(unittest.TestCase):\n"
        "    def test_code(self):\n"
        f"        data = open({path!r}, 'rb').read()\n"
        f"        self.assertEqual(hashlib.sha256(data).hexdigest(), {digest!r})\n"
    )
    return tests, lambda text: hashlib.sha256(text.encode()).hexdigest() == digest


def _line_test(task: Task) -> Gaming:
    """Each line of the code that a planted bug changes must be there, word for word."""
    check = _mutation_check(task)
    path = check["mutants"][0]["path"]
    original = _original(task, path)
    lines: set[str] = set()
    for mutant in check["mutants"]:
        planted = original.replace(mutant["old"], mutant["new"], 1).splitlines()
        lines |= {line for line in original.splitlines() if line not in planted}
    tests = (
        "import unittest\n\n\nclass T(unittest.TestCase):\n"
        "    def test_code(self):\n"
        f"        lines = open({path!r}).read().splitlines()\n"
        f"        for line in {sorted(lines)!r}:\n"
        "            self.assertIn(line, lines)\n"
    )
    return tests, lambda text: lines <= set(text.splitlines())


async def _grade(task: Task, tests: str | None) -> list[dict[str, Any]]:
    """The task graded on its workspace with the reference tests, or with ``tests`` in
    their place."""
    ws = await asyncio.to_thread(copy_workspace, task, True)
    try:
        if tests is not None:
            (ws / _test_file(task)).write_text(tests)
        return await grade_in_sandbox(task, ws, task.reference_answer, "docker")
    finally:
        shutil.rmtree(ws.parent, ignore_errors=True)


def _without_equivalents(task: Task) -> Task:
    checks = [{**c, "equivalents": []} if c["kind"] == "mutation" else c for c in task.checks]
    return dataclasses.replace(task, checks=checks)


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("task", TESTGEN, ids=_ids(TESTGEN))
def test_reference_tests_pass_on_every_equivalent(task: Task, docker_ready) -> None:
    checks = asyncio.run(_grade(task, None))
    n = len(_mutation_check(task)["equivalents"])
    assert checks == [
        {
            "kind": "mutation",
            "ok": True,
            "detail": f"killed 3/3 planted bugs; passed {n}/{n} equivalent rewrites",
        }
    ]


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("gaming", [_hash_test, _line_test], ids=["sha256", "source-line"])
@pytest.mark.parametrize("task", TESTGEN, ids=_ids(TESTGEN))
def test_tests_of_the_code_text_fail_on_the_equivalents(
    task: Task, gaming: Callable[[Task], Gaming], docker_ready
) -> None:
    tests, accepts = gaming(task)
    equivalents = _mutation_check(task)["equivalents"]
    failed = [i for i, e in enumerate(equivalents) if not accepts(_equivalent_text(task, e))]
    # every whole rewrite is one the text test rejects
    assert {i for i, e in enumerate(equivalents) if "file" in e} <= set(failed)

    async def both() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return await _grade(_without_equivalents(task), tests), await _grade(task, tests)

    before, now = asyncio.run(both())
    # without equivalents, the text test "catches" every planted bug and passed the task
    assert before == [
        {
            "kind": "mutation",
            "ok": True,
            "detail": "killed 3/3 planted bugs; passed 0/0 equivalent rewrites",
        }
    ]
    assert now == [
        {
            "kind": "mutation",
            "ok": False,
            "detail": f"the tests fail on equivalent rewrites {failed} of the code (the same "
            "behaviour in other text): they must test what the code does, not its text",
        }
    ]


@pytest.mark.slow
@pytest.mark.docker
def test_an_equivalent_that_does_not_apply_is_a_task_bug(tmp_path: Path, docker_ready) -> None:
    (task,) = [t for t in TESTGEN if t.id == "testgen-clamp"]
    check = _mutation_check(task)
    stale = {"path": "bounds.py", "old": "if x >= hi:", "new": "if hi <= x:"}
    broken = dataclasses.replace(task, checks=[{**check, "equivalents": [stale]}])
    checks = asyncio.run(_grade(broken, None))
    assert checks == [
        {
            "kind": "mutation",
            "ok": False,
            "detail": "equivalent 0 does not apply to bounds.py (task bug)",
        }
    ]
