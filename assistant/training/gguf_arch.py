"""Hugging Face → GGUF for the llama family: tensor names, the q/k permutation, metadata.

One table per architecture, no branches: llama.cpp's ``convert_hf_to_gguf.py`` was read
for the names and the rotary layout and this is the project's own short version.

The rotary pitfall: llama.cpp's ``llama`` architecture applies rotary embeddings to
interleaved pairs, Hugging Face's Llama to the two halves of each head. The converter
therefore permutes the rows of ``q_proj`` and ``k_proj`` (per head) when writing a
GGUF, and transformers' GGUF loader un-permutes them when reading one. Anything that
goes from Hugging Face weights to a ``llama`` GGUF (a merged model, a LoRA ``B``
matrix, whose rows are the output rows) must apply :func:`permute_qk`. Qwen2 uses the
"neox" rotary layout in llama.cpp, the same as Hugging Face, so nothing is permuted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Arch:
    gguf_arch: str
    permute_qk: bool
    tensors: dict[str, str]
    """HF name (after ``model.layers.{i}.``, or a top-level name) → GGUF name."""
    norm_offset: float = 0.0
    """Added to RMS-norm weights: Gemma scales by ``1 + w``, llama.cpp's gemma3 by ``w``."""


_LAYER = {
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "post_attention_layernorm.weight": "ffn_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
}
_BIAS = {
    "self_attn.q_proj.bias": "attn_q.bias",
    "self_attn.k_proj.bias": "attn_k.bias",
    "self_attn.v_proj.bias": "attn_v.bias",
}
_TOP = {
    "model.embed_tokens.weight": "token_embd.weight",
    "model.norm.weight": "output_norm.weight",
    "lm_head.weight": "output.weight",
}

# Gemma 3 (text): q/k norms and norms around both blocks; "neox" rotary, so no permutation.
_GEMMA3_LAYER = {
    **{k: v for k, v in _LAYER.items() if "layernorm" not in k},
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_norm.weight": "attn_q_norm.weight",
    "self_attn.k_norm.weight": "attn_k_norm.weight",
    "post_attention_layernorm.weight": "post_attention_norm.weight",
    "pre_feedforward_layernorm.weight": "ffn_norm.weight",
    "post_feedforward_layernorm.weight": "post_ffw_norm.weight",
}

ARCHS: dict[str, Arch] = {
    "llama": Arch("llama", True, {**_TOP, **_LAYER}),
    "mistral": Arch("llama", True, {**_TOP, **_LAYER}),
    "qwen2": Arch("qwen2", False, {**_TOP, **_LAYER, **_BIAS}),
    "gemma3_text": Arch("gemma3", False, {**_TOP, **_GEMMA3_LAYER}, norm_offset=1.0),
}


class UnsupportedArch(Exception):
    pass


def arch_for(config: Any) -> Arch:
    model_type = getattr(config, "model_type", None) or config.get("model_type")
    if model_type not in ARCHS:
        raise UnsupportedArch(
            f"The built-in GGUF writer handles {', '.join(sorted(ARCHS))}, not {model_type!r}; "
            "pass --llama-cpp DIR (a llama.cpp checkout) to use its converter."
        )
    return ARCHS[model_type]


def gguf_name(arch: Arch, hf_name: str) -> str | None:
    """The GGUF tensor name of a HF parameter, or None if it is not written (rotary buffers)."""
    if hf_name in arch.tensors:
        return arch.tensors[hf_name]
    if hf_name.startswith("model.layers."):
        rest = hf_name[len("model.layers.") :]
        index, _, tail = rest.partition(".")
        if tail in arch.tensors:
            return f"blk.{int(index)}.{arch.tensors[tail]}"
    return None


def permute_qk(w: np.ndarray, n_head: int) -> np.ndarray:
    """HF half-split rotary rows → llama.cpp interleaved rows (per head), on axis 0."""
    rows = w.shape[0]
    return w.reshape(n_head, 2, rows // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def unpermute_qk(w: np.ndarray, n_head: int) -> np.ndarray:
    """The inverse of :func:`permute_qk`."""
    rows = w.shape[0]
    return w.reshape(n_head, rows // n_head // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _rotary_heads(arch: Arch, hf_name: str, config: Any) -> int | None:
    """Heads whose rows llama.cpp interleaves in this tensor, or None if it is left as is."""
    if not arch.permute_qk:
        return None
    if ".self_attn.q_proj." in hf_name:
        return config.num_attention_heads
    if ".self_attn.k_proj." in hf_name:
        return getattr(config, "num_key_value_heads", None) or config.num_attention_heads
    return None


def to_gguf_layout(arch: Arch, hf_name: str, w: np.ndarray, config: Any) -> np.ndarray:
    """``w`` (rows = output features) in the layout llama.cpp expects for that tensor."""
    if arch.norm_offset and hf_name.endswith("norm.weight"):
        return w + arch.norm_offset
    heads = _rotary_heads(arch, hf_name, config)
    return w if heads is None else permute_qk(w, heads)


def from_gguf_layout(arch: Arch, hf_name: str, w: np.ndarray, config: Any) -> np.ndarray:
    """The inverse of :func:`to_gguf_layout` for a projection's rows (a LoRA ``B`` matrix)."""
    heads = _rotary_heads(arch, hf_name, config)
    return w if heads is None else unpermute_qk(w, heads)


def model_metadata(arch: Arch, config: Any) -> list[tuple[str, str, Any]]:
    """(kind, key, value) for the architecture's hyper-parameters."""
    a = arch.gguf_arch
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    rope_theta = getattr(config, "rope_theta", None)
    if rope_theta is None:
        rope_theta = _rope(config, "full_attention").get("rope_theta", 10000.0)
    out: list[tuple[str, str, Any]] = [
        ("u32", f"{a}.context_length", int(config.max_position_embeddings)),
        ("u32", f"{a}.embedding_length", int(config.hidden_size)),
        ("u32", f"{a}.block_count", int(config.num_hidden_layers)),
        ("u32", f"{a}.feed_forward_length", int(config.intermediate_size)),
        ("u32", f"{a}.attention.head_count", int(heads)),
        (
            "u32",
            f"{a}.attention.head_count_kv",
            int(getattr(config, "num_key_value_heads", None) or heads),
        ),
        ("f32", f"{a}.rope.freq_base", float(rope_theta)),
        ("f32", f"{a}.attention.layer_norm_rms_epsilon", float(config.rms_norm_eps)),
        ("u32", f"{a}.rope.dimension_count", int(head_dim)),
        ("u32", f"{a}.vocab_size", int(config.vocab_size)),
    ]
    if head_dim != config.hidden_size // heads:
        out += [
            ("u32", f"{a}.attention.key_length", int(head_dim)),
            ("u32", f"{a}.attention.value_length", int(head_dim)),
        ]
    if a == "gemma3":
        out += gemma3_metadata(config)
    return out


def _rope(config: Any, layer_type: str) -> dict[str, Any]:
    """Rotary settings of one layer type: transformers 5 keeps one dict per layer type
    (Gemma 3) or one for all; older versions keep ``rope_theta``/``rope_scaling``."""
    params = getattr(config, "rope_parameters", None) or {}
    if layer_type in params:
        return dict(params[layer_type] or {})
    if params and not any(isinstance(v, dict) for v in params.values()):
        return dict(params)
    legacy = dict(getattr(config, "rope_scaling", None) or {})
    if getattr(config, "rope_theta", None) is not None:
        legacy["rope_theta"] = config.rope_theta
    return legacy


GEMMA3_SWA_PATTERN = 6
"""llama.cpp's gemma3 loader hard-codes every 6th layer as global, the rest sliding."""


def gemma3_metadata(config: Any) -> list[tuple[str, str, Any]]:
    """The keys llama.cpp's gemma3 loader reads beyond the common ones (its
    ``llama_load_hparams_gemma3``: ``attention.sliding_window``, required), plus the rope
    settings the common loader reads (linear scaling of the global layers, local base)."""
    window = getattr(config, "sliding_window", None)
    if not window:
        raise UnsupportedArch(
            "This Gemma 3 config has no sliding_window, which llama.cpp's gemma3 needs; "
            "export from the base GGUF instead (assistant train --base FILE.gguf)."
        )
    layer_types = getattr(config, "layer_types", None)
    if layer_types:
        expected = [
            "full_attention" if (i + 1) % GEMMA3_SWA_PATTERN == 0 else "sliding_attention"
            for i in range(len(layer_types))
        ]
        if list(layer_types) != expected:
            raise UnsupportedArch(
                "This Gemma 3 model's sliding/global layer pattern is not llama.cpp's "
                f"(every {GEMMA3_SWA_PATTERN}th layer global); export from the base GGUF or "
                "pass --llama-cpp DIR to use llama.cpp's converter."
            )
    out: list[tuple[str, str, Any]] = [("u32", "gemma3.attention.sliding_window", int(window))]
    full = _rope(config, "full_attention")
    if full.get("rope_type", full.get("type")) == "linear" and full.get("factor"):
        # llama.cpp's default scaling type is linear; only the factor is needed.
        out.append(("f32", "gemma3.rope.scaling.factor", float(full["factor"])))
    local = getattr(config, "rope_local_base_freq", None)
    if local is None:
        local = _rope(config, "sliding_attention").get("rope_theta")
    if local is not None:
        out.append(("f32", "gemma3.rope.freq_base_swa", float(local)))
    return out
