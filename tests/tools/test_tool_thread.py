"""Synchronous tools run in a worker thread: the event loop (the UI, Ctrl-C, the turn's
time limit) stays free while they work, and cancelling a call returns at once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.tools.base import ToolContext, tool
from assistant.tools.files import write_file
from assistant.tools.search import glob, list_files
from assistant.tools.seen import SeenFiles


def slow_tree(ws: Path, dirs: int, patterns: int) -> None:
    """A tree the walk takes long over: every entry is checked against a .gitignore of
    ``patterns`` rules (none of which match)."""
    for d in range(dirs):
        sub = ws / f"d{d}"
        sub.mkdir()
        for f in range(100):
            (sub / f"f{f}.txt").touch()
    (ws / ".gitignore").write_text("".join(f"nomatch{i}/*.bak\n" for i in range(patterns)))


async def ticking(counter: list[int]) -> None:
    while True:
        await asyncio.sleep(0.01)
        counter[0] += 1


async def test_the_loop_keeps_running_while_list_files_walks(ws: Path, ctx: ToolContext) -> None:
    slow_tree(ws, dirs=20, patterns=3000)  # a second or so: a fast machine too can tell
    ticks = [0]
    ticker = asyncio.create_task(ticking(ticks))
    await asyncio.sleep(0.05)
    before = ticks[0]
    started = time.monotonic()
    r = await list_files.run({"path": ".", "max_depth": 2}, ctx)
    took = time.monotonic() - started
    during = ticks[0] - before
    ticker.cancel()
    assert not r.is_error and r.meta["count"] == 1 + 20 * 101  # .gitignore, folders, files
    assert took > 0.2, f"the walk took only {took:.2f} s; the tree is not slow enough to tell"
    # On the loop itself the walk would leave no room for a single tick.
    assert during >= 5, f"{during} ticks in {took:.2f} s"


async def test_cancelling_glob_returns_at_once_and_stops_its_thread(
    ws: Path, ctx: ToolContext
) -> None:
    slow_tree(ws, dirs=120, patterns=3000)  # seconds of walking, even on a fast machine
    started = time.monotonic()
    task = asyncio.create_task(glob.run({"pattern": "**/*.txt"}, ctx))
    await asyncio.sleep(1.0)  # past loading the .gitignore: walking the entries
    assert not task.done(), "the walk ended too soon to be cancelled"
    task.cancel()
    cancelled_at = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await task
    # Bounds well below the walk's own seconds, loose enough for a loaded machine.
    assert time.monotonic() - cancelled_at < 2.0
    assert cancelled_at - started < 3.0  # the loop was free to cancel it when asked
    # The worker thread saw the cancel and stopped: no core stays busy walking.
    cpu = time.process_time()
    await asyncio.sleep(1.0)
    assert time.process_time() - cpu < 0.15


release = threading.Event()


@tool(read_only=True)
def peek(ctx: ToolContext, path: str) -> str:
    """Note a file as read, stream a line, then wait until the test lets go.

    Args:
        path: File to peek at.
    """
    p = ctx.workspace / path
    assert ctx.seen_files is not None and ctx.on_output is not None
    ctx.seen_files.note(p, p.read_bytes())
    ctx.on_output("peeked\n")
    release.wait(10)
    return "done"


async def test_a_cancelled_read_does_not_count_as_read(ws: Path, ctx: ToolContext) -> None:
    (ws / "a.txt").write_text("secret plan\n")
    seen = SeenFiles()
    chunks: asyncio.Queue[str] = asyncio.Queue()
    ctx.seen_files, ctx.on_output = seen, chunks.put_nowait
    release.clear()
    task = asyncio.create_task(peek.run({"path": "a.txt"}, ctx))
    # The chunk streamed from the worker thread wakes the loop while the tool runs (a
    # call that is not thread-safe would wait for the next timer: the time-out here).
    started = time.monotonic()
    assert await asyncio.wait_for(chunks.get(), 3) == "peeked\n"
    assert time.monotonic() - started < 2 and not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    await asyncio.sleep(0.1)  # the thread has ended
    assert seen.replace_refusal((ws / "a.txt").resolve(), b"secret plan\n", "a.txt") is not None

    release.clear()
    release.set()
    r = await peek.run({"path": "a.txt"}, ctx)  # one that finishes counts
    assert r.output == "done"
    assert seen.replace_refusal(ws / "a.txt", b"secret plan\n", "a.txt") is None


class SlowSeenFiles(SeenFiles):
    """A conversation whose read check holds the write in its planning until let go."""

    def __init__(self) -> None:
        super().__init__()
        self.checking = threading.Event()
        self.release = threading.Event()

    def replace_refusal(self, path: Path, current: bytes, shown: str) -> tuple[str, str] | None:
        self.checking.set()
        self.release.wait(10)
        return None


async def test_a_write_cancelled_while_it_plans_returns_at_once_and_changes_nothing(
    ws: Path, ctx: ToolContext
) -> None:
    old = "".join(f"line {i} {'x' * (i % 7)}\n" for i in range(15_000))
    new = "".join(f"line {i} {'y' * (i % 5)}\n" for i in range(15_000))
    (ws / "big.txt").write_text(old)
    ctx.seen_files = seen = SlowSeenFiles()
    task = asyncio.create_task(write_file.run({"path": "big.txt", "content": new}, ctx))
    assert await asyncio.to_thread(seen.checking.wait, 10)
    task.cancel()
    cancelled_at = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - cancelled_at < 5  # not the 10 s the plan is held
    seen.release.set()
    # Joins the worker thread: the plan ran to its end, then the write stopped.
    await asyncio.get_running_loop().shutdown_default_executor()
    assert (ws / "big.txt").read_text() == old
    assert ctx.undo.entries == []


async def test_a_write_cancelled_after_it_began_finishes_with_its_undo_entry(
    ws: Path, ctx: ToolContext
) -> None:
    old = "".join(f"line {i} {'x' * (i % 7)}\n" for i in range(15_000))
    (ws / "big.txt").write_text(old)
    ctx.undo.record = slow_record(ctx.undo.record)  # a slow journal: time to cancel
    task = asyncio.create_task(write_file.run({"path": "big.txt", "content": "new\n"}, ctx))
    assert await asyncio.to_thread(recording.wait, 10)
    task.cancel()
    r = await task  # not abandoned half way: the result says what was done
    assert r.output.startswith("Updated big.txt")
    assert (ws / "big.txt").read_text() == "new\n"
    assert [e.display_path for e in ctx.undo.entries] == ["big.txt"]


recording = threading.Event()


def slow_record(record: Callable[..., Any]) -> Callable[..., Any]:
    def slow(*args: Any, **kwargs: Any) -> Any:
        recording.set()
        time.sleep(0.5)
        return record(*args, **kwargs)

    recording.clear()
    return slow
