"""Undo journal: what each file-mutating tool call replaced, so a turn can be rolled back.

One entry per change: (turn, path, previous bytes or "did not exist", sha256 of
the bytes written). Persisted as JSONL (one entry, or one "undone" marker, per
line) when given a path, so ``/undo`` works after a resume; in memory otherwise.

Undo refuses when a file no longer holds what the tool wrote (someone edited it
since), because restoring would silently lose that work; ``force=True`` overrides.
It also refuses when a directory on the stored path has become a symlink since (a
command in the sandbox can do that): the path is walked again with ``O_NOFOLLOW``
(``safeio``), so undo never writes or deletes outside where the tool wrote.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.tools import safeio
from assistant.tools.paths import open_private_append

MAX_CHECK_BYTES = 64 * 1024 * 1024


class UndoConflict(Exception):
    """Undo would overwrite changes made after the tool's write."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class UndoEntry:
    id: int
    turn: int
    path: str
    """Absolute real path."""
    display_path: str
    previous: str | None
    """Previous content (utf-8 text or base64, see ``previous_b64``); None = did not exist."""
    previous_b64: bool
    new_sha256: str
    tool: str = ""
    ts: float = 0.0

    def previous_bytes(self) -> bytes | None:
        if self.previous is None:
            return None
        if self.previous_b64:
            return base64.b64decode(self.previous)
        return self.previous.encode("utf-8")


class UndoJournal:
    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: list[UndoEntry] = []
        self._next_id = 1
        if self.path is not None and self.path.exists():
            self._load()

    # ---- persistence -------------------------------------------------------------
    def _load(self) -> None:
        assert self.path is not None
        undone: set[int] = set()
        entries: list[UndoEntry] = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line after a crash
            if "undone" in obj:
                undone.update(int(i) for i in obj["undone"])
            else:
                entries.append(UndoEntry(**obj))
        self._entries = [e for e in entries if e.id not in undone]
        self._next_id = max((e.id for e in entries), default=0) + 1

    def _append(self, obj: dict[str, object]) -> None:
        if self.path is None:
            return
        with open_private_append(self.path) as fh:
            fh.write(json.dumps(obj) + "\n")

    # ---- recording ---------------------------------------------------------------
    @property
    def entries(self) -> list[UndoEntry]:
        """Changes not undone yet, oldest first."""
        return list(self._entries)

    def record(
        self,
        turn: int,
        path: Path,
        previous: bytes | None,
        new: bytes,
        *,
        tool: str = "",
        display_path: str | None = None,
    ) -> UndoEntry:
        prev_text: str | None = None
        b64 = False
        if previous is not None:
            try:
                prev_text = previous.decode("utf-8")
            except UnicodeDecodeError:
                prev_text, b64 = base64.b64encode(previous).decode("ascii"), True
        entry = UndoEntry(
            id=self._next_id,
            turn=turn,
            path=str(path),
            display_path=display_path or str(path),
            previous=prev_text,
            previous_b64=b64,
            new_sha256=sha256(new),
            tool=tool,
            ts=time.time(),
        )
        self._next_id += 1
        self._entries.append(entry)
        self._append(asdict(entry))
        return entry

    # ---- undoing -----------------------------------------------------------------
    @property
    def last_turn(self) -> int | None:
        return self._entries[-1].turn if self._entries else None

    def undo_last(self, *, force: bool = False) -> list[str]:
        """Restore the file touched by the most recent change. Returns summaries."""
        if not self._entries:
            return ["Nothing to undo."]
        return self._undo([self._entries[-1]], force)

    def undo_turn(self, turn: int | None = None, *, force: bool = False) -> list[str]:
        """Restore every change of ``turn`` (default: the last turn with changes)."""
        if not self._entries:
            return ["Nothing to undo."]
        target = self.last_turn if turn is None else turn
        picked = [e for e in self._entries if e.turn == target]
        if not picked:
            return [f"Nothing to undo in turn {target}."]
        return self._undo(picked, force)

    def _undo(self, picked: list[UndoEntry], force: bool) -> list[str]:
        # Newest first, so several edits of one file unwind in order. Each later
        # entry's previous content is the earlier entry's written content, so the
        # check below only needs to run against the newest change of each file.
        picked = sorted(picked, key=lambda e: e.id, reverse=True)
        if not force:
            seen: set[str] = set()
            for e in picked:
                if e.path in seen:
                    continue
                seen.add(e.path)
                problem = self._changed_since(e)
                if problem:
                    raise UndoConflict(
                        f"Not undoing: {e.display_path} {problem} after the assistant wrote it; "
                        "undoing would lose that work (use force to undo anyway)."
                    )
        for e in picked:  # even with force: check every path before changing any
            try:
                safeio.lstat(Path(e.path))
            except safeio.UnsafePath:
                raise UndoConflict(
                    f"Not undoing: a directory on the path of {e.display_path} became a "
                    "symlink since, so undo could write outside the workspace."
                ) from None
            except OSError:
                pass
        summaries: list[str] = []
        done: list[int] = []
        try:
            for e in picked:
                try:
                    summaries.append(self._restore(e))
                except OSError as exc:
                    first = f" ({len(done)} later changes were undone)" if done else ""
                    raise UndoConflict(
                        f"Could not restore {e.display_path} ({exc.strerror or exc}){first}; "
                        "fix that path and undo again."
                    ) from None
                self._entries.remove(e)
                done.append(e.id)
        finally:  # what was restored before a failure stays undone after a resume too
            if done:
                self._append({"undone": done})
        return summaries

    @staticmethod
    def _changed_since(e: UndoEntry) -> str | None:
        try:
            current, size = safeio.read_regular(Path(e.path), MAX_CHECK_BYTES + 1)
            if size > MAX_CHECK_BYTES:
                return "was changed"
        except FileNotFoundError:
            return None  # deleted since: restoring loses nothing
        except IsADirectoryError:
            return "became a directory"
        except safeio.UnsafePath:
            return "lies behind a symlink now (a directory on its path was replaced)"
        except OSError:
            return "is no longer a regular file"
        if sha256(current) != e.new_sha256:
            return "was changed"
        return None

    @staticmethod
    def _restore(e: UndoEntry) -> str:
        p = Path(e.path)
        prev = e.previous_bytes()
        try:
            if prev is None:
                with contextlib.suppress(FileNotFoundError):
                    safeio.unlink(p)
                return f"Deleted {e.display_path} (it did not exist before turn {e.turn})."
            safeio.write_atomic(p, prev)
        except safeio.UnsafePath:
            raise UndoConflict(
                f"Not undoing {e.display_path}: a directory on its path became a symlink "
                "since, so undo could write outside the workspace."
            ) from None
        return f"Restored {e.display_path} to its content before turn {e.turn}."
