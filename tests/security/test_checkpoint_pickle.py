"""A run folder from elsewhere: resuming it must not unpickle code from its checkpoint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from assistant.training.train import TrainError, latest_checkpoint, load_checkpoint  # noqa: E402


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_checkpoint_that_would_run_code_is_refused(tmp_path: Path) -> None:
    from safetensors.torch import save_file

    marker = tmp_path / "ran"
    step = tmp_path / "run" / "checkpoints" / "step-00000001"
    step.mkdir(parents=True)
    save_file({}, str(step / "trainable.safetensors"))
    torch.save({"optimizer": _RunsCode(marker)}, step / "trainer_state.pt")
    (step / "state.json").write_text("{}")
    found = latest_checkpoint(tmp_path / "run")
    assert found == step
    with pytest.raises(TrainError, match="would run code when loaded"):
        load_checkpoint(found, torch.nn.Linear(1, 1), None, None)
    assert not marker.exists()
