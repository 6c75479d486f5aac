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


def test_a_checkpoint_the_trainer_wrote_loads_with_weights_only(tmp_path: Path) -> None:
    """What save_checkpoint writes (AdamW's and the schedule's state, the RNG) must stay
    loadable under weights_only, or --resume breaks: a fast round trip on a small model."""
    from assistant.training.config import TrainConfig
    from assistant.training.train import lr_lambda, save_checkpoint

    torch.manual_seed(0)
    model = torch.nn.Linear(4, 4)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(TrainConfig(), 10))
    model(torch.randn(2, 4)).sum().backward()
    optimizer.step()
    scheduler.step()
    step = save_checkpoint(tmp_path, 1, model, optimizer, scheduler, {"epoch": 0}, keep=2)

    fresh = torch.nn.Linear(4, 4)
    fresh_opt = torch.optim.AdamW(fresh.parameters(), lr=1e-3)
    fresh_sched = torch.optim.lr_scheduler.LambdaLR(fresh_opt, lr_lambda(TrainConfig(), 10))
    state = load_checkpoint(step, fresh, fresh_opt, fresh_sched)
    assert state["step"] == 1 and fresh_sched.last_epoch == 1
    assert torch.equal(fresh.weight, model.weight)
    assert fresh_opt.state_dict()["state"][0]["step"] == optimizer.state_dict()["state"][0]["step"]
