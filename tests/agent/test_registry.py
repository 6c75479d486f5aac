from __future__ import annotations

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
    from pathlib import Path

    result = await search.run({"pattern": "x", "limit": 2}, ToolContext(workspace=Path(".")))
    assert result.output == "x:2:regex:None" and not result.is_error


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        ToolRegistry([search, search])
