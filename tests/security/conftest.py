"""The threat model as tests: each test is one attack on the host, from the workspace or the model."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated user config (the trusted side); environment overrides cleared."""
    path = tmp_path / "user" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("ASSISTANT_CONFIG", str(path))
    for var in (
        "ASSISTANT_MODEL",
        "ASSISTANT_APPROVE",
        "ASSISTANT_SANDBOX",
        "ASSISTANT_BASE_URL",
    ):
        monkeypatch.delenv(var, raising=False)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A cloned repository: the untrusted workspace."""
    d = tmp_path / "repo"
    d.mkdir()
    return d
