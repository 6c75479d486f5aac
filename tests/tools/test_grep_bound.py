"""grep's Python backend runs in a child process with a time limit: a pattern that makes
``re`` backtrack for ever ends in one sentence, and nothing is left burning a core."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import psutil
import pytest

from assistant.tools import search
from assistant.tools.base import ToolContext
from assistant.tools.search import grep

CATASTROPHIC = "(a+)+$"


_OLDER: set[int] = set()


def child_processes() -> list[psutil.Process]:
    """This process's children, but for those of other tests started before this one."""
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if p.pid not in _OLDER and p.is_running()
    ]


@pytest.fixture
def backtracking(ws: Path, ctx: ToolContext) -> ToolContext:
    """A file on which (a+)+$ backtracks for ever (2**40 ways to split the a's)."""
    _OLDER.clear()
    _OLDER.update(p.pid for p in psutil.Process().children(recursive=True))
    (ws / "a.txt").write_text("a" * 40 + "!\n")
    (ws / "b.txt").write_text("plain\n")
    ctx.settings["grep_backend"] = "python"
    return ctx


async def test_a_backtracking_pattern_gives_up_at_the_time_limit(
    backtracking: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "GREP_TIMEOUT_S", 1.0)
    started = time.monotonic()
    r = await grep.run({"pattern": CATASTROPHIC}, backtracking)
    assert r.is_error
    assert r.output == (
        "grep gave up after 1 s; search a narrower path or use a simpler pattern "
        "(nested repeats such as (a+)+ can run for ever)."
    )
    assert time.monotonic() - started < 10
    assert child_processes() == []  # killed and reaped, not left spinning


async def test_cancelling_a_python_grep_kills_its_search(backtracking: ToolContext) -> None:
    task = asyncio.create_task(grep.run({"pattern": CATASTROPHIC}, backtracking))
    deadline = time.monotonic() + 10
    while not child_processes() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert child_processes(), "the search did not start a child process"
    await asyncio.sleep(0.5)  # importing done: deep in the backtracking
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert child_processes() == []


async def test_the_python_backend_still_finds_and_reports(
    backtracking: ToolContext, ws: Path
) -> None:
    r = await grep.run({"pattern": "pla+in"}, backtracking)
    assert r.output == "b.txt:1:plain" and r.meta["backend"] == "python"
    r = await grep.run({"pattern": "(unclosed"}, backtracking)
    assert r.is_error and r.output.startswith("Invalid regex '(unclosed'")
    # A name that is not UTF-8 comes back through the child unchanged.
    odd = ws / b"caf\xe9.txt".decode("utf-8", "surrogateescape")
    odd.write_text("plain too\n")
    r = await grep.run({"pattern": "plain too"}, backtracking)
    assert r.output == f"{odd.name}:1:plain too"


async def test_the_child_never_imports_the_workspace_s_modules(
    backtracking: ToolContext, ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``python -m assistant`` run in the workspace puts it first on the import path; the
    # child imports pathspec afresh, and a planted pathspec.py must not run on the host.
    ran = tmp_path / "ran"
    (ws / "pathspec.py").write_text(f"open({str(ran)!r}, 'w').close()\n")
    monkeypatch.setattr(sys, "path", [str(ws), *sys.path])
    r = await grep.run({"pattern": "pla+in"}, backtracking)
    assert not ran.exists(), "the workspace's pathspec.py ran on the host"
    assert r.output == "b.txt:1:plain" and r.meta["backend"] == "python"
