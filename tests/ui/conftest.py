from __future__ import annotations

from pathlib import Path

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


def text_of(widget) -> str:  # type: ignore[no-untyped-def]
    """The plain text a Static shows (its renderable rendered by rich, styles dropped)."""
    from rich.console import Console

    content = widget.render() if not hasattr(widget, "content") else widget.content
    console = Console(width=200, color_system=None, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(content)
    return console.export_text()
