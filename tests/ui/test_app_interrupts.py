"""Keys typed ahead of an approval, Ctrl+C during a tool and with messages queued, and the
status bar after a command replaces the conversation."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from assistant.agent.approval import Approver
from assistant.agent.loop import Agent, Limits
from assistant.agent.registry import ToolRegistry
from assistant.distill.scripted import Answer, Call, ScriptedModel
from assistant.tools.base import ToolContext, ToolResult, tool
from assistant.tools.undo import UndoJournal
from assistant.ui.widgets import ApprovalPrompt, Notice, ToolCard
from assistant.ui.widgets import approval as approval_widget
from tests.ui.conftest import make_app, text_of, wait_for
from tests.ui.replay import ReplayAgent, approval_script, conversation_script

SIZE = (100, 40)


async def send(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    app.prompt.load_text(text)
    await pilot.press("enter")


async def test_letters_typed_while_the_reply_streams_stay_in_the_message_box() -> None:
    """The "s" of "also" must not answer "always": the message box keeps every letter, the
    prompt says how to reach it, and Escape then a key answers it."""
    agent = ReplayAgent(approval_script(), delay=0.05)
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await send(app, pilot, "fix it")
        for ch in "also add a test please":
            await pilot.press("space" if ch == " " else ch)
            await pilot.pause(0.05)
        await wait_for(lambda: app.pending_approval is not None)
        await pilot.pause(0.6)
        prompt = app.query_one(ApprovalPrompt)
        assert agent.replies == []
        assert app.prompt.text == "also add a test please"
        assert app.focused is app.prompt
        assert prompt.query_one(".approval-away").display
        assert "press Esc to answer" in text_of(prompt.query_one(".approval-away"))
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is prompt
        assert not prompt.query_one(".approval-away").display
        await pilot.press("y")
        await app.wait_idle(5)
        assert [str(r.decision) for r in agent.replies] == ["allow_once"]
        assert app.prompt.text == "also add a test please"


async def test_an_unsent_draft_keeps_the_focus_when_an_approval_appears() -> None:
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        app.prompt.set_text("draft")
        await app.submit("fix it")
        await wait_for(lambda: app.pending_approval is not None)
        await wait_for(lambda: app.pending_approval is not None and app.pending_approval.ready)
        assert app.focused is app.prompt
        await pilot.press("s")
        await pilot.pause()
        assert agent.replies == [] and app.prompt.text == "drafts"
        await pilot.press("ctrl+c")
        await app.wait_idle(5)


async def test_a_key_typed_for_the_message_box_in_the_grace_period_goes_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The prompt takes the focus (the box is empty), but a letter pressed as it appears,
    while the user was typing, was meant for a new message; after the grace period a key
    answers at once. (The grace period is set long, then ended, so that a loaded machine
    cannot pass it between two presses.)"""
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(approval_widget, "GRACE_S", 60.0)
        await pilot.press(*"fix it", "enter")
        await wait_for(lambda: app.pending_approval is not None)
        prompt = app.query_one(ApprovalPrompt)
        assert app.focused is prompt and not prompt.ready
        await pilot.press("s", "u")
        await pilot.pause()
        assert agent.replies == []
        assert app.prompt.text == "su"
        assert app.focused is app.prompt
        app.prompt.clear()
        monkeypatch.setattr(approval_widget, "GRACE_S", 0.0)
        await pilot.press("escape", "a")
        await app.wait_idle(5)
        assert [str(r.decision) for r in agent.replies] == ["allow_session"]


async def test_a_key_pressed_too_soon_without_typing_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A y pressed a moment before the grace period ended was no message: it moved the
    focus to the box and sat there as the start of the next message (found by review)."""
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(approval_widget, "GRACE_S", 60.0)
        await send(app, pilot, "fix it")
        await wait_for(lambda: app.pending_approval is not None)
        prompt = app.query_one(ApprovalPrompt)
        await pilot.press("y", "up")
        await pilot.pause()
        assert agent.replies == [] and app.prompt.text == ""
        assert app.focused is prompt
        monkeypatch.setattr(approval_widget, "GRACE_S", 0.0)
        await pilot.press("y")
        await app.wait_idle(5)
        assert [str(r.decision) for r in agent.replies] == ["allow_once"]


@tool()
async def stubborn(ctx: ToolContext, seconds: float) -> ToolResult:
    """Sleeps, and goes on sleeping when cancelled.

    Args:
        seconds: how long.
    """
    nap = asyncio.ensure_future(asyncio.sleep(seconds))
    while not nap.done():
        try:
            await asyncio.shield(nap)
        except asyncio.CancelledError:
            continue
    return ToolResult("slept")


def scripted_agent(workspace: Path, solution) -> Agent:  # type: ignore[no-untyped-def]
    return Agent(
        ScriptedModel(solution, "t"),
        ToolRegistry([stubborn]),
        workspace=workspace,
        approver=Approver("never-ask"),
        limits=Limits(max_steps=5),
        undo=UndoJournal(),
    )


async def test_a_second_ctrl_c_during_a_tool_leaves_every_call_with_a_result(
    tmp_path: Path,
) -> None:
    def solution():  # type: ignore[no-untyped-def]
        yield Call("stubborn", {"seconds": 1.5})
        yield Answer("after")

    agent = scripted_agent(tmp_path, solution)
    app = make_app(agent, workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(app, pilot, "sleep")
        await wait_for(lambda: app.status.busy.startswith("running stubborn"))
        await pilot.press("ctrl+c")
        await pilot.pause(0.1)
        await pilot.press("ctrl+c")
        await app.wait_idle(5)
        await pilot.pause()
        calls = [c.id for m in agent.messages if m.role == "assistant" for c in m.tool_calls]
        results = [m.tool_call_id for m in agent.messages if m.role == "tool"]
        assert calls and results == calls
        assert [c.state for c in app.query(ToolCard)] == ["stopped"]
        notices = [n.text for n in app.query(Notice)]
        assert any(n.startswith("Stopped without waiting") for n in notices)
        await pilot.pause(1.6)  # the stubborn tool finishes on its own


async def test_ctrl_c_puts_queued_messages_back_in_the_box_unsent() -> None:
    agent = ReplayAgent(conversation_script(), delay=0.1)
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await send(app, pilot, "first")
        await pilot.pause(0.3)
        await send(app, pilot, "now delete the build folder")
        await pilot.pause(0.1)
        assert app.queue == ["now delete the build folder"]
        await pilot.press("ctrl+c")
        await app.wait_idle(5)
        await pilot.pause(0.3)
        assert [p for p, _ in agent.prompts] == ["first"]
        assert app.queue == [] and not app.busy
        assert app.prompt.text == "now delete the build folder"
        notices = [n.text for n in app.query(Notice)]
        assert "Not sent: the queued message is back in the message box." in notices


async def test_the_status_bar_counts_the_new_conversation_after_new(tmp_path: Path) -> None:
    def solution():  # type: ignore[no-untyped-def]
        yield Answer("word " * 400)

    agent = scripted_agent(tmp_path, solution)
    fresh = scripted_agent(tmp_path, solution)
    app = make_app(agent, workspace=tmp_path, new_session=lambda: fresh)
    async with app.run_test(size=SIZE) as pilot:
        await send(app, pilot, "talk " * 200)
        await app.wait_idle(5)
        await pilot.pause()
        before = app.status.context_tokens
        expected = fresh.model.count_tokens(fresh.messages, fresh.registry.specs())
        assert before > expected
        await send(app, pilot, "/new")
        await wait_for(lambda: app.status.context_tokens != before)
        assert app.status.context_tokens == expected
