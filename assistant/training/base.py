"""The base model to fine-tune: the embedded default GGUF, any GGUF file, or a HF directory.

transformers loads a GGUF file dequantized (tens of seconds for the default model) but
marks the model as GGUF-quantized, which makes its Trainer refuse it and
``save_pretrained`` fail. So the weights are moved once into a plain model built from
the same config and saved as an ordinary Hugging Face checkpoint in the user cache,
keyed by the GGUF file's hash; later runs load that directory in about a second.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

DEFAULT_NAMES = ("default", "local")
MARKER = "assistant-base.json"


class BaseModelError(Exception):
    """The base model cannot be used; the message names it and the fix."""


@dataclass(frozen=True)
class BaseModel:
    """A resolved base: a plain HF directory, plus the GGUF it came from (if any)."""

    spec: str
    hf_dir: Path
    gguf: Path | None = None
    sha256: str | None = None


def cache_root() -> Path:
    return Path(user_cache_dir("assistant")) / "hf-base"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def gguf_path_for(spec: str) -> Path | None:
    """The GGUF file a spec names (``default`` → the embedded model), or None for a HF dir."""
    if spec in DEFAULT_NAMES:
        from assistant.llm.models import default_model_path

        return default_model_path()
    path = Path(spec).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise BaseModelError(
                f"The base model {path} does not exist; pass --base default, a .gguf file or a model directory."
            )
        return path
    return None


def resolve_base(spec: str | None = None, *, cache: Path | None = None) -> BaseModel:
    """Resolve ``--base`` to a plain HF checkpoint directory, converting a GGUF once."""
    spec = (spec or "default").strip()
    gguf = gguf_path_for(spec)
    if gguf is None:
        path = Path(spec).expanduser()
        if not (path / "config.json").is_file():
            raise BaseModelError(
                f"The base model {spec!r} is neither a .gguf file nor a Hugging Face model "
                "directory with a config.json; pass --base default, a .gguf file or such a directory."
            )
        return BaseModel(spec, path.resolve())
    digest = file_sha256(gguf)
    out = (cache or cache_root()) / digest[:16]
    if not (out / MARKER).is_file():
        convert_gguf(gguf, out)
    return BaseModel(spec, out, gguf.resolve(), digest)


def load_gguf_dequantized(gguf: Path) -> tuple[Any, Any]:
    """(model, tokenizer) from a GGUF file, the weights moved into a plain float32 model."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    kw = {"gguf_file": gguf.name}
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), **kw)
    loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), dtype=torch.float32, **kw)
    config = AutoConfig.from_pretrained(str(gguf.parent), **kw)
    for attr in ("quantization_config", "_pre_quantization_dtype"):
        if hasattr(config, attr):
            delattr(config, attr)
    plain = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    result = plain.load_state_dict(loaded.state_dict(), strict=False)
    if getattr(config, "tie_word_embeddings", False):
        plain.tie_weights()
    missing = [k for k in result.missing_keys if k != "lm_head.weight"]
    if missing:
        raise BaseModelError(
            f"Converting {gguf} left weights unset ({', '.join(missing[:3])}); "
            "the GGUF file may be incomplete."
        )
    return plain, tok


def convert_gguf(gguf: Path, out: Path) -> None:
    """Write the plain HF checkpoint of ``gguf`` to ``out`` (atomically: temp dir, rename)."""
    try:
        model, tok = load_gguf_dequantized(gguf)
    except BaseModelError:
        raise
    except Exception as exc:
        raise BaseModelError(
            f"transformers could not load {gguf} ({type(exc).__name__}: {exc}); "
            "pass a Hugging Face model directory with --base instead."
        ) from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        (tmp / MARKER).write_text(json.dumps({"gguf": str(gguf), "source": gguf.name}) + "\n")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def load_tokenizer(base: BaseModel) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base.hf_dir))


def load_model(base: BaseModel, dtype: Any = None) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(base.hf_dir), dtype=dtype or torch.float32)
