from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from assistant.agent.registry import ToolCallError, ToolRegistry
from assistant.tools.base import ToolContext, schema_from_function, tool


@tool(read_only=True)
def search(
    ctx: ToolContext,
    pattern: str,
    limit: int = 10,
    mode: Literal["regex", "literal"] = "regex",
    paths: list[str] | None = None,
) -> str:
    """Search the code.

    Longer explanation that is not part of the description.

    Args:
        pattern: What to look for.
        limit: How many hits
            at most.
        mode: How to read the pattern.
        paths: Where to look.
    """
    return f"{pattern}:{limit}:{mode}:{paths}"


def test_schema_comes_from_signature_and_docstring() -> None:
    desc, params = schema_from_function(search.func)
    assert desc == "Search the code."
    props = params["properties"]
    assert props["pattern"] == {"type": "string", "description": "What to look for."}
    assert props["limit"]["type"] == "integer" and props["limit"]["default"] == 10
    assert props["limit"]["description"] == "How many hits at most."
    assert props["mode"]["enum"] == ["regex", "literal"]
    assert props["paths"]["type"] == "array" and props["paths"]["items"] == {"type": "string"}
    assert params["required"] == ["pattern"]
    assert "ctx" not in props


def test_validation_errors_are_sentences_for_the_model() -> None:
    reg = ToolRegistry([search])
    assert reg.validate("search", {"pattern": "x"}) is search
    with pytest.raises(ToolCallError, match=r"Unknown tool 'grep'\. Available tools: search"):
        reg.validate("grep", {})
    with pytest.raises(ToolCallError, match="'pattern' is a required property"):
        reg.validate("search", {})
    with pytest.raises(ToolCallError, match="limit"):
        reg.validate("search", {"pattern": "x", "limit": "many"})
    with pytest.raises(ToolCallError, match="Additional properties"):
        reg.validate("search", {"pattern": "x", "colour": "red"})


async def test_tool_runs_with_arguments() -> None:
    result = await search.run({"pattern": "x", "limit": 2}, ToolContext(workspace=Path(".")))
    assert result.output == "x:2:regex:None" and not result.is_error


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        ToolRegistry([search, search])


async def test_an_integral_float_for_an_integer_parameter_is_taken_as_that_integer(
    tmp_path: Path,
) -> None:
    # JSON Schema counts 5.0 as an integer; range() in read_file and friends does not.
    from assistant.tools.files import read_file
    from assistant.tools.search import list_files

    (tmp_path / "a.py").write_text("".join(f"line{i}\n" for i in range(1, 31)))
    reg = ToolRegistry([read_file, list_files, search])
    args = {"path": "a.py", "start_line": 5.0, "end_line": 7.0}
    tool = reg.validate("read_file", args)
    assert args == {"path": "a.py", "start_line": 5, "end_line": 7}
    assert all(type(v) is int for k, v in args.items() if k != "path")
    result = await tool.run(args, ToolContext(workspace=tmp_path))
    assert result.output == "     5\tline5\n     6\tline6\n     7\tline7"
    listing = {"max_depth": 2.0}
    reg.validate("list_files", listing)
    assert type(listing["max_depth"]) is int
    with pytest.raises(ToolCallError, match="limit"):
        reg.validate("search", {"pattern": "x", "limit": 2.5})


def test_a_lone_surrogate_in_any_argument_is_refused(tmp_path: Path) -> None:
    """JSON's "\\udce9" decodes to half a UTF-16 pair; write_file wrote it to disk as the
    raw byte 0xE9, a file that is no longer UTF-8."""
    import json

    from assistant.tools.files import write_file

    reg = ToolRegistry([write_file, search])
    args = json.loads('{"path": "n.txt", "content": "caf\\udce9\\n"}')
    with pytest.raises(ToolCallError, match=r"content holds '\\udce9', half of a UTF-16 pair"):
        reg.validate("write_file", args)
    with pytest.raises(ToolCallError, match="pattern holds"):
        reg.validate("search", json.loads('{"pattern": "\\ud83d"}'))
    assert reg.validate("write_file", {"path": "n.txt", "content": "café 😀\n"}) is write_file
    assert not (tmp_path / "n.txt").exists()
