"""notebooks/train_colab.ipynb runs headless (nbclient) with a tiny configuration:
Colab-only cells skip themselves, training and export run for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.records import write_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_colab_notebook_runs_headless(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="the dev extra installs nbformat")
    from nbclient import NotebookClient

    data = write_dataset(tmp_path / "data", 6, 2, tools=False)
    out = tmp_path / "run"
    for key, value in {
        "ASSISTANT_NOTEBOOK_DATA": str(data),
        "ASSISTANT_NOTEBOOK_OUT": str(out),
        "ASSISTANT_NOTEBOOK_MAX_STEPS": "1",
        "ASSISTANT_NOTEBOOK_BATCH": "2",
        "ASSISTANT_NOTEBOOK_QUANT": "q8_0",
        "OMP_WAIT_POLICY": "PASSIVE",
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(ROOT),
    }.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(ROOT / "notebooks" / "train_colab.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    text = "\n".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "skipped (not Colab)" in text
    assert "method=lora" in text  # no CUDA here: the notebook falls back from QLoRA
    assert (out / "adapter" / "adapter_model.safetensors").is_file()
    assert (out / "model-q8_0.gguf").stat().st_size > 50_000_000
    assert (out / "adapter.gguf").is_file()
    assert "teacher-forced agreement" in text
