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


def _with_cases(path: Path, model: str, cases: list[tuple[str, str, bool, bool]]) -> Path:
    """A tools results file holding per-case results: (id, category, needs_call, passed)."""
    cats: dict[str, list[bool]] = {}
    for _id, cat, _needs, ok in cases:
        cats.setdefault(cat, []).append(ok)
    calls = [ok for _i, _c, needs, ok in cases if needs]
    abstentions = [ok for _i, _c, needs, ok in cases if not needs]
    data = {
        "kind": "tools",
        "model": model,
        "accuracy": round(sum(c[3] for c in cases) / len(cases), 4),
        "call_accuracy": round(sum(calls) / len(calls), 4),
        "abstain_accuracy": round(sum(abstentions) / len(abstentions), 4),
        "categories": {
            c: {"n": len(v), "passed": sum(v), "accuracy": round(sum(v) / len(v), 4)}
            for c, v in cats.items()
        },
        "cases": [
            {"id": i, "category": c, "needs_call": nc, "passed": ok} for i, c, nc, ok in cases
        ],
    }
    path.write_text(json.dumps(data))
    return path


def test_compare_pairs_the_cases_and_tests_the_flips(tmp_path: Path) -> None:
    # 12 call cases: B gains 10 that A failed and loses none; 4 abstentions: B gains 3
    # and loses 1. Exact McNemar: 2 / 2**10 for the calls, 2 * 5 / 16 for the abstentions.
    calls_a = [False] * 10 + [True, False]
    calls_b = [True] * 10 + [True, False]
    abst_a = [False, False, False, True]
    abst_b = [True, True, True, False]

    def cases(calls: list[bool], abst: list[bool]) -> list[tuple[str, str, bool, bool]]:
        return [(f"c{i}", "call_single", True, ok) for i, ok in enumerate(calls)] + [
            (f"n{i}", "no_call_near_miss", False, ok) for i, ok in enumerate(abst)
        ]

    a = _with_cases(tmp_path / "a.json", "before", cases(calls_a, abst_a))
    b = _with_cases(tmp_path / "b.json", "after", cases(calls_b, abst_b))
    result = runner.invoke(app, ["eval", "compare", str(a), str(b)], terminal_width=160)
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "+10 / -0" in rows["needs a call"] and "0.002" in rows["needs a call"]
    assert "+3 / -1" in rows["no call is right"] and "0.62" in rows["no call is right"]
    assert "+13 / -1" in rows["overall"]
    assert "B passes 13 that A fails and fails 1 that A passes" in result.output
    assert "less than 1 time in 20" in result.output

    # the other way round the flips swap sides
    back = runner.invoke(app, ["eval", "compare", str(b), str(a), "--markdown"])
    assert "| needs a call | 91.7% | 8.3% | -83.3 | +0 / -10 | 0.002 |" in back.output

    # the same ids under other categories: other data, which cannot be paired
    relabelled = _with_cases(
        tmp_path / "other.json",
        "other",
        [(i, "call_multiple", nc, ok) for i, _c, nc, ok in cases(calls_b, abst_b)],
    )
    other = runner.invoke(app, ["eval", "compare", str(a), str(relabelled)], terminal_width=160)
    assert other.exit_code == 0 and "flips" not in other.output
    assert "hold different cases" in other.output
    renamed = _with_cases(
        tmp_path / "renamed.json",
        "renamed",
        [(f"x-{i}", c, nc, ok) for i, c, nc, ok in cases(calls_b, abst_b)],
    )
    disjoint = runner.invoke(app, ["eval", "compare", str(a), str(renamed)], terminal_width=160)
    assert disjoint.exit_code == 0 and "hold different cases" in disjoint.output


def test_compare_of_near_identical_runs_reads_as_noise(tmp_path: Path) -> None:
    same = [(f"c{i}", "call_single", i < 10, i % 2 == 0) for i in range(20)]
    flipped = [(i, c, nc, (not ok) if i in ("c0", "c1") else ok) for i, c, nc, ok in same]
    a = _with_cases(tmp_path / "a.json", "a", same)
    b = _with_cases(tmp_path / "b.json", "b", flipped)
    result = runner.invoke(app, ["eval", "compare", str(a), str(b)], terminal_width=160)
    assert "B passes 1 that A fails and fails 1 that A passes" in result.output
    assert "(exact McNemar p = 1)" in result.output and "may be noise" in result.output


def test_compare_refuses_a_damaged_results_file_in_one_sentence(tmp_path: Path) -> None:
    good = _results(tmp_path / "good.json", "m", {"x": (2, 1)})
    damaged = {
        "list": {"accuracy": 0.5, "categories": []},
        "row": {"accuracy": 0.5, "categories": {"x": 1}},
        "rate": {"accuracy": "half", "categories": {"x": {"accuracy": 0.5}}},
        "cat_rate": {"accuracy": 0.5, "categories": {"x": {"accuracy": [1]}}},
        "cases": {"accuracy": 0.5, "categories": {"x": {"accuracy": 0.5}}, "cases": 5},
    }
    for name, data in damaged.items():
        bad = tmp_path / f"{name}.json"
        bad.write_text(json.dumps(data))
        for argv in ([str(good), str(bad)], [str(bad), str(good), "--markdown"]):
            result = runner.invoke(app, ["eval", "compare", *argv])
            assert result.exit_code == 1, (name, result.output)
            assert f"{bad} is damaged" in result.output, name
            assert "Traceback" not in result.output and result.output.count("error:") == 1


def test_compare_says_when_the_runs_are_not_alike(tmp_path: Path) -> None:
    """Other cases or other settings change the rates as much as another model does."""
    full = [(f"c{i}", "call_single", i % 3 != 1, i % 2 == 0) for i in range(10)]
    a = json.loads(_with_cases(tmp_path / "a.json", "a", full).read_text())
    a["settings"] = {"temperature": 0.0, "max_tokens": 128, "threads": 1, "limit": None}
    (tmp_path / "a.json").write_text(json.dumps(a))
    b = json.loads(_with_cases(tmp_path / "b.json", "b", full[:4]).read_text())
    b["settings"] = {"temperature": 0.7, "max_tokens": 128, "threads": 4, "limit": 4}
    (tmp_path / "b.json").write_text(json.dumps(b))
    result = runner.invoke(
        app, ["eval", "compare", str(tmp_path / "a.json"), str(b_path := tmp_path / "b.json")]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "the files hold different cases (A 10, B 4, 4 in both)" in out
    assert "other settings (temperature 0.0 against 0.7)" in out
    assert "threads" not in out.split("other settings")[1]

    # the same cases and settings: nothing to note
    same = runner.invoke(app, ["eval", "compare", str(b_path), str(b_path)])
    assert same.exit_code == 0 and "Note:" not in same.output

    # failures that are not the model's: a backend that failed on some cases
    errored = json.loads(b_path.read_text()) | {"n_cases": 4, "n_errors": 3}
    (tmp_path / "errored.json").write_text(json.dumps(errored))
    flaky = runner.invoke(app, ["eval", "compare", str(b_path), str(tmp_path / "errored.json")])
    assert "3 of 4 cases in B ended in an error" in " ".join(flaky.output.split())
    assert "in A ended" not in flaky.output

    # without per-case results the counts still tell
    for name, n in (("x", 491), ("y", 60)):
        _results(tmp_path / f"{name}.json", name, {"call_single": (n, 1)}, n_cases=n)
    counts = runner.invoke(
        app, ["eval", "compare", str(tmp_path / "x.json"), str(tmp_path / "y.json")]
    )
    assert "different numbers of cases (A 491, B 60)" in " ".join(counts.output.split())

    # an eval tools file against an eval agent file is refused
    agent = json.loads(b_path.read_text()) | {"kind": "agent"}
    (tmp_path / "agent.json").write_text(json.dumps(agent))
    mixed = runner.invoke(app, ["eval", "compare", str(b_path), str(tmp_path / "agent.json")])
    assert mixed.exit_code == 2, mixed.output
    assert "compare two files of the same kind" in mixed.output
