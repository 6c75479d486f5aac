"""Plain mode: a line-based REPL (prompt-toolkit) for terminals where a full-screen app is unwelcome.

Same slash commands as the app (``assistant.ui.commands``), the same history file,
approvals as a one-key prompt (y/a/s/n/e, and d to print a change's whole diff; what
was typed while the reply printed is kept for the next message, never taken as the answer),
assistant text streamed as it arrives through a rich ``Console``. When stdin is not a terminal (a pipe, CI) lines are read from stdin
directly, so ``printf 'hi\\n/quit\\n' | assistant chat --plain`` works.

Entry points::

    run_plain(agent, ctx=None, *, tool_choice="auto", history=None) -> int   # blocks
    await run_plain_async(agent, ctx, ...) -> int
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

from assistant.ui.commands import CommandRunner, UIContext, complete, expand_mentions, parse_command
from assistant.ui.diffview import APPLIED, ASKING, IN_WORKSPACE, diff_syntax, render_diff
from assistant.ui.history import InputHistory, default_history_path
from assistant.ui.terminal import printable, printable_prose, terminal_json
from assistant.ui.widgets.approval import key_hints, remembered
from assistant.ui.widgets.toolcard import DECISIONS, render_arguments

OUTPUT_LINES = 20


class LineReader(Protocol):
    async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
        """One line; raises EOFError at end of input, KeyboardInterrupt on Ctrl+C."""
        ...


_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?")


def typed_text(raw: str) -> str:
    """What keystrokes read raw from a terminal spell: Backspace applied, Enter a new line,
    escape sequences (arrow keys) and other control characters left out."""
    out: list[str] = []
    for ch in _ESCAPE_SEQUENCE.sub("", raw.replace("\r", "\n")):
        if ch in "\x7f\b":
            if out and out[-1] != "\n":
                out.pop()
        elif ch == "\n" or ch.isprintable():
            out.append(ch)
    return "".join(out).strip("\n")


def take_pending_input(fd: int) -> str:
    """Read and remove what the terminal ``fd`` holds unread (typed while a reply printed),
    whole lines and the line still being typed alike."""
    import termios

    cooked = termios.tcgetattr(fd)
    raw = list(cooked)
    raw[3] &= ~termios.ICANON  # lflag: no line editing, so that a partial line is readable
    raw[6] = list(cooked[6])
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 0, 0
    chunks: list[bytes] = []
    try:
        termios.tcsetattr(fd, termios.TCSANOW, raw)
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, cooked)
    return b"".join(chunks).decode("utf-8", errors="replace")


class StdinReader:
    """Reads lines from a non-interactive stdin."""

    def __init__(self, console: Console) -> None:
        self.console = console

    async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
        self.console.print(prompt, end="", markup=False, highlight=False)
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            raise EOFError
        return line.rstrip("\n") or default


class PromptToolkitReader:
    """Reads lines with prompt-toolkit: history, Tab completion, Escape+Enter for a new line."""

    def __init__(self, history: InputHistory, ctx: UIContext) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import Completer, Completion
        from prompt_toolkit.history import History
        from prompt_toolkit.key_binding import KeyBindings

        class _History(History):
            def load_history_strings(self) -> Iterable[str]:
                return list(reversed(history.entries))

            def store_string(self, string: str) -> None:
                history.add(string)

        class _Completer(Completer):
            def get_completions(self, document: Any, complete_event: Any) -> Iterable[Completion]:
                token, candidates = complete(document.text_before_cursor, ctx)
                for c in candidates:
                    yield Completion(c, start_position=-len(token))

        keys = KeyBindings()

        @keys.add("escape", "enter")
        @keys.add("c-j")
        def _newline(event: Any) -> None:
            event.current_buffer.insert_text("\n")

        self.main = PromptSession(
            history=_History(),
            completer=_Completer(),
            key_bindings=keys,
            complete_while_typing=False,
        )
        self.other = PromptSession()

    async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
        session = self.main if main else self.other
        return await session.prompt_async(prompt, default=default)

    def take_typed_ahead(self) -> str:
        """What was typed since the last prompt ended (while a reply printed), removed from
        the input so that no question asked now takes it as its answer."""
        from prompt_toolkit.input.typeahead import get_typeahead

        keys = "".join(k.data for k in get_typeahead(self.main.input))
        keys += "".join(k.data for k in get_typeahead(self.other.input))
        with contextlib.suppress(OSError, ValueError):  # stdin is no terminal after all
            keys += take_pending_input(sys.stdin.fileno())
        return typed_text(keys)


class PlainUI:
    def __init__(
        self,
        agent: Any,
        ctx: UIContext,
        *,
        console: Console | None = None,
        reader: LineReader | None = None,
        history: InputHistory | None = None,
        tool_choice: str = "auto",
    ) -> None:
        self.ctx = ctx
        self.console = console or Console(highlight=False)
        history = history or InputHistory(ctx.history_path or default_history_path())
        if reader is None:
            reader = (
                PromptToolkitReader(history, ctx)
                if sys.stdin.isatty()
                else StdinReader(self.console)
            )
        self.reader = reader
        self.tool_choice = tool_choice
        self.commands = CommandRunner(ctx)
        self.agent: Any = None
        self._attach(agent)
        self._at_line_start = True
        self._usage: Any = None
        self._printing: set[asyncio.Future[None]] = set()
        self._at_prompt = False
        self._held_warnings: list[str] = []
        self._draft = ""
        """Typed while a reply printed and kept from an approval question: the next message
        starts with it."""

    def _attach(self, agent: Any) -> None:
        self.agent = agent
        approver = getattr(agent, "approver", None)
        if approver is not None:
            approver.ask = self.ask_approval
            self.ctx.approval_mode = approver.mode

    # -- the loop --------------------------------------------------------------------

    async def loop(self, notices: Sequence[str] = ()) -> int:
        model = self.ctx.model_name or getattr(getattr(self.agent, "model", None), "name", "")
        self.console.print(
            Text.assemble(
                ("assistant", "bold"),
                f" · {model} · mode {self.ctx.approval_mode} · sandbox "
                f"{self.ctx.sandbox_state() if self.ctx.sandbox_state else self.ctx.sandbox}"
                " · /help for commands, Ctrl+D to quit",
                style="dim",
            )
        )
        for notice in notices:  # an MCP server's stderr may be in one
            self.console.print(Text(printable(notice), style="yellow"))
        self.ctx.show_warning = self.show_warning
        try:
            return await self._read_loop()
        finally:
            self.ctx.show_warning = None  # what comes now is printed at exit
            self._print_held_warnings()

    async def _read_loop(self) -> int:
        while True:
            self._print_held_warnings()
            self._at_prompt = True
            try:
                draft, self._draft = self._draft, ""
                line = await self.reader.read("› ", default=draft, main=True)
            except EOFError:
                return 0
            except KeyboardInterrupt:
                continue
            finally:
                self._at_prompt = False
            if not line.strip():
                continue
            if parse_command(line) is not None:
                if await self.command(line):
                    return 0
                continue
            await self.turn(line)

    async def command(self, line: str) -> bool:
        """Run a slash command; True when the user asked to quit."""
        result = await self.commands.run(line, self.agent)
        if result.quit:
            return True
        if result.agent is not None:
            self._attach(result.agent)
        if result.replay:
            for msg in result.replay:
                if msg.role in ("user", "assistant") and msg.content.strip():
                    self.console.print(Text(f"{msg.role}: ", style="bold"), end="")
                    self.console.print(printable_prose(msg.content), markup=False, highlight=False)
        if result.text:
            text = printable(result.text)  # may quote a session title, a tool's output
            if result.kind == "diff":
                self.console.print(render_diff(result.text, IN_WORKSPACE))
            elif result.kind == "error":
                self.console.print(Text(text, style="red"))
            else:
                self.console.print(Markdown(text, hyperlinks=False))
        return False

    async def turn(self, text: str, tool_choice: str | None = None) -> None:
        message, attached = expand_mentions(text, self.ctx.workspace)
        if attached:
            names = printable(", ".join(p.name for p in attached))
            self.console.print(Text("📎 " + names, style="dim"))
        loop = asyncio.get_running_loop()
        handler_set = False
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, self._on_interrupt)
            handler_set = True
        self._usage = None
        try:
            async for event in self.agent.run(message, tool_choice=tool_choice or self.tool_choice):
                self.render(event)
        except Exception as exc:
            self._newline()
            self.console.print(Text(printable(f"Error: {exc}"), style="red"))
        finally:
            if handler_set:
                loop.remove_signal_handler(signal.SIGINT)
        self._newline()
        if self._usage is not None:
            u = self._usage
            tps = f" · {u.tokens_per_s:.1f} tok/s" if u.tokens_per_s else ""
            limit = f"/{u.context_limit:,}" if u.context_limit else ""
            self.console.print(
                Text(f"ctx {u.context_tokens:,}{limit}{tps} · ${u.total_cost_usd:.4f}", style="dim")
            )

    def show_warning(self, text: str) -> bool:
        """A warning that comes between turns (see ``UIContext.show_warning``): printed above
        the prompt that waits for a line, or, while a turn is printing, before the next
        prompt."""
        if not self._at_prompt:
            self._held_warnings.append(text)
            return True
        from prompt_toolkit.application import run_in_terminal

        printing = asyncio.ensure_future(run_in_terminal(lambda: self._print_warning(text)))
        self._printing.add(printing)  # a reference until it ran

        def printed(done: asyncio.Future[None]) -> None:
            self._printing.discard(done)
            if done.cancelled() or done.exception() is not None:
                self._print_warning(text)  # the prompt was gone: print it as it is

        printing.add_done_callback(printed)
        return True

    def _print_warning(self, text: str) -> None:
        self._newline()
        self.console.print(Text(printable(text), style="yellow"))

    def _print_held_warnings(self) -> None:
        while self._held_warnings:
            self._print_warning(self._held_warnings.pop(0))

    def _on_interrupt(self) -> None:
        self.agent.cancel()
        self._newline()
        self.console.print(Text("cancelling…", style="yellow"))

    # -- rendering -------------------------------------------------------------------

    def _write(self, text: str) -> None:
        """Raw text from the model or a tool, with its control characters made visible."""
        self.console.file.write(printable_prose(text))
        self.console.file.flush()
        if text:
            self._at_line_start = text.endswith("\n")

    def _newline(self) -> None:
        if not self._at_line_start:
            self._write("\n")

    def render(self, event: Any) -> None:
        kind = getattr(event, "type", "")
        if kind == "text":
            self._write(event.delta)
        elif kind == "tool_call":
            self._newline()
            self.console.print(Text("⚙ " + printable(event.name), style="bold cyan"))
            self.console.print(render_arguments(event.name, event.arguments))
        elif kind == "approval" and event.phase == "decided":
            label = DECISIONS.get(event.decision or "", event.decision or "")
            style = "red" if event.decision == "deny" else "green"
            reason = (
                f": {printable(event.reason)}" if event.reason and event.decision == "deny" else ""
            )
            self.console.print(Text(f"  {label}{reason}", style=style))
        elif kind == "tool_output":
            self._write(event.chunk)
        elif kind == "tool_result":
            self._render_result(event)
        elif kind == "usage":
            self._usage = event
        elif kind == "turn_end" and event.reason != "done":
            self._newline()
            self.console.print(Text(f"stopped: {event.reason.replace('_', ' ')}", style="yellow"))
        elif kind == "error":
            self._newline()
            self.console.print(Text(printable(event.message), style="red"))

    def _render_result(self, event: Any) -> None:
        self._newline()
        parts = [f"{event.duration_s:.1f}s"]
        if event.exit_code is not None:
            parts.insert(0, f"exit {event.exit_code}")
        bad = event.is_error or event.exit_code not in (None, 0)
        self.console.print(
            Text(("✗ " if bad else "✓ ") + " · ".join(parts), style="red" if bad else "green")
        )
        if event.display and event.display_kind == "diff":
            diff = event.display.rstrip("\n")
            self.console.print(render_diff(diff, APPLIED))
            return
        text = printable(event.display or event.output).rstrip("\n")
        lines = text.splitlines()
        if len(lines) > OUTPUT_LINES:
            text = "\n".join(lines[:OUTPUT_LINES]) + f"\n… ({len(lines) - OUTPUT_LINES} more lines)"
        if text:
            self.console.print(Text(text, style="dim"))

    # -- approval --------------------------------------------------------------------

    async def ask_approval(self, request: Any) -> Any:
        from assistant.agent.approval import ApprovalReply, Decision

        self._newline()
        body = (
            render_diff(request.preview.rstrip("\n"), ASKING)
            if request.preview
            else render_arguments(request.call.name, request.call.arguments)
        )
        self.console.print(
            Panel(
                body,
                title=Text(printable(f"Allow {request.call.name}? {request.why}")),
                title_align="left",
                border_style="yellow",
            )
        )
        self.console.print(Text(remembered(request), style="italic"))
        self._keep_typed_ahead()
        choices = {"y": Decision.ALLOW_ONCE, "a": Decision.ALLOW_SESSION, "s": Decision.ALWAYS}
        hints = key_hints(request)
        answers = answer_words(hints)
        question = hints + " › "
        while True:
            try:
                typed = await self.reader.read(question)
            except (KeyboardInterrupt, EOFError):
                self.agent.cancel()
                return ApprovalReply(Decision.DENY, "The user cancelled.")
            answer = answers.get(" ".join(typed.lower().split()))
            if answer in choices:
                return ApprovalReply(choices[answer])
            if answer == "n":
                try:
                    reason = (
                        await self.reader.read("Reason the model will see (Enter for none) › ")
                    ).strip()
                except (KeyboardInterrupt, EOFError):
                    reason = ""
                return ApprovalReply(Decision.DENY, reason or None)
            if answer == "e":
                current = terminal_json(request.call.arguments)
                try:
                    edited = await self.reader.read("Arguments (JSON) › ", default=current)
                    args = json.loads(edited)
                except (KeyboardInterrupt, EOFError):
                    continue
                except ValueError as exc:
                    self.console.print(Text(f"Not valid JSON ({exc}); try again.", style="red"))
                    continue
                if not isinstance(args, dict):
                    self.console.print(Text("The arguments must be a JSON object.", style="red"))
                    continue
                return ApprovalReply(Decision.ALLOW_ONCE, edited_arguments=args)
            if answer == "d":
                # Whole and wrapped, so that no line is cut; the question is asked again.
                self.console.print(diff_syntax(request.preview.rstrip("\n")))
                continue
            more = ", e or d" if request.preview else " or e"
            self.console.print(Text(f"Answer y, a, s, n{more}.", style="yellow"))

    def _keep_typed_ahead(self) -> None:
        """Text typed while the reply printed was meant as the next message: it must not
        answer the question (an "s" and Enter would save an "always" rule), so it waits
        for the next prompt."""
        take = getattr(self.reader, "take_typed_ahead", None)
        typed = take() if take is not None else ""
        if typed:
            self._draft = "\n".join(filter(None, [self._draft, typed]))
            self.console.print(
                Text(
                    "What you typed while the reply printed is kept for your next message, "
                    "not taken as the answer: " + printable(typed),
                    style="yellow",
                )
            )


def answer_words(hints: str) -> dict[str, str]:
    """Each answer ``hints`` offers ("[n] deny"), by its letter and by its words, to its
    letter: "deny" denies, but "dog" is no answer (a first letter would make it one)."""
    answers: dict[str, str] = {}
    for letter, words in re.findall(r"\[(\w)\] ([^\[]+)", hints):
        answers[letter] = answers[words.strip()] = letter
    for word, letter in (("yes", "y"), ("no", "n")):  # what a yes/no question takes
        if letter in answers:
            answers[word] = letter
    return answers


async def run_plain_async(
    agent: Any,
    ctx: UIContext | None = None,
    *,
    tool_choice: str = "auto",
    history: InputHistory | None = None,
    console: Console | None = None,
    reader: LineReader | None = None,
    notices: Sequence[str] = (),
) -> int:
    ui = PlainUI(
        agent,
        ctx or UIContext(),
        console=console,
        reader=reader,
        history=history,
        tool_choice=tool_choice,
    )
    return await ui.loop(notices)


def run_plain(
    agent: Any,
    ctx: UIContext | None = None,
    *,
    tool_choice: str = "auto",
    history: InputHistory | None = None,
) -> int:
    """Run the plain REPL until EOF or /quit (blocks); returns the exit code."""
    return asyncio.run(run_plain_async(agent, ctx, tool_choice=tool_choice, history=history))
