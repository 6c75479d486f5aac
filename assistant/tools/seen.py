"""The files the model has read in this conversation, so write_file never replaces
content the model has not seen whole (or that changed after it looked)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Span = tuple[int, int]
"""First and last line, 1-based and inclusive."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SeenLines:
    """What one read showed of a file of ``total`` lines: the lines in ``shown`` whole,
    the lines in ``cut`` only in part (too long for read_file to show)."""

    total: int
    shown: tuple[Span, ...]
    cut: tuple[int, ...] = ()

    @property
    def unread(self) -> list[Span]:
        """The line ranges not shown whole, in order."""
        gaps: list[Span] = []
        following = 1
        for first, last in self.shown:
            if first > following:
                gaps.append((following, first - 1))
            following = max(following, last + 1)
        if following <= self.total:
            gaps.append((following, self.total))
        return gaps

    def union(self, other: SeenLines) -> SeenLines:
        return SeenLines(
            self.total,
            merge_spans(self.shown + other.shown),
            tuple(sorted(set(self.cut) | set(other.cut))),
        )


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


@dataclass(frozen=True)
class Seen:
    digest: str | None
    """Of the content the model last saw; None when the file was too large to check."""
    whole: bool | SeenLines
    """True when the model has seen every line of that content, the lines it has seen,
    or False when it has seen an unknown part."""

    @property
    def complete(self) -> bool:
        if isinstance(self.whole, SeenLines):
            return self.digest is not None and not self.whole.unread
        return self.whole


class SeenFiles:
    """Real path → what the model saw of it. Held by the agent for one conversation; when
    a compaction cuts or drops read results, the agent notes again only what the model
    still has (a result kept whole, or the part of one that was cut)."""

    def __init__(self) -> None:
        self._seen: dict[Path, Seen] = {}

    def note(self, path: Path, data: bytes | None, *, whole: bool | SeenLines = True) -> None:
        """The model has seen ``data`` (None: too large to keep a digest of): all of it,
        the lines a :class:`SeenLines` names, or (False) some part. Parts of the same
        content add up: lines 1-2000 and then 2001-2500 of a 2500-line file are all of it."""
        new = Seen(None if data is None else digest(data), whole)
        old = self._seen.get(path)
        same = old is not None and new.digest is not None and old.digest == new.digest
        if old is not None and same and whole is not True:
            if old.complete:
                return  # a part of content it has already seen whole changes nothing
            if isinstance(old.whole, SeenLines) and isinstance(whole, SeenLines):
                new = Seen(new.digest, old.whole.union(whole))
        self._seen[path] = new

    def clear(self) -> None:
        self._seen.clear()

    def replace_refusal(self, path: Path, current: bytes, shown: str) -> tuple[str, str] | None:
        """Why replacing ``path``'s ``current`` content must wait for a read, and what to
        do first, or None."""
        seen = self._seen.get(path)
        if seen is None:
            return (
                f"{shown} already exists and has not been read in this conversation",
                "read it with read_file first, then change it with edit_file or write its "
                "complete new content.",
            )
        if seen.digest is not None and seen.digest != digest(current):
            return (
                f"{shown} has changed since it was last read",
                "read it again before replacing it.",
            )
        if seen.complete:
            return None
        lines = seen.whole if isinstance(seen.whole, SeenLines) else None
        if lines is not None and lines.cut:
            return (
                f"{shown} has lines too long for read_file to show whole ({line_list(lines.cut)})",
                "write_file cannot replace what was never shown whole; change it with "
                "edit_file instead.",
            )
        if lines is not None:
            unread = lines.unread
            where = ", ".join(_span(s) for s in unread[:5]) + (", ..." if len(unread) > 5 else "")
            return (
                f"Only part of {shown} has been read ({where} of {lines.total} not yet)",
                f"read the rest (read_file with start_line={unread[0][0]}) before replacing "
                "it, or change the part you read with edit_file.",
            )
        return (
            f"Only part of {shown} has been read",
            "read all of it before replacing it, or change the part you read with edit_file.",
        )


def _span(span: Span) -> str:
    first, last = span
    return f"line {first}" if first == last else f"lines {first}-{last}"


def line_list(numbers: Sequence[int]) -> str:
    """``line 7`` or ``lines 2, 9, 14, 20, 31, ...`` (the first five)."""
    shown = ", ".join(map(str, numbers[:5])) + (", ..." if len(numbers) > 5 else "")
    return f"line {shown}" if len(numbers) == 1 else f"lines {shown}"


Note = tuple[Path, bytes | None, "bool | SeenLines"]
"""What one :meth:`SeenFiles.note` said: the file, its content, how much of it was shown."""


class CallReads(SeenFiles):
    """One tool call's view of a shared :class:`SeenFiles`, keeping the call's notes in
    ``notes`` (so a compaction can forget exactly the reads whose results it cut). They
    reach the shared one at once, or with ``deferred`` only on :meth:`apply`: a call run
    in a thread may be cancelled, and a read whose result never reaches the model must
    not count as read."""

    def __init__(self, shared: SeenFiles, *, deferred: bool = False) -> None:
        super().__init__()
        self._shared = shared
        self._deferred = deferred
        self._pending: list[Note] = []
        self.notes: list[Note] = []

    def note(self, path: Path, data: bytes | None, *, whole: bool | SeenLines = True) -> None:
        self.notes.append((path, data, whole))
        if self._deferred:
            self._pending.append((path, data, whole))
        else:
            self._shared.note(path, data, whole=whole)

    def replace_refusal(self, path: Path, current: bytes, shown: str) -> tuple[str, str] | None:
        return self._shared.replace_refusal(path, current, shown)

    def apply(self) -> None:
        """Pass the deferred notes on to the shared :class:`SeenFiles`."""
        for path, data, whole in self._pending:
            self._shared.note(path, data, whole=whole)
        self._pending.clear()
