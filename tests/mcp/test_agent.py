"""MCP tools through the whole agent: build_agent starts the server, a scripted Claude (the
official SDK against a local Messages API server) calls its tools, and the approval path,
events and session log treat them like built-in tools."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from assistant.agent.approval import ApprovalReply, ApprovalRequest, Decision
from assistant.agent.builder import build_agent, start_mcp
from assistant.agent.events import ApprovalEvent, ToolResultEvent
from assistant.agent.session import SessionStore, read_records
from assistant.config import ApprovalSettings, McpSettings, SandboxSettings, Settings
from tests.agent.test_loop import claude, collect, tool_results
from tests.fakes.anthropic_server import AnthropicFake, anthropic_fake, text, tool_use
from tests.mcp.conftest import notes_server, stdlib_server


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


def settings(**kw: object) -> Settings:
    return Settings(
        mcp=McpSettings(servers={"notes": notes_server(timeout=5)}),
        sandbox=SandboxSettings(kind="host"),
        **kw,  # type: ignore[arg-type]
    )


def notes_processes() -> list[psutil.Process]:
    me = psutil.Process()
    return [p for p in me.children(recursive=True) if "notes_server.py" in " ".join(p.cmdline())]


async def test_an_mcp_tool_is_offered_asked_for_and_its_result_reaches_the_model(
    fake: AnthropicFake, ws: Path, tmp_path: Path
) -> None:
    asked: list[ApprovalRequest] = []

    async def ask(request: ApprovalRequest) -> ApprovalReply:
        asked.append(request)
        return ApprovalReply(Decision.ALLOW_ONCE)

    fake.script(
        tool_use("notes__add_note", {"text": "call the plumber"}),
        tool_use("notes__list_notes", {}),
        text("Saved: call the plumber."),
    )
    built = build_agent(
        settings(), ws, model=claude(fake), ask=ask, store=SessionStore(tmp_path / "s")
    )
    try:
        assert await start_mcp(built) == []
        events = await collect(built.agent, "Remember to call the plumber.")
    finally:
        await built.agent.aclose()
    offered = {t["name"]: t for t in fake.message_requests[0].body["tools"]}
    assert offered["notes__add_note"]["input_schema"]["required"] == ["text"]
    assert "read_file" in offered  # alongside the built-in tools
    # The mutating MCP tool was asked for once; the read-only one ran without asking.
    assert [r.tool.name for r in asked] == ["notes__add_note"]
    approvals = [e for e in events if isinstance(e, ApprovalEvent)]
    assert [(a.name, a.phase) for a in approvals] == [
        ("notes__add_note", "requested"),
        ("notes__add_note", "decided"),
    ]
    results = [e for e in events if isinstance(e, ToolResultEvent)]
    assert [r.output for r in results] == ["saved note 1: call the plumber", "call the plumber"]
    assert "saved note 1" in str(tool_results(fake, 1)[0]["content"])
    assert events[-1].reason == "done"
    assert built.session is not None
    built.session.close()
    logged = [r["event"] for r in read_records(built.session.path) if r["kind"] == "event"]
    assert any(e["type"] == "tool_call" and e["name"] == "notes__add_note" for e in logged)
    assert notes_processes() == []  # closing the agent stopped the server


async def test_an_allow_rule_names_an_mcp_tool_like_any_tool(fake: AnthropicFake, ws: Path) -> None:
    async def ask(request: ApprovalRequest) -> ApprovalReply:
        raise AssertionError(f"asked about {request.tool.name}")

    fake.script(tool_use("notes__add_note", {"text": "x"}), text("ok"))
    cfg = settings(approval=ApprovalSettings(mode="auto", allow=["notes__add_note"]))
    built = build_agent(cfg, ws, model=claude(fake), ask=ask, persist=False)
    try:
        await start_mcp(built)
        events = await collect(built.agent, "note x")
    finally:
        await built.agent.aclose()
    result = next(e for e in events if isinstance(e, ToolResultEvent))
    assert result.output == "saved note 1: x" and not result.is_error


async def test_read_only_mode_refuses_a_mutating_mcp_tool(fake: AnthropicFake, ws: Path) -> None:
    fake.script(tool_use("notes__add_note", {"text": "x"}), text("ok"))
    cfg = settings(approval=ApprovalSettings(mode="read-only"))
    built = build_agent(cfg, ws, model=claude(fake), persist=False)
    try:
        await start_mcp(built)
        events = await collect(built.agent, "note x")
    finally:
        await built.agent.aclose()
    result = next(e for e in events if isinstance(e, ToolResultEvent))
    assert result.is_error and "approval mode is read-only" in result.output


async def test_a_server_crashing_mid_call_gives_the_model_an_error_and_the_turn_goes_on(
    fake: AnthropicFake, ws: Path
) -> None:
    fake.script(
        tool_use("notes__crash", {}),
        tool_use("notes__list_notes", {}),
        text("The notes server is down."),
    )
    built = build_agent(settings(), ws, model=claude(fake), persist=False)
    built.agent.approver.mode = "never-ask"
    try:
        await start_mcp(built)
        events = await collect(built.agent, "crash it")
        state = built.sandbox.state
    finally:
        await built.agent.aclose()
    results = [e for e in events if isinstance(e, ToolResultEvent)]
    assert all(r.is_error for r in results)
    assert "MCP server notes is not available (the server exited" in results[0].output
    assert "not available" in results[1].output
    assert events[-1].reason == "done" and events[-1].final_text == "The notes server is down."
    assert state.endswith("· mcp 0/1")  # the status bar shows it
    assert built.mcp.lines == [built.mcp.connections["notes"].status_line]


async def test_a_server_that_fails_to_start_is_one_line_and_the_session_goes_on(
    fake: AnthropicFake, ws: Path
) -> None:
    fake.script(text("hello"))
    cfg = Settings(
        mcp=McpSettings(
            servers={"gone": notes_server().model_copy(update={"command": ["/no/such/mcp"]})}
        ),
        sandbox=SandboxSettings(kind="host"),
    )
    built = build_agent(cfg, ws, model=claude(fake), persist=False)
    try:
        lines = await start_mcp(built)
        events = await collect(built.agent, "hi")
    finally:
        await built.agent.aclose()
    assert lines == [
        "MCP server gone: failed: cannot start '/no/such/mcp': no such program; fix the command "
        "in the config"
    ]
    assert events[-1].final_text == "hello"
    assert not any(n.startswith("gone__") for n in built.agent.registry.names())


async def test_slash_tools_lists_mcp_tools_and_servers_that_are_down(ws: Path) -> None:
    from assistant.ui.commands import CommandRunner, UIContext

    cfg = Settings(
        mcp=McpSettings(
            servers={
                "notes": notes_server(),
                "gone": notes_server().model_copy(update={"command": ["/no/such/mcp"]}),
            }
        ),
        sandbox=SandboxSettings(kind="host"),
    )
    built = build_agent(cfg, ws, model=_unused_model(), persist=False)
    try:
        await start_mcp(built)
        shown = await CommandRunner(UIContext(workspace=ws)).run("/tools", built.agent)
    finally:
        await built.agent.aclose()
    assert "| `notes__add_note` | asks first | Save a note. |" in shown.text
    assert "| `notes__list_notes` | read-only | List the saved notes, one a line. |" in shown.text
    assert "| `read_file` |" in shown.text
    assert "MCP server gone: failed: cannot start '/no/such/mcp'" in shown.text


def _unused_model():  # type: ignore[no-untyped-def]
    from assistant.llm.anthropic import AnthropicModel

    return AnthropicModel("claude-haiku-4-5", api_key="unused", base_url="http://127.0.0.1:9")


async def test_a_saved_session_in_a_running_loop_starts_its_servers_by_itself(
    ws: Path, tmp_path: Path
) -> None:
    """The app's path: build_agent inside the event loop, nobody calls start_mcp."""
    store = SessionStore(tmp_path / "s")
    built = build_agent(settings(), ws, model=_unused_model(), store=store)
    ephemeral = build_agent(settings(), ws, model=_unused_model(), persist=False)
    try:
        assert built._mcp_started is not None and ephemeral._mcp_started is None
        await built._mcp_started
        assert "notes__add_note" in built.agent.registry
        assert "notes__add_note" not in ephemeral.agent.registry  # eval runs stay as they are
        assert len(notes_processes()) == 1
    finally:
        await built.agent.aclose()
        await ephemeral.agent.aclose()
        assert built.session is not None
        built.session.close()
    assert notes_processes() == []


async def test_a_tool_whose_schema_has_no_grammar_is_left_out_with_one_line(ws: Path) -> None:
    servers = McpSettings(servers={"std": stdlib_server()})
    built = build_agent(
        Settings(mcp=servers, sandbox=SandboxSettings(kind="host")),
        ws,
        model=_unused_model(),
        persist=False,
    )
    try:
        lines = await start_mcp(built)
    finally:
        await built.agent.aclose()
    assert lines == [
        "MCP tool std__pattern left out: a local model cannot use its input schema "
        '(Pattern must start with "^" and end with "$")'
        "."
    ]
    names = built.agent.registry.names()
    assert "std__pattern" not in names and {"std__where", "std__echo"} <= set(names)


async def test_new_and_resume_stop_the_retired_sessions_servers(ws: Path, tmp_path: Path) -> None:
    from assistant.ui.launch import _Holder, make_context

    store = SessionStore(tmp_path / "s")
    model = _unused_model()
    built = build_agent(settings(), ws, model=model, store=store)
    holder = _Holder(built)
    ui = make_context(settings(), ws, store, holder, model)
    try:
        await start_mcp(built)
        assert len(notes_processes()) == 1
        ui.new_session()
        await start_mcp(holder.built)
        for _ in range(100):  # the retired session's server stops in the background
            if built.mcp.connections["notes"].state == "closed":
                break
            await asyncio.sleep(0.05)
        assert built.mcp.connections["notes"].state == "closed"
        psutil.wait_procs(notes_processes(), timeout=0.5)
        assert len([p for p in notes_processes() if p.status() != psutil.STATUS_ZOMBIE]) == 1
        assert holder.built.mcp.connections["notes"].state == "ready"
    finally:
        await holder.close()
    assert holder.built.mcp.connections["notes"].state == "closed"


def _unused_model():  # type: ignore[no-untyped-def]
    """A model object for build_agent that these tests never call."""
    from assistant.llm.anthropic import AnthropicModel

    return AnthropicModel("claude-haiku-4-5", api_key="unused", base_url="http://127.0.0.1:9")
