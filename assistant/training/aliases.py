"""Register an exported GGUF as a model alias in the user's config (``[aliases]``)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from assistant.training.files import atomic_write_text


def register_alias(name: str, model: Path, config_path: Path | None = None) -> Path:
    """Set ``aliases.<name> = <absolute path>`` in the user config; returns the config path.

    The rest of the file is kept (it is read and written back as TOML).
    """
    import tomli_w

    from assistant.config import user_config_path

    path = config_path or user_config_path()
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    aliases = data.setdefault("aliases", {})
    aliases[name] = str(model.expanduser().resolve())
    atomic_write_text(path, tomli_w.dumps(data))
    return path
