"""Small helpers shared by the eval tests."""

from __future__ import annotations

import os


def threads_flag() -> list[str]:
    """``--threads`` from ASSISTANT_TEST_THREADS (see tests/conftest.py: busy cores)."""
    threads = os.environ.get("ASSISTANT_TEST_THREADS")
    return ["--threads", threads] if threads else []
