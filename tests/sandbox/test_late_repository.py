"""A git repository planted after the sandbox's last command is named when it closes.

Each command's output starts with a warning when it leaves a repository directory (HEAD,
objects/, refs/ and a config naming a pager) that git on the host would use.  A background
process the command started, or the file tools (they run on the host), can plant one after
the last command; closing the sandbox stops its processes and scans once more, and the
front ends print what it found on stderr.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.tools.sandbox import open_sandbox
from assistant.tools.sandbox.bwrap import bwrap_usable
from assistant.tools.sandbox.protect import repository_warning
from tests.fakes.anthropic_server import anthropic_fake, text, tool_use

# The files that make ``{d}`` a repository for git on the host; its pager runs programs.
PLANT = (
    "mkdir -p {d}/objects {d}/refs && printf '[core]\\n\\tpager = touch PAGED\\n' > {d}/config"
    " && echo 'ref: refs/heads/main' > {d}/HEAD"
)
LATE = "After the sandbox's last command"
PLANT_DELAY_S = 6
"""How long a background planter waits: longer than closing a sandbox takes."""

KINDS = [
    pytest.param("docker", marks=[pytest.mark.docker, pytest.mark.slow]),
    pytest.param(
        "bwrap", marks=pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run")
    ),
]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    if request.param == "docker":
        request.getfixturevalue("docker_ready")
    return request.param


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    d = tmp_path / "ws"
    d.mkdir()
    return d


def in_background(script: str) -> str:
    """A command that returns at once and leaves ``script`` running in its own session
    (out of the command's process group and of the driver's session)."""
    return f"setsid nohup sh -c {shlex.quote(script)} >/dev/null 2>&1 &"


async def wait_for(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        await asyncio.sleep(0.1)


async def test_a_repository_planted_in_the_background_after_the_last_command_is_named(
    kind: str, ws: Path
) -> None:
    sb = open_sandbox(kind, ws, "late-plant")
    try:
        res = await sb.exec(in_background("sleep 3; " + PLANT.format(d="late")), timeout=60)
        assert "sandbox warning" not in res.output, res.output
        await wait_for(ws / "late" / "HEAD")
    finally:
        warning = await sb.close()
    assert warning is not None and warning.startswith(f"[sandbox warning] {LATE}"), warning
    assert " at late " in warning and "safe.bareRepository" in warning, warning


async def test_a_plant_still_waiting_at_close_is_stopped_and_nothing_is_reported(
    kind: str, ws: Path
) -> None:
    """Closing kills the background processes first (a session of their own included), and
    a repository already named in a command's output is not named again."""
    sb = open_sandbox(kind, ws, "late-stopped")
    try:
        now = await sb.exec(PLANT.format(d="docs"), timeout=60)
        assert " at docs " in now.output, now.output
        planter = f"touch started; sleep {PLANT_DELAY_S}; " + PLANT.format(d="late")
        await sb.exec(in_background(planter), 60)
        await wait_for(ws / "started")
    finally:
        warning = await sb.close()  # well within the planter's sleep, even on a loaded machine
    assert warning is None, warning
    # Past the planter's sleep, counted from when it began: it would have written by now.
    await asyncio.sleep((ws / "started").stat().st_mtime + PLANT_DELAY_S + 1 - time.time())
    assert not (ws / "late").exists(), "a background process outlived the sandbox"


def running(marker: bytes) -> list[int]:
    """Host pids of running (not zombie) processes whose command line holds ``marker``."""
    out = []
    for d in Path("/proc").iterdir():
        try:
            stat = (d / "stat").read_text()
            if marker in (d / "cmdline").read_bytes() and stat[stat.rindex(")") + 2] != "Z":
                out.append(int(d.name))
        except (OSError, ValueError):
            continue
    return out


@pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run")
async def test_no_bwrap_process_runs_once_close_returns(ws: Path) -> None:
    """Killing bwrap's session leaves the kernel to kill the rest of its pid namespace a
    moment later; close() waits for that, or a background process could still write."""
    marker = b"sleep\x00987.25"
    sb = open_sandbox("bwrap", ws, "late-kill")
    try:
        await sb.exec("for i in $(seq 30); do " + in_background("sleep 987.25") + " done", 60)
        deadline = time.monotonic() + 10
        while len(running(marker)) < 30 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(running(marker)) == 30
    finally:
        await sb.close()
    assert running(marker) == []


@pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run")
async def test_killing_the_namespace_stops_every_process_of_the_sandbox(ws: Path) -> None:
    """What close() relies on, called while bwrap still runs: it kills them all itself."""
    from assistant.tools.sandbox.bwrap import kill_namespace, pid_namespace

    marker = b"sleep\x00987.5"
    sb = open_sandbox("bwrap", ws, "late-ns")
    try:
        await sb.exec(in_background("sleep 987.5") + " sleep 987.5 & disown", timeout=60)
        proc = sb.shell._t.proc  # type: ignore[union-attr]
        ns = pid_namespace(proc.pid)
        assert ns is not None and ns != os.readlink("/proc/self/ns/pid")
        deadline = time.monotonic() + 10
        while len(running(marker)) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(running(marker)) == 2
        assert await asyncio.to_thread(kill_namespace, ns)
        assert running(marker) == []
    finally:
        await sb.close()


def count_named(warning: str) -> int:
    """How many directories a repository warning names ("a, b and 3 more")."""
    m = re.search(r" at (.+?) \(a HEAD file", warning)
    if m is None:
        return 0
    names = m.group(1)
    more = re.search(r" and (\d+) more$", names)
    if more is None:
        return len(names.split(", "))
    return len(names[: more.start()].split(", ")) + int(more.group(1))


async def test_every_repository_a_background_loop_planted_is_named(kind: str, ws: Path) -> None:
    """A loop that plants until it is killed: the last scan comes after every process of
    the sandbox is gone, so nothing the loop planted goes unnamed."""
    loop = "i=0; while :; do i=$((i+1)); " + PLANT.format(d="r$i") + "; sleep 0.01; done"
    sb = open_sandbox(kind, ws, "late-loop")
    try:
        res = await sb.exec(in_background("sleep 1; " + loop), timeout=60)
        named = count_named(res.output)
        await wait_for(ws / "r20" / "HEAD")
    finally:
        warning = await sb.close()
    named += count_named(warning or "")
    await asyncio.sleep(1)  # anything still running would plant more meanwhile
    planted = [d for d in ws.iterdir() if (d / "HEAD").is_file() and (d / "refs").is_dir()]
    assert named == len(planted) >= 20, (named, len(planted), warning)


async def test_a_repository_the_file_tools_write_after_the_last_command_is_named(
    kind: str, ws: Path
) -> None:
    """write_file runs on the host, not in the sandbox: the closing scan sees it too."""
    from assistant.tools.base import ToolContext
    from assistant.tools.files import write_file

    sb = open_sandbox(kind, ws, "late-write")
    try:
        await sb.exec("echo hi > notes.txt", timeout=60)
        ctx = ToolContext(workspace=ws)
        for path, content in (
            ("x/objects/.keep", ""),
            ("x/refs/.keep", ""),
            ("x/config", "[core]\n\tpager = touch PAGED\n"),
            ("x/HEAD", "ref: refs/heads/main\n"),
        ):
            r = await write_file.run({"path": path, "content": content}, ctx)
            assert not r.is_error, r.output
    finally:
        warning = await sb.close()
    assert warning is not None and " at x " in warning, warning


def test_a_name_that_could_hide_the_warning_is_shown_escaped() -> None:
    warning = repository_warning(["a\rb", "c\x1b[8md"])
    assert warning is not None and "\r" not in warning and "\x1b" not in warning
    assert "'a\\rb'" in warning and "'c\\x1b[8md'" in warning, warning


def assistant(
    args: list[str], cwd: Path, tmp: Path, stdin: str = ""
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ANTHROPIC_API_KEY="k",
        ASSISTANT_DATA_DIR=str(tmp / "data"),
        ASSISTANT_CONFIG=str(tmp / "config.toml"),
    )
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args, "--approve", "never-ask"],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(root)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.docker
@pytest.mark.slow
def test_assistant_run_prints_the_closing_warning(docker_ready, ws: Path, tmp_path: Path) -> None:
    """The plant lands while the model writes its final answer, after the last command."""
    with anthropic_fake() as fake:
        fake.script(
            tool_use("run_shell", {"command": in_background("sleep 1.5; " + PLANT.format(d="v"))}),
            text("done", chunk_delay=0.5),  # about 4 s
        )
        model = ["--model", "anthropic:claude-haiku-4-5", "--base-url", fake.base_url]
        out = assistant(["run", "-p", "go", *model], ws, tmp_path)
    assert out.returncode == 0, out.stderr
    assert (ws / "v" / "HEAD").exists()
    warnings = [line for line in out.stderr.splitlines() if line.startswith("[sandbox warning]")]
    assert len(warnings) == 1 and LATE in warnings[0] and " at v " in warnings[0], out.stderr


@pytest.mark.docker
@pytest.mark.slow
def test_chat_plain_prints_the_closing_warning(docker_ready, ws: Path, tmp_path: Path) -> None:
    """The model's file writes after its last command; the REPL ends at end of input."""
    calls = [
        ("write_file", {"path": path, "content": content})
        for path, content in (
            ("w/objects/.keep", ""),
            ("w/refs/.keep", ""),
            ("w/config", "[core]\n\tpager = touch PAGED\n"),
            ("w/HEAD", "ref: refs/heads/main\n"),
        )
    ]
    with anthropic_fake() as fake:
        fake.script(
            tool_use("run_shell", {"command": "echo hi"}),
            tool_use(*calls[0], more=calls[1:]),
            text("done"),
        )
        model = ["--model", "anthropic:claude-haiku-4-5", "--base-url", fake.base_url]
        out = assistant(["chat", "--plain", *model], ws, tmp_path, stdin="go\n")
    assert out.returncode == 0, out.stderr
    assert (ws / "w" / "HEAD").exists()
    assert f"[sandbox warning] {LATE}" in out.stderr and " at w " in out.stderr, out.stderr
