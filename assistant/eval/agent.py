"""Agentic coding tasks: run the agent headless on a workspace, then grade what it did.

A task is a folder ``<tasks>/<id>/`` holding ``task.json``, ``workspace/`` and, to test
the task itself, ``solution/`` (files that solve it, laid over the workspace)::

    {"category": "inspection" | "tool_use" | "debugging" | "test_generation"
                 | "documentation",
     "instruction": "What the user asks.",
     "checks": [{"kind": ...}, ...],
     "max_steps": 15 (optional), "reference_answer": "An answer that passes." (optional)}

The workspace is copied to a scratch folder, the agent runs through the same
builder, loop, tools and sandbox as ``assistant run`` with ``auto`` approval (the
sandboxed tools allowed, nothing else) and step, time and cost limits, and then
the checks run: on the final answer, on the files, and as commands in a fresh
sandbox on the same workspace. Check kinds:

- ``answer_contains`` (``text``, or ``any``: a list) / ``answer_lacks`` (``text``) /
  ``answer_matches`` / ``answer_lacks_match`` (``regex``): the final answer,
  case-insensitive. A ``*_lacks*`` check names the wrong candidates, so an answer that
  lists or hedges between several ("3 or 4") does not pass.
- ``file_contains`` / ``file_lacks`` (``path``, ``text``).
- ``unchanged`` (``paths``): byte-identical to the task's copy (e.g. a test file).
- ``command`` (``command``, ``exit_code`` 0, optional ``output_contains``).
- ``unittest`` (``paths``: the task's own top-level test files): those tests pass, run from pristine
  copies of the task's files in an isolated Python (``-I``: no workspace folder ahead of
  the standard library, no ``sitecustomize``), with the workspace's modules importable
  after it. An edited test file, a ``unittest.py``, ``conftest.py``, test package or
  ``.pyc`` the model wrote cannot stand in for the fix. The model's module runs in the
  same process as the runner, though, so it could patch ``unittest`` as it is imported;
  hence ``behaviour``.
- ``behaviour`` (``module``, ``cases``: ``[{"call", "args" [], "kwargs" {}, and "expect":
  a JSON value, or "raises": an exception class name}]``): hidden cases, held only in
  ``task.json`` and with other inputs than the workspace's tests, called by a driver in
  the sandbox that is never told the expected values; its output is compared with them
  here, on the host, read as untrusted (``assistant/eval/behaviour.py``). Whatever the
  module patches in the child, it passes only by computing the right values.
- ``docstrings`` (``path``, ``names``): each named function or class (``<module>``
  for the module) has a docstring (read with ``ast``, never run on the host).
- ``mutation`` (``command``, ``mutants``: ``[{"path", "old", "new"}]``, ``equivalents``:
  ``[{"path", "old", "new"} or {"path", "file"}]``): the command (the model's tests)
  passes on the original code, passes on each equivalent rewrite (the same behaviour in
  other text; ``file`` is a whole replacement kept in the task folder, outside
  ``workspace/``), and fails with each planted bug. The equivalents fail tests that
  compare the source, its hash or bytecode with the original, or grep it for a line,
  which every planted bug would otherwise "catch" (``assistant/eval/mutation.py``).

Whatever the checks say, a run that leaves a git repository directory in the workspace
(git on the host would read its config, which can run programs) fails: a
``no_repository`` check is added, and the sandboxes' closing warnings are kept in the
result's ``warnings``.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
import re
import secrets
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.agent.builder import LazySandbox, build_agent, sandbox_options
from assistant.agent.events import ErrorEvent, TurnEndEvent
from assistant.config import ConfigError, Settings, load_settings
from assistant.eval import behaviour, mutation
from assistant.llm.base import ChatModel, Message, Usage
from assistant.tools import default_tools, safeio
from assistant.tools.files import read_workspace_file
from assistant.tools.paths import resolve_in_workspace
from assistant.tools.sandbox.protect import repository_dirs

CATEGORIES = ("inspection", "tool_use", "debugging", "test_generation", "documentation")
ALLOWED_TOOLS = ("write_file", "edit_file", "run_shell", "run_python")
"""Allow rules for ``auto`` approval: every sandboxed tool. fetch_url (host network)
stays denied, as do sensitive paths."""
DEFAULT_MAX_STEPS = 15
DEFAULT_MAX_WALL_S = 300.0
DEFAULT_MAX_COST_USD = 0.5
CHECK_TIMEOUT_S = 60.0
CLOUD_CONCURRENCY = 4
_ANSWER_KEPT = 1000
_STEP_TEXT_KEPT = 800
_MAX_SOURCE = 1 << 20
"""The largest file a check reads."""

Exec = Callable[[str], Awaitable[tuple[int, str]]]


class TaskError(ValueError):
    """A task folder is malformed; the message names it and the fix."""


class GradingError(RuntimeError):
    """The checks could not run (their sandbox failed): the task was not graded."""


@dataclass
class Task:
    id: str
    category: str
    instruction: str
    checks: list[dict[str, Any]]
    workspace: Path
    max_steps: int | None = None
    reference_answer: str = ""
    """An answer that passes (with ``solution/`` laid over the workspace); for testing tasks."""


@dataclass
class TaskResult:
    id: str
    category: str
    passed: bool
    checks: list[dict[str, Any]]
    steps: int = 0
    usage: Usage = field(default_factory=Usage)
    wall_s: float = 0.0
    ended: str = ""
    answer: str = ""
    error: str | None = None
    tool_calls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The sandboxes' warnings as they closed (a git repository planted in the workspace)."""
    transcript: list[dict[str, Any]] = field(default_factory=list)
    """What the agent wrote and what its tools returned, after the instruction (long texts
    shortened in the middle), so a failure can be read without running the task again."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "passed": self.passed,
            "checks": self.checks,
            "steps": self.steps,
            "usage": self.usage.to_dict(),
            "wall_s": round(self.wall_s, 2),
            "ended": self.ended,
            "answer": self.answer[:_ANSWER_KEPT],
            "error": self.error,
            "tool_calls": self.tool_calls,
            "warnings": self.warnings,
            "transcript": self.transcript,
        }


def _shorten(text: str, keep: int = _STEP_TEXT_KEPT) -> str:
    if len(text) <= keep:
        return text
    half = keep // 2
    return f"{text[:half]}\n… ({len(text) - 2 * half} characters left out) …\n{text[-half:]}"


def transcript_of(messages: list[Message]) -> list[dict[str, Any]]:
    """The turn's messages after the user's instruction, each reduced to what explains it."""
    start = next((i + 1 for i, m in enumerate(messages) if m.role == "user"), len(messages))
    steps: list[dict[str, Any]] = []
    for m in messages[start:]:
        step: dict[str, Any] = {"role": m.role, "content": _shorten(m.content)}
        if m.role == "tool" and m.name:
            step["name"] = m.name
        if m.tool_calls:
            step["tool_calls"] = [{"name": c.name, "arguments": c.arguments} for c in m.tool_calls]
        steps.append(step)
    return steps


# -- loading ---------------------------------------------------------------------------------


def _parse_task(folder: Path) -> Task:
    where = folder / "task.json"
    try:
        obj = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TaskError(f"{where} is not readable JSON ({exc}); fix the file.") from None
    if not isinstance(obj, dict) or not obj.get("instruction") or not obj.get("checks"):
        raise TaskError(f"{where} needs an instruction and a non-empty list of checks.")
    category = obj.get("category")
    if category not in CATEGORIES:
        raise TaskError(f"{where}: category must be one of {', '.join(CATEGORIES)}.")
    for check in obj["checks"]:
        if not isinstance(check, dict) or check.get("kind") not in CHECK_KINDS:
            raise TaskError(f"{where}: every check needs a kind among {', '.join(CHECK_KINDS)}.")
        missing = _check_missing(check, folder)
        if missing:
            # Found only while grading, it would fail the task for every model alike.
            raise TaskError(f"{where}: a {check['kind']} check needs {missing}; add it.")
    max_steps = obj.get("max_steps")
    if max_steps is not None and (
        not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 1
    ):
        # Found when the task runs, it would end the whole run there.
        raise TaskError(f"{where}: max_steps must be a whole number of at least 1.")
    if not isinstance(obj.get("instruction"), str):
        raise TaskError(f"{where}: the instruction must be a string.")
    workspace = folder / "workspace"
    if not workspace.is_dir():
        raise TaskError(f"{folder} has no workspace/ folder; add the task's files there.")
    if shadowed := _stdlib_named_modules(obj["checks"], workspace):
        raise TaskError(
            f"{workspace / shadowed} is named like the standard-library module "
            f"{Path(shadowed).stem!r}, which the task's unittest or behaviour check would "
            "import in its place; rename it."
        )
    return Task(
        id=folder.name,
        category=category,
        instruction=obj["instruction"],
        checks=obj["checks"],
        workspace=workspace,
        max_steps=max_steps,
        reference_answer=obj.get("reference_answer", ""),
    )


_CHECK_FIELDS: dict[str, dict[str, type]] = {
    "answer_lacks": {"text": str},
    "answer_matches": {"regex": str},
    "answer_lacks_match": {"regex": str},
    "file_contains": {"path": str, "text": str},
    "file_lacks": {"path": str, "text": str},
    "unchanged": {"paths": list},
    "command": {"command": str},
    "unittest": {"paths": list},
    "docstrings": {"path": str, "names": list},
    "mutation": {"command": str, "mutants": list, "equivalents": list},
    "behaviour": {"module": str, "cases": list},
}
"""The fields each check kind needs (``answer_contains`` takes a text or an any list)."""
CHECK_KINDS = ("answer_contains", *_CHECK_FIELDS)


def _top_level_module(path: Any) -> bool:
    """``name.py`` at the workspace's top: the pristine copy, first on the import path, wins
    there; in a folder, a package the workspace plants under that folder's name is imported
    instead of the pristine copy's namespace folder."""
    return isinstance(path, str) and path.endswith(".py") and path[:-3].isidentifier()


def _stdlib_named_modules(checks: list[dict[str, Any]], workspace: Path) -> str | None:
    """A top-level module of ``workspace`` named like a standard-library one, when a check
    imports the workspace's modules after the standard library (``unittest``,
    ``behaviour``); else None."""
    if not any(c["kind"] in ("unittest", "behaviour") for c in checks):
        return None
    pristine = {p for c in checks if c["kind"] == "unittest" for p in c["paths"]}
    for entry in sorted(workspace.iterdir()):
        if entry.name in pristine:  # first on the import path: these win
            continue
        module = entry.suffix == ".py" and entry.is_file()
        package = entry.is_dir() and (entry / "__init__.py").is_file()
        if (module or package) and entry.name.removesuffix(".py") in sys.stdlib_module_names:
            return entry.name
    return None


def _check_missing(check: dict[str, Any], folder: Path) -> str | None:
    """The fields a check of the task in ``folder`` lacks (or has of the wrong type),
    described; None when whole."""
    kind = check["kind"]
    if kind == "answer_contains":
        ok = isinstance(check.get("text"), str) or (
            isinstance(check.get("any"), list) and bool(check["any"])
        )
        return None if ok else "a text or a non-empty any list"
    for name, typ in _CHECK_FIELDS[kind].items():
        if not isinstance(check.get(name), typ):
            return f"{name} ({'a list' if typ is list else 'a string'})"
    if kind in ("answer_matches", "answer_lacks_match"):
        try:
            re.compile(check["regex"])
        except re.error as exc:
            return f"a valid regex ({exc})"
    if kind == "mutation":
        return mutation.missing_fields(check, folder)
    if kind == "unittest" and not (
        check["paths"] and all(_top_level_module(p) for p in check["paths"])
    ):
        return "paths, a non-empty list of the task's top-level .py test files"
    if kind == "behaviour":
        return behaviour.missing_fields(check)
    return None


def load_tasks(root: Path) -> list[Task]:
    """Every task under ``root`` (a folder of task folders, or one task folder), by id."""
    if (root / "task.json").is_file():
        return [_parse_task(root)]
    if not root.is_dir():
        raise TaskError(
            f"Task folder {root} does not exist; pass --tasks with a folder of tasks "
            "(the shipped ones are in eval/agent/)."
        )
    tasks = [_parse_task(p) for p in sorted(root.iterdir()) if (p / "task.json").is_file()]
    if not tasks:
        raise TaskError(f"{root} holds no task folders with a task.json; pass another --tasks.")
    return tasks


# -- checks ----------------------------------------------------------------------------------


def _read(workspace: Path, rel: str) -> bytes | None:
    return read_workspace_file(workspace, rel, _MAX_SOURCE)


def _has_docstrings(source: bytes, names: list[str]) -> tuple[bool, str]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return False, f"does not parse ({exc.msg})"
    found = {
        node.name: ast.get_docstring(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    found["<module>"] = ast.get_docstring(tree)
    missing = [n for n in names if not (found.get(n) or "").strip()]
    return not missing, ("missing: " + ", ".join(missing)) if missing else "all documented"


_TEST_RUNNER = """
import os, sys, unittest
here = os.getcwd()
sys.path.insert(0, os.path.join(here, {folder!r}))
sys.path.append(here)
suite = unittest.defaultTestLoader.loadTestsFromNames({names!r})
planned = suite.countTestCases()
result = unittest.TextTestRunner(verbosity=1).run(suite)
ran_all = result.testsRun == planned > 0 and not result.skipped
if result.wasSuccessful() and ran_all:
    print({token!r}, planned)
"""
"""Runs the pristine tests (first on ``sys.path``) against the workspace's modules (last,
after the standard library and site-packages). The token, printed only after every test
ran and passed, tells a real pass from a module that exits 0 while it is imported."""


async def _pristine_tests(
    check: dict[str, Any], task: Task, ws: Path, run: Exec
) -> tuple[bool, str]:
    folder = f".eval-tests-{secrets.token_hex(6)}"
    try:
        for rel in check["paths"]:
            data = _read(task.workspace, rel)
            if data is None:
                return False, f"{rel} is not among the task's files (task bug)"
            safeio.write_atomic(resolve_in_workspace(ws, f"{folder}/{rel}"), data)
        token = f"eval-tests-passed-{secrets.token_hex(8)}"
        names = [rel.removesuffix(".py").replace("/", ".") for rel in check["paths"]]
        code = _TEST_RUNNER.format(folder=folder, names=names, token=token)
        # -I: neither the workspace nor PYTHON* settings come before the standard library;
        # -B: no bytecode written next to the workspace's modules.
        command = f"python3 -I -B -c {shlex.quote(code)}"
        exit_code, out = await run(command)
    finally:
        await asyncio.to_thread(shutil.rmtree, ws / folder, True)
    ok = exit_code == 0 and token in out
    shown = out.replace(token, "passed")[-200:]
    return ok, f"the task's own tests {'pass' if ok else f'fail (exit {exit_code}): {shown!r}'}"


async def _check(
    check: dict[str, Any], task: Task, ws: Path, answer: str, run: Exec
) -> tuple[bool, str]:
    kind = check["kind"]
    low = answer.casefold()
    if kind == "answer_contains":
        options = check.get("any") or [check["text"]]
        ok = any(str(o).casefold() in low for o in options)
        return ok, f"answer mentions {' or '.join(map(repr, options))}"
    if kind == "answer_lacks":
        return check["text"].casefold() not in low, f"answer does not mention {check['text']!r}"
    if kind in ("answer_matches", "answer_lacks_match"):
        found = re.search(check["regex"], answer, re.IGNORECASE | re.MULTILINE) is not None
        if kind == "answer_lacks_match":
            return not found, f"answer does not match {check['regex']!r}"
        return found, f"answer matches {check['regex']!r}"
    if kind in ("file_contains", "file_lacks"):
        data = _read(ws, check["path"])
        if data is None:
            return kind == "file_lacks", f"{check['path']} does not exist"
        has = check["text"] in data.decode("utf-8", errors="replace")
        verb = "contains" if kind == "file_contains" else "lacks"
        return has == (kind == "file_contains"), f"{check['path']} {verb} {check['text']!r}"
    if kind == "unchanged":
        changed = [p for p in check["paths"] if _read(ws, p) != _read(task.workspace, p)]
        return not changed, ("changed: " + ", ".join(changed)) if changed else "unchanged"
    if kind == "docstrings":
        data = _read(ws, check["path"])
        if data is None:
            return False, f"{check['path']} does not exist"
        return _has_docstrings(data, check["names"])
    if kind == "command":
        code, out = await run(check["command"])
        ok = code == int(check.get("exit_code", 0))
        want = check.get("output_contains")
        if want is not None:
            ok = ok and want in out
        return ok, f"`{check['command']}` exited {code}"
    if kind == "mutation":
        return await mutation.run_check(check, task.workspace, ws, run)
    if kind == "unittest":
        return await _pristine_tests(check, task, ws, run)
    if kind == "behaviour":
        return await behaviour.run_check(check, run)
    return False, f"unknown check kind {kind!r}"


async def grade(task: Task, ws: Path, answer: str, run: Exec) -> list[dict[str, Any]]:
    results = []
    for check in task.checks:
        try:
            ok, detail = await _check(check, task, ws, answer, run)
        except GradingError:
            raise
        except Exception as exc:  # a broken check fails the task, never the whole run
            ok, detail = False, f"check failed: {type(exc).__name__}: {exc}"
        results.append({"kind": check["kind"], "ok": ok, "detail": detail})
    return results


# -- running ---------------------------------------------------------------------------------


@dataclass
class RunOptions:
    sandbox: str = "docker"
    max_steps: int = DEFAULT_MAX_STEPS
    max_wall_s: float = DEFAULT_MAX_WALL_S
    max_cost_usd: float = DEFAULT_MAX_COST_USD
    max_repeats: int = 3
    temperature: float | None = 0.0
    max_tokens: int | None = None
    base_url: str | None = None


def task_settings(ws: Path, model_spec: str | None, opts: RunOptions, task: Task) -> Settings:
    llm: dict[str, Any] = {"temperature": opts.temperature}
    if opts.max_tokens is not None:
        llm["max_tokens"] = opts.max_tokens
    if opts.base_url:
        llm["base_url"] = opts.base_url
    overrides: dict[str, Any] = {
        "model": model_spec,
        "approval": {"mode": "auto", "allow": list(ALLOWED_TOOLS)},
        "sandbox": {"kind": opts.sandbox},
        "limits": {
            "max_steps": task.max_steps or opts.max_steps,
            "max_wall_s": opts.max_wall_s,
            "max_cost_usd": opts.max_cost_usd,
            "max_repeats": opts.max_repeats,
        },
        "llm": llm,
    }
    try:
        return load_settings(ws, overrides)
    except ConfigError as exc:
        raise TaskError(str(exc)) from None


async def grade_in_sandbox(
    task: Task,
    ws: Path,
    answer: str,
    sandbox: str,
    warnings: list[str] | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """Run ``task``'s checks on workspace ``ws`` in a fresh sandbox of kind ``sandbox``;
    the sandbox's warning as it closes (tests the model wrote can plant a repository too)
    is added to ``warnings``.

    Fresh, so no cwd or processes are left over from the agent's shell.
    """
    checker = LazySandbox(sandbox, ws, f"eval-check-{ws.parent.name[-8:]}", **options)

    async def run(command: str) -> tuple[int, str]:
        try:
            box = await checker()
            res = await box.exec(command, timeout=CHECK_TIMEOUT_S)
        except Exception as exc:  # not the model's doing: the sandbox itself failed
            raise GradingError(f"{type(exc).__name__}: {exc}") from exc
        return res.exit_code, res.output

    try:
        return await grade(task, ws, answer, run)
    finally:
        warning = await checker.close()
        if warning and warnings is not None:
            warnings.append(warning)


def planted_repositories(task: Task, ws: Path) -> list[str]:
    """Git repository directories in ``ws`` that the task's own workspace does not have
    (a ``.git`` at the top included): written by a command, a background process or the
    file tools, which run on the host and so are not seen by the sandbox's watch."""
    before = repository_dirs(task.workspace, skip=frozenset())
    return sorted(set(repository_dirs(ws, skip=frozenset())) - set(before))


def _repository_check(planted: list[str], warnings: list[str]) -> dict[str, Any] | None:
    """A failing check when the run left a repository in the workspace, else None."""
    if not planted and not warnings:
        return None
    named = ", ".join(p if p.isprintable() else ascii(p) for p in planted)
    detail = f"git repository left in the workspace: {named}" if planted else warnings[0]
    return {"kind": "no_repository", "ok": False, "detail": detail}


def copy_workspace(task: Task, solution: bool = False) -> Path:
    """A scratch copy of the task's workspace (with its reference solution laid over it)."""
    scratch = Path(tempfile.mkdtemp(prefix=f"assistant-eval-{task.id}-"))
    ws = scratch / "workspace"
    shutil.copytree(task.workspace, ws, symlinks=True)
    if solution and (task.workspace.parent / "solution").is_dir():
        shutil.copytree(task.workspace.parent / "solution", ws, dirs_exist_ok=True)
    return ws


async def _scratch_copy(task: Task) -> Path:
    """``copy_workspace`` in a thread. Cancelled (Ctrl-C) meanwhile, the thread goes on:
    its copy is removed once made rather than left in the temp folder."""
    copying = asyncio.ensure_future(asyncio.to_thread(copy_workspace, task))
    try:
        return await asyncio.shield(copying)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            ws = await copying
            await asyncio.to_thread(shutil.rmtree, ws.parent, True)
        raise


async def run_task(
    model: ChatModel, task: Task, opts: RunOptions, model_spec: str | None = None
) -> TaskResult:
    ws = await _scratch_copy(task)
    started = time.monotonic()
    result = TaskResult(task.id, task.category, False, [])
    try:
        settings = task_settings(ws, model_spec, opts, task)
        # The built-in tools only: a web_search backend or MCP servers in the user's config
        # would change what is measured from one machine to the next.
        built = build_agent(settings, ws, model=model, persist=False, tools=default_tools())
        agent = built.agent
        try:
            # The agent's own limits end the turn; this is only a backstop for a
            # single model call or tool that hangs.
            async with asyncio.timeout(opts.max_wall_s + 120):
                async for event in agent.run(task.instruction):
                    if isinstance(event, TurnEndEvent):
                        result.ended, result.steps = event.reason, event.steps
                        result.answer = event.final_text
                    elif isinstance(event, ErrorEvent):
                        result.error = event.message
        except TimeoutError:
            agent.cancel()
            result.ended = "max_time"
        finally:
            warning = await agent.aclose()
            if warning:
                result.warnings.append(warning)
        result.usage = agent.total_usage
        result.tool_calls = [c.name for m in agent.messages for c in m.tool_calls]
        result.transcript = transcript_of(agent.messages)
        if not result.answer:
            last = agent.messages[-1] if agent.messages else None
            result.answer = last.content if last is not None and last.role == "assistant" else ""
        # A reply cut off by the token limit is no answer, whatever words it had reached
        # (with a local model, often the arguments of a call it did not finish).
        answer = "" if result.ended == "max_tokens" else result.answer
        result.checks = await grade_in_sandbox(
            task, ws, answer, opts.sandbox, result.warnings, **sandbox_options(settings)
        )
        # after the checks: a mutation check runs the tests the model wrote
        planted = await asyncio.to_thread(planted_repositories, task, ws)
        repository = _repository_check(planted, result.warnings)
        if repository is not None:
            result.checks.append(repository)
        result.passed = all(c["ok"] for c in result.checks)
    except TaskError:
        raise
    except GradingError as exc:
        result.error = f"the checks could not run: {exc}"
        result.ended = "error"
    except Exception as exc:  # one broken task (sandbox down, ...) is reported, not fatal
        result.error = result.error or f"{type(exc).__name__}: {exc}"
        result.ended = result.ended or "error"
    finally:
        await asyncio.to_thread(shutil.rmtree, ws.parent, True)
        result.wall_s = time.monotonic() - started
    return result


async def run_tasks(
    model: ChatModel,
    tasks: list[Task],
    opts: RunOptions,
    *,
    model_spec: str | None = None,
    concurrency: int | None = None,
    on_result: Callable[[TaskResult], None] | None = None,
) -> list[TaskResult]:
    if concurrency is None:
        concurrency = 1 if model.provider == "local" else CLOUD_CONCURRENCY
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(task: Task) -> TaskResult:
        async with gate:
            r = await run_task(model, task, opts, model_spec)
        if on_result is not None:
            on_result(r)
        return r

    return list(await asyncio.gather(*(one(t) for t in tasks)))


def summarize(results: list[TaskResult]) -> dict[str, Any]:
    by_cat: dict[str, list[TaskResult]] = {}
    for r in results:
        by_cat.setdefault(r.category, []).append(r)
    usage = Usage()
    for r in results:
        usage = usage + r.usage
    n = len(results)
    return {
        "n_tasks": n,
        "accuracy": round(sum(r.passed for r in results) / n, 4) if n else None,
        "categories": {
            cat: {
                "n": len(rs),
                "passed": sum(r.passed for r in rs),
                "accuracy": round(sum(r.passed for r in rs) / len(rs), 4),
                "mean_steps": round(sum(r.steps for r in rs) / len(rs), 2),
            }
            for cat, rs in sorted(by_cat.items(), key=lambda kv: CATEGORIES.index(kv[0]))
        },
        "steps": sum(r.steps for r in results),
        "usage": usage.to_dict(),
        "wall_s": round(sum(r.wall_s for r in results), 2),
        "n_errors": sum(1 for r in results if r.ended == "error"),
    }
