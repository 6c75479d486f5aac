"""Slash commands, ``@path`` mentions and completion, shared by the Textual app and plain mode.

The UI holds no agent logic: each command calls a method on the ``Agent`` or a callable
in ``UIContext`` and returns a ``CommandResult`` that the front end renders (text to show,
a replacement agent, messages to replay, quit). Both front ends therefore behave the same.
"""

from __future__ import annotations

import asyncio
import difflib
import inspect
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.agent.session import repair
from assistant.llm.base import Message
from assistant.tools.base import ToolError
from assistant.tools.files import read_confined
from assistant.tools.gitsafe import MAX_DIFF_BYTES
from assistant.tools.paths import atomic_write_text
from assistant.tools.safeio import NotRegularFile, UnsafePath, read_regular
from assistant.ui.terminal import printable

APPROVAL_MODES = ("ask", "auto", "read-only", "never-ask")
MAX_ATTACH_BYTES = 200_000


@dataclass
class UIContext:
    """What the front ends need besides the ``Agent``; the CLI fills it in.

    Every callable is optional: a command whose callable is missing falls back to an
    ``Agent`` method of the same purpose, and otherwise says it is not available.
    Callables may be sync or async.
    """

    model_name: str = ""
    workspace: Path = field(default_factory=Path.cwd)
    approval_mode: str = "ask"
    sandbox: str = "docker"
    """Sandbox state shown in the status bar: ``docker``, ``docker: idle``, ``host``..."""
    sandbox_state: Callable[[], str] | None = None
    """Polled after each tool call and turn to refresh the sandbox state (overrides ``sandbox``)."""
    context_limit: int = 0
    session_store: Any = None
    """The session store (``assistant.agent.session``) for /sessions and /resume."""
    switch_model: Callable[[str], Any] | None = None
    """``/model NAME``: returns a new ``Agent`` (same conversation) or None when done in place."""
    new_session: Callable[[], Any] | None = None
    """``/new``: returns a fresh ``Agent``."""
    list_sessions: Callable[[], Any] | None = None
    """``/sessions``: returns rows (objects or dicts with id, title/first message, updated, messages)."""
    resume_session: Callable[[str | None], Any] | None = None
    """``/resume [ID]``: returns the ``Agent`` holding that session (latest when ID is None)."""
    save_session: Callable[[Path], Any] | None = None
    load_session: Callable[[Path], Any] | None = None
    """``/load PATH``: returns an ``Agent`` holding the loaded conversation."""
    instructions: Callable[[], str] | None = None
    """``/instructions``: the project instructions (AGENTS.md) in effect."""
    models: list[str] = field(default_factory=list)
    """Model names offered by completion after ``/model``."""
    history_path: Path | None = None
    """Input history file; None uses the platform user data dir."""
    theme: str | None = None
    """``dark`` or ``light`` (None: Textual's default dark theme)."""
    show_warning: Callable[[str], bool] | None = None
    """Set by the front end while it runs: shows a warning that comes between turns (the
    sandbox of a conversation /new or /resume replaced found a planted repository as it
    closed); False when the user may not keep it (the app's transcript goes with its
    screen), so that it is printed at exit too."""


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    help: str


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in [
        Command("/help", "", "show commands and keys"),
        Command("/model", "[NAME]", "show or switch the model"),
        Command("/mode", "[ask|auto|read-only|never-ask]", "show or set the approval mode"),
        Command("/new", "", "start a new conversation"),
        Command("/sessions", "", "list saved sessions"),
        Command("/resume", "[ID]", "resume a session (the latest without ID)"),
        Command("/save", "PATH", "save the conversation to a JSON file"),
        Command("/load", "PATH", "load a conversation from a JSON file"),
        Command("/undo", "", "undo the last file change the assistant made"),
        Command("/diff", "", "show the changes made in the workspace"),
        Command("/cost", "", "tokens used and cost of this session"),
        Command("/compact", "", "summarise older turns to free context"),
        Command("/tools", "", "list the tools the model can call"),
        Command("/instructions", "", "show the project instructions in effect"),
        Command("/quit", "", "leave (Ctrl+D)"),
    ]
}

KEYS_HELP = (
    "Enter send · Shift+Enter/Ctrl+J new line · Up/Down history · Tab complete "
    "`/commands` and `@paths` · Ctrl+C cancel · Ctrl+D quit · Ctrl+O expand output · "
    "Ctrl+T light/dark"
)


@dataclass
class CommandResult:
    text: str = ""
    """Markdown to show (empty: nothing)."""
    kind: Literal["info", "error", "diff"] = "info"
    quit: bool = False
    agent: Any = None
    """A replacement ``Agent`` (after /new, /resume, /load, /model)."""
    clear: bool = False
    """Clear the transcript (a new or resumed conversation)."""
    replay: list[Message] | None = None
    """Messages to show again (a resumed or loaded conversation)."""


def parse_command(line: str) -> tuple[str, str] | None:
    """``("/name", "rest")`` when ``line`` is a slash command, else None."""
    text = line.strip()
    if not text.startswith("/") or text.startswith("//"):
        return None
    name, _, rest = text.partition(" ")
    if "/" in name[1:]:  # a path such as /etc/hosts is a message, not a command
        return None
    return name.lower(), rest.strip()


async def _call(fn: Callable[..., Any], *args: Any) -> Any:
    out = fn(*args)
    if inspect.isawaitable(out):
        out = await out
    return out


def _err(text: str) -> CommandResult:
    return CommandResult(text, kind="error")


def _field(row: Any, *names: str) -> Any:
    for name in names:
        value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
        if value not in (None, ""):
            return value
    return ""


def format_usage(agent: Any) -> str:
    usage = getattr(agent, "total_usage", None)
    if usage is None:
        return "No usage recorded yet."
    return (
        f"**Tokens** in {usage.input_tokens:,} · out {usage.output_tokens:,}"
        f" · cache read {usage.cache_read_tokens:,}  \n**Cost** ${usage.cost_usd:.4f}"
    )


class CommandRunner:
    """Runs slash commands against the current agent and UI context."""

    def __init__(self, ctx: UIContext) -> None:
        self.ctx = ctx

    async def run(self, line: str, agent: Any) -> CommandResult:
        parsed = parse_command(line)
        if parsed is None:
            return _err(f"`{line.strip()}` is not a command; type /help for the list.")
        name, arg = parsed
        matches = [c for c in COMMANDS if c.startswith(name)]
        if name not in COMMANDS and len(matches) == 1:
            name = matches[0]  # unambiguous prefix: /res -> /resume
        handler = getattr(self, "cmd_" + name[1:], None)
        if name not in COMMANDS or handler is None:
            return _err(f"Unknown command `{name}`; type /help for the list.")
        try:
            return await handler(arg, agent)
        except Exception as exc:  # a command failing must not kill the UI
            return _err(f"{name} failed: {exc}")

    async def cmd_help(self, arg: str, agent: Any) -> CommandResult:
        rows = "\n".join(
            f"| `{c.name} {c.args}`".rstrip() + f" | {c.help} |" for c in COMMANDS.values()
        )
        return CommandResult(f"| command | what it does |\n|---|---|\n{rows}\n\n{KEYS_HELP}")

    async def cmd_quit(self, arg: str, agent: Any) -> CommandResult:
        return CommandResult(quit=True)

    async def cmd_model(self, arg: str, agent: Any) -> CommandResult:
        if not arg:
            known = ", ".join(f"`{m}`" for m in self.ctx.models)
            extra = f"  \nAvailable: {known}" if known else ""
            return CommandResult(f"Model: **{self.ctx.model_name}**{extra}")
        if self.ctx.switch_model is None:
            return _err("Switching models is not available here; restart with `--model NAME`.")
        new_agent = await _call(self.ctx.switch_model, arg)
        target = new_agent or agent
        model = getattr(target, "model", None)
        self.ctx.model_name = getattr(model, "name", None) or arg
        limit = getattr(model, "context_length", None)
        if limit:
            self.ctx.context_limit = int(limit)
        return CommandResult(f"Model switched to **{self.ctx.model_name}**.", agent=new_agent)

    async def cmd_mode(self, arg: str, agent: Any) -> CommandResult:
        if not arg:
            return CommandResult(
                f"Approval mode: **{self.ctx.approval_mode}** (one of {', '.join(APPROVAL_MODES)})"
            )
        if arg not in APPROVAL_MODES:
            return _err(
                f"Unknown approval mode `{arg}`; choose one of {', '.join(APPROVAL_MODES)}."
            )
        approver = getattr(agent, "approver", None)
        if approver is not None:
            approver.mode = arg
        self.ctx.approval_mode = arg
        warning = " Every tool call now runs without asking." if arg == "never-ask" else ""
        return CommandResult(f"Approval mode set to **{arg}**.{warning}")

    async def cmd_new(self, arg: str, agent: Any) -> CommandResult:
        if self.ctx.new_session is not None:
            return CommandResult(
                "New conversation.", agent=await _call(self.ctx.new_session), clear=True
            )
        if hasattr(agent, "reset"):
            await _call(agent.reset)
            return CommandResult("New conversation.", clear=True)
        return _err("/new is not available here; restart the assistant for a new conversation.")

    async def cmd_sessions(self, arg: str, agent: Any) -> CommandResult:
        store = self.ctx.session_store
        if self.ctx.list_sessions is not None:
            rows = list(await _call(self.ctx.list_sessions))
        elif store is not None:
            rows = list(store.list(self.ctx.workspace.resolve()))
        else:
            return _err("No session store is configured, so there are no sessions to list.")
        if not rows:
            return CommandResult("No saved sessions yet.")
        lines = ["| id | updated | messages | title |", "|---|---|---|---|"]
        for row in rows[:30]:
            title = str(_field(row, "title", "first_message", "summary")).replace("|", "/")[:60]
            lines.append(
                f"| `{_field(row, 'id', 'session_id')}` | {_field(row, 'updated', 'updated_at', 'created_at')}"
                f" | {_field(row, 'messages', 'n_messages')} | {title} |"
            )
        return CommandResult("\n".join(lines) + "\n\n`/resume ID` to continue one.")

    async def cmd_resume(self, arg: str, agent: Any) -> CommandResult:
        if self.ctx.resume_session is None:
            return _err("Resuming is not available here; run `assistant chat --resume` instead.")
        new_agent = await _call(self.ctx.resume_session, arg or None)
        if new_agent is None:
            return _err(
                f"No session {arg!r} found; /sessions lists them."
                if arg
                else "No session to resume."
            )
        msgs = list(getattr(new_agent, "messages", []))
        return CommandResult(
            f"Resumed session{' ' + arg if arg else ''} ({len(msgs)} messages).",
            agent=new_agent,
            clear=True,
            replay=msgs,
        )

    async def cmd_save(self, arg: str, agent: Any) -> CommandResult:
        if not arg:
            return _err("Give a file name: `/save PATH`.")
        path = self._path(arg)
        if self.ctx.save_session is not None:
            await _call(self.ctx.save_session, path)
        else:
            data = [m.to_dict() for m in getattr(agent, "messages", [])]
            atomic_write_text(path, json.dumps({"messages": data}, indent=2))
        return CommandResult(f"Saved the conversation to `{path}`.")

    async def cmd_load(self, arg: str, agent: Any) -> CommandResult:
        if not arg:
            return _err("Give a file name: `/load PATH`.")
        path = self._path(arg)
        if not path.is_file():
            return _err(f"{path} does not exist; check the path and try again.")
        if self.ctx.load_session is not None:
            new_agent = await _call(self.ctx.load_session, path)
            msgs = list(getattr(new_agent or agent, "messages", []))
            return CommandResult(f"Loaded `{path}`.", agent=new_agent, clear=True, replay=msgs)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            items = raw["messages"] if isinstance(raw, dict) else raw
            loaded = [Message.from_dict(m) for m in items]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return _err(f"{path} is not a saved conversation ({exc}); use a file written by /save.")
        system = [m for m in agent.messages[:1] if m.role == "system"]
        # A /save made while a call waited has a call without a result: give it one.
        agent.replace_conversation(repair(system + [m for m in loaded if m.role != "system"]))
        return CommandResult(f"Loaded `{path}`.", clear=True, replay=list(agent.messages))

    async def cmd_undo(self, arg: str, agent: Any) -> CommandResult:
        undo = getattr(agent, "undo", None)
        if undo is None:
            return _err("Undo is not available for this session.")
        force = arg.strip() == "force"
        try:
            if hasattr(undo, "undo_turn"):  # an UndoJournal: roll back the last turn's edits
                out = undo.undo_turn(force=force)
            else:
                out = await _call(undo)
        except Exception as exc:
            if type(exc).__name__ == "UndoConflict":
                return _err(f"{exc} Type `/undo force` to undo anyway.")
            raise
        lines = out if isinstance(out, list) else [str(out)] if out else []
        return CommandResult("  \n".join(lines) if lines else "Nothing to undo.")

    async def cmd_diff(self, arg: str, agent: Any) -> CommandResult:
        diff_fn = getattr(agent, "diff", None)
        if callable(diff_fn):
            out = await _call(diff_fn)
        else:
            journal = getattr(agent, "undo", None)
            out = (
                await asyncio.to_thread(journal_diff, journal)
                if hasattr(journal, "entries")
                else ""
            )
            if not out:
                out = await git_diff(self.ctx.workspace)
        if not out:
            return CommandResult("No changes.")
        return CommandResult(str(out), kind="diff")

    async def cmd_cost(self, arg: str, agent: Any) -> CommandResult:
        return CommandResult(format_usage(agent))

    async def cmd_compact(self, arg: str, agent: Any) -> CommandResult:
        compact = getattr(agent, "compact", None)
        if compact is None:
            return _err("Compaction is not available for this session.")
        out = await _call(compact)
        if isinstance(out, int):
            return CommandResult(f"Compacted the conversation: {out:,} tokens freed.")
        return CommandResult(str(out) if out else "Compacted the conversation.")

    async def cmd_tools(self, arg: str, agent: Any) -> CommandResult:
        registry = getattr(agent, "registry", None) or getattr(agent, "tools", None)
        if not registry:
            return CommandResult("No tools.")
        lines = ["| tool | kind | description |", "|---|---|---|"]
        for t in registry:
            kind = "read-only" if t.read_only else "asks first"
            first = t.description.splitlines()[0].split(". ")[0][:80] if t.description else ""
            lines.append(f"| `{t.name}` | {kind} | {first} |")
        # MCP servers hang off the session's sandbox holder (agent/builder.py).
        mcp = getattr(getattr(agent, "sandbox_provider", None), "mcp", None)
        for conn in getattr(mcp, "connections", {}).values():
            if conn.state != "ready":
                lines.append(f"\n{conn.status_line}")
        return CommandResult("\n".join(lines))

    async def cmd_instructions(self, arg: str, agent: Any) -> CommandResult:
        if self.ctx.instructions is not None:
            text = await _call(self.ctx.instructions)
        else:
            msgs = getattr(agent, "messages", [])
            text = msgs[0].content if msgs and msgs[0].role == "system" else ""
        return CommandResult(text or "No project instructions (add an AGENTS.md to the workspace).")

    def _path(self, arg: str) -> Path:
        path = Path(os.path.expanduser(arg.strip().strip("'\"")))
        return path if path.is_absolute() else self.ctx.workspace / path


def _current_bytes(path: Path, name: str) -> bytes | str:
    """The file's bytes now (empty when it is gone), or the line to show instead.

    Read as the file tools read (``safeio``): a sandbox command may have swapped the file
    for a symlink to a host file, a FIFO (which would block) or ``/dev/zero``.
    """
    try:
        data, size = read_regular(path, MAX_DIFF_BYTES)
    except FileNotFoundError:
        return b""
    except (NotRegularFile, IsADirectoryError):
        return f"{name} is no longer a regular file (a FIFO, socket, device or folder); not shown\n"
    except UnsafePath:
        return f"{name} changed while being read (a symlink took its place); not shown\n"
    except OSError as exc:
        return f"{name} could not be read ({exc.strerror}); not shown\n"
    if size > MAX_DIFF_BYTES:
        return f"Large file {name} differs\n"
    return data


def journal_diff(journal: Any) -> str:
    """Unified diff of every file the assistant changed (and has not undone) this session:
    the content before its first change against the content now.  Blocking: run it in a
    thread."""
    first: dict[str, Any] = {}
    for entry in journal.entries:
        first.setdefault(entry.path, entry)
    chunks: list[str] = []
    for path, entry in first.items():
        name = entry.display_path
        current = _current_bytes(Path(path), name)
        if isinstance(current, str):
            chunks.append(current)
            continue
        before_b = entry.previous_bytes()
        before = before_b.decode("utf-8", "replace") if before_b is not None else ""
        after = current.decode("utf-8", "replace")
        chunks.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{name}" if before_b is not None else "/dev/null",
                tofile=f"b/{name}",
            )
        )
    return "".join(c if c.endswith("\n") else c + "\n" for c in chunks)


async def git_diff(workspace: Path) -> str:
    """HEAD against the working tree (the fallback for /diff when the agent has no journal).

    Computed without running anything the repository configures (see ``tools.gitsafe``).
    """
    from assistant.tools.gitsafe import worktree_diff

    return await worktree_diff(workspace)


# -- @path mentions ------------------------------------------------------------------------

MENTION = re.compile(r"(?:(?<=\s)|^)@((?:[^\s\\]|\\ )+)")


def expand_mentions(text: str, workspace: Path) -> tuple[str, list[Path]]:
    """Attach the content of each ``@path`` that names a file in the workspace.

    Returns the text with the files appended as fenced blocks, and the attached paths.
    Mentions that name no file (an e-mail address, a decorator) are left alone.
    """
    root = workspace.resolve()
    attached: list[Path] = []
    blocks: list[str] = []
    for m in MENTION.finditer(text):
        rel = m.group(1).replace("\\ ", " ").rstrip(".,;:!?)")
        try:
            path = (root / rel).resolve()
            if path in attached or not path.is_file() or not path.is_relative_to(root):
                continue
            # Opened again without following links: a command may swap in a symlink or FIFO.
            got = read_confined(path, rel, MAX_ATTACH_BYTES)
        except (OSError, RuntimeError, ToolError):  # too long a name, a symlink loop, a swap
            continue  # names no file it can attach: the mention stays text
        if got is None:
            continue
        data, size = got
        if b"\0" in data[:4096]:
            continue  # binary
        body = data.decode("utf-8", "replace")
        note = "\n[truncated]" if size > MAX_ATTACH_BYTES else ""
        attached.append(path)
        blocks.append(f'<file path="{path.relative_to(root)}">\n{body}{note}\n</file>')
    if not blocks:
        return text, []
    return text + "\n\n" + "\n\n".join(blocks), attached


# -- completion ----------------------------------------------------------------------------


def complete(text_before_cursor: str, ctx: UIContext) -> tuple[str, list[str]]:
    """The token being completed and its candidates, for Tab in either front end.

    ``/mo`` at the start → command names; after ``/model `` or ``/mode `` → their values;
    ``@src/ma`` anywhere → workspace paths (directories end in ``/``).
    """
    line = text_before_cursor.rsplit("\n", 1)[-1]
    token = re.split(r"(?<!\\) ", line)[-1]  # "\ " is a space inside an @path
    stripped = text_before_cursor.lstrip()
    if stripped.startswith("/") and " " not in stripped and "\n" not in stripped:
        return stripped, [c for c in COMMANDS if c.startswith(stripped.lower())]
    parsed = parse_command(stripped) if "\n" not in stripped else None
    if parsed and parsed[0] in ("/model", "/mode") and " " not in parsed[1]:
        options = list(APPROVAL_MODES) if parsed[0] == "/mode" else ctx.models
        return parsed[1], [o for o in options if o.startswith(parsed[1])]
    if parsed and parsed[0] in ("/load", "/save") and " " not in parsed[1]:
        return parsed[1], complete_path(parsed[1], ctx.workspace)
    if token.startswith("@"):
        prefix = token[1:].replace("\\ ", " ")
        return token, ["@" + quote_path(p) for p in complete_path(prefix, ctx.workspace)]
    return token, []


def complete_path(prefix: str, workspace: Path, limit: int = 50) -> list[str]:
    directory, _, stem = prefix.rpartition("/")
    base = workspace / directory if directory else workspace
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError:
        return []
    out: list[str] = []
    for entry in entries:
        if (
            not entry.name.startswith(stem)
            or (entry.name.startswith(".") and not stem.startswith("."))
            or printable(entry.name) != entry.name  # control characters: not for a prompt
        ):
            continue
        name = f"{directory}/{entry.name}" if directory else entry.name
        out.append(name + "/" if entry.is_dir() else name)
        if len(out) >= limit:
            break
    return out


def common_prefix(options: list[str]) -> str:
    """The longest string every option starts with (character-wise, not path-wise)."""
    if not options:
        return ""
    first, last = min(options), max(options)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def quote_path(path: str) -> str:
    return path.replace(" ", "\\ ") if " " in path else path


__all__ = [
    "COMMANDS",
    "CommandResult",
    "CommandRunner",
    "UIContext",
    "common_prefix",
    "complete",
    "expand_mentions",
    "parse_command",
]
