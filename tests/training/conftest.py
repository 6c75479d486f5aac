"""Fixtures for the training tests: the base model converted once, a tokenizer, records.

These tests need the ``train`` extra (torch, transformers, peft); the plain HF copy of
the default GGUF is cached in the user cache, so only the first run pays ~40 s for it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

pytest.importorskip(
    "torch", reason="the training tests need the train extra (pip install -e '.[train]')"
)

from assistant.training.train import reproducible_math

reproducible_math()  # as `assistant train` does, for the tests that train in this process


@pytest.fixture(scope="session")
def base_model():
    from assistant.training.base import resolve_base

    return resolve_base("default")


@pytest.fixture(scope="session")
def tokenizer(base_model):
    from assistant.training.base import load_tokenizer

    return load_tokenizer(base_model)


@pytest.fixture(scope="session")
def vocab_llama(default_model_path: Path):
    """llama.cpp's own tokenizer for the default model (vocab only: fast to load)."""
    from llama_cpp import Llama

    llm = Llama(str(default_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()
