"""Fixtures for the sandbox tests: the real Docker daemon and the real sandbox image."""

from __future__ import annotations

import os

import pytest

FAKE_KEY = "sk-ant-FAKE-do-not-leak-0123456789"


@pytest.fixture(scope="session")
def docker_ready():
    """Fail (not skip) when Docker is unusable: `make test` sets it up; deselect with -m."""
    from assistant.tools.sandbox.base import SandboxError
    from assistant.tools.sandbox.image import IMAGE, docker_client, image_exists

    try:
        client = docker_client()
    except SandboxError as e:
        pytest.fail(f"{e} (or deselect with -m 'not docker')")
    if not image_exists(client, IMAGE):
        pytest.fail(f"{IMAGE} missing; run scripts/setup-docker.sh (or -m 'not docker')")
    return client


@pytest.fixture
def fake_secret(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    return FAKE_KEY


def sandbox_containers(client, session: str | None = None) -> list:
    filters = {"label": ["assistant.sandbox"]}
    if session:
        filters["label"].append(f"assistant.session={session}")
    return client.containers.list(all=True, filters=filters)


def host_uid() -> int:
    return os.getuid()
