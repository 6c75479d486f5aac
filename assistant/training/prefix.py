"""Run a batch's common prompt prefix once instead of once per record.

Agent records all start with the same system prompt (the instructions plus every tool's
schema, about 1,600 tokens for the default model), while the part that carries the loss is
a few hundred tokens. The prefix is run once with batch size one, its keys and values are
repeated for every record, and the rest of each record runs on top of them. Gradients
flow back through the single prefix pass, so the loss and its gradient are those of the
plain batch (a test compares both); only the repeated work is gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

MIN_SHARED_PREFIX = 64
"""Below this many common tokens the plain batch is as fast."""


class Tokens(Protocol):
    input_ids: list[int]
    mask: list[bool]
    decision: list[bool]
    function_name: list[bool]


class LossWeights(NamedTuple):
    """Training-loss weights of two kinds of target token; every other target weighs 1."""

    decision: float = 1.0
    """Each assistant turn's first token (``TrainConfig.decision_weight``)."""
    function_name: float = 1.0
    """The tokens of each called function's name (``TrainConfig.function_name_weight``)."""

    @property
    def uniform(self) -> bool:
        return self.decision == 1.0 and self.function_name == 1.0


UNIFORM = LossWeights()


def shared_prefix_length(batch: Sequence[Tokens]) -> int:
    """Tokens every record starts with, stopping before the first target and leaving each
    record at least one token of its own."""
    first = batch[0].input_ids
    limit = min(len(e.input_ids) for e in batch) - 1
    n = 0
    while n < limit and all(e.input_ids[n] == first[n] for e in batch):
        if any(e.mask[n] for e in batch):
            break
        n += 1
    return max(0, n)


def prefix_group_key(input_ids: Sequence[int], width: int = MIN_SHARED_PREFIX) -> tuple[int, ...]:
    """Records with equal keys can share a prefix; batching by it keeps them together."""
    return tuple(input_ids[:width])


def token_weights(
    batch: Sequence[Tokens], start: int, width: int, loss_weights: LossWeights, device: Any
) -> Any:
    """Per-token loss weights of ``batch[:, start:start + width]``: ``loss_weights.decision``
    on the tokens that open an assistant turn, ``loss_weights.function_name`` on those of a
    called function's name, 1 elsewhere; None when every weight is 1."""
    import torch

    if loss_weights.uniform:
        return None
    weights = torch.ones((len(batch), width), dtype=torch.float32)
    for i, e in enumerate(batch):
        for marks, weight in (
            (e.function_name, loss_weights.function_name),
            (e.decision, loss_weights.decision),
        ):
            chosen = torch.tensor(marks[start : start + width], dtype=torch.bool)
            weights[i, : len(chosen)][chosen] = weight
    return weights.to(device)


def weighted_cross_entropy(logits: Any, targets: Any, weights: Any) -> Any:
    """Summed cross-entropy, each token's term times its weight (None: all 1)."""
    import torch.nn.functional as F

    if weights is None:
        return F.cross_entropy(logits.float(), targets, reduction="sum")
    per_token = F.cross_entropy(logits.float(), targets, reduction="none")
    return (per_token * weights).sum()


def shared_prefix_logits(
    decoder: Any, head: Any, batch: Sequence[Tokens], prefix: int, pad_id: int, device: Any
) -> tuple[Any, Any, Any]:
    """The output layer at every target position of the batch, running ``prefix`` common
    tokens once: ``(logits, target token ids, target mask of batch[:, prefix:])``, the
    first two in the mask's row-major order. ``decoder`` is the transformer stack, ``head``
    the output layer."""
    import torch

    size = len(batch)
    width = max(len(e.input_ids) for e in batch) - prefix
    ids = torch.full((size, width), pad_id, dtype=torch.long)
    attn = torch.zeros((size, prefix + width), dtype=torch.long)
    target = torch.zeros((size, width), dtype=torch.bool)
    for i, e in enumerate(batch):
        n = len(e.input_ids) - prefix
        ids[i, :n] = torch.tensor(e.input_ids[prefix:])
        attn[i, : prefix + n] = 1
        target[i, :n] = torch.tensor(e.mask[prefix:])
    ids, attn, target = ids.to(device), attn.to(device), target.to(device)
    head_ids = torch.tensor([batch[0].input_ids[:prefix]], dtype=torch.long, device=device)

    out = decoder(input_ids=head_ids, use_cache=True)
    cache = out.past_key_values
    cache.batch_repeat_interleave(size)
    rest = decoder(
        input_ids=ids, attention_mask=attn, past_key_values=cache, use_cache=True
    ).last_hidden_state
    # The hidden state at position t predicts token t+1: the prefix's last state predicts
    # each record's first own token.
    last = out.last_hidden_state[:, -1:].expand(size, 1, -1)
    hidden = torch.cat([last, rest[:, :-1]], dim=1)
    return head(hidden[target]), ids[target], target


def shared_prefix_loss(
    decoder: Any,
    head: Any,
    batch: Sequence[Tokens],
    prefix: int,
    pad_id: int,
    device: Any,
    loss_weights: LossWeights = UNIFORM,
) -> tuple[Any, int]:
    """Summed cross-entropy over the batch's targets and their count, running ``prefix``
    common tokens once; ``loss_weights`` as in ``token_weights``."""
    logits, targets, target = shared_prefix_logits(decoder, head, batch, prefix, pad_id, device)
    weights = token_weights(batch, prefix, target.shape[1], loss_weights, device)
    loss = weighted_cross_entropy(logits, targets, None if weights is None else weights[target])
    return loss, int(target.sum())
