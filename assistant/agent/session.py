"""Append-only session logs: one JSONL file per session, flushed per record.

A record is one of::

    {"kind": "meta", "id", "created_at", "workspace", "model", "version"}
    {"kind": "message", "message": <Message dict>}
    {"kind": "event", "event": <event dict>}
    {"kind": "replace", "messages": [...]}     # after compaction

Because every record is flushed (and fsynced) as it is written, a process killed with
SIGKILL loses at most a half-written last line; ``load`` ignores it and answers any
tool call that never got a result, so the resumed history is always consistent.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from assistant import __version__
from assistant.llm.base import Message
from assistant.tools.paths import open_private_append

INTERRUPTED_RESULT = "Interrupted: the session ended before this call finished."


class SessionError(Exception):
    pass


def data_dir() -> Path:
    """``$ASSISTANT_DATA_DIR`` or the XDG data dir (``~/.local/share/assistant``)."""
    env = os.environ.get("ASSISTANT_DATA_DIR")
    return Path(env) if env else Path(user_data_dir("assistant", appauthor=False))


_SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # no dots: <id>.undo is a journal


def new_session_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


@dataclass
class SessionInfo:
    id: str
    path: Path
    created_at: str
    workspace: str
    model: str
    messages: int
    title: str


class SessionLog:
    """An open, append-only session file."""

    def __init__(self, path: Path, session_id: str) -> None:
        self.path = path
        self.id = session_id
        self._fh = open_private_append(path)  # holds file contents: owner only

    def _write(self, record: dict[str, Any]) -> None:
        record["t"] = round(time.time(), 3)
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def log_meta(self, workspace: Path, model: str) -> None:
        self._write(
            {
                "kind": "meta",
                "id": self.id,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "workspace": str(workspace),
                "model": model,
                "version": __version__,
            }
        )

    def log_message(self, message: Message) -> None:
        self._write({"kind": "message", "message": message.to_dict()})

    def log_event(self, event: Any) -> None:
        self._write({"kind": "event", "event": event.to_dict()})

    def log_replace(self, messages: list[Message]) -> None:
        self._write({"kind": "replace", "messages": [m.to_dict() for m in messages]})

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def read_records(path: Path) -> list[dict[str, Any]]:
    """All complete records; a torn last line (SIGKILL mid-write) is ignored."""
    records = []
    lines = path.read_bytes().splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line.decode("utf-8"))
        except ValueError as exc:  # not JSON, or cut inside a UTF-8 character
            if number == len(lines) and not line.endswith(b"\n"):
                break
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
            raise SessionError(f"Session file {path} is corrupt at line {number}: {why}.") from exc
        if not isinstance(record, dict) or not _valid(record):
            raise SessionError(
                f"Session file {path} is corrupt at line {number}: not a session record."
            )
        records.append(record)
    return records


def _valid(record: dict[str, Any]) -> bool:
    try:
        if record.get("kind") == "message":
            Message.from_dict(record["message"])
        elif record.get("kind") == "replace":
            [Message.from_dict(m) for m in record["messages"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return True


def _cut_torn_tail(path: Path) -> None:
    """Drop a torn last line, so the next record starts a line of its own."""
    with path.open("r+b") as fh:
        data = fh.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            fh.truncate(end)


def messages_from_records(records: list[dict[str, Any]]) -> list[Message]:
    messages: list[Message] = []
    for rec in records:
        if rec.get("kind") == "message":
            messages.append(Message.from_dict(rec["message"]))
        elif rec.get("kind") == "replace":
            messages = [Message.from_dict(m) for m in rec["messages"]]
    return repair(messages)


def repair(messages: list[Message]) -> list[Message]:
    """Give every assistant tool call a result, so the history is valid for every backend."""
    out: list[Message] = []
    pending: list[Any] = []
    for m in messages:
        if m.role != "tool" and pending:
            out.extend(Message.tool(c, INTERRUPTED_RESULT) for c in pending)
            pending = []
        if m.role == "assistant" and m.tool_calls:
            pending = list(m.tool_calls)
        elif m.role == "tool":
            pending = [c for c in pending if c.id != m.tool_call_id]
        out.append(m)
    out.extend(Message.tool(c, INTERRUPTED_RESULT) for c in pending)
    return out


class SessionStore:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or data_dir() / "sessions"

    def path_for(self, session_id: str) -> Path:
        if not _SESSION_ID.fullmatch(session_id):  # '../x' would name a file elsewhere
            raise SessionError(
                f"{session_id!r} is not a session id (one looks like {new_session_id()}); "
                "list them with `assistant sessions list`."
            )
        return self.root / f"{session_id}.jsonl"

    def create(self, workspace: Path, model: str) -> SessionLog:
        sid = new_session_id()
        log = SessionLog(self.path_for(sid), sid)
        log.log_meta(workspace, model)
        return log

    def history(self, session_id: str) -> list[Message]:
        """A session's (repaired) history, read without touching its log."""
        path = self.path_for(session_id)
        if not path.exists():
            raise SessionError(
                f"No session {session_id!r}; list them with `assistant sessions list`."
            )
        return messages_from_records(read_records(path))

    def open(self, session_id: str) -> tuple[SessionLog, list[Message]]:
        """Reopen a session for appending; returns the log and its (repaired) history."""
        messages = self.history(session_id)
        _cut_torn_tail(self.path_for(session_id))
        log = SessionLog(self.path_for(session_id), session_id)
        log.log_replace(messages)  # the repaired history becomes the new starting point
        return log, messages

    def list(self, workspace: Path | None = None) -> list[SessionInfo]:
        infos: list[SessionInfo] = []
        blocker = next((p for p in (self.root, *self.root.parents) if p.exists()), None)
        if blocker is not None and not blocker.is_dir():  # not "no sessions yet": say why
            raise SessionError(
                f"Cannot read sessions from {self.root}: {blocker} is not a folder; "
                "set ASSISTANT_DATA_DIR to a folder."
            )
        if not self.root.exists():
            return infos
        for path in self.root.glob("*.jsonl"):
            if "." in path.stem:  # an id has no dot: <id>.undo.jsonl is its undo journal
                continue
            try:
                records = read_records(path)
            except (SessionError, OSError):
                continue
            meta = next((r for r in records if r.get("kind") == "meta"), {})
            if workspace is not None and meta.get("workspace") != str(workspace):
                continue
            msgs = messages_from_records(records)
            title = next((m.content for m in msgs if m.role == "user"), "")
            infos.append(
                SessionInfo(
                    id=path.stem,
                    path=path,
                    created_at=meta.get("created_at", ""),
                    workspace=meta.get("workspace", ""),
                    model=meta.get("model", ""),
                    messages=len(msgs),
                    title=" ".join(title.split())[:60],
                )
            )
        infos.sort(key=lambda i: (i.path.stat().st_mtime, i.id), reverse=True)
        return infos

    def latest(self, workspace: Path) -> SessionInfo | None:
        found = self.list(workspace)
        return found[0] if found else None

    def export(self, session_id: str, fmt: str = "markdown") -> str:
        path = self.path_for(session_id)
        if not path.exists():
            raise SessionError(
                f"No session {session_id!r}; list them with `assistant sessions list`."
            )
        messages = messages_from_records(read_records(path))
        if fmt == "json":
            return json.dumps([m.to_dict() for m in messages], indent=2, ensure_ascii=False)
        if fmt == "jsonl":
            return "".join(json.dumps(m.to_dict(), ensure_ascii=False) + "\n" for m in messages)
        lines = [f"# Session {session_id}\n"]
        for m in messages:
            if m.role == "system":
                continue
            lines.append(f"## {m.role}\n")
            if m.content:
                lines.append(m.content + "\n")
            for c in m.tool_calls:
                lines.append(
                    f"```json\n{json.dumps({'name': c.name, 'arguments': c.arguments})}\n```\n"
                )
        return "\n".join(lines)
