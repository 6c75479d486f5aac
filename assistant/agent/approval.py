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
call's subject (the shell command, the URL, the path), e.g. ``run_shell: git status*``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from assistant.llm.base import ToolCall
from assistant.tools.base import Tool, ToolContext
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


def rule_matches(rule: str, tool_name: str, subject: str) -> bool:
    name, pattern = parse_rule(rule)
    return name == tool_name and fnmatch.fnmatchcase(subject, pattern)


def rule_for(tool: Tool, subject: str) -> str:
    """The rule that 'allow for this session' / 'always' records for a call."""
    return f"{tool.name}: {subject}" if tool.subject_arg and subject else tool.name


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

    def _matches(self, tool: Tool, subject: str) -> bool:
        return any(rule_matches(r, tool.name, subject) for r in [*self.rules, *self.session_rules])

    def _must_ask_explicitly(
        self, tool: Tool, args: dict[str, Any], ctx: ToolContext
    ) -> str | None:
        if tool.sensitive is not None:
            reason = tool.sensitive(args, ctx)
            if reason:
                return reason
        if tool.host_network:
            return f"{tool.name} reaches the network from your machine"
        if self.host_sandbox and tool.name in ("run_shell", "run_python"):
            return "commands run directly on your machine (--sandbox host)"
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
        if explicit is None and self._matches(tool, subject):
            return Outcome(True, "rule", arguments=args)
        why = explicit or f"{tool.name} can change your files or run commands"
        if self.mode == "auto" and explicit is None:
            return Outcome(
                False,
                Decision.DENY,
                f"No allow rule matches this {tool.name} call in auto mode; "
                f"add one such as '{rule_for(tool, subject)}' to [approval] allow.",
                args,
            )
        if self.ask is None:
            return Outcome(
                False,
                Decision.DENY,
                f"{tool.name} needs approval ({why}) and there is no one to ask; "
                "rerun with --approve auto and an allow rule, or --approve never-ask.",
                args,
            )
        preview = tool.preview(args, ctx) if tool.preview is not None else None
        reply = await self.ask(ApprovalRequest(call, tool, subject, why, preview))
        final_args = reply.edited_arguments if reply.edited_arguments is not None else args
        if reply.decision == Decision.DENY:
            reason = reply.reason or "The user denied this call."
            return Outcome(False, Decision.DENY, reason, final_args, asked=True)
        if reply.decision in (Decision.ALLOW_SESSION, Decision.ALWAYS) and explicit is None:
            rule = rule_for(tool, tool.subject(final_args))
            self.session_rules.append(rule)
            if reply.decision == Decision.ALWAYS:
                self.save_rule(rule)
        return Outcome(True, reply.decision, None, final_args, asked=True)

    def save_rule(self, rule: str) -> None:
        """Save an allow rule for this project in the user's config (never in the repository)."""
        self.rules.append(rule)
        if self.project is not None:
            save_project_rule(self.project, rule)
