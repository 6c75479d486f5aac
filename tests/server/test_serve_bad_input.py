"""``assistant serve`` with bad flags or environment: one sentence and a non-zero exit
before anything listens (a real process, killed if it serves instead)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def serve(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    full_env |= {"ASSISTANT_CONFIG": str(tmp_path / "none.toml"), "ANTHROPIC_API_KEY": "k"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "serve", "--model", "anthropic:x", *args],
        cwd=tmp_path,
        env=full_env | env,
        capture_output=True,
        text=True,
        timeout=60,  # a server that starts instead of refusing ends the test as a failure
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "-1"], "greater than or equal to 0"),
        (["--port", "70000"], "less than or equal to 65535"),
        (["--port", "0", "--n-ctx", "0"], "greater than or equal to 256"),
    ],
)
def test_out_of_range_flags_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    """--port -1 used to read as "Cannot resolve --host '127.0.0.1'", 70000 to listen on
    4464 (70000 mod 65536), and --n-ctx 0 was dropped without a word."""
    out = serve(args, tmp_path)
    assert out.returncode == 2, out.stderr
    assert f"'{args[-2]}'" in out.stderr and message in out.stderr
    assert "Traceback" not in out.stderr and "Serving" not in out.stderr


def test_a_bad_log_level_is_named_before_the_model_loads(tmp_path: Path) -> None:
    out = serve(["--port", "0"], tmp_path, ASSISTANT_LOG="loud")
    assert out.returncode == 1, out.stderr
    assert "error: ASSISTANT_LOG='loud' is not a log level; set it to one of" in out.stderr
    assert "Traceback" not in out.stderr and "Serving" not in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cors-origin", "notaurl"], "--cors-origin 'notaurl' is not an origin (it does not"),
        (["--cors-origin", "http://localhost:3000/app"], "has no user, path, query or fragment"),
        (["--cors-origin", "http://localhost:99999"], "its port is not a number"),
        (["--allowed-host", "http://assistant.lan"], "--allowed-host 'http://assistant.lan' is"),
    ],
)
def test_names_that_could_never_match_are_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    """Such a --cors-origin or --allowed-host used to be accepted and never matched, so the
    page or proxy it was meant for was refused with no hint why."""
    out = serve(["--port", "0", *args], tmp_path)
    assert out.returncode == 1, out.stderr
    assert message in out.stderr
    assert "Traceback" not in out.stderr and "Serving" not in out.stderr


def test_well_formed_origins_pass_the_check_and_are_written_as_browsers_do() -> None:
    from assistant.server.hosts import normalised_origin, origin_problem

    for origin, browser in (
        ("*", "*"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("https://App.Example.com:443/", "https://app.example.com"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ):
        assert origin_problem(origin) is None, origin
        assert normalised_origin(origin) == browser
