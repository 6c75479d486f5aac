"""A llama.cpp LoRA GGUF read back as peft weights, for ``assistant train --init-from``.

The inverse of ``export.write_lora_gguf``: GGUF tensor names become Hugging Face names
again and the ``B`` rows of q/k are un-permuted from llama.cpp's rotary layout. It lets
a run start from the shipped tuned default (``assistant/llm/tuned/adapter.gguf``)
without the training run that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.training import gguf_arch

_TENSOR = re.compile(r"blk\.(\d+)\.(.+)\.lora_([ab])")


class GgufAdapterError(ValueError):
    """The file is not a LoRA GGUF this base model can start from; the message says why."""


@dataclass(frozen=True)
class GgufLora:
    state: dict[str, np.ndarray]
    """peft state-dict keys (``base_model.model.….lora_A.weight``) → float32 matrices."""
    r: int
    alpha: float
    target_modules: list[str]
    """Module names (``q_proj``, ``down_proj``, …) the adapter changes."""
    layers: list[int]


def _field(reader: Any, key: str) -> Any:
    field = reader.fields.get(key)
    return None if field is None else field.contents()


def read_lora_gguf(path: Path, config: Any) -> GgufLora:
    """The LoRA in ``path`` as peft weights for a model with HF ``config``."""
    import gguf

    try:
        reader = gguf.GGUFReader(str(path))
    except (OSError, ValueError) as exc:
        raise GgufAdapterError(f"{path} is not a readable GGUF file ({exc}).") from None
    if _field(reader, "general.type") != "adapter" or _field(reader, "adapter.type") != "lora":
        raise GgufAdapterError(
            f"{path} is not a LoRA adapter GGUF (a whole model cannot start LoRA weights)."
        )
    arch = gguf_arch.arch_for(config)
    if _field(reader, "general.architecture") != arch.gguf_arch:
        raise GgufAdapterError(
            f"{path} is a {_field(reader, 'general.architecture')} adapter and the base model "
            f"is {arch.gguf_arch}."
        )
    hf_names = {v: k for k, v in arch.tensors.items()}
    state: dict[str, np.ndarray] = {}
    modules: set[str] = set()
    layers: set[int] = set()
    ranks: set[int] = set()
    for tensor in reader.tensors:
        match = _TENSOR.fullmatch(tensor.name)
        tail = hf_names.get(match[2]) if match else None
        if match is None or tail is None:
            raise GgufAdapterError(f"{path} holds {tensor.name}, which is not a LoRA matrix.")
        layer, side = int(match[1]), match[3]
        hf_name = f"model.layers.{layer}.{tail}"
        shape = [int(n) for n in reversed(tensor.shape)]
        weights = np.array(tensor.data, dtype=np.float32).reshape(shape)
        if side == "b":
            weights = gguf_arch.from_gguf_layout(arch, hf_name, weights, config)
        ranks.add(shape[0] if side == "a" else shape[1])
        module = hf_name.removesuffix(".weight")
        suffix = ".lora_A.weight" if side == "a" else ".lora_B.weight"
        state[f"base_model.model.{module}{suffix}"] = np.ascontiguousarray(weights)
        modules.add(module.rsplit(".", 1)[1])
        layers.add(layer)
    if not state or len(ranks) != 1:
        raise GgufAdapterError(f"{path} holds no LoRA matrices of one rank.")
    alpha = _field(reader, "adapter.lora.alpha")
    return GgufLora(
        state=state,
        r=ranks.pop(),
        alpha=float(alpha) if alpha is not None else float("nan"),
        target_modules=sorted(modules),
        layers=sorted(layers),
    )
