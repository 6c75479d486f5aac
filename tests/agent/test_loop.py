"""The ReAct loop, driven by a scripted Claude (the official SDK against a local server that
speaks the Messages API: the only stand-in is the cloud itself) and by the real local model."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.agent.approval import ApprovalReply, ApprovalRequest, Approver, Decision
from assistant.agent.events import (
    ApprovalEvent,
    ErrorEvent,
    TextEvent,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
    TurnEndEvent,
    UsageEvent,
)
from assistant.agent.loop import REPEAT_NOTE, TIME_UP_RESULT, Agent, Limits
from assistant.agent.registry import ToolRegistry
from assistant.llm.anthropic import AnthropicModel
from assistant.llm.base import Message
from assistant.tools.base import ToolContext, tool
from assistant.tools.files import FILE_TOOLS
from tests.fakes.anthropic_server import AnthropicFake, anthropic_fake, text, tool_use


@tool(read_only=True)
def read_note(ctx: ToolContext, name: str) -> str:
    """Read a note from the workspace.

    Args:
        name: File name of the note.
    """
    return (ctx.workspace / name).read_text()


@tool(subject_arg="name")
def write_note(ctx: ToolContext, name: str, text: str) -> str:
    """Write a note.

    Args:
        name: File name.
        text: Content.
    """
    (ctx.workspace / name).write_text(text)
    return f"wrote {len(text)} characters to {name}"


@tool(read_only=True)
async def slow_count(ctx: ToolContext, n: int) -> str:
    """Count slowly, streaming each number.

    Args:
        n: How far.
    """
    for i in range(n):
        assert ctx.on_output is not None
        ctx.on_output(f"{i}\n")
        await asyncio.sleep(0.05)
    return f"counted to {n}"


TOOLS = [read_note, write_note, slow_count]


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


def claude(fake: AnthropicFake) -> AnthropicModel:
    return AnthropicModel(
        "claude-haiku-4-5", api_key="test-key", base_url=fake.base_url, max_retries=0
    )


def agent_for(fake: AnthropicFake, ws: Path, **kw) -> Agent:
    return Agent(claude(fake), ToolRegistry(TOOLS), workspace=ws, **kw)


async def collect(agent: Agent, prompt: str, **kw) -> list:
    return [e async for e in agent.run(prompt, **kw)]


def tool_results(fake: AnthropicFake, index: int) -> list[dict]:
    """The tool_result blocks the model received in request ``index``."""
    last = fake.message_requests[index].body["messages"][-1]
    return [b for b in last["content"] if b.get("type") == "tool_result"]


async def test_tool_call_result_and_final_answer(fake: AnthropicFake, tmp_path: Path) -> None:
    (tmp_path / "todo.txt").write_text("buy milk")
    fake.script(tool_use("read_note", {"name": "todo.txt"}), text("You need to buy milk."))
    agent = agent_for(fake, tmp_path)
    events = await collect(agent, "What is on my todo list?")
    kinds = [e.type for e in events]
    assert kinds.index("tool_call") < kinds.index("tool_result") < kinds.index("turn_end")
    result = next(e for e in events if isinstance(e, ToolResultEvent))
    assert result.output == "buy milk" and not result.is_error
    assert events[-1] == TurnEndEvent("done", "You need to buy milk.", 2)
    assert "buy milk" in str(tool_results(fake, 1)[0]["content"])
    assert any(isinstance(e, UsageEvent) and e.cost_usd > 0 for e in events)
    assert [m.role for m in agent.messages] == ["system", "user", "assistant", "tool", "assistant"]


async def test_a_reply_cut_off_by_the_token_limit_ends_the_turn_as_such(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(text("The three functions are add, sub", stop_reason="max_tokens"))
    events = await collect(agent_for(fake, tmp_path), "Which functions are there?")
    assert events[-1] == TurnEndEvent("max_tokens", "The three functions are add, sub", 1)


def _with_an_older_turn(agent: Agent) -> None:
    agent.messages = [
        agent.messages[0] if agent.messages else Message.system("You help."),
        Message.user("Read todo.txt."),
        Message("assistant", "It says: buy milk. " * 40),
        Message.user("And now?"),
    ]


async def test_a_compaction_summary_counts_as_spent(fake: AnthropicFake, tmp_path: Path) -> None:
    fake.script(text("The user read todo.txt: buy milk."))
    agent = agent_for(fake, tmp_path)
    _with_an_older_turn(agent)
    await agent.compact()
    assert len(fake.message_requests) == 1
    assert agent.messages[1].content.endswith("The user read todo.txt: buy milk.")
    assert agent.total_usage.output_tokens > 0 and agent.total_usage.cost_usd > 0


async def test_cancel_stops_a_compaction_summary(fake: AnthropicFake, tmp_path: Path) -> None:
    fake.script(text("word " * 200, chunk_delay=0.5))
    agent = agent_for(fake, tmp_path)
    agent.cancel()  # a turn cancelled earlier does not cancel a later /compact ...
    _with_an_older_turn(agent)
    task = asyncio.create_task(agent.compact())
    await asyncio.sleep(0.3)
    assert not task.done(), "the summary is being written"
    started = time.monotonic()
    agent.cancel()  # ... but cancelling it now does
    await asyncio.wait_for(task, 5)
    assert time.monotonic() - started < 2
    summary = agent.messages[1].content
    assert "buy milk" in summary and "word word" not in summary, "the excerpt, not half a summary"


async def test_unknown_tool_goes_back_as_an_error_and_the_loop_continues(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(tool_use("delete_everything", {}), text("Sorry, I will not."))
    events = await collect(agent_for(fake, tmp_path), "clean up")
    result = next(e for e in events if isinstance(e, ToolResultEvent))
    assert result.is_error and "Unknown tool 'delete_everything'" in result.output
    assert "read_note" in result.output
    assert events[-1].reason == "done"
    assert "Unknown tool" in str(tool_results(fake, 1)[0]["content"])


async def test_invalid_arguments_let_the_model_correct_itself(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("A")
    fake.script(
        tool_use("read_note", {"file": "a.txt"}),
        tool_use("read_note", {"name": "a.txt"}),
        text("A"),
    )
    events = await collect(agent_for(fake, tmp_path), "read a")
    results = [e for e in events if isinstance(e, ToolResultEvent)]
    assert results[0].is_error and "'name' is a required property" in results[0].output
    assert results[1].output == "A"
    assert events[-1].reason == "done"


async def test_consecutive_format_errors_end_the_turn(fake: AnthropicFake, tmp_path: Path) -> None:
    fake.script(*[tool_use("nope", {}) for _ in range(5)])
    agent = agent_for(fake, tmp_path, limits=Limits(max_format_errors=3))
    events = await collect(agent, "x")
    assert events[-1].reason == "format_errors"
    assert len(fake.message_requests) == 3


async def test_step_limit(fake: AnthropicFake, tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    (tmp_path / "b").write_text("b")
    fake.script(*[tool_use("read_note", {"name": "ab"[i % 2]}) for i in range(10)])
    events = await collect(agent_for(fake, tmp_path, limits=Limits(max_steps=3)), "loop")
    assert events[-1].reason == "max_steps" and len(fake.message_requests) == 3


async def test_the_same_call_with_the_same_result_is_flagged_then_ends_the_turn(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    (tmp_path / "a").write_text("a")
    fake.script(
        tool_use("read_note", {"name": "a"}),
        tool_use("write_note", {"name": "a", "text": "b"}),
        *[tool_use("read_note", {"name": "a"}) for _ in range(3)],
    )
    agent = agent_for(fake, tmp_path, approver=Approver("never-ask"))
    events = await collect(agent, "loop")
    outputs = [e.output for e in events if isinstance(e, ToolResultEvent)]
    # the write changes what reading gives, so the count starts again after it
    assert outputs[:3] == ["a", "wrote 1 characters to a", "b"]
    assert outputs[3:] == ["b" + REPEAT_NOTE] * 2
    assert events[-1] == TurnEndEvent("repeating", steps=5)
    assert "same call with the same result 3 times" in next(
        e.message for e in events if isinstance(e, ErrorEvent)
    )
    assert str(tool_results(fake, 4)[0]["content"]).endswith(REPEAT_NOTE)

    fake.script(*[tool_use("read_note", {"name": "a"}) for _ in range(4)], text("b"))
    agent = agent_for(fake, tmp_path, limits=Limits(max_repeats=None))
    assert (await collect(agent, "loop"))[-1] == TurnEndEvent("done", "b", 5)


async def test_cost_limit(fake: AnthropicFake, tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    fake.script(*[tool_use("read_note", {"name": "a"}, input_tokens=200_000) for _ in range(5)])
    agent = agent_for(fake, tmp_path, limits=Limits(max_cost_usd=0.5, max_repeats=None))
    events = await collect(agent, "expensive")
    assert events[-1].reason == "max_cost"
    assert agent.total_usage.cost_usd >= 0.5
    assert len(fake.message_requests) < 5


async def test_the_time_limit_stops_a_generation_still_running(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(text("word " * 200, chunk_delay=1.0))  # nine events, a second apart
    agent = agent_for(fake, tmp_path, limits=Limits(max_wall_s=0.5))
    started = time.monotonic()
    events = await collect(agent, "talk")
    assert time.monotonic() - started < 5
    assert events[-1].reason == "max_time"
    assert agent.messages[-1].role == "assistant"


async def test_the_time_limit_stops_a_tool_still_running(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(tool_use("slow_count", {"n": 1000}, more=[("read_note", {"name": "a"})]))
    agent = agent_for(fake, tmp_path, limits=Limits(max_wall_s=0.5))
    started = time.monotonic()
    events = await collect(agent, "count forever")
    assert time.monotonic() - started < 5
    assert events[-1].reason == "max_time"
    results = [m for m in agent.messages if m.role == "tool"]
    assert [m.tool_call_id for m in results] == [c.id for c in agent.messages[2].tool_calls]
    assert all(m.content == TIME_UP_RESULT for m in results)
    assert len(fake.message_requests) == 1


async def test_the_time_limit_leaves_the_next_turn_alone(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    # The second turn streams for about 2.1 s from about 2.5 s: past the first turn's
    # deadline (4 s) however slow the machine, with about 1.9 s to spare inside its own.
    fake.script(text("quick"), text("again", chunk_delay=0.3))
    agent = agent_for(fake, tmp_path, limits=Limits(max_wall_s=4.0))
    assert (await collect(agent, "one"))[-1].reason == "done"
    await asyncio.sleep(2.5)
    assert (await collect(agent, "two"))[-1] == TurnEndEvent("done", "again", 1)


async def test_write_file_waits_for_a_read_within_the_conversation(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("host = localhost\nport = 8000\n")
    fake.script(
        tool_use("write_file", {"path": "settings.ini", "content": "port = 9090\n"}),
        tool_use("read_file", {"path": "settings.ini"}),
        tool_use(
            "write_file", {"path": "settings.ini", "content": "host = localhost\nport = 9090\n"}
        ),
        text("Done."),
        tool_use("write_file", {"path": "settings.ini", "content": "port = 1\n"}),
        text("Refused."),
    )
    agent = Agent(
        claude(fake),
        ToolRegistry(FILE_TOOLS),
        workspace=tmp_path,
        approver=Approver("never-ask"),
    )
    results = [
        e for e in await collect(agent, "Set the port to 9090.") if isinstance(e, ToolResultEvent)
    ]
    assert results[0].is_error and "has not been read" in results[0].output
    assert "has not been read" in str(tool_results(fake, 1)[0]["content"])
    assert not results[2].is_error
    assert (tmp_path / "settings.ini").read_text() == "host = localhost\nport = 9090\n"
    agent.reset()  # a new conversation has read nothing
    results = [e for e in await collect(agent, "Set it to 1.") if isinstance(e, ToolResultEvent)]
    assert results[0].is_error and "has not been read" in results[0].output
    assert (tmp_path / "settings.ini").read_text() == "host = localhost\nport = 9090\n"


async def test_denial_reason_reaches_the_model(fake: AnthropicFake, tmp_path: Path) -> None:
    asked: list[ApprovalRequest] = []

    async def ask(req: ApprovalRequest) -> ApprovalReply:
        asked.append(req)
        return ApprovalReply(Decision.DENY, reason="use notes/ instead")

    fake.script(tool_use("write_note", {"name": "x.txt", "text": "hi"}), text("ok"))
    agent = agent_for(fake, tmp_path, approver=Approver("ask", ask=ask))
    events = await collect(agent, "write")
    approvals = [e for e in events if isinstance(e, ApprovalEvent)]
    assert [a.phase for a in approvals] == ["requested", "decided"]
    assert approvals[1].decision == "deny"
    assert asked[0].subject == "x.txt"
    assert not (tmp_path / "x.txt").exists()
    assert "use notes/ instead" in str(tool_results(fake, 1)[0]["content"])


async def test_tool_output_streams_live(fake: AnthropicFake, tmp_path: Path) -> None:
    fake.script(tool_use("slow_count", {"n": 4}), text("done"))
    events = await collect(agent_for(fake, tmp_path), "count")
    chunks = [e.chunk for e in events if isinstance(e, ToolOutputEvent)]
    assert chunks == ["0\n", "1\n", "2\n", "3\n"]
    kinds = [e.type for e in events]
    assert kinds.index("tool_output") < kinds.index("tool_result")


async def test_cancel_during_a_tool_leaves_history_consistent(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(tool_use("slow_count", {"n": 1000}, more=[("read_note", {"name": "a"})]))
    agent = agent_for(fake, tmp_path)
    events = []
    async for event in agent.run("count forever"):
        events.append(event)
        if isinstance(event, ToolOutputEvent) and event.chunk == "3\n":
            agent.cancel()
    assert events[-1].reason == "cancelled"
    tool_msgs = [m for m in agent.messages if m.role == "tool"]
    calls = agent.messages[2].tool_calls
    assert [m.tool_call_id for m in tool_msgs] == [c.id for c in calls]
    assert all("Cancelled" in m.content for m in tool_msgs)


async def test_a_turn_cancelled_from_outside_leaves_its_call_answered_and_logged(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    """The app's second Ctrl+C cancels the turn's task itself: the call was left without a
    result (every later request to an OpenAI model refused) and the log without it."""
    from assistant.agent.session import SessionStore, read_records

    fake.script(tool_use("slow_count", {"n": 1000}))
    log = SessionStore(tmp_path / "sessions").create(tmp_path, "claude")
    agent = agent_for(fake, tmp_path, session=log)
    started = asyncio.Event()

    async def turn() -> None:
        async for event in agent.run("count forever"):
            if isinstance(event, ToolOutputEvent):
                started.set()

    task = asyncio.create_task(turn())
    await asyncio.wait_for(started.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    call = agent.messages[-2].tool_calls[0]
    assert agent.messages[-1].role == "tool" and agent.messages[-1].tool_call_id == call.id
    assert "Cancelled" in agent.messages[-1].content
    assert agent._tool_task is None
    await agent.aclose()  # waits for the cancelled tool before any sandbox closes
    assert agent._abandoned_tool is None
    log.close()
    logged = [
        r["message"]
        for r in read_records(log.path)
        if r.get("kind") == "message" and r["message"]["role"] == "tool"
    ]
    assert [m["tool_call_id"] for m in logged] == [call.id]


async def test_cancel_during_generation(fake: AnthropicFake, tmp_path: Path) -> None:
    fake.script(text("word " * 200, chunk_delay=0.01))
    agent = agent_for(fake, tmp_path)
    events = []
    async for event in agent.run("talk"):
        events.append(event)
        if isinstance(event, TextEvent) and len(events) == 3:
            agent.cancel()
    assert events[-1].reason == "cancelled"
    assert agent.messages[-1].role == "assistant"


@pytest.mark.slow
async def test_full_loop_with_the_real_local_model(local_model, tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("greetings from the workspace\n")
    agent = Agent(
        local_model,
        ToolRegistry([read_note]),
        workspace=tmp_path,
        limits=Limits(max_steps=2, max_tokens=48),
    )
    events = await collect(agent, "Read the note hello.txt", tool_choice="required")
    call = next(e for e in events if isinstance(e, ToolCallEvent))
    assert call.name == "read_note" and isinstance(call.arguments.get("name"), str)
    result = next(e for e in events if isinstance(e, ToolResultEvent))
    assert result.name == "read_note"
    assert isinstance(events[-1], TurnEndEvent)
    roles = [m.role for m in agent.messages]
    assert roles[:4] == ["system", "user", "assistant", "tool"]


@pytest.mark.slow
async def test_a_call_the_real_local_model_cannot_finish_is_not_run(
    local_model, tmp_path: Path
) -> None:
    (tmp_path / "hello.txt").write_text("greetings from the workspace\n")
    agent = Agent(
        local_model,
        ToolRegistry([read_note]),
        workspace=tmp_path,
        limits=Limits(max_steps=2, max_tokens=6, temperature=0.0),
    )
    events = await collect(agent, "Read the note hello.txt", tool_choice="required")
    assert not [e for e in events if isinstance(e, (ToolCallEvent, ToolResultEvent))]
    assert (events[-1].reason, events[-1].steps) == ("max_tokens", 1)
    assert events[-1].final_text.startswith("<tool_call>")


@pytest.mark.slow
async def test_the_time_limit_stops_the_real_local_model_mid_reply(
    local_model, tmp_path: Path
) -> None:
    agent = Agent(
        local_model,
        ToolRegistry([]),
        workspace=tmp_path,
        limits=Limits(max_wall_s=1.0, max_tokens=3000, temperature=0.8),
    )
    started = time.monotonic()
    events = await collect(agent, "Write a very long story about a lighthouse keeper.")
    took = time.monotonic() - started
    assert events[-1].reason == "max_time"
    assert took < 15, f"the turn took {took:.1f} s against a 1 s limit"
    assert local_model.last_stats.output_tokens < 3000
