"""NEFTune: noise on the embeddings in training mode only, within its scale."""

from __future__ import annotations

import math

import pytest

from tests.training.records import make_records

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.slow


def test_embedding_noise_is_bounded_and_only_in_training_mode() -> None:
    from assistant.training.base import load_model, load_tokenizer, resolve_base
    from assistant.training.data import encode_record
    from assistant.training.noise import add_embedding_noise
    from assistant.training.train import batch_loss

    base = resolve_base(None)
    tokenizer = load_tokenizer(base)
    model = load_model(base)
    embeddings = model.get_input_embeddings()
    ids = torch.tensor([encode_record(make_records(1, seed=3)[0], tokenizer).input_ids[:40]])
    batch = [encode_record(r, tokenizer) for r in make_records(2, seed=5)]
    pad = tokenizer.pad_token_id or 0
    alpha = 5.0
    scale = alpha / math.sqrt(ids.shape[1] * embeddings.embedding_dim)

    with torch.no_grad():
        clean = embeddings(ids)
        clean_loss, _ = batch_loss(model, batch, pad)
        handle = add_embedding_noise(model, alpha)

        model.train()
        first, second = embeddings(ids) - clean, embeddings(ids) - clean
        assert 0.9 * scale < first.abs().max() <= scale
        assert not torch.equal(first, second), "fresh noise on every pass"
        noisy_loss, _ = batch_loss(model, batch, pad)
        assert noisy_loss != clean_loss

        model.eval()
        assert torch.equal(embeddings(ids), clean)
        assert batch_loss(model, batch, pad)[0] == clean_loss

        handle.remove()
        model.train()
        assert torch.equal(embeddings(ids), clean)


def test_train_adds_the_noise_from_the_config(tmp_path) -> None:
    """The first step's loss is taken before any update: it differs only through the noise."""
    import json

    from typer.testing import CliRunner

    from assistant.cli import app
    from tests.training.records import write_run_inputs

    def first_loss(alpha: float, run: str) -> float:
        where = tmp_path / run
        data, config = write_run_inputs(
            where, 8, 2, f"max_steps: 1\nper_device_train_batch_size: 4\nneftune_alpha: {alpha}\n"
        )
        out = where / "run"
        args = ["train", "--data", str(data), "--config", str(config), "--out", str(out)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
        return next(r["loss"] for r in rows if "loss" in r)

    clean = first_loss(0.0, "clean")
    assert first_loss(0.0, "clean-again") == clean
    assert first_loss(15.0, "noisy") != clean
