"""The doctor against the real daemon."""

from __future__ import annotations

import pytest

from assistant.tools.sandbox.doctor import run_doctor_async

pytestmark = [pytest.mark.docker, pytest.mark.slow]


async def test_doctor_all_green(docker_ready):
    checks = await run_doctor_async()
    names = [c[0] for c in checks]
    assert names == [
        "docker daemon",
        "sandbox image",
        "self-test exec",
        "limits applied",
        "privileges dropped",
        "seccomp",
        "apparmor",
        "network mode",
        "network isolation",
    ]
    assert all(ok for _, ok, _ in checks), checks


async def test_doctor_flags_missing_image(docker_ready):
    checks = await run_doctor_async(image="assistant-sandbox:nope")
    assert checks[-1][0] == "sandbox image" and not checks[-1][1]
    assert "build it" in checks[-1][2]
