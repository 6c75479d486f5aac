"""Secrets in config values: ``${VAR}`` expansion, and URLs shown without their secrets.

Only the user's config may read the environment: callers skip expansion for values
that came from a project file (see ``Settings.project_web_search`` and MCP's project
servers), so a repository cannot send your secrets anywhere. A configured URL may carry
``user:pass@`` or ``?token=``, so messages name only its scheme and host (``origin``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MissingVariable(Exception):
    """A ``${VAR}`` names a variable that is not set; the message says how to fix it."""


def expand(value: str, environ: Mapping[str, str], where: str) -> str:
    """Replace each ``${VAR}`` in ``value`` from ``environ``; a missing variable is an error."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in environ:
            raise MissingVariable(
                f"{where} uses ${{{name}}}, which is not set; export {name} or remove it from "
                "the config."
            )
        return environ[name]

    return _VAR.sub(sub, value)


def uses_variables(value: str) -> bool:
    return _VAR.search(value) is not None


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, without user, password, path or query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the configured address"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}" if parts.scheme else "the configured address"


def without_urls(text: str) -> str:
    """``text`` with every URL in it cut down to its ``origin``."""
    return _URL.sub(lambda m: origin(m.group()), text)
