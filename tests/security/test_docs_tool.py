"""Attack 3: the docs tool ran the workspace's .venv/bin/python on the host, unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.docs import docs
from assistant.tools.sandbox import open_sandbox
from assistant.tools.sandbox.bwrap import bwrap_usable
from tests.security.helpers import sandbox_ctx

BACKENDS = [
    pytest.param("docker", marks=[pytest.mark.docker, pytest.mark.slow]),
    pytest.param(
        "bwrap", marks=pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run")
    ),
]


def plant_fake_python(repo: Path, marker: Path) -> None:
    """A repository that ships its own .venv/bin/python: it records where it ran."""
    fake = repo / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(f'#!/bin/sh\nenv > {marker}\nexec python3 "$@"\n')
    fake.chmod(0o755)


@pytest.mark.parametrize("kind", BACKENDS)
async def test_workspace_interpreter_never_runs_on_the_host(
    kind: str, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request
) -> None:
    if kind == "docker":
        request.getfixturevalue("docker_ready")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-FAKE-host-secret")
    marker = tmp_path / "ran-on-host"
    plant_fake_python(repo, marker)
    sandbox = open_sandbox(kind, repo, f"sec-docs-{kind}")
    try:
        r = await docs.run({"query": "json.dumps"}, sandbox_ctx(repo, sandbox))
    finally:
        await sandbox.close()
    assert r.output.startswith("json.dumps("), r.output
    assert not marker.exists(), marker.read_text()


async def test_docs_without_a_sandbox_refuses(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran-on-host"
    plant_fake_python(repo, marker)
    r = await docs.run({"query": "json.dumps"}, ToolContext(workspace=repo))
    assert r.is_error and "sandbox" in r.output
    assert not marker.exists()
