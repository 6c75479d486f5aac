"""Where `assistant train` runs: LoRA and full on the CUDA GPU when there is one, QLoRA
(4-bit base, bitsandbytes) only there, and the CPU when asked. The GPU tests are skipped
where torch sees no CUDA device (CI has none); run them on a GPU machine."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from assistant.training.cli import mount
from tests.training.records import write_run_inputs

torch = pytest.importorskip("torch")

HAS_CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="no CUDA GPU on this machine")

# `assistant train` alone (what a GPU machine needs to install), not the whole CLI.
app = typer.Typer()
mount(app)

# Twelve steps of four over eight records: six epochs, enough to learn them.
CONFIG = """\
max_steps: 12
per_device_train_batch_size: 4
save_steps: 6
eval_steps: 0
max_eval_samples: 2
learning_rate: 3.0e-3
lr_scheduler_type: constant
warmup_steps: 0
lora_r: 8
seed: 5
plot: false
"""
LEARNING_RATE = {"lora": "3e-3", "qlora": "3e-3", "full": "1e-4"}


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    return write_run_inputs(tmp_path, 8, 2, CONFIG)


def _train(small: tuple[Path, Path], out: Path, *flags: str) -> dict:
    data, config = small
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(out), "--config", str(config), *flags]
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "summary.json").read_text())


def _learned(out: Path) -> bool:
    rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in rows if "loss" in r]
    return len(losses) == 12 and sum(losses[-4:]) < 0.5 * sum(losses[:4])


def _lora_b_norm(out: Path) -> float:
    from safetensors.torch import load_file

    weights = load_file(str(out / "adapter" / "adapter_model.safetensors"))
    return sum(float(w.float().norm()) for k, w in weights.items() if "lora_B" in k)


@pytest.mark.slow
def test_device_cpu_trains_on_the_cpu(small, tmp_path):
    summary = _train(small, tmp_path / "cpu", "--device", "cpu", "--max-steps", "2")
    assert summary["device"] == "cpu" and summary["steps"] == 2
    assert _lora_b_norm(tmp_path / "cpu") > 0  # B starts at zero: the steps changed it


@pytest.mark.skipif(HAS_CUDA, reason="this machine has a CUDA GPU")
def test_device_cuda_without_a_gpu_is_one_sentence(small, tmp_path):
    data, _ = small
    result = CliRunner().invoke(
        app,
        ["train", "--data", str(data), "--out", str(tmp_path / "g"), "--device", "cuda"],
    )
    assert result.exit_code == 1
    assert "device is cuda but this machine has no CUDA GPU" in result.output
    assert not (tmp_path / "g").exists()


@pytest.mark.gpu
@needs_cuda
@pytest.mark.parametrize("method", ["lora", "full"])
def test_lora_and_full_train_on_the_gpu_by_default(small, tmp_path, method):
    out = tmp_path / method
    summary = _train(small, out, "--method", method, "--lr", LEARNING_RATE[method])
    assert summary["device"] == torch.cuda.get_device_name() and summary["steps"] == 12
    assert _learned(out)
    if method == "lora":
        assert _lora_b_norm(out) > 0


@pytest.mark.gpu
@needs_cuda
@pytest.mark.skipif(
    importlib.util.find_spec("bitsandbytes") is None, reason="QLoRA needs bitsandbytes"
)
def test_qlora_trains_a_4bit_base_on_the_gpu(small, tmp_path):
    out = tmp_path / "qlora"
    summary = _train(small, out, "--method", "qlora", "--lr", LEARNING_RATE["qlora"])
    assert summary["device"] == torch.cuda.get_device_name() and summary["steps"] == 12
    assert _learned(out) and _lora_b_norm(out) > 0
    assert json.loads((out / "adapter" / "adapter_config.json").read_text())["r"] == 8


@pytest.mark.slow
@pytest.mark.skipif(HAS_CUDA, reason="this machine has a CUDA GPU")
def test_a_run_saved_with_device_cuda_goes_on_on_the_cpu_when_told(small, tmp_path):
    out = tmp_path / "moved"
    _train(small, out, "--device", "cpu", "--max-steps", "6")
    # As if the run had started on a GPU machine: its saved config says cuda.
    saved = out / "config.yaml"
    saved.write_text(saved.read_text().replace("device: cpu", "device: cuda"))
    data, _ = small
    resume = ["train", "--data", str(data), "--out", str(out), "--resume", "--max-steps", "8"]
    refused = CliRunner().invoke(app, resume)
    assert refused.exit_code == 1
    assert "device is cuda but this machine has no CUDA GPU" in refused.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["steps"] == 6
    moved = CliRunner().invoke(app, [*resume, "--device", "cpu"])
    assert moved.exit_code == 0, moved.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["steps"] == 8 and summary["device"] == "cpu"
