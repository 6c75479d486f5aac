"""The prompt: a multi-line ``TextArea`` where Enter sends and Shift+Enter/Ctrl+J adds a line.

Up on the first line and Down on the last walk the persisted input history; Tab completes
slash commands and ``@path`` mentions (candidates shown in the ``CompletionHint`` line).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static, TextArea

from assistant.ui.commands import common_prefix
from assistant.ui.history import InputHistory
from assistant.ui.terminal import printable

Completer = Callable[[str], tuple[str, list[str]]]


class CompletionHint(Static):
    """Shows completion candidates above the prompt; hidden when there are none."""

    def show(self, candidates: list[str]) -> None:
        self.display = bool(candidates)
        shown = candidates[:12]
        more = f"  (+{len(candidates) - 12} more)" if len(candidates) > 12 else ""
        self.update(Text(printable("  ".join(shown)) + more, style="italic"))


class PromptInput(TextArea):
    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Completions(Message):
        def __init__(self, candidates: list[str]) -> None:
            super().__init__()
            self.candidates = candidates

    def __init__(
        self,
        history: InputHistory | None = None,
        completer: Completer | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]
        self.input_history = history or InputHistory(None)
        self.completer = completer
        self.last_typed = -math.inf
        """When a character was last typed here (``time.monotonic()``)."""

    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        if event.is_printable:
            self.last_typed = time.monotonic()
        if key == "enter":
            event.stop()
            event.prevent_default()
            self.submit()
            return
        if key in ("shift+enter", "ctrl+j", "alt+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if key == "tab":
            event.stop()
            event.prevent_default()
            self.complete()
            return
        if event.is_printable or key == "backspace":
            self.post_message(self.Completions([]))
        await super()._on_key(event)

    def submit(self) -> None:
        text = self.text
        if not text.strip():
            return
        self.input_history.add(text)
        self.clear()
        self.post_message(self.Completions([]))
        self.post_message(self.Submitted(text))

    def complete(self) -> None:
        if self.completer is None:
            return
        row, col = self.cursor_location
        before = "\n".join([*self.text.split("\n")[:row], self.document[row][:col]])
        token, candidates = self.completer(before)
        if not candidates:
            self.post_message(self.Completions([]))
            return
        prefix = candidates[0] if len(candidates) == 1 else common_prefix(candidates)
        if len(prefix) > len(token):
            addition = prefix[len(token) :]
            if len(candidates) == 1 and not prefix.endswith("/"):
                addition += " "
            self.insert(addition)
        self.post_message(self.Completions(candidates if len(candidates) > 1 else []))

    def set_text(self, text: str) -> None:
        """Hold ``text``, the cursor at its end."""
        self.load_text(text)
        last = self.document.line_count - 1
        self.move_cursor((last, len(self.document[last])))

    def action_cursor_up(self, select: bool = False) -> None:
        if not select and self.cursor_location[0] == 0 and self.selection.is_empty:
            entry = self.input_history.previous(self.text)
            if entry is not None:
                self.set_text(entry)
                return
        super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        if (
            not select
            and self.input_history.browsing
            and self.cursor_location[0] == self.document.line_count - 1
        ):
            entry = self.input_history.next()
            if entry is not None:
                self.set_text(entry)
                return
        super().action_cursor_down(select)
