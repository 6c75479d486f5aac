"""``serve --agent`` with the Docker sandbox: the warning the sandbox gives as it closes
(a git repository directory planted after its last command) reaches the client and the log.

A scripted model (distill's, a real ``ChatModel`` that plays a fixed script through the
real agent loop and tools) runs behind the real server, called with the OpenAI SDK.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.distill.scripted import Answer, Call, Script, ScriptedModel
from assistant.server.agent_mode import AgentRunner
from tests.server.conftest import start_server

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def _plant_after_the_last_command() -> Script:
    yield Call("run_shell", {"command": "mkdir -p x/objects x/refs"})  # no HEAD: not yet one
    yield Call("write_file", {"path": "x/HEAD", "content": "ref: refs/heads/main\n"})
    yield Answer("Done: x has its HEAD.")


def test_the_sandboxs_closing_warning_reaches_the_client_and_the_log(
    workspace: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings.model_validate(
        {"approval": {"mode": "never-ask"}, "sandbox": {"kind": "docker"}}
    )
    running = start_server(ScriptedModel(_plant_after_the_last_command, "planted"))
    running.state.agent = AgentRunner(running.state.engine, settings, workspace)
    try:
        with caplog.at_level(logging.WARNING, logger="assistant.server"):
            reply = running.openai(api_key="unused").chat.completions.create(
                model="default", messages=[{"role": "user", "content": "Make x a folder."}]
            )
        agent = reply.model_dump()["agent"]
        assert agent["turn_end"] == "done", agent
        assert (workspace / "x" / "HEAD").is_file()
        (warning,) = agent["warnings"]
        assert "After the sandbox's last command" in warning and " at x " in warning
        assert warning in caplog.text
    finally:
        running.stop()


def test_a_turn_without_a_planted_repository_has_no_warnings(workspace: Path) -> None:
    def harmless() -> Script:
        yield Call("run_shell", {"command": "mkdir -p x/refs && echo 'ref: x' > x/HEAD"})
        yield Answer("Done.")

    settings = Settings.model_validate(
        {"approval": {"mode": "never-ask"}, "sandbox": {"kind": "docker"}}
    )
    running = start_server(ScriptedModel(harmless, "harmless"))
    running.state.agent = AgentRunner(running.state.engine, settings, workspace)
    try:
        reply = running.openai(api_key="unused").chat.completions.create(
            model="default", messages=[{"role": "user", "content": "Make x a folder."}]
        )
        agent = reply.model_dump()["agent"]
        assert agent["turn_end"] == "done" and agent["warnings"] == []
    finally:
        running.stop()
