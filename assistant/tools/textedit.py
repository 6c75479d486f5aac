"""Finding and replacing text in a decoded file the way edit_file does.

The model copies old_text from what read_file showed it: lines without their ``\\r``,
a byte that is not UTF-8 as the character it stands for. So the match runs on that view,
and the replacement goes into the exact text, which is written back: every line keeps its
own ending (a file mostly CRLF with one LF line stays so) and a stray byte outside what
changed is kept as it was.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_NEWLINE = re.compile(r"\r?\n")


class MatchView:
    """``exact``: the file's text as decoded; ``shown``: the same text as the model sees
    it, character for character (a stray byte is one character in both)."""

    def __init__(self, exact: str, shown: str) -> None:
        if len(exact) != len(shown):
            raise ValueError("exact and shown must be the same text, character for character")
        self.exact, self.shown = exact, shown
        self.text = shown.replace("\r\n", "\n")
        """What old_text is matched against."""
        # Where in ``text`` a "\n" stands for "\r\n", to map its indexes back.
        self._crlf = [m.start() - k for k, m in enumerate(re.finditer("\r\n", shown))]

    def _exact_index(self, i: int) -> int:
        return i + bisect_left(self._crlf, i)

    def starts(self, old: str) -> list[int]:
        """Where ``old`` occurs in ``text``, without overlaps, as str.replace finds it."""
        found: list[int] = []
        i = self.text.find(old)
        while i != -1:
            found.append(i)
            i = self.text.find(old, i + len(old))
        return found

    def line_of(self, index: int) -> int:
        return self.text.count("\n", 0, index) + 1

    def replace(self, old: str, new: str, starts: list[int]) -> str:
        """The exact text with ``old`` (found at ``starts``) replaced by ``new``; both use
        ``\\n`` for a line break."""
        pieces: list[str] = []
        done = 0
        for s in starts:
            begin, end = self._exact_index(s), self._exact_index(s + len(old))
            pieces.append(self.exact[done:begin])
            pieces.append(self._replacement(begin, end, new))
            done = end
        pieces.append(self.exact[done:])
        return "".join(pieces)

    def _replacement(self, begin: int, end: int, new: str) -> str:
        was_shown, was_exact = self.shown[begin:end], self.exact[begin:end]
        endings = _NEWLINE.findall(was_shown)
        parts = new.split("\n")
        if len(parts) - 1 != len(endings):  # lines added or removed: one ending for all
            endings = [self._ending_near(begin, end, endings)] * (len(parts) - 1)
        text = parts[0] + "".join(e + p for e, p in zip(endings, parts[1:], strict=True))
        if was_exact == was_shown:
            return text
        # Stray bytes in the unchanged start and end of the region stay as they were.
        head = _common_start(text, was_shown)
        tail = min(
            _common_start(text[::-1], was_shown[::-1]), len(text) - head, len(was_shown) - head
        )
        return was_exact[:head] + text[head : len(text) - tail] + was_exact[len(was_exact) - tail :]

    def _ending_near(self, begin: int, end: int, inside: list[str]) -> str:
        """The line ending of the line the replaced text ends in."""
        if inside and self.shown[end - 1] == "\n":
            return inside[-1]
        after = _NEWLINE.search(self.shown, end)
        if after is not None:
            return after.group()
        before = self.shown.rfind("\n", 0, begin)
        return "\r\n" if before > 0 and self.shown[before - 1] == "\r" else "\n"


def _common_start(a: str, b: str) -> int:
    """How many first characters ``a`` and ``b`` have in common."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
