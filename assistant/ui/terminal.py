"""Text from the model, tools, MCP servers and workspace files, made safe to show in a terminal.

Neither rich nor Textual removes ``ESC``: a reply, a file a tool read, or a server's
stderr could otherwise move the cursor over an approval prompt, hide part of a command
(``ESC[8m``), retitle the window or write the clipboard (OSC 52). Both front ends pass
such text through ``printable`` first: control characters become their visible Unicode
pictures (``␛``), except tab, newline and carriage return.

Invisible format characters (Unicode category Cf: the bidi overrides and isolates, zero
width spaces and joiners, the BOM, the soft hyphen) and the line and paragraph separators
become ``⟨U+202E⟩``: a terminal that reorders bidi text could otherwise show a command or
a path in an order other than the one that runs ("Trojan Source"), and a hidden character
makes two names that look the same differ. Letters of every script are left alone, so
right-to-left prose still reads as it should.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TABLE: dict[int, int] = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
_TABLE[0x7F] = 0x2421  # ␡
_TABLE.update({c: 0xFFFD for c in range(0x80, 0xA0)})  # C1 controls (0x9B is a CSI)


# Every Cf character as of Unicode 15 (tests check this against ``unicodedata``), U+2028, U+2029.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


def code_point(char: str) -> str:
    """How an invisible character is shown: ``⟨U+202E⟩``."""
    return f"⟨U+{ord(char):04X}⟩"


def printable(text: str) -> str:
    """``text`` with every terminal control character but tab and newlines, and every
    invisible format character, made visible."""
    return _INVISIBLE.sub(lambda m: code_point(m.group()), text.translate(_TABLE))


_JOINERS = frozenset("\u200c\u200d")


def printable_prose(text: str) -> str:
    """``printable`` for a reply's or the user's prose: the zero-width joiner and
    non-joiner stay as they are, since emoji sequences (👨‍👩‍👧) and Persian words need
    them; a command, path or diff shows them (``printable``)."""
    return _INVISIBLE.sub(
        lambda m: m.group() if m.group() in _JOINERS else code_point(m.group()),
        text.translate(_TABLE),
    )


def printable_line(text: str) -> str:
    """``printable(text)`` with carriage returns shown as ``␍`` too: for text laid out line
    by line (a diff, a command's result on stdout), where a ``\r`` would start writing over
    the beginning of its line."""
    return printable(text).replace("\r", "␍")


_ESCAPED = re.compile("[\x7f-\x9f]|" + _INVISIBLE.pattern)


def terminal_json(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` for a terminal (an approval's edit box, ``run --json``): the same value,
    nothing a terminal acts on or hides.

    JSON escapes C0 controls itself; DEL, the C1 controls and the invisible characters
    ``printable`` shows (only ever inside strings) become ``\\u`` escapes too, so the value
    parses back exactly as it was.
    """
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _ESCAPED.sub(lambda m: json.dumps(m.group())[1:-1], text)
