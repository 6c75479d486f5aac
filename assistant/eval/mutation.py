"""The ``mutation`` check of the test-generation tasks: the model's tests, judged by what
they tell apart.

A check ``{"kind": "mutation", "command": "python3 -m unittest -q test_bounds",
"mutants": [{"path", "old", "new"}, ...], "equivalents": [{"path", "old", "new"} or
{"path", "file"}, ...]}`` runs the command (the model's tests) in the grading sandbox on
the workspace, with each change laid over the module in turn and taken back after:

- on the original code the tests must pass;
- on each *equivalent* (a rewrite with the same behaviour and other text: renamed locals,
  reordered branches, another algorithm; ``old`` replaced by ``new``, or the whole file
  replaced by ``file``, a path in the task folder outside ``workspace/``) they must pass
  too, so tests that compare the source, its hash or its bytecode with the original, or
  look for a line of it, fail the check even though every planted bug changes that text;
- on each *mutant* (a planted bug, ``old`` replaced by ``new``) they must fail.
"""

from __future__ import annotations

import contextlib
import glob
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from assistant.tools import safeio
from assistant.tools.files import read_workspace_file
from assistant.tools.paths import resolve_in_workspace

Exec = Callable[[str], Awaitable[tuple[int, str]]]
"""Runs a shell command in the grading sandbox: (exit code, output)."""

MAX_SOURCE = 1 << 20
"""The largest module a mutation check rewrites."""


class _TaskBug(Exception):
    """A change does not apply to the task's own code: the task, not the model, is wrong."""


def missing_fields(check: dict[str, Any], folder: Path) -> str | None:
    """What a ``mutation`` check (with a string command and lists of mutants and
    equivalents) of the task in ``folder`` lacks, described; None when whole."""
    if not (check["mutants"] and all(_is_replacement(m) for m in check["mutants"])):
        return "mutants, each with a path, old and new text"
    equivalents = check["equivalents"]
    if not equivalents or not all(_is_replacement(e) or _is_whole_file(e) for e in equivalents):
        return (
            "equivalents, a non-empty list of rewrites of the code that keep its behaviour, "
            "each with a path and either old and new text or a file (a path in the task "
            "folder, outside workspace/)"
        )
    for e in equivalents:
        if "file" in e and _equivalent_file(folder, e["file"]) is None:
            return f"the equivalent file {e['file']} in the task folder (outside workspace/)"
        if "old" in e and e["old"] == e["new"]:
            return "equivalents that change the code's text (old and new differ)"
    return None


def _is_replacement(change: Any) -> bool:
    return _has_strings(change, ("path", "old", "new")) and "file" not in change


def _is_whole_file(change: Any) -> bool:
    return _has_strings(change, ("path", "file")) and not {"old", "new"} & set(change)


def _has_strings(change: Any, names: tuple[str, ...]) -> bool:
    return isinstance(change, dict) and all(isinstance(change.get(n), str) for n in names)


def _equivalent_file(folder: Path, name: str) -> Path | None:
    """The task's file ``name`` (relative to the task folder, outside its workspace, which
    the model sees), or None where there is none."""
    root = folder.resolve()
    target = (root / name).resolve()
    if not target.is_relative_to(root) or target.is_relative_to(root / "workspace"):
        return None
    return target if target.is_file() else None


def _write_source(target: Path, data: bytes) -> None:
    """Write a module's source and drop its cached bytecode: Python trusts a ``.pyc``
    whose recorded mtime (in whole seconds) and size match the source, so a mutant of
    the same size written within a second of the last run would be tested as that run's
    code.

    Through ``safeio``: the tests that just ran in the sandbox may have swapped the file
    or a folder on its path for a symlink to a host path (``UnsafePath`` then)."""
    safeio.write_atomic(target, data)
    _drop_bytecode(target)


def _drop_bytecode(target: Path) -> None:
    """Remove the cached ``.pyc`` files of the module at ``target`` (through ``safeio``)."""
    cache = target.parent / "__pycache__"
    st = safeio.lstat(cache)
    if st is not None and stat.S_ISDIR(st.st_mode):
        for pyc in cache.glob(f"{glob.escape(target.stem)}.*.pyc"):
            with contextlib.suppress(FileNotFoundError):
                safeio.unlink(pyc)


def _read_source(target: Path) -> bytes:
    data, size = safeio.read_regular(target, MAX_SOURCE)
    if size > MAX_SOURCE:
        raise ValueError(f"{target.name} is over {MAX_SOURCE} bytes")
    return data


def _rewritten(change: dict[str, Any], original: bytes, folder: Path, label: str) -> bytes:
    if "file" in change:
        found = _equivalent_file(folder, change["file"])
        if found is None:
            raise _TaskBug(f"{label}'s file {change['file']} is gone (task bug)")
        return found.read_bytes()
    old, new = change["old"].encode(), change["new"].encode()
    if old not in original:
        raise _TaskBug(f"{label} does not apply to {change['path']} (task bug)")
    return original.replace(old, new, 1)


async def _exit_code_with(
    change: dict[str, Any], label: str, folder: Path, ws: Path, command: str, run: Exec
) -> int:
    """The command's exit code with ``change`` laid over the workspace's copy of the code,
    which is put back afterwards."""
    target = resolve_in_workspace(ws, change["path"])
    original = _read_source(target)
    _write_source(target, _rewritten(change, original, folder, label))
    try:
        code, _ = await run(command)
    finally:
        _write_source(target, original)
    return code


async def run_check(check: dict[str, Any], pristine: Path, ws: Path, run: Exec) -> tuple[bool, str]:
    """Grade the tests in workspace ``ws`` against the task whose own workspace is
    ``pristine`` (its folder holds the equivalents' files): (passed, detail)."""
    folder = pristine.parent
    command, mutants, equivalents = check["command"], check["mutants"], check["equivalents"]
    paths = sorted({c["path"] for c in [*mutants, *equivalents]})
    for path in paths:
        if read_workspace_file(ws, path, MAX_SOURCE) != read_workspace_file(
            pristine, path, MAX_SOURCE
        ):
            return False, f"{path} was changed; tests must not change the code"
    for path in paths:
        # bytecode the agent's own runs left, perhaps of an edit it undid in the same second
        _drop_bytecode(resolve_in_workspace(ws, path))
    code, out = await run(command)
    if code != 0:
        return False, f"the tests fail on the correct code (exit {code}): {out[-200:]!r}"
    try:
        failed = [
            i
            for i, change in enumerate(equivalents)
            if await _exit_code_with(change, f"equivalent {i}", folder, ws, command, run) != 0
        ]
        if failed:
            return False, (
                f"the tests fail on equivalent rewrites {failed} of the code (the same "
                "behaviour in other text): they must test what the code does, not its text"
            )
        survived = [
            i
            for i, change in enumerate(mutants)
            if await _exit_code_with(change, f"mutant {i}", folder, ws, command, run) == 0
        ]
    except _TaskBug as exc:
        return False, str(exc)
    killed = len(mutants) - len(survived)
    detail = f"killed {killed}/{len(mutants)} planted bugs"
    if survived:
        detail += f" (survived: {survived})"
    n = len(equivalents)
    return not survived, f"{detail}; passed {n}/{n} equivalent rewrites"
