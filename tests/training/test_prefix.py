"""Running a batch's shared prompt once gives the plain batch's loss and gradient."""

from __future__ import annotations

import pytest

from tests.training.records import make_records

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("weights", [(1.0, 1.0), (4.0, 3.0)])
def test_shared_prefix_matches_the_plain_batch_in_loss_and_gradient(
    weights: tuple[float, float],
) -> None:
    from assistant.training.base import load_model, load_tokenizer, resolve_base
    from assistant.training.data import encode_record
    from assistant.training.prefix import (
        MIN_SHARED_PREFIX,
        LossWeights,
        shared_prefix_length,
        shared_prefix_loss,
    )
    from assistant.training.train import batch_loss, parts, plain_batch_loss

    base = resolve_base(None)
    tokenizer = load_tokenizer(base)
    model = load_model(base)
    for p in model.parameters():
        p.requires_grad_(False)
    probe = model.model.layers[2].self_attn.q_proj.weight
    probe.requires_grad_(True)

    batch = [encode_record(r, tokenizer) for r in make_records(3, seed=5)]
    assert all(e is not None for e in batch)
    prefix = shared_prefix_length(batch)
    assert prefix >= MIN_SHARED_PREFIX
    assert not any(e.mask[i] for e in batch for i in range(prefix)), "no target in the prefix"
    pad = tokenizer.pad_token_id or 0

    loss_weights = LossWeights(*weights)
    decoder, head = parts(model)
    plain, plain_n = plain_batch_loss(decoder, head, batch, pad, "cpu", loss_weights)
    plain.backward()
    plain_grad = probe.grad.clone()
    probe.grad = None

    shared, shared_n = shared_prefix_loss(decoder, head, batch, prefix, pad, "cpu", loss_weights)
    shared.backward()

    assert shared_n == plain_n > 0
    if not loss_weights.uniform:
        # Each turn's first token and each called name now count as weighted: the loss grows
        # by (weight - 1) times those tokens' own cross-entropy.
        with torch.no_grad():  # batch_loss takes the shared-prefix path for this batch
            unweighted, _ = batch_loss(model, batch, pad)
            doubled_opening, _ = batch_loss(model, batch, pad, loss_weights=LossWeights(2.0))
            doubled_names, _ = batch_loss(model, batch, pad, loss_weights=LossWeights(1.0, 2.0))
        opening = float(doubled_opening) - float(unweighted)
        naming = float(doubled_names) - float(unweighted)
        assert opening > 1e-3 * float(unweighted), "the opening tokens carry a real share"
        assert naming > 1e-3 * float(unweighted), "the names carry a real share"
        expected = (
            float(unweighted)
            + (loss_weights.decision - 1) * opening
            + (loss_weights.function_name - 1) * naming
        )
        assert float(plain) == pytest.approx(expected, rel=1e-4)
    assert float(shared) == pytest.approx(float(plain), rel=1e-4)
    assert float((probe.grad - plain_grad).norm() / plain_grad.norm()) < 1e-3


def test_prefix_stops_before_targets_and_leaves_each_record_a_token() -> None:
    from dataclasses import dataclass

    from assistant.training.prefix import shared_prefix_length

    @dataclass
    class Ex:
        input_ids: list[int]
        mask: list[bool]

    same = Ex([1, 2, 3], [False, False, True])
    assert shared_prefix_length([same, same]) == 2
    assert shared_prefix_length([Ex([1, 2], [False] * 2), Ex([1, 2, 3], [False] * 3)]) == 1
    assert shared_prefix_length([Ex([1, 2, 3], [False] * 3), Ex([9, 2, 3], [False] * 3)]) == 0
