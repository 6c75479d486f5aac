"""``assistant export``: a trained adapter (or full model) back to something the agent runs.

Formats:

* ``gguf``: merge the adapter into the base, write a GGUF for the llama family (tensor
  names and the q/k permutation from :mod:`gguf_arch`, the tokenizer, and the project's
  chat template in the metadata), then quantize with llama.cpp's ``llama_model_quantize``.
* ``lora-gguf``: the adapter alone as a llama.cpp LoRA GGUF (a few MB), which
  llama-cpp-python applies at load time (``lora_path``). Needs no torch (without it the
  export is not validated).
* ``hf``: merged safetensors plus tokenizer and chat template (vLLM, TGI, transformers).

Every export is validated: llama.cpp generates greedily on a few prompts and the
tokens are compared with the merged model in transformers.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from assistant.llm.adapters import (
    AdapterError,
    copy_metadata,
    ftype_of,
    publish,
    quantize,
    read_gguf,
)
from assistant.training import INSTALL_TRAIN_EXTRA, gguf_arch, missing_train_extra
from assistant.training.base import BaseModel, resolve_base
from assistant.training.chat_template import CHAT_TEMPLATE

FORMATS = ("gguf", "lora-gguf", "hf")
BASE_FILE = "base.json"


class ExportError(Exception):
    """The export cannot be done; the message names the problem and the fix."""


@dataclass
class Trained:
    """What ``--adapter DIR`` points at."""

    kind: str
    """``lora``, ``full`` or ``none`` (the base itself, for round trips)."""
    path: Path | None
    base_spec: str


@dataclass
class ExportResult:
    out: Path
    format: str
    quant: str | None
    seconds: float
    size_bytes: int
    validation: Any = None
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- inputs


def find_trained(adapter: Path | None, base: str | None) -> Trained:
    """Resolve ``--adapter``: a training output dir, a peft adapter dir or a full model dir."""
    if adapter is None:
        return Trained("none", None, base or "default")
    adapter = adapter.expanduser()
    if not adapter.is_dir():
        what = "is a file, not a directory" if adapter.exists() else "does not exist"
        raise ExportError(
            f"The adapter directory {adapter} {what}; pass the --out directory of `assistant train`."
        )
    for sub in ("adapter", "model"):
        if (adapter / sub).is_dir() and not (adapter / "adapter_config.json").exists():
            adapter = adapter / sub
            break
    if (adapter / "adapter_config.json").is_file():
        kind = "lora"
    elif (adapter / "config.json").is_file():
        kind = "full"
    else:
        raise ExportError(
            f"{adapter} holds neither a LoRA adapter (adapter_config.json) nor a model (config.json); "
            "pass the --out directory of `assistant train`."
        )
    spec = base
    if spec is None:
        for d in (adapter, adapter.parent):
            if (d / BASE_FILE).is_file():
                spec = json.loads((d / BASE_FILE).read_text())["spec"]
                break
    if spec is None and kind == "lora":
        spec = json.loads((adapter / "adapter_config.json").read_text()).get(
            "base_model_name_or_path"
        )
    return Trained(kind, adapter, spec or "default")


def hf_config(hf_dir: Path) -> SimpleNamespace:
    """config.json as attributes (no torch needed)."""
    return SimpleNamespace(**json.loads((hf_dir / "config.json").read_text()))


# ---------------------------------------------------------------------------- lora-gguf


def peft_lora_tensors(adapter: Path) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], float, int]:
    """{HF weight name: (A, B)}, alpha (as llama.cpp scales it: alpha / r) and r, read with numpy."""
    from safetensors.numpy import load_file

    cfg = json.loads((adapter / "adapter_config.json").read_text())
    files = [adapter / "adapter_model.safetensors"]
    if not files[0].is_file():
        raise ExportError(
            f"{adapter} has no adapter_model.safetensors; re-save the adapter with safe_serialization."
        )
    weights = load_file(str(files[0]))
    a: dict[str, np.ndarray] = {}
    b: dict[str, np.ndarray] = {}
    for key, value in weights.items():
        name = key.removeprefix("base_model.model.")
        for marker, into in ((".lora_A.weight", a), (".lora_B.weight", b)):
            if name.endswith(marker):
                into[name[: -len(marker)] + ".weight"] = value.astype(np.float32)
                break
        else:
            raise ExportError(
                f"The adapter tensor {key} is not a LoRA matrix; only LoRA on linear layers can be exported as lora-gguf."
            )
    r = int(cfg["r"])
    alpha = float(cfg["lora_alpha"])
    if cfg.get("use_rslora"):
        alpha = alpha * r / r**0.5  # llama.cpp scales by alpha / r
    if cfg.get("use_dora"):
        raise ExportError(
            "DoRA adapters cannot be exported as a llama.cpp LoRA; export --format gguf instead."
        )
    return {k: (a[k], b[k]) for k in a}, alpha, r


def write_lora_gguf(adapter: Path, base: BaseModel, out: Path, outtype: str = "f16") -> Path:
    """The adapter as a llama.cpp LoRA GGUF, B of q/k permuted to llama.cpp's rotary layout."""
    import gguf

    config = hf_config(base.hf_dir)
    arch = gguf_arch.arch_for(config)
    pairs, alpha, _r = peft_lora_tensors(adapter)
    dtype = np.float16 if outtype == "f16" else np.float32
    raw = gguf.GGMLQuantizationType.F16 if outtype == "f16" else gguf.GGMLQuantizationType.F32
    tmp = _tmp_next_to(out)
    try:
        w = gguf.GGUFWriter(str(tmp), arch.gguf_arch)
        w.add_type(gguf.GGUFType.ADAPTER)
        w.add_string(gguf.Keys.Adapter.TYPE, "lora")
        w.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
        w.add_string("general.name", f"{adapter.parent.name or adapter.name} LoRA")
        for hf_name, (a, b) in sorted(pairs.items()):
            name = gguf_arch.gguf_name(arch, hf_name)
            if name is None:
                raise ExportError(
                    f"The adapter changes {hf_name}, which has no llama.cpp tensor; train LoRA on the linear layers only."
                )
            b = gguf_arch.to_gguf_layout(arch, hf_name, b, config)
            w.add_tensor(name + ".lora_a", np.ascontiguousarray(a.astype(dtype)), raw_dtype=raw)
            w.add_tensor(name + ".lora_b", np.ascontiguousarray(b.astype(dtype)), raw_dtype=raw)
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        publish(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


# ---------------------------------------------------------------------------- merged model


def merged_model(trained: Trained, base: BaseModel) -> Any:
    """The merged float32 transformers model (adapter folded in)."""
    from assistant.training.base import load_model

    if trained.kind == "full":
        from transformers import AutoModelForCausalLM

        return AutoModelForCausalLM.from_pretrained(str(trained.path), dtype="float32").eval()
    model = load_model(base)
    if trained.kind == "lora":
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(trained.path)).merge_and_unload()
    return model.eval()


def write_gguf(
    model: Any,
    tokenizer: Any,
    base: BaseModel,
    out: Path,
    outtype: str = "f16",
    name: str | None = None,
) -> Path:
    """Write ``model`` (a transformers llama-family model) as a float GGUF."""
    import gguf

    config = model.config
    arch = gguf_arch.arch_for(config)
    w = gguf.GGUFWriter(str(out), arch.gguf_arch)
    if base.gguf is not None:
        # Same tokenizer and hyper-parameters as the GGUF the base came from.
        copy_metadata(read_gguf(base.gguf), w, skip=("tokenizer.chat_template", "general.name"))
    else:
        w.add_type(gguf.GGUFType.MODEL)
        for kind, key, value in gguf_arch.model_metadata(arch, config):
            (w.add_uint32 if kind == "u32" else w.add_float32)(key, value)
        add_tokenizer_metadata(w, tokenizer, config)
    w.add_name(name or out.stem)
    w.add_chat_template(CHAT_TEMPLATE)
    w.add_file_type(
        gguf.LlamaFileType.MOSTLY_F16 if outtype == "f16" else gguf.LlamaFileType.ALL_F32
    )
    tied = bool(getattr(config, "tie_word_embeddings", False))
    for hf_name, tensor in model.state_dict().items():
        if tied and hf_name == "lm_head.weight":
            continue
        gname = gguf_arch.gguf_name(arch, hf_name)
        if gname is None:
            continue
        data = gguf_arch.to_gguf_layout(
            arch, hf_name, tensor.detach().float().cpu().numpy(), config
        )
        if data.ndim == 1 or outtype == "f32":
            w.add_tensor(
                gname,
                np.ascontiguousarray(data, dtype=np.float32),
                raw_dtype=gguf.GGMLQuantizationType.F32,
            )
        else:
            w.add_tensor(
                gname,
                np.ascontiguousarray(data, dtype=np.float16),
                raw_dtype=gguf.GGMLQuantizationType.F16,
            )
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return out


_PRE_TOKENIZERS = {
    ("llama", 49152): "smollm",
    ("llama", 128256): "llama-bpe",
    ("qwen2", None): "qwen2",
}


def add_tokenizer_metadata(w: Any, tokenizer: Any, config: Any) -> None:
    """Byte-level BPE tokenizer metadata (SmolLM2, Llama 3, Qwen2) from a fast tokenizer."""
    import gguf

    tj = json.loads(tokenizer.backend_tokenizer.to_str())
    model = tj.get("model", {})
    if model.get("type") != "BPE" or not any(
        "ByteLevel" in json.dumps(tj.get(k)) for k in ("pre_tokenizer", "decoder")
    ):
        raise ExportError(
            "The built-in GGUF writer handles byte-level BPE tokenizers only; pass --llama-cpp DIR "
            "(a llama.cpp checkout) to convert this model with llama.cpp's converter."
        )
    vocab_size = int(config.vocab_size)
    added = {t["id"]: t for t in tj.get("added_tokens", [])}
    by_id = {i: t for t, i in model["vocab"].items()}
    tokens, types = [], []
    for i in range(vocab_size):
        if i in added:
            tokens.append(added[i]["content"])
            types.append(
                gguf.TokenType.CONTROL if added[i].get("special") else gguf.TokenType.USER_DEFINED
            )
        elif i in by_id:
            tokens.append(by_id[i])
            types.append(gguf.TokenType.NORMAL)
        else:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    model_type = getattr(config, "model_type", "llama")
    pre = (
        _PRE_TOKENIZERS.get((model_type, vocab_size))
        or _PRE_TOKENIZERS.get((model_type, None))
        or "default"
    )
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    for tok_attr, adder in (
        ("bos_token_id", w.add_bos_token_id),
        ("eos_token_id", w.add_eos_token_id),
        ("unk_token_id", w.add_unk_token_id),
        ("pad_token_id", w.add_pad_token_id),
    ):
        value = getattr(tokenizer, tok_attr, None)
        if value is not None:
            adder(int(value))
    w.add_add_bos_token(bool(getattr(tokenizer, "add_bos_token", False)))


HF_EXPORT_MARKER = "assistant-export.json"
"""Written into every --format hf export: only a folder holding it (or an empty one) is
replaced by the next export, never another model's folder that merely has a config.json."""


def write_hf(model: Any, tokenizer: Any, out: Path) -> Path:
    """Merged safetensors + tokenizer (with the project's chat template), atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.chat_template = CHAT_TEMPLATE
        tokenizer.save_pretrained(tmp)
        (tmp / HF_EXPORT_MARKER).write_text(json.dumps({"format": "hf", "tool": "assistant"}))
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def _tmp_next_to(out: Path, suffix: str = ".tmp") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=suffix, dir=out.parent)
    os.close(fd)
    return Path(tmp)


# ---------------------------------------------------------------------------- the command


def _earlier_hf_export(path: Path) -> bool:
    """A folder an earlier --format hf export wrote: it holds the marker, or (written before
    the marker existed) a tokenizer carrying the project's own chat template."""
    if (path / HF_EXPORT_MARKER).is_file():
        return True
    try:
        saved = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    template = saved.get("chat_template") if isinstance(saved, dict) else None
    if template is None and (path / "chat_template.jinja").is_file():
        template = (path / "chat_template.jinja").read_text(encoding="utf-8", errors="replace")
    return template == CHAT_TEMPLATE


def _empty_folder(path: Path) -> bool:
    return path.is_dir() and next(path.iterdir(), None) is None


def check_out(out: Path, fmt: str, adapter: Path | None) -> None:
    """Refuse an --out the export could not write, or one whose replacement would lose
    something (a --format hf export replaces the whole folder), before any work is done."""
    if fmt == "hf":
        # Resolved: a relative --out beside an absolute --adapter, or a symlink, is the
        # same folder, and replacing it would delete the adapter.
        held = adapter.expanduser().resolve() if adapter is not None else None
        if held is not None and out.resolve() in (held, *held.parents):
            raise ExportError(f"--out {out} holds the adapter; pass a new folder for the export.")
        if out.is_symlink():
            raise ExportError(f"--out {out} is a symlink; pass the folder itself or a new one.")
        if out.exists() and not _earlier_hf_export(out) and not _empty_folder(out):
            raise ExportError(
                f"--out {out} exists and is not an earlier --format hf export (neither "
                f"{HF_EXPORT_MARKER} nor the project's chat template is in it), which the "
                "export would replace; pass a new folder."
            )
    elif out.is_dir():
        raise ExportError(
            f"--out {out} is a folder; pass a file path such as {out / 'model.gguf'}."
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"Cannot create the folder of --out {out} ({exc.strerror}); pass a writable path."
        ) from None


def export(
    adapter: Path | None,
    out: Path,
    *,
    fmt: str = "gguf",
    quant: str = "q8_0",
    base: str | None = None,
    validate: bool = True,
    prompts: int = 4,
    tokens: int = 16,
) -> ExportResult:
    """Export; see the module docstring. Validation results are in ``result.validation``."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    check_out(out, fmt, adapter)
    if fmt == "gguf":
        try:
            ftype_of(quant)  # an unknown --quant fails before any work is done
        except AdapterError as exc:
            raise ExportError(str(exc)) from None
    trained = find_trained(adapter, base)
    try:
        resolved = resolve_base(trained.base_spec)
    except Exception as exc:
        raise ExportError(str(exc)) from exc
    t0 = time.perf_counter()
    if fmt == "lora-gguf":
        if trained.kind != "lora":
            raise ExportError(
                "--format lora-gguf needs a LoRA adapter; this run trained the full model, so export --format gguf."
            )
        try:
            write_lora_gguf(trained.path, resolved, out, "f32" if quant == "f32" else "f16")
        except gguf_arch.UnsupportedArch as exc:
            raise ExportError(str(exc)) from None
        result = ExportResult(out, fmt, None, time.perf_counter() - t0, out.stat().st_size)
        missing = missing_train_extra()  # writing a LoRA GGUF needs none of it
        if validate and missing:
            result.notes.append(
                f"not validated: the comparison with the merged model needs {', '.join(missing)}; "
                f"{INSTALL_TRAIN_EXTRA} to validate."
            )
        elif validate:
            from assistant.training.validate import validate_export

            result.validation = validate_export(
                trained, resolved, out, lora=True, prompts=prompts, tokens=tokens
            )
        return result

    from assistant.training.base import load_tokenizer

    model = merged_model(trained, resolved)
    tokenizer = load_tokenizer(resolved) if trained.kind != "full" else _tokenizer_of(trained.path)
    if fmt == "hf":
        write_hf(model, tokenizer, out)
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        result = ExportResult(out, fmt, None, time.perf_counter() - t0, size)
        return result
    try:
        gguf_arch.arch_for(model.config)
    except gguf_arch.UnsupportedArch as exc:
        raise ExportError(str(exc)) from None
    float_type = "f32" if quant == "f32" else "f16"
    tmp = _tmp_next_to(out, f".{float_type}.gguf")
    try:
        write_gguf(model, tokenizer, resolved, tmp, float_type, name=out.stem)
        if quant in ("f16", "f32"):
            publish(tmp, out)
        else:
            try:
                quantize(tmp, out, quant)
            except AdapterError as exc:
                raise ExportError(str(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)
    result = ExportResult(out, fmt, quant, time.perf_counter() - t0, out.stat().st_size)
    if validate:
        from assistant.training.validate import validate_export

        result.validation = validate_export(
            trained,
            resolved,
            out,
            lora=False,
            prompts=prompts,
            tokens=tokens,
            model=model,
            tokenizer=tokenizer,
        )
    return result


def _tokenizer_of(path: Path | None) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path))
