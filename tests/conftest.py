"""Shared fixtures. The real default model is loaded at most once per test process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def default_model_path() -> Path:
    from assistant.llm.models import default_model_path

    return default_model_path()


@pytest.fixture(scope="session")
def local_model(default_model_path: Path):
    """One ``LlamaCppModel`` on the default GGUF (n_ctx 4096), shared by every test.

    ``ASSISTANT_TEST_THREADS`` overrides the thread count: on a machine whose cores are
    busy with other work, llama.cpp with one thread per core can be ten times slower.
    """
    from assistant.llm.llamacpp import LlamaCppModel

    threads = int(os.environ.get("ASSISTANT_TEST_THREADS", "0")) or None
    return LlamaCppModel(default_model_path, n_ctx=4096, n_threads=threads)
