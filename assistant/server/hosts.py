"""Which Host and Origin headers a server without an API key answers, so web pages
cannot use it.

A page the user visits can send requests to 127.0.0.1 (cross-site) or, after DNS
rebinding, read the replies under its own name. Rebinding needs a DNS name, so the Host
may be any IP address, ``localhost``, the address the server is bound to, or a name the
user allowed; a browser names the page in ``Origin``, which only the server's own origin
(the one in ``Host``), loopback pages on the server's port and the ``--cors-origin``
ones may send. The SDKs send no ``Origin``.

No web framework is imported here: the CLI uses :func:`is_loopback` before it loads one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from urllib.parse import urlsplit

_NOT_IN_A_HOST = frozenset("/?#@\\ \t")


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback IP address (brackets around IPv6 allowed)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_name(header: str) -> str | None:
    """The lowercased name in a ``Host`` header without port or IPv6 brackets; None if malformed."""
    if not header or _NOT_IN_A_HOST.intersection(header):
        return None
    try:
        parts = urlsplit("//" + header)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError:
        return None
    return parts.hostname.rstrip(".") if parts.hostname else None


def host_allowed(header: str, names: Collection[str]) -> bool:
    """Whether a ``Host`` header is one the server answers; ``names`` are lowercased names."""
    name = host_name(header)
    if name is None:
        return False
    return name == "localhost" or _is_ip(name) or name in names


def _default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme)


def origin_problem(origin: str) -> str | None:
    """Why ``origin`` cannot be a ``--cors-origin`` (None when it can): a browser sends
    ``scheme://host[:port]``, so anything else would never match."""
    if origin == "*":
        return None
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError:
        return "its port is not a number from 0 to 65535"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "it does not start with http:// or https:// and a host name"
    if parts.path.rstrip("/") or parts.query or parts.fragment or parts.username is not None:
        return "an origin has no user, path, query or fragment"
    return None


def normalised_origin(origin: str) -> str:
    """``origin`` as a browser writes it in ``Origin`` (lowercase, no default port, no
    trailing slash), so an exact comparison (Starlette's CORS) matches; ``*`` stays."""
    if origin == "*":
        return origin
    parts = urlsplit(origin)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != _default_port(parts.scheme.lower()):
        netloc += f":{parts.port}"
    return f"{parts.scheme.lower()}://{netloc}"


def origin_allowed(
    origin: str, port: int | None, cors_origins: Collection[str], host: str | None = None
) -> bool:
    """Whether a browser page at ``origin`` may use a server listening on ``port`` that
    was reached under the ``Host`` header ``host``."""
    try:
        if "*" in cors_origins or normalised_origin(origin) in cors_origins:
            return True
    except ValueError:
        return False
    try:
        parts = urlsplit(origin)
        origin_port = parts.port or _default_port(parts.scheme)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.hostname is None:
        return False
    if is_loopback(parts.hostname) and origin_port == port:
        return True
    return host is not None and _same_origin(parts.hostname, origin_port, parts.scheme, host)


def _same_origin(hostname: str, port: int | None, scheme: str, host: str) -> bool:
    """Whether the page's host and port are the ones the request was sent to.

    The scheme is not compared: behind a TLS proxy the page is ``https`` and the server
    sees plain HTTP. A browser leaves the scheme's default port out of ``Host``.
    """
    name = host_name(host)
    if name is None:
        return False
    try:
        host_port = urlsplit("//" + host).port or _default_port(scheme)
    except ValueError:
        return False
    return hostname.rstrip(".") == name and port == host_port
