"""The loop in a tight context window: a tool output too long for it is cut and the turn goes
on, a system prompt too long for it is named, a compaction forgets only the reads it took
from the model, and undo's turn numbers survive a resume of a compacted session. Driven by
a scripted Claude (the official SDK against a local Messages API server) and by the real
local model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.agent.approval import Approver
from assistant.agent.context import CUT_MARKER
from assistant.agent.events import ErrorEvent, ToolResultEvent, TurnEndEvent
from assistant.agent.loop import Agent, Limits
from assistant.agent.prompts import build_system_prompt
from assistant.agent.registry import ToolRegistry
from assistant.agent.session import SessionStore
from assistant.llm.anthropic import AnthropicModel
from assistant.llm.llamacpp import LlamaCppModel
from assistant.tools.base import ToolContext, tool
from assistant.tools.files import FILE_TOOLS
from assistant.tools.undo import UndoJournal
from tests.fakes.anthropic_server import AnthropicFake, anthropic_fake, text, tool_use


@tool(read_only=True)
def run_build(ctx: ToolContext) -> str:
    """Run the build and return its log."""
    return "".join(f"{i}\n" for i in range(1, 30001))  # as long as `seq 1 30000`


@pytest.fixture(scope="module")
def small_local_model(default_model_path: Path, local_model) -> LlamaCppModel:
    """The default GGUF with a 1024-token window (prompts that overflow it are quick)."""
    return LlamaCppModel(default_model_path, n_ctx=1024, n_threads=local_model.n_threads)


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


def claude(fake: AnthropicFake, context_length: int | None = None) -> AnthropicModel:
    return AnthropicModel(
        "claude-haiku-4-5",
        api_key="test-key",
        base_url=fake.base_url,
        max_retries=0,
        context_length=context_length,
    )


def file_agent(model, ws: Path, **kw) -> Agent:
    return Agent(
        model, ToolRegistry(FILE_TOOLS), workspace=ws, approver=Approver("never-ask"), **kw
    )


def sent_result(fake: AnthropicFake, request: int) -> str:
    """The text of the last tool result the model received in request ``request``."""
    content = fake.message_requests[request].body["messages"][-1]["content"][-1]["content"]
    return content if isinstance(content, str) else content[0]["text"]


async def results_of(agent: Agent, prompt: str) -> list[ToolResultEvent]:
    return [e async for e in agent.run(prompt) if isinstance(e, ToolResultEvent)]


def lines(prefix: str, n: int) -> str:
    return "".join(f"{prefix} {i}\n" for i in range(n))


async def test_a_tool_output_too_long_for_the_context_is_cut_and_the_turn_goes_on(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(tool_use("run_build", {}), text("The build printed 1 to 30000."))
    model = claude(fake, context_length=8192)
    agent = Agent(model, ToolRegistry([run_build]), workspace=tmp_path)
    events = [e async for e in agent.run("Run the build.")]
    assert not [e for e in events if isinstance(e, ErrorEvent)]
    assert events[-1] == TurnEndEvent("done", "The build printed 1 to 30000.", 2)
    sent = sent_result(fake, 1)
    assert sent.startswith("1\n2\n") and sent.endswith("29999\n30000\n")
    assert CUT_MARKER in sent and "narrow the command" in sent
    asked = agent.messages[:-1]  # what the model was given for its answer
    assert agent.budget.count(asked, agent.registry.specs()) <= agent.budget.limit


async def test_a_compaction_forgets_only_the_reads_whose_results_it_shrank(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    (tmp_path / "old.txt").write_text(lines("old line", 400))
    (tmp_path / "a.txt").write_text(lines("a line", 40))
    fake.script(
        tool_use("read_file", {"path": "old.txt"}),
        text("Seen it."),
        tool_use("read_file", {"path": "a.txt"}),
        tool_use("write_file", {"path": "a.txt", "content": "new\n"}),
        tool_use("write_file", {"path": "old.txt", "content": "new\n"}),
        text("Done."),
    )
    model = claude(fake)
    agent = file_agent(model, tmp_path, limits=Limits(max_tokens=100))
    await results_of(agent, "Look at old.txt.")
    # A window that reading a.txt overflows until old.txt's output in the first turn shrinks.
    model.context_length = agent.budget.count(agent.messages, agent.registry.specs()) + 220
    read, write_a, write_old = await results_of(agent, "Rewrite a.txt as 'new'.")
    assert "removed to save context" in agent.messages[3].content, "compacted"
    assert not read.is_error and not write_a.is_error, write_a.output
    assert (tmp_path / "a.txt").read_text() == "new\n"
    assert write_old.is_error and "Only part of old.txt has been read" in write_old.output
    assert (tmp_path / "old.txt").read_text() == lines("old line", 400)


async def test_a_read_cut_to_fit_the_context_does_not_count_as_read_whole(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    (tmp_path / "big.txt").write_text(lines("big line", 1000))
    fake.script(
        tool_use("read_file", {"path": "big.txt"}),
        tool_use("write_file", {"path": "big.txt", "content": "new\n"}),
        text("Stopped."),
    )
    agent = file_agent(claude(fake, context_length=3000), tmp_path)
    read, write = await results_of(agent, "Replace big.txt with 'new'.")
    assert not read.is_error and CUT_MARKER in sent_result(fake, 1)
    assert write.is_error and "Only part of big.txt has been read" in write.output
    assert (tmp_path / "big.txt").read_text() == lines("big line", 1000)


async def test_a_summarised_read_no_longer_counts(fake: AnthropicFake, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a\n")
    fake.script(
        tool_use("read_file", {"path": "a.txt"}),
        text("Seen it."),
        text("You are welcome."),
        text("The user had a.txt read."),  # the summary /compact asks for
        tool_use("write_file", {"path": "a.txt", "content": "new\n"}),
        text("Refused."),
    )
    agent = file_agent(claude(fake), tmp_path)
    await results_of(agent, "Look at a.txt.")
    await results_of(agent, "Thanks.")
    await agent.compact()
    assert "a line" not in str(agent.messages), "the read was summarised away"
    (write,) = await results_of(agent, "Rewrite a.txt as 'new'.")
    assert write.is_error and "has not been read" in write.output


async def test_undo_after_resuming_a_compacted_session_touches_only_the_new_turn(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    store = SessionStore(tmp_path / "sessions")
    log = store.create(ws, "claude")
    journal = log.path.with_suffix(".undo.jsonl")
    for i in range(1, 5):
        fake.script(tool_use("write_file", {"path": f"f{i}.txt", "content": f"v{i}\n"}), text("ok"))
    fake.script(text("The user had f1.txt to f4.txt written."))  # the summary
    agent = file_agent(claude(fake), ws, system_prompt="You help.", session=log)
    agent.undo = UndoJournal(journal)
    for i in range(1, 5):
        await results_of(agent, f"Write f{i}.txt.")
    await agent.compact()
    log.close()

    resumed_log, history = store.open(log.id)
    assert sum(m.role == "user" for m in history) < 4, "the compaction dropped user turns"
    fake.script(tool_use("write_file", {"path": "new.txt", "content": "n\n"}), text("ok"))
    resumed = file_agent(
        claude(fake), ws, session=resumed_log, undo=UndoJournal(journal), messages=history
    )
    await results_of(resumed, "Write new.txt.")
    assert resumed.undo.undo_turn() == ["Deleted new.txt (it did not exist before turn 5)."]
    assert sorted(p.name for p in ws.iterdir()) == ["f1.txt", "f2.txt", "f3.txt", "f4.txt"]
    resumed_log.close()


async def test_a_new_conversation_keeps_counting_turns_for_undo(
    fake: AnthropicFake, tmp_path: Path
) -> None:
    fake.script(
        tool_use("write_file", {"path": "first.txt", "content": "1\n"}),
        text("ok"),
        tool_use("write_file", {"path": "second.txt", "content": "2\n"}),
        text("ok"),
    )
    agent = file_agent(claude(fake), tmp_path, undo=UndoJournal())
    await results_of(agent, "Write first.txt.")
    agent.reset()
    await results_of(agent, "Write second.txt.")
    agent.undo.undo_turn()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.txt"]


@pytest.mark.slow
async def test_the_real_local_model_goes_on_after_a_tool_output_longer_than_its_context(
    small_local_model: LlamaCppModel, tmp_path: Path
) -> None:
    agent = Agent(
        small_local_model,
        ToolRegistry([run_build]),
        workspace=tmp_path,
        limits=Limits(max_steps=2, max_tokens=24),
    )
    events = [e async for e in agent.run("Run the build.", tool_choice="required")]
    assert [e.name for e in events if isinstance(e, ToolResultEvent)] == ["run_build"]
    assert not [e.message for e in events if isinstance(e, ErrorEvent)]
    assert events[-1].reason in ("done", "max_tokens", "max_steps")
    assert events[-1].steps == 2, "the model answered after the cut output"
    shown = agent.messages[3].content
    assert CUT_MARKER in shown and shown.endswith("30000\n")


@pytest.mark.slow
async def test_project_instructions_too_long_for_the_real_local_model_are_named(
    small_local_model: LlamaCppModel, tmp_path: Path
) -> None:
    (tmp_path / "AGENTS.md").write_text("Always write a test for every change you make.\n" * 400)
    agent = Agent(
        small_local_model,
        ToolRegistry(FILE_TOOLS),
        workspace=tmp_path,
        system_prompt=build_system_prompt(tmp_path),
    )
    events = [e async for e in agent.run("hi")]
    (error,) = [e.message for e in events if isinstance(e, ErrorEvent)]
    assert "shorten AGENTS.md" in error and "raise n_ctx" in error
    assert "conversation" not in error
    assert events[-1] == TurnEndEvent("error", steps=1)
