"""Shared pieces of the distill tests: a teacher script for the fake Anthropic server."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tests.fakes.anthropic_server import AnthropicFake, Reply, text, tool_use

ROOT = Path(__file__).resolve().parents[2]


def _last_user_text(body: dict[str, Any]) -> str:
    for m in reversed(body.get("messages", [])):
        if m["role"] != "user":
            continue
        c = m["content"]
        if isinstance(c, str):
            return c
        return "\n".join(b.get("text", "") for b in c if b.get("type") == "text")
    return ""


def _tool_results(body: dict[str, Any]) -> list[str]:
    last = body.get("messages", [])[-1]
    out = []
    if isinstance(last["content"], list):
        for b in last["content"]:
            if b.get("type") == "tool_result":
                c = b.get("content")
                out.append(c if isinstance(c, str) else "".join(x.get("text", "") for x in c or []))
    return out


def answer_for(prompt: str) -> str:
    """A distinct, code-bearing answer per prompt (so dedup keeps them)."""
    digest = hashlib.sha256(prompt.encode()).hexdigest()
    words = " ".join(f"w{digest[i : i + 6]}" for i in range(0, 48, 3))
    return (
        f"Here is a worked answer ({digest[:12]}). {words}\n\n```python\n"
        f"def solution_{digest[:8]}():\n    return {int(digest[:6], 16)}\n```\n"
        "The function returns a constant; adapt it to your case."
    )


def ask_back(body: dict[str, Any]) -> str:
    """A distinct question back (the right reply to a request missing a value): unique per
    request (messages and tools), so dedup keeps every record."""
    digest = hashlib.sha256(
        json.dumps([body.get("messages"), body.get("tools")], sort_keys=True).encode()
    ).hexdigest()
    words = " ".join(f"w{digest[i : i + 6]}" for i in range(0, 48, 3))
    return f"Before I call anything ({words}), which value should I use?"


def teacher(body: dict[str, Any], delay: float = 0.0) -> Reply:
    """A competent fake teacher: a request for a catalogue function that lacks a value
    gets a question back (no call); agent tasks grep the workspace then report what
    they found; calls without tools get a distinct answer with a code block."""
    if body.get("tools"):
        results = _tool_results(body)
        names = {t.get("name") for t in body["tools"]}
        if not results and "run_shell" not in names:  # catalogue functions offered
            return text(ask_back(body), chunk_delay=delay)
        if not results:
            return tool_use(
                "run_shell",
                {"command": "grep -rn '' . | grep -v '/.git/' | head -80"},
                chunk_delay=delay,
            )
        return text("I searched the workspace. Findings:\n" + "\n".join(results), chunk_delay=delay)
    return text(answer_for(_last_user_text(body)), chunk_delay=delay)


class Timed:
    """Wraps the fake's responder to record when each message request arrived."""

    def __init__(self, fake: AnthropicFake, faults: list[Any], delay: float = 0.0) -> None:
        self.times: list[float] = []
        self.kinds: list[str] = []
        self.bodies: list[str] = []
        """A hash of each request's messages, to spot a call paid for twice."""
        self.faults = list(faults)
        self.delay = delay
        self.lock = threading.Lock()
        fake.responder = self

    def __call__(self, body: dict[str, Any]) -> Any:
        with self.lock:
            self.times.append(time.monotonic())
            self.bodies.append(
                hashlib.sha256(
                    json.dumps([body.get("messages"), body.get("tools")], sort_keys=True).encode()
                ).hexdigest()
            )
            if self.faults:
                f = self.faults.pop(0)
                self.kinds.append(f"fault:{f.status}")
                return f
            self.kinds.append("ok")
        return teacher(body, self.delay)


def fixed_price(fake: AnthropicFake) -> float:
    """Make the fake teacher bill every reply the same tokens; returns USD per call."""
    from dataclasses import replace

    from assistant.llm.base import Usage
    from assistant.llm.pricing import cost_usd

    fake.responder = lambda body: replace(teacher(body), input_tokens=1000, output_tokens=100)
    return cost_usd("claude-haiku-4-5", Usage(1000, 100))


def distill_cmd(fake: AnthropicFake, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "assistant.distill",
        "--provider",
        "anthropic",
        "--model",
        "claude-haiku-4-5",
        "--base-url",
        fake.base_url,
        "--output-dir",
        str(out),
        "--yes",
        "--quiet",
        *extra,
    ]


def distill_env() -> dict[str, str]:
    return {**os.environ, "ANTHROPIC_API_KEY": "test-key", "PYTHONUNBUFFERED": "1"}


def distill_ok(fake: AnthropicFake, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``assistant.distill`` against ``fake`` as a child process that must exit 0."""
    res = subprocess.run(
        distill_cmd(fake, out, *extra),
        cwd=ROOT,
        env=distill_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    return res


def start_distill(fake: AnthropicFake, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    """``assistant.distill`` against ``fake`` as a child process (for kill/resume tests)."""
    return subprocess.Popen(
        distill_cmd(fake, out, *extra),
        cwd=ROOT,
        env=distill_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
