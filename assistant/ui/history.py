"""Input history shared by the Textual app and plain mode, persisted across runs.

One JSON string per line in ``<user data dir>/assistant/history.jsonl`` so that
multi-line prompts survive a round trip. Readable by the owner only, like the session
logs: it holds whatever was typed or pasted at the prompt. Written by appending (cheap,
and safe with two sessions open); a load that finds more than twice ``limit`` entries
rewrites it with the last ``limit``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from assistant.tools.paths import atomic_write_text, open_private_append


def default_history_path() -> Path:
    return Path(platformdirs.user_data_dir("assistant", appauthor=False)) / "history.jsonl"


class InputHistory:
    """A list of past inputs with a cursor for Up/Down navigation."""

    def __init__(self, path: Path | None = None, limit: int = 1000) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = []
        self._index: int | None = None  # None: editing the draft, not browsing
        self._draft = ""
        if path is not None:
            loaded = self._load(path)
            self.entries = loaded[-limit:]
            if len(loaded) > 2 * limit:  # now and then, so that loading stays cheap
                self._rewrite(path)

    @staticmethod
    def _load(path: Path) -> list[str]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out: list[str] = []
        for line in lines:
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn line from a crash: skip it, keep the rest
            if isinstance(value, str) and value:
                out.append(value)
        return out

    def _rewrite(self, path: Path) -> None:
        """Keep only ``entries`` in the file (owner-only, replaced atomically)."""
        try:
            os.chmod(path, 0o600)  # atomic_write keeps the mode of the file it replaces
            atomic_write_text(path, "".join(json.dumps(e) + "\n" for e in self.entries))
        except OSError:
            pass  # history is a convenience; never fail a prompt over it

    def add(self, text: str) -> None:
        """Record a submitted input (skips blanks and an immediate repeat)."""
        self._index = None
        self._draft = ""
        if not text.strip() or (self.entries and self.entries[-1] == text):
            return
        self.entries.append(text)
        del self.entries[: -self.limit]
        if self.path is None:
            return
        try:
            with open_private_append(self.path) as fh:
                fh.write(json.dumps(text) + "\n")
        except OSError:
            pass  # history is a convenience; never fail a prompt over it

    def previous(self, current: str) -> str | None:
        """The older entry (Up), or None at the oldest. ``current`` is kept as the draft."""
        if not self.entries:
            return None
        if self._index is None:
            self._draft = current
            self._index = len(self.entries)
        if self._index == 0:
            return None
        self._index -= 1
        return self.entries[self._index]

    def next(self) -> str | None:
        """The newer entry (Down); past the newest, the draft; None when not browsing."""
        if self._index is None:
            return None
        self._index += 1
        if self._index >= len(self.entries):
            self._index = None
            return self._draft
        return self.entries[self._index]

    @property
    def browsing(self) -> bool:
        return self._index is not None
