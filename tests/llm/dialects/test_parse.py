"""Each dialect renders calls, results and tools as text and reads calls back leniently."""

from __future__ import annotations

import pytest

from assistant.llm import dialects
from assistant.llm.base import LLMError, Message, ToolCall

from ..sample_tools import TOOLS

CALLS = [
    ToolCall("read_file", {"path": "src/ünï code.py"}),
    ToolCall(
        "grep",
        {
            "pattern": 'def \\w+\\(|"x"',
            "path": ".",
            "limit": 3,
            "flags": [True, None],
            "o": {"k": 1.5},
        },
    ),
]


def pairs(calls: list[ToolCall]) -> list[tuple[str, dict]]:
    return [(c.name, c.arguments) for c in calls]


@pytest.mark.parametrize("name", dialects.names())
def test_render_then_parse_round_trip(name: str) -> None:
    d = dialects.get(name)
    text = d.render_assistant("Let me look at both.", CALLS)
    parsed = d.parse(text)
    assert pairs(parsed.tool_calls) == pairs(CALLS)
    assert parsed.content == "Let me look at both."
    assert parsed.errors == []
    single = d.parse(d.render_call(CALLS[0]))
    assert pairs(single.tool_calls) == pairs(CALLS[:1]) and single.content == ""


@pytest.mark.parametrize("name", dialects.names())
def test_prose_without_calls_is_left_alone(name: str) -> None:
    text = 'Use {"a": 1} in the config; no call here.'
    parsed = dialects.get(name).parse(text)
    assert parsed.tool_calls == [] and parsed.content == text and parsed.errors == []


@pytest.mark.parametrize("name", dialects.names())
def test_tools_and_results_are_rendered_as_text(name: str) -> None:
    d = dialects.get(name)
    tools_text = d.render_tools(TOOLS)
    for t in TOOLS:
        assert t["function"]["name"] in tools_text
        assert t["function"]["description"] in tools_text
    result = d.render_result(Message.tool(CALLS[0], "line 1\nline 2"))
    assert "line 1\nline 2" in result or "line 1\\nline 2" in result


@pytest.mark.parametrize(
    ("name", "text", "calls", "content"),
    [
        # Llama 3.x: the python tag, several calls separated by ';', "arguments" accepted
        (
            "llama3",
            '<|python_tag|>{"name": "read_file", "parameters": {"path": "a"}}; '
            '{"name": "grep", "arguments": {"pattern": "x", "path": "."}}',
            [("read_file", {"path": "a"}), ("grep", {"pattern": "x", "path": "."})],
            "",
        ),
        # Llama 3.x: arguments given as a JSON string
        (
            "llama3",
            'Sure. {"name": "read_file", "parameters": "{\\"path\\": \\"b\\"}"}',
            [("read_file", {"path": "b"})],
            "Sure.",
        ),
        # Mistral Nemo: no space after the marker, an id, one object instead of a list
        (
            "mistral",
            '[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "a"}, "id": "abcdefghi"}]',
            [("read_file", {"path": "a"})],
            "",
        ),
        (
            "mistral",
            '[TOOL_CALLS] {"name": "list_files", "arguments": {}}',
            [("list_files", {})],
            "",
        ),
        # Gemma: raw newlines in strings, nested values, no closing marker, spaces
        (
            "gemma",
            "Reading.\n<start_function_call>call:read_file{ path: <escape>a\nb<escape> , n:[1, 2] }",
            [("read_file", {"path": "a\nb", "n": [1, 2]})],
            "Reading.",
        ),
        # Hermes: the lenient toolformat parser underneath
        (
            "hermes",
            '<tool_call>\n{"name": "read_file", "arguments": {"path": "x"}}',
            [("read_file", {"path": "x"})],
            "",
        ),
    ],
)
def test_lenient_parsing(name: str, text: str, calls: list, content: str) -> None:
    parsed = dialects.get(name).parse(text)
    assert pairs(parsed.tool_calls) == calls
    assert parsed.content == content
    assert parsed.errors == []


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("llama3", '{"name": "read_file", "parameters": [1]}', "must be a JSON object"),
        ("mistral", "[TOOL_CALLS] [not json", "Could not read the tool calls"),
        ("mistral", '[TOOL_CALLS] [{"arguments": {}}]', "names no tool"),
        (
            "gemma",
            "<start_function_call>call:read_file{path:<escape>a}",
            "not closed with <escape>",
        ),
        ("gemma", "<start_function_call>call:read_file{path 1}", "expected key"),
    ],
)
def test_unreadable_calls_become_one_error_each(name: str, text: str, error: str) -> None:
    parsed = dialects.get(name).parse(text)
    assert parsed.tool_calls == []
    assert len(parsed.errors) == 1 and error in parsed.errors[0]


def test_unknown_dialect_is_a_clear_error() -> None:
    with pytest.raises(LLMError, match="Unknown tool-call dialect 'chatml'; use one of hermes"):
        dialects.get("chatml")


@pytest.mark.parametrize("name", dialects.names())
def test_block_wraps_a_body_like_the_model_writes_it(name: str) -> None:
    d = dialects.get(name)
    for marker in d.open_markers[:1]:
        assert d.call_open.strip() == "" or d.call_open.startswith(marker)
    body = d.render_call(CALLS[0])[len(d.call_open) :]
    if d.call_close:
        body = body[: -len(d.call_close)]
    assert pairs(d.parse(d.block(body)).tool_calls) == pairs(CALLS[:1])
