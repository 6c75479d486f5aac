"""`make model` at a tiny scale: distill → train → export → ship → eval, the same code path
(trained by one run with --train-only, finished by a second)."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_model.py"


def load_script() -> SimpleNamespace:
    return SimpleNamespace(**runpy.run_path(str(SCRIPT), run_name="make_model"))


def small_stage(mm: SimpleNamespace, data: str = "data") -> Any:
    """A stage of a few call and abstain records: no sandbox, a second or two to distill."""
    return mm.Stage(data, "run", 6, 7, "functions,near_miss,missing_value",
                    "call=0.5,abstain=0.5,agent=0", SCRIPT)  # fmt: skip


def test_an_interrupted_distill_is_resumed_not_trained_on(tmp_path: Path) -> None:
    mm = load_script()
    exe, stage, data = [sys.executable, "-m", "assistant.cli"], small_stage(mm), tmp_path / "data"
    steps: list[dict[str, Any]] = []
    mm.distill(exe, data, stage, steps)
    assert json.loads((data / "metadata.json").read_text())["status"] == "done"
    mm.distill(exe, data, stage, steps)
    assert len(steps) == 1  # a finished distill is kept

    # What an interrupted run leaves: train.jsonl written, its status not done.
    for name in ("metadata.json", "checkpoint.json"):
        state = json.loads((data / name).read_text())
        (data / name).write_text(json.dumps({**state, "status": "interrupted"}))
    mm.distill(exe, data, stage, steps)
    assert len(steps) == 2 and steps[1]["command"].endswith("--resume")
    assert json.loads((data / "metadata.json").read_text())["status"] == "done"

    copied = tmp_path / "copied"  # records brought in by hand: no metadata, kept as they are
    copied.mkdir()
    (copied / "train.jsonl").write_bytes((data / "train.jsonl").read_bytes())
    mm.distill(exe, copied, stage, steps)
    assert len(steps) == 2 and sorted(p.name for p in copied.iterdir()) == ["train.jsonl"]


def test_the_stage_card_counts_the_records_distill_wrote(tmp_path: Path) -> None:
    mm = load_script()
    data, run_dir = tmp_path / "data", tmp_path / "run"
    mm.distill([sys.executable, "-m", "assistant.cli"], data, small_stage(mm), [])
    run_dir.mkdir()  # what training leaves there, as far as the card reads it
    (run_dir / "base.json").write_text("{}")
    (run_dir / "config.yaml").write_text("method: lora\n")
    (run_dir / "summary.json").write_text('{"steps": 2}')

    records = mm.stage_card(data, run_dir, "assistant distill")["distill"]["records"]
    counts = records["records"]
    assert counts["total"] == counts["this_run"] == counts["train"] + counts["val"] == 6
    assert records["status"] == "done"
    assert sum(records["counts"]["per_category"].values()) == 6


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.timeout(1600)
def test_the_whole_loop_runs_and_its_adapter_loads_as_the_tuned_default(tmp_path: Path) -> None:
    out, tuned_dir = tmp_path / "model", tmp_path / "tuned"
    cmd = [
        sys.executable, str(SCRIPT), "--tiny", "--out", str(out), "--tuned-dir", str(tuned_dir),
        "--eval-limit", "2", "--agent-limit", "1", "--call-threshold", "calibrated",
    ]  # fmt: skip

    # Trained first with --train-only (as on a GPU machine), then finished by a second run
    # that must not train any finished stage again.
    subprocess.run([*cmd, "--train-only"], check=True, timeout=1000, cwd=tmp_path)
    runs = ["run", "stage2", "stage3", "stage4", "stage5", "stage6"]
    trained = {run: (out / run / "summary.json").read_bytes() for run in runs}
    assert not (tuned_dir / "adapter.gguf").exists() and not list(out.glob("eval-*"))
    subprocess.run(cmd, check=True, timeout=1000, cwd=tmp_path)
    assert {run: (out / run / "summary.json").read_bytes() for run in runs} == trained

    assert sum(1 for _ in (out / "data" / "train.jsonl").open()) >= 8
    assert json.loads((out / "run" / "summary.json").read_text())["steps"] == 2
    assert sum(1 for _ in (out / "data2" / "train.jsonl").open()) >= 8
    stage2 = json.loads((out / "stage2" / "base.json").read_text())
    assert Path(stage2["init_from"]["run"]) == (out / "run").resolve()
    assert (tuned_dir / "adapter.gguf").stat().st_size > 0
    card = json.loads((tuned_dir / "model.json").read_text())
    assert 0.0 < card["generation"]["call_threshold"] < 1.0
    assert card["calibration"]["threshold"] == card["generation"]["call_threshold"]
    assert json.loads((out / "calibration.json").read_text())["n_turns"] >= 2
    assert card["base"]["sha256"]
    assert [st["training"]["summary"]["steps"] for st in card["stages"]] == [2, 2, 2, 2, 2, 2]
    for before, stage in (
        ("stage2", "stage3"),
        ("stage3", "stage4"),
        ("stage4", "stage5"),
        ("stage5", "stage6"),
    ):
        record = json.loads((out / stage / "base.json").read_text())
        assert Path(record["init_from"]["run"]) == (out / before).resolve()
    assert card["stages"][1]["training"]["init_from"]["adapter_sha256"]
    assert "--categories" in card["stages"][1]["distill"]["command"]
    for label in ("base", "tuned"):
        tools = card["eval"][label]["tools"]
        assert tools["n_cases"] == 2 and 0.0 <= tools["accuracy"] <= 1.0
    tuned_result = json.loads((out / "eval-tools-tuned.json").read_text())
    assert Path(tuned_result["model_path"]).name.startswith("smollm2-135m-tools-")
    assert tuned_result["settings"]["call_threshold"] == card["generation"]["call_threshold"]
    assert (out / "eval-tools.png").stat().st_size > 0
