"""The shipped agent tasks are sound: each fails untouched and passes with its reference
solution, graded by the same checks in the real Docker sandbox; a result keeps the
agent's transcript."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.eval.agent import (
    CATEGORIES,
    TaskError,
    copy_workspace,
    grade_in_sandbox,
    load_tasks,
    transcript_of,
)
from assistant.llm.base import Message, ToolCall

REPO = Path(__file__).resolve().parents[2]
TASKS = REPO / "eval" / "agent"


def test_shipped_tasks_cover_every_category() -> None:
    tasks = load_tasks(TASKS)
    assert len(tasks) >= 30
    counts = Counter(t.category for t in tasks)
    assert set(counts) == set(CATEGORIES) and min(counts.values()) >= 5
    for t in tasks:
        assert t.reference_answer, t.id
        if t.category == "debugging":
            kinds = {c["kind"] for c in t.checks}
            assert {"unittest", "behaviour", "unchanged"} <= kinds, t.id
        if t.category == "test_generation":
            (mutation,) = [c for c in t.checks if c["kind"] == "mutation"]
            assert len(mutation["mutants"]) >= 3, t.id


def test_malformed_task_folders(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="does not exist"):
        load_tasks(tmp_path / "nope")
    with pytest.raises(TaskError, match="holds no task folders"):
        load_tasks(tmp_path)
    bad = tmp_path / "t1"
    (bad / "workspace").mkdir(parents=True)
    (bad / "task.json").write_text(json.dumps({"category": "inspection", "instruction": "x"}))
    with pytest.raises(TaskError, match="non-empty list of checks"):
        load_tasks(tmp_path)
    (bad / "task.json").write_text(
        json.dumps({"category": "poetry", "instruction": "x", "checks": [{"kind": "command"}]})
    )
    with pytest.raises(TaskError, match="category must be one of"):
        load_tasks(tmp_path)
    (bad / "task.json").write_text(
        json.dumps({"category": "inspection", "instruction": "x", "checks": [{"kind": "vibes"}]})
    )
    with pytest.raises(TaskError, match="every check needs a kind"):
        load_tasks(tmp_path)
    for field, message in (("max_steps", "max_steps must be"), ("instruction", "must be a string")):
        task = {
            "category": "inspection",
            "instruction": "x",
            "checks": [{"kind": "answer_lacks", "text": "y"}],
        }
        task[field] = ["5"]
        (bad / "task.json").write_text(json.dumps(task))
        with pytest.raises(TaskError, match=message):
            load_tasks(tmp_path)
    # a check that could only fail while grading, for every model alike
    for check, message in (
        ({"kind": "answer_contains", "txt": "x"}, "a text or a non-empty any list"),
        ({"kind": "file_contains", "path": "a.txt"}, "needs text"),
        ({"kind": "command", "command": ["ls"]}, "needs command"),
        ({"kind": "answer_matches", "regex": "("}, "a valid regex"),
        (
            {"kind": "mutation", "command": "t", "mutants": [{"path": "a"}], "equivalents": []},
            "path, old and new",
        ),
        ({"kind": "unittest", "paths": ["test_a"]}, "top-level .py test files"),
        # in a folder, a package the workspace plants there would be imported instead
        ({"kind": "unittest", "paths": ["tests/test_a.py"]}, "top-level .py test files"),
        ({"kind": "unittest", "paths": ["test-a.py"]}, "top-level .py test files"),
    ):
        task = {"category": "inspection", "instruction": "x", "checks": [check]}
        (bad / "task.json").write_text(json.dumps(task))
        with pytest.raises(TaskError, match=message):
            load_tasks(tmp_path)


async def _grade_all(solved: bool) -> dict[str, list[dict]]:
    out = {}
    for task in load_tasks(TASKS):
        ws = await asyncio.to_thread(copy_workspace, task, solved)
        try:
            answer = task.reference_answer if solved else ""
            out[task.id] = await grade_in_sandbox(task, ws, answer, "docker")
        finally:
            shutil.rmtree(ws.parent, ignore_errors=True)
    return out


@pytest.mark.slow
@pytest.mark.docker
def test_reference_solutions_pass_and_untouched_workspaces_fail(docker_ready) -> None:
    solved = asyncio.run(_grade_all(True))
    failing = {tid: [c for c in checks if not c["ok"]] for tid, checks in solved.items()}
    assert not {k: v for k, v in failing.items() if v}, "reference solutions must pass"
    untouched = asyncio.run(_grade_all(False))
    passing = [tid for tid, checks in untouched.items() if all(c["ok"] for c in checks)]
    assert not passing, f"tasks that pass without doing anything: {passing}"
    # the mutation check really ran the planted bugs
    details = [c["detail"] for c in solved["testgen-clamp"]]
    assert details == ["killed 3/3 planted bugs; passed 2/2 equivalent rewrites"]


def test_transcript_keeps_calls_and_shortens_long_results() -> None:
    call = ToolCall("run_shell", {"command": "python3 big.py"})
    output = "first line\n" + "x" * 5000 + "\nlast line"
    messages = [
        Message("system", "You are a coding agent."),
        Message.user("Run big.py."),
        Message("assistant", "", tool_calls=[call]),
        Message.tool(call, output),
        Message("assistant", "It printed a lot."),
    ]
    steps = transcript_of(messages)
    assert [s["role"] for s in steps] == ["assistant", "tool", "assistant"]
    assert steps[0]["tool_calls"] == [
        {"name": "run_shell", "arguments": {"command": "python3 big.py"}}
    ]
    kept = steps[1]["content"]
    assert steps[1]["name"] == "run_shell" and len(kept) < 900
    assert kept.startswith("first line") and kept.endswith("last line")
    assert f"({len(output) - 800} characters left out)" in kept
    assert steps[2] == {"role": "assistant", "content": "It printed a lot."}


@pytest.mark.slow
@pytest.mark.docker
def test_mutation_check_runs_each_planted_bug_not_a_stale_bytecode_cache(
    tmp_path: Path, docker_ready
) -> None:
    """Mutants of the same size written within a second of each other: Python's bytecode
    cache (keyed on the source's mtime in seconds and its size) must not hand the tests
    the code of the previous run instead of the planted bug."""
    folder = tmp_path / "tasks" / "same-size-mutants"
    (folder / "workspace").mkdir(parents=True)
    (folder / "workspace" / "consts.py").write_text("A = 1\nB = 2\nC = 5\n")
    (folder / "workspace" / "test_consts.py").write_text(
        "import unittest\n\nimport consts\n\n\nclass T(unittest.TestCase):\n"
        "    def test_a(self):\n        self.assertEqual(consts.A, 1)\n"
    )
    mutants = [
        {"path": "consts.py", "old": f"{n} = {v}", "new": f"{n} = {v + 2}"}
        for n, v in (("A", 1), ("B", 2), ("C", 5))
    ]
    check = {
        "kind": "mutation",
        "command": "python3 -m unittest -q test_consts",
        "equivalents": [{"path": "consts.py", "old": "A = 1", "new": "A = 3 - 2"}],
    }
    task_json = {"category": "test_generation", "instruction": "Test consts.py."}
    task_json["checks"] = [{**check, "mutants": mutants}]
    (folder / "task.json").write_text(json.dumps(task_json))
    (task,) = load_tasks(folder)

    async def grade_twice() -> list[list[dict]]:
        out = []
        for _ in range(2):
            ws = await asyncio.to_thread(copy_workspace, task)
            try:
                out.append(await grade_in_sandbox(task, ws, "", "docker"))
            finally:
                shutil.rmtree(ws.parent, ignore_errors=True)
        return out

    for checks in asyncio.run(grade_twice()):
        # the tests see A only: the bug in A is caught, those in B and C are not
        assert [c["detail"] for c in checks] == [
            "killed 1/3 planted bugs (survived: [1, 2]); passed 1/1 equivalent rewrites"
        ]


@pytest.mark.slow
@pytest.mark.docker
def test_work_short_of_the_task_does_not_pass(docker_ready) -> None:
    """Answers that dodge the task: a rename to another name, every file named at once, the
    new requirement put first, every number the script's loop went through."""
    tasks = {t.id: t for t in load_tasks(TASKS)}
    dodges = [
        ("tool-rename-function", "report.py", lambda text: text.replace("make_rpt", "make_rep")),
        ("tool-find-largest", "answer.txt", lambda _text: "alpha.csv\nbeta.csv\ngamma.csv\n"),
        # the typo fixed, and the other docs emptied on the way
        ("tool-fix-spelling-docs", "docs/faq.md", lambda _text: ""),
        ("tool-append-requirement", "requirements-dev.txt", lambda t: "coverage\n" + t),
        ("tool-append-requirement", "requirements-dev.txt", lambda _t: "ruff\npytest\ncoverage\n"),
        ("tool-run-save-output", "result.txt", lambda _t: "1597\n2584\n4181\n6765\n"),
    ]
    solved_first = {"tool-fix-spelling-docs"}

    async def grade(tid: str, path: str, edit: Callable[[str], str]) -> list[dict]:
        task = tasks[tid]
        ws = await asyncio.to_thread(copy_workspace, task, tid in solved_first)
        try:
            target = ws / path
            target.write_text(edit(target.read_text() if target.exists() else ""))
            return await grade_in_sandbox(task, ws, task.reference_answer, "docker")
        finally:
            shutil.rmtree(ws.parent, ignore_errors=True)

    for tid, path, edit in dodges:
        checks = asyncio.run(grade(tid, path, edit))
        assert not all(c["ok"] for c in checks), (tid, checks)


@pytest.mark.slow
@pytest.mark.docker
def test_mutation_check_writes_no_file_outside_the_workspace(tmp_path: Path, docker_ready) -> None:
    """Tests the model wrote run in the sandbox while the host plants and restores the bugs:
    a test that swaps the planted file for a symlink to a host path must not get the host
    to write through it."""
    victim = tmp_path / "victim.txt"
    victim.write_text("the host's own file\n")
    folder = tmp_path / "tasks" / "swap"
    (folder / "workspace").mkdir(parents=True)
    (folder / "workspace" / "consts.py").write_text("A = 1\n")
    swap = f"grep -q 'A = 3' consts.py && {{ rm consts.py; ln -s {victim} consts.py; exit 1; }}; exit 0"
    mutants = [{"path": "consts.py", "old": "A = 1", "new": "A = 3"}]
    task_json = {"category": "test_generation", "instruction": "Test consts.py."}
    equivalents = [{"path": "consts.py", "old": "A = 1", "new": "A = 2 - 1"}]
    check = {"kind": "mutation", "command": swap, "mutants": mutants, "equivalents": equivalents}
    task_json["checks"] = [check]
    (folder / "task.json").write_text(json.dumps(task_json))
    (task,) = load_tasks(folder)

    async def grade() -> list[dict]:
        ws = await asyncio.to_thread(copy_workspace, task)
        try:
            return await grade_in_sandbox(task, ws, "", "docker")
        finally:
            shutil.rmtree(ws.parent, ignore_errors=True)

    checks = asyncio.run(grade())
    assert victim.read_text() == "the host's own file\n"
    assert [c["ok"] for c in checks] == [False]


def test_file_checks_read_no_fifo_or_device_the_model_left(tmp_path: Path) -> None:
    """A FIFO in the file's place would block the host's read, and the whole eval, for
    ever; the check fails instead."""
    import os
    import threading

    from assistant.eval.agent import grade

    (task,) = load_tasks(TASKS / "tool-find-largest")
    ws = copy_workspace(task)
    fifo = ws / "answer.txt"
    os.mkfifo(fifo)

    async def no_commands(command: str) -> tuple[int, str]:
        raise AssertionError("file checks run no command")

    out: list[list[dict]] = []
    worker = threading.Thread(
        target=lambda: out.append(asyncio.run(grade(task, ws, "", no_commands))), daemon=True
    )
    try:
        worker.start()
        worker.join(10)
        if worker.is_alive():  # unblock the read so the thread can end
            with open(fifo, "w") as unblock:
                unblock.write("beta.csv\n")
            worker.join(10)
            pytest.fail("grading blocked on a FIFO")
        assert not out[0][0]["ok"]
    finally:
        shutil.rmtree(ws.parent, ignore_errors=True)


def test_file_checks_match_case_and_answer_checks_do_not(tmp_path: Path) -> None:
    """A file that must hold ``port = 9090`` does not pass with ``PORT = 9090`` (another
    setting to a case-sensitive reader); a name in an answer passes in any case."""
    from assistant.eval.agent import grade

    async def no_commands(command: str) -> tuple[int, str]:
        raise AssertionError("these checks run no command")

    tasks = {t.id: t for t in load_tasks(TASKS)}
    port = tasks["tool-edit-port"]
    ws = copy_workspace(port, solution=True)
    try:
        solved = (ws / "settings.ini").read_text()
        assert all(c["ok"] for c in asyncio.run(grade(port, ws, "", no_commands)))
        for shouted in ("port = 9090", "host = localhost"):
            (ws / "settings.ini").write_text(solved.replace(shouted, shouted.upper()))
            checks = asyncio.run(grade(port, ws, "", no_commands))
            assert [c["detail"] for c in checks if not c["ok"]] == [
                f"settings.ini contains {shouted!r}"
            ]
        (ws / "settings.ini").write_text(solved.replace("workers = 2\n", ""))
        assert not all(c["ok"] for c in asyncio.run(grade(port, ws, "", no_commands)))
    finally:
        shutil.rmtree(ws.parent, ignore_errors=True)
    methods = tasks["inspect-class-methods"]
    answer = "Inventory has ADD_ITEM, Remove_Item and Total_Units."
    assert all(c["ok"] for c in asyncio.run(grade(methods, tmp_path, answer, no_commands)))


def test_an_answer_naming_every_file_does_not_pass(tmp_path: Path) -> None:
    """Which file calls send_invoice: listing every file in the package is no answer."""
    from assistant.eval.agent import grade

    async def no_commands(command: str) -> tuple[int, str]:
        raise AssertionError("answer checks run no command")

    (task,) = load_tasks(TASKS / "inspect-who-calls")
    listed = "billing/mail.py, billing/report.py or billing/runner.py"
    for answer, ok in ((task.reference_answer, True), (listed, False)):
        checks = asyncio.run(grade(task, tmp_path, answer, no_commands))
        assert all(c["ok"] for c in checks) is ok, (answer, checks)


# Answers that pass without knowing: hedging between counts or values, naming every
# candidate. The shipped model's own answers are among them (inspect-who-calls).
HEDGES = [
    ("inspect-todo-count", "There are 3 TODO comments in src.", True),
    ("inspect-todo-count", "3", True),
    ("inspect-todo-count", "Three: src/a.py:1, src/a.py:5 and src/c.py:1.", True),
    ("inspect-todo-count", "There are 3 TODOs (a.py line 1 and line 5, c.py line 1).", True),
    ("inspect-todo-count", "3 or 4", False),
    ("inspect-todo-count", "3-4.", False),
    ("inspect-todo-count", "Between two and three.", False),
    ("inspect-todo-count", "1, 2, 3 or 4", False),
    ("inspect-todo-count", "3 (2 in src/a.py, 1 in src/c.py)", True),
    ("inspect-todo-count", "Three TODO comments (two in a.py, one in c.py).", True),
    ("inspect-todo-count", "3:\n1. src/a.py line 1\n2. src/a.py line 5\n3. src/c.py line 1", True),
    ("inspect-todo-count", "3, on lines 1 and 5 of a.py and line 1 of c.py.", True),
    ("inspect-todo-count", "3\nsrc/a.py:1:x = 1  # TODO: rename", True),
    ("inspect-todo-count", "At least 3.", False),
    ("inspect-timeout-constant", "TIMEOUT_SECONDS is set to 17.", True),
    ("inspect-timeout-constant", "17 (or 4, the retries)", False),
    ("inspect-timeout-constant", "One of 8443, 17 and 4.", False),
    ("inspect-timeout-constant", "17 or 8443", False),
    ("inspect-timeout-constant", "TIMEOUT_SECONDS is 17 (PORT is 8443, RETRIES is 4).", True),
    ("inspect-failing-test", "test_rounds_half_up fails.", True),
    ("inspect-failing-test", "test_to_cents, test_rounds_half_up or test_whole_amount", False),
    ("inspect-failing-test", "test_rounds_half_up and test_to_cents fail.", False),
    ("inspect-failing-test", "test_whole_amount fails.", False),
    (
        "inspect-failing-test",
        "test_rounds_half_up fails; test_to_cents and test_whole_amount pass.",
        True,
    ),
    ("inspect-entry-point", "run_pipeline, called with parse(sys.argv).", True),
    ("inspect-entry-point", "parse, run_pipeline and helper", False),
    ("inspect-entry-point", "run_pipeline or helper", False),
    ("inspect-entry-point", "run_pipeline(parse(sys.argv)) runs; helper() is never called.", True),
    ("inspect-entry-point", "run_pipeline; parse is a helper that reads the arguments.", True),
    ("inspect-who-calls", "billing/runner.py", True),
    (
        "inspect-who-calls",
        "send_invoice is called in billing/mail.py and send_invoice is called in "
        "billing/runner.py.",
        False,
    ),
    ("inspect-who-calls", "billing/mail.py, billing/report.py, billing/runner.py", False),
    ("inspect-who-calls", "report.py calls it.", False),
    ("inspect-who-calls", "billing/runner.py calls it (defined in billing/mail.py).", True),
    ("inspect-who-calls", "runner.py, in month_end; report.py does not call it.", True),
]


@pytest.mark.parametrize(("tid", "answer", "ok"), HEDGES)
def test_an_answer_hedging_between_candidates_does_not_pass(
    tmp_path: Path, tid: str, answer: str, ok: bool
) -> None:
    from assistant.eval.agent import grade

    async def no_commands(command: str) -> tuple[int, str]:
        raise AssertionError("answer checks run no command")

    (task,) = load_tasks(TASKS / tid)
    checks = asyncio.run(grade(task, tmp_path, answer, no_commands))
    assert all(c["ok"] for c in checks) is ok, checks


def test_answer_lacks_match_needs_a_valid_regex(tmp_path: Path) -> None:
    folder = tmp_path / "t1"
    (folder / "workspace").mkdir(parents=True)
    task = {"category": "inspection", "instruction": "x"}
    task["checks"] = [{"kind": "answer_lacks_match", "regex": "(4"}]
    (folder / "task.json").write_text(json.dumps(task))
    with pytest.raises(TaskError, match="answer_lacks_match check needs a valid regex"):
        load_tasks(tmp_path)
