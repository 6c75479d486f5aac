"""The tuned default: a bundled LoRA GGUF merged into the base without torch, then cached.

The adapters here are written with the ``gguf`` package (no torch): a zero adapter must
reproduce the base model's greedy output; a strong one must change it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.llm import tuned
from assistant.llm.base import ModelLoadError

pytestmark = pytest.mark.slow

PROMPT = "<|im_start|>user\nName three fruits.<|im_end|>\n<|im_start|>assistant\n"


def _write_adapter(path: Path, base: Path, strength: float, alpha: float | None = 4.0) -> None:
    from gguf import GGUFReader, GGUFWriter

    shapes = {
        t.name: tuple(int(x) for x in reversed(t.shape.tolist()))
        for t in GGUFReader(str(base)).tensors
    }
    writer = GGUFWriter(str(path), "llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    if alpha is not None:
        writer.add_float32("adapter.lora.alpha", alpha)
    rng = np.random.default_rng(0)
    for layer in range(4):
        name = f"blk.{layer}.ffn_down.weight"
        out, inp = shapes[name]
        a = rng.standard_normal((4, inp)).astype(np.float32) * 0.05
        b = rng.standard_normal((out, 4)).astype(np.float32) * strength
        writer.add_tensor(f"{name}.lora_a", a)
        writer.add_tensor(f"{name}.lora_b", b)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _ship(
    directory: Path,
    base: Path,
    strength: float,
    base_sha: str | None,
    *,
    keep_unchanged_tensors: bool = False,
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    _write_adapter(directory / tuned.ADAPTER_FILE, base, strength)
    card = {
        "name": "test-tuned",
        "description": "a test adapter",
        "quant": "q8_0",
        "keep_unchanged_tensors": keep_unchanged_tensors,
        "base": {"sha256": base_sha},
        "generation": {"max_tokens": 64, "repeat_penalty": 1.3},
    }
    (directory / tuned.CARD_FILE).write_text(json.dumps(card))


def _greedy(path: Path) -> str:
    from llama_cpp import Llama

    llm = Llama(model_path=str(path), n_ctx=256, verbose=False, seed=1)
    out = llm.create_completion(PROMPT, max_tokens=24, temperature=0.0)
    return out["choices"][0]["text"]


def test_zero_adapter_merges_to_the_base_behaviour_and_is_cached(
    tmp_path: Path, default_model_path: Path
) -> None:
    ship, cache = tmp_path / "tuned", tmp_path / "cache"
    _ship(ship, default_model_path, 0.0, tuned.file_sha256(default_model_path))

    merged = tuned.prepare(default_model_path, ship, cache, quiet=True)

    assert merged is not None and merged.is_file() and merged.parent == cache
    assert merged.name.startswith("test-tuned-") and merged.name.endswith(".q8_0.gguf")
    assert _greedy(merged) == _greedy(default_model_path)
    stamp = merged.stat().st_mtime_ns
    assert tuned.prepare(default_model_path, ship, cache, quiet=True) == merged
    assert merged.stat().st_mtime_ns == stamp, "a cached merge is not redone"


def test_a_real_adapter_changes_the_output_and_a_new_adapter_gets_a_new_merge(
    tmp_path: Path, default_model_path: Path
) -> None:
    ship, cache = tmp_path / "tuned", tmp_path / "cache"
    _ship(ship, default_model_path, 0.0, None)
    found = tuned.shipped(ship)
    assert found is not None
    first = tuned.merged_path(*found, cache)
    _ship(ship, default_model_path, 2.0, None)

    second = tuned.prepare(default_model_path, ship, cache, quiet=True)

    assert first != second
    assert _greedy(second) != _greedy(default_model_path)


def test_an_adapter_without_alpha_merges_as_llama_cpp_applies_it(
    tmp_path: Path, default_model_path: Path
) -> None:
    """llama.cpp scales B·A by alpha/r, or by 1 when the adapter gives no alpha (0): the
    merge must do the same, not drop the adapter."""
    from gguf import GGUFReader

    from assistant.llm.adapters import dequantized, merge_lora

    def changed(alpha: float | None) -> np.ndarray:
        adapter, out = tmp_path / f"a{alpha}.gguf", tmp_path / f"m{alpha}.gguf"
        _write_adapter(adapter, default_model_path, 1.0, alpha=alpha)
        merge_lora(default_model_path, adapter, out, "f32", keep_unchanged=True)
        (t,) = [t for t in GGUFReader(str(out)).tensors if t.name == "blk.0.ffn_down.weight"]
        return dequantized(t)

    (base,) = [
        t for t in GGUFReader(str(default_model_path)).tensors if t.name == "blk.0.ffn_down.weight"
    ]
    at_rank = changed(4.0)  # alpha = r: scale 1
    assert not np.allclose(at_rank, dequantized(base))
    for alpha in (None, 0.0):
        np.testing.assert_allclose(changed(alpha), at_rank, rtol=0, atol=1e-6)


def test_an_adapter_for_another_base_is_refused_in_one_sentence(
    tmp_path: Path, default_model_path: Path
) -> None:
    ship, cache = tmp_path / "tuned", tmp_path / "cache"
    _ship(ship, default_model_path, 0.0, "0" * 64)

    with pytest.raises(ModelLoadError, match=r"another base model.*--model base"):
        tuned.prepare(default_model_path, ship, cache, quiet=True)
    assert not list(cache.glob("*.gguf")), "nothing half-written"


def test_without_a_bundled_adapter_there_is_nothing_to_prepare(
    tmp_path: Path, default_model_path: Path
) -> None:
    assert tuned.shipped(tmp_path) is None
    assert tuned.prepare(default_model_path, tmp_path, tmp_path / "cache") is None


def test_keeping_unchanged_tensors_quantizes_only_what_the_adapter_changed(
    tmp_path: Path, default_model_path: Path
) -> None:
    from assistant.llm.adapters import dequantized, merge_lora, read_gguf

    ship, cache = tmp_path / "tuned", tmp_path / "cache"
    _ship(ship, default_model_path, 2.0, None, keep_unchanged_tensors=True)
    adapter = ship / tuned.ADAPTER_FILE

    merged = tuned.prepare(default_model_path, ship, cache, quiet=True)

    assert merged is not None and merged.name.endswith(".q8_0-changed.gguf")
    base = {t.name: t for t in read_gguf(default_model_path).tensors}
    got = {t.name: t for t in read_gguf(merged).tensors}
    assert got.keys() == base.keys()
    changed = {f"blk.{layer}.ffn_down.weight" for layer in range(4)}
    for name, tensor in got.items():
        if name in changed:
            assert tensor.tensor_type.name == "Q8_0", name
        else:
            assert tensor.tensor_type == base[name].tensor_type, name
            assert bytes(tensor.data) == bytes(base[name].data), name
    # The changed matrices hold what the whole-model merge computes.
    exact = merge_lora(default_model_path, adapter, tmp_path / "f32.gguf", "f32")
    exact_f32 = {t.name: t for t in read_gguf(exact).tensors}
    kept_f32 = merge_lora(
        default_model_path, adapter, tmp_path / "kept-f32.gguf", "f32", keep_unchanged=True
    )
    for t in read_gguf(kept_f32).tensors:
        if t.name in changed:
            assert np.allclose(dequantized(t), dequantized(exact_f32[t.name]), atol=1e-5)
    assert _greedy(merged) != _greedy(default_model_path)


def test_keeping_unchanged_tensors_refuses_a_type_numpy_cannot_write(
    tmp_path: Path, default_model_path: Path
) -> None:
    from assistant.llm.adapters import AdapterError, merge_lora

    adapter = tmp_path / "adapter.gguf"
    _write_adapter(adapter, default_model_path, 1.0)
    with pytest.raises(AdapterError, match=r"Only f32, .* not 'q6_k'; choose one of those"):
        merge_lora(default_model_path, adapter, tmp_path / "m.gguf", "q6_k", keep_unchanged=True)
    assert list(tmp_path.iterdir()) == [adapter], "nothing half-written"
