"""Every module of the package imports on its own, first, as an entry point imports it.

Tests import modules in an order of their own, so a cycle between two modules can hide:
`assistant chat --plain` once failed because ``assistant.ui.plain`` was imported before
the widgets it shares a module with. Each module here is imported into an interpreter
holding none of the package.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import assistant

PROBE = """
import importlib, pkgutil, sys, traceback
import assistant
names = [m.name for m in pkgutil.walk_packages(assistant.__path__, "assistant.")]
failed = []
for name in names:
    for loaded in [k for k in sys.modules if k == "assistant" or k.startswith("assistant.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc(limit=1).strip().splitlines()[-1])
print(len(names))
print("\\n".join(failed))
"""


def test_every_module_imports_first() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    count, *failed = out.stdout.strip().split("\n")
    assert int(count) > 100, f"only {count} modules found under {assistant.__path__}"
    assert [f for f in failed if f] == []


@pytest.mark.parametrize("module", ["assistant.ui.plain", "assistant.ui.app", "assistant.cli"])
def test_an_entry_module_imports_in_a_fresh_interpreter(module: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
