"""A sandbox command swaps a file the host later reads (a symlink to a host secret, a
FIFO, a huge sparse file): /diff, ``@path`` mentions and distill's checks must neither
show the secret, nor block, nor read without bound."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.distill.verify import MAX_CHECKED_BYTES, verify_run
from assistant.tools.gitsafe import MAX_DIFF_BYTES
from assistant.tools.undo import UndoJournal
from assistant.ui.commands import CommandRunner, UIContext, expand_mentions

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- host secret"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "id_rsa"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = (tmp_path / "ws").resolve()
    path.mkdir()
    return path


@pytest.fixture
def fifo_unblocker() -> Iterator[list[Path]]:
    """FIFOs put in the list are opened for writing after 3 s, so that a reader stuck on
    one (the bug) ends the test instead of hanging it; the test then checks the time."""
    fifos: list[Path] = []
    stop = threading.Event()

    def release() -> None:
        if stop.wait(3):
            return
        for fifo in fifos:
            with contextlib.suppress(OSError):  # no reader is waiting on it
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    yield fifos
    stop.set()
    thread.join()


async def _diff(ws: Path, journal: UndoJournal) -> str:
    agent = types.SimpleNamespace(undo=journal)
    return (await CommandRunner(UIContext(workspace=ws)).run("/diff", agent)).text


def _journal(ws: Path) -> UndoJournal:
    journal = UndoJournal(None)
    (ws / "a.py").write_text("new\n")
    journal.record(1, ws / "a.py", b"old\n", b"new\n", tool="write_file", display_path="a.py")
    return journal


async def test_diff_does_not_follow_a_symlink_swapped_in(ws: Path, secret: Path) -> None:
    journal = _journal(ws)
    os.unlink(ws / "a.py")
    os.symlink(secret, ws / "a.py")
    text = await _diff(ws, journal)
    assert "host secret" not in text, text
    assert "a.py" in text and "not shown" in text, text


async def test_diff_does_not_block_on_a_fifo(ws: Path, fifo_unblocker: list[Path]) -> None:
    journal = _journal(ws)
    os.unlink(ws / "a.py")
    os.mkfifo(ws / "a.py")
    fifo_unblocker.append(ws / "a.py")
    started = time.monotonic()
    text = await _diff(ws, journal)
    assert time.monotonic() - started < 2, "/diff waited on the FIFO"
    assert "a.py is no longer a regular file" in text, text


async def test_diff_reads_a_huge_file_only_up_to_the_cap(ws: Path) -> None:
    journal = _journal(ws)
    with open(ws / "a.py", "r+b") as fh:
        fh.truncate(4 * MAX_DIFF_BYTES)  # sparse; `truncate -s 64G` works the same way
    text = await _diff(ws, journal)
    assert text.strip() == "Large file a.py differs", text[:200]


async def test_diff_still_shows_an_ordinary_change(ws: Path) -> None:
    text = await _diff(ws, _journal(ws))
    assert "-old" in text and "+new" in text, text


def test_mention_refuses_a_symlink_swapped_in_after_the_check(
    ws: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The swap lands between the mention's check and its open (the race a command in the
    sandbox can win by swapping in a loop); here it is made to land there every time."""
    (ws / "notes.md").write_text("my notes\n")
    real_is_file = Path.is_file

    def is_file_then_swap(self: Path) -> bool:
        answer = real_is_file(self)
        if self.name == "notes.md" and not self.is_symlink():
            os.unlink(self)
            os.symlink(secret, self)
        return answer

    monkeypatch.setattr(Path, "is_file", is_file_then_swap)
    text, attached = expand_mentions("look at @notes.md", ws)
    assert "host secret" not in text, text
    assert attached == []


def test_mention_does_not_block_on_a_fifo_swapped_in(
    ws: Path, monkeypatch: pytest.MonkeyPatch, fifo_unblocker: list[Path]
) -> None:
    (ws / "notes.md").write_text("my notes\n")
    fifo_unblocker.append(ws / "notes.md")
    real_is_file = Path.is_file

    def is_file_then_swap(self: Path) -> bool:
        answer = real_is_file(self)
        if self.name == "notes.md" and real_is_file(self):
            os.unlink(self)
            os.mkfifo(self)
        return answer

    monkeypatch.setattr(Path, "is_file", is_file_then_swap)
    started = time.monotonic()
    text, attached = expand_mentions("look at @notes.md", ws)
    assert time.monotonic() - started < 2, "the mention waited on the FIFO"
    assert attached == [] and text == "look at @notes.md"


def test_mention_still_attaches_a_file(ws: Path) -> None:
    (ws / "notes.md").write_text("my notes\n")
    text, attached = expand_mentions("look at @notes.md", ws)
    assert attached == [ws / "notes.md"] and "my notes" in text


async def test_distill_check_does_not_block_on_a_fifo(ws: Path, fifo_unblocker: list[Path]) -> None:
    os.mkfifo(ws / "out.txt")  # what a teacher's `mkfifo out.txt` leaves
    fifo_unblocker.append(ws / "out.txt")
    started = time.monotonic()
    result = await verify_run(
        [{"kind": "file_contains", "path": "out.txt", "text": "x"}], workspace=ws, answer=""
    )
    assert time.monotonic() - started < 2, "verification waited on the FIFO"
    assert result["passed"] is False


async def test_distill_check_does_not_read_a_huge_file_whole(ws: Path) -> None:
    with open(ws / "out.txt", "wb") as fh:
        fh.write(b"x")
        fh.truncate(4 * MAX_CHECKED_BYTES)  # sparse; as a 64 GB one would be, unread
    result = await verify_run(
        [{"kind": "file_contains", "path": "out.txt", "text": "x"}], workspace=ws, answer=""
    )
    assert result["passed"] is False


async def test_distill_check_does_not_follow_a_symlink_out(ws: Path, secret: Path) -> None:
    os.symlink(secret, ws / "out.txt")
    result = await verify_run(
        [{"kind": "file_contains", "path": "out.txt", "text": "host secret"}],
        workspace=ws,
        answer="",
    )
    assert result["passed"] is False


async def test_distill_check_reads_an_ordinary_file(ws: Path) -> None:
    (ws / "out.txt").write_text("done: 42\n")
    result = await verify_run(
        [{"kind": "file_contains", "path": "out.txt", "text": "42"}], workspace=ws, answer=""
    )
    assert result["passed"] is True
