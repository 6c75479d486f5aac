"""run_shell and run_python: thin wrappers over the session's Sandbox."""

from __future__ import annotations

import secrets
from typing import Any

from assistant.tools.base import Tool, ToolContext, ToolError, ToolResult, tool
from assistant.tools.sandbox.base import ExecResult, SandboxError

MAX_TIMEOUT_S = 600.0


async def sandbox_for(ctx: ToolContext) -> Any:
    """The session's sandbox, started on first use."""
    if ctx.sandbox_provider is None:
        raise ToolError("No sandbox is configured for this session, so commands cannot run.")
    try:
        return await ctx.sandbox_provider()
    except SandboxError as exc:
        raise ToolError(str(exc)) from None


def format_exec(res: ExecResult, timeout: float) -> str:
    """The text the model sees for a finished command."""
    out = res.output.rstrip("\n")
    notes: list[str] = []
    if res.truncated:
        notes.append("[output truncated]")
    if res.timed_out:
        notes.append(f"[timed out after {timeout:g}s]")
    if res.oom_killed:
        notes.append("[killed: out of memory]")
    notes.append(f"[exit code: {res.exit_code}]")
    body = out if out else "(no output)"
    return body + "\n" + "\n".join(notes)


async def _run(ctx: ToolContext, command: str, timeout: float) -> ToolResult:
    t = min(max(float(timeout), 1.0), float(ctx.settings.get("max_exec_timeout_s", MAX_TIMEOUT_S)))
    sandbox = await sandbox_for(ctx)
    try:
        res: ExecResult = await sandbox.exec(command, timeout=t, on_output=ctx.on_output)
    except SandboxError as exc:
        raise ToolError(str(exc)) from None
    return ToolResult(
        format_exec(res, t),
        exit_code=res.exit_code,
        meta={
            "timed_out": res.timed_out,
            "truncated": res.truncated,
            "oom_killed": res.oom_killed,
            "duration_s": res.duration_s,
            "cwd": res.cwd,
        },
    )


@tool(subject_arg="command", runs_in_sandbox=True)
async def run_shell(ctx: ToolContext, command: str, timeout: int = 60) -> ToolResult:
    """Run a shell command in the workspace. The working directory and exported variables persist.

    Args:
        command: The bash command to run.
        timeout: Seconds before the command is stopped.
    """
    if not command.strip():
        raise ToolError("command is empty; give a shell command to run.")
    return await _run(ctx, command, timeout)


def python_command(code: str) -> str:
    """A shell command running ``code`` with python3, fed through a quoted heredoc.

    The delimiter is random so the code cannot end the heredoc early, and quoting it
    stops the shell from expanding ``$`` or backticks inside the code.
    """
    delim = f"PY_EOF_{secrets.token_hex(8)}"
    while delim in code:  # pragma: no cover - 2**-64
        delim = f"PY_EOF_{secrets.token_hex(8)}"
    return f"python3 - <<'{delim}'\n{code.rstrip(chr(10))}\n{delim}"


@tool(runs_in_sandbox=True)
async def run_python(ctx: ToolContext, code: str, timeout: int = 60) -> ToolResult:
    """Run Python code with python3 in the workspace and show what it prints.

    Args:
        code: The Python source code to run.
        timeout: Seconds before the code is stopped.
    """
    if not code.strip():
        raise ToolError("code is empty; give Python code to run.")
    return await _run(ctx, python_command(code), timeout)


def _python_preview(args: dict[str, Any], ctx: ToolContext) -> str | None:
    code = args.get("code")
    return code if isinstance(code, str) else None


run_python.preview = _python_preview

EXEC_TOOLS: list[Tool] = [run_shell, run_python]
