"""The ``behaviour`` check of the agent tasks: hidden cases, judged on the host.

A check ``{"kind": "behaviour", "module": "ports", "cases": [{"call": "parse_port",
"args": ["00"], "raises": "ValueError"}, {"call": ..., "args": [...], "kwargs": {...},
"expect": <a JSON value>}]}`` lives only in ``task.json``, which the agent's workspace
lacks, and its inputs are not those of the workspace's tests. A driver in the sandbox
imports the module and calls each case; it is sent the calls, never the expected values,
and prints what each call returned or raised as JSON. That output is untrusted (the
model's module ran in the same process and may have patched anything there): it is read
line by line, bounded, one record per case in order, and compared with the expected
values here. So the module passes only by computing the right values for inputs it has
not seen, whatever it does to ``unittest`` or to the driver.
"""

from __future__ import annotations

import json
import keyword
import secrets
import shlex
from collections.abc import Awaitable, Callable
from typing import Any

from assistant.jsonvalues import same_json_value

Exec = Callable[[str], Awaitable[tuple[int, str]]]
"""Runs a shell command in the grading sandbox: (exit code, output)."""


_CASE_KEYS = frozenset({"call", "args", "kwargs", "expect", "raises"})


def missing_fields(check: dict[str, Any]) -> str | None:
    """What a ``behaviour`` check (with a string module and a list of cases) lacks,
    described; None when whole."""
    if not check["module"].isidentifier() or keyword.iskeyword(check["module"]):
        return "module, the name of a top-level module of the workspace (no .py)"
    cases = check["cases"]
    if not cases or not all(_whole_case(c) for c in cases):
        return (
            "cases, a non-empty list of objects each with a call (a function name), "
            "optional args (a list) and kwargs (an object), and either expect (a JSON value) "
            "or raises (an exception class name), and no other field"
        )
    return None


def _whole_case(case: Any) -> bool:
    if not isinstance(case, dict) or not set(case) <= _CASE_KEYS:
        return False
    call, raises = case.get("call"), case.get("raises", "Exception")
    return (
        isinstance(call, str)
        and call.isidentifier()
        and isinstance(case.get("args", []), list)
        and isinstance(case.get("kwargs", {}), dict)
        and ("expect" in case) != ("raises" in case)
        and isinstance(raises, str)
        and raises.isidentifier()
    )


_DRIVER = """
import json, os, sys
token, cases = {token!r}, json.loads({cases!r})
out = os.dup(1)
def emit(tag, record):
    line = json.dumps(record) if record is not None else ""
    os.write(out, f"\\n{{token}} {{tag}} {{line}}\\n".encode())
sys.path.append(os.getcwd())
try:
    import {module} as module
except BaseException as exc:
    emit("import", {{"raised": [c.__name__ for c in type(exc).__mro__]}})
    raise SystemExit(3)
for i, case in enumerate(cases):
    try:
        value = getattr(module, case["call"])(*case["args"], **case["kwargs"])
    except BaseException as exc:
        emit(i, {{"raised": [c.__name__ for c in type(exc).__mro__]}})
        continue
    try:
        emit(i, {{"value": value}})
    except Exception:
        emit(i, {{"unserializable": type(value).__name__}})
emit("end", None)
"""
"""Imports the workspace's module (after the standard library, as the ``unittest`` check's runner does)
and prints one line per case: ``<token> <index> <json>``, then ``<token> end``. Each line
starts on a new line, through a copy of stdout taken before the import, so a module that
prints without a newline or swaps ``sys.stdout`` does not garble it. The token and the
layout only make honest output easy to read: the module could learn both, so nothing
rests on them; what it cannot learn are the expected values, which stay on the host."""

_MAX_RESULT_LINE = 16 * 1024
"""The longest result line read; a longer one (a huge value) fails its case."""


def parse_driver_output(out: str, token: str, n: int) -> list[dict[str, Any]] | str:
    """The child's record for each of ``n`` cases, in order; or why its output is not
    that (missing, repeated, out of order, too long or unparseable lines)."""
    records: list[dict[str, Any]] = []
    ended = False
    for line in out.splitlines():
        if not line.startswith(token + " "):
            continue
        tag, _, body = line[len(token) + 1 :].partition(" ")
        if ended:
            return "a result line came after the end line"
        if tag == "end":
            ended = True
            continue
        if tag == "import":
            return f"importing the module raised {_raised_name(_load_record(body))}"
        if tag != str(len(records)):
            return f"expected the result of case {len(records)}, got a line tagged {tag[:20]!r}"
        if len(line) > _MAX_RESULT_LINE:
            return f"the result of case {tag} is over {_MAX_RESULT_LINE} characters"
        record = _load_record(body)
        if record is None:
            return f"the result of case {tag} is not a result record"
        records.append(record)
    if not ended or len(records) != n:
        return f"the driver reported {len(records)} of {n} cases and {'' if ended else 'no '}end"
    return records


def _load_record(body: str) -> dict[str, Any] | None:
    """``{"value": any}``, ``{"raised": [class names]}`` or ``{"unserializable": name}``;
    None for anything else."""
    try:
        record = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or len(record) != 1:
        return None
    ((key, value),) = record.items()
    if key == "value":
        return record
    if key == "raised" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return record if value else None
    if key == "unserializable" and isinstance(value, str):
        return record
    return None


def _raised_name(record: dict[str, Any] | None) -> str:
    if record is None or "raised" not in record:
        return "something unreadable"
    return _printable(record["raised"][0])


def _printable(text: str, keep: int = 80) -> str:
    text = text[:keep]
    return text if text.isprintable() else ascii(text)


def _case_verdict(case: dict[str, Any], record: dict[str, Any]) -> str | None:
    """Why the child's record does not match the case's expectation; None when it does."""
    if "raises" in case:
        if "raised" in record and case["raises"] in record["raised"]:
            return None
        return f"expected {case['raises']}, {_outcome(record)}"
    if "value" in record and same_json_value(record["value"], case["expect"]):
        return None
    return f"expected {json.dumps(case['expect'])}, {_outcome(record)}"


def _outcome(record: dict[str, Any]) -> str:
    if "raised" in record:
        return f"raised {_raised_name(record)}"
    if "unserializable" in record:
        return f"returned a {_printable(record['unserializable'])} (not JSON)"
    return f"returned {_printable(json.dumps(record['value']), 200)}"


def call_text(case: dict[str, Any]) -> str:
    args = [json.dumps(a) for a in case.get("args", [])]
    args += [f"{k}={json.dumps(v)}" for k, v in case.get("kwargs", {}).items()]
    return f"{case['call']}({', '.join(args)})"


async def run_check(check: dict[str, Any], run: Exec) -> tuple[bool, str]:
    """Run the hidden cases through the driver in the sandbox (``run``); judge here."""
    cases = check["cases"]
    calls = [
        {"call": c["call"], "args": c.get("args", []), "kwargs": c.get("kwargs", {})} for c in cases
    ]
    token = f"eval-behaviour-{secrets.token_hex(8)}"
    code = _DRIVER.format(token=token, cases=json.dumps(calls), module=check["module"])
    exit_code, out = await run(f"python3 -I -B -c {shlex.quote(code)}")
    records = parse_driver_output(out, token, len(cases))
    if isinstance(records, str):
        tail = _printable(out.replace(token, "<token>")[-200:], 200)
        return False, f"no result for the hidden cases (exit {exit_code}): {records}; {tail}"
    if exit_code != 0:
        return False, f"the driver exited {exit_code} after reporting every case"
    wrong = [
        f"{call_text(case)}: {verdict}"
        for case, record in zip(cases, records, strict=True)
        if (verdict := _case_verdict(case, record)) is not None
    ]
    if wrong:
        return False, f"{len(wrong)}/{len(cases)} hidden cases fail: " + "; ".join(wrong[:3])
    return True, f"all {len(cases)} hidden cases pass"
