"""Per-template verification: did the teacher's run actually do the task?

Checks are data (see ``templates/*.jsonl``). File checks read the scratch
workspace; ``command`` checks run in the task's sandbox, the same one the agent
used. ``verify_run`` returns a dict that goes into the record's
``meta.verification``: ``{"passed": bool, "checks": [{"kind", "ok", "detail"}]}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from assistant.jsonvalues import same_json_value
from assistant.llm.base import Message
from assistant.tools.files import read_workspace_file

Exec = Callable[[str], Awaitable[tuple[int, str]]]
MAX_CHECKED_BYTES = 1 << 20
"""Files a check reads are judged whole; a larger one counts as missing."""


def mentions(answer: str, text: str) -> bool:
    """``text`` appears in the answer as a whole token: "3" is not in "python3", and
    "port = 12" is not in "port = 128". Case-insensitive."""
    pattern = (r"(?<![\w.])" if text[:1].isalnum() else "") + re.escape(text)
    pattern += r"(?![\w]|\.\d)" if text[-1:].isalnum() else ""
    return re.search(pattern, answer, re.IGNORECASE) is not None


def _calls(messages: list[Message]) -> list[tuple[str, dict[str, Any]]]:
    return [(c.name, c.arguments) for m in messages if m.role == "assistant" for c in m.tool_calls]


def _read(workspace: Path, rel: str) -> str | None:
    """The file as text; None when it is missing, outside the workspace, not a regular
    file (a teacher's ``mkfifo`` would block) or over ``MAX_CHECKED_BYTES``."""
    data = read_workspace_file(workspace, rel, MAX_CHECKED_BYTES)
    return data.decode("utf-8", "replace") if data is not None else None


def _docstring(source: str, function: str) -> str | None:
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function:
            return ast.get_docstring(node)
    return None


async def _one(
    check: dict[str, Any],
    workspace: Path,
    answer: str,
    run: Exec | None,
    messages: list[Message],
    original: dict[str, str],
) -> tuple[bool, str]:
    kind = check.get("kind")
    calls = _calls(messages)
    if kind == "no_calls":
        return not calls, "no tool was called"
    if kind == "called":
        want = (check["name"], check["arguments"])
        ok = len(calls) == 1 and calls[0][0] == want[0] and same_json_value(calls[0][1], want[1])
        return ok, f"exactly one call: {want[0]}({want[1]})"
    if kind == "calls_match":
        want = [(c["name"], c["arguments"]) for c in check["calls"]]
        left = list(calls)
        for name, args in want:
            hit = next((c for c in left if c[0] == name and same_json_value(c[1], args)), None)
            if hit is None:
                break
            left.remove(hit)
        else:
            if not left:
                return True, f"exactly these {len(want)} calls, in any order"
        return False, f"exactly these {len(want)} calls, in any order: {want}"
    if kind == "tool_called":
        names = check["name"] if isinstance(check["name"], list) else [check["name"]]
        return any(c[0] in names for c in calls), f"called one of {', '.join(names)}"
    if kind == "asks_question":
        return answer.strip().endswith("?"), "the answer asks for what is missing"
    if kind == "answer_has":
        missing = [t for t in check["texts"] if not mentions(answer, t)]
        return not missing, f"answer names {check['texts']!r}"
    if kind == "answer_lacks":
        found = [t for t in check["texts"] if mentions(answer, t)]
        return not found, f"answer does not name {check['texts']!r}"
    if kind == "file_unchanged":
        text = _read(workspace, check["path"])
        return text == original.get(check["path"]), f"{check['path']} is unchanged"
    if kind == "file_equals":
        return _read(workspace, check["path"]) == check[
            "text"
        ], f"{check['path']} is exactly as asked"
    if kind == "file_count":
        text = _read(workspace, check["path"]) or ""
        n = text.count(check["text"])
        return n == int(
            check["count"]
        ), f"{check['path']} has {check['text']!r} {check['count']} time(s)"
    if kind == "python_docstring":
        doc = _docstring(_read(workspace, check["path"]) or "", check["function"])
        ok = doc is not None and check["text"] in doc
        return ok, f"{check['function']}'s docstring has {check['text']!r}"
    if kind == "file_matches":
        text = _read(workspace, check["path"])
        ok = text is not None and re.search(check["regex"], text) is not None
        return ok, f"{check['path']} matches {check['regex']!r}"
    if kind == "file_contains":
        text = _read(workspace, check["path"])
        if text is None:
            return False, f"{check['path']} does not exist"
        return check["text"] in text, f"{check['path']} contains {check['text']!r}"
    if kind == "file_not_contains":
        text = _read(workspace, check["path"]) or ""
        return check["text"] not in text, f"{check['path']} lacks {check['text']!r}"
    if kind == "file_exists":
        return _read(workspace, check["path"]) is not None, f"{check['path']} exists"
    if kind == "file_absent":
        return not (workspace / check["path"]).exists(), f"{check['path']} is gone"
    if kind == "json_field":
        text = _read(workspace, check["path"])
        try:
            value = json.loads(text or "")[check["field"]]
        except (ValueError, KeyError, TypeError):
            return False, f"{check['path']} has no field {check['field']}"
        return str(value) == str(check["equals"]), f"{check['field']} == {check['equals']!r}"
    if kind == "answer_contains":
        return check["text"].lower() in answer.lower(), f"answer mentions {check['text']!r}"
    if kind == "answer_matches":
        return re.search(check["regex"], answer) is not None, f"answer matches {check['regex']!r}"
    if kind == "answer_min_chars":
        return len(answer) >= int(check["chars"]), f"answer has {check['chars']}+ characters"
    if kind == "command":
        if run is None:
            return False, "no sandbox to run the check in"
        code, output = await run(check["command"])
        ok = code == int(check.get("exit_code", 0))
        want = check.get("output_contains")
        if want is not None:
            ok = ok and want in output
        return ok, f"`{check['command']}` exited {code}"
    return False, f"unknown check kind {kind!r}"


async def verify_run(
    checks: list[dict[str, Any]],
    *,
    workspace: Path,
    answer: str,
    run: Exec | None = None,
    messages: list[Message] | None = None,
    original: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run every check; a task without checks does not pass (nothing could fail)."""
    results = []
    for check in checks:
        try:
            ok, detail = await _one(check, workspace, answer, run, messages or [], original or {})
        except Exception as exc:  # a broken check must reject, not crash the run
            ok, detail = False, f"check failed: {type(exc).__name__}: {exc}"
        results.append({"kind": check.get("kind"), "ok": ok, "detail": detail})
    return {"passed": bool(results) and all(r["ok"] for r in results), "checks": results}
