"""`make model`: the project's own pipeline, end to end, offline.

    for each stage: distill (scripted teacher) → train (LoRA, from the stage before)
    → export (LoRA GGUF) → ship the adapter → eval base and tuned (tools and agent)
    → comparison table, plot, model card

Stage 1 is the catalogue, its abstentions and workspace tasks; stage 2 adds drawn
service APIs, parallel calls and direct tool requests; stage 3 adds record-keeping
actions, vague workspace requests and coding questions; stage 4 brings back the
workspace tasks (files, shell, refactors, running code) stages 2 and 3 left out; stage 5
adds hand-written services of many shapes (`assistant/distill/written`); stage 6, at a
fifth of the learning rate, adds two-step chains and file edits the request states in
full. Later stages replay earlier categories so the skills learnt first stay.

Each step is the user-facing `assistant` command, run as a subprocess, so what this
script does is what a user can do by hand. `--tiny` runs the same steps on a few records
and steps (the test suite does that); `--ship` copies the adapter and its card into
`assistant/llm/tuned/`, which is what `make run` then starts with.

`--train-only` stops after the stages' training: run it where a GPU is (with the
distilled data copied there), bring the run directories back, and run the script again
without it to export, evaluate and write the card (finished stages are not trained again).

Usage: python scripts/make_model.py [--out build/model] [--stages N] [--eval-limit N]
       [--ship] [--tiny] [--train-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TUNED_DIR = ROOT / "assistant" / "llm" / "tuned"
GENERATION = {"max_tokens": 512, "repeat_penalty": 1.0}
"""Sampling settings shipped in the card (measured in the README: a repeat penalty above
1.0 turns identifiers copied from a tool result into near misses, e.g. ``area_of-disc``)."""


@dataclass(frozen=True)
class Stage:
    """One distill → train step; each stage after the first starts from the one before."""

    data: str
    run: str
    records: int
    seed: int
    categories: str
    mix: str
    config: Path


STAGE3_CATEGORIES = (
    "functions,services,services_parallel,records,near_miss,missing_value,knowledge,chat,"
    "services_near,services_other,services_missing,services_unrelated,records_missing,"
    "agent_missing,coding_answers,direct_tools,direct_lookup,code_search,testing"
)
STAGE4_CATEGORIES = STAGE3_CATEGORIES + ",file_ops,shell,refactoring,code_exec,debugging"
STAGE5_CATEGORIES = (
    STAGE4_CATEGORIES + ",written,written_near,written_other,written_missing,written_unrelated"
)
STAGES = (
    # the catalogue, its abstentions and workspace tasks
    Stage("data", "run", 3000, 7,
          "chat,code_exec,code_search,debugging,documentation,explain,file_ops,functions,git,"
          "knowledge,missing_value,near_miss,recovery,refactoring,shell,testing",
          "call=0.3,abstain=0.4,agent=0.3", ROOT / "examples" / "tuned-default.yaml"),
    # drawn service APIs, parallel calls, direct tool requests; stage-1 categories replayed
    Stage("data2", "stage2", 2000, 8,
          "functions,services,services_parallel,near_miss,missing_value,knowledge,services_near,"
          "services_other,services_missing,services_unrelated,direct_tools,code_search,testing,"
          "debugging",
          "call=0.45,abstain=0.37,agent=0.18", ROOT / "examples" / "tuned-default-stage2.yaml"),
    # what stage 2 still got wrong: record-keeping shapes, vague requests, coding questions
    Stage("data3", "stage3", 2400, 9, STAGE3_CATEGORIES,
          "call=0.38,abstain=0.40,agent=0.22", ROOT / "examples" / "tuned-default-stage3.yaml"),
    # the workspace tasks stages 2 and 3 left out, beside stage 3's calls and abstentions
    Stage("data4", "stage4", 1200, 12, STAGE4_CATEGORIES,
          "call=0.33,abstain=0.37,agent=0.30", ROOT / "examples" / "tuned-default-stage4.yaml"),
    # hand-written services of many shapes, their calls and abstentions, beside stage 4's
    Stage("data5", "stage5", 1600, 13, STAGE5_CATEGORIES,
          "call=0.40,abstain=0.38,agent=0.22", ROOT / "examples" / "tuned-default-stage5.yaml"),
    # two-step chains and file edits stated in full, gently, with more abstentions
    Stage("data6", "stage6", 1200, 18, STAGE5_CATEGORIES + ",chains,file_edits",
          "call=0.32,abstain=0.43,agent=0.25", ROOT / "examples" / "tuned-default-stage6.yaml"),
)  # fmt: skip
MODEL_NAME = "smollm2-135m-tools"
TINY_CONFIG = """\
method: lora
lora_r: 4
lora_alpha: 8
lora_target_modules: [q_proj, v_proj]
lora_layers: 2
learning_rate: 0.001
lr_scheduler_type: constant
warmup_steps: 0
per_device_train_batch_size: 2
max_steps: 2
max_length: 2560
eval_steps: 0
max_eval_samples: 2
save_steps: 0
plot: false
"""


def run(cmd: list[str], log: list[dict[str, Any]], env: dict[str, str] | None = None) -> float:
    """Run one pipeline step, echoing the command; returns its wall time in seconds."""
    print("+ " + shlex.join(cmd), file=sys.stderr, flush=True)
    started = time.monotonic()
    subprocess.run(cmd, check=True, env=env)
    seconds = round(time.monotonic() - started, 1)
    log.append({"command": shlex.join(cmd), "seconds": seconds})
    return seconds


def run_parallel(
    cmds: list[list[str]], log: list[dict[str, Any]], env: dict[str, str] | None = None
) -> None:
    """Run pipeline steps two at a time (one per core), in the order given (longest first
    keeps both cores busy to the end); fail if any of them fails."""

    def one(cmd: list[str]) -> tuple[int, float]:
        print("+ " + shlex.join(cmd) + " &", file=sys.stderr, flush=True)
        started = time.monotonic()
        code = subprocess.run(cmd, env=env).returncode
        return code, round(time.monotonic() - started, 1)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, cmds))
    log.extend(
        {"command": shlex.join(c), "seconds": sec, "parallel": True}
        for c, (_code, sec) in zip(cmds, results, strict=True)
    )
    for cmd, (code, _sec) in zip(cmds, results, strict=True):
        if code != 0:
            raise subprocess.CalledProcessError(code, cmd)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "model")
    parser.add_argument(
        "--stages", type=int, default=len(STAGES), help="Run only the first N stages."
    )
    parser.add_argument("--eval-limit", type=int, default=None, help="Cases per eval run.")
    parser.add_argument("--agent-limit", type=int, default=None, help="Agent tasks per run.")
    parser.add_argument("--tuned-dir", type=Path, default=TUNED_DIR)
    parser.add_argument("--ship", action="store_true", help="Install the adapter for make run.")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument(
        "--train-only",
        action="store_true",
        help="Distill and train the stages, then stop; a later run without it finishes "
        "(export, eval, card) and trains no finished stage again: train on a GPU machine, "
        "finish here.",
    )
    parser.add_argument(
        "--calibrate-limit", type=int, default=120, help="Held-out turns for the threshold."
    )
    parser.add_argument(
        "--call-threshold",
        choices=("none", "calibrated"),
        default="none",
        help="Ship the calibrated call threshold in the card, or let the model's own "
        "choice at the branch point decide (the default: on the unseen services "
        "of eval/tools the threshold calibrated on the distill split made it over-call).",
    )
    parser.add_argument("--tiny", action="store_true", help="A few records and steps (tests).")
    args = parser.parse_args(argv)

    exe = [sys.executable, "-m", "assistant.cli"]
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    stages = STAGES[: max(1, min(args.stages, len(STAGES)))]
    if args.tiny:
        tiny = out / "tiny.yaml"
        tiny.write_text(TINY_CONFIG)
        stages = tuple(replace(st, records=min(st.records, 12), config=tiny) for st in stages)
    steps: list[dict[str, Any]] = []

    adapter = out / f"{MODEL_NAME}.lora.gguf"
    previous: Path | None = None
    for stage in stages:
        data, run_dir = out / stage.data, out / stage.run
        distill(exe, data, stage, steps)
        init = ["--init-from", str(previous)] if previous else []
        train(exe, data, run_dir, stage.config, init, steps)
        previous = run_dir
    if args.train_only:
        print(json.dumps({"steps": steps}, indent=2))
        return 0
    last_data, last_run = out / stages[-1].data, out / stages[-1].run
    run([*exe, "export", "--adapter", str(last_run), "--format", "lora-gguf",
         "--out", str(adapter), "--no-alias"], steps)  # fmt: skip

    card = build_card(out, stages, adapter, steps)
    # The adapter is evaluated where `--model local` finds it: the shipped place with
    # --ship, else a directory of this run's own (never the adapter shipped before).
    tuned_dir: Path = args.tuned_dir if args.ship or args.tiny else out / "tuned"
    tuned_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(adapter, tuned_dir / "adapter.gguf")
    write_json(tuned_dir / "model.json", card)
    env = {**os.environ, "ASSISTANT_TUNED_DIR": str(tuned_dir)}

    threshold = args.call_threshold == "calibrated"
    calibration = calibrate_command(exe, out, last_data, args, alone=threshold)
    jobs = [] if args.skip_eval else eval_commands(exe, out, args)
    if threshold:  # the tuned evals run with it
        run(calibration, steps, env=env)
        card["calibration"] = calibration_of(out)
        card["generation"]["call_threshold"] = card["calibration"]["threshold"]
        write_json(tuned_dir / "model.json", card)
    else:  # the card only records it: it runs beside the evals
        jobs.insert(2, calibration)
    run_parallel(jobs, steps, env=env)
    if not threshold:
        card["calibration"] = calibration_of(out)
    if not args.skip_eval:
        card["eval"] = {
            label: {kind: summary_of(out / f"eval-{kind}-{label}.json") for kind in KINDS}
            for label in MODELS
        }
        run([*exe, "eval", "tools", "--compare", str(out / "eval-tools-base.json"),
             str(out / "eval-tools-tuned.json"), "--plot", str(out / "eval-tools.png")], steps)  # fmt: skip
    write_json(tuned_dir / "model.json", card)
    write_json(out / "model.json", card)
    print(json.dumps({"steps": steps}, indent=2))
    return 0


def distill_command(stage: Stage) -> list[str]:
    return ["distill", "--provider", "scripted", "-n", str(stage.records), "--seed",
            str(stage.seed), "--categories", stage.categories, "--task-mix", stage.mix]  # fmt: skip


def distill(exe: list[str], data: Path, stage: Stage, steps: list[dict[str, Any]]) -> None:
    """Distill a stage's data, or finish a distill that stopped short; a finished one, or
    records copied in without distill's metadata (--train-only elsewhere), are kept. An
    interrupted or exhausted distill writes train.jsonl too, but its metadata is not done."""
    meta = data / "metadata.json"
    if not meta.is_file() and (data / "train.jsonl").is_file():
        return
    if meta.is_file() and json.loads(meta.read_text()).get("status") == "done":
        return
    resume = ["--resume"] if (data / "checkpoint.json").is_file() else []
    run([*exe, *distill_command(stage), "-o", str(data), "--yes", *resume], steps)


def train(
    exe: list[str],
    data: Path,
    run_dir: Path,
    config: Path,
    extra: list[str],
    steps: list[dict[str, Any]],
) -> None:
    """Train (or finish an interrupted run); a finished run is kept as it is."""
    if (run_dir / "summary.json").is_file():
        return
    if (run_dir / "config.yaml").is_file():
        extra = ["--resume"]
    run([*exe, "train", "--data", str(data), "--out", str(run_dir),
         "--config", str(config), *extra], steps)  # fmt: skip


def calibrate_command(
    exe: list[str], out: Path, data: Path, args: argparse.Namespace, alone: bool
) -> list[str]:
    """The call threshold chosen on the last stage's validation split (with its table);
    one llama.cpp thread unless it runs alone."""
    # A tiny run's validation split may hold a single record: it calibrates on its train split.
    held_out = data / ("train.jsonl" if args.tiny else "val.jsonl")
    limit = "6" if args.tiny else str(args.calibrate_limit)
    return [*exe, "eval", "calibrate", "--model", "local", "--data", str(held_out),
            "--limit", limit, *([] if alone else ["--threads", "1"]),
            "--output", str(out / "calibration.json")]  # fmt: skip


def calibration_of(out: Path) -> dict[str, Any]:
    measured = json.loads((out / "calibration.json").read_text())
    keep = ("data", "n_turns", "n_call_turns", "threshold", "call_recall", "abstain_recall",
            "balanced", "table")  # fmt: skip
    return {k: measured[k] for k in keep if k in measured}


MODELS = {"base": "base", "tuned": "local"}
KINDS = ("tools", "agent")


def eval_commands(exe: list[str], out: Path, args: argparse.Namespace) -> list[list[str]]:
    """Base and tuned on eval/tools and eval/agent, one llama.cpp thread each (on two
    cores two runs side by side beat one after the other with two threads), the
    longest first."""
    limits = {
        "tools": ["--limit", str(args.eval_limit)] if args.eval_limit else [],
        "agent": ["--limit", str(args.agent_limit)] if args.agent_limit else [],
    }
    order = (("tuned", "agent"), ("tuned", "tools"), ("base", "tools"), ("base", "agent"))
    return [
        [*exe, "eval", kind, "--model", MODELS[label], "--threads", "1",
         "--output", str(out / f"eval-{kind}-{label}.json"), *limits[kind]]
        for label, kind in order
    ]  # fmt: skip


def summary_of(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    keep = ("n_cases", "accuracy", "call_accuracy", "abstain_accuracy", "well_formed_rate",
            "categories", "failure_reasons", "pass_rate", "n_tasks", "wall_s")  # fmt: skip
    return {k: data[k] for k in keep if k in data}


def build_card(
    out: Path, stages: tuple[Stage, ...], adapter: Path, steps: list[dict[str, Any]]
) -> dict[str, Any]:
    """The model card: base, generation settings, and per stage its data and training."""
    base = json.loads((out / stages[0].run / "base.json").read_text())
    return {
        "name": MODEL_NAME,
        "description": "SmolLM2-135M-Instruct + the project's tool-use LoRA (make model)",
        "quant": "q8_0",
        "keep_unchanged_tensors": True,
        "base": {"spec": base.get("spec"), "sha256": base.get("sha256")},
        "adapter_sha256": sha256(adapter),
        "generation": dict(GENERATION),
        "stages": [
            stage_card(out / st.data, out / st.run, shlex.join(["assistant", *distill_command(st)]))
            for st in stages
        ],
        "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pipeline": steps,
    }


def stage_card(data: Path, run_dir: Path, command: str) -> dict[str, Any]:
    meta = json.loads((data / "metadata.json").read_text())
    base = json.loads((run_dir / "base.json").read_text())
    return {
        "distill": {
            "command": command,
            "records": {k: meta[k] for k in ("records", "counts", "status") if k in meta},
        },
        "training": {
            "config": (run_dir / "config.yaml").read_text(),
            "init_from": base.get("init_from"),
            "summary": json.loads((run_dir / "summary.json").read_text()),
        },
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
