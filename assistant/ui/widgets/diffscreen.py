"""A whole diff, full screen, opened from the approval prompt with ``d``.

A write's diff can run to 10,000 lines; laying all of it out as one rich ``Syntax`` would
freeze the app for seconds. ``DiffLog`` is Textual's ``Log``, which keeps plain lines and
renders only those in view, coloured a line at a time by ``DiffHighlighter``. Long lines
are not wrapped: they scroll sideways, so nothing of the change is hidden.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Log, Static

from assistant.ui.diffview import DiffHighlighter, diff_background, diff_printable

BACK_HINT = (
    "↑↓ ←→ PgUp PgDn Home End scroll · Escape or q: back to the approval, which is still waiting"
)


class DiffLog(Log):
    """The lines of a diff, coloured as the approval's preview colours them."""

    def __init__(self, diff: str) -> None:
        super().__init__(highlight=True, auto_scroll=False, classes="diff-log")
        self.diff = diff
        self.highlighter = DiffHighlighter()
        background = diff_background()
        if background is not None:
            self.styles.background = Color.from_rich_color(background)

    def on_mount(self) -> None:
        # Once mounted: Log measures the lines' widths in a thread that needs the app.
        # One string, which Log splits into lines (a lone empty line would be dropped);
        # diff_printable leaves no break in it but the diff's own \n.
        self.write_lines([diff_printable(self.diff.removesuffix("\n"))])


class DiffScreen(ModalScreen[None]):
    """``diff`` whole and scrollable, under ``title``; Escape or q closes it."""

    BINDINGS = [
        Binding("escape", "close", "back"),
        Binding("q", "close", "back", show=False),
    ]

    def __init__(self, title: Text, diff: str) -> None:
        super().__init__(classes="diff-screen")
        self.title_text = title
        self.diff = diff

    def compose(self) -> ComposeResult:
        lines = self.diff.removesuffix("\n").count("\n") + 1
        title = self.title_text + Text(f"  ·  the whole diff, {lines:,} lines", style="bold")
        with Vertical(classes="diff-frame"):
            yield Static(title, classes="diff-title")
            yield DiffLog(self.diff)
            yield Static(Text(BACK_HINT, style="bold"), classes="diff-keys")

    def action_close(self) -> None:
        self.dismiss()
