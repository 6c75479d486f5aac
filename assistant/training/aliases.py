"""Register an exported GGUF as a model alias in the user's config (``[aliases]``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from assistant.training.files import atomic_write_text

ALIASES_HEADER = re.compile(r"^[ \t]*\[[ \t]*aliases[ \t]*\][ \t]*(#[^\r\n]*)?\r?$", re.MULTILINE)


class AliasError(Exception):
    """The alias cannot be written; the message says what to do instead."""


def register_alias(name: str, model: Path, config_path: Path | None = None) -> Path:
    """Set ``aliases.<name> = <absolute path>`` in the user config; returns the config path.

    The line is added to the file as it is (under its ``[aliases]`` header, or in a new
    table at the end), so its comments and layout stay. Where that cannot be done (the
    alias is already there, say), a file without comments is written again from its
    data; one with comments is left alone (AliasError names the line to add).
    """
    import tomli_w

    path, text, data = read_alias_config(config_path)
    aliases = data.get("aliases", {})
    line = tomli_w.dumps({name: str(model.expanduser().resolve())})
    wanted = {**data, "aliases": {**aliases, **tomllib.loads(line)}}
    if wanted == data:
        return path
    for edited in _edits(text, line, "aliases" in data):
        if _parses_to(edited, wanted):
            atomic_write_text(path, edited)
            return path
    if "#" in text:
        raise AliasError(
            f"{path} has comments that writing it again would lose; add `{line.strip()}` "
            "under its [aliases] yourself, or pass --no-alias."
        )
    atomic_write_text(path, tomli_w.dumps(wanted))
    return path


def read_alias_config(config_path: Path | None = None) -> tuple[Path, str, dict[str, Any]]:
    """The user config an alias goes to: its path, text and data. Raises AliasError when
    it cannot take one, so that an export can say so before it starts, not after."""
    from assistant.config import user_config_path

    path = config_path or user_config_path()
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasError(
            f"Cannot read {path} to register the alias ({exc}); fix it, or pass --no-alias."
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AliasError(f"{path} is not valid TOML ({exc}); fix it, or pass --no-alias.") from None
    if not isinstance(data.get("aliases", {}), dict):
        raise AliasError(
            f'{path} sets "aliases" to a value, not a table; make it [aliases], or pass --no-alias.'
        )
    return path, text, data


def _edits(text: str, line: str, has_aliases: bool) -> list[str]:
    """``text`` with ``line`` put where a TOML file may hold it: in a new ``[aliases]`` at the
    end, under the ``[aliases]`` header, or in place of a line setting the same key (the
    caller keeps the first that parses to what it wants)."""
    body = text if not text or text.endswith("\n") else text + "\n"
    if not has_aliases:
        gap = "\n" if body.strip() else ""
        return [f"{body}{gap}[aliases]\n{line}"]
    edits: list[str] = []
    if header := ALIASES_HEADER.search(body):
        edits.append(body[: header.end() + 1] + line + body[header.end() + 1 :])
    key = line.split(" = ", 1)[0]
    for same in re.finditer(rf"^[ \t]*{re.escape(key)}[ \t]*=.*\n", body, re.MULTILINE):
        edits.append(body[: same.start()] + line + body[same.end() :])
    return edits


def _parses_to(text: str, wanted: dict[str, Any]) -> bool:
    try:
        return tomllib.loads(text) == wanted
    except tomllib.TOMLDecodeError:
        return False
