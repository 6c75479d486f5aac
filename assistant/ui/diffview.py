"""A diff as both front ends show it: coloured, and cut short when it is long.

A write's diff can run to 10,000 lines (about 1 MB, see ``assistant.tools.files``);
highlighting and laying out all of it freezes the Textual app for many seconds and floods
the plain REPL. Only its first ``DIFF_SHOWN_LINES`` lines are shown (each cut at
``DIFF_LINE_CHARS``, all together at most ``DIFF_SHOWN_CHARS``), followed by a marker that
says how much is left out. The tool still gets the whole change, and an approval's ``d``
shows all of it (``DiffHighlighter`` colours only the lines in view).
"""

from __future__ import annotations

from typing import NamedTuple

from pygments.lexers import get_lexer_by_name
from rich.color import Color
from rich.console import Group, RenderableType
from rich.highlighter import Highlighter
from rich.syntax import Syntax
from rich.text import Text

from assistant.ui.terminal import printable_line
from assistant.ui.theme import CODE_THEME

DIFF_SHOWN_LINES = 400
DIFF_LINE_CHARS = 500
DIFF_SHOWN_CHARS = 40_000

WILL_APPLY = "allowing applies the whole change, not only the lines shown"
SEE_WHOLE = "press d to see the whole diff"
ASKING = f"{SEE_WHOLE}; {WILL_APPLY}"
"""The note under an approval's cut diff: the prompt's ``d`` shows all of it."""
APPLIED = "the whole change was applied, not only the lines shown"
IN_WORKSPACE = "the workspace holds the whole change"


def diff_printable(text: str) -> str:
    """``printable(text)`` with the carriage returns it keeps inside a diff's line made visible.

    A diff's lines end at ``\n`` only (``assistant.tools.files.split_lines``). A ``\r``
    inside a line would otherwise start a row of its own where the text is laid out
    (pygments reads ``\r`` as a newline), and the rest of an added line would look like an
    unchanged one. ``printable`` already shows the other breaks ``str.splitlines`` honours
    (``\x0b``, ``\x0c``, ``\x1c``-``\x1e``, ``\x85``, U+2028, U+2029).
    """
    return printable_line(text)


class ClippedDiff(NamedTuple):
    text: str
    hidden: int
    """Lines left out at the end."""
    clipped: bool
    """Whether anything is left out (lines, or the ends of long lines)."""


def clip_diff(text: str) -> ClippedDiff:
    """``text`` unchanged when it is short enough to show, else its first lines."""
    body = text.removesuffix("\n")
    lines = body.split("\n")
    short = len(lines) <= DIFF_SHOWN_LINES and len(body) <= DIFF_SHOWN_CHARS
    if short and all(len(line) <= DIFF_LINE_CHARS for line in lines):
        return ClippedDiff(text, 0, False)
    shown: list[str] = []
    used = 0
    for line in lines[:DIFF_SHOWN_LINES]:
        if used >= DIFF_SHOWN_CHARS:
            break
        if len(line) > DIFF_LINE_CHARS:
            line = line[:DIFF_LINE_CHARS] + "…"
        shown.append(line)
        used += len(line) + 1
    return ClippedDiff("\n".join(shown), len(lines) - len(shown), True)


def diff_marker(clipped: ClippedDiff, note: str) -> Text:
    """The line under a clipped diff: how much is not shown, and ``note``."""
    if clipped.hidden:
        what = f"{clipped.hidden:,} more line{'s' * (clipped.hidden != 1)} of this diff not shown"
    else:
        what = "long lines of this diff are cut short (…)"
    return Text(f"… {what}: {note}.", style="bold yellow")


def diff_syntax(text: str, *, word_wrap: bool = True) -> Syntax:
    return Syntax(diff_printable(text), "diff", theme=CODE_THEME, word_wrap=word_wrap)


class DiffHighlighter(Highlighter):
    """Colours one line of a diff as ``diff_syntax`` colours it in a whole diff: the diff
    lexer reads a line at a time, so a long diff can be coloured only where it is seen."""

    def __init__(self) -> None:
        lexer = get_lexer_by_name("diff", stripnl=False, ensurenl=True)
        self._syntax = Syntax("", lexer, theme=CODE_THEME)

    def highlight(self, text: Text) -> None:
        coloured = self._syntax.highlight(text.plain)
        text.stylize(coloured.style)
        for span in coloured.spans:
            text.stylize(span.style, span.start, span.end)


def diff_background() -> Color | None:
    """The background ``diff_syntax`` draws behind a diff."""
    return Syntax.get_theme(CODE_THEME).get_background_style().bgcolor


def render_diff(text: str, note: str, *, word_wrap: bool = True) -> RenderableType:
    """``text`` coloured as a diff; when long, its first lines and the marker under them."""
    clipped = clip_diff(text)
    if not clipped.clipped:
        return diff_syntax(text, word_wrap=word_wrap)
    return Group(diff_syntax(clipped.text, word_wrap=word_wrap), diff_marker(clipped, note))
