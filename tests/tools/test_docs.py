from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.docs import docs
from assistant.tools.sandbox import open_sandbox
from assistant.tools.undo import UndoJournal


@pytest.fixture
async def ctx(ws: Path, tmp_path: Path):
    """docs runs in the session's sandbox; the host backend keeps these tests fast."""
    sandbox = open_sandbox("host", ws, "docs-test")

    async def provider():
        return sandbox

    yield ToolContext(
        workspace=ws,
        turn=1,
        undo=UndoJournal(tmp_path / "session" / "undo.jsonl"),
        sandbox_provider=provider,
    )
    await sandbox.close()


async def test_dotted_function(ctx: ToolContext) -> None:
    r = await docs.run({"query": "json.dumps"}, ctx)
    assert not r.is_error, r.output
    first = r.output.splitlines()[0]
    assert first.startswith("json.dumps(obj, *, skipkeys=False")
    assert "Serialize" in r.output


async def test_method_and_class(ctx: ToolContext) -> None:
    r = await docs.run({"query": "pathlib.Path.read_text"}, ctx)
    assert r.output.startswith("pathlib.Path.read_text(self, encoding=None, errors=None")
    r = await docs.run({"query": "collections.Counter"}, ctx)
    assert r.output.startswith("class collections.Counter(")
    assert "Members:" in r.output and "most_common(" in r.output


async def test_search_word(ctx: ToolContext) -> None:
    r = await docs.run({"query": "dumps"}, ctx)
    assert not r.is_error, r.output
    assert "json.dumps(" in r.output and "pickle.dumps(" in r.output


async def test_search_in_module(ctx: ToolContext) -> None:
    r = await docs.run({"query": "join", "module": "os.path"}, ctx)
    assert r.output.startswith("os.path.join(")
    r = await docs.run({"query": "", "module": "shlex"}, ctx)
    assert r.output.startswith("shlex") and "quote(" in r.output


async def test_not_found(ctx: ToolContext) -> None:
    r = await docs.run({"query": "zzz_no_such_name_qq", "module": "json"}, ctx)
    assert r.is_error and "No documentation found" in r.output
    r = await docs.run({"query": "x", "module": "no_such_module_qq"}, ctx)
    assert r.is_error and "cannot import module no_such_module_qq" in r.output


async def test_uses_workspace_venv_and_not_workspace_modules(ws: Path, ctx: ToolContext) -> None:
    # A project module that would print when imported is never imported (-I).
    (ws / "json.py").write_text("raise SystemExit('workspace module imported')\n")
    r = await docs.run({"query": "json.loads"}, ctx)
    assert r.output.startswith("json.loads(")
    assert r.meta["python"] == "python3"


@pytest.mark.slow
async def test_uses_workspace_venv(ws: Path, ctx: ToolContext) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(ws / ".venv")], check=True)
    site = next((ws / ".venv" / "lib").glob("python3*/site-packages"))
    (site / "wsonly_pkg.py").write_text(
        'def marker(a, b=2):\n    """Only in the workspace venv."""\n'
    )
    r = await docs.run({"query": "wsonly_pkg.marker"}, ctx)
    assert r.output.startswith("wsonly_pkg.marker(a, b=2)"), r.output
    assert "Only in the workspace venv." in r.output
    assert r.meta["python"] == ".venv/bin/python"


@pytest.mark.parametrize("q", ["antigravity", "this"])
async def test_side_effect_modules_skipped(ctx: ToolContext, q: str) -> None:
    r = await docs.run({"query": q}, ctx)
    assert "Zen of Python" not in r.output
