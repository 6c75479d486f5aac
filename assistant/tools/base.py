"""The Tool contract: a typed Python function whose JSON schema comes from its signature.

A tool function takes a ``ToolContext`` as its first parameter (named ``ctx``) and
typed keyword parameters; its docstring's first paragraph is the description and
its ``Args:`` section describes each parameter (smolagents style, no hand-written
schemas). It returns a ``ToolResult`` or a plain string, or raises ``ToolError``.

A synchronous tool function runs in a worker thread, so a long walk, read or diff leaves
the event loop (the UI, Ctrl-C, the turn's time limit) free. Cancelling the call returns
at once and sets the thread's ``ctx.cancel``: long work checks it (``raise_if_cancelled``)
and a mutating tool calls ``begin_changes`` right before its first change, which stops it
there, or, once passed, makes a cancel wait until the change and its undo entry are
complete. What the thread notes in ``ctx.seen_files`` counts only once the call's result
reaches the model.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import posixpath
import re
import threading
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from assistant.llm.base import CancelToken
from assistant.tools.seen import CallReads, SeenFiles


class ToolError(Exception):
    """A failure the model should see as an error result (and may correct)."""


class ToolStopped(ToolError):
    """A tool running in a worker thread saw its call cancelled and stopped."""


STOPPED = "Stopped: the call was cancelled before it finished."


def raise_if_cancelled(cancel: CancelToken | None) -> None:
    """The check a synchronous tool makes between steps of long work."""
    if cancel is not None and cancel.cancelled:
        raise ToolStopped(STOPPED)


def begin_changes(ctx: ToolContext) -> None:
    """Called by a mutating tool right before its first change: stops the call if it was
    cancelled; otherwise a cancel from now on waits for the call to finish."""
    if isinstance(ctx.cancel, _CallCancel):
        ctx.cancel.begin_changes()
    else:
        raise_if_cancelled(ctx.cancel)


@dataclass
class ToolResult:
    output: str
    """Text the model sees."""
    is_error: bool = False
    display: str | None = None
    """Optional rich display for the user (e.g. a unified diff)."""
    display_kind: Literal["text", "diff", "markdown"] = "text"
    exit_code: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class ToolContext:
    """What a tool may touch. Built by the agent for every call."""

    workspace: Path
    session_id: str = "default"
    turn: int = 0
    sandbox_provider: Callable[[], Awaitable[Any]] | None = None
    """Returns the session's Sandbox, starting it on first use."""
    undo: Any = None
    """The session's undo journal (``assistant.tools.undo.UndoJournal``) or None."""
    on_output: Callable[[str], None] | None = None
    """Streams live output chunks (shell, python) to the UI."""
    cancel: CancelToken = field(default_factory=CancelToken)
    settings: dict[str, Any] = field(default_factory=dict)
    seen_files: SeenFiles | None = None
    """The files read in this conversation (``assistant.tools.seen``); None outside an
    agent, where write_file does not ask for a read first."""


ToolFunc = Callable[..., "ToolResult | str | Awaitable[ToolResult | str]"]


@dataclass
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    func: ToolFunc
    read_only: bool = False
    subject_arg: str | None = None
    """The argument allow rules match against (``command`` for run_shell, ``url`` for fetch_url)."""
    host_network: bool = False
    """True for tools that reach the network from the host (fetch_url): always asked."""
    runs_in_sandbox: bool = False
    """True for tools that run code in the sandbox (run_shell, run_python, docs, which runs
    the workspace's interpreter): with ``--sandbox host`` that code runs on the user's
    machine, so every call is asked."""
    preview: Callable[[dict[str, Any], ToolContext], str | None] | None = None
    """Shows the user what a mutating call would do (a diff) before approval."""
    sensitive: Callable[[dict[str, Any], ToolContext], str | None] | None = None
    """Returns a reason when this call needs explicit approval even in ``auto`` mode
    (writes to .git/hooks, .envrc, ...); None otherwise."""

    def spec(self) -> dict[str, Any]:
        """OpenAI function-tool JSON."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }

    def subject(self, args: dict[str, Any]) -> str:
        if self.subject_arg and self.subject_arg in args:
            value = str(args[self.subject_arg])
            if self.subject_arg == "path" and value:
                # 'src/../setup.py' must not pass for a path under src/ in an allow rule
                value = posixpath.normpath(value)
            return value
        return ""

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        try:
            if inspect.iscoroutinefunction(self.func):
                out = await self.func(ctx, **args)
            else:
                out = await self._run_in_thread(args, ctx)
            if inspect.isawaitable(out):
                out = await out
        except ToolError as exc:
            return ToolResult(str(exc), is_error=True)
        if isinstance(out, ToolResult):
            return out
        return ToolResult(str(out))

    async def _run_in_thread(self, args: dict[str, Any], ctx: ToolContext) -> Any:
        loop = asyncio.get_running_loop()
        stop = _CallCancel(ctx.cancel)
        seen = CallReads(ctx.seen_files, deferred=True) if ctx.seen_files is not None else None
        on_output = ctx.on_output
        thread_ctx = dataclasses.replace(
            ctx,
            cancel=stop,
            seen_files=seen,
            # asyncio objects (the agent's output queue) are not thread-safe
            on_output=(lambda text: loop.call_soon_threadsafe(on_output, text))
            if on_output is not None
            else None,
        )
        work = asyncio.ensure_future(asyncio.to_thread(self.func, thread_ctx, **args))
        try:
            await asyncio.wait({work})
        except asyncio.CancelledError:
            if not stop.cancel_before_changes():
                work.cancel()  # the thread stops at its next check; its result is dropped
                raise
            # Changes under way are not abandoned half way: the result says what was done.
            await asyncio.wait({work})
        if seen is not None:  # the result reaches the model (an error can show it a file)
            seen.apply()
        return work.result()


class _CallCancel(CancelToken):
    """One call's token: set when the call is cancelled or when the turn's token is."""

    def __init__(self, turn: CancelToken) -> None:
        super().__init__()
        self._turn = turn
        self._lock = threading.Lock()
        self._changing = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled or self._turn.cancelled

    def begin_changes(self) -> None:
        with self._lock:
            raise_if_cancelled(self)
            self._changing = True

    def cancel_before_changes(self) -> bool:
        """Cancel; whether the thread had already begun changing things (then it runs on)."""
        with self._lock:
            self._cancelled = True
            return self._changing


_ARG_LINE = re.compile(r"^\s{2,}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$")


def _parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    doc = inspect.cleandoc(doc or "")
    head, _, rest = doc.partition("\nArgs:")
    description = " ".join(head.split("\n\n")[0].split())
    params: dict[str, str] = {}
    current = None
    for line in rest.splitlines():
        if line.strip() and not line.startswith(" "):
            break  # next section (Returns:, ...)
        m = _ARG_LINE.match(line)
        if m:
            current = m.group(1)
            params[current] = m.group(2).strip()
        elif current and line.strip():
            params[current] += " " + line.strip()
    return description, params


def _schema_for(annotation: Any) -> dict[str, Any]:
    origin = get_origin(annotation)
    if annotation is str:
        return {"type": "string"}
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is float:
        return {"type": "number"}
    if origin is Literal:
        values = list(get_args(annotation))
        return (
            {"type": "string", "enum": values}
            if all(isinstance(v, str) for v in values)
            else {"enum": values}
        )
    if origin in (list, typing.List):  # noqa: UP006
        (item,) = get_args(annotation) or (str,)
        return {"type": "array", "items": _schema_for(item)}
    if origin in (dict, typing.Dict):  # noqa: UP006
        return {"type": "object"}
    if origin in (Union, types.UnionType):
        non_none = [a for a in get_args(annotation) if a is not type(None)]
        if len(non_none) == 1:
            return _schema_for(non_none[0])
        return {"anyOf": [_schema_for(a) for a in non_none]}
    raise TypeError(f"Unsupported parameter type {annotation!r} in a tool signature.")


def schema_from_function(func: Callable[..., Any]) -> tuple[str, dict[str, Any]]:
    """(description, JSON schema of the parameters) from a tool function."""
    description, docs = _parse_docstring(func.__doc__ or "")
    hints = typing.get_type_hints(func)
    sig = inspect.signature(func)
    props: dict[str, Any] = {}
    required: list[str] = []
    for i, (pname, param) in enumerate(sig.parameters.items()):
        if i == 0 and pname == "ctx":
            continue
        schema = _schema_for(hints.get(pname, str))
        if pname in docs:
            schema["description"] = docs[pname]
        if param.default is inspect.Parameter.empty:
            required.append(pname)
        elif param.default is not None:
            schema["default"] = param.default
        props[pname] = schema
    params: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        params["required"] = required
    return description, params


def tool(
    *,
    name: str | None = None,
    read_only: bool = False,
    subject_arg: str | None = None,
    host_network: bool = False,
    runs_in_sandbox: bool = False,
) -> Callable[[ToolFunc], Tool]:
    """Decorator turning a typed function into a ``Tool``."""

    def wrap(func: ToolFunc) -> Tool:
        description, params = schema_from_function(func)
        return Tool(
            name=name or func.__name__,
            description=description,
            parameters=params,
            func=func,
            read_only=read_only,
            subject_arg=subject_arg,
            host_network=host_network,
            runs_in_sandbox=runs_in_sandbox,
        )

    return wrap
