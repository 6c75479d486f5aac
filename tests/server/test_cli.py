"""``assistant serve`` as a real process, reached with the openai SDK."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai
import pytest

from assistant.llm import tuned

pytestmark = pytest.mark.slow

SERVE = [sys.executable, "-m", "assistant.cli", "serve"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ASSISTANT_CONFIG"] = str(tmp_path / "no-config.toml")
    env["ASSISTANT_N_THREADS"] = os.environ.get("ASSISTANT_TEST_THREADS", "1")
    env.pop("ASSISTANT_SERVE_API_KEY", None)
    return env


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [*SERVE, "--port", "0", *args], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        found = re.search(r"on (http://127\.0\.0\.1:\d+/v1)", line)
        if found:
            return proc, found.group(1)
    proc.kill()
    raise AssertionError("the server did not say where it listens")


def test_serve_command_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"ASSISTANT_SERVE_API_KEY": "k1"}
    proc, url = _start(["-C", str(tmp_path)], env)
    try:
        client = openai.OpenAI(base_url=url, api_key="k1", max_retries=0)
        # With a key the key alone decides, whatever name the client reached it by (a
        # reverse proxy's, a compose service's); the keyless guard is in test_web_pages.
        for name, key, status in (("other.lan", "k1", 200), ("other.lan", "k2", 401)):
            named = {"Host": f"{name}:{httpx.URL(url).port}", "x-api-key": key}
            assert httpx.get(url + "/models", headers=named).status_code == status
        found = tuned.shipped()
        default_name = found[1].name if found else "SmolLM2-135M-Instruct"
        assert [m.id for m in client.models.list()] == [default_name]
        reply = client.chat.completions.create(
            model="default", messages=[{"role": "user", "content": "hi"}], max_tokens=4
        )
        assert reply.choices[0].message.content
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=url, api_key="k2", max_retries=0).models.list()
    finally:
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=30)
    assert proc.returncode in (0, 130)  # uvicorn re-raises Ctrl-C after a clean shutdown
    assert "Traceback" not in rest


def test_serve_reports_a_taken_port_in_one_sentence(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*SERVE, "--port", str(port)], env=_env(tmp_path), capture_output=True, text=True
        )
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: Cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_serve_agent_follows_the_users_approval_policy(tmp_path: Path) -> None:
    env = _env(tmp_path)
    Path(env["ASSISTANT_CONFIG"]).write_text(
        '[approval]\nmode = "read-only"\n[sandbox]\nkind = "host"\n[limits]\nmax_steps = 1\n'
    )
    workspace = tmp_path / "ws"
    workspace.mkdir()
    proc, url = _start(["--agent", "-C", str(workspace), "--allowed-host", "assistant.lan"], env)
    try:
        # No key: a name other than localhost, an IP or an --allowed-host one is refused
        # (DNS rebinding).
        for name, status in (("assistant.lan", 200), ("other.lan", 403)):
            named = {"Host": f"{name}:{httpx.URL(url).port}"}
            assert httpx.get(url + "/models", headers=named).status_code == status
        reply = openai.OpenAI(base_url=url, api_key="x", max_retries=0).chat.completions.create(
            model="default",
            messages=[{"role": "user", "content": "Create notes.txt saying hi."}],
            tool_choice={"type": "function", "function": {"name": "write_file"}},
            max_tokens=48,
        )
        events = reply.model_dump()["agent"]["events"]
        result = next(e for e in events if e["type"] == "tool_result")
        assert result["output"].startswith("Denied:") and "read-only" in result["output"]
        assert not (workspace / "notes.txt").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
