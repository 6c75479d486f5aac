"""The text tool-call format: rendering, lenient parsing and the call grammar."""

from __future__ import annotations

import json

import jsonschema
import pytest

from assistant.llm import toolformat
from assistant.llm.base import Message, ToolCall

from .sample_tools import TOOLS


def test_render_then_parse_round_trip() -> None:
    calls = [
        ToolCall("read_file", {"path": "src/main.py"}),
        ToolCall("grep", {"pattern": "def \\w+\\(", "path": "."}),
    ]
    msg = Message("assistant", "Let me look at both.", tool_calls=calls)
    text = toolformat.render_assistant_content(msg)
    parsed = toolformat.parse_tool_calls(text)
    assert parsed.content == "Let me look at both."
    assert [(c.name, c.arguments) for c in parsed.tool_calls] == [
        (c.name, c.arguments) for c in calls
    ]
    assert parsed.errors == []


def test_prompt_prefix_property_holds_across_turns() -> None:
    call = ToolCall("read_file", {"path": "a.txt"})
    turn1 = [Message.system("Be brief."), Message.user("Read a.txt")]
    turn2 = [*turn1, Message("assistant", "", tool_calls=[call]), Message.tool(call, "hello")]
    p1 = toolformat.render_prompt(turn1, TOOLS, add_generation_prompt=False)
    p2 = toolformat.render_prompt(turn2, TOOLS)
    assert p2.startswith(p1)
    assert "<tool_response>\nhello\n</tool_response>" in p2
    assert p2.endswith("<|im_start|>assistant\n")
    assert p1.count("<tools>\n") == 1 and '"name": "grep"' in p1


def test_consecutive_tool_results_share_one_user_turn() -> None:
    a, b = ToolCall("read_file", {"path": "a"}), ToolCall("read_file", {"path": "b"})
    msgs = [
        Message.user("go"),
        Message("assistant", "", tool_calls=[a, b]),
        Message.tool(a, "A"),
        Message.tool(b, "B"),
    ]
    prompt = toolformat.render_prompt(msgs)
    assert prompt.count("<|im_start|>user") == 2
    assert (
        "<tool_response>\nA\n</tool_response>\n<tool_response>\nB\n</tool_response><|im_end|>"
        in prompt
    )


@pytest.mark.parametrize(
    ("text", "expected_calls", "expected_content"),
    [
        # missing closing tag
        (
            '<tool_call>\n{"name": "read_file", "arguments": {"path": "x"}}',
            [("read_file", {"path": "x"})],
            "",
        ),
        # several calls, no closing tag between them
        (
            '<tool_call>{"name": "a", "arguments": {}}<tool_call>{"name": "b", "arguments": {"k": 1}}</tool_call>',
            [("a", {}), ("b", {"k": 1})],
            "",
        ),
        # prose around the call
        (
            'Sure.\n<tool_call>\n{"name": "grep", "arguments": {"pattern": "x", "path": "."}}\n</tool_call>\nDone.',
            [("grep", {"pattern": "x", "path": "."})],
            "Sure.\n\nDone.",
        ),
        # "parameters" instead of "arguments"
        ('<tool_call>{"name": "a", "parameters": {"p": 2}}</tool_call>', [("a", {"p": 2})], ""),
        # arguments given as a JSON string
        (
            '<tool_call>{"name": "a", "arguments": "{\\"p\\": 3}"}</tool_call>',
            [("a", {"p": 3})],
            "",
        ),
        # truncated JSON (missing closing braces) is repaired
        ('<tool_call>\n{"name": "a", "arguments": {"p": "v"', [("a", {"p": "v"})], ""),
        # no call at all
        ("Just prose, no tools.", [], "Just prose, no tools."),
    ],
)
def test_lenient_parser(text: str, expected_calls: list, expected_content: str) -> None:
    parsed = toolformat.parse_tool_calls(text)
    assert [(c.name, c.arguments) for c in parsed.tool_calls] == expected_calls
    assert parsed.content == expected_content
    assert parsed.errors == []


@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        '{"arguments": {"p": 1}}',  # no name
        '{"name": "a", "arguments": "{broken"}',  # arguments string that is not JSON
        '{"name": "a", "arguments": [1, 2]}',  # arguments not an object
    ],
)
def test_parser_reports_garbage(body: str) -> None:
    parsed = toolformat.parse_tool_calls(f"Hi <tool_call>{body}</tool_call>")
    assert parsed.tool_calls == []
    assert len(parsed.errors) == 1 and parsed.errors[0].endswith(".")
    assert parsed.content == "Hi"


def test_call_schema_accepts_only_real_tools_with_valid_arguments() -> None:
    schema = toolformat.call_schema(TOOLS)
    jsonschema.validate({"name": "grep", "arguments": {"pattern": "x", "path": "."}}, schema)
    for bad in (
        {"name": "grep", "arguments": {"pattern": "x"}},  # missing required
        {"name": "rm", "arguments": {"path": "/"}},  # unknown tool
        {"name": "read_file", "arguments": {"path": 3}},  # wrong type
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    only = toolformat.call_schema(TOOLS, only="list_files")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "read_file", "arguments": {"path": "a"}}, only)
    with pytest.raises(ValueError, match="No tool named"):
        toolformat.call_schema(TOOLS, only="nope")


def test_build_grammar_names_every_tool() -> None:
    gbnf = toolformat.build_grammar(TOOLS)
    assert "root ::=" in gbnf
    for name in toolformat.tool_names(TOOLS):
        assert json.dumps(name) in gbnf or name in gbnf
    only = toolformat.build_grammar(TOOLS, only="grep")
    assert "read_file" not in only and "grep" in only


def _nested_tools() -> list[dict]:
    """Two tools whose parameters use local refs (as nested Pydantic models give), each
    with its own, different ``Addr``, and one recursive through ``$defs``."""
    addr = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    zip_addr = {"type": "object", "properties": {"zip": {"type": "integer"}}, "required": ["zip"]}
    person = {
        "$ref": "#/$defs/Person",
        "$defs": {
            "Addr": addr,
            "Person": {
                "type": "object",
                "properties": {
                    "address": {"$ref": "#/$defs/Addr"},
                    "friends": {"type": "array", "items": {"$ref": "#/$defs/Person"}},
                },
                "required": ["address"],
            },
        },
    }
    order = {
        "type": "object",
        "properties": {"ship_to": {"$ref": "#/definitions/Addr"}},
        "required": ["ship_to"],
        "definitions": {"Addr": zip_addr},
    }
    return [
        {"type": "function", "function": {"name": "save_person", "parameters": person}},
        {"type": "function", "function": {"name": "order", "parameters": order}},
    ]


def test_local_refs_in_parameters_resolve_in_the_call_schema_and_grammar() -> None:
    """The parameters sit under the call object's ``arguments``, where ``#/$defs/...``
    no longer resolved: every tool with a nested model was refused."""
    from llama_cpp import LlamaGrammar

    tools = _nested_tools()
    schema = toolformat.call_schema(tools)
    jsonschema.validate(
        {"name": "save_person", "arguments": {"address": {"city": "Ely"}, "friends": []}}, schema
    )
    jsonschema.validate({"name": "order", "arguments": {"ship_to": {"zip": 12}}}, schema)
    for bad in (
        {"name": "order", "arguments": {"ship_to": {"city": "Ely"}}},  # the other tool's Addr
        {"name": "save_person", "arguments": {"address": {"zip": 1}}},
        {"name": "save_person", "arguments": {"address": {"city": "E"}, "friends": [{}]}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    gbnf = toolformat.build_grammar(tools)
    assert LlamaGrammar.from_string(gbnf, verbose=False) is not None
    assert '"\\"zip\\""' in gbnf and '"\\"city\\""' in gbnf  # both Addr kept apart
    assert tools == _nested_tools()  # the caller's schemas are not changed


def test_definitions_whose_names_differ_only_in_punctuation_stay_apart() -> None:
    """Renamed by the characters a GBNF rule may hold, ``a_b``'s and ``a-b``'s definitions
    (and ``Foo_Bar`` and ``Foo-Bar`` in one tool) became one."""

    def tool(name: str, defs: dict) -> dict:
        props = {k: {"$ref": f"#/$defs/{k}"} for k in defs}
        params = {"type": "object", "properties": props, "required": list(defs), "$defs": defs}
        return {"type": "function", "function": {"name": name, "parameters": params}}

    string, integer = {"type": "string"}, {"type": "integer"}
    tools = [tool("a_b", {"A": string}), tool("a-b", {"A": integer})]
    tools.append(tool("c", {"Foo_Bar": string, "Foo-Bar": integer}))
    schema = toolformat.call_schema(tools)
    jsonschema.validate({"name": "a_b", "arguments": {"A": "hi"}}, schema)
    jsonschema.validate({"name": "a-b", "arguments": {"A": 5}}, schema)
    jsonschema.validate({"name": "c", "arguments": {"Foo_Bar": "x", "Foo-Bar": 1}}, schema)
    for bad in (
        {"name": "a_b", "arguments": {"A": 5}},
        {"name": "a-b", "arguments": {"A": "hi"}},
        {"name": "c", "arguments": {"Foo_Bar": 1, "Foo-Bar": "x"}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    only = toolformat.build_grammar(tools, only="a_b")
    assert "integer" not in only and "string" in only


def test_grammar_pins_json_dumps_layout() -> None:
    gbnf = toolformat.build_grammar(TOOLS)
    assert 'space ::= ""' in gbnf
    assert '": "' in gbnf and '", "' in gbnf
    # Raw control characters inside strings are not JSON; the grammar excludes them.
    assert "\\x00-\\x1F" in gbnf


def test_parser_accepts_raw_newlines_inside_strings() -> None:
    parsed = toolformat.parse_tool_calls(
        '<tool_call>\n{"name": "write", "arguments": {"text": "a\nb"}}\n</tool_call>'
    )
    assert [(c.name, c.arguments) for c in parsed.tool_calls] == [("write", {"text": "a\nb"})]
