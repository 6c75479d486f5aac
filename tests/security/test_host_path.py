"""A program planted in the workspace and reached through the user's PATH never runs on
the host: a relative entry (``./node_modules/.bin``, ``bin``, an empty one) is looked up
from the current directory, often the workspace; an absolute entry may lie inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.gitsafe import git_env, worktree_diff
from assistant.tools.hostpath import host_which
from assistant.tools.sandbox.host import HostSandbox
from assistant.tools.sandbox.protect import prepare
from assistant.tools.search import grep

PROGRAMS = ("rg", "git", "bash", "bwrap")
REAL = {name: shutil.which(name) for name in PROGRAMS}


def _wrapper(path: Path, real: str, marker: Path) -> None:
    """An executable at ``path`` that notes its run in ``marker`` and then runs ``real``."""
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\nexec "{real}" "$@"\n')
    path.chmod(0o755)


class Planted:
    """A workspace with each program planted in ``planted_dir``, a PATH that reaches it
    first, and an honest copy of each on the host in ``host_bin`` right after it."""

    def __init__(self, tmp_path: Path, style: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ws = (tmp_path / "ws").resolve()
        self.planted_dir = self.ws / "node_modules" / ".bin"
        self.planted_dir.mkdir(parents=True)
        self.planted = tmp_path / "planted-ran"
        self.honest = tmp_path / "honest-ran"
        host_bin = tmp_path / "host-bin"
        host_bin.mkdir()
        for name, real in REAL.items():
            if real is not None:
                _wrapper(self.planted_dir / name, real, self.planted)
                _wrapper(host_bin / name, real, self.honest)
        entry = {
            "relative": "./node_modules/.bin",
            "relative-child-in-workspace": "./node_modules/.bin",
            "absolute": str(self.planted_dir),
            "link-into-workspace": str(tmp_path / "link"),
        }[style]
        if style == "link-into-workspace":
            (tmp_path / "link").symlink_to(self.planted_dir)
        rest = os.environ.get("PATH", "/usr/bin:/bin")
        monkeypatch.setenv("PATH", os.pathsep.join([entry, str(host_bin), rest]))
        # `assistant chat` started in the project; or elsewhere, while its children
        # (commands, git -C) run in the workspace, where a relative entry then points.
        monkeypatch.chdir(tmp_path if style == "relative-child-in-workspace" else self.ws)

    def git_repo(self) -> None:
        git = REAL["git"]
        assert git is not None
        for args in (("init", "-q", "-b", "main"), ("add", "-A")):
            subprocess.run([git, "-C", str(self.ws), *args], check=True, env=git_env())
        commit = ("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init")
        subprocess.run([git, "-C", str(self.ws), *commit], check=True, env=git_env())

    def ran(self) -> tuple[str, str]:
        """(what the planted programs logged, what the honest ones logged)."""
        return tuple(p.read_text() if p.exists() else "" for p in (self.planted, self.honest))


STYLES = ("relative", "relative-child-in-workspace", "absolute", "link-into-workspace")


@pytest.fixture(params=STYLES)
def planted(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return Planted(tmp_path, request.param, monkeypatch)


@pytest.mark.skipif(REAL["rg"] is None, reason="ripgrep is not installed")
async def test_grep_runs_the_hosts_rg_not_the_workspaces(planted: Planted) -> None:
    (planted.ws / "a.py").write_text("hello\n")
    result = await grep.run({"pattern": "hello"}, ToolContext(workspace=planted.ws))
    assert "a.py:1:hello" in result.output
    bad, good = planted.ran()
    assert bad == "", f"the workspace's rg ran on the host: {bad}"
    assert "rg " in good  # the host's rg did the search (rg was chosen, not Python)


@pytest.mark.skipif(REAL["git"] is None, reason="git is not installed")
def test_repository_scan_runs_the_hosts_git(planted: Planted) -> None:
    prepare(planted.ws).cleanup()  # asks git for core.hooksPath
    bad, good = planted.ran()
    assert bad == "", f"the workspace's git ran on the host: {bad}"
    assert "rev-parse" in good


@pytest.mark.skipif(REAL["git"] is None, reason="git is not installed")
async def test_file_tools_git_runs_the_hosts_git(planted: Planted) -> None:
    (planted.ws / "app.py").write_text("x = 1\n")
    planted.git_repo()
    (planted.ws / "app.py").write_text("x = 2\n")
    diff = await worktree_diff(planted.ws)
    assert "-x = 1" in diff and "+x = 2" in diff
    bad, good = planted.ran()
    assert bad == "", f"the workspace's git ran on the host: {bad}"
    assert "ls-tree" in good


@pytest.mark.skipif(REAL["bash"] is None, reason="bash is not installed")
@pytest.mark.parametrize("style", ["relative", "relative-child-in-workspace"])
async def test_host_sandbox_runs_the_hosts_bash(
    style: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bash (the driver and each command's runner) is the host's, whatever a relative PATH
    entry points at; absolute entries stay, as the user chose them (below)."""
    planted = Planted(tmp_path, style, monkeypatch)
    box = HostSandbox(planted.ws)
    try:
        result = await box.exec("git --version >/dev/null; echo done", timeout=20)
    finally:
        await box.close()
    assert "done" in result.output
    bad, good = planted.ran()
    assert bad == "", f"a program from the workspace ran on the host: {bad}"
    assert "--noprofile" in good and "git --version" in good


async def test_host_sandbox_commands_keep_the_users_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An activated project venv (PATH=$PWD/.venv/bin:...) still answers an approved
    `mytool` under --sandbox host (with the tools' filter it was not found)."""
    ws = (tmp_path / "ws").resolve()
    venv_bin = ws / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "mytool").write_text("#!/bin/sh\necho from-the-venv\n")
    (venv_bin / "mytool").chmod(0o755)
    monkeypatch.setenv("PATH", f"{venv_bin}:{os.environ['PATH']}")
    box = HostSandbox(ws)
    try:
        result = await box.exec("mytool", timeout=20)
    finally:
        await box.close()
    assert "from-the-venv" in result.output, result.output


@pytest.mark.parametrize("name", [n for n in PROGRAMS if REAL[n] is not None])
def test_lookup_passes_over_the_workspace(planted: Planted, name: str) -> None:
    found = host_which(name, planted.ws)
    assert found is not None and not found.startswith(str(planted.ws))
    assert Path(found).parent.name == "host-bin"


def test_lookup_ignores_an_empty_entry_and_a_link_to_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = (tmp_path / "ws").resolve()
    ws.mkdir()
    _wrapper(ws / "tool", "/bin/true", tmp_path / "marker")
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PATH", ":/nonexistent")  # the empty entry is the current directory
    assert host_which("tool", ws) is None
    outside = tmp_path / "bin"
    outside.mkdir()
    (outside / "tool").symlink_to(ws / "tool")  # an executable that is a link back in
    monkeypatch.setenv("PATH", str(outside))
    assert host_which("tool", ws) is None


def test_a_bwrap_only_in_the_workspace_does_not_count_as_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.agent.builder import sandbox_unavailable

    ws = (tmp_path / "ws").resolve()
    (ws / "bin").mkdir(parents=True)
    _wrapper(ws / "bin" / "bwrap", "/bin/true", tmp_path / "marker")
    monkeypatch.chdir(ws)
    for path in ("bin:/nonexistent", f"{ws / 'bin'}:/nonexistent"):
        monkeypatch.setenv("PATH", path)
        assert "bubblewrap (bwrap) is not installed" in (sandbox_unavailable("bwrap", ws) or "")


@pytest.mark.skipif(REAL["git"] is None, reason="git is not installed")
def test_without_a_workspace_only_relative_entries_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """Started from / (a container's WORKDIR), every absolute entry lies "inside" the
    current directory: treating it as the workspace found no program at all."""
    monkeypatch.chdir("/")
    monkeypatch.setenv("PATH", f"bin:{Path(REAL['git'] or '').parent}")
    assert host_which("git", None) == REAL["git"]


@pytest.mark.parametrize("style", ["relative", "absolute", "link-into-workspace"])
def test_without_a_workspace_the_current_directory_counts_as_one(
    style: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`assistant sandbox doctor` run in the project (no -C): a git planted there through a
    PATH entry such as direnv's $PWD/node_modules/.bin is passed over."""
    Planted(tmp_path, style, monkeypatch)  # the current directory is its workspace
    found = host_which("git", None)
    assert found is not None and Path(found).parent.name == "host-bin"
