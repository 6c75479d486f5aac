"""The approval prompt shown before a mutating tool runs.

Keys: ``y`` allow once, ``a`` allow for this session, ``s`` always (saved in your own
config, under this project), ``n`` deny (then type an optional reason the model will see, Enter sends), ``e``
edit the arguments as JSON (Ctrl+S runs the edited call, Escape goes back), and for a
change shown as a diff ``d`` the whole diff, full screen (Escape back to the prompt).
The reply is delivered through an ``asyncio.Future`` the app's ``ask`` callback awaits.

No key answers the prompt in its first ``GRACE_S`` seconds on screen: a key then was
meant for the message box (typed ahead while the reply streamed), and goes there.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static, TextArea

from assistant.ui.diffview import ASKING, clip_diff, diff_marker, diff_syntax
from assistant.ui.terminal import printable, terminal_json
from assistant.ui.widgets.diffscreen import DiffScreen
from assistant.ui.widgets.toolcard import render_arguments

KEY_HINTS = "[y] allow once  [a] allow for this session  [s] always  [n] deny  [e] edit"
DIFF_KEY_HINT = "  [d] whole diff"
AWAY_HINT = "Your unsent message stays in the box below; press Esc to answer here."
GRACE_S = 0.5
"""Seconds after the prompt appears in which no key answers it (see the module's doc)."""


def key_hints(request: Any) -> str:
    """The keys the prompt for ``request`` answers to: ``d`` only where there is a diff."""
    return KEY_HINTS + DIFF_KEY_HINT if request.preview else KEY_HINTS


def remembered(request: Any) -> str:
    """What [a] and [s] would remember for this call."""
    if request.remembers:
        return "[a]/[s] remember: " + printable(", ".join(request.remembers))
    return "[a]/[s] allow this call only: nothing about it can be remembered"


def parsed_commands(parsed: Any) -> Text:
    """What a shell command runs, one simple command a line, as the approval rules see it."""
    if not parsed.ok:
        return Text.assemble(
            ("Not split into simple commands: ", "bold red"),
            (f"{printable(str(parsed.refused))}. ", "red"),
            ("No rule can allow it; [a]/[s] allow this call only.", "italic"),
        )
    text = Text("Runs:", style="bold")
    for command in parsed.commands:
        text.append("\n  • ")
        text.append(printable(command), style="cyan")
    return text


def _reply(decision: str, reason: str | None = None, edited: dict[str, Any] | None = None) -> Any:
    # Imported lazily: assistant.agent.approval pulls in the tools package.
    from assistant.agent.approval import ApprovalReply, Decision

    return ApprovalReply(Decision(decision), reason=reason, edited_arguments=edited)


class ApprovalPrompt(Vertical, can_focus=True):
    """Asks about one tool call; resolves ``future`` with an ``ApprovalReply``."""

    BINDINGS = [
        Binding("y", "decide('allow_once')", "allow once"),
        Binding("a", "decide('allow_session')", "allow for session"),
        Binding("s", "decide('always')", "always"),
        Binding("n", "deny", "deny"),
        Binding("e", "edit", "edit"),
        Binding("d", "whole_diff", "whole diff"),
    ]

    DEFAULT_CSS = """
    ApprovalPrompt .approval-away { display: none; }
    ApprovalPrompt.away .approval-away { display: block; }
    """

    def __init__(
        self,
        request: Any,
        future: asyncio.Future[Any],
        typed_early: Callable[[events.Key], None] | None = None,
    ) -> None:
        super().__init__(classes="approval")
        self.request = request
        self.future = future
        self.typed_early = typed_early
        """Takes a key that came within the grace period (the app gives it to the message box)."""
        self.shown_at: float | None = None
        self.mode = "choose"  # choose | reason | edit
        self.border_title = "approval needed"
        self.diff_screen: DiffScreen | None = None
        """The whole diff, while it is open over the app."""
        # However the approval ends (a key, Ctrl+C, the turn cancelled), the diff over it goes.
        future.add_done_callback(lambda _: self._close_whole_diff())

    def _title(self) -> Text:
        req = self.request
        return Text.assemble(
            ("Allow ", "bold"),
            (printable(req.call.name), "bold yellow"),
            ("?  ", "bold"),
            (printable(req.why), "italic"),
        )

    def compose(self) -> ComposeResult:
        req = self.request
        yield Static(self._title(), classes="approval-title")
        if req.preview:
            clipped = clip_diff(req.preview.rstrip("\n"))
            # Scrolls (by mouse) where it is taller than its box; the prompt keeps the focus.
            with VerticalScroll(classes="approval-preview-box", can_focus=False):
                yield Static(diff_syntax(clipped.text), classes="approval-preview")
            if clipped.clipped:  # under the preview's box, so that it is always in view
                yield Static(diff_marker(clipped, ASKING), classes="approval-clipped")
        else:
            yield Static(
                render_arguments(req.call.name, req.call.arguments), classes="approval-args"
            )
        if req.parsed is not None:
            yield Static(parsed_commands(req.parsed), classes="approval-commands")
        if req.parsed is None or req.parsed.ok:  # else parsed_commands has said it
            yield Static(Text(remembered(req), style="italic"), classes="approval-remembers")
        yield Static(Text(key_hints(req), style="bold"), classes="approval-keys")
        yield Static(Text(AWAY_HINT, style="italic"), classes="approval-away")

    def on_mount(self) -> None:
        self.shown_at = time.monotonic()

    @property
    def ready(self) -> bool:
        """Whether a key may answer now: the prompt has been on screen for ``GRACE_S``."""
        return self.shown_at is not None and time.monotonic() - self.shown_at >= GRACE_S

    def on_focus(self) -> None:
        self.remove_class("away")

    def keep_away(self) -> None:
        """Say that the focus stays in the message box, and how to come here."""
        self.add_class("away")

    async def _on_key(self, event: events.Key) -> None:
        # Runs before the bindings (the app checks those once the key has bubbled up).
        if self.mode == "choose" and not self.ready and event.key != "ctrl+c":
            event.stop()
            event.prevent_default()
            if self.typed_early is not None:
                self.typed_early(event)
            return
        await super()._on_key(event)

    def _resolve(self, reply: Any) -> None:
        if not self.future.done():
            self.future.set_result(reply)

    def action_decide(self, decision: str) -> None:
        if self.mode == "choose":
            self._resolve(_reply(decision))

    def action_whole_diff(self) -> None:
        if self.mode != "choose" or not self.request.preview or self.future.done():
            return
        self.diff_screen = DiffScreen(self._title(), self.request.preview)
        self.app.push_screen(self.diff_screen, lambda _: self._whole_diff_closed())

    def _whole_diff_closed(self) -> None:
        self.diff_screen = None

    def _close_whole_diff(self) -> None:
        if self.diff_screen is not None and self.diff_screen.is_active:
            self.diff_screen.dismiss()

    async def action_deny(self) -> None:
        if self.mode != "choose":
            return
        self.mode = "reason"
        box = Input(
            placeholder="Why not? The model sees this (Enter to deny, empty for no reason)",
            classes="approval-reason",
        )
        await self.mount(box)
        box.focus()

    async def action_edit(self) -> None:
        if self.mode != "choose":
            return
        self.mode = "edit"
        editor = TextArea(
            terminal_json(self.request.call.arguments, indent=2),
            language="json",
            classes="approval-editor",
            soft_wrap=True,
        )
        await self.mount(editor)
        await self.mount(
            Static("Ctrl+S run the edited call · Escape back", classes="approval-hint")
        )
        editor.focus()

    @on(Input.Submitted, ".approval-reason")
    def _reason_given(self, event: Input.Submitted) -> None:
        event.stop()
        self._resolve(_reply("deny", event.value.strip() or None))

    def key_ctrl_s(self) -> None:
        self._submit_edit()

    def _submit_edit(self) -> None:
        if self.mode != "edit":
            return
        editor = self.query_one(".approval-editor", TextArea)
        try:
            args = json.loads(editor.text)
            if not isinstance(args, dict):
                raise ValueError("the arguments must be a JSON object")
        except ValueError as exc:
            self.query_one(".approval-hint", Static).update(
                Text(f"Not valid JSON ({exc}); fix it, then Ctrl+S · Escape back", style="red")
            )
            return
        self._resolve(_reply("allow_once", edited=args))

    async def key_escape(self) -> None:
        if self.mode == "choose":
            return
        for w in self.query(".approval-reason, .approval-editor, .approval-hint"):
            await w.remove()
        self.mode = "choose"
        self.focus()
