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

from assistant.tools.paths import resolve_in_workspace

Exec = Callable[[str], Awaitable[tuple[int, str]]]


def _read(workspace: Path, rel: str) -> str | None:
    try:
        p = resolve_in_workspace(workspace, rel)
    except Exception:
        return None
    try:
        return p.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


async def _one(check: dict[str, Any], workspace: Path, answer: str, run: Exec | None) -> tuple[bool, str]:
    kind = check.get("kind")
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
) -> dict[str, Any]:
    results = []
    for check in checks:
        try:
            ok, detail = await _one(check, workspace, answer, run)
        except Exception as exc:  # a broken check must reject, not crash the run
            ok, detail = False, f"check failed: {type(exc).__name__}: {exc}"
        results.append({"kind": check.get("kind"), "ok": ok, "detail": detail})
    return {"passed": all(r["ok"] for r in results), "checks": results}
