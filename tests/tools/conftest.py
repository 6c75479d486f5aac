from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.undo import UndoJournal


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    d = tmp_path / "ws"
    d.mkdir()
    return d


@pytest.fixture
def ctx(ws: Path, tmp_path: Path) -> ToolContext:
    return ToolContext(workspace=ws, turn=1, undo=UndoJournal(tmp_path / "session" / "undo.jsonl"))
