"""Session logs: append-only, resumable, consistent after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.agent.session import (
    INTERRUPTED_RESULT,
    SessionError,
    SessionStore,
    messages_from_records,
    read_records,
)
from assistant.llm.base import Message, ToolCall


def test_round_trip_and_listing(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    log = store.create(tmp_path, "test-model")
    log.log_message(Message.system("sys"))
    log.log_message(Message.user("hello there"))
    log.log_message(Message("assistant", "hi"))
    log.close()
    infos = store.list(tmp_path)
    assert [i.id for i in infos] == [log.id]
    assert infos[0].title == "hello there" and infos[0].messages == 3
    assert store.latest(tmp_path).id == log.id
    assert store.list(tmp_path / "elsewhere") == []
    _, messages = store.open(log.id)
    assert [m.content for m in messages] == ["sys", "hello there", "hi"]
    exported = json.loads(store.export(log.id, "json"))
    assert exported[1] == {"role": "user", "content": "hello there"}


def test_dangling_tool_calls_get_an_interrupted_result(tmp_path: Path) -> None:
    call = ToolCall("run_shell", {"command": "sleep 100"})
    msgs = messages_from_records(
        [
            {"kind": "message", "message": Message.user("go").to_dict()},
            {"kind": "message", "message": Message("assistant", "", [call]).to_dict()},
        ]
    )
    assert msgs[-1].role == "tool" and msgs[-1].tool_call_id == call.id
    assert msgs[-1].content == INTERRUPTED_RESULT


def test_torn_last_line_is_ignored_but_corruption_elsewhere_is_named(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    good = json.dumps({"kind": "message", "message": {"role": "user", "content": "a"}})
    path.write_text(good + "\n" + '{"kind": "mess')
    assert len(read_records(path)) == 1
    path.write_text('{"kind": "mess\n' + good + "\n")
    with pytest.raises(SessionError, match="line 1"):
        read_records(path)


def test_a_session_torn_mid_write_resumes_again_after_it_was_resumed(tmp_path: Path) -> None:
    # SIGKILL mid-write can cut a line anywhere, even inside a multi-byte character.
    store = SessionStore(tmp_path / "sessions")
    log = store.create(tmp_path, "m")
    log.log_message(Message.user("café"))
    log.close()
    path = store.path_for(log.id)
    record = json.dumps(
        {"kind": "message", "message": Message("assistant", "é").to_dict()}, ensure_ascii=False
    )
    data = record.encode()
    with path.open("ab") as fh:
        fh.write(data[: data.index("é".encode()) + 1])  # stops inside the é
    assert [i.id for i in store.list(tmp_path)] == [log.id]
    log, messages = store.open(log.id)
    assert [m.content for m in messages] == ["café"]
    log.log_message(Message("assistant", "again"))
    log.close()
    _, messages = store.open(log.id)  # the torn line must not swallow the next record
    assert [m.content for m in messages] == ["café", "again"]


def test_records_that_are_not_session_records_are_named_not_a_traceback(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    store.root.mkdir(parents=True)
    good = store.create(tmp_path, "m")
    good.log_message(Message.user("hi"))
    good.close()
    for sid, line in [("a-list", "[1, 2]"), ("b-norole", '{"kind": "message", "message": {}}')]:
        store.path_for(sid).write_text(line + "\n" + json.dumps({"kind": "meta"}) + "\n")
        with pytest.raises(SessionError, match=f"{sid}.jsonl is corrupt at line 1"):
            store.open(sid)
    assert [i.id for i in store.list()] == [good.id]  # the others are skipped


def test_undo_journals_beside_the_logs_are_not_listed_as_sessions(tmp_path: Path) -> None:
    from assistant.tools.undo import UndoJournal

    store = SessionStore(tmp_path / "sessions")
    log = store.create(tmp_path, "m")
    log.log_message(Message.user("edit it"))
    log.close()
    journal = UndoJournal(log.path.with_suffix(".undo.jsonl"))  # where builder puts it
    target = tmp_path / "f.txt"
    target.write_text("new\n")
    journal.record(1, target, b"old\n", b"new\n", tool="write_file", display_path="f.txt")
    assert [i.id for i in store.list()] == [log.id]


def test_unknown_session_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="assistant sessions list"):
        SessionStore(tmp_path).open("nope")


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from assistant.agent.session import SessionStore
    from assistant.llm.base import Message, ToolCall

    store = SessionStore(Path(sys.argv[1]))
    log = store.create(Path(sys.argv[2]), "m")
    log.log_message(Message.system("sys"))
    log.log_message(Message.user("run it"))
    log.log_message(Message("assistant", "", [ToolCall("run_shell", {"command": "sleep 60"}, id="c1")]))
    print(log.id, flush=True)
    while True:  # mid-turn: the tool is 'running'; keep writing events until killed
        log._write({"kind": "event", "event": {"type": "tool_output", "id": "c1", "chunk": "x" * 500}})
        time.sleep(0.001)
    """
)


def test_session_killed_with_sigkill_mid_turn_resumes_consistently(tmp_path: Path) -> None:
    store_root = tmp_path / "sessions"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_root), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    session_id = proc.stdout.readline().strip()
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = SessionStore(store_root)
    log, messages = store.open(session_id)
    assert [m.role for m in messages] == ["system", "user", "assistant", "tool"]
    assert messages[-1].tool_call_id == "c1" and messages[-1].content == INTERRUPTED_RESULT
    log.log_message(Message.user("again"))
    log.close()
    _, again = store.open(session_id)
    assert [m.role for m in again][-2:] == ["tool", "user"]
