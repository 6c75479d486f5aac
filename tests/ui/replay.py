"""Recorded agent events for deterministic UI tests, snapshots, screenshots and benchmarks.

``ReplayAgent`` has the Agent surface the UI uses (``run``, ``cancel``, ``approver``,
``messages``, ``total_usage``, ``registry``) and replays a fixed script of real event
objects. Where the script asks for approval it calls the real ``Approver`` with a real
``ApprovalRequest`` built from the real ``write_file``/``edit_file`` tools, so the
approval widget sees exactly what the live agent would send.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.agent.approval import ApprovalRequest, Approver, rules_for
from assistant.agent.events import (
    ApprovalEvent,
    TextEvent,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
    TurnEndEvent,
    UsageEvent,
)
from assistant.agent.registry import ToolRegistry
from assistant.llm.base import Message, ToolCall, Usage
from assistant.tools import default_tools


@dataclass
class Ask:
    """A script step: ask the user about this call (emits requested/decided events)."""

    call: ToolCall
    preview: str | None = None
    why: str = "write_file can change your files or run commands"


REPLY = (
    "Here is the plan:\n\n1. Read `greet.py`\n2. Fix the greeting\n\n"
    '```python\ndef greet(name: str) -> str:\n    return f"Hello, {name}!"\n```\n'
)
DIFF = (
    "--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n def greet(name: str) -> str:\n"
    '-    return "Hi " + name\n+    return f"Hello, {name}!"\n'
)
EDIT_CALL = ToolCall(
    "edit_file",
    {
        "path": "greet.py",
        "old_text": '    return "Hi " + name',
        "new_text": '    return f"Hello, {name}!"',
    },
    id="call_edit",
)


def words(text: str) -> list[str]:
    """Split text into token-like pieces (each keeps its trailing whitespace)."""
    out: list[str] = []
    buf = ""
    for ch in text:
        buf += ch
        if ch in " \n":
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


def conversation_script() -> list[Any]:
    """A turn with streamed Markdown, a shell tool card with output, an approved edit."""
    shell = ToolCall("run_shell", {"command": "pytest -q tests/test_greet.py"}, id="call_shell")
    out: list[Any] = [TextEvent(w) for w in words(REPLY)]
    out += [
        ToolCallEvent(shell.id, shell.name, shell.arguments),
        ApprovalEvent(shell.id, shell.name, "requested", policy="ask"),
        ApprovalEvent(shell.id, shell.name, "decided", "allow_session"),
        ToolOutputEvent(shell.id, "F.\n"),
        ToolResultEvent(
            shell.id,
            shell.name,
            "F.\nFAILED tests/test_greet.py::test_hi\n1 failed, 1 passed",
            exit_code=1,
            duration_s=0.84,
        ),
        ToolCallEvent(EDIT_CALL.id, EDIT_CALL.name, EDIT_CALL.arguments),
        ApprovalEvent(EDIT_CALL.id, EDIT_CALL.name, "requested", policy="ask"),
        ApprovalEvent(EDIT_CALL.id, EDIT_CALL.name, "decided", "allow_once"),
        ToolResultEvent(
            EDIT_CALL.id,
            EDIT_CALL.name,
            "Edited greet.py (+1 -1).",
            display=DIFF,
            display_kind="diff",
            duration_s=0.01,
        ),
        UsageEvent(812, 64, 0.0, 0.0, 1930, 8192, 48.5),
    ]
    out += [TextEvent(w) for w in words("The test passes now.")]
    out += [TurnEndEvent("done", "The test passes now.", 2)]
    return out


def approval_script() -> list[Any]:
    """A turn that stops at an approval with a diff preview."""
    return [
        *[TextEvent(w) for w in words("I will fix the greeting.")],
        ToolCallEvent(EDIT_CALL.id, EDIT_CALL.name, EDIT_CALL.arguments),
        Ask(EDIT_CALL, DIFF, "edit_file can change your files or run commands"),
        ToolResultEvent(
            EDIT_CALL.id,
            EDIT_CALL.name,
            "Edited greet.py (+1 -1).",
            display=DIFF,
            display_kind="diff",
            duration_s=0.01,
        ),
        UsageEvent(500, 20, 0.0, 0.0, 900, 8192, 50.0),
        TurnEndEvent("done", "", 1),
    ]


class ReplayAgent:
    """Replays ``script`` on every ``run``; ``delay`` seconds between events."""

    def __init__(
        self, script: list[Any] | None = None, *, delay: float = 0.0, workspace: Path | None = None
    ) -> None:
        self.script = script if script is not None else conversation_script()
        self.delay = delay
        self.approver = Approver("ask")
        self.registry = ToolRegistry(default_tools())
        self.workspace = workspace or Path.cwd()
        self.messages: list[Message] = [Message.system("You are a test.")]
        self.total_usage = Usage(812, 64)
        self.replies: list[Any] = []
        self.prompts: list[tuple[str, str]] = []
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    async def run(self, text: str, *, tool_choice: str = "auto"):  # type: ignore[no-untyped-def]
        self.cancelled = False
        self.prompts.append((text, tool_choice))
        self.messages.append(Message.user(text))
        for step in self.script:
            if self.cancelled:
                yield TurnEndEvent("cancelled")
                return
            if isinstance(step, Ask):
                yield ApprovalEvent(step.call.id, step.call.name, "requested", policy="ask")
                tool = self.registry.get(step.call.name)
                subject = tool.subject(step.call.arguments)
                reply = await self.approver.ask(
                    ApprovalRequest(
                        step.call,
                        tool,
                        subject,
                        step.why,
                        step.preview,
                        remembers=rules_for(tool, subject),
                    )
                )
                self.replies.append(reply)
                yield ApprovalEvent(
                    step.call.id, step.call.name, "decided", str(reply.decision), reply.reason
                )
                if str(reply.decision) == "deny":
                    yield ToolResultEvent(
                        step.call.id,
                        step.call.name,
                        f"Denied: {reply.reason or 'The user denied this call.'}",
                        is_error=True,
                    )
                    yield TurnEndEvent("done")
                    return
                continue
            if isinstance(step, TextEvent) and self.messages[-1].role != "assistant":
                self.messages.append(Message("assistant", ""))
            if isinstance(step, TextEvent):
                self.messages[-1].content += step.delta
            yield step
            if self.delay:
                await asyncio.sleep(self.delay)
            else:
                await asyncio.sleep(0)
