"""The system prompt and the project's own instructions (AGENTS.md, fallback CLAUDE.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

INSTRUCTION_FILES = ("AGENTS.md", "CLAUDE.md")
MAX_INSTRUCTION_CHARS = 20_000

BASE_PROMPT = """You are assistant, a coding agent working in the user's project at {workspace}.
Use the tools to read, search and change files and to run commands; do not guess file contents.
Work step by step: look first, then act, then check the result. Keep answers short and concrete.
When the task is done, answer in plain text without calling a tool."""


def find_instructions(workspace: Path) -> tuple[Path, str] | None:
    """The first of AGENTS.md / CLAUDE.md in the workspace, with its text."""
    from assistant.tools.files import read_workspace_text

    for name in INSTRUCTION_FILES:
        # Read through the workspace confinement: a repository may ship
        # AGENTS.md -> ~/.aws/credentials, which must not reach the prompt.
        # Limited by characters, not bytes: up to 4 UTF-8 bytes each (CJK takes 3).
        text = read_workspace_text(workspace, name, 4 * MAX_INSTRUCTION_CHARS + 4)
        if text is not None:
            if len(text) > MAX_INSTRUCTION_CHARS:
                text = text[:MAX_INSTRUCTION_CHARS] + "\n[... instructions truncated ...]"
            return workspace / name, text
    return None


WORKSPACE_MOUNT = Path("/workspace")
"""Where the Docker sandbox mounts the workspace; the file tools accept it as an alias."""


def build_system_prompt(
    workspace: Path, extra: str | None = None, *, shown: Path | None = None
) -> str:
    """The prompt for ``workspace`` (instructions read from there), naming it ``shown``."""
    parts = [BASE_PROMPT.format(workspace=shown or workspace)]
    found = find_instructions(workspace)
    if found is not None:
        path, text = found
        parts.append(f"# Project instructions ({path.name})\n\n{text.strip()}")
    if extra:
        parts.append(extra)
    return "\n\n".join(parts)


def inference_context(
    workspace: Path, tools: list[Any], sandbox_kind: str = "docker"
) -> tuple[str, list[dict[str, Any]]]:
    """The system prompt and tool specs the agent gives the model for ``workspace``.

    The agent (agent/builder.py) and distill both build them here, so training records
    carry exactly what the model sees at inference. In the Docker sandbox the model is
    shown the mount point, where its commands run and which the file tools accept.
    """
    shown = WORKSPACE_MOUNT if sandbox_kind == "docker" else None
    return build_system_prompt(workspace, shown=shown), [t.spec() for t in tools]
