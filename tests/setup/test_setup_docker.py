"""The set-up script's decisions, run with stub programs on PATH (no real apt-get or dockerd).

Each test builds a bin directory holding the few real utilities the script uses and stubs
for the programs whose presence it decides on; nothing else of the host is on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "setup-docker.sh"
CORE_UTILS = (
    "bash", "sh", "sed", "sort", "tail", "seq", "sleep", "pgrep", "id", "cat", "dirname",
    "date", "touch", "nohup", "printf",
)  # fmt: skip


def _stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    for name in CORE_UTILS:
        real = shutil.which(name)
        assert real, f"{name} is needed by this test"
        (directory / name).symlink_to(real)
    _stub(directory, "apt-get", f'echo "$*" >> {tmp_path}/apt-get.calls')
    return directory


def _run(bin_dir: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "SETUP_DOCKER_SBIN": "",
        "SETUP_DOCKER_LOG": str(tmp_path / "dockerd.log"),
        "SETUP_DOCKER_WAIT": "5",
        "SETUP_DOCKER_SKIP_IMAGE": "1",
        **env,
    }
    return subprocess.run(
        ["bash", str(SCRIPT)], env=environ, capture_output=True, text=True, timeout=60
    )


def _installed(tmp_path: Path) -> list[str]:
    calls = tmp_path / "apt-get.calls"
    if not calls.exists():
        return []
    return [line for line in calls.read_text().splitlines() if line.startswith("install")]


def _present(bin_dir: Path, *names: str) -> None:
    for name in names:
        _stub(bin_dir, name, "exit 0")


def test_a_docker_client_without_a_daemon_installs_docker_io_and_fails_fast(
    bin_dir: Path, tmp_path: Path
) -> None:
    _stub(bin_dir, "docker", 'echo "Cannot connect to the Docker daemon" >&2; exit 1')
    _present(bin_dir, "debootstrap", "bwrap", "tmux", "rg")

    started = time.monotonic()
    result = _run(bin_dir, tmp_path)

    assert result.returncode != 0
    installs = _installed(tmp_path)
    assert len(installs) == 1 and "docker.io" in installs[0].split()
    assert "dockerd is not installed" in result.stderr
    assert time.monotonic() - started < 20, "must not wait for a daemon that does not exist"


def test_everything_present_requests_nothing(bin_dir: Path, tmp_path: Path) -> None:
    _present(
        bin_dir, "docker", "dockerd", "containerd", "runc", "debootstrap", "bwrap", "tmux", "rg"
    )

    result = _run(bin_dir, tmp_path)

    assert result.returncode == 0, result.stderr
    assert _installed(tmp_path) == []
    assert not (tmp_path / "apt-get.calls").exists()


def test_a_running_daemon_needs_no_local_engine(bin_dir: Path, tmp_path: Path) -> None:
    _present(bin_dir, "docker", "debootstrap", "tmux")  # no dockerd/containerd/runc/bwrap/rg

    result = _run(bin_dir, tmp_path)

    assert result.returncode == 0, result.stderr
    (install,) = _installed(tmp_path)
    packages = set(install.split()) - {"install", "-y", "-qq", "--no-install-recommends"}
    assert packages == {"bubblewrap", "ripgrep", "ca-certificates"}


def test_a_daemon_that_dies_is_explained_from_its_log(bin_dir: Path, tmp_path: Path) -> None:
    _stub(bin_dir, "docker", "exit 1")
    _stub(bin_dir, "dockerd", 'echo "failed to mount overlay: operation not permitted" >&2; exit 1')
    _present(bin_dir, "containerd", "runc", "debootstrap", "bwrap", "tmux", "rg")

    started = time.monotonic()
    result = _run(bin_dir, tmp_path)

    assert result.returncode != 0
    assert "permission" in result.stderr
    assert "operation not permitted" in result.stderr, "the log's tail is shown"
    assert _installed(tmp_path) == []
    assert time.monotonic() - started < 20


def test_without_root_it_names_the_fix_instead_of_failing_in_apt(
    bin_dir: Path, tmp_path: Path
) -> None:
    (bin_dir / "id").unlink()
    _stub(bin_dir, "id", "echo 1000")
    _stub(bin_dir, "docker", "exit 1")

    result = _run(bin_dir, tmp_path)

    assert result.returncode != 0
    assert "needs root" in result.stderr
    assert _installed(tmp_path) == []


def test_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)


def test_a_daemon_the_user_may_not_reach_is_named_not_restarted(
    bin_dir: Path, tmp_path: Path
) -> None:
    """Docker runs, but the user is not in the docker group: say so at once, instead of
    starting a second dockerd with sudo, waiting for it, and advising to remove its pid file."""
    (bin_dir / "id").unlink()
    _stub(bin_dir, "id", "echo 1000")
    _stub(bin_dir, "sudo", '"$@"')
    _stub(
        bin_dir,
        "docker",
        'echo "permission denied while trying to connect to the Docker daemon socket at '
        'unix:///var/run/docker.sock: dial unix /var/run/docker.sock: connect: permission denied" >&2'
        "; exit 1",
    )
    _stub(bin_dir, "dockerd", f"touch {tmp_path}/dockerd.started; sleep 30")
    _present(bin_dir, "containerd", "runc", "systemctl", "debootstrap", "bwrap", "tmux", "rg")

    started = time.monotonic()
    result = _run(bin_dir, tmp_path)

    assert result.returncode != 0
    assert "docker group" in result.stderr, result.stderr
    assert "pid file" not in result.stderr
    assert not (tmp_path / "dockerd.started").exists()
    assert time.monotonic() - started < 5
