"""Approval policies: who decides whether a tool call may run.

Modes:
- ``ask`` (default): read-only tools run; mutating tools run when an allow rule
  matches (rules saved by "always" included), otherwise the user is asked.
- ``auto``: for unattended use: calls matching an allow rule run, the rest are
  denied without interrupting anyone (explicit-approval calls are still asked).
- ``read-only``: mutating tools are refused.
- ``never-ask``: everything runs (explicit opt-in; the CLI prints a warning).

Whatever the mode, a call flagged sensitive (writes to ``.git/hooks``, ``.envrc``...),
a host-network tool (``fetch_url``) and any command on the host sandbox are asked
explicitly: no allow rule bypasses them. ``never-ask`` is the one exception, because
the user chose it knowingly.

Allow rules read ``tool`` or ``tool: pattern`` where the pattern is an fnmatch glob on the
call's subject (the URL, the path), e.g. ``fetch_url: https://docs.python.org/*``. For
shell commands the pattern matches each *simple command* (``run_shell: git status*``):
a command runs by rule only when it parses (:mod:`assistant.tools.shellparse`) and every
simple command in it matches a rule; substitutions, newlines and the like never match.
A bare ``run_shell`` rule allows every command. Saved rules escape glob characters, so
they allow exactly what was approved.
"""

from __future__ import annotations

import asyncio
import fnmatch
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from assistant.llm.base import ToolCall
from assistant.tools.base import Tool, ToolContext, ToolError
from assistant.tools.paths import relative_to_workspace, resolve_in_workspace
from assistant.tools.shellparse import ParsedCommand, glob_escape, parse_command
from assistant.trust import save_project_rule

MODES = ("ask", "auto", "read-only", "never-ask")


class Decision(StrEnum):
    ALLOW_ONCE = "allow_once"
    ALLOW_SESSION = "allow_session"
    ALWAYS = "always"
    DENY = "deny"


@dataclass
class ApprovalRequest:
    call: ToolCall
    tool: Tool
    subject: str
    why: str
    """Why the user is asked (shown in the prompt)."""
    preview: str | None = None
    """A diff of the proposed change, when the tool can compute one."""
    parsed: ParsedCommand | None = None
    """For shell commands: the simple commands it runs, or why it could not be parsed."""
    remembers: list[str] = field(default_factory=list)
    """The rules 'allow for this session' and 'always' would record (none: they allow
    this call only)."""


@dataclass
class ApprovalReply:
    decision: Decision
    reason: str | None = None
    """With ``deny``: a reason the model sees."""
    edited_arguments: dict[str, Any] | None = None
    """The user edited the call before allowing it."""


@dataclass
class Outcome:
    allowed: bool
    decision: str
    """allow_once, allow_session, always, deny, or ``auto``/``read_only`` when no one was asked."""
    reason: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    asked: bool = False


AskFn = Callable[[ApprovalRequest], Awaitable[ApprovalReply]]


def parse_rule(rule: str) -> tuple[str, str]:
    name, sep, pattern = rule.partition(":")
    return name.strip(), (pattern.strip() if sep else "*")


SHELL_TOOLS = frozenset({"run_shell"})
CODE_TOOLS = frozenset({"run_python"})
"""Tools whose every call is new code: approving one run approves nothing else."""


def rule_matches(rule: str, tool_name: str, subject: str) -> bool:
    """One rule against one subject (for shell tools: one simple command)."""
    name, pattern = parse_rule(rule)
    return name == tool_name and fnmatch.fnmatchcase(subject, pattern)


def rules_allow(rules: list[str], tool_name: str, subject: str) -> bool:
    """Whether ``rules`` allow this call; shell commands are checked command by command."""
    mine = [r for r in rules if parse_rule(r)[0] == tool_name]
    if tool_name not in SHELL_TOOLS:
        return any(rule_matches(r, tool_name, subject) for r in mine)
    if any(parse_rule(r)[1] == "*" for r in mine):
        return True  # the user allowed every command
    parsed = parse_command(subject)
    if not parsed.ok:
        return False
    return all(
        any(rule_matches(r, tool_name, canon) or rule_matches(r, tool_name, raw) for r in mine)
        for canon, raw in zip(parsed.commands, parsed.sources, strict=True)
    )


def rules_for(tool: Tool, subject: str) -> list[str]:
    """The rules that 'allow for this session' / 'always' record for a call (maybe none).

    Glob characters are escaped so a rule allows exactly what was approved; a shell
    command gives one rule per simple command, and none when it cannot be parsed; code
    to run gives none.
    """
    if tool.name in CODE_TOOLS:
        return []
    if not tool.subject_arg:
        return [tool.name]
    if not subject:  # the bare tool name would allow every later call of it
        return []
    if tool.name in SHELL_TOOLS:
        parsed = parse_command(subject)
        return [f"{tool.name}: {glob_escape(c)}" for c in parsed.commands] if parsed.ok else []
    return [f"{tool.name}: {glob_escape(subject)}"]


class Approver:
    def __init__(
        self,
        mode: str = "ask",
        ask: AskFn | None = None,
        rules: list[str] | None = None,
        project: Path | None = None,
        host_sandbox: bool = False,
        project_config: Path | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"Unknown approval mode {mode!r}; choose one of {', '.join(MODES)}.")
        self.mode = mode
        self.ask = ask
        self.rules = list(rules or [])
        self.session_rules: list[str] = []
        self.project = project or (project_config.parent if project_config else None)
        """The workspace whose "always" rules are saved in the user's config."""
        self.host_sandbox = host_sandbox

    @staticmethod
    def _real_subject(tool: Tool, subject: str, ctx: ToolContext) -> str | None:
        """For a path tool: where the path leads through symlinks, workspace-relative (None
        when it leads nowhere the tool may write); other tools: the subject itself."""
        if tool.subject_arg != "path" or not subject:
            return subject
        try:
            return relative_to_workspace(
                ctx.workspace, resolve_in_workspace(ctx.workspace, subject)
            )
        except ToolError:
            return None

    def _matches(self, tool: Tool, subject: str, ctx: ToolContext) -> bool:
        # The write goes where the path resolves: 'docs/up/Makefile' with docs/up -> ..
        # must not pass for a rule 'docs/*', nor a rule for notes.txt once it is a link.
        rules = [*self.rules, *self.session_rules]
        real = self._real_subject(tool, subject, ctx)
        return (
            real is not None
            and rules_allow(rules, tool.name, subject)
            and rules_allow(rules, tool.name, real)
        )

    def _rules_to_remember(self, tool: Tool, subject: str, ctx: ToolContext) -> list[str]:
        """``rules_for`` the subject, and for a path that is a link, for where it leads
        too: both must match for the rule to allow the next call."""
        rules = rules_for(tool, subject)
        real = self._real_subject(tool, subject, ctx)
        if real is not None and real != subject:
            rules += [r for r in rules_for(tool, real) if r not in rules]
        return rules

    def _must_ask_explicitly(
        self, tool: Tool, args: dict[str, Any], ctx: ToolContext
    ) -> str | None:
        if tool.sensitive is not None:
            reason = tool.sensitive(args, ctx)
            if reason:
                return reason
        if tool.host_network:
            return f"{tool.name} reaches the network from your machine"
        if self.host_sandbox and tool.runs_in_sandbox:
            return f"{tool.name} runs code directly on your machine (--sandbox host)"
        return None

    async def check(self, call: ToolCall, tool: Tool, ctx: ToolContext) -> Outcome:
        args = call.arguments
        if self.mode == "never-ask":
            return Outcome(True, "never_ask", arguments=args)
        explicit = self._must_ask_explicitly(tool, args, ctx)
        if tool.read_only and explicit is None:
            return Outcome(True, "read_only", arguments=args)
        if self.mode == "read-only" and not tool.read_only:
            return Outcome(
                False,
                Decision.DENY,
                f"{tool.name} changes things and the approval mode is read-only.",
                args,
            )
        subject = tool.subject(args)
        if explicit is None and self._matches(tool, subject, ctx):
            return Outcome(True, "rule", arguments=args)
        why = explicit or f"{tool.name} can change your files or run commands"
        if self.mode == "auto" and explicit is None:
            suggested = self._rules_to_remember(tool, subject, ctx)
            if tool.name in CODE_TOOLS:
                fix = f"add '{tool.name}' to [approval] allow, which allows any code it is given"
            elif suggested:
                fix = f"add {', '.join(repr(r) for r in suggested)} to [approval] allow"
            else:
                fix = "split it into simple commands without substitutions or redirections"
            return Outcome(
                False,
                Decision.DENY,
                f"No allow rule matches this {tool.name} call in auto mode; {fix}.",
                args,
            )
        if self.ask is None:
            fix = (
                "no allow rule can give it; approve it in `assistant chat`, or rerun with "
                "--approve never-ask"
                if explicit
                else "rerun with --approve auto and an allow rule, or --approve never-ask"
            )
            return Outcome(
                False,
                Decision.DENY,
                f"{tool.name} needs approval ({why}) and there is no one to ask; {fix}.",
                args,
            )
        preview = await self._preview(tool, args, ctx)
        if ctx.cancel.cancelled:  # Ctrl-C while the preview was made: ask nothing
            return Outcome(False, Decision.DENY, "The user cancelled.", args)
        parsed = parse_command(subject) if tool.name in SHELL_TOOLS else None
        remembers = self._rules_to_remember(tool, subject, ctx) if explicit is None else []
        reply = await self.ask(
            ApprovalRequest(call, tool, subject, why, preview, parsed, remembers)
        )
        final_args = reply.edited_arguments if reply.edited_arguments is not None else args
        if reply.decision == Decision.DENY:
            reason = reply.reason or "The user denied this call."
            return Outcome(False, Decision.DENY, reason, final_args, asked=True)
        if reply.decision in (Decision.ALLOW_SESSION, Decision.ALWAYS) and explicit is None:
            for rule in self._rules_to_remember(tool, tool.subject(final_args), ctx):
                self.session_rules.append(rule)
                if reply.decision == Decision.ALWAYS:
                    self.save_rule(rule)
        return Outcome(True, reply.decision, None, final_args, asked=True)

    @staticmethod
    async def _preview(tool: Tool, args: dict[str, Any], ctx: ToolContext) -> str | None:
        """The tool's preview, computed in a worker thread: reading a large file and
        diffing it would freeze the UI. A cancelled task returns at once; the thread's
        (bounded) work ends on its own and its result is dropped. A Ctrl-C meanwhile (the
        turn's token) makes ``check`` deny the call instead of asking."""
        if tool.preview is None:
            return None
        return await asyncio.to_thread(tool.preview, args, ctx)

    def save_rule(self, rule: str) -> None:
        """Save an allow rule for this project in the user's config (never in the repository)."""
        self.rules.append(rule)
        if self.project is not None:
            save_project_rule(self.project, rule)
