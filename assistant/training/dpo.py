"""Direct preference optimisation on decision pairs (``objective: dpo``).

For a pair with chosen side ``c`` and rejected side ``r`` in the same context, the loss is
``-log σ(β · ((log π(c) − log π₀(c)) − (log π(r) − log π₀(r))))`` (Rafailov et al., 2023),
where ``π`` is the model being trained and ``π₀`` the model it started from (the
reference). The reference's log-probabilities are computed once, before the first step,
and kept in the run's ``reference.json``, so a resumed run compares against the same
starting point; a fresh start scores them again unless the file's fingerprint says they
came from the same starting weights and pairs. Both sides share the whole prompt, which runs once per pair
(:mod:`assistant.training.prefix`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from assistant.training.data import batch_order
from assistant.training.pairs import EncodedPair
from assistant.training.prefix import prefix_group_key, shared_prefix_length, shared_prefix_logits

REFERENCE_FILE = "reference.json"
SCORING_BATCH = 8
PROMPT_SLACK = 64
"""Prompt tokens a pair may run once per side, when batched with other pairs, rather than
once for both."""


def _chunks(items: list[EncodedPair], size: int) -> list[list[EncodedPair]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def sequence_logps(decoder: Any, head: Any, batch: list[Any], pad_id: int, device: Any) -> Any:
    """Each record's summed log-probability of its target tokens (a tensor of len(batch))."""
    import torch
    import torch.nn.functional as F

    prefix = shared_prefix_length(batch)
    if prefix < 1:
        raise ValueError("the records of a pair must share their prompt")
    logits, targets, target = shared_prefix_logits(decoder, head, batch, prefix, pad_id, device)
    per_token = F.cross_entropy(logits.float(), targets, reduction="none")
    rows = target.nonzero(as_tuple=True)[0]
    nll = torch.zeros(len(batch), dtype=per_token.dtype, device=device).index_add(
        0, rows, per_token
    )
    return -nll


def pairs_logps(model: Any, pairs: list[EncodedPair], pad_id: int, autocast: bool) -> Any:
    """``[log π(chosen), log π(rejected)]`` of each pair under ``model``, an (n, 2) tensor.

    Each pair's prompt runs once for both sides. Pairs whose prompts are nearly all one
    common prefix (the agent's long system prompt, say) run as one batch with that
    prefix once; the others a pair at a time.
    """
    import torch

    from assistant.training.train import device_of, parts

    device = device_of(model)
    decoder, head = parts(model)
    dtype = torch.bfloat16 if autocast else None
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, p in enumerate(pairs):
        groups.setdefault(prefix_group_key(p.chosen.input_ids), []).append(i)
    rows: list[Any] = [None] * len(pairs)
    with torch.autocast(device.type, dtype=dtype, enabled=autocast):
        for members in groups.values():
            for batch in _batches_sharing_prompts([pairs[i] for i in members], members):
                sides = [s for i in batch for s in (pairs[i].chosen, pairs[i].rejected)]
                logps = sequence_logps(decoder, head, sides, pad_id, device).view(-1, 2)
                for row, i in enumerate(batch):
                    rows[i] = logps[row]
    return torch.stack(rows)


def _batches_sharing_prompts(group: list[EncodedPair], members: list[int]) -> list[list[int]]:
    """One batch when the group's common prefix leaves at most ``PROMPT_SLACK`` tokens of
    any pair's prompt to run per side; else one batch per pair."""
    if len(group) > 1:
        sides = [s for p in group for s in (p.chosen, p.rejected)]
        common = shared_prefix_length(sides)
        if all(p.chosen.mask.index(True) - common <= PROMPT_SLACK for p in group):
            return [members]
    return [[i] for i in members]


def dpo_losses(policy: Any, reference: Any, beta: float) -> tuple[Any, Any]:
    """Per-pair DPO loss and margin; ``policy`` and ``reference`` are (n, 2) tensors of
    ``[log p(chosen), log p(rejected)]``."""
    import torch.nn.functional as F

    margin = beta * ((policy[:, 0] - reference[:, 0]) - (policy[:, 1] - reference[:, 1]))
    return -F.logsigmoid(margin), margin


def reference_fingerprint(start: dict[str, Any], pairs: Iterable[EncodedPair]) -> str:
    """A digest of what the reference log-probabilities depend on: the starting weights
    (``start``) and every pair's tokens, which follow from the data, seed, dpo_pairs,
    max_length and tokenizer."""
    digest = hashlib.sha256(json.dumps(start, sort_keys=True).encode())
    for p in sorted(pairs, key=lambda p: p.id):
        sides = [p.id, p.chosen.input_ids, p.chosen.mask, p.rejected.input_ids, p.rejected.mask]
        digest.update(json.dumps(sides).encode())
    return digest.hexdigest()


def reference_logps_on_disk(out: Path) -> tuple[str | None, dict[str, list[float]]]:
    """The fingerprint and log-probabilities in ``out``'s reference file (no fingerprint:
    written before files had one)."""
    path = out / REFERENCE_FILE
    stored = json.loads(path.read_text()) if path.is_file() else {}
    if isinstance(stored.get("logps"), dict):
        return stored.get("fingerprint"), stored["logps"]
    return None, stored


def reference_logps(
    model: Any,
    pairs: list[EncodedPair],
    pad_id: int,
    autocast: bool,
    out: Path,
    known: dict[str, list[float]],
    fingerprint: str,
    progress: Callable[[list[list[EncodedPair]]], Iterable[list[EncodedPair]]] = iter,
) -> dict[str, list[float]]:
    """The starting model's log-probabilities of every pair: ``known`` (what a previous
    start of this run scored) and the rest, scored now and saved under ``fingerprint``;
    ``progress`` wraps the batches still to score."""
    import torch

    from assistant.training.files import atomic_write_text

    path = out / REFERENCE_FILE
    known = dict(known)
    missing = [p for p in pairs if p.id not in known]
    if missing:
        was_training = model.training
        model.eval()
        with torch.no_grad():
            for chunk in progress(_chunks(missing, SCORING_BATCH)):
                logps = pairs_logps(model, chunk, pad_id, autocast)
                known.update(
                    {p.id: [float(x) for x in row] for p, row in zip(chunk, logps, strict=True)}
                )
        model.train(was_training)
        atomic_write_text(path, json.dumps({"fingerprint": fingerprint, "logps": known}) + "\n")
    return known


def batch_dpo_loss(
    model: Any,
    batch: list[EncodedPair],
    reference: dict[str, list[float]],
    beta: float,
    pad_id: int,
    autocast: bool,
) -> tuple[Any, int]:
    """Summed DPO loss over ``batch`` and how many pairs it ranks right (margin > 0)."""
    import torch

    policy = pairs_logps(model, batch, pad_id, autocast)
    ref = torch.tensor([reference[p.id] for p in batch], dtype=policy.dtype, device=policy.device)
    losses, margin = dpo_losses(policy, ref, beta)
    return losses.sum(), int((margin > 0).sum())


def evaluate_pairs(
    model: Any,
    pairs: list[EncodedPair],
    reference: dict[str, list[float]],
    beta: float,
    pad_id: int,
    autocast: bool,
) -> tuple[float, float]:
    """Mean DPO loss and the share of pairs ranked right on ``pairs``."""
    import torch

    model.eval()
    total, right = 0.0, 0
    with torch.no_grad():
        for chunk in _chunks(pairs, SCORING_BATCH):
            loss, ok = batch_dpo_loss(model, chunk, reference, beta, pad_id, autocast)
            total, right = total + float(loss), right + ok
    model.train()
    n = max(len(pairs), 1)
    return total / n, right / n


def iter_pair_epochs(
    pairs: list[EncodedPair], batch_size: int, seed: int
) -> Iterator[tuple[int, list[EncodedPair]]]:
    """(epoch, batch) forever, shuffled with the seed (as ``data.iter_epochs``)."""
    # As data.iter_epochs: pairs opening with the same prompt share batches, then length.
    lengths = [(prefix_group_key(p.chosen.input_ids), len(p.chosen.input_ids)) for p in pairs]
    epoch = 0
    while True:
        for b in batch_order(len(pairs), batch_size, seed, epoch, lengths):
            yield epoch, [pairs[i] for i in b]
        epoch += 1
