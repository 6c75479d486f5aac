"""Tool-calling cases and the checker that grades one reply against one case.

A case is one JSON object a line::

    {"id", "category" (optional), "messages": [...], "tools": [OpenAI tool specs],
     "expected": [{"name": "f", "arguments": {"param": [acceptable values, ...]}}],
     "ordered": false (optional)}

An empty string among the acceptable values means the parameter may be omitted.
``"expected": []`` means the right answer is to call no tool. Several expected calls
match in any order unless ``"ordered": true``. Strings match whatever their case and
surrounding whitespace, except the agent's file paths, file contents, code, commands,
patterns and URLs (:data:`EXACT_ARGUMENTS`), where case changes what the call does.

A reply fails with exactly one reason (the first problem found), one of
:data:`REASONS`.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from assistant.llm.base import Message

REASONS = (
    "wrong_count",
    "malformed",
    "wrong_function",
    "missing_required",
    "unexpected_parameter",
    "wrong_type",
    "wrong_value",
    "error",
)
"""Every failure reason, in the order the report lists them.

``wrong_count``: more or fewer calls than expected (a call where none was right, or
none where one was). ``malformed``: a call that names no offered tool, whose
arguments are not a JSON object, or a ``<tool_call>`` left in the text. ``error``:
the backend failed (the case could not be graded)."""

EXACT_ARGUMENTS: dict[str, frozenset[str]] = {
    "read_file": frozenset({"path"}),
    "list_files": frozenset({"path"}),
    "glob": frozenset({"pattern", "path"}),
    "grep": frozenset({"pattern", "path", "glob"}),
    "write_file": frozenset({"path", "content"}),
    "edit_file": frozenset({"path", "old_text", "new_text"}),
    "run_shell": frozenset({"command"}),
    "run_python": frozenset({"code"}),
    "fetch_url": frozenset({"url"}),
}
"""The agent's tool arguments whose strings must match case and all (``PORT = 9090`` is
not ``port = 9090`` in a file, nor ``README.md`` ``readme.md`` on disk); the strings of
every other argument (names, places, titles) match case-insensitively."""

_MAX_PERMUTED = 6
"""Up to this many calls, every pairing is tried; above it, calls pair in order."""


class CaseError(ValueError):
    """A case file is malformed; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class ExpectedCall:
    name: str
    arguments: dict[str, list[Any]]


@dataclass
class Case:
    id: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    expected: list[ExpectedCall]
    category: str = "uncategorized"
    ordered: bool = False

    @property
    def needs_call(self) -> bool:
        return bool(self.expected)

    def tool_schema(self, name: str) -> dict[str, Any] | None:
        for t in self.tools:
            fn = t.get("function", {})
            if fn.get("name") == name:
                return fn.get("parameters") or {"type": "object", "properties": {}}
        return None


@dataclass
class Call:
    """A call as the model made it (``arguments`` may hold ``__raw__`` for unparsable JSON)."""

    name: str
    arguments: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": self.arguments}


@dataclass
class Verdict:
    passed: bool
    reason: str | None = None
    detail: str = ""
    well_formed: list[bool] = field(default_factory=list)
    """One flag per call attempt (a ``<tool_call>`` left in the text counts as malformed)."""


# -- loading ---------------------------------------------------------------------------------


def _parse_case(obj: Any, where: str) -> Case:
    if not isinstance(obj, dict):
        raise CaseError(f"{where}: a case must be a JSON object.")
    missing = [k for k in ("id", "messages", "tools", "expected") if k not in obj]
    if missing:
        raise CaseError(f"{where}: the case lacks {', '.join(missing)}; add it.")
    if not isinstance(obj["messages"], list) or not obj["messages"]:
        raise CaseError(f"{where}: messages must be a non-empty list of chat messages.")
    try:
        for m in obj["messages"]:
            Message.from_dict(m)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise CaseError(
            f"{where}: messages must be chat messages, each an object with a role and content."
        ) from None
    if not isinstance(obj["tools"], list) or not all(
        isinstance(t, dict)
        and isinstance(t.get("function"), dict)
        and isinstance(t["function"].get("name"), str)
        for t in obj["tools"]
    ):
        raise CaseError(f"{where}: tools must be a list of OpenAI function tool specs.")
    if not isinstance(obj["expected"], list):
        raise CaseError(f"{where}: expected must be a list of calls ([] for no call).")
    names = {t["function"]["name"] for t in obj["tools"]}
    expected = []
    for call in obj["expected"]:
        if not isinstance(call, dict) or not isinstance(call.get("name"), str):
            raise CaseError(f"{where}: each expected call needs a name and arguments.")
        if call["name"] not in names:
            raise CaseError(
                f"{where}: expected call {call['name']!r} is not among the case's tools; "
                "fix the name or add the tool."
            )
        args = call.get("arguments", {})
        if not isinstance(args, dict) or not all(isinstance(v, list) and v for v in args.values()):
            raise CaseError(
                f"{where}: the arguments of expected call {call['name']!r} must map each "
                "parameter to a non-empty list of acceptable values."
            )
        expected.append(ExpectedCall(call["name"], args))
    return Case(
        id=str(obj["id"]),
        messages=obj["messages"],
        tools=obj["tools"],
        expected=expected,
        category=str(obj.get("category") or "uncategorized"),
        ordered=bool(obj.get("ordered", False)),
    )


def load_cases(path: Path) -> list[Case]:
    """Every case in ``path`` (JSONL, cases or distill records: ``eval.records``); raises
    ``CaseError`` naming the first bad line."""
    from assistant.eval.records import case_from_record, is_record

    if not path.is_file():
        raise CaseError(
            f"Case file {path} does not exist; pass --data with a .jsonl file of cases "
            "(the shipped ones are in eval/tools/)."
        )
    cases: list[Case] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CaseError(f"{where}: not valid JSON ({exc.msg}); fix the line.") from None
            case = _parse_case(case_from_record(obj, where) if is_record(obj) else obj, where)
            if case.id in seen:
                raise CaseError(f"{where}: the id {case.id!r} is used twice; make ids unique.")
            seen.add(case.id)
            cases.append(case)
    if not cases:
        raise CaseError(f"Case file {path} holds no cases; add one JSON object a line.")
    return cases


# -- checking one call -----------------------------------------------------------------------


def _types_of(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a parameter schema allows, or None when it does not say."""
    if "type" in schema:
        t = schema["type"]
        return set(t) if isinstance(t, list) else {t}
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        out: set[str] = set()
        for v in variants:
            sub = _types_of(v)
            if sub is None:
                return None
            out |= sub
        return out
    if "enum" in schema:
        return {_json_type(v) for v in schema["enum"]}
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_ok(value: Any, allowed: set[str]) -> bool:
    actual = _json_type(value)
    if actual in allowed:
        return True
    # An integer is accepted for a number; a float with no fraction for an integer.
    if actual == "integer" and "number" in allowed:
        return True
    return actual == "number" and "integer" in allowed and float(value).is_integer()


def _norm(value: Any, exact: bool = False) -> Any:
    """A comparable form of ``value``: strings stripped and, unless ``exact``, casefolded."""
    if isinstance(value, str):
        return ("s", value.strip() if exact else value.strip().casefold())
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    if isinstance(value, list):
        return ("l", tuple(_norm(v, exact) for v in value))
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, _norm(v, exact)) for k, v in value.items())))
    return ("x", value)


def _omittable(acceptable: list[Any]) -> bool:
    return "" in acceptable


def check_call(call: Call, expected: ExpectedCall, schema: dict[str, Any] | None) -> Verdict:
    """Grade one well-formed call against one expected call."""
    if call.name != expected.name:
        return Verdict(False, "wrong_function", f"called {call.name} instead of {expected.name}")
    props: dict[str, Any] = (schema or {}).get("properties", {})
    required = set((schema or {}).get("required", []))
    for param in sorted(required | set(expected.arguments)):
        if param in call.arguments:
            continue
        if param in required or not _omittable(expected.arguments.get(param, [""])):
            return Verdict(False, "missing_required", f"{call.name} lacks {param!r}")
    for param in call.arguments:
        if param not in expected.arguments:
            return Verdict(False, "unexpected_parameter", f"{call.name} got unexpected {param!r}")
    for param, value in call.arguments.items():
        allowed = _types_of(props.get(param, {}))
        if allowed is not None and not _type_ok(value, allowed):
            return Verdict(
                False,
                "wrong_type",
                f"{call.name}.{param} is {_json_type(value)}, not {'/'.join(sorted(allowed))}",
            )
    exact = EXACT_ARGUMENTS.get(call.name, frozenset())
    for param, value in call.arguments.items():
        acceptable = expected.arguments[param]
        same = param in exact
        wanted = {_norm(v, same) for v in acceptable if v != ""} if acceptable else set()
        got = _norm(value, same)
        if got not in wanted and not (value == "" and _omittable(acceptable)):
            shown = json.dumps(value, ensure_ascii=False)[:80]
            return Verdict(
                False,
                "wrong_value",
                f"{call.name}.{param}={shown} is not among {len(wanted)} acceptable values",
            )
    return Verdict(True)


def is_well_formed(call: Call, tools: list[dict[str, Any]]) -> bool:
    """The call names an offered tool and its arguments are a schema-valid JSON object."""
    if "__raw__" in call.arguments or not isinstance(call.arguments, dict):
        return False
    for t in tools:
        fn = t["function"]
        if fn["name"] == call.name:
            schema = fn.get("parameters") or {"type": "object"}
            try:
                jsonschema.validate(call.arguments, schema)
            except jsonschema.ValidationError:
                return False
            except jsonschema.SchemaError:
                return True  # the case's schema is at fault, not the call
            return True
    return False


def _malformed_reason(call: Call, case: Case) -> str:
    if case.tool_schema(call.name) is None:
        return f"called {call.name!r}, which is not among the tools"
    if "__raw__" in call.arguments:
        return f"the arguments of {call.name} are not a JSON object"
    return f"the arguments of {call.name} do not fit its schema"


# -- checking a reply ------------------------------------------------------------------------


def check_reply(case: Case, calls: list[Call], stray_blocks: int = 0) -> Verdict:
    """Grade the calls a model made for ``case``.

    ``stray_blocks``: ``<tool_call>`` blocks left in the reply's text that the backend
    did not turn into calls (cut off or unreadable); each is a malformed attempt.
    """
    formed = [is_well_formed(c, case.tools) for c in calls] + [False] * stray_blocks
    n_made = len(calls) + stray_blocks
    if n_made != len(case.expected):
        want = len(case.expected)
        detail = (
            f"called {n_made} tool(s) where none was right"
            if want == 0
            else f"made {n_made} call(s), expected {want}"
        )
        return Verdict(False, "wrong_count", detail, formed)
    if stray_blocks:
        return Verdict(False, "malformed", "a <tool_call> block was left unreadable", formed)
    for call, ok in zip(calls, formed, strict=True):
        # A call whose arguments break the schema is still graded parameter by
        # parameter (missing, unexpected, wrong type) so the reason is specific.
        if not ok and (case.tool_schema(call.name) is None or "__raw__" in call.arguments):
            return Verdict(False, "malformed", _malformed_reason(call, case), formed)
    if not calls:
        return Verdict(True, well_formed=formed)
    orders = (
        [tuple(range(len(calls)))]
        if case.ordered or len(calls) > _MAX_PERMUTED
        else list(itertools.permutations(range(len(calls))))
    )
    best: list[Verdict] | None = None
    for order in orders:
        verdicts = [
            check_call(calls[i], exp, case.tool_schema(exp.name))
            for i, exp in zip(order, case.expected, strict=True)
        ]
        if all(v.passed for v in verdicts):
            return Verdict(True, well_formed=formed)
        if best is None or sum(v.passed for v in verdicts) > sum(v.passed for v in best):
            best = verdicts
    assert best is not None
    first = next(v for v in best if not v.passed)
    return Verdict(False, first.reason, first.detail, formed)
