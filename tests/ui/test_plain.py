"""Plain mode through a pseudo-terminal (pexpect) with the real model, and through a pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest

from assistant.ui.commands import (
    CommandRunner,
    UIContext,
    common_prefix,
    complete,
    expand_mentions,
    parse_command,
)
from assistant.ui.history import InputHistory
from assistant.ui.plain import typed_text

DRIVER = str(Path(__file__).with_name("plain_driver.py"))


@pytest.mark.slow
def test_plain_mode_in_a_pty_streams_asks_and_undoes(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("old\n")
    child = pexpect.spawn(
        sys.executable,
        [DRIVER, str(tmp_path), "required"],
        encoding="utf-8",
        timeout=120,
        dimensions=(40, 120),
        env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1"},
    )
    try:
        child.expect("/help for commands")
        child.expect("›")
        child.send("/mode" + "\r")
        child.expect("Approval mode")
        child.expect("›")
        child.send("Write hello.txt with the word new." + "\r")
        child.expect(r"Allow write_file\?")
        child.expect(r"\[y\] allow once")
        child.send("e" + "\r")
        child.expect("Arguments")
        child.sendcontrol("u")  # clear the prefilled JSON
        child.send(json.dumps({"path": "hello.txt", "content": "new\n"}) + "\r")
        child.expect("allowed once")
        child.expect("✓")
        child.expect("›")
        assert (tmp_path / "hello.txt").read_text() == "new\n"
        child.send("/undo" + "\r")
        child.expect("Restored hello.txt")
        child.expect("›")
        assert (tmp_path / "hello.txt").read_text() == "old\n"
        child.send("Write notes.txt please." + "\r")
        child.expect(r"\[y\] allow once")
        child.send("n" + "\r")
        child.expect("Reason")
        child.send("not today" + "\r")
        child.expect("denied: not today")
        child.expect("›")
        child.sendeof()  # Ctrl+D quits
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    history = InputHistory(tmp_path / "history.jsonl").entries
    assert history[:2] == ["/mode", "Write hello.txt with the word new."]


@pytest.mark.slow
def test_plain_mode_reads_a_pipe(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, DRIVER, str(tmp_path)],
        input="Say hi.\n/cost\n/quit\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Tokens" in proc.stdout and "ctx " in proc.stdout


def test_parse_command() -> None:
    assert parse_command("/model qwen") == ("/model", "qwen")
    assert parse_command("  /HELP ") == ("/help", "")
    assert parse_command("/etc/hosts is broken") is None
    assert parse_command("hello /help") is None


def test_completion(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("")
    ctx = UIContext(workspace=tmp_path, models=["qwen-coder", "claude"])
    assert complete("/res", ctx) == ("/res", ["/resume"])
    assert complete("/mode a", ctx) == ("a", ["ask", "auto"])
    assert complete("/model q", ctx) == ("q", ["qwen-coder"])
    assert complete("see @sr", ctx) == ("@sr", ["@src/"])
    assert complete("see @src/a", ctx) == ("@src/a", ["@src/app.py"])
    assert complete("plain words", ctx) == ("words", [])
    assert common_prefix(["/model", "/mode"]) == "/mode"


def test_mentions_attach_only_workspace_text_files(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "bin.dat").write_bytes(b"\0\1\2")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("secret")
    text, attached = expand_mentions(
        "look at @a.py, @bin.dat, @../outside.txt and mail me@example.com", tmp_path
    )
    assert attached == [(tmp_path / "a.py").resolve()]
    assert '<file path="a.py">\nA = 1\n\n</file>' in text
    assert "secret" not in text


def test_mentions_that_name_no_readable_file_are_left_alone(tmp_path: Path) -> None:
    # A symlink loop (a hostile repository) or a long @token pasted from a log must not
    # end the REPL with a traceback: they name no file, so they stay text.
    (tmp_path / "loop_a").symlink_to(tmp_path / "loop_b")
    (tmp_path / "loop_b").symlink_to(tmp_path / "loop_a")
    (tmp_path / "big.txt").write_text("x" * 300_000)
    text = "see @loop_a and @" + "x" * 300 + " and @" + "a/" * 3000 + " and @big.txt"
    out, attached = expand_mentions(text, tmp_path)
    assert attached == [(tmp_path / "big.txt").resolve()]
    assert out.startswith(text) and out.endswith("\n[truncated]\n</file>")


async def test_command_runner_without_optional_callables(tmp_path: Path) -> None:
    runner = CommandRunner(UIContext(workspace=tmp_path))

    class Bare:
        messages: list = []

    for line, needle in [
        ("/resume", "not available"),
        ("/sessions", "No session store"),
        ("/undo", "not available"),
        ("/model x", "restart with"),
        ("/load missing.json", "does not exist"),
    ]:
        result = await runner.run(line, Bare())
        assert result.kind == "error" and needle in result.text, line
    assert (await runner.run("/q", Bare())).quit  # an unambiguous prefix


def _idle_agent(workspace: Path, **kw: Any) -> Any:
    """A real Agent whose model is never asked (its server address is never dialled)."""
    from assistant.agent.approval import Approver
    from assistant.agent.loop import Agent
    from assistant.agent.registry import ToolRegistry
    from assistant.llm.anthropic import AnthropicModel

    model = AnthropicModel("claude-haiku-4-5", api_key="k", base_url="http://127.0.0.1:9")
    return Agent(model, ToolRegistry([]), workspace=workspace, approver=Approver("ask"), **kw)


async def test_diff_undo_save_and_load_commands(tmp_path: Path) -> None:
    from assistant.llm.base import Message
    from assistant.tools.undo import UndoJournal

    history = [Message.system("sys"), Message.user("hi"), Message("assistant", "hello")]
    agent = _idle_agent(tmp_path, undo=UndoJournal(), messages=history)
    target = tmp_path / "f.txt"
    target.write_text("one\ntwo\n")
    agent.undo.record(1, target, b"one\n", b"one\ntwo\n", tool="write_file", display_path="f.txt")
    runner = CommandRunner(UIContext(workspace=tmp_path))
    diff = await runner.run("/diff", agent)
    assert diff.kind == "diff" and "+two" in diff.text and "--- a/f.txt" in diff.text
    await runner.run("/save conv.json", agent)
    agent.messages = [Message.system("sys")]
    agent.seen_files.note(target.resolve(), target.read_bytes())  # read before the /load
    loaded = await runner.run("/load conv.json", agent)
    assert loaded.clear and [m.content for m in loaded.replay or []] == ["sys", "hi", "hello"]
    # The loaded conversation never read f.txt: write_file may not replace it unread.
    assert agent.seen_files.replace_refusal(target.resolve(), target.read_bytes(), "f.txt")
    target.write_text("edited by hand\n")
    refused = await runner.run("/undo", agent)
    assert refused.kind == "error" and "/undo force" in refused.text
    forced = await runner.run("/undo force", agent)
    assert "Restored f.txt" in forced.text and target.read_text() == "one\n"
    assert agent.undo.entries == []


# OSC 52 (write the clipboard), conceal, a C1 CSI and a bell: what a hostile file, tool or
# model reply could send to take over the terminal or hide part of an approval prompt.
HOSTILE = "\x1b]52;c;Y3VybCBldmlsfHNo\x07\x1b[8mhidden\x1b[0m\x9b2J\x08"


async def test_plain_mode_shows_control_characters_instead_of_sending_them(
    tmp_path: Path,
) -> None:

    from assistant.agent.events import (
        ErrorEvent,
        TextEvent,
        ToolCallEvent,
        ToolOutputEvent,
        ToolResultEvent,
        TurnEndEvent,
    )
    from assistant.llm.base import Message, ToolCall
    from tests.ui.conftest import plain_ui
    from tests.ui.replay import Ask, ReplayAgent

    shell = ToolCall("run_shell", {"command": "ls " + HOSTILE}, id="call_shell")
    write = ToolCall("write_file", {"path": "a.txt", "content": HOSTILE}, id="call_write")
    agent = ReplayAgent(
        [
            TextEvent("Reply " + HOSTILE + "\n"),
            ToolCallEvent(shell.id, shell.name, shell.arguments),
            ToolOutputEvent(shell.id, "live " + HOSTILE + "\n"),
            ToolResultEvent(shell.id, shell.name, "result " + HOSTILE, exit_code=0),
            ToolCallEvent(write.id, write.name, write.arguments),
            Ask(write, None, "why " + HOSTILE),
            Ask(write, "+diff " + HOSTILE + "\n"),
            ErrorEvent("error " + HOSTILE),
            TurnEndEvent("done"),
        ],
        workspace=tmp_path,
    )

    ui, out = plain_ui(agent, tmp_path)
    await ui.turn("go")
    agent.messages = [Message.system("s"), Message.user("q"), Message("assistant", HOSTILE)]
    ui.commands.ctx.resume_session = lambda _: agent
    await ui.command("/resume x")
    text = out.getvalue()
    for shown in ("Reply", "live", "result", "error", "why", "+diff", "ls "):
        assert shown in text
    assert not set(text) & {"\x1b", "\x9b", "\x07", "\x08"}, repr(text)
    assert "␛]52;c;" in text and "␛[8mhidden" in text


async def test_load_repairs_the_conversation_and_records_it_in_the_session_log(
    tmp_path: Path,
) -> None:
    # /save while a tool call waits (the app allows it) writes a call without a result:
    # loaded as it was, every later request would be refused by the model's API. And a
    # loaded conversation must be what /resume gives back later, not the one it replaced.
    from assistant.agent.session import INTERRUPTED_RESULT, SessionStore
    from assistant.llm.base import Message, ToolCall

    store = SessionStore(tmp_path / "sessions")
    call = ToolCall("run_shell", {"command": "make"}, id="call_1")
    saved = [Message.user("build it").to_dict(), Message("assistant", "", [call]).to_dict()]
    (tmp_path / "conv.json").write_text(json.dumps({"messages": saved}))
    (tmp_path / "odd.json").write_text(json.dumps({"messages": ["not a message"]}))

    agent = _idle_agent(
        tmp_path,
        session=store.create(tmp_path, "m"),
        messages=[Message.system("sys"), Message.user("old")],
    )
    runner = CommandRunner(UIContext(workspace=tmp_path))
    odd = await runner.run("/load odd.json", agent)
    assert odd.kind == "error" and "is not a saved conversation" in odd.text
    loaded = await runner.run("/load conv.json", agent)
    assert loaded.kind == "info"
    assert [m.role for m in agent.messages] == ["system", "user", "assistant", "tool"]
    assert agent.messages[-1].tool_call_id == "call_1"
    assert agent.messages[-1].content == INTERRUPTED_RESULT
    agent.session.close()
    resumed = store.history(agent.session.id)
    assert [m.content for m in resumed] == [m.content for m in agent.messages]


def test_input_history_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # Everything typed at the prompt, pasted keys included: like the session logs, 0600.
    path = tmp_path / "data" / "history.jsonl"
    InputHistory(path).add("export API_KEY=sk-secret")
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)  # written by an earlier version
    InputHistory(path).add("next")
    assert path.stat().st_mode & 0o777 == 0o600
    assert InputHistory(path).entries == ["export API_KEY=sk-secret", "next"]


async def test_resume_without_an_id_resumes_the_previous_session_not_this_one(
    tmp_path: Path,
) -> None:
    # The session running now is always the newest log: "/resume" must skip it.
    from assistant.agent.builder import build_agent
    from assistant.agent.session import SessionStore
    from assistant.config import SandboxSettings, Settings
    from assistant.llm.anthropic import AnthropicModel
    from assistant.llm.base import Message
    from assistant.ui.launch import _Holder, make_context

    ws = tmp_path / "ws"
    ws.mkdir()
    store = SessionStore(tmp_path / "sessions")
    earlier = store.create(ws.resolve(), "m")
    earlier.log_message(Message.system("sys"))
    earlier.log_message(Message.user("the earlier conversation"))
    earlier.close()
    settings = Settings(sandbox=SandboxSettings(kind="host"))
    model = AnthropicModel("claude-haiku-4-5", api_key="unused", base_url="http://127.0.0.1:9")
    holder = _Holder(build_agent(settings, ws, model=model, store=store))
    ctx = make_context(settings, ws.resolve(), store, holder, model)
    try:
        result = await CommandRunner(ctx).run("/resume", holder.built.agent)
        assert result.kind == "info", result.text
        users = [m.content for m in result.agent.messages if m.role == "user"]
        assert users == ["the earlier conversation"]
        assert holder.built.session.id == earlier.id
    finally:
        await holder.close()


def test_completing_a_name_with_a_space_gives_a_mention_that_attaches(tmp_path: Path) -> None:
    (tmp_path / "my notes.md").write_text("NOTES\n")
    ctx = UIContext(workspace=tmp_path)
    assert complete("see @my", ctx) == ("@my", ["@my\\ notes.md"])
    assert complete("see @my\\ no", ctx) == ("@my\\ no", ["@my\\ notes.md"])
    text, attached = expand_mentions("see @my\\ notes.md", tmp_path)
    assert attached == [(tmp_path / "my notes.md").resolve()] and "NOTES" in text


def test_input_history_file_is_trimmed_when_loaded(tmp_path: Path) -> None:
    # The docstring promised it; the file only ever grew, and was read whole at each start.
    path = tmp_path / "history.jsonl"
    path.write_text("".join(json.dumps(f"prompt {i}") + "\n" for i in range(2500)))
    history = InputHistory(path, limit=1000)
    assert history.entries[0] == "prompt 1500" and len(history.entries) == 1000
    lines = path.read_text().splitlines()
    assert len(lines) == 1000 and json.loads(lines[-1]) == "prompt 2499"
    assert path.stat().st_mode & 0o777 == 0o600
    history.add("one more")
    assert InputHistory(path, limit=1000).entries[-2:] == ["prompt 2499", "one more"]


async def test_plain_mode_shows_a_ten_thousand_line_diff_cut_short(tmp_path: Path) -> None:
    """The real agent, a scripted model and the real write_file: the approval panel, the
    result and /diff each show the first lines and say how many more there are."""
    from assistant.ui.diffview import DIFF_SHOWN_LINES
    from tests.ui.conftest import big_write_agent, plain_ui

    agent, content = big_write_agent(tmp_path)
    ui, out = plain_ui(agent, tmp_path, width=120)
    await ui.turn("write it")
    await ui.command("/diff")
    text = out.getvalue()
    assert (tmp_path / "big.txt").read_text() == content
    assert "+line 9999" not in text and f"+line {DIFF_SHOWN_LINES - 4}" in text
    hidden = f"{10_003 - DIFF_SHOWN_LINES:,} more lines of this diff not shown"
    assert text.count(hidden) == 3, text[-2000:]
    for note in ("allowing applies the whole change", "the whole change was applied"):
        assert note in text
    assert "the workspace holds the whole change" in text
    assert text.count("\n") < 4 * DIFF_SHOWN_LINES


async def test_plain_mode_answer_d_prints_the_whole_diff_then_asks_again(tmp_path: Path) -> None:
    """A 1,000-line write's approval: the cut panel names d; answering d prints the whole
    diff, its last line included, then the same question; y then writes the file."""
    from tests.ui.conftest import big_write_agent, plain_ui

    agent, content = big_write_agent(tmp_path, lines=1000)
    ui, out = plain_ui(agent, tmp_path, width=120, answers=["d", "x", "y"])
    await ui.turn("write it")
    text = out.getvalue()
    assert "603 more lines of this diff not shown: press d to see the whole diff" in text
    question = (
        "[y] allow once  [a] allow for this session  [s] always  [n] deny  [e] edit"
        "  [d] whole diff › "
    )
    first, after_d = text.split(question + "d\n", 1)
    assert "+line 999" not in first, "the panel is cut short"
    whole, rest = after_d.split(question + "x\n", 1)
    assert "+line 0" in whole and whole.rstrip().endswith("+line 999")
    assert "Answer y, a, s, n, e or d." in rest
    assert question + "y\n" in rest
    assert (tmp_path / "big.txt").read_text() == content


async def test_plain_mode_approval_takes_each_letter_or_its_words_and_nothing_else(
    tmp_path: Path,
) -> None:
    """Each answer is its letter or its words as the prompt shows them; an answer is not
    read by its first letter, so "deny" denies (it printed the whole diff, d) and "dog" or
    "always allow" is no answer at all."""
    from assistant.agent.approval import ApprovalRequest, Decision, ToolCall
    from assistant.tools.files import write_file
    from tests.ui.conftest import big_write_agent, plain_ui

    call = ToolCall(id="c1", name="write_file", arguments={"path": "x", "content": "new\n"})
    request = ApprovalRequest(
        call, write_file, "x", "writes x", preview="--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n"
    )
    expected = {
        "y": Decision.ALLOW_ONCE,
        "Allow once": Decision.ALLOW_ONCE,
        "a": Decision.ALLOW_SESSION,
        "allow for this session": Decision.ALLOW_SESSION,
        "s": Decision.ALWAYS,
        " ALWAYS ": Decision.ALWAYS,
        "n": Decision.DENY,
        "deny": Decision.DENY,
        "yes": Decision.ALLOW_ONCE,  # the answers to a yes/no question, typed out of habit
        "No": Decision.DENY,
    }
    agent, _ = big_write_agent(tmp_path, lines=1)
    for typed, decision in expected.items():
        ui, out = plain_ui(agent, tmp_path, answers=[typed, ""])
        reply = await ui.ask_approval(request)
        assert reply.decision == decision and reply.reason is None, typed
        assert "+new" not in out.getvalue().split(f"› {typed}\n")[1], f"{typed!r} showed the diff"
    for typed in ("e", "edit"):
        ui, out = plain_ui(agent, tmp_path, answers=[typed, '{"path": "y", "content": ""}'])
        reply = await ui.ask_approval(request)
        assert reply.edited_arguments == {"path": "y", "content": ""}, typed
    for typed in ("d", "whole diff"):
        ui, out = plain_ui(agent, tmp_path, answers=[typed, "y"])
        assert (await ui.ask_approval(request)).decision == Decision.ALLOW_ONCE
        assert "+new" in out.getvalue().split(f"› {typed}\n")[1], f"{typed!r} shows the diff"
    for typed in ("dog", "deny it", "always allow", "yes please", "every"):
        ui, out = plain_ui(agent, tmp_path, answers=[typed, "n", ""])
        assert (await ui.ask_approval(request)).decision == Decision.DENY, typed
        after = out.getvalue().split(f"› {typed}\n")[1]
        assert after.startswith("Answer y, a, s, n, e or d.\n"), (typed, after)


def test_plain_mode_keeps_keys_typed_during_a_reply_from_answering_an_approval(
    tmp_path: Path,
) -> None:
    """ "s" and Enter typed while the model works (meant as the next message) would answer
    "always" at the question that comes next; they wait for the next prompt instead."""
    child = pexpect.spawn(
        sys.executable,
        [str(Path(__file__).with_name("plain_scripted_driver.py")), str(tmp_path)],
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 120),
        env={
            **os.environ,
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "ASSISTANT_CONFIG": str(tmp_path / "config.toml"),
        },
    )
    try:
        child.expect("/help for commands")
        child.expect("›")
        child.send("write it\r")
        time.sleep(0.5)
        child.send("so\x7fure\r")  # typed ahead; the terminal applies the Backspace
        child.expect("kept for your next message, not taken as the answer: sure")
        child.expect(r"\[y\] allow once.*›")
        child.send("n\r")
        child.expect("Reason")
        child.send("\r")
        child.expect("denied")
        child.expect("› sure")  # the next message starts with what was typed
        child.sendcontrol("u")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert not (tmp_path / "a.txt").exists()
    assert not (tmp_path / "config.toml").exists(), "no rule was saved"


def test_typed_text_applies_backspace_and_drops_escape_sequences() -> None:
    """Keys prompt-toolkit read raw past a prompt's end, as the next message gets them."""
    assert typed_text("so\x7fure\r\x1b[Amore\x1bOB\x03!\r") == "sure\nmore!"
