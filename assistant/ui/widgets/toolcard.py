"""A tool call in the transcript: name, arguments, live output, then result, exit code, time.

Output longer than ``COLLAPSE_LINES`` is put in a ``Collapsible`` (Enter on its title or
Ctrl+O expands the latest); file edits show their unified diff coloured by rich ``Syntax``.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Collapsible, Static

from assistant.ui.diffview import APPLIED, render_diff
from assistant.ui.terminal import printable
from assistant.ui.theme import CODE_THEME

COLLAPSE_LINES = 12
LIVE_LINES = 12
MAX_ARG_CHARS = 400
MAX_OUTPUT_CHARS = 20_000

DECISIONS = {
    "allow_once": "allowed once",
    "allow_session": "allowed for this session",
    "always": "always allowed",
    "deny": "denied",
    "rule": "allowed by a rule",
    "read_only": "read-only",
    "never_ask": "never-ask",
}


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_ARG_CHARS:
        return value[:MAX_ARG_CHARS] + f"… (+{len(value) - MAX_ARG_CHARS} chars)"
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


def render_arguments(name: str, arguments: dict[str, Any]) -> Syntax | Text:
    """Shell commands as ``$ cmd``, Python code as Python, anything else as pretty JSON."""
    if set(arguments) <= {"command", "timeout", "cwd"} and isinstance(
        arguments.get("command"), str
    ):
        command = printable("$ " + arguments["command"])
        return Syntax(command, "bash", theme=CODE_THEME, word_wrap=True)
    if set(arguments) <= {"code", "timeout"} and isinstance(arguments.get("code"), str):
        return Syntax(printable(arguments["code"]), "python", theme=CODE_THEME, word_wrap=True)
    if not arguments:
        return Text("(no arguments)", style="dim")
    pretty = printable(json.dumps(_shorten(arguments), indent=2, ensure_ascii=False))
    return Syntax(pretty, "json", theme=CODE_THEME, word_wrap=True)


def _clip(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    return text[:MAX_OUTPUT_CHARS] + f"\n… ({len(text) - MAX_OUTPUT_CHARS:,} more characters)"


class ToolCard(Vertical):
    """One tool call and what became of it."""

    def __init__(
        self,
        call_id: str,
        name: str,
        arguments: dict[str, Any],
        *,
        result: str | None = None,
        is_error: bool = False,
    ) -> None:
        """``result`` builds a finished card at once (replaying a saved conversation)."""
        super().__init__(classes="toolcard running")
        self.call_id = call_id
        self.tool_name = name
        self.arguments = arguments
        self.state = "running"
        self.output = ""
        self.result_text = ""
        self.exit_code: int | None = None
        self.duration_s: float | None = None
        self._live: Static | None = None
        self._state_label = Static(Text("running…"), classes="tool-state")
        self.collapsible: Collapsible | None = None
        self._initial = (result, is_error)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tool-header"):
            name = Text("⚙ " + printable(self.tool_name), style="bold")
            yield Static(name, classes="tool-name")
            yield self._state_label
        yield Static(render_arguments(self.tool_name, self.arguments), classes="tool-args")
        result, is_error = self._initial
        if result is not None:
            yield from self._apply_result(result, is_error, None, "text", None, None)

    def _set_state(self, state: str, label: str) -> None:
        for cls in ("running", "waiting", "denied", "ok", "error", "stopped"):
            self.remove_class(cls)
        self.add_class(state)
        self.state = state
        # Text, not str: Static parses a str as markup, and a denial's reason can quote
        # the model's command ("[@click=app.quit]" would be a live link).
        self._state_label.update(Text(label))

    def awaiting_approval(self) -> None:
        self._set_state("waiting", "awaiting approval")

    def stopped(self) -> None:
        """The turn was stopped while this call ran or waited: it has no result."""
        self._set_state("stopped", "stopped")

    def decided(self, decision: str | None, reason: str | None = None) -> None:
        label = DECISIONS.get(decision or "", decision or "")
        if decision == "deny":
            self._set_state("denied", printable(f"denied{': ' + reason if reason else ''}"))
        else:
            self._set_state("running", f"{label} · running…")

    async def append_output(self, chunk: str) -> None:
        """Live output while the tool runs: the last ``LIVE_LINES`` lines."""
        self.output += chunk
        tail = printable("\n".join(self.output.rstrip("\n").splitlines()[-LIVE_LINES:]))
        if self._live is None:
            self._live = Static(Text(tail), classes="tool-live")
            await self.mount(self._live)
        else:
            self._live.update(Text(tail))

    async def set_result(
        self,
        output: str,
        *,
        is_error: bool = False,
        display: str | None = None,
        display_kind: str = "text",
        exit_code: int | None = None,
        duration_s: float | None = 0.0,
    ) -> None:
        if self._live is not None:
            await self._live.remove()
            self._live = None
        widgets = self._apply_result(output, is_error, display, display_kind, exit_code, duration_s)
        if widgets:
            await self.mount_all(widgets)

    def _apply_result(
        self,
        output: str,
        is_error: bool,
        display: str | None,
        display_kind: str,
        exit_code: int | None,
        duration_s: float | None,
    ) -> list[Static | Collapsible]:
        """Set the state label and build the result widgets (diff, output)."""
        self.result_text = output
        self.exit_code = exit_code
        self.duration_s = duration_s
        parts = [f"{duration_s:.1f}s"] if duration_s is not None else []
        if exit_code is not None:
            parts.insert(0, f"exit {exit_code}")
        if self.state == "denied":
            pass  # keep the denial label; the output is the reason the model saw
        elif is_error or (exit_code not in (None, 0)):
            self._set_state("error", "✗ " + " · ".join(parts))
        else:
            self._set_state("ok", "✓ " + " · ".join(parts))
        widgets: list[Static | Collapsible] = []
        if display and display_kind == "diff":
            widgets.append(
                self._block(
                    render_diff(display, APPLIED),
                    display.count("\n") + 1,
                    "diff",
                    "tool-diff",
                )
            )
        text = output if not (display and display_kind == "diff") or is_error else ""
        if display and display_kind != "diff":
            text = display
        if text.strip() and self.state != "denied":
            clipped = printable(_clip(text.rstrip("\n")))
            widgets.append(
                self._block(Text(clipped), clipped.count("\n") + 1, "output", "tool-output")
            )
        return widgets

    def _block(
        self, renderable: RenderableType, lines: int, what: str, cls: str
    ) -> Static | Collapsible:
        body = Static(renderable, classes=cls)
        if lines <= COLLAPSE_LINES:
            return body
        self.collapsible = Collapsible(
            body,
            title=f"{what} · {lines} lines (Ctrl+O to expand)",
            collapsed=True,
            classes="tool-collapsible",
        )
        return self.collapsible

    def toggle_output(self) -> bool:
        """Expand or collapse long output; False when there is nothing to toggle."""
        if self.collapsible is None:
            return False
        self.collapsible.collapsed = not self.collapsible.collapsed
        return True
