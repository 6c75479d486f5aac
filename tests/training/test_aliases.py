"""``assistant export`` registers its GGUF as a model alias in the user's config.toml: the
file keeps its comments, and a file it cannot edit is one sentence, left as it was."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from assistant.training.aliases import AliasError, register_alias

CONFIG = """\
# my settings
model = "base"  # the small one

[aliases]
# the cloud one
sonnet = "anthropic:claude-sonnet-4-5"
"""


def test_a_new_alias_keeps_the_comments(tmp_path: Path) -> None:
    config, gguf = tmp_path / "config.toml", tmp_path / "m.gguf"
    config.write_text(CONFIG)
    register_alias("mine", gguf, config)
    text = config.read_text()
    assert "# my settings" in text and "# the small one" in text and "# the cloud one" in text
    assert tomllib.loads(text) == {
        "model": "base",
        "aliases": {"sonnet": "anthropic:claude-sonnet-4-5", "mine": str(gguf.resolve())},
    }

    register_alias("mine", tmp_path / "other.gguf", config)  # the same alias, a new file
    assert tomllib.loads(config.read_text())["aliases"]["mine"] == str(tmp_path / "other.gguf")
    assert config.read_text().count("mine =") == 1 and "# the cloud one" in config.read_text()

    plain = tmp_path / "plain.toml"  # no [aliases] yet: a table at the end
    plain.write_text("# only a comment\nmodel = 'base'")
    register_alias("mine", gguf, plain)
    assert plain.read_text().startswith("# only a comment\nmodel = 'base'\n")
    assert tomllib.loads(plain.read_text())["aliases"] == {"mine": str(gguf.resolve())}


def test_a_file_it_cannot_edit_is_one_sentence_and_left_alone(tmp_path: Path) -> None:
    config, gguf = tmp_path / "config.toml", tmp_path / "m.gguf"
    config.write_text('model = "base"\n[aliases\n')
    with pytest.raises(AliasError, match=r"config\.toml is not valid TOML \(.*line 2.*--no-alias"):
        register_alias("mine", gguf, config)
    assert config.read_text() == 'model = "base"\n[aliases\n'

    # Dotted keys, with a comment: no [aliases] header to add the line under.
    dotted = '# mine\naliases.sonnet = "anthropic:claude-sonnet-4-5"\n'
    config.write_text(dotted)
    with pytest.raises(AliasError, match=rf'add `mine = "{gguf.resolve()}"` under its \[aliases\]'):
        register_alias("mine", gguf, config)
    assert config.read_text() == dotted


@pytest.mark.slow
def test_export_shows_a_broken_config_as_one_sentence(tmp_path, monkeypatch, default_model_path):
    from typer.testing import CliRunner

    from assistant.cli import app
    from tests.training.test_export_lora import _llama_cpp_checkout

    config = tmp_path / "config.toml"
    config.write_text("[aliases\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    checkout = _llama_cpp_checkout(tmp_path, default_model_path)
    out = tmp_path / "merged.gguf"
    r = CliRunner().invoke(
        app, ["export", "--llama-cpp", str(checkout), "--quant", "f16", "--out", str(out)]
    )
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)  # not TOMLDecodeError
    assert "config.toml is not valid TOML" in r.output and config.read_text() == "[aliases\n"
    assert not out.exists()  # said before the conversion, not after it


@pytest.mark.parametrize("config_bytes", [b"model = '\xff'\n", b"[aliases\n"])
def test_export_names_a_config_it_cannot_register_in_before_it_starts(
    tmp_path: Path, config_bytes: bytes
) -> None:
    """A config that is not UTF-8 used to end the export with a traceback, after the whole
    merge; a broken one with a sentence, but also only after it."""
    import os
    import subprocess
    import sys

    config, out = tmp_path / "config.toml", tmp_path / "merged.gguf"
    config.write_bytes(config_bytes)
    env = os.environ | {"ASSISTANT_CONFIG": str(config)}
    args = ["export", "--adapter", str(tmp_path / "run"), "--out", str(out)]
    r = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "--no-alias" in r.stderr
    assert f"{config}" in r.stderr and "does not exist" not in r.stderr  # before the adapter
    assert not out.exists() and config.read_bytes() == config_bytes
