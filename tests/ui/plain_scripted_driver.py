"""Runs plain mode on a scripted model that takes two seconds to write a write_file call,
for the pexpect test of keys typed while a reply is on its way: python plain_scripted_driver.py WORKSPACE."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.agent.approval import Approver
from assistant.agent.loop import Agent, Limits
from assistant.agent.registry import ToolRegistry
from assistant.distill.scripted import Answer, Call, ScriptedModel
from assistant.tools.files import write_file
from assistant.tools.undo import UndoJournal
from assistant.ui.commands import UIContext
from assistant.ui.history import InputHistory
from assistant.ui.plain import run_plain


class SlowModel(ScriptedModel):
    async def stream(self, messages, tools=None, *, cancel=None, **kw):  # type: ignore[no-untyped-def]
        done = self.reply(messages)
        await asyncio.sleep(2)
        yield done


def solution() -> Any:
    yield Call("write_file", {"path": "a.txt", "content": "x"})
    yield Answer("done")


workspace = Path(sys.argv[1])
agent = Agent(
    SlowModel(solution, "scripted"),
    ToolRegistry([write_file]),
    workspace=workspace,
    approver=Approver("ask", project_config=workspace / ".assistant.toml"),
    limits=Limits(max_steps=3),
    undo=UndoJournal(),
)
ctx = UIContext(model_name="scripted", workspace=workspace, sandbox="host")
sys.exit(run_plain(agent, ctx, history=InputHistory(workspace / "history.jsonl")))
