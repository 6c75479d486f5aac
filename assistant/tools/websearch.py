"""web_search: search the web through the backend the user configured, for titles, URLs, snippets.

Two backends behind one small interface: SearXNG (a self-hosted open-source engine;
``/search?format=json``) configured by URL, and the Brave Search API
(``/res/v1/web/search``, ``X-Subscription-Token``) configured by key. Without a backend
the tool is not offered. The model reads a result with ``fetch_url``, which asks first.

Queries go only to the endpoint the user configured (never one from an untrusted
project file). The tool still asks before each search: the query goes to a third party,
and a prompt-injected model could put secrets in it (an allow rule such as
``web_search`` lets the user skip the question). ``${VAR}`` in its settings is read from
the environment only for values from the user's own config, and error messages name
the endpoint by scheme and host alone (its URL may carry a key).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from assistant.envexpand import MissingVariable, expand, origin, uses_variables
from assistant.tools.base import Tool, ToolContext, ToolError, ToolResult, tool

if TYPE_CHECKING:
    from assistant.config import WebSearchSettings

BRAVE_ENDPOINT = "https://api.search.brave.com"
USER_AGENT = "assistant-web-search/0.1"
MAX_SNIPPET = 400


class SearchError(Exception):
    """The backend could not answer; the message names it and the fix."""


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    snippet: str


class SearchBackend(Protocol):
    name: str

    async def search(self, query: str, max_results: int) -> list[SearchHit]: ...


_TAG = re.compile(r"<[^>]+>")


def _clean(text: Any) -> str:
    """Plain text from a snippet that may carry <strong> tags and entities."""
    plain = html.unescape(_TAG.sub("", str(text or "")))
    return " ".join(plain.split())[:MAX_SNIPPET]


async def _get_json(
    url: str, params: dict[str, Any], headers: dict[str, str], timeout: float, what: str
) -> Any:
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            resp = await client.get(
                url, params=params, headers={"User-Agent": USER_AGENT, **headers}
            )
    except httpx.TimeoutException:
        raise SearchError(f"{what} did not answer within {timeout:g} s.") from None
    except httpx.HTTPError as exc:
        raise SearchError(f"{what} cannot be reached ({type(exc).__name__}).") from None
    if resp.status_code in (401, 403):
        raise SearchError(f"{what} refused the request (HTTP {resp.status_code}).")
    if resp.status_code == 429:
        raise SearchError(f"{what} is rate-limiting requests (HTTP 429); try again later.")
    if resp.status_code >= 400:
        raise SearchError(f"{what} failed: HTTP {resp.status_code} {resp.reason_phrase}.")
    try:
        return resp.json()
    except ValueError:
        raise SearchError(f"{what} did not return JSON.") from None


class SearxngBackend:
    """A SearXNG instance; its ``search.formats`` must include ``json``."""

    name = "searxng"

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    async def search(self, query: str, max_results: int) -> list[SearchHit]:
        what = f"SearXNG ({origin(self.base_url)})"
        try:
            data = await _get_json(
                f"{self.base_url}/search",
                {"q": query, "format": "json", "pageno": 1},
                {"Accept": "application/json"},
                self.timeout,
                what,
            )
        except SearchError as exc:
            if "HTTP 403" in str(exc):
                raise SearchError(
                    f"{exc} SearXNG answers 403 when its JSON format is off; add json to "
                    "search.formats in its settings.yml."
                ) from None
            raise
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise SearchError(f"{what} returned JSON without a results list.")
        return _hits(results, "title", "url", "content", max_results)


class BraveBackend:
    """The Brave Search API (web search), authenticated by a subscription token."""

    name = "brave"

    def __init__(self, api_key: str, endpoint: str | None = None, timeout: float = 15.0) -> None:
        self.api_key = api_key
        self.endpoint = (endpoint or BRAVE_ENDPOINT).rstrip("/")
        self.timeout = timeout

    async def search(self, query: str, max_results: int) -> list[SearchHit]:
        try:
            data = await _get_json(
                f"{self.endpoint}/res/v1/web/search",
                {"q": query, "count": min(max_results, 20)},
                {"Accept": "application/json", "X-Subscription-Token": self.api_key},
                self.timeout,
                "Brave Search"
                if self.endpoint == BRAVE_ENDPOINT
                else f"Brave Search ({origin(self.endpoint)})",
            )
        except SearchError as exc:
            if "HTTP 401" in str(exc) or "HTTP 403" in str(exc):
                raise SearchError(f"{exc} Check web_search.api_key in your config.") from None
            raise
        web = data.get("web") if isinstance(data, dict) else None
        results = web.get("results", []) if isinstance(web, dict) else []
        if not isinstance(results, list):
            raise SearchError("Brave Search returned JSON without web.results.")
        return _hits(results, "title", "url", "description", max_results)


def _hits(rows: list[Any], title: str, url: str, snippet: str, limit: int) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for row in rows:
        if not isinstance(row, dict) or not row.get(url):
            continue
        hits.append(
            SearchHit(_clean(row.get(title)) or row[url], str(row[url]), _clean(row.get(snippet)))
        )
        if len(hits) >= limit:
            break
    return hits


def format_hits(query: str, hits: list[SearchHit]) -> str:
    if not hits:
        return f"No results for {query!r}."
    lines = [f"Results for {query!r}:"]
    for i, hit in enumerate(hits, 1):
        lines.append(f"{i}. {hit.title}\n   {hit.url}")
        if hit.snippet:
            lines.append(f"   {hit.snippet}")
    lines.append("Read a page with fetch_url.")
    return "\n".join(lines)


def _value(key: str, value: str, environ: Mapping[str, str], from_project: Collection[str]) -> str:
    """``web_search.KEY`` with ``${VAR}`` expanded, when it comes from the user's config."""
    where = f"web_search.{key}"
    if key in from_project:
        if uses_variables(value):  # a project file never reads your environment
            raise SearchError(
                f"{where} in the project file uses ${{...}}, which only your own config may "
                f"use; set {where} in your config instead."
            )
        return value
    try:
        return expand(value, environ, where)
    except MissingVariable as exc:
        raise SearchError(str(exc)) from None


def backend_from_settings(
    ws: WebSearchSettings, environ: Mapping[str, str], from_project: Collection[str] = ()
) -> SearchBackend | None:
    """The configured backend, or None when web search is not configured.

    ``from_project`` names the ``web_search`` keys the project file set: no ``${VAR}``
    there. Raises ``SearchError`` for a backend that is named but incomplete.
    """
    if ws.backend is None:
        return None
    url = _value("url", ws.url, environ, from_project) if ws.url else None
    if ws.backend == "searxng":
        if not url:
            raise SearchError(
                "web_search.backend is searxng but web_search.url is not set; set it to your "
                "instance, e.g. http://127.0.0.1:8888."
            )
        return SearxngBackend(url, ws.timeout)
    if not ws.api_key:
        raise SearchError(
            "web_search.backend is brave but web_search.api_key is not set; set it, e.g. "
            'api_key = "${BRAVE_API_KEY}".'
        )
    key = _value("api_key", ws.api_key, environ, from_project)
    return BraveBackend(key, url, ws.timeout)


def web_search_tool(backend: SearchBackend, default_results: int = 5) -> Tool:
    """The ``web_search`` tool bound to ``backend``."""

    @tool(name="web_search", read_only=False, subject_arg="query")
    async def web_search(
        ctx: ToolContext, query: str, max_results: int = default_results
    ) -> ToolResult:
        """Search the web; returns titles, URLs and snippets (read a page with fetch_url).

        Args:
            query: What to search for.
            max_results: How many results to return (1-20).
        """
        if not query.strip():
            raise ToolError("The query is empty; say what to search for.")
        limit = max(1, min(int(max_results), 20))
        try:
            hits = await backend.search(query.strip(), limit)
        except SearchError as exc:
            raise ToolError(str(exc)) from None
        return ToolResult(
            format_hits(query.strip(), hits),
            meta={"backend": backend.name, "results": [h.__dict__ for h in hits]},
        )

    return web_search
