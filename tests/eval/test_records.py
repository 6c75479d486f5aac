"""Distill records as tool-calling cases: a held-out set made by `assistant distill` loads
as cases whose expected calls are the teacher's, graded by the same checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.eval.checker import Call, CaseError, check_reply, load_cases


@pytest.fixture(scope="module")
def held_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("heldout")
    subprocess.run(
        [sys.executable, "-m", "assistant.distill", "--provider", "scripted",
         "--output-dir", str(out), "--quiet", "-n", "40", "--seed", "3",
         "--categories", "written_heldout", "--task-mix", "call=0.5,abstain=0.5", "--yes"],
        check=True,
    )  # fmt: skip
    return out / "records.jsonl"


def _teacher_calls(record: dict) -> list[Call]:
    turn = next(m for m in record["messages"] if m["role"] == "assistant")
    return [
        Call(c["function"]["name"], json.loads(c["function"]["arguments"]))
        for c in turn.get("tool_calls") or []
    ]


def test_records_load_as_cases_the_teacher_passes(held_out: Path) -> None:
    records = [json.loads(line) for line in held_out.read_text().splitlines()]
    cases = load_cases(held_out)
    assert len(cases) == len(records) >= 30
    assert {c.category for c in cases} == {"written_heldout_call", "written_heldout_no_call"}
    for case, record in zip(cases, records, strict=True):
        assert case.id == record["id"]
        assert [m["role"] for m in case.messages] == ["user"]
        teacher = _teacher_calls(record)
        assert (record["meta"]["mode"] == "call") == bool(teacher) == bool(case.expected)
        assert check_reply(case, teacher).passed, case.id


def test_a_changed_extra_or_missing_call_fails(held_out: Path) -> None:
    records = [json.loads(line) for line in held_out.read_text().splitlines()]
    cases = load_cases(held_out)
    reasons = set()
    for case, record in zip(cases, records, strict=True):
        teacher = _teacher_calls(record)
        if not teacher:
            other = case.tools[0]["function"]["name"]
            verdict = check_reply(case, [Call(other, {})])
            assert not verdict.passed and verdict.reason == "wrong_count"
            continue
        assert check_reply(case, []).reason == "wrong_count"
        call = teacher[0]
        key, value = next(iter(call.arguments.items()))
        changed = {**call.arguments, key: f"{value}x" if isinstance(value, str) else value + 1}
        verdict = check_reply(case, [Call(call.name, changed), *teacher[1:]])
        assert not verdict.passed, case.id
        reasons.add(verdict.reason)
        extra = {**call.arguments, "note": "extra"}
        verdict = check_reply(case, [Call(call.name, extra), *teacher[1:]])
        assert not verdict.passed, case.id
        reasons.add(verdict.reason)
    assert {"wrong_value", "unexpected_parameter"} <= reasons


def test_a_record_without_a_user_turn_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    record = {"id": "r1", "messages": [{"role": "assistant", "content": "hi"}], "meta": {}}
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(CaseError, match=r"bad.jsonl:1: the record has no user turn"):
        load_cases(path)


@pytest.mark.parametrize(
    "call",
    [
        "not an object",
        {"function": "f"},
        {"function": {"name": "f", "arguments": "[1, 2]"}},
        {"function": {"name": "f", "arguments": [1, 2]}},
    ],
)
def test_a_record_with_a_malformed_teacher_call_is_refused(tmp_path: Path, call: object) -> None:
    path = tmp_path / "bad.jsonl"
    record = {
        "id": "r1",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "", "tool_calls": [call]},
        ],
        "tools": [{"type": "function", "function": {"name": "f"}}],
        "meta": {},
    }
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(CaseError, match=r"bad.jsonl:1: a teacher call"):
        load_cases(path)
