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


@pytest.fixture(scope="session")
def docker_ready():
    """The real Docker daemon and sandbox image (fails, not skips: `make test` sets them up)."""
    from assistant.tools.sandbox.base import SandboxError
    from assistant.tools.sandbox.image import IMAGE, docker_client, image_exists

    try:
        client = docker_client()
    except SandboxError as e:
        pytest.fail(f"{e} (or deselect with -m 'not docker')")
    if not image_exists(client, IMAGE):
        pytest.fail(f"{IMAGE} missing; run scripts/setup-docker.sh (or -m 'not docker')")
    return client
