"""A new user's typos and wrong files, run through the real `assistant` command: each ends in
one sentence naming the problem and the fix, a non-zero exit, no traceback, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def assistant(args: list[str], cwd: Path, env: dict[str, str] | None = None):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANTHROPIC_", "OPENAI_", "ASSISTANT_"))
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_sentence(out: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    """Exit ``code`` and an error line holding every fragment; no traceback."""
    assert out.returncode == code, out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    error = [line for line in out.stderr.splitlines() if "error" in line.lower() or "│" in line]
    text = " ".join(" ".join(error).replace("│", " ").split())  # the usage box wraps lines
    for fragment in fragments:
        assert fragment in text, out.stderr


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "ASSISTANT_CONFIG": str(tmp_path / "config.toml"),
    }


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    d = tmp_path / "ws"
    d.mkdir()
    return d


@pytest.mark.parametrize(
    ("flag", "value"), [("--max-steps", "0"), ("--max-steps", "-1"), ("--max-cost", "-5")]
)
def test_run_limits_below_their_range_are_refused(
    ws: Path, env: dict[str, str], flag: str, value: str
) -> None:
    """They used to run and stop at once ("stopped: max steps after 0 steps", exit 3)."""
    out = assistant(["run", "-p", "hi", "--model", "anthropic:x", flag, value], ws, env)
    one_sentence(out, 2, f"'{flag}'", "greater than or equal to")


def test_a_config_path_that_is_a_folder_is_named(
    tmp_path: Path, ws: Path, env: dict[str, str]
) -> None:
    (tmp_path / "config.toml").mkdir()
    out = assistant(["models"], ws, env)
    one_sentence(out, 1, f"Cannot read config file {tmp_path / 'config.toml'} (Is a directory)")


def test_a_project_config_that_is_a_folder_is_named(ws: Path, env: dict[str, str]) -> None:
    (ws / ".assistant.toml").mkdir()
    out = assistant(["models", "-C", str(ws)], ws, env)
    one_sentence(out, 1, ".assistant.toml (Is a directory)", "remove it")


@pytest.mark.parametrize(
    ("toml", "setting"),
    [
        ("[limits]\nmax_steps = 0\n", "limits.max_steps"),
        ("[llm]\nn_ctx = -5\n", "llm.n_ctx"),
        ("[llm]\nmax_tokens = 0\n", "llm.max_tokens"),
        ("[limits]\nmax_repeats = -1\n", "limits.max_repeats"),
    ],
)
def test_out_of_range_settings_are_named_with_their_file(
    tmp_path: Path, ws: Path, env: dict[str, str], toml: str, setting: str
) -> None:
    """A negative n_ctx used to reach llama.cpp and read as a corrupt model file."""
    (tmp_path / "config.toml").write_text(toml)
    out = assistant(["models"], ws, env)
    one_sentence(out, 1, f"Setting '{setting}' is invalid", str(tmp_path / "config.toml"))


def test_an_out_of_range_environment_variable_is_named(ws: Path, env: dict[str, str]) -> None:
    out = assistant(["models"], ws, env | {"ASSISTANT_N_CTX": "5"})
    one_sentence(out, 1, "'llm.n_ctx'", "fix ASSISTANT_N_CTX in your environment")


def test_trust_on_a_file_names_the_workspace(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "afile").write_text("x")
    out = assistant(["trust", "-C", "afile"], tmp_path, env)
    one_sentence(out, 1, "Workspace afile is not a directory")


def _session(env: dict[str, str], ws: Path) -> str:
    code = (
        "from pathlib import Path; from assistant.agent.session import SessionStore; "
        f"print(SessionStore().create(Path({str(ws)!r}), 'm').path.stem)"
    )
    made = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_undo_names_an_unknown_session(ws: Path, env: dict[str, str]) -> None:
    """It used to print "Nothing to undo." and exit 0."""
    out = assistant(["undo", "no-such-session", "-C", str(ws)], ws, env)
    one_sentence(out, 1, "No session 'no-such-session'", "assistant sessions list")


def test_undo_with_nothing_to_undo_fails(ws: Path, env: dict[str, str]) -> None:
    sid = _session(env, ws)
    out = assistant(["undo", sid, "-C", str(ws)], ws, env)
    one_sentence(out, 1, f"There is nothing to undo in session {sid}")


@pytest.mark.parametrize("journal", [b"\xff\xfe\n", b'{"foo": 1}\n'])
def test_undo_names_a_damaged_journal(
    tmp_path: Path, ws: Path, env: dict[str, str], journal: bytes
) -> None:
    sid = _session(env, ws)
    path = tmp_path / "data" / "sessions" / f"{sid}.undo.jsonl"
    path.write_bytes(journal)
    out = assistant(["undo", sid, "-C", str(ws)], ws, env)
    one_sentence(out, 1, f"The undo journal {path} is damaged")
    assert path.read_bytes() == journal


def test_session_export_to_a_folder_or_unwritable_path(
    tmp_path: Path, ws: Path, env: dict[str, str]
) -> None:
    sid = _session(env, ws)
    out = assistant(["sessions", "export", sid, "-o", str(ws)], ws, env)
    one_sentence(out, 2, f"--output {ws} is a folder")
    (tmp_path / "afile").write_text("keep")
    target = tmp_path / "afile" / "x.jsonl"
    out = assistant(["sessions", "export", sid, "-o", str(target)], ws, env)
    one_sentence(out, 1, f"Cannot write {target}", "pass another --output")
    assert (tmp_path / "afile").read_text() == "keep"


def test_a_data_dir_that_is_a_file_is_named(tmp_path: Path, ws: Path, env: dict[str, str]) -> None:
    (tmp_path / "afile").write_text("keep")
    args = ["run", "-p", "hi", "--model", "anthropic:x", "--base-url", "http://127.0.0.1:9"]
    out = assistant(
        [*args, "--sandbox", "host", "-C", str(ws)],
        ws,
        env | {"ASSISTANT_DATA_DIR": str(tmp_path / "afile"), "ANTHROPIC_API_KEY": "k"},
    )
    one_sentence(out, 1, f"Cannot save sessions in {tmp_path / 'afile'}", "ASSISTANT_DATA_DIR")
    assert (tmp_path / "afile").read_text() == "keep"


def test_sessions_list_names_a_data_dir_that_is_a_file(
    tmp_path: Path, ws: Path, env: dict[str, str]
) -> None:
    """It used to say "No sessions yet." and exit 0, hiding where the sessions went."""
    (tmp_path / "afile").write_text("keep")
    out = assistant(["sessions", "list"], ws, env | {"ASSISTANT_DATA_DIR": str(tmp_path / "afile")})
    one_sentence(out, 1, f"{tmp_path / 'afile'} is not a folder", "set ASSISTANT_DATA_DIR")
    assert "No sessions" not in out.stdout
    out = assistant(["sessions", "list"], ws, env)  # a data dir not made yet: nothing saved
    assert out.returncode == 0 and out.stdout == "No sessions yet.\n", out.stderr


@pytest.mark.parametrize(
    ("model", "var"), [("anthropic:claude-haiku-4-5", "ANTHROPIC"), ("openai:gpt-4o", "OPENAI")]
)
def test_a_missing_api_key_does_not_point_at_a_flag_run_lacks(
    ws: Path, env: dict[str, str], model: str, var: str
) -> None:
    """`run` has no --api-key; the message used to tell people to pass one."""
    out = assistant(["run", "-p", "hi", "--model", model], ws, env)
    one_sentence(out, 1, f"{var}_API_KEY is not set; export it")
    assert "--api-key" not in out.stderr


@pytest.mark.parametrize(
    ("model", "url"), [("openai:gpt-4o", "notaurl"), ("anthropic:x", "127.0.0.1:8000")]
)
def test_a_base_url_without_a_scheme_is_named(
    ws: Path, env: dict[str, str], model: str, url: str
) -> None:
    """It used to be sent, and read as "lost its connection; check your network"."""
    args = ["run", "-p", "hi", "--model", model, "--base-url", url, "--sandbox", "host"]
    out = assistant(args, ws, env | {"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"})
    one_sentence(out, 1, f"The base URL {url!r} is not an http:// or https:// address")
    assert "connection" not in out.stderr


@pytest.mark.parametrize(
    ("model", "var"), [("openai:gpt-4o", "OPENAI"), ("anthropic:x", "ANTHROPIC")]
)
def test_a_bad_base_url_names_the_place_it_was_set(
    tmp_path: Path, ws: Path, env: dict[str, str], model: str, var: str
) -> None:
    """One from the SDK's environment variable was said to need "--base-url", which was
    never passed; one from the flag or the config is named as such."""
    keys = {"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"}
    args = ["run", "-p", "hi", "--model", model, "--sandbox", "host"]
    out = assistant(args, ws, env | keys | {f"{var}_BASE_URL": "localhost:8000"})
    one_sentence(out, 1, "The base URL 'localhost:8000' is not", f"set {var}_BASE_URL to one")
    assert "--base-url" not in out.stderr
    (tmp_path / "config.toml").write_text('[llm]\nbase_url = "ftp://x"\n')
    out = assistant(args, ws, env | keys)
    one_sentence(out, 1, "'ftp://x' is not", "set --base-url (or llm.base_url in the config")


def test_an_empty_prompt_is_refused(ws: Path, env: dict[str, str]) -> None:
    """It used to be sent to the model as the task."""
    out = assistant(["run", "-p", "  ", "--model", "anthropic:x"], ws, env)
    one_sentence(out, 2, "--prompt is empty; give the task")


@pytest.mark.parametrize("command", ["run", "chat"])
def test_continue_and_resume_together_are_refused(
    ws: Path, env: dict[str, str], command: str
) -> None:
    """--resume used to win without a word."""
    sid = _session(env, ws)
    prompt = ["-p", "hi"] if command == "run" else []
    args = [command, *prompt, "--model", "anthropic:x", "--continue", "--resume", sid]
    out = assistant(args, ws, env)
    one_sentence(out, 2, "--continue and --resume both pick a session; pass one of them")


@pytest.mark.parametrize("command", ["run", "undo", "export"])
def test_a_session_id_that_is_a_path_is_refused(
    tmp_path: Path, ws: Path, env: dict[str, str], command: str
) -> None:
    """'../../elsewhere' named a log outside the sessions folder: --resume rewrote it."""
    sid = _session(env, ws)
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes((tmp_path / "data" / "sessions" / f"{sid}.jsonl").read_bytes())
    before = elsewhere.read_bytes()
    args = {
        "run": ["run", "-p", "hi", "--model", "anthropic:x", "--resume", "../../elsewhere"],
        "undo": ["undo", "../../elsewhere", "-C", str(ws)],
        "export": ["sessions", "export", "../../elsewhere"],
    }[command]
    # A key, and nothing listening at the base URL: the session is opened before any request.
    env = {**env, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    out = assistant(args, ws, env)
    one_sentence(out, 1, "'../../elsewhere' is not a session id", "assistant sessions list")
    assert elsewhere.read_bytes() == before


def test_a_session_id_naming_its_undo_journal_is_refused(ws: Path, env: dict[str, str]) -> None:
    """'<id>.undo' named the session's undo journal, which --resume would rewrite."""
    sid = _session(env, ws)
    out = assistant(["sessions", "export", f"{sid}.undo"], ws, env)
    one_sentence(out, 1, f"'{sid}.undo' is not a session id")
