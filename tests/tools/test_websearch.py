"""web_search against local HTTP servers that speak the SearXNG JSON API and the Brave
Search API, and how configuration turns the tool on, off, or into one clear error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant.agent.builder import build_agent
from assistant.config import PROJECT_CONFIG, ConfigError, Settings, WebSearchSettings, load_settings
from assistant.tools.base import ToolContext
from assistant.tools.websearch import BraveBackend, SearxngBackend, web_search_tool
from tests.fakes.server import LocalHTTPServer

PAGES = [
    (
        "Python asyncio docs",
        "https://docs.python.org/3/library/asyncio.html",
        "asyncio is a library to write <b>concurrent</b> code.",
    ),
    (
        "Real Python: Async IO",
        "https://realpython.com/async-io-python/",
        "A walkthrough &amp; examples.",
    ),
    ("PEP 492", "https://peps.python.org/pep-0492/", "Coroutines with async and await syntax."),
]


class SearchFake(LocalHTTPServer):
    """SearXNG (``/search?format=json``) and Brave (``/res/v1/web/search``) on one port."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self.json_enabled = True
        self.brave_key = "brave-test-key"

    class handler(BaseHTTPRequestHandler):
        fake: SearchFake

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            self.fake.requests.append((url.path, query, dict(self.headers)))
            if url.path == "/search":
                if query.get("format") != ["json"] or not self.fake.json_enabled:
                    self.send_error(403)  # what SearXNG does when the format is not enabled
                    return
                self._send(200, searxng_answer(query["q"][0]))
            elif url.path == "/res/v1/web/search":
                if self.headers.get("X-Subscription-Token") != self.fake.brave_key:
                    self._send(
                        401,
                        {
                            "type": "ErrorResponse",
                            "error": {"code": "SUBSCRIPTION_TOKEN_INVALID", "status": 401},
                        },
                    )
                    return
                self._send(200, brave_answer(query["q"][0], int(query["count"][0])))
            else:
                self.send_error(404)


def searxng_answer(q: str) -> dict[str, Any]:
    return {
        "query": q,
        "number_of_results": 0,
        "results": [
            {
                "url": url,
                "title": title,
                "content": snippet,
                "engine": "duckduckgo",
                "parsed_url": list(urlsplit(url)),
                "template": "default.html",
                "engines": ["duckduckgo"],
                "positions": [i + 1],
                "score": 1.0 / (i + 1),
                "category": "general",
            }
            for i, (title, url, snippet) in enumerate(PAGES)
        ],
        "answers": [],
        "corrections": [],
        "infoboxes": [],
        "suggestions": [],
        "unresponsive_engines": [],
    }


def brave_answer(q: str, count: int) -> dict[str, Any]:
    return {
        "type": "search",
        "query": {"original": q, "more_results_available": True},
        "web": {
            "type": "search",
            "family_friendly": True,
            "results": [
                {
                    "title": title,
                    "url": url,
                    "description": snippet.replace("<b>", "<strong>").replace("</b>", "</strong>"),
                    "type": "search_result",
                    "language": "en",
                    "family_friendly": True,
                    "meta_url": {"scheme": "https", "netloc": urlsplit(url).netloc},
                }
                for title, url, snippet in PAGES[:count]
            ],
        },
    }


@pytest.fixture
def search() -> Iterator[SearchFake]:
    with SearchFake() as fake:
        yield fake


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))


def ctx(tmp_path: Path) -> ToolContext:
    return ToolContext(workspace=tmp_path)


async def test_searxng_results_are_titles_urls_and_snippets(
    search: SearchFake, tmp_path: Path
) -> None:
    tool = web_search_tool(SearxngBackend(search.origin + "/"))
    result = await tool.run({"query": "python asyncio", "max_results": 2}, ctx(tmp_path))
    assert not result.is_error
    assert result.output == (
        "Results for 'python asyncio':\n"
        "1. Python asyncio docs\n   https://docs.python.org/3/library/asyncio.html\n"
        "   asyncio is a library to write concurrent code.\n"
        "2. Real Python: Async IO\n   https://realpython.com/async-io-python/\n"
        "   A walkthrough & examples.\n"
        "Read a page with fetch_url."
    )
    path, query, _ = search.requests[-1]
    assert path == "/search" and query["q"] == ["python asyncio"] and query["format"] == ["json"]
    assert [r["url"] for r in result.meta["results"]] == [PAGES[0][1], PAGES[1][1]]


async def test_searxng_without_the_json_format_says_how_to_enable_it(
    search: SearchFake, tmp_path: Path
) -> None:
    search.json_enabled = False
    result = await web_search_tool(SearxngBackend(search.origin)).run({"query": "x"}, ctx(tmp_path))
    assert result.is_error
    assert "refused the request (HTTP 403)" in result.output
    assert "add json to search.formats in its settings.yml" in result.output


async def test_brave_sends_the_key_and_count_and_strips_markup(
    search: SearchFake, tmp_path: Path
) -> None:
    tool = web_search_tool(BraveBackend("brave-test-key", search.origin))
    result = await tool.run({"query": "asyncio", "max_results": 3}, ctx(tmp_path))
    assert not result.is_error
    assert "1. Python asyncio docs" in result.output
    assert "asyncio is a library to write concurrent code." in result.output
    assert "3. PEP 492\n   https://peps.python.org/pep-0492/" in result.output
    path, query, headers = search.requests[-1]
    assert path == "/res/v1/web/search" and query["count"] == ["3"]
    assert headers["X-Subscription-Token"] == "brave-test-key"


async def test_brave_with_a_wrong_key_names_the_setting(search: SearchFake, tmp_path: Path) -> None:
    tool = web_search_tool(BraveBackend("wrong", search.origin))
    result = await tool.run({"query": "asyncio"}, ctx(tmp_path))
    assert result.is_error
    assert result.output == (
        f"Brave Search ({search.origin}) refused the request (HTTP 401). Check "
        "web_search.api_key in your config."
    )


async def test_an_unreachable_backend_is_an_error_result(tmp_path: Path) -> None:
    tool = web_search_tool(SearxngBackend("http://127.0.0.1:9", timeout=2))
    result = await tool.run({"query": "asyncio"}, ctx(tmp_path))
    assert result.is_error and "cannot be reached" in result.output


def _registry_names(settings: Settings, ws: Path) -> list[str]:
    from assistant.llm.anthropic import AnthropicModel

    model = AnthropicModel("claude-haiku-4-5", api_key="unused", base_url="http://127.0.0.1:9")
    return build_agent(settings, ws, model=model, persist=False).agent.registry.names()


def test_the_tool_is_offered_only_with_a_backend(search: SearchFake, tmp_path: Path) -> None:
    assert "web_search" not in _registry_names(Settings(), tmp_path)
    on = Settings(web_search=WebSearchSettings(backend="searxng", url=search.origin))
    names = _registry_names(on, tmp_path)
    assert "web_search" in names and "fetch_url" in names


def test_brave_key_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = WebSearchSettings(backend="brave", api_key="${TEST_BRAVE_KEY}")
    monkeypatch.delenv("TEST_BRAVE_KEY", raising=False)
    from assistant.agent.builder import session_tools

    notices: list[str] = []
    assert "web_search" not in [t.name for t in session_tools(Settings(web_search=ws), notices)]
    assert notices == [
        "web_search is off: web_search.api_key uses ${TEST_BRAVE_KEY}, which is not set; "
        "export TEST_BRAVE_KEY or remove it from the config."
    ]
    monkeypatch.setenv("TEST_BRAVE_KEY", "k")
    assert "web_search" in [t.name for t in session_tools(Settings(web_search=ws), [])]


def test_an_incomplete_backend_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[web_search]\nbackend = "searxng"\n')
    with pytest.raises(ConfigError, match="backend searxng needs url"):
        load_settings(tmp_path)


def test_a_project_search_endpoint_is_ignored_until_trusted(tmp_path: Path) -> None:
    from assistant import trust

    (tmp_path / PROJECT_CONFIG).write_text(
        '[web_search]\nbackend = "searxng"\nurl = "http://attacker.example"\nmax_results = 3\n'
    )
    settings = load_settings(tmp_path)
    assert settings.web_search.backend is None and settings.web_search.url is None
    assert settings.web_search.max_results == 3  # fewer results only narrows
    assert settings.notices[0].startswith("Ignored web_search.backend, web_search.url from ")
    trust.trust(tmp_path)
    assert load_settings(tmp_path).web_search.url == "http://attacker.example"


async def test_web_search_asks_first_unless_an_allow_rule_matches(
    search: SearchFake, tmp_path: Path
) -> None:
    from assistant.agent.approval import Approver
    from assistant.llm.base import ToolCall

    tool = web_search_tool(SearxngBackend(search.origin))
    assert not tool.read_only  # the query goes to a third party: it could carry secrets
    call = ToolCall(id="1", name="web_search", arguments={"query": "my api key is hunter2"})
    asked = await Approver("ask").check(call, tool, ctx(tmp_path))
    assert not asked.allowed and "web_search needs approval" in str(asked.reason)
    (tmp_path / "config.toml").write_text('[approval]\nallow = ["web_search"]\n')
    rules = load_settings(tmp_path).approval.allow
    assert (await Approver("ask", rules=rules).check(call, tool, ctx(tmp_path))).allowed


def test_a_trusted_project_file_never_reads_your_environment(
    search: SearchFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import trust
    from assistant.agent.builder import session_tools

    monkeypatch.setenv("TEST_SECRET_KEY", "s3cret-from-env")
    monkeypatch.setenv("TEST_SEARX", search.origin)
    (tmp_path / PROJECT_CONFIG).write_text(
        f'[web_search]\nbackend = "brave"\nurl = "{search.origin}"\n'
        'api_key = "${TEST_SECRET_KEY}"\n'
    )
    trust.trust(tmp_path)
    settings = load_settings(tmp_path)
    assert settings.project_web_search == {"backend", "url", "api_key"}
    notices: list[str] = []
    assert "web_search" not in [t.name for t in session_tools(settings, notices)]
    assert notices == [
        "web_search is off: web_search.api_key in the project file uses ${...}, which only "
        "your own config may use; set web_search.api_key in your config instead."
    ]
    # The same value in your own config is read from your environment, the url too.
    (tmp_path / PROJECT_CONFIG).unlink()
    (tmp_path / "config.toml").write_text(
        '[web_search]\nbackend = "searxng"\nurl = "${TEST_SEARX}"\n'
    )
    tools = session_tools(load_settings(tmp_path), [])
    assert "web_search" in [t.name for t in tools]


async def test_error_lines_never_quote_the_configured_url(
    search: SearchFake, tmp_path: Path
) -> None:
    host = search.origin.removeprefix("http://")
    search.json_enabled = False
    backends = [
        SearxngBackend(f"http://user:pa55word@{host}/?key=SECRET"),  # HTTP 403
        SearxngBackend("http://user:pa55word@127.0.0.1:9/?key=SECRET", timeout=2),  # no answer
        BraveBackend("wrong", f"http://user:pa55word@{host}/proxy?key=SECRET"),  # HTTP 404
    ]
    for backend in backends:
        result = await web_search_tool(backend).run({"query": "x"}, ctx(tmp_path))
        assert result.is_error
        assert "SECRET" not in result.output and "pa55word" not in result.output
        assert "http://127.0.0.1:" in result.output  # scheme and host name the endpoint
