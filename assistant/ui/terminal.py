"""Text from the model, tools, MCP servers and workspace files, made safe to show in a terminal.

Neither rich nor Textual removes ``ESC``: a reply, a file a tool read, or a server's
stderr could otherwise move the cursor over an approval prompt, hide part of a command
(``ESC[8m``), retitle the window or write the clipboard (OSC 52). Both front ends pass
such text through ``printable`` first: control characters become their visible Unicode
pictures (``␛``), except tab, newline and carriage return.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TABLE: dict[int, int] = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
_TABLE[0x7F] = 0x2421  # ␡
_TABLE.update({c: 0xFFFD for c in range(0x80, 0xA0)})  # C1 controls (0x9B is a CSI)


def printable(text: str) -> str:
    """``text`` with every terminal control character but tab and newlines made visible."""
    return text.translate(_TABLE)


_UNESCAPED = re.compile("[\x7f-\x9f]")


def terminal_json(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` for a terminal (an approval's edit box, ``run --json``): the same value,
    nothing a terminal acts on.

    JSON escapes C0 controls itself; DEL and the C1 controls (only ever inside strings)
    become ``\\u`` escapes too, so the value parses back exactly as it was.
    """
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
