from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest

from assistant.ui.app import AssistantApp
from assistant.ui.commands import UIContext
from assistant.ui.history import InputHistory
from tests.ui.replay import ReplayAgent


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep session logs and input history out of the real user data dir."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def make_app(agent=None, workspace: Path | None = None, **ctx_kw) -> AssistantApp:  # type: ignore[no-untyped-def]
    ctx = UIContext(
        model_name=ctx_kw.pop("model_name", "SmolLM2-135M-Instruct"),
        workspace=workspace or Path.cwd(),
        sandbox=ctx_kw.pop("sandbox", "docker: idle"),
        context_limit=8192,
        **ctx_kw,
    )
    app = AssistantApp(agent or ReplayAgent(), ctx, history=InputHistory(None))
    app.cursor_blink = False
    return app


def approval_ready(app: AssistantApp) -> bool:
    """The approval prompt has the focus and takes keys (its grace period is over)."""
    prompt = app.pending_approval
    return prompt is not None and prompt.ready and app.focused is prompt


def text_of(widget) -> str:  # type: ignore[no-untyped-def]
    """The plain text a Static shows (its renderable rendered by rich, styles dropped)."""
    from rich.console import Console

    content = widget.render() if not hasattr(widget, "content") else widget.content
    console = Console(width=200, color_system=None, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(content)
    return console.export_text()


def big_write_agent(workspace: Path, lines: int = 10_000) -> tuple[Any, str]:
    """The real agent, asking before each change, whose scripted model writes a new
    ``lines``-line ``big.txt`` with the real write_file; and that file's content."""
    from assistant.agent.approval import Approver
    from assistant.agent.loop import Agent, Limits
    from assistant.agent.registry import ToolRegistry
    from assistant.distill.scripted import Answer, Call, ScriptedModel
    from assistant.tools.files import write_file
    from assistant.tools.undo import UndoJournal

    content = "".join(f"line {i}\n" for i in range(lines))

    def solution():  # type: ignore[no-untyped-def]
        yield Call("write_file", {"path": "big.txt", "content": content})
        yield Answer("Written.")

    agent = Agent(
        ScriptedModel(solution, "big-diff"),
        ToolRegistry([write_file]),
        workspace=workspace,
        approver=Approver("ask", project_config=workspace / ".assistant.toml"),
        limits=Limits(max_steps=3),
        undo=UndoJournal(),
    )
    return agent, content


class AlwaysYes:
    """A plain-mode line reader that answers every prompt with "y"."""

    async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
        return "y"


class Answers:
    """A plain-mode line reader that gives ``answers`` in turn, each echoed after its
    prompt into ``out`` as a terminal would show them."""

    def __init__(self, out: io.StringIO, answers: list[str]) -> None:
        self.out = out
        self.answers = list(answers)

    async def read(self, prompt: str, *, default: str = "", main: bool = False) -> str:
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        self.out.write(f"{prompt}{answer}\n")
        return answer


def plain_ui(
    agent: Any, workspace: Path, width: int = 200, answers: list[str] | None = None
) -> tuple[Any, io.StringIO]:
    """The plain REPL on ``agent`` giving ``answers`` in turn (by default "y" to every
    question), and what it prints."""
    from rich.console import Console

    from assistant.ui.plain import PlainUI

    out = io.StringIO()
    ui = PlainUI(
        agent,
        UIContext(workspace=workspace),
        console=Console(file=out, width=width, color_system=None, force_terminal=False),
        reader=AlwaysYes() if answers is None else Answers(out, answers),
        history=InputHistory(None),
    )
    return ui, out


async def wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        assert loop.time() < end, "condition not reached in time"
        await asyncio.sleep(0.02)
