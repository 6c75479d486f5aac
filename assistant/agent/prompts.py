"""The system prompt and the project's own instructions (AGENTS.md, fallback CLAUDE.md)."""

from __future__ import annotations

from pathlib import Path

INSTRUCTION_FILES = ("AGENTS.md", "CLAUDE.md")
MAX_INSTRUCTION_CHARS = 20_000

BASE_PROMPT = """You are assistant, a coding agent working in the user's project at {workspace}.
Use the tools to read, search and change files and to run commands; do not guess file contents.
Work step by step: look first, then act, then check the result. Keep answers short and concrete.
When the task is done, answer in plain text without calling a tool."""


def find_instructions(workspace: Path) -> tuple[Path, str] | None:
    """The first of AGENTS.md / CLAUDE.md in the workspace, with its text."""
    for name in INSTRUCTION_FILES:
        path = workspace / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if len(text) > MAX_INSTRUCTION_CHARS:
                text = text[:MAX_INSTRUCTION_CHARS] + "\n[... instructions truncated ...]"
            return path, text
    return None


def build_system_prompt(workspace: Path, extra: str | None = None) -> str:
    parts = [BASE_PROMPT.format(workspace=workspace)]
    found = find_instructions(workspace)
    if found is not None:
        path, text = found
        parts.append(f"# Project instructions ({path.name})\n\n{text.strip()}")
    if extra:
        parts.append(extra)
    return "\n\n".join(parts)
