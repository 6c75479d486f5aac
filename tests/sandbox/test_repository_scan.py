"""The sandbox's repository scan sees every folder the host's git takes for a repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.tools.sandbox.protect import repository_dirs

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git_dir(folder: Path) -> str | None:
    """What the host's git says is the repository directory when run in ``folder``."""
    git = shutil.which("git")
    assert git is not None
    out = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--absolute-git-dir"],
        capture_output=True,
        text=True,
        # No system config either: one that refuses bare repositories hides what git takes.
        env={"GIT_CEILING_DIRECTORIES": str(folder.parent), "GIT_CONFIG_NOSYSTEM": "1"},
    )
    return out.stdout.strip() if out.returncode == 0 else None


def test_a_head_symlinked_to_a_directory_is_found(tmp_path: Path) -> None:
    planted = tmp_path / "x"
    (planted / "objects").mkdir(parents=True)
    (planted / "refs" / "heads").mkdir(parents=True)
    (planted / "HEAD").symlink_to("refs/heads")
    assert _git_dir(planted) == str(planted)
    assert "x" in repository_dirs(tmp_path)


def test_a_head_beside_commondir_is_found(tmp_path: Path) -> None:
    (tmp_path / "store" / "objects").mkdir(parents=True)
    (tmp_path / "store" / "refs").mkdir()
    planted = tmp_path / "x"
    planted.mkdir()
    (planted / "HEAD").write_text("ref: refs/heads/main\n")
    (planted / "commondir").write_text("../store\n")
    assert _git_dir(planted) == str(planted)
    assert "x" in repository_dirs(tmp_path)


def test_ordinary_folders_named_like_git_files_are_not(tmp_path: Path) -> None:
    plain = tmp_path / "docs"
    (plain / "refs").mkdir(parents=True)
    (plain / "HEAD").write_text("the head of the document\n")
    (plain / "config").write_text("[x]\n")
    placeholder = tmp_path / "guard"
    (placeholder / "HEAD").mkdir(parents=True)
    (placeholder / "objects").mkdir()
    (placeholder / "refs").mkdir()
    assert _git_dir(plain) is None
    assert _git_dir(placeholder) is None
    assert repository_dirs(tmp_path) == {}
