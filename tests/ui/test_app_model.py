"""The app driving the real default model (SmolLM2 via llama.cpp) through the real Agent."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from assistant.agent.approval import Approver
from assistant.agent.loop import Agent, Limits
from assistant.agent.registry import ToolRegistry
from assistant.tools.files import write_file
from assistant.tools.undo import UndoJournal
from assistant.trust import project_rules
from assistant.ui.app import AssistantApp
from assistant.ui.commands import UIContext
from assistant.ui.history import InputHistory
from assistant.ui.widgets import ApprovalPrompt, AssistantMessage, Notice, UserMessage
from tests.ui.conftest import approval_ready, text_of

pytestmark = pytest.mark.slow
SIZE = (100, 40)


def make_agent(model, workspace: Path, tools=(), **limits) -> Agent:  # type: ignore[no-untyped-def]
    return Agent(
        model,
        ToolRegistry(list(tools)),
        workspace=workspace,
        approver=Approver("ask", project_config=workspace / ".assistant.toml"),
        limits=Limits(**{"max_steps": 1, "max_tokens": 48, "temperature": 0.0, **limits}),
        system_prompt="You are a helpful assistant.",
        undo=UndoJournal(),
    )


def make_app(agent: Agent, workspace: Path, **kw) -> AssistantApp:  # type: ignore[no-untyped-def]
    ctx = UIContext(
        model_name=agent.model.name,
        workspace=workspace,
        sandbox="host",
        context_limit=agent.model.context_length,
    )
    return AssistantApp(agent, ctx, history=InputHistory(None), **kw)


async def send(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.prompt.load_text(text)
    await pilot.press("enter")


async def until(predicate, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    end = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < end, "timed out"
        await asyncio.sleep(0.05)


async def test_prompt_streams_text_and_updates_status(local_model, tmp_path: Path) -> None:
    agent = make_agent(local_model, tmp_path)
    app = make_app(agent, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        status = app.status
        assert status.tokens_per_s is None and status.context_tokens == 0
        seen: list[str] = []
        handle = app.transcript.handle

        async def spy(event):  # type: ignore[no-untyped-def]
            seen.append(event.type)
            await handle(event)

        app.transcript.handle = spy  # type: ignore[method-assign]
        await send(pilot, "Say hello in one short sentence.")
        await app.wait_idle(120)
        await pilot.pause()
        reply = app.query(AssistantMessage).last()
        assert reply.text.strip() == agent.messages[-1].content.strip() != ""
        assert seen.count("text") > 2, "the reply streamed in pieces"
        assert seen[-2:] == ["usage", "turn_end"]
        shown = "".join(text_of(w) for w in reply.query(".body"))
        assert reply.text.split()[0] in shown, "the reply is on screen"
        assert status.context_tokens > 0 and status.tokens_per_s and status.tokens_per_s > 0
        assert status.context_limit == local_model.context_length
        assert f"{status.tokens_per_s:.1f} tok/s" in str(status.render())


async def test_required_tool_call_approval_choices(
    local_model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit + allow, then /undo; deny with a reason; always (saved in the user's config)."""
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path.parent / f"{tmp_path.name}-config.toml"))
    (tmp_path / "hello.txt").write_text("old\n")
    agent = make_agent(local_model, tmp_path, tools=[write_file], max_tokens=96)
    # as if read earlier in the conversation, so that write_file may replace it
    agent.seen_files.note((tmp_path / "hello.txt").resolve(), b"old\n")
    app = make_app(agent, tmp_path, tool_choice="required")
    async with app.run_test(size=SIZE) as pilot:
        # 1. edit the arguments, then run: the file holds what we typed
        await send(pilot, "Write hello.txt with the word new.")
        await until(lambda: approval_ready(app))
        prompt = app.query_one(ApprovalPrompt)
        assert "write_file" in text_of(prompt.query_one(".approval-title"))
        await pilot.press("e")
        await pilot.pause()
        app.query_one(".approval-editor").load_text(
            json.dumps({"path": "hello.txt", "content": "new\n"})
        )
        await pilot.press("ctrl+s")
        await app.wait_idle(120)
        await pilot.pause()
        assert (tmp_path / "hello.txt").read_text() == "new\n"
        card = list(app.transcript.cards.values())[-1]
        assert card.state == "ok" and card.query(".tool-diff")
        # /undo restores the file
        await send(pilot, "/undo")
        await pilot.pause()
        assert (tmp_path / "hello.txt").read_text() == "old\n"
        assert "Restored hello.txt" in app.query(Notice).last().text

        # 2. deny with a reason: the model sees it as the tool result
        await send(pilot, "Write notes.txt please.")
        await until(lambda: approval_ready(app))
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"not now", "enter")
        await app.wait_idle(120)
        tool_msgs = [m for m in agent.messages if m.role == "tool"]
        assert tool_msgs[-1].content == "Denied: not now"
        assert list(app.transcript.cards.values())[-1].state == "denied"

        # 3. always: the rule is saved in the user's config under this project (never in
        # the repository) and the call runs
        await send(pilot, "Write a file called a.txt.")
        await until(lambda: approval_ready(app))
        await pilot.press("s")
        await app.wait_idle(120)
        saved = project_rules(tmp_path)
        assert len(saved) == 1 and saved[0].startswith("write_file: "), saved
        assert not (tmp_path / ".assistant.toml").exists()
        assert saved[0] in agent.approver.rules


async def test_resume_reloads_a_session(local_model, tmp_path: Path) -> None:
    from assistant.agent.builder import build_agent
    from assistant.agent.session import SessionStore
    from assistant.config import Settings
    from assistant.ui.launch import _Holder, make_context

    settings = Settings()
    settings.llm.max_tokens = 24
    settings.llm.temperature = 0.0
    store = SessionStore(tmp_path / "sessions")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    holder = _Holder(build_agent(settings, workspace, model=local_model, store=store, tools=[]))
    ctx = make_context(settings, workspace.resolve(), store, holder, local_model)
    first_id = holder.built.session.id
    app = AssistantApp(holder.built.agent, ctx, history=InputHistory(None))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await send(pilot, "Remember the word pineapple.")
            await app.wait_idle(120)
            await send(pilot, "/new")
            await pilot.pause()
            assert not app.query(UserMessage), "/new clears the transcript"
            assert holder.built.session.id != first_id
            await send(pilot, "/sessions")
            await pilot.pause()
            assert first_id in app.query(Notice).last().text
            await send(pilot, f"/resume {first_id}")
            await pilot.pause()
            users = [u.text for u in app.query(UserMessage)]
            assert users == ["Remember the word pineapple."]
            assert app.agent is holder.built.agent
            assert [m.content for m in app.agent.messages if m.role == "user"] == users
            assert len(app.query(".message.assistant")) == 1
    finally:
        await holder.close()
