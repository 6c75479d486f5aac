"""fetch_url: an HTTP GET from the host, returned as readable text.

Runs on the host (not in the sandbox), so the approval names the URL every time
(``host_network=True``), scheme and host first. The body is streamed and cut at
``max_bytes``; the whole request is bounded by ``timeout`` (a slow drip cannot outlast it).

The host can reach what the sandbox cannot: loopback services, cloud metadata
(169.254.169.254), the LAN. So every hop is resolved once, every address it resolves to
must be public (unless the user set ``fetch_allow_private``), and the connection goes to
exactly that address (the URL is rewritten to the IP; ``Host`` and TLS SNI keep the
name), so a DNS answer that changes between check and connect (rebinding) cannot
redirect it. Redirects are followed only within the same scheme, host and port; any
other redirect is reported for the model to fetch (and the user to approve) anew.
URLs with ``user@`` credentials are refused: they hide the real host in a long line.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import html2text
import httpx

from assistant.tools.base import Tool, ToolContext, ToolError, ToolResult, tool

DEFAULT_MAX_BYTES = 1_000_000
HARD_MAX_BYTES = 10_000_000
MAX_TEXT_CHARS = 40_000
USER_AGENT = "assistant-fetch/0.1 (+https://github.com/)"

_TEXT_TYPES = (
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-javascript",
    "application/ld+json",
    "application/x-yaml",
    "application/yaml",
    "application/toml",
    "application/x-sh",
)


def html_to_text(html: str, base_url: str = "") -> str:
    """Markdown-ish text of a page; links resolve against ``base_url`` (html2text joins
    each href with it: relative ones become absolute, absolute ones stay as they are)."""
    # No protect_links: it only guards links against line wrapping (off: bodywidth=0), and
    # html2text wraps the href in <...> before joining it with baseurl, which mangles it.
    conv = html2text.HTML2Text(baseurl=base_url, bodywidth=0)
    conv.ignore_images = True
    conv.ignore_emphasis = False
    conv.unicode_snob = True
    return conv.handle(html).strip()


def _is_text_type(ctype: str) -> bool:
    return ctype.startswith("text/") or ctype in _TEXT_TYPES or ctype.endswith(("+json", "+xml"))


MAX_REDIRECTS = 5
ALLOW_PRIVATE_ENV = "ASSISTANT_FETCH_ALLOW_PRIVATE"


@dataclass
class Target:
    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def parse_target(url: str) -> Target:
    """The scheme, host and port of ``url``, or a ToolError naming what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ToolError(f"Cannot fetch {url!r}: only http:// and https:// URLs are supported.")
    if "@" in parts.netloc:
        raise ToolError(
            f"Cannot fetch {url[:80]!r}...: URLs with a user@ part are refused (it can hide "
            "the real host); remove it."
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ToolError(f"Cannot fetch {url!r}: the port is not a number.") from None
    if not parts.hostname:
        raise ToolError(f"Cannot fetch {url!r}: it names no host.")
    return Target(parts.scheme, parts.hostname.lower(), port)


def describe_url(url: str) -> str:
    """Scheme and host first, for the approval prompt (the rest may be long)."""
    try:
        t = parse_target(url)
    except ToolError as exc:
        return str(exc)
    return f"{t.scheme}://{t.host}:{t.port}"


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def is_public(address: str) -> bool:
    """Whether ``address`` is a public one; an IPv6 address that carries an IPv4 one
    (mapped, NAT64, 6to4: the network translates it) is judged by that IPv4 address."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return False
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    return ip.is_global and not ip.is_multicast


def allow_private(ctx: ToolContext) -> bool:
    return bool(ctx.settings.get("fetch_allow_private")) or os.environ.get(
        ALLOW_PRIVATE_ENV, ""
    ) in ("1", "true", "yes")


async def resolve_checked(target: Target, private_ok: bool) -> str:
    """One address for ``target.host``, refusing non-public ones (any of them)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            target.host, target.port, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise ToolError(
            f"Fetching {target.origin} failed: cannot resolve {target.host} ({exc.strerror})."
        ) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise ToolError(f"Fetching {target.origin} failed: {target.host} has no address.")
    private = [a for a in addresses if not is_public(a)]
    if private and not private_ok:
        raise ToolError(
            f"Refused to fetch {target.origin}: {target.host} resolves to a non-public address "
            f"({private[0]}: loopback, private network or cloud metadata). Set "
            f"{ALLOW_PRIVATE_ENV}=1 in your environment to allow it."
        )
    return addresses[0]


def _pinned(url: str, target: Target, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(url with the host replaced by ``address``, headers, request extensions)."""
    parts = urlsplit(url)
    ip_host = f"[{address}]" if ":" in address else address
    default = 443 if target.scheme == "https" else 80
    netloc = ip_host if target.port == default else f"{ip_host}:{target.port}"
    pinned = parts._replace(netloc=netloc).geturl()
    host_header = target.host if target.port == default else f"{target.host}:{target.port}"
    return pinned, {"Host": host_header}, {"sni_hostname": target.host}


@dataclass
class Fetched:
    response: httpx.Response
    body: bytes
    truncated: bool
    url: str
    """The URL of the last hop."""
    address: str
    """The address the last hop connected to."""
    elsewhere: str | None = None
    """A redirect to another origin, not followed."""


def _peer(resp: httpx.Response) -> str | None:
    stream = resp.extensions.get("network_stream")
    addr = stream.get_extra_info("server_addr") if stream is not None else None
    return str(addr[0]) if addr else None


async def _get(url: str, max_bytes: int, timeout: float, private_ok: bool) -> Fetched:
    async with httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
        trust_env=False,  # no proxy from the environment: we connect where we checked
    ) as client:
        first = parse_target(url)
        for _ in range(MAX_REDIRECTS + 1):
            target = parse_target(url)
            address = await resolve_checked(target, private_ok)
            pinned, headers, ext = _pinned(url, target, address)
            request = client.build_request("GET", pinned, headers=headers, extensions=ext)
            resp = await client.send(request, stream=True)
            try:
                peer = _peer(resp)
                if peer is not None and peer != address:
                    raise ToolError(
                        f"Refused {target.origin}: connected to {peer}, not the checked {address}."
                    )
                location = resp.headers.get("location")
                if resp.is_redirect and location:
                    nxt = urljoin(url, location)
                    try:
                        same = parse_target(nxt).origin == first.origin
                    except ToolError:
                        same = False
                    if not same:
                        return Fetched(resp, b"", False, url, address, nxt)
                    url = nxt
                    continue
                chunks: list[bytes] = []
                size = 0
                truncated = False
                if resp.status_code < 400:
                    async for chunk in resp.aiter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= max_bytes:
                            truncated = True
                            break
                return Fetched(resp, b"".join(chunks)[:max_bytes], truncated, url, address)
            finally:
                await resp.aclose()
        raise httpx.TooManyRedirects("too many redirects", request=request)


@tool(subject_arg="url", host_network=True)
async def fetch_url(
    ctx: ToolContext, url: str, max_bytes: int = DEFAULT_MAX_BYTES, timeout: int = 20
) -> ToolResult:
    """Download a web page or text file (http/https) and return it as text.

    Args:
        url: The http:// or https:// address to fetch.
        max_bytes: Stop downloading after this many bytes.
        timeout: Seconds before giving up.
    """
    parse_target(url)
    cap = max(1, min(int(max_bytes), HARD_MAX_BYTES))
    t = max(1.0, min(float(timeout), 120.0))
    try:
        got = await asyncio.wait_for(_get(url.strip(), cap, t, allow_private(ctx)), timeout=t)
    except (TimeoutError, httpx.TimeoutException):
        raise ToolError(f"Fetching {url} timed out after {t:g}s.") from None
    except httpx.TooManyRedirects:
        raise ToolError(f"Fetching {url} failed: too many redirects.") from None
    except httpx.HTTPError as exc:
        raise ToolError(f"Fetching {url} failed: {type(exc).__name__}: {exc}.") from None
    resp, body, truncated, final_url = got.response, got.body, got.truncated, got.url
    elsewhere = got.elsewhere
    if elsewhere is not None:
        return ToolResult(
            f"{final_url} redirects ({resp.status_code}) to another site or scheme: {elsewhere}\n"
            "It was not followed; call fetch_url with that URL if you need it.",
            meta={"status": resp.status_code, "redirect": elsewhere},
        )
    if resp.status_code >= 400:
        raise ToolError(f"Fetching {url} failed: HTTP {resp.status_code} {resp.reason_phrase}.")
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if not ctype:
        ctype = "application/octet-stream" if b"\x00" in body[:4096] else "text/plain"
    if not _is_text_type(ctype) and "html" not in ctype:
        raise ToolError(
            f"{url} returned {ctype} content ({len(body)}+ bytes), which is not text; "
            "fetch_url only returns text and web pages."
        )
    encoding = resp.charset_encoding or "utf-8"
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    if "html" in ctype:  # seconds of pure Python for a few MB of HTML: off the event loop
        text = await asyncio.to_thread(html_to_text, text, final_url)
    notes: list[str] = []
    if truncated:
        notes.append(f"[download stopped at {cap} bytes]")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        notes.append(f"[text cut at {MAX_TEXT_CHARS} characters]")
    header = f"{final_url} ({resp.status_code}, {ctype})\n\n"
    out = header + text + ("\n" + "\n".join(notes) if notes else "")
    return ToolResult(
        out,
        meta={
            "status": resp.status_code,
            "content_type": ctype,
            "address": got.address,
            "bytes": len(body),
            "truncated": truncated,
        },
    )


def _approval_reason(args: dict[str, object], ctx: ToolContext) -> str:
    """Always asked (host network); the reason leads with scheme and host."""
    return f"fetches {describe_url(str(args.get('url', '')))} from your machine"


fetch_url.sensitive = _approval_reason

FETCH_TOOLS: list[Tool] = [fetch_url]
