"""End to end in a real terminal: tmux runs the ``assistant`` console script on the real model."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
SCRIPT = Path(sys.executable).with_name("assistant")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


def wait_screen(name: str, needle: str, timeout: float = 120) -> str:
    """Wait for ``needle`` (a regular expression) on the screen."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        text = screen(name)
        if re.search(needle, text):
            return text
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen(name)}")


def test_assistant_chat_in_tmux(tmp_path: Path) -> None:
    assert SCRIPT.exists(), "the console script is installed with the package"
    name = f"assistant-ui-{os.getpid()}"
    env = f"ASSISTANT_DATA_DIR={tmp_path / 'data'} TERM=xterm-256color"
    command = f"cd {tmp_path} && env {env} {SCRIPT} chat --approve ask; echo EXITED=$?; sleep 30"
    tmux("new-session", "-d", "-s", name, "-x", "110", "-y", "35", command)
    try:
        wait_screen(name, "approve: ask")
        text = screen(name)
        assert "smollm2" in text.lower() and "– tok/s" in text
        tmux("send-keys", "-t", name, "-l", "/help")
        tmux("send-keys", "-t", name, "Enter")
        wait_screen(name, "/resume")
        tmux("send-keys", "-t", name, "-l", "Say hello.")
        tmux("send-keys", "-t", name, "Enter")
        wait_screen(name, "you")
        text = wait_screen(name, r"\d tok/s │")  # the usage event arrived: the reply is done
        assert "assistant" in text
        tmux("send-keys", "-t", name, "C-d")
        wait_screen(name, "EXITED=0", timeout=30)
    finally:
        tmux("kill-session", "-t", name)
