"""A repository's AGENTS.md that points outside the workspace never reaches the prompt."""

from __future__ import annotations

from pathlib import Path

from assistant.agent.prompts import build_system_prompt, find_instructions


def test_agents_md_symlinked_to_a_host_secret_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "home" / ".aws" / "credentials"
    secret.parent.mkdir(parents=True)
    secret.write_text("aws_secret_access_key = hunter2\n")
    workspace = tmp_path / "repo"
    workspace.mkdir()
    (workspace / "AGENTS.md").symlink_to(secret)

    assert find_instructions(workspace) is None
    assert "hunter2" not in build_system_prompt(workspace)


def test_a_plain_agents_md_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "AGENTS.md").write_text("Run make check before answering.\n")

    found = find_instructions(tmp_path)

    assert found is not None and "make check" in found[1]
