"""A few tool specs shared by the llm tests."""

from __future__ import annotations

from typing import Any

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a file from the workspace.",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string", "description": "File path."}},
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "list_files",
            "description": "List the files in a directory.",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string", "description": "Directory."}},
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "grep",
            "description": "Search files for a regular expression.",
            "parameters": {
                "type": "object",
                "properties": {
                    "pattern": {"type": "string", "description": "Regular expression."},
                    "path": {"type": "string", "description": "Where to search."},
                },
                "required": ["pattern", "path"],
            },
        },
    },
]

# A call with nothing free to write but a choice keeps forced calls short: a model writing
# in a syntax it was never taught can run on inside a free-form string.
MODE_TOOL = {
    "type": "function",
    "function": {
        "name": "set_mode",
        "description": "Switch the build mode.",
        "parameters": {
            "type": "object",
            "properties": {"mode": {"enum": ["debug", "release"]}, "clean": {"type": "boolean"}},
            "required": ["mode", "clean"],
        },
    },
}
ALL_TOOLS = [*TOOLS, MODE_TOOL]
SCHEMAS = {t["function"]["name"]: t["function"]["parameters"] for t in ALL_TOOLS}
