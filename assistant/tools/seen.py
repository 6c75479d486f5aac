"""The files the model has read in this conversation, so write_file never replaces
content the model has not seen whole (or that changed after it looked)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Seen:
    digest: str | None
    """Of the content the model last saw; None when the file was too large to check."""
    whole: bool
    """Whether the model has seen every line of that content."""


class SeenFiles:
    """Real path → what the model saw of it. Held by the agent for one conversation and
    cleared when its history is replaced, since the model no longer has what it read."""

    def __init__(self) -> None:
        self._seen: dict[Path, Seen] = {}

    def note(self, path: Path, data: bytes | None, *, whole: bool = True) -> None:
        """The model has seen ``data`` (None: too large to keep a digest of), all of it or
        a part; a part of content it has already seen whole changes nothing."""
        new = Seen(None if data is None else digest(data), whole)
        old = self._seen.get(path)
        if not whole and old is not None and old.whole and old.digest == new.digest:
            return
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
        if not seen.whole:
            return (
                f"Only part of {shown} has been read",
                "read all of it (read_file without start_line or end_line) before replacing "
                "it, or change that part with edit_file.",
            )
        return None
