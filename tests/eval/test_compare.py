"""``--compare A.json B.json`` and ``--plot``: side by side, differences per category."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.eval.report import compare_rows

runner = CliRunner()


def _results(path: Path, model: str, cats: dict[str, tuple[int, int]], **extra: float) -> Path:
    total = sum(n for n, _ in cats.values())
    passed = sum(p for _, p in cats.values())
    data = {
        "kind": "tools",
        "model": model,
        "accuracy": round(passed / total, 4),
        "categories": {
            c: {"n": n, "passed": p, "accuracy": round(p / n, 4)} for c, (n, p) in cats.items()
        },
        **extra,
    }
    path.write_text(json.dumps(data))
    return path


def test_compare_prints_both_and_the_difference(tmp_path: Path) -> None:
    a = _results(
        tmp_path / "base.json",
        "SmolLM2-135M-Instruct",
        {"call_single": (10, 1), "no_call_near_miss": (8, 8)},
        call_accuracy=0.1,
        abstain_accuracy=1.0,
        well_formed_rate=None,
    )
    b = _results(
        tmp_path / "tuned.json",
        "smollm2-tuned",
        {"call_single": (10, 8), "no_call_near_miss": (8, 6), "agent_call": (4, 2)},
        call_accuracy=0.7143,
        abstain_accuracy=0.75,
        well_formed_rate=1.0,
    )
    png = tmp_path / "cmp.png"
    result = runner.invoke(
        app, ["eval", "tools", "--compare", str(a), str(b), "--plot", str(png)], terminal_width=140
    )
    assert result.exit_code == 0, result.output
    out = result.output
    for needle in (
        "SmolLM2-135M-Instruct",
        "smollm2-tuned",
        "call_single",
        "10.0%",
        "80.0%",
        "+70.0",
        "-25.0",
        "agent_call",
    ):
        assert needle in out, needle
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    rows = {
        label: (va, vb)
        for label, va, vb in compare_rows(json.loads(a.read_text()), json.loads(b.read_text()))
    }
    assert rows["agent_call"] == (None, 0.5)
    assert rows["overall"] == (0.5, round(16 / 22, 4))

    # the same through the compare command, with the files swapped
    swapped = runner.invoke(app, ["eval", "compare", str(b), str(a)], terminal_width=140)
    assert swapped.exit_code == 0 and "-70.0" in swapped.output
    md = runner.invoke(app, ["eval", "compare", str(a), str(b), "--markdown"])
    assert md.exit_code == 0
    assert "| call_single | 10.0% | 80.0% | +70.0 |" in md.output
    assert "| agent_call | n/a | 50.0% |  |" in md.output


def test_compare_rejects_a_file_that_is_not_results(tmp_path: Path) -> None:
    bad = tmp_path / "cases.jsonl"
    bad.write_text('{"id": 1}\n')
    good = _results(tmp_path / "a.json", "m", {"x": (1, 1)})
    result = runner.invoke(app, ["eval", "compare", str(good), str(bad)])
    assert result.exit_code == 1
    assert "not a readable JSON file" in result.output or "no accuracy" in result.output
    missing = runner.invoke(app, ["eval", "compare", str(good), str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
