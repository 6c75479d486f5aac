"""Gemma 3 from a Hugging Face folder without a base GGUF: the metadata llama.cpp's gemma3
loader needs (``attention.sliding_window`` above all), checked by loading the result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.llm.adapters import field_value, read_gguf
from assistant.training import gguf_arch
from assistant.training.base import BaseModel
from assistant.training.export import write_gguf


def gemma3_config(**kw):
    from transformers import Gemma3TextConfig

    return Gemma3TextConfig(**kw)


def test_gemma3_270m_metadata_has_the_keys_llama_cpp_reads() -> None:
    config = gemma3_config(
        vocab_size=262144,
        hidden_size=640,
        intermediate_size=2048,
        num_hidden_layers=18,
        num_attention_heads=4,
        num_key_value_heads=1,
        head_dim=256,
        sliding_window=512,
    )
    meta = {key: value for _, key, value in gguf_arch.model_metadata(ARCH, config)}
    assert meta["gemma3.attention.sliding_window"] == 512
    assert meta["gemma3.rope.freq_base"] == 1_000_000.0  # the global layers' theta
    assert meta["gemma3.rope.freq_base_swa"] == 10_000.0
    assert meta["gemma3.attention.key_length"] == meta["gemma3.attention.value_length"] == 256
    assert "gemma3.rope.scaling.factor" not in meta


def test_gemma3_linear_rope_scaling_is_written() -> None:
    config = gemma3_config(num_hidden_layers=6, rope_scaling={"rope_type": "linear", "factor": 8.0})
    meta = {key: value for _, key, value in gguf_arch.model_metadata(ARCH, config)}
    assert meta["gemma3.rope.scaling.factor"] == 8.0


def test_gemma3_layer_pattern_llama_cpp_cannot_run_is_refused() -> None:
    types = ["sliding_attention", "full_attention"] * 3
    config = gemma3_config(num_hidden_layers=6, layer_types=types)
    with pytest.raises(gguf_arch.UnsupportedArch, match="every 6th layer global"):
        gguf_arch.model_metadata(ARCH, config)


ARCH = gguf_arch.ARCHS["gemma3_text"]


@pytest.mark.slow
def test_a_tiny_gemma3_written_without_a_base_gguf_runs_in_llama_cpp(
    tmp_path: Path, tokenizer
) -> None:
    """Random weights, 19 tokens past an 8-token sliding window: llama.cpp loads the file
    and its logits match transformers'."""
    import torch
    from llama_cpp import Llama
    from transformers import Gemma3ForCausalLM

    torch.manual_seed(0)
    config = gemma3_config(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=6,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=32,
        query_pre_attn_scalar=32,
        sliding_window=8,
        max_position_embeddings=256,
    )
    model = Gemma3ForCausalLM(config).eval()
    out = write_gguf(model, tokenizer, BaseModel("tiny", tmp_path), tmp_path / "g.gguf", "f32")
    assert field_value(read_gguf(out), "gemma3.attention.sliding_window") == 8
    llm = Llama(str(out), n_ctx=64, logits_all=True, verbose=False)
    try:
        ids = llm.tokenize(
            b"a longer text that runs well past the sliding window of eight tokens, twice over, to be sure"
        )
        assert len(ids) > 2 * config.sliding_window
        llm.eval(ids)
        ours = np.asarray(llm.scores[len(ids) - 1])
    finally:
        llm.close()
    with torch.no_grad():
        theirs = model(torch.tensor([ids])).logits[0, -1].numpy()
    assert np.abs(ours - theirs).max() < 1e-2
    assert int(ours.argmax()) == int(theirs.argmax())
