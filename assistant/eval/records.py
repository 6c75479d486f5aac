"""Distill records read as tool-calling eval cases (``assistant eval tools --data val.jsonl``).

A record's first assistant turn becomes the case: the conversation before it (without the
system prompt, as ``eval/tools`` writes its service cases), the tools it offered, and as
the expected calls the teacher's own, each argument accepted only at the teacher's value
and no argument the teacher left out. A record whose first turn calls nothing expects no call.
Categories are the record's with ``_call`` or ``_no_call`` appended, so a held-out set
(``assistant distill --categories written_heldout``) reports calls and abstentions apart.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.eval.checker import CaseError


def is_record(obj: Any) -> bool:
    """Whether ``obj`` is a distill record rather than an eval case."""
    return isinstance(obj, dict) and "expected" not in obj and isinstance(obj.get("meta"), dict)


def case_from_record(record: dict[str, Any], where: str) -> dict[str, Any]:
    """The eval case (as ``eval/tools/cases.jsonl`` writes one) for a distill record."""
    messages = record.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise CaseError(f"{where}: the record has no messages list; pass a distill JSONL.")
    first = next((i for i, m in enumerate(messages) if m.get("role") == "assistant"), None)
    if first is None or not any(m.get("role") == "user" for m in messages[:first]):
        raise CaseError(
            f"{where}: the record has no user turn before an assistant turn; "
            "pass records from assistant distill."
        )
    expected = []
    for call in messages[first].get("tool_calls") or []:
        fn = call.get("function") if isinstance(call, dict) else None
        if not isinstance(fn, dict):
            raise CaseError(
                f"{where}: a teacher call has no function object; pass distill records."
            )
        args = fn.get("arguments", {})
        try:
            args = json.loads(args) if isinstance(args, str) else args
        except json.JSONDecodeError:
            raise CaseError(f"{where}: a teacher call's arguments are not JSON.") from None
        if not isinstance(args, dict):
            raise CaseError(f"{where}: a teacher call's arguments are not a JSON object.")
        expected.append({"name": fn.get("name"), "arguments": {k: [v] for k, v in args.items()}})
    category = str(record["meta"].get("category") or "record")
    return {
        "id": str(record.get("id") or where),
        "category": f"{category}_{'call' if expected else 'no_call'}",
        "messages": [m for m in messages[:first] if m.get("role") != "system"],
        "tools": record.get("tools") or [],
        "expected": expected,
    }
