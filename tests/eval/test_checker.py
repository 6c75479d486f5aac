"""The tool-call checker on hand-made cases: every failure reason, and what passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.eval.checker import REASONS, Call, Case, CaseError, check_reply, load_cases

SHIP = {
    "type": "function",
    "function": {
        "name": "ship_parcel",
        "description": "Ship a parcel.",
        "parameters": {
            "type": "object",
            "properties": {
                "to_city": {"type": "string"},
                "weight_kg": {"type": "number"},
                "pieces": {"type": "integer"},
                "express": {"type": "boolean", "default": False},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["to_city", "weight_kg"],
        },
    },
}
TRACK = {
    "type": "function",
    "function": {
        "name": "track_parcel",
        "description": "Track a parcel.",
        "parameters": {
            "type": "object",
            "properties": {"code": {"type": "string"}},
            "required": ["code"],
        },
    },
}


def case(expected: list[dict], *, ordered: bool = False, tmp: Path | None = None):
    raw = {
        "id": "c1",
        "category": "t",
        "messages": [{"role": "user", "content": "x"}],
        "tools": [SHIP, TRACK],
        "expected": expected,
        "ordered": ordered,
    }
    assert tmp is not None
    path = tmp / "cases.jsonl"
    path.write_text(json.dumps(raw) + "\n")
    return load_cases(path)[0]


SHIP_OSLO = {
    "name": "ship_parcel",
    "arguments": {
        "to_city": ["Oslo", "Oslo, Norway"],
        "weight_kg": [2.5],
        "pieces": ["", 1],
        "express": ["", False],
    },
}


@pytest.mark.parametrize(
    ("calls", "stray", "reason"),
    [
        ([Call("ship_parcel", {"to_city": " oslo ", "weight_kg": 2.5})], 0, None),
        ([Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5, "pieces": 1})], 0, None),
        ([Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5, "express": False})], 0, None),
        ([], 0, "wrong_count"),
        (
            [Call("track_parcel", {"code": "A"}), Call("track_parcel", {"code": "B"})],
            0,
            "wrong_count",
        ),
        ([], 1, "malformed"),
        ([Call("ship_parcels", {"to_city": "Oslo", "weight_kg": 2.5})], 0, "malformed"),
        ([Call("ship_parcel", {"__raw__": "{to_city: Oslo"})], 0, "malformed"),
        ([Call("track_parcel", {"code": "A1"})], 0, "wrong_function"),
        ([Call("ship_parcel", {"to_city": "Oslo"})], 0, "missing_required"),
        (
            [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5, "tags": ["x"]})],
            0,
            "unexpected_parameter",
        ),
        ([Call("ship_parcel", {"to_city": "Oslo", "weight_kg": "2.5"})], 0, "wrong_type"),
        ([Call("ship_parcel", {"to_city": "Oslo", "weight_kg": True})], 0, "wrong_type"),
        ([Call("ship_parcel", {"to_city": "Bergen", "weight_kg": 2.5})], 0, "wrong_value"),
        (
            [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5, "pieces": 3})],
            0,
            "wrong_value",
        ),
        (
            [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5, "express": True})],
            0,
            "wrong_value",
        ),
    ],
)
def test_single_call(tmp_path: Path, calls: list[Call], stray: int, reason: str | None) -> None:
    verdict = check_reply(case([SHIP_OSLO], tmp=tmp_path), calls, stray)
    assert verdict.passed is (reason is None)
    assert verdict.reason == reason
    assert reason is None or verdict.detail


def test_every_reason_but_error_is_produced_above() -> None:
    # "error" is the backend failing (tests/eval/test_tools_run.py); the rest are
    # covered by test_single_call and the cases below.
    assert set(REASONS) == {
        "wrong_count",
        "malformed",
        "wrong_function",
        "missing_required",
        "unexpected_parameter",
        "wrong_type",
        "wrong_value",
        "error",
    }


def test_integer_is_accepted_for_a_number(tmp_path: Path) -> None:
    c = case(
        [{"name": "ship_parcel", "arguments": {"to_city": ["Oslo"], "weight_kg": [3]}}],
        tmp=tmp_path,
    )
    assert check_reply(c, [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 3})]).passed
    assert check_reply(c, [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 3.0})]).passed
    # ... but a number with a fraction is not an integer
    c2 = case(
        [
            {
                "name": "ship_parcel",
                "arguments": {"to_city": ["Oslo"], "weight_kg": [1], "pieces": [2]},
            }
        ],
        tmp=tmp_path,
    )
    v = check_reply(c2, [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 1, "pieces": 2.5})])
    assert v.reason == "wrong_type"


def test_no_call_expected(tmp_path: Path) -> None:
    c = case([], tmp=tmp_path)
    assert check_reply(c, []).passed
    v = check_reply(c, [Call("track_parcel", {"code": "A"})])
    assert (v.passed, v.reason) == (False, "wrong_count")
    assert v.well_formed == [True]


def test_several_calls_any_order_unless_ordered(tmp_path: Path) -> None:
    exp = [
        {"name": "track_parcel", "arguments": {"code": ["A1"]}},
        {"name": "track_parcel", "arguments": {"code": ["B2"]}},
    ]
    calls = [Call("track_parcel", {"code": "B2"}), Call("track_parcel", {"code": "a1"})]
    assert check_reply(case(exp, tmp=tmp_path), calls).passed
    v = check_reply(case(exp, ordered=True, tmp=tmp_path), calls)
    assert (v.passed, v.reason) == (False, "wrong_value")
    # one right, one wrong: the reason comes from the best pairing
    v = check_reply(
        case(exp, tmp=tmp_path),
        [
            Call("track_parcel", {"code": "A1"}),
            Call("ship_parcel", {"to_city": "x", "weight_kg": 1}),
        ],
    )
    assert v.reason == "wrong_function"


def test_list_values_and_well_formed_flags(tmp_path: Path) -> None:
    exp = [
        {
            "name": "ship_parcel",
            "arguments": {"to_city": ["Oslo"], "weight_kg": [1], "tags": [["Fragile", "gift"]]},
        }
    ]
    c = case(exp, tmp=tmp_path)
    ok = Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 1, "tags": ["fragile", " GIFT"]})
    assert check_reply(c, [ok]).passed
    bad = Call("ship_parcel", {"to_city": "Oslo", "weight_kg": 1, "tags": ["gift", "fragile"]})
    assert check_reply(c, [bad]).reason == "wrong_value"
    # schema-invalid arguments are graded precisely and flagged as not well-formed
    v = check_reply(c, [Call("ship_parcel", {"to_city": "Oslo", "weight_kg": "1", "tags": []})])
    assert v.reason == "wrong_type" and v.well_formed == [False]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"id": "a", "messages": [], "tools": [], "expected": []}', "non-empty"),
        (
            '{"id": "a", "messages": [{"role": "user", "content": "x"}], "tools": []}',
            "lacks expected",
        ),
        (
            '{"id": "a", "messages": [{"role": "user", "content": "x"}], "tools": [], '
            '"expected": [{"name": "f", "arguments": {}}]}',
            "not among the case's tools",
        ),
        # found at load time, not as a traceback in the middle of a run
        ('{"id": "a", "messages": ["x"], "tools": [], "expected": []}', "chat messages, each"),
        ('{"id": "a", "messages": [{"content": "x"}], "tools": [], "expected": []}', "a role"),
        (
            '{"id": "a", "messages": [{"role": "user", "content": "x"}], '
            '"tools": [{"type": "function", "function": "f"}], "expected": []}',
            "OpenAI function tool specs",
        ),
        (
            '{"id": "a", "messages": [{"role": "user", "content": "x"}], '
            '"tools": [{"type": "function", "function": {"name": "f"}}], '
            '"expected": [{"name": "f", "arguments": {"x": []}}]}',
            "non-empty list of acceptable values",
        ),
        ('{"id": "r", "meta": {}, "messages": ["x"]}', "no messages list"),
    ],
)
def test_malformed_case_files(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(CaseError, match=message) as info:
        load_cases(path)
    assert f"{path}:1" in str(info.value)


def test_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="pass --data"):
        load_cases(tmp_path / "nope.jsonl")


def test_stray_call_openings_in_text() -> None:
    from assistant.eval.tools import count_stray_blocks

    cut = 'Sure.\n<tool_call>\n{"name": "renew_loan", "arguments": {"barcode": "}} within <tool_call> tags'
    assert count_stray_blocks(cut) == 1
    assert count_stray_blocks("Calls go within <tool_call></tool_call> XML tags.") == 0
    two = '<tool_call>\n{"name": "a"}\n</tool_call>\n<tool_call>{"name": "b"'
    assert count_stray_blocks(two) == 2
    # the other local dialects leave their own opening before a cut-off call
    for cut in (
        "Sure.\n<start_function_call>call:ship_parcel{to_city:<escape>Os",
        '[TOOL_CALLS][{"name": "ship_parcel", "arguments": {"to_ci',
        '<|python_tag|>{"name": "ship_parcel", "parameters": {"to_ci',
    ):
        assert count_stray_blocks(cut) == 1, cut
        # where no call is right, an attempt cut off is still a call
        none = Case("n", [{"role": "user", "content": "hi"}], [], [])
        assert check_reply(none, [], count_stray_blocks(cut)).reason == "wrong_count"


def test_every_dialects_cut_off_call_is_stray() -> None:
    """A call as each dialect writes it, cut off mid-way, counts as one attempt: a dialect
    left out of the stray detection (a new one included) fails here."""
    from assistant.eval.tools import count_stray_blocks
    from assistant.llm.base import ToolCall
    from assistant.llm.dialects import DIALECTS

    for dialect in DIALECTS.values():
        call = dialect.render_call(ToolCall(name="ship_parcel", arguments={"to_city": "Oslo"}))
        if not dialect.call_open:  # Llama 3 renders a bare object; the model opens with a tag
            call = dialect.open_markers[0] + call
        cut = "Sure.\n" + call[: len(call) // 2]
        assert count_stray_blocks(cut) == 1, (dialect.name, cut)


def _agent_case(tmp: Path, name: str, arguments: dict[str, list]) -> Case:
    from assistant.tools import default_tools

    raw = {
        "id": "a1",
        "messages": [{"role": "user", "content": "x"}],
        "tools": [t.spec() for t in default_tools()],
        "expected": [{"name": name, "arguments": arguments}],
    }
    path = tmp / "agent.jsonl"
    path.write_text(json.dumps(raw) + "\n")
    return load_cases(path)[0]


@pytest.mark.parametrize(
    ("name", "expected", "right", "wrong_case"),
    [
        (
            "write_file",
            {"path": ["settings.ini"], "content": ["PORT = 9090\n"]},
            {"path": "settings.ini", "content": "PORT = 9090"},
            {"path": "settings.ini", "content": "port = 9090\n"},
        ),
        (
            "write_file",
            {"path": ["README.md"], "content": ["hi"]},
            {"path": "README.md", "content": "hi"},
            {"path": "readme.md", "content": "hi"},
        ),
        (
            "edit_file",
            {"path": ["app.py"], "old_text": ["DEBUG = True"], "new_text": ["DEBUG = False"],
             "replace_all": [""]},
            {"path": "app.py", "old_text": "DEBUG = True", "new_text": "DEBUG = False"},
            {"path": "app.py", "old_text": "DEBUG = True", "new_text": "debug = false"},
        ),
        (
            "grep",
            {"pattern": ["TODO"], "path": ["", "."], "glob": [""], "ignore_case": [""],
             "max_results": [""]},
            {"pattern": "TODO"},
            {"pattern": "todo"},
        ),
        (
            "run_shell",
            {"command": ["git diff HEAD"], "timeout": [""]},
            {"command": "git diff HEAD"},
            {"command": "git diff head"},
        ),
    ],
)  # fmt: skip
def test_file_contents_paths_and_commands_must_match_case(
    tmp_path: Path, name: str, expected: dict, right: dict, wrong_case: dict
) -> None:
    """``PORT = 9090`` written as ``port = 9090`` is another file; city names are not."""
    c = _agent_case(tmp_path, name, expected)
    assert check_reply(c, [Call(name, right)]).passed
    verdict = check_reply(c, [Call(name, wrong_case)])
    assert (verdict.passed, verdict.reason) == (False, "wrong_value"), verdict


def test_exact_arguments_name_the_agents_real_parameters() -> None:
    from assistant.eval.checker import EXACT_ARGUMENTS
    from assistant.tools import default_tools

    params = {t.name: set(t.parameters["properties"]) for t in default_tools()}
    for tool, names in EXACT_ARGUMENTS.items():
        assert names <= params.get(tool, set()), tool
