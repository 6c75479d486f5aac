"""Snapshot tests (pytest-textual-snapshot) fed recorded events, so every run draws the same screen.

Update after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/ui/__snapshots__``.
"""

from __future__ import annotations

import asyncio

from assistant.agent.events import (
    ApprovalEvent,
    ToolCallEvent,
    ToolOutputEvent,
    ToolResultEvent,
)
from tests.ui.conftest import make_app
from tests.ui.replay import DIFF, EDIT_CALL, ReplayAgent, approval_script

SIZE = (100, 36)


async def _send(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.prompt.load_text(text)
    await pilot.press("enter")


def test_main_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _send(pilot, "The greeting test fails, fix it")
        await pilot.app.wait_idle(10)
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_tool_card_running_and_collapsed(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        t = pilot.app.transcript
        await t.handle(ToolCallEvent("c1", "run_shell", {"command": "seq 1 40"}))
        await t.handle(ApprovalEvent("c1", "run_shell", "requested"))
        await t.handle(ApprovalEvent("c1", "run_shell", "decided", "allow_once"))
        await t.handle(
            ToolResultEvent(
                "c1", "run_shell", "\n".join(map(str, range(1, 41))), exit_code=0, duration_s=0.12
            )
        )
        await t.handle(ToolCallEvent("c2", "run_python", {"code": "import time\nprint('working')"}))
        await t.handle(ToolOutputEvent("c2", "working\n"))
        await pilot.pause(0.2)

    assert snap_compare(make_app(ReplayAgent([])), terminal_size=SIZE, run_before=run_before)


def test_approval_prompt_with_diff_preview(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _send(pilot, "fix the greeting")
        while pilot.app.pending_approval is None:
            await asyncio.sleep(0.02)
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(ReplayAgent(approval_script())), terminal_size=SIZE, run_before=run_before
    )


def test_edit_diff_in_tool_card(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        t = pilot.app.transcript
        await t.handle(ToolCallEvent(EDIT_CALL.id, EDIT_CALL.name, EDIT_CALL.arguments))
        await t.handle(
            ToolResultEvent(
                EDIT_CALL.id,
                EDIT_CALL.name,
                "Edited greet.py (+1 -1).",
                display=DIFF,
                display_kind="diff",
                duration_s=0.01,
            )
        )
        await pilot.app.run_command("/help")
        await pilot.pause(0.2)

    assert snap_compare(make_app(ReplayAgent([])), terminal_size=SIZE, run_before=run_before)


def test_light_theme(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _send(pilot, "The greeting test fails, fix it")
        await pilot.app.wait_idle(10)
        await pilot.pause(0.2)

    assert snap_compare(make_app(theme="light"), terminal_size=SIZE, run_before=run_before)
