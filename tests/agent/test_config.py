from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant import trust
from assistant.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "user.toml"))
    for var in ("ASSISTANT_MODEL", "ASSISTANT_APPROVE", "ASSISTANT_SANDBOX"):
        monkeypatch.delenv(var, raising=False)


def test_layers_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (tmp_path / "user.toml").write_text(
        'model = "user"\n[approval]\nmode = "auto"\nallow = ["a"]\n'
    )
    assert load_settings(ws).model == "user"
    (ws / ".assistant.toml").write_text('model = "project"\n[sandbox]\nkind = "host"\n')
    trust.trust(ws)  # an untrusted project file may only narrow (tests/security)
    s = load_settings(ws)
    assert (s.model, s.approval.mode, s.approval.allow, s.sandbox.kind) == (
        "project",
        "auto",
        ["a"],
        "host",
    )
    monkeypatch.setenv("ASSISTANT_MODEL", "env")
    assert load_settings(ws).model == "env"
    assert load_settings(ws, {"model": "flag"}).model == "flag"
    assert load_settings(ws, {"model": None}).model == "env"


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / ".assistant.toml").write_text("model = \n")
    with pytest.raises(ConfigError, match=r"\.assistant\.toml is not valid TOML"):
        load_settings(tmp_path)


def test_config_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    (tmp_path / ".assistant.toml").write_bytes(b'model = "caf\xe9"\n')  # Latin-1
    with pytest.raises(ConfigError, match=r"\.assistant\.toml is not valid TOML.*UTF-8"):
        load_settings(tmp_path)
    (tmp_path / ".assistant.toml").unlink()
    trust.projects_path().write_bytes(b"[projects]\n# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"projects\.toml is not valid TOML.*UTF-8"):
        load_settings(tmp_path)
    trust.projects_path().write_text("projects = 1\n")
    with pytest.raises(ConfigError, match=r"projects\.toml: projects is not a table"):
        load_settings(tmp_path)


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "huge"])
def test_a_project_file_that_never_ends_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    """A repository's .assistant.toml linked to /dev/zero filled memory; a FIFO hung."""
    project = tmp_path / ".assistant.toml"
    if kind == "dev-zero":
        project.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(project)
    else:
        project.write_text("# x\n" * 400_000)
    why = "larger than 1 MB" if kind == "huge" else "not a regular file"
    with pytest.raises(ConfigError, match=why):
        load_settings(tmp_path)
    with pytest.raises(ConfigError, match=why):
        trust.trust(tmp_path)


def test_a_config_linked_to_dev_null_is_empty(tmp_path: Path) -> None:
    """A way to switch a config off; /dev/null is no regular file, but it ends at once."""
    (tmp_path / "user.toml").symlink_to(os.devnull)
    (tmp_path / ".assistant.toml").symlink_to(os.devnull)
    assert load_settings(tmp_path).approval.mode == "ask"


def test_a_project_file_linked_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "shared.toml").write_text('[approval]\nmode = "read-only"\n')
    (tmp_path / ".assistant.toml").symlink_to("shared.toml")
    assert load_settings(tmp_path).approval.mode == "read-only"


def test_bad_value_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / ".assistant.toml").write_text('[approval]\nmode = "sometimes"\n')
    with pytest.raises(ConfigError, match=r"approval\.mode"):
        load_settings(tmp_path)


def test_bad_environment_value_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_N_CTX", "lots")
    with pytest.raises(ConfigError, match=r"llm\.n_ctx.*ASSISTANT_N_CTX") as err:
        load_settings(tmp_path)
    assert ".assistant.toml" not in str(err.value)
