from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.files import edit_file, write_file
from assistant.tools.undo import UndoConflict, UndoJournal


async def test_undo_turn_restores_all_changes_of_the_turn(ws: Path, tmp_path: Path) -> None:
    journal = UndoJournal(tmp_path / "s" / "undo.jsonl")
    (ws / "keep.txt").write_text("v0\n")
    c1 = ToolContext(workspace=ws, turn=1, undo=journal)
    await write_file.run({"path": "keep.txt", "content": "v1\n"}, c1)
    c2 = ToolContext(workspace=ws, turn=2, undo=journal)
    await edit_file.run({"path": "keep.txt", "old_text": "v1", "new_text": "v2"}, c2)
    await edit_file.run({"path": "keep.txt", "old_text": "v2", "new_text": "v3"}, c2)
    await write_file.run({"path": "new/made.txt", "content": "fresh"}, c2)
    assert (ws / "keep.txt").read_text() == "v3\n"

    summaries = journal.undo_turn()
    assert summaries == [
        "Deleted new/made.txt (it did not exist before turn 2).",
        "Restored keep.txt to its content before turn 2.",
        "Restored keep.txt to its content before turn 2.",
    ]
    assert (ws / "keep.txt").read_text() == "v1\n"
    assert not (ws / "new" / "made.txt").exists()
    assert journal.last_turn == 1
    assert journal.undo_turn(7) == ["Nothing to undo in turn 7."]
    assert journal.undo_turn(1) == ["Restored keep.txt to its content before turn 1."]
    assert (ws / "keep.txt").read_text() == "v0\n"
    assert journal.undo_last() == ["Nothing to undo."]


async def test_journal_persists_across_reload(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "undo.jsonl"
    j1 = UndoJournal(path)
    ctx = ToolContext(workspace=ws, turn=3, undo=j1)
    (ws / "bin.dat").write_bytes(b"\xff\xfe latin \xe9")
    await write_file.run({"path": "a.txt", "content": "a"}, ctx)
    await write_file.run({"path": "a.txt", "content": "b"}, ctx)
    await write_file.run({"path": "bin.dat", "content": "text now"}, ctx)
    j1.undo_last()  # bin.dat restored (non-UTF-8 previous content via base64)
    assert (ws / "bin.dat").read_bytes() == b"\xff\xfe latin \xe9"

    j2 = UndoJournal(path)  # a resumed session
    assert [e.display_path for e in j2.entries] == ["a.txt", "a.txt"]
    assert j2.undo_last() == ["Restored a.txt to its content before turn 3."]
    assert (ws / "a.txt").read_text() == "a"
    j3 = UndoJournal(path)
    assert len(j3.entries) == 1
    ctx3 = ToolContext(workspace=ws, turn=4, undo=j3)
    await write_file.run({"path": "c.txt", "content": "c"}, ctx3)
    assert [e.id for e in j3.entries] == [1, 4]  # ids keep growing after reload


async def test_undo_refuses_when_file_changed_since(ws: Path) -> None:
    journal = UndoJournal()
    ctx = ToolContext(workspace=ws, turn=1, undo=journal)
    (ws / "f.txt").write_text("orig")
    await write_file.run({"path": "f.txt", "content": "assistant"}, ctx)
    (ws / "f.txt").write_text("user edited after")
    with pytest.raises(UndoConflict, match=r"f\.txt was changed after the assistant wrote it"):
        journal.undo_turn()
    assert (ws / "f.txt").read_text() == "user edited after"
    assert len(journal.entries) == 1
    assert journal.undo_turn(force=True) == ["Restored f.txt to its content before turn 1."]
    assert (ws / "f.txt").read_text() == "orig"


async def test_undo_turn_is_all_or_nothing(ws: Path) -> None:
    journal = UndoJournal()
    ctx = ToolContext(workspace=ws, turn=1, undo=journal)
    await write_file.run({"path": "a.txt", "content": "A"}, ctx)
    await write_file.run({"path": "b.txt", "content": "B"}, ctx)
    (ws / "a.txt").write_text("changed")
    with pytest.raises(UndoConflict):
        journal.undo_turn()
    assert (ws / "b.txt").read_text() == "B"  # untouched because a.txt conflicted


async def test_undo_after_delete_restores(ws: Path) -> None:
    journal = UndoJournal()
    ctx = ToolContext(workspace=ws, turn=1, undo=journal)
    (ws / "d.txt").write_text("before")
    await write_file.run({"path": "d.txt", "content": "after"}, ctx)
    (ws / "d.txt").unlink()
    assert journal.undo_last() == ["Restored d.txt to its content before turn 1."]
    assert (ws / "d.txt").read_text() == "before"


async def test_undo_that_cannot_restore_a_file_says_so_and_keeps_what_it_did(
    ws: Path, tmp_path: Path
) -> None:
    path = tmp_path / "undo.jsonl"
    journal = UndoJournal(path)
    ctx = ToolContext(workspace=ws, turn=1, undo=journal)
    await write_file.run({"path": "a.txt", "content": "A"}, ctx)
    await write_file.run({"path": "b.txt", "content": "B"}, ctx)
    (ws / "a.txt").unlink()
    (ws / "a.txt").mkdir()  # someone made a folder of it since
    (ws / "a.txt" / "inside").write_text("keep")
    with pytest.raises(UndoConflict, match=r"Could not restore a\.txt"):
        journal.undo_turn(force=True)
    assert not (ws / "b.txt").exists()  # undone before a.txt failed
    assert (ws / "a.txt" / "inside").read_text() == "keep"
    assert [e.display_path for e in journal.entries] == ["a.txt"]
    assert [e.display_path for e in UndoJournal(path).entries] == ["a.txt"]  # after a resume
