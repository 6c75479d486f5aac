"""Fixtures shared with the sandbox tests: the real Docker daemon and sandbox image."""

from tests.sandbox.conftest import docker_ready  # noqa: F401
