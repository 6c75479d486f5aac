"""The ``behaviour`` check of the debugging tasks: hidden cases, held only in task.json,
run by a driver in the sandbox and compared on the host. A module that patches
``unittest`` as it is imported passes the ``unittest`` check with the bug left in, and
fails this one; so does a module that forges the driver's result lines."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.eval.agent import (
    Task,
    TaskError,
    copy_workspace,
    grade,
    grade_in_sandbox,
    load_tasks,
)
from assistant.eval.behaviour import call_text, parse_driver_output

REPO = Path(__file__).resolve().parents[2]
TASKS = REPO / "eval" / "agent"
DEBUGGING = [t for t in load_tasks(TASKS) if t.category == "debugging"]

PATCH_UNITTEST = """

import contextlib as _contextlib
import unittest as _unittest

for _name in dir(_unittest.TestCase):
    if _name.startswith("assert"):
        setattr(
            _unittest.TestCase, _name, lambda *a, **k: _contextlib.suppress(BaseException)
        )
_unittest.TestResult.addError = _unittest.TestResult.addFailure = lambda *a: None
"""
"""Appended to the buggy module: every assertion passes (and, used as a context manager
like ``assertRaises``, swallows what its body raises), and a test that raises anyway
(a KeyError in the code under test) is not recorded as an error."""

FORGE_RESULTS = """
import json, os, re

_code = open("/proc/self/cmdline", "rb").read().decode()
_token = re.search(r"eval-behaviour-[0-9a-f]+", _code).group(0)
_n = len(json.loads(re.search(r"json\\.loads\\('(.*?)'\\)", _code).group(1)))
for _i in range(_n):
    os.write(1, f"\\n{_token} {_i} {json.dumps({'value': True})}\\n".encode())
os.write(1, f"\\n{_token} end \\n".encode())
"""
"""Read the driver's token and case count from its command line and claim, for every
case, the value the workspace's tests expect most (``True``), then the end line."""


def _behaviour(task: Task) -> dict:
    (check,) = [c for c in task.checks if c["kind"] == "behaviour"]
    return check


async def _grade(task: Task, ws_text: dict[str, str] | None, solved: bool) -> dict[str, dict]:
    ws = await asyncio.to_thread(copy_workspace, task, solved)
    try:
        for rel, text in (ws_text or {}).items():
            (ws / rel).write_text(text)
        checks = await grade_in_sandbox(task, ws, task.reference_answer, "docker")
        return {c["kind"]: c for c in checks}
    finally:
        shutil.rmtree(ws.parent, ignore_errors=True)


def _module_path(task: Task) -> str:
    return _behaviour(task)["module"] + ".py"


def test_every_debugging_task_has_hidden_cases_the_workspace_does_not_hold() -> None:
    assert len(DEBUGGING) >= 5
    for task in DEBUGGING:
        check = _behaviour(task)
        ws = copy_workspace(task)
        try:
            assert not (ws / "task.json").exists(), task.id
            sources = "".join(p.read_text() for p in ws.rglob("*.py"))
        finally:
            shutil.rmtree(ws.parent, ignore_errors=True)
        for case in check["cases"]:
            assert call_text(case) not in sources, (task.id, case)


def _host_run(ws: Path, commands: list[str]):
    """Runs a check's command in ``ws`` on the host (our own modules only), keeping it."""

    async def run(command: str) -> tuple[int, str]:
        commands.append(command)
        done = await asyncio.to_thread(
            subprocess.run, ["bash", "-c", command], cwd=ws, capture_output=True, text=True
        )
        return done.returncode, done.stdout + done.stderr

    return run


def test_expected_values_never_enter_the_sandbox() -> None:
    (task,) = [t for t in DEBUGGING if t.id == "debug-slug"]
    task = dataclasses.replace(task, checks=[_behaviour(task)])
    ws = copy_workspace(task, solution=True)
    commands: list[str] = []
    try:
        (result,) = asyncio.run(grade(task, ws, "", _host_run(ws, commands)))
    finally:
        shutil.rmtree(ws.parent, ignore_errors=True)
    assert result == {"kind": "behaviour", "ok": True, "detail": "all 4 hidden cases pass"}
    (command,) = commands
    assert "Python IS Fun" in command  # the inputs go in
    for case in _behaviour(task)["cases"]:
        assert case["expect"] not in command  # the expected values stay out
    assert "expect" not in command


TOKEN = "eval-behaviour-00ff"


def _lines(*records: str, end: bool = True) -> str:
    body = [f"{TOKEN} {i} {r}" for i, r in enumerate(records)]
    return "noise\n" + "\n".join(body + ([f"{TOKEN} end "] if end else [])) + "\n"


@pytest.mark.parametrize(
    ("out", "n", "reason"),
    [
        (_lines('{"value": 1}', end=False), 1, "reported 1 of 1 cases and no end"),
        (_lines('{"value": 1}'), 2, "reported 1 of 2 cases and end"),
        (_lines('{"value": 1}') + f"{TOKEN} 0 " + '{"value": 2}\n', 1, "after the end line"),
        (f"{TOKEN} 1 " + '{"value": 2}\n', 2, "expected the result of case 0, got a line"),
        (_lines('{"value": 1}', '{"value": 1}').replace(" 1 {", " 0 {"), 2, "case 1, got"),
        (_lines("{'value': 1}"), 1, "not a result record"),
        (_lines('["value", 1]'), 1, "not a result record"),
        (_lines('{"value": 1, "raised": ["ValueError"]}'), 1, "not a result record"),
        (_lines('{"raised": "ValueError"}'), 1, "not a result record"),
        (_lines('{"raised": []}'), 1, "not a result record"),
        (_lines('{"value": ' + "[" * 100_000 + "]" * 100_000 + "}"), 1, "over 16384"),
        (_lines('{"value": ' + "[" * 5_000 + "]" * 5_000 + "}"), 1, "not a result record"),
        (f'{TOKEN} import {{"raised": ["ImportError"]}}\n', 1, "importing the module raised"),
        ("", 1, "reported 0 of 1 cases and no end"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
def test_the_drivers_output_is_parsed_as_untrusted(out: str, n: int, reason: str) -> None:
    parsed = parse_driver_output(out, TOKEN, n)
    assert isinstance(parsed, str) and reason in parsed, parsed


def test_lines_without_this_runs_token_are_ignored() -> None:
    out = _lines('{"value": 4}') + 'eval-behaviour-1234 0 {"value": 5}\n'
    out += f"x{TOKEN} 0 " + '{"value": 6}\n'
    assert parse_driver_output(out, TOKEN, 1) == [{"value": 4}]


def _task_with(tmp_path: Path, check: dict) -> Path:
    folder = tmp_path / "t1"
    (folder / "workspace").mkdir(parents=True, exist_ok=True)
    task = {"category": "debugging", "instruction": "x", "checks": [check]}
    (folder / "task.json").write_text(json.dumps(task))
    return tmp_path


CASES_SENTENCE = "cases, a non-empty list of objects each with a call"


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ({"kind": "behaviour", "cases": [{"call": "f", "expect": 1}]}, "needs module"),
        ({"kind": "behaviour", "module": "m.py", "cases": [{"call": "f", "expect": 1}]}, "no .py"),
        ({"kind": "behaviour", "module": "class", "cases": [{"call": "f", "expect": 1}]}, "module"),
        ({"kind": "behaviour", "module": "m"}, "needs cases (a list)"),
        ({"kind": "behaviour", "module": "m", "cases": []}, CASES_SENTENCE),
        ({"kind": "behaviour", "module": "m", "cases": [{"call": "f"}]}, CASES_SENTENCE),
        (
            {
                "kind": "behaviour",
                "module": "m",
                "cases": [{"call": "f", "expect": 1, "raises": "E"}],
            },
            CASES_SENTENCE,
        ),
        ({"kind": "behaviour", "module": "m", "cases": [{"call": "f", "expected": 1}]}, "no other"),
        ({"kind": "behaviour", "module": "m", "cases": [{"call": "f()", "expect": 1}]}, "a call"),
        (
            {"kind": "behaviour", "module": "m", "cases": [{"call": "f", "args": 1, "expect": 1}]},
            CASES_SENTENCE,
        ),
        (
            {
                "kind": "behaviour",
                "module": "m",
                "cases": [{"call": "f", "kwargs": [], "expect": 1}],
            },
            CASES_SENTENCE,
        ),
        ({"kind": "behaviour", "module": "m", "cases": [{"call": "f", "raises": 3}]}, "raises"),
        ({"kind": "behaviour", "module": "m", "cases": [{"call": "f", "raises": None}]}, "raises"),
        ({"kind": "behaviour", "module": "m", "cases": ["f(1) == 2"]}, CASES_SENTENCE),
    ],
)
def test_malformed_behaviour_checks_are_refused_at_load(
    tmp_path: Path, check: dict, message: str
) -> None:
    with pytest.raises(TaskError, match=r"a behaviour check needs .*; add it\.$") as caught:
        load_tasks(_task_with(tmp_path, check))
    assert message in str(caught.value)


def test_a_whole_behaviour_check_loads(tmp_path: Path) -> None:
    cases = [
        {"call": "f", "args": [1], "kwargs": {"x": None}, "expect": None},
        {"call": "f", "raises": "ValueError"},
    ]
    (task,) = load_tasks(_task_with(tmp_path, {"kind": "behaviour", "module": "m", "cases": cases}))
    assert task.checks[0]["cases"] == cases


@pytest.mark.slow
@pytest.mark.docker
def test_solutions_pass_the_hidden_cases_and_buggy_workspaces_fail_them(docker_ready) -> None:
    async def behaviour_only() -> dict[str, tuple[dict, dict]]:
        out = {}
        for task in DEBUGGING:
            only = dataclasses.replace(task, checks=[_behaviour(task)])
            solved = await _grade(only, None, solved=True)
            untouched = await _grade(only, None, solved=False)
            out[task.id] = (solved["behaviour"], untouched["behaviour"])
        return out

    for tid, (solved, untouched) in asyncio.run(behaviour_only()).items():
        assert solved["ok"] and solved["detail"].startswith("all "), (tid, solved)
        assert not untouched["ok"] and "hidden cases fail:" in untouched["detail"], (tid, untouched)


@pytest.mark.slow
@pytest.mark.docker
def test_a_module_that_patches_unittest_passes_unittest_but_not_the_task(docker_ready) -> None:
    async def patched() -> dict[str, dict[str, dict]]:
        out = {}
        for task in DEBUGGING:
            module = _module_path(task)
            buggy = (task.workspace / module).read_text()
            out[task.id] = await _grade(task, {module: buggy + PATCH_UNITTEST}, solved=False)
        return out

    for tid, checks in asyncio.run(patched()).items():
        # the hole: with the assertions gone, the task's own tests pass on the bug
        assert checks["unittest"]["ok"] and checks["unchanged"]["ok"], (tid, checks)
        assert not checks["behaviour"]["ok"], (tid, checks)
        assert "hidden cases fail:" in checks["behaviour"]["detail"], (tid, checks)


@pytest.mark.slow
@pytest.mark.docker
def test_a_module_that_forges_the_result_lines_fails(docker_ready) -> None:
    (task,) = [t for t in DEBUGGING if t.id == "debug-adult"]
    task = dataclasses.replace(task, checks=[_behaviour(task)])
    buggy = (task.workspace / "people.py").read_text()
    forged = buggy + FORGE_RESULTS
    exits = forged + "os._exit(0)\n"

    async def both() -> tuple[dict, dict]:
        along = await _grade(task, {"people.py": forged}, solved=False)
        alone = await _grade(task, {"people.py": exits}, solved=False)
        return along["behaviour"], alone["behaviour"]

    along, alone = asyncio.run(both())
    # the driver's own lines follow the forged ones: more lines than cases
    assert not along["ok"] and "after the end line" in along["detail"], along
    # only the forged lines: read as claims, and judged on the host against hidden values
    assert not alone["ok"], alone
    assert alone["detail"].startswith("2/4 hidden cases fail: is_adult(17.5): expected false"), (
        alone
    )


@pytest.mark.parametrize("name", ["calendar.py", "string/__init__.py"])
def test_a_workspace_module_named_like_the_standard_librarys_is_refused_at_load(
    tmp_path: Path, name: str
) -> None:
    """The checks import the workspace's modules after the standard library, so such a
    task used to fail for every model alike, while grading."""
    check = {"kind": "behaviour", "module": "calendar", "cases": [{"call": "f", "expect": 1}]}
    root = _task_with(tmp_path, check)
    module = root / "t1" / "workspace" / name
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text("def f():\n    return 1\n")
    with pytest.raises(TaskError, match=r"is named like the standard-library module .*rename it"):
        load_tasks(root)
    module.rename(module.with_name("cal" + module.name))  # a name of its own loads
    assert load_tasks(root)


def test_pristine_test_files_may_share_a_standard_library_name(tmp_path: Path) -> None:
    root = _task_with(tmp_path, {"kind": "unittest", "paths": ["types.py"]})
    (root / "t1" / "workspace" / "types.py").write_text("")
    assert load_tasks(root)
