"""fetch_url: an HTTP GET from the host, returned as readable text.

Runs on the host (not in the sandbox), so the approval names the URL every time
(``host_network=True``). The body is streamed and cut at ``max_bytes``; the whole
request is bounded by ``timeout`` (a slow drip cannot outlast it).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

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
    conv = html2text.HTML2Text(baseurl=base_url, bodywidth=0)
    conv.ignore_images = True
    conv.ignore_emphasis = False
    conv.protect_links = True
    conv.unicode_snob = True
    return conv.handle(html).strip()


def _is_text_type(ctype: str) -> bool:
    return ctype.startswith("text/") or ctype in _TEXT_TYPES or ctype.endswith(("+json", "+xml"))


async def _get(url: str, max_bytes: int, timeout: float) -> tuple[httpx.Response, bytes, bool]:
    limits = httpx.Timeout(timeout)
    async with (
        httpx.AsyncClient(
            follow_redirects=True,
            timeout=limits,
            headers={"User-Agent": USER_AGENT},
            max_redirects=5,
        ) as client,
        client.stream("GET", url) as resp,
    ):
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
        body = b"".join(chunks)[:max_bytes]
        return resp, body, truncated


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
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ToolError(f"Cannot fetch {url!r}: only http:// and https:// URLs are supported.")
    cap = max(1, min(int(max_bytes), HARD_MAX_BYTES))
    t = max(1.0, min(float(timeout), 120.0))
    try:
        resp, body, truncated = await asyncio.wait_for(_get(url.strip(), cap, t), timeout=t)
    except (TimeoutError, httpx.TimeoutException):
        raise ToolError(f"Fetching {url} timed out after {t:g}s.") from None
    except httpx.TooManyRedirects:
        raise ToolError(f"Fetching {url} failed: too many redirects.") from None
    except httpx.HTTPError as exc:
        raise ToolError(f"Fetching {url} failed: {type(exc).__name__}: {exc}.") from None
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
    if "html" in ctype:
        text = html_to_text(text, str(resp.url))
    notes: list[str] = []
    if truncated:
        notes.append(f"[download stopped at {cap} bytes]")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        notes.append(f"[text cut at {MAX_TEXT_CHARS} characters]")
    header = f"{resp.url} ({resp.status_code}, {ctype})\n\n"
    out = header + text + ("\n" + "\n".join(notes) if notes else "")
    return ToolResult(
        out,
        meta={
            "status": resp.status_code,
            "content_type": ctype,
            "bytes": len(body),
            "truncated": truncated,
        },
    )


FETCH_TOOLS: list[Tool] = [fetch_url]
