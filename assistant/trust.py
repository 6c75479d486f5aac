"""Which project directories the user trusts, and the allow rules saved for each.

A repository's ``.assistant.toml`` is written by whoever wrote the repository (or by a
command in the sandbox, which mounts the workspace). Until the user trusts the directory
it may only narrow the user's own settings: a stricter approval mode, a stronger sandbox,
lower limits. Trust is kept in the user's config directory (``projects.toml`` next to
``config.toml``), keyed by the directory's real path and pinned to the sha256 of the
project file, so any change to the file needs trusting again. Rules saved with "always"
live there too, under the project, never in the repository.

    [projects."/home/me/src/app"]
    trusted_sha256 = "9f86d0..."
    allow = ["run_shell: pytest -q"]
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import tomli_w

from assistant.config import (
    PROJECT_CONFIG,
    ConfigError,
    Settings,
    read_config_bytes,
    read_toml,
    user_config_path,
)
from assistant.tools.paths import atomic_write

TrustState = Literal["trusted", "untrusted", "changed"]

TRUST_HINT = "run `assistant trust` in that directory to trust it"


def projects_path() -> Path:
    return user_config_path().with_name("projects.toml")


def project_key(workspace: Path | str) -> str:
    return os.path.realpath(os.fspath(workspace))


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _load() -> dict[str, Any]:
    path = projects_path()
    if not path.exists():
        return {}
    data = read_toml(path)
    if not isinstance(data.get("projects", {}), dict):
        raise ConfigError(f"{path}: projects is not a table of directories; fix or delete it.")
    return data


def _entry(workspace: Path | str) -> dict[str, Any]:
    entry = _load().get("projects", {}).get(project_key(workspace), {})
    return entry if isinstance(entry, dict) else {}


def _update(workspace: Path | str, change: Callable[[dict[str, Any]], None]) -> None:
    data = _load()
    projects = data.setdefault("projects", {})
    key = project_key(workspace)
    entry = projects.setdefault(key, {})
    change(entry)
    if not entry:
        del projects[key]
    path = projects_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomli_w.dumps(data).encode("utf-8"))


def trust_state(workspace: Path | str, content: bytes | None = None) -> TrustState:
    """Whether the project file (``content``, the bytes the caller read, if given) is the
    one the user trusted; pass the bytes you apply, or the file can change in between."""
    pinned = _entry(workspace).get("trusted_sha256")
    if not pinned:
        return "untrusted"
    if content is None:
        try:
            content = read_config_bytes(Path(project_key(workspace)) / PROJECT_CONFIG)
        except FileNotFoundError:
            return "changed"
    return "trusted" if _digest(content) == pinned else "changed"


def trust(workspace: Path | str) -> str:
    """Trust the project file as it is now; returns its sha256."""
    path = Path(project_key(workspace)) / PROJECT_CONFIG
    try:
        digest = _digest(read_config_bytes(path))
    except FileNotFoundError:
        raise ConfigError(
            f"There is no {PROJECT_CONFIG} in {path.parent}; nothing to trust."
        ) from None

    def pin(entry: dict[str, Any]) -> None:
        entry["trusted_sha256"] = digest

    _update(workspace, pin)
    return digest


def revoke(workspace: Path | str) -> bool:
    """Stop trusting the directory; False when it was not trusted."""
    was = bool(_entry(workspace).get("trusted_sha256"))
    _update(workspace, lambda entry: entry.pop("trusted_sha256", None))
    return was


def project_rules(workspace: Path | str) -> list[str]:
    rules = _entry(workspace).get("allow", [])
    return [r for r in rules if isinstance(r, str)] if isinstance(rules, list) else []


def save_project_rule(workspace: Path | str, rule: str) -> None:
    """Save an "always" allow rule for this project in the user's config, atomically."""

    def add(entry: dict[str, Any]) -> None:
        allow = entry.setdefault("allow", [])
        if rule not in allow:
            allow.append(rule)

    _update(workspace, add)


# ---- narrowing ------------------------------------------------------------------------
_SECTIONS = ("llm", "approval", "sandbox", "limits", "web_search")
_MODE_RANK = {"read-only": 0, "auto": 1, "ask": 2, "never-ask": 3}
_KIND_RANK = {"docker": 0, "bwrap": 1, "host": 2}
# Performance knobs a project may set freely; they grant no new access.
_FREE = {
    ("theme",),
    ("llm", "n_ctx"),
    ("llm", "n_threads"),
    ("llm", "n_gpu_layers"),
    ("llm", "temperature"),
    ("llm", "max_tokens"),
}


def _size(value: str) -> int | None:
    m = re.fullmatch(r"(\d+)([kmg]?)b?", value.strip().lower())
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2)]


def _at_most(p: Any, b: Any) -> bool:
    return b is None or (p is not None and p <= b)


def _smaller_size(p: str, b: str) -> bool:
    ps, bs = _size(p), _size(b)
    return ps is not None and bs is not None and 0 < ps <= bs


def _smaller_limit(p: Any, b: Any) -> bool:
    """A lower sandbox limit; Docker reads 0 (and -1 for pids) as no limit at all."""
    return p is not None and p > 0 and _at_most(p, b)


# (section, key) -> is the project's value no wider than the user's?
_NARROWS: dict[tuple[str, ...], Callable[[Any, Any], bool]] = {
    ("model",): lambda p, b: p == "local",  # the bundled model; never a path or endpoint
    ("approval", "mode"): lambda p, b: _MODE_RANK[p] <= _MODE_RANK[b],
    ("approval", "allow"): lambda p, b: set(p) <= set(b),  # dropping rules narrows
    ("sandbox", "kind"): lambda p, b: _KIND_RANK[p] <= _KIND_RANK[b],
    ("sandbox", "network"): lambda p, b: p in ("none", b),
    ("sandbox", "memory"): _smaller_size,
    ("sandbox", "cpus"): _smaller_limit,
    ("sandbox", "pids"): _smaller_limit,
    ("limits", "max_steps"): _at_most,
    ("limits", "max_cost_usd"): _at_most,
    ("limits", "max_wall_s"): _at_most,
    ("limits", "max_repeats"): lambda p, b: b == 0 or 0 < p <= b,  # 0 is no limit
    ("web_search", "max_results"): _at_most,
    ("web_search", "timeout"): _at_most,
}


def _get(settings: Settings, key: tuple[str, ...]) -> Any:
    obj: Any = settings
    for part in key:
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part)
    return obj


def _leaves(project: dict[str, Any]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for key, value in project.items():
        if key in _SECTIONS and isinstance(value, dict):
            out += [(key, sub) for sub in value]
        elif key == "mcp" and isinstance(value, dict) and isinstance(value.get("servers"), dict):
            # Each MCP server is its own widening setting, named mcp.servers.NAME.
            out += [("mcp", "servers", name) for name in value["servers"]]
            out += [("mcp", other) for other in value if other != "servers"]
        else:
            out.append((key,))
    return out


def narrow_project(
    project: dict[str, Any], base: Settings, candidate: Settings
) -> tuple[dict[str, Any], list[str]]:
    """(the project layer without what widens ``base``, the dotted names dropped).

    ``base`` is the user's settings, ``candidate`` the user's with the whole project file
    applied (both validated). Anything not known to be harmless or narrowing (endpoints,
    models, images, allow rules, new keys) counts as widening unless it equals the user's.
    """
    kept: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in project.items()}
    ignored: list[str] = []
    for key in _leaves(project):
        if key in _FREE:
            continue
        p, b = _get(candidate, key), _get(base, key)
        narrows = _NARROWS.get(key)
        if p == b or (narrows is not None and narrows(p, b)):
            continue
        ignored.append(".".join(key))
        if len(key) == 1:
            del kept[key[0]]
        elif len(key) == 2:
            del kept[key[0]][key[1]]
        else:  # mcp.servers.NAME
            kept[key[0]][key[1]] = {k: v for k, v in kept[key[0]][key[1]].items() if k != key[2]}
    return kept, ignored


def ignored_notice(path: Path, ignored: list[str], state: TrustState) -> str:
    why = "it changed since you trusted it" if state == "changed" else "it is not trusted"
    return (
        f"Ignored {', '.join(ignored)} from {path}: a project file may only narrow your "
        f"settings while {why}; {TRUST_HINT}."
    )
