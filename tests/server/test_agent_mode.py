"""``serve --agent``: the chat endpoint runs the agent; anything that would ask is denied."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.server.agent_mode import AgentRunner
from tests.server.conftest import start_server

pytestmark = pytest.mark.slow


def test_agent_mode_runs_read_only_tools_and_denies_what_would_ask(local_model, workspace: Path):
    (workspace / "hello.py").write_text("print('hi')\n")
    settings = Settings.model_validate(
        {"approval": {"mode": "ask"}, "sandbox": {"kind": "host"}, "limits": {"max_steps": 1}}
    )
    running = start_server(local_model)
    running.state.agent = AgentRunner(running.state.engine, settings, workspace)
    try:
        client = running.openai(api_key="unused")

        def turn(task: str, tool: str, max_tokens: int = 64) -> dict:
            reply = client.chat.completions.create(
                model="default",
                messages=[{"role": "user", "content": task}],
                tool_choice={"type": "function", "function": {"name": tool}},
                max_tokens=max_tokens,
            )
            return reply.model_dump()["agent"]

        listed = turn("List the files here.", "list_files")
        results = [e for e in listed["events"] if e["type"] == "tool_result"]
        # A read-only tool runs without asking (what it finds depends on the 135M model's path).
        assert results and results[0]["name"] == "list_files"
        assert not results[0]["output"].startswith("Denied:")
        assert not [e for e in listed["events"] if e["type"] == "approval"]

        # room for the whole call: a reply cut inside its content makes no call at all. The
        # workspace path is in the prompt; asked to write 'hello', the base model ran on in
        # the content string past 1,024 tokens for one pytest-N path in 30; an empty file, never.
        written = turn("Create an empty file named notes.txt.", "write_file", max_tokens=256)
        results = [e for e in written["events"] if e["type"] == "tool_result"]
        assert results and results[0]["name"] == "write_file"
        assert results[0]["is_error"] and results[0]["output"].startswith("Denied:")
        assert "no one to ask" in results[0]["output"]
        assert not (workspace / "notes.txt").exists()

        with pytest.raises(Exception) as exc:  # the server's own tools run, not the client's
            client.chat.completions.create(
                model="default",
                messages=[{"role": "user", "content": "hi"}],
                tools=[{"type": "function", "function": {"name": "x", "parameters": {}}}],
            )
        assert getattr(exc.value, "status_code", None) == 400
    finally:
        running.stop()


def test_agent_mode_usage_counts_the_cached_prefix(local_model, workspace: Path) -> None:
    """The usage of an agent turn is the turn's model calls' usage, cache reads included:
    the second request shares the agent's system prompt with the first, so most of its
    prompt comes from llama.cpp's KV cache and is reported as cached, not dropped."""
    settings = Settings.model_validate({"sandbox": {"kind": "host"}, "limits": {"max_steps": 1}})
    running = start_server(local_model)
    running.state.agent = AgentRunner(running.state.engine, settings, workspace)
    try:
        client = running.openai(api_key="unused")
        opts = dict(model="default", tool_choice="none", max_tokens=4)
        client.chat.completions.create(**opts, messages=[{"role": "user", "content": "Hi."}])
        second = client.chat.completions.create(
            **opts, messages=[{"role": "user", "content": "Hello."}]
        )
        usage = second.usage
        assert usage is not None and usage.prompt_tokens_details is not None
        cached = usage.prompt_tokens_details.cached_tokens or 0
        assert usage.prompt_tokens > 200  # the agent's system prompt and tools
        assert usage.prompt_tokens / 2 < cached < usage.prompt_tokens
    finally:
        running.stop()
