"""The shipped tuned default (the real local GGUF) given a tool served by an MCP server.

The issue asks whether a tuned model calls an MCP tool it was never trained on. Measured
on this machine (greedy, the agent's system prompt, the fixture server's ``add_note`` as
the only tool): it called ``notes__add_note`` with the right text for 3 of 3 save
requests ("Save a note that says: call the plumber at 5.", "Add a note: buy milk",
"Use the notes tool to save the note 'buy milk'."), and also for "List my saved notes."
(wrongly: there was nothing else to call). With all 18 tools of a session (built-ins
plus the seven notes tools) it picked the right tool for 1 of 3 save requests, so the
test offers one tool, as an eval case would. One step only: the call and its result.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.agent.approval import ApprovalReply, ApprovalRequest, Approver, Decision
from assistant.agent.events import ToolCallEvent, ToolResultEvent
from assistant.agent.loop import Agent, Limits
from assistant.agent.prompts import inference_context
from assistant.agent.registry import ToolRegistry
from assistant.config import McpServerSettings
from assistant.llm import tuned
from assistant.tools.base import ToolContext
from assistant.tools.mcp import McpManager
from tests.mcp.conftest import NOTES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(tuned.shipped() is None, reason="this build bundles no tuned adapter"),
]


@pytest.fixture(scope="module")
def tuned_model():  # type: ignore[no-untyped-def]
    from assistant.llm.models import load_model

    return load_model("default", n_ctx=4096)


async def test_the_tuned_default_calls_an_mcp_tool(tuned_model, ws: Path) -> None:
    prompt, note = "Save a note that says: call the plumber at 5.", "call the plumber at 5"
    manager = McpManager({"notes": McpServerSettings(command=[sys.executable, str(NOTES)])}, ws)
    asked: list[str] = []

    async def ask(request: ApprovalRequest) -> ApprovalReply:
        asked.append(request.tool.name)
        return ApprovalReply(Decision.ALLOW_ONCE)

    try:
        tools = {t.name: t for t in await manager.start()}
        offered = [tools["notes__add_note"]]
        system, _ = inference_context(ws, offered, "host")
        agent = Agent(
            tuned_model,
            ToolRegistry(offered),
            workspace=ws,
            system_prompt=system,
            approver=Approver("ask", ask=ask),
            limits=Limits(max_steps=1, max_tokens=120, temperature=0.0),
        )
        events = [e async for e in agent.run(prompt)]
        saved = await tools["notes__list_notes"].run({}, ToolContext(workspace=ws))
    finally:
        await manager.close()
    calls = [e for e in events if isinstance(e, ToolCallEvent)]
    assert calls, f"no tool call; the model answered {events[-1].final_text!r}"
    assert calls[0].name == "notes__add_note"
    assert calls[0].arguments == {"text": note}
    assert asked[0] == "notes__add_note"  # through the approval path, like any tool
    first = next(e for e in events if isinstance(e, ToolResultEvent))
    assert first.output == f"saved note 1: {note}" and not first.is_error
    assert saved.output.splitlines()[0] == note  # the MCP server really has it
