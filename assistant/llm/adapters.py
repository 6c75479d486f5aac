"""LoRA adapters for GGUF models, without torch: merge, quantize, inspect.

A llama.cpp LoRA GGUF (``general.type = adapter``) holds, for each adapted weight
``W`` (named like the base tensor, e.g. ``blk.0.attn_q.weight``), two matrices
``W.lora_a`` (r × in) and ``W.lora_b`` (out × r), already in llama.cpp's layout, and
``adapter.lora.alpha``. Merging is, per matrix, ``W + (alpha / r) · B · A``; the result
is written as a float GGUF with the base's metadata (tokenizer, chat template ...) and
re-quantized with llama.cpp's own ``llama_model_quantize`` — or, with ``keep_unchanged``,
only the changed matrices are quantized (in numpy) and every other tensor keeps the base's
bytes, so the merge costs neither precision nor decode speed where the adapter changed
nothing (the token embedding, the layers below a LoRA). Only the ``gguf`` package,
numpy and llama-cpp-python are used, so this runs where torch is not installed (at
install time, or from ``make run``).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

QUANT_TYPES: dict[str, str] = {
    "f32": "LLAMA_FTYPE_ALL_F32",
    "f16": "LLAMA_FTYPE_MOSTLY_F16",
    "bf16": "LLAMA_FTYPE_MOSTLY_BF16",
    "q4_0": "LLAMA_FTYPE_MOSTLY_Q4_0",
    "q4_1": "LLAMA_FTYPE_MOSTLY_Q4_1",
    "q5_0": "LLAMA_FTYPE_MOSTLY_Q5_0",
    "q5_1": "LLAMA_FTYPE_MOSTLY_Q5_1",
    "q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0",
    "q4_k_m": "LLAMA_FTYPE_MOSTLY_Q4_K_M",
    "q5_k_m": "LLAMA_FTYPE_MOSTLY_Q5_K_M",
    "q6_k": "LLAMA_FTYPE_MOSTLY_Q6_K",
}
"""``--quant`` names → llama.cpp file types."""

# Keys that describe the tensors' encoding, not the model: rewritten by the quantizer.
_ENCODING_KEYS = ("general.file_type", "general.quantization_version")


class AdapterError(Exception):
    """A GGUF or adapter file cannot be used; the message names it and the fix."""


def publish(tmp: Path | str, dst: Path) -> None:
    """Rename a finished temp file onto ``dst`` with ordinary file permissions.

    ``mkstemp`` creates files readable by the owner only; a model file should get the
    permissions any new file gets (0666 less the umask).
    """
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, dst)


@contextlib.contextmanager
def _quiet_native_output() -> Iterator[None]:
    """Send what native code writes to fd 1 and 2 to /dev/null for the duration."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def ftype_of(quant: str) -> int:
    import llama_cpp

    key = quant.lower()
    if key not in QUANT_TYPES or not hasattr(llama_cpp, QUANT_TYPES[key]):
        raise AdapterError(
            f"Unknown quantization {quant!r}; choose one of {', '.join(QUANT_TYPES)}."
        )
    return int(getattr(llama_cpp, QUANT_TYPES[key]))


def quant_name(file_type: int) -> str | None:
    """The ``--quant`` name of a GGUF ``general.file_type`` value, if it has one."""
    import llama_cpp

    for name, const in QUANT_TYPES.items():
        if getattr(llama_cpp, const, None) == file_type:
            return name
    return None


def quantize(src: Path, dst: Path, quant: str, threads: int | None = None) -> None:
    """``llama_model_quantize(src → dst)``; ``dst`` appears only when it succeeded."""
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype_of(quant)
    params.nthread = threads or os.cpu_count() or 1
    params.allow_requantize = True
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        with _quiet_native_output():  # llama.cpp logs one line per tensor
            rc = llama_cpp.llama_model_quantize(
                str(src).encode(), tmp.encode(), ctypes.byref(params)
            )
        if rc != 0:
            raise AdapterError(f"llama.cpp could not quantize {src} to {quant} (code {rc}).")
        publish(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_gguf(path: Path) -> Any:
    from gguf import GGUFReader

    try:
        return GGUFReader(str(path))
    except FileNotFoundError:
        raise AdapterError(f"{path} does not exist; pass the path of a .gguf file.") from None
    except (ValueError, OSError) as exc:
        raise AdapterError(
            f"{path} is not a readable GGUF file ({exc}); check the path or re-export it."
        ) from None


def field_value(reader: Any, key: str, default: Any = None) -> Any:
    field = reader.fields.get(key)
    return default if field is None else field.contents()


def copy_metadata(reader: Any, writer: Any, skip: Iterable[str] = ()) -> None:
    """Every key/value of ``reader`` into ``writer`` with its GGUF type, except ``skip``."""
    from gguf import GGUFValueType

    skipped = set(skip) | set(_ENCODING_KEYS) | {"general.architecture"}
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key in skipped:
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == GGUFValueType.ARRAY else None
        writer.add_key_value(key, field.contents(), vtype, sub_type=sub)


def dequantized(tensor: Any) -> np.ndarray:
    """A GGUF tensor as float32, in numpy order (rows = output features)."""
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    data = np.asarray(tensor.data)
    if tensor.tensor_type in (GGMLQuantizationType.F32, GGMLQuantizationType.F16):
        return data.astype(np.float32).reshape(tuple(reversed(tensor.shape.tolist())))
    return dequantize(data, tensor.tensor_type).astype(np.float32)


def lora_pairs(reader: Any) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], float]:
    """{base tensor name: (A, B)} of a llama.cpp LoRA GGUF, and its alpha."""
    if (
        field_value(reader, "general.type") != "adapter"
        or field_value(reader, "adapter.type") != "lora"
    ):
        raise AdapterError(
            "The file is not a llama.cpp LoRA adapter (general.type=adapter, adapter.type=lora); export one with `assistant export --format lora-gguf`."
        )
    alpha = float(field_value(reader, "adapter.lora.alpha", 0.0))
    a: dict[str, np.ndarray] = {}
    b: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        base, _, kind = t.name.rpartition(".")
        (a if kind == "lora_a" else b)[base] = dequantized(t)
    if set(a) != set(b):
        raise AdapterError(
            "The LoRA adapter is incomplete: some matrices have an A but no B or the reverse."
        )
    return {k: (a[k], b[k]) for k in a}, alpha


KEEP_UNCHANGED_QUANTS = ("f32", "f16", "q8_0", "q5_1", "q5_0", "q4_1", "q4_0")
"""Types the changed matrices can take when the others keep the base's bytes (the ones
the ``gguf`` package quantizes itself)."""


def merge_lora(
    base: Path,
    lora: Path,
    out: Path,
    quant: str | None = None,
    scale: float = 1.0,
    *,
    keep_unchanged: bool = False,
) -> Path:
    """Write ``out``: ``base`` with the LoRA ``lora`` merged in, quantized to ``quant``.

    ``quant`` None keeps the base file's type (e.g. q4_1 for the default model). The
    merged float model is an intermediate file next to ``out``, removed afterwards.
    ``keep_unchanged`` quantizes only the matrices the adapter changes to ``quant`` and
    copies every other tensor from the base byte for byte.
    """
    from gguf import GGMLQuantizationType, GGUFWriter

    base_r = read_gguf(base)
    lora_r = read_gguf(lora)
    arch = field_value(base_r, "general.architecture")
    if field_value(lora_r, "general.architecture") != arch:
        raise AdapterError(
            f"The adapter {lora} is for {field_value(lora_r, 'general.architecture')!r} but the base {base} is {arch!r}; pass the base it was trained on."
        )
    pairs, alpha = lora_pairs(lora_r)
    names = {t.name for t in base_r.tensors}
    unknown = sorted(set(pairs) - names)
    if unknown:
        raise AdapterError(
            f"The adapter {lora} changes tensors the base {base} does not have ({unknown[0]}, ...); pass the base it was trained on."
        )
    if quant is None:
        quant = quant_name(int(field_value(base_r, "general.file_type", 1))) or "q8_0"
    out.parent.mkdir(parents=True, exist_ok=True)
    if keep_unchanged:
        return _merge_changed_only(base_r, pairs, alpha, scale, out, quant)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".f32.gguf", dir=out.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        writer = GGUFWriter(str(tmp_path), arch)
        copy_metadata(base_r, writer)
        writer.add_file_type(int(ftype_of("f32")))
        for t in base_r.tensors:
            w = _merged(t, pairs, alpha, scale) if t.name in pairs else dequantized(t)
            writer.add_tensor(
                t.name,
                np.ascontiguousarray(w, dtype=np.float32),
                raw_dtype=GGMLQuantizationType.F32,
            )
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        if quant == "f32":
            publish(tmp_path, out)
        else:
            quantize(tmp_path, out, quant)
    finally:
        tmp_path.unlink(missing_ok=True)
    return out


def _merged(
    tensor: Any, pairs: dict[str, tuple[np.ndarray, np.ndarray]], alpha: float, scale: float
) -> np.ndarray:
    """``W + scale · (alpha / r) · B · A`` for one base tensor the adapter changes; as in
    llama.cpp, an adapter without alpha (0) is applied at ``scale`` alone."""
    a, b = pairs[tensor.name]
    factor = scale * (alpha / a.shape[0] if alpha else 1.0)
    return dequantized(tensor) + factor * (b @ a)


def _merge_changed_only(
    base_r: Any,
    pairs: dict[str, tuple[np.ndarray, np.ndarray]],
    alpha: float,
    scale: float,
    out: Path,
    quant: str,
) -> Path:
    """``merge_lora(keep_unchanged=True)``: one pass, no float intermediate, no llama.cpp."""
    from gguf import GGML_QUANT_VERSION, GGMLQuantizationType, GGUFWriter
    from gguf.quants import quantize as quantize_blocks

    key = quant.lower()
    if key not in KEEP_UNCHANGED_QUANTS:
        raise AdapterError(
            f"Only {', '.join(KEEP_UNCHANGED_QUANTS)} can hold the changed matrices of a "
            f"merge that keeps the base's other tensors, not {quant!r}; choose one of those."
        )
    qtype = GGMLQuantizationType[key.upper()]
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        writer = GGUFWriter(tmp, field_value(base_r, "general.architecture"))
        copy_metadata(base_r, writer)
        writer.add_file_type(int(field_value(base_r, "general.file_type", 1)))
        writer.add_quantization_version(GGML_QUANT_VERSION)
        for t in base_r.tensors:
            if t.name in pairs:
                w = _merged(t, pairs, alpha, scale)
                writer.add_tensor(
                    t.name, quantize_blocks(w.astype(np.float32), qtype), raw_dtype=qtype
                )
            else:
                writer.add_tensor(t.name, np.asarray(t.data), raw_dtype=t.tensor_type)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        publish(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
