"""A debugging task passes only when the bug is fixed: its tests run from pristine copies
of the task's test files, in an isolated Python, in the real Docker sandbox, so nothing a
hostile model leaves in the workspace (an edited test, a planted ``unittest.py``,
``sitecustomize.py``, ``conftest.py``, a test package, a forged ``.pyc``, a module that
exits 0 while it is imported) can stand in for the fix."""

from __future__ import annotations

import asyncio
import os
import py_compile
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.eval.agent import copy_workspace, grade_in_sandbox, load_tasks

REPO = Path(__file__).resolve().parents[2]
TASK = REPO / "eval" / "agent" / "debug-adult"

SHADOW_UNITTEST = """\
import os, sys
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
sys.modules.pop("unittest", None)
import unittest as _real
sys.path.append(_here)
_real.TestCase.assertTrue = lambda self, expr, msg=None: None
_real.TestCase.assertFalse = lambda self, expr, msg=None: None
sys.modules["unittest"] = _real
if __name__ == "__main__":
    _real.main(module=None)
"""
"""The standard unittest with its assertions disabled, standing in for ``unittest``."""


def _edit_test(ws: Path) -> None:
    test = ws / "test_people.py"
    test.write_text(test.read_text().replace("is_adult(18)", "is_adult(19)"))


def _forge_pyc(ws: Path) -> None:
    """Bytecode of an edited test whose header matches the untouched source's mtime and
    size, so Python would take it for the cached compile of the shipped test."""
    test = ws / "test_people.py"
    forged = ws.parent / "forged" / "test_people.py"
    forged.parent.mkdir()
    forged.write_text(test.read_text().replace("is_adult(18)", "is_adult(19)"))
    st = test.stat()
    assert forged.stat().st_size == st.st_size
    os.utime(forged, ns=(st.st_atime_ns, st.st_mtime_ns))
    py_compile.compile(
        str(forged),
        cfile=str(ws / "__pycache__" / "test_people.cpython-311.pyc"),
        dfile=str(test),
        doraise=True,
    )


def _plant(name: str, text: str) -> Callable[[Path], None]:
    def plant(ws: Path) -> None:
        (ws / name).parent.mkdir(parents=True, exist_ok=True)
        (ws / name).write_text(text)

    return plant


EXIT_AT_IMPORT = "import os\nos._exit(0)\n"
DODGES: dict[str, Callable[[Path], None]] = {
    "edited test file": _edit_test,
    "unittest.py shadowing the standard library": _plant("unittest.py", SHADOW_UNITTEST),
    "sitecustomize.py": _plant("sitecustomize.py", EXIT_AT_IMPORT),
    "conftest.py": _plant("conftest.py", "import pytest\npytest.skip(allow_module_level=True)\n"),
    "empty test package over the test module": _plant("test_people/__init__.py", ""),
    "forged bytecode of the test": _forge_pyc,
    "module that exits 0 while imported": _plant("people.py", "import sys\nsys.exit(0)\n"),
}


async def _grade(edit: Callable[[Path], None] | None, solved: bool = False) -> dict[str, dict]:
    (task,) = load_tasks(TASK)
    ws = await asyncio.to_thread(copy_workspace, task, solved)
    try:
        if edit is not None:
            edit(ws)
        checks = await grade_in_sandbox(task, ws, task.reference_answer, "docker")
        return {c["kind"]: c for c in checks}
    finally:
        shutil.rmtree(ws.parent, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.docker
def test_the_genuine_fix_passes_and_no_dodge_does(docker_ready) -> None:
    fixed = asyncio.run(_grade(None, solved=True))
    assert fixed["unittest"]["ok"] and fixed["unchanged"]["ok"], fixed
    # the fix plus every harmless plant still passes: the tests ran against the fix
    assert asyncio.run(_grade(_plant("conftest.py", "x = 1\n"), solved=True))["unittest"]["ok"]
    passed = {}
    for name, dodge in DODGES.items():
        passed[name] = asyncio.run(_grade(dodge))["unittest"]
    assert not [name for name, c in passed.items() if c["ok"]], passed
