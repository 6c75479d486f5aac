"""A conversation that /new or /resume replaced closes its sandbox in the background; a
repository planted after its last command is named in the app's transcript and in the
plain REPL when that close finishes; the plain REPL's line stays on the terminal, so it is not
printed again at exit, while the app's transcript goes with its screen, so it is.

Real agents (``build_agent``), the real ``_Holder`` and context of ``assistant chat``, the
real sandbox (bubblewrap; Docker too where it runs) and its closing scan.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from rich.console import Console

from assistant.agent.builder import build_agent
from assistant.agent.session import SessionStore
from assistant.config import Settings
from assistant.distill.scripted import IdleModel
from assistant.tools.sandbox.bwrap import bwrap_usable
from assistant.ui.app import AssistantApp
from assistant.ui.commands import UIContext
from assistant.ui.history import InputHistory
from assistant.ui.launch import _Holder, make_context
from assistant.ui.plain import PlainUI
from assistant.ui.widgets import Notice
from tests.sandbox.conftest import docker_ready  # noqa: F401 (a fixture)
from tests.ui.conftest import text_of
from tests.ui.test_app import type_and_send, wait_for

LATE = "[sandbox warning] After the sandbox's last command"


@pytest.fixture(
    params=[
        pytest.param("docker", marks=[pytest.mark.docker, pytest.mark.slow]),
        pytest.param(
            "bwrap", marks=pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run")
        ),
    ]
)
def kind(request: pytest.FixtureRequest) -> str:
    if request.param == "docker":
        request.getfixturevalue("docker_ready")
    return request.param


def chat(tmp_path: Path, model: object, kind: str = "docker") -> tuple[_Holder, UIContext, Path]:
    """``assistant chat``'s holder and context for ``model`` (no tools) in a new workspace."""
    settings = Settings()
    settings.sandbox.kind = kind  # type: ignore[assignment]
    store = SessionStore(tmp_path / "sessions")
    ws = (tmp_path / "ws").resolve()
    ws.mkdir()
    holder = _Holder(build_agent(settings, ws, model=model, store=store, tools=[]))  # type: ignore[arg-type]
    return holder, make_context(settings, ws, store, holder, model), ws


async def started(kind: str, tmp_path: Path) -> tuple[_Holder, UIContext, Path]:
    """``assistant chat``'s holder and context, the sandbox started and idle since its last
    command, then a repository planted in the workspace (as the file tools, which run on
    the host, could)."""
    holder, ctx, ws = chat(tmp_path, IdleModel(), kind)
    sandbox = await holder.built.sandbox()
    await sandbox.exec("true", timeout=120)
    late = ws / "late"
    (late / "objects").mkdir(parents=True)
    (late / "refs").mkdir()
    (late / "config").write_text("[core]\n\tpager = touch PAGED\n")
    (late / "HEAD").write_text("ref: refs/heads/main\n")
    return holder, ctx, ws


async def run_plain(holder: _Holder, ctx: UIContext, lines: object, out: io.StringIO) -> list[str]:
    """The plain REPL on ``lines`` until they end, then the holder closed: its warnings."""
    ui = PlainUI(
        holder.built.agent,
        ctx,
        console=Console(file=out, width=200, color_system=None, force_terminal=False),
        reader=lines,  # type: ignore[arg-type]
        history=InputHistory(None),
    )
    try:
        assert await ui.loop() == 0
    finally:
        at_exit = await holder.close()
    return at_exit


async def test_the_app_shows_a_replaced_conversations_closing_warning_and_keeps_it_for_exit(
    kind: str, tmp_path: Path
) -> None:
    holder, ctx, _ = await started(kind, tmp_path)
    app = AssistantApp(holder.built.agent, ctx, history=InputHistory(None))
    app.cursor_blink = False
    at_exit: list[str] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await type_and_send(pilot, "/new")
            await wait_for(lambda: any(n.kind == "warning" for n in app.query(Notice)), 60)
            await pilot.pause()
            warnings = [n for n in app.query(Notice) if n.kind == "warning"]
            assert len(warnings) == 1
            shown = text_of(warnings[0])
            assert LATE in shown and " at late " in shown, shown
            assert app.agent is holder.built.agent
    finally:
        at_exit = await holder.close()
    # the transcript goes with the screen: the terminal keeps the copy printed at exit
    assert len(at_exit) == 1 and LATE in at_exit[0], at_exit


async def test_the_plain_repl_prints_a_replaced_conversations_closing_warning_once(
    kind: str, tmp_path: Path
) -> None:
    holder, ctx, _ = await started(kind, tmp_path)
    out = io.StringIO()

    class Lines:
        """/new, then the end of input once the warning is on screen (or 60 s have passed)."""

        def __init__(self) -> None:
            self.sent = False

        async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
            if not self.sent:
                self.sent = True
                return "/new"
            for _ in range(600):
                if LATE in out.getvalue():
                    break
                await asyncio.sleep(0.1)
            raise EOFError

    at_exit = await run_plain(holder, ctx, Lines(), out)
    text = out.getvalue()
    assert text.count(LATE) == 1 and " at late " in text, text
    assert at_exit == [], "a warning the user saw is printed again at exit"


async def test_the_plain_repl_holds_a_warning_that_comes_during_a_turn(tmp_path: Path) -> None:
    """A close that finishes while the model's reply is printing does not split the reply:
    the warning comes after it, before the next prompt."""
    from assistant.distill.scripted import IdleModel
    from assistant.llm.base import Completion, Message, TextDelta, Usage

    warning = "[sandbox warning] planted"
    out = io.StringIO()
    ctx_box: list[UIContext] = []

    class SplitReply(IdleModel):
        async def stream(self, messages, tools=None, **_):  # type: ignore[no-untyped-def]
            yield TextDelta("first half ")
            show = ctx_box[0].show_warning
            assert show is not None
            assert show(warning) is True
            yield TextDelta("second half")
            yield Completion(Message("assistant", "first half second half"), Usage(), "stop")

    class Lines:
        def __init__(self) -> None:
            self.lines = ["hello"]

        async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
            if self.lines:
                return self.lines.pop(0)
            raise EOFError

    holder, ctx, _ = chat(tmp_path, SplitReply())  # no tools: the sandbox never starts
    ctx_box.append(ctx)
    await run_plain(holder, ctx, Lines(), out)
    text = out.getvalue()
    assert "first half second half" in text, text
    assert text.count(warning) == 1 and text.index(warning) > text.index("second half"), text
