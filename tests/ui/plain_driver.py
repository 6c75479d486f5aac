"""Runs plain mode on the real default model for the pexpect test: python plain_driver.py WORKSPACE."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.agent.approval import Approver
from assistant.agent.loop import Agent, Limits
from assistant.agent.registry import ToolRegistry
from assistant.llm.llamacpp import LlamaCppModel
from assistant.llm.models import default_model_path
from assistant.tools.files import write_file
from assistant.tools.undo import UndoJournal
from assistant.ui.commands import UIContext
from assistant.ui.history import InputHistory
from assistant.ui.plain import run_plain

workspace = Path(sys.argv[1])
model = LlamaCppModel(default_model_path(), n_ctx=2048)
agent = Agent(
    model,
    ToolRegistry([write_file]),
    workspace=workspace,
    approver=Approver("ask", project_config=workspace / ".assistant.toml"),
    limits=Limits(max_steps=1, max_tokens=64, temperature=0.0),
    system_prompt="You are a helpful assistant.",
    undo=UndoJournal(),
)
hello = (workspace / "hello.txt").resolve()
if hello.exists():  # as if read earlier in the conversation: write_file may replace it
    agent.seen_files.note(hello, hello.read_bytes())
ctx = UIContext(model_name=model.name, workspace=workspace, sandbox="host")
sys.exit(
    run_plain(
        agent,
        ctx,
        tool_choice=sys.argv[2] if len(sys.argv) > 2 else "auto",
        history=InputHistory(workspace / "history.jsonl"),
    )
)
