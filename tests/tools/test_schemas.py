from __future__ import annotations

import jsonschema
import pytest

from assistant.tools import Tool, default_tools, read_only_tools

NAMES = ["read_file", "list_files", "glob", "grep", "write_file", "edit_file",
         "run_shell", "run_python", "fetch_url", "docs"]  # fmt: skip


def test_default_tool_names() -> None:
    assert [t.name for t in default_tools()] == NAMES
    assert [t.name for t in read_only_tools()] == [
        "read_file",
        "list_files",
        "glob",
        "grep",
        "docs",
    ]
    assert all(t.read_only for t in read_only_tools())
    mutating = {t.name for t in default_tools() if not t.read_only}
    assert mutating == {"write_file", "edit_file", "run_shell", "run_python", "fetch_url"}


@pytest.mark.parametrize("tool", default_tools(), ids=lambda t: t.name)
def test_schema_valid_and_described(tool: Tool) -> None:
    schema = tool.parameters
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert tool.description and len(tool.description) < 120, tool.description
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{tool.name}.{name} has no description"
        assert "type" in prop
    spec = tool.spec()
    assert spec["function"]["name"] == tool.name


def test_schema_details() -> None:
    tools = {t.name: t for t in default_tools()}
    rf = tools["read_file"].parameters
    assert rf["required"] == ["path"]
    assert rf["properties"]["start_line"] == {
        "type": "integer",
        "default": 1,
        "description": rf["properties"]["start_line"]["description"],
    }
    assert "default" not in rf["properties"]["end_line"]
    assert tools["edit_file"].parameters["required"] == ["path", "old_text", "new_text"]
    assert tools["run_shell"].subject_arg == "command"
    assert tools["fetch_url"].subject_arg == "url" and tools["fetch_url"].host_network
    assert tools["write_file"].preview and tools["write_file"].sensitive
    assert tools["edit_file"].preview and tools["edit_file"].sensitive
    validator = jsonschema.Draft202012Validator(tools["grep"].parameters)
    assert not list(validator.iter_errors({"pattern": "x", "ignore_case": True}))
    assert list(validator.iter_errors({"pattern": "x", "bogus": 1}))
