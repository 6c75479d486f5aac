"""The agent's tools: files, search, shell/python (via the sandbox), fetch, docs."""

from __future__ import annotations

from assistant.tools.base import Tool, ToolContext, ToolError, ToolResult, tool
from assistant.tools.docs import docs
from assistant.tools.exec import run_python, run_shell
from assistant.tools.fetch import fetch_url
from assistant.tools.files import edit_file, read_file, write_file
from assistant.tools.search import glob, grep, list_files
from assistant.tools.undo import UndoConflict, UndoJournal

__all__ = [
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolResult",
    "UndoConflict",
    "UndoJournal",
    "default_tools",
    "read_only_tools",
    "tool",
]


def default_tools() -> list[Tool]:
    """Every tool the agent gets by default, read-only ones first."""
    return [
        read_file,
        list_files,
        glob,
        grep,
        write_file,
        edit_file,
        run_shell,
        run_python,
        fetch_url,
        docs,
    ]


def read_only_tools() -> list[Tool]:
    """Tools that never change the workspace or reach the network."""
    return [read_file, list_files, glob, grep, docs]
