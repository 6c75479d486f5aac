"""``assistant eval calibrate``: branch points from held-out records, the threshold choice,
user errors, and one real run on the default model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.eval.calibrate import (
    BranchPoint,
    CalibrationError,
    Scored,
    branch_points,
    choose_threshold,
    operating_point,
)

runner = CliRunner()

TOOL = {
    "type": "function",
    "function": {
        "name": "read_file",
        "description": "Read a file.",
        "parameters": {
            "type": "object",
            "properties": {"path": {"type": "string"}},
            "required": ["path"],
        },
    },
}


def _record(rid: str, *, call: bool) -> dict:
    messages: list[dict] = [{"role": "user", "content": f"Question {rid}"}]
    if call:
        messages += [
            {"role": "assistant", "content": "", "tool_calls": [
                {"id": "c1", "type": "function",
                 "function": {"name": "read_file", "arguments": '{"path": "a.py"}'}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "read_file", "content": "x = 1"},
        ]  # fmt: skip
    messages.append({"role": "assistant", "content": "The answer."})
    return {"id": rid, "messages": messages, "tools": [TOOL], "meta": {}}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _scored(pairs: list[tuple[float, bool]]) -> list[Scored]:
    return [Scored(BranchPoint(str(i), [], [TOOL], calls), p) for i, (p, calls) in enumerate(pairs)]


def test_every_assistant_turn_is_a_branch_point_labelled_by_its_call(tmp_path: Path) -> None:
    path = _write(tmp_path / "val.jsonl", [_record("a", call=True), _record("b", call=False)])

    points = branch_points(path)

    assert [(p.record_id, p.calls, len(p.messages)) for p in points] == [
        ("a", True, 1),  # before the call: the user's question
        ("a", False, 3),  # after the tool result: the answer
        ("b", False, 1),
    ]
    assert points[1].messages[-1].role == "tool"


@pytest.mark.parametrize("limit", [2, 5, 6, 9])
def test_the_limit_spreads_over_call_and_other_turns_alike(tmp_path: Path, limit: int) -> None:
    # 5 call turns among 15: an even spread over all of them can pick no call turn at all.
    records = [_record(str(i), call=i % 2 == 0) for i in range(10)]
    points = branch_points(_write(tmp_path / "val.jsonl", records), limit=limit)
    assert len(points) == limit
    n_calls = sum(p.calls for p in points)
    assert 1 <= n_calls <= limit - 1
    assert abs(n_calls - limit / 3) <= 1
    order = [(int(p.record_id), len(p.messages)) for p in points]
    assert order == sorted(order)


def test_the_threshold_separates_calls_from_the_rest_when_it_can() -> None:
    scored = _scored([(0.9, True), (0.7, True), (0.4, False), (0.1, False), (0.05, False)])

    best = choose_threshold(scored)

    assert 0.4 < best.threshold < 0.7
    assert (best.call_recall, best.abstain_recall) == (1.0, 1.0)


def test_an_overlap_is_resolved_by_balanced_accuracy() -> None:
    # One no-call turn at 0.8 sits above one call turn: at best one of the two is wrong.
    scored = _scored([(0.9, True), (0.6, True), (0.8, False), (0.2, False), (0.1, False)])

    best = choose_threshold(scored)

    assert best.balanced == pytest.approx(max(
        operating_point(scored, t).balanced for t in (0.05, 0.15, 0.4, 0.7, 0.85, 0.95)
    ))  # fmt: skip
    assert best.balanced == pytest.approx((1.0 + 2 / 3) / 2)
    assert operating_point(scored, 0.5).abstain_recall == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (None, "No validation records at"),
        ([_record("a", call=False)], "needs turns with and without tool calls"),
        ("not json\n", "is not a dataset record"),
        ('["a list"]\n', "is not a dataset record"),
        ('{"tools": [{}], "messages": ["a string"]}\n', "is not a dataset record"),
    ],
)
def test_user_errors(tmp_path: Path, records: object, message: str) -> None:
    path = tmp_path / "val.jsonl"
    if isinstance(records, str):
        path.write_text(records)
    elif records is not None:
        _write(path, records)  # type: ignore[arg-type]
    out = tmp_path / "cal.json"

    result = runner.invoke(app, ["eval", "calibrate", "--data", str(path), "-o", str(out)])

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()
    with pytest.raises(CalibrationError):
        branch_points(path)


@pytest.mark.slow
def test_a_real_calibration_writes_the_threshold(tmp_path: Path) -> None:
    records = [_record(str(i), call=i % 2 == 0) for i in range(4)]
    data = _write(tmp_path / "val.jsonl", records)
    out = tmp_path / "cal.json"

    result = runner.invoke(
        app, ["eval", "calibrate", "--model", "base", "--data", str(data), "-o", str(out)]
    )

    assert result.exit_code == 0, result.output
    saved = json.loads(out.read_text())
    assert saved["n_turns"] == 6 and saved["n_call_turns"] == 2
    assert 0.0 < saved["threshold"] < 1.0
    assert all(0.0 <= p <= 1.0 for _, _, p in saved["scores"])
    assert len({p for _, _, p in saved["scores"]}) > 1
    assert "(chosen)" in result.output


@pytest.mark.slow
def test_ctrl_c_says_how_far_it_got_and_saves_nothing(tmp_path: Path) -> None:
    """It used to exit 130 without a word; a real SIGINT once the first turns are measured."""
    import os
    import signal
    import subprocess
    import sys
    import time

    records = [_record(str(i), call=i % 2 == 0) for i in range(60)]
    data = _write(tmp_path / "val.jsonl", records)
    out = tmp_path / "cal.json"
    cli = str(Path(sys.executable).with_name("assistant"))
    argv = [cli, "eval", "calibrate", "--model", "base"]
    proc = subprocess.Popen(
        [*argv, "--data", str(data), "-o", str(out)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        text=True,
    )
    assert proc.stderr is not None
    end = time.monotonic() + 300
    seen = ""
    while " done, measuring" not in seen:  # one line each 5% of the turns
        line = proc.stderr.readline()
        assert line or proc.poll() is None, seen[-2000:]
        assert time.monotonic() < end, "no turn measured after 300 s"
        seen += line
    proc.send_signal(signal.SIGINT)
    err = seen + proc.stderr.read()
    assert proc.wait(60) == 130, err[-2000:]
    assert "Traceback" not in err, err[-3000:]
    text = " ".join(err.split())
    assert "Interrupted after " in text and " of 90 turns; nothing saved" in text, text[-2000:]
    assert not out.exists()
