"""Dataset records → token ids and a loss mask, rendered exactly as the agent prompts.

A record is one JSON object a line: ``{"id", "messages", "tools", "meta"}`` (OpenAI
message shape). It is rendered with :func:`assistant.llm.toolformat.render_prompt`, the
function the local backend uses at inference, and tokenized as one string (the way
llama.cpp tokenizes the prompt of every turn). The loss covers every assistant turn's
text, including its ``<tool_call>`` blocks, and the ``<|im_end|>`` that ends it; never
the system, user or tool-result tokens, nor the ``<|im_start|>assistant\\n`` header
(the agent writes that header itself).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from assistant.llm import toolformat
from assistant.llm.base import Message, Role
from assistant.llm.controltext import ControlTextGuard
from assistant.training.prefix import prefix_group_key

TRAIN_FILE = "train.jsonl"
VAL_FILE = "val.jsonl"
ROLES: tuple[str, ...] = get_args(Role)


class DataError(Exception):
    """The training data cannot be used; the message names the file and the fix."""


@dataclass
class Example:
    """One tokenized record."""

    id: str
    input_ids: list[int]
    mask: list[bool]
    """``mask[i]`` is True when token ``i`` is a target (predicted from tokens ``< i``)."""
    decision: list[bool] = field(default_factory=list)
    """``decision[i]`` is True when token ``i`` opens an assistant turn: call or prose.
    Empty when not computed (no token is then a decision)."""
    function_name: list[bool] = field(default_factory=list)
    """``function_name[i]`` is True when token ``i`` spells part of a called function's name
    (the name in a ``<tool_call>`` block of an assistant turn)."""

    @property
    def n_targets(self) -> int:
        return sum(self.mask)


def resolve_data(data: Path) -> tuple[Path, Path | None]:
    """``--data`` is a JSONL file or a distill output directory (train.jsonl, val.jsonl)."""
    if data.is_dir():
        train = data / TRAIN_FILE
        if not train.is_file():
            raise DataError(
                f"{data} has no {TRAIN_FILE}; pass the output directory of `assistant distill` "
                "or a .jsonl file of records."
            )
        val = data / VAL_FILE
        return train, val if val.is_file() and val.stat().st_size > 0 else None
    if not data.is_file():
        raise DataError(
            f"The training data {data} does not exist; pass a .jsonl file or a directory."
        )
    return data, None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of ``path``; a malformed line is an error naming the line."""
    out: list[dict[str, Any]] = []
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DataError(
            f"Cannot read {path} ({exc.strerror}); pass a .jsonl file of records."
        ) from None
    with fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(
                    f"{path}:{lineno} is not UTF-8 (byte {exc.start + 1} of the line); "
                    "save the file as UTF-8."
                ) from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(
                    f"{path}:{lineno} is not valid JSON ({exc.msg}); fix or remove that line."
                ) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("messages"), list):
                raise DataError(
                    f'{path}:{lineno} is not a record with a "messages" list; each line must be '
                    '{"id", "messages", "tools", "meta"}.'
                )
            _check_messages(rec["messages"], f"{path}:{lineno}")
            rec.setdefault("id", f"{path.name}:{lineno}")
            out.append(rec)
    if not out:
        raise DataError(f"{path} contains no records; run `assistant distill` to make some.")
    return out


def _check_messages(messages: list[Any], where: str) -> None:
    """Each message in the OpenAI shape, so that training fails here, not after the model loads."""
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ROLES:
            sharegpt = isinstance(m, dict) and "from" in m
            raise DataError(
                f'{where} has a message whose "role" is not one of {", ".join(ROLES)}'
                + (' (ShareGPT "from"/"value" messages need converting)' if sharegpt else "")
                + '; each message must be {"role", "content"} in the OpenAI shape.'
            )
        try:
            Message.from_dict(m)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise DataError(
                f"{where} has an {m['role']!r} message that is not in the OpenAI shape "
                f"({type(exc).__name__}: {exc}); each tool call must be "
                '{"function": {"name", "arguments"}}.'
            ) from None


def record_messages(record: dict[str, Any]) -> list[Message]:
    return [Message.from_dict(m) for m in record["messages"]]


@dataclass
class Segments:
    """A conversation's full text and the character spans the loss treats specially."""

    text: str
    turns: list[tuple[int, int]]
    """Each assistant turn's content plus its ``<|im_end|>``: the spans the loss covers."""
    names: list[tuple[int, int]]
    """The name of each function an assistant turn calls, inside its JSON string."""


def render_segments(messages: list[Message], tools: list[dict[str, Any]] | None) -> Segments:
    """The full text of a conversation, its assistant turns and their call names.

    The text is exactly ``render_prompt(messages, tools, add_generation_prompt=False)``.
    The turns are found by rendering growing prefixes, which relies on the property
    render_prompt documents (a prefix's rendering is a prefix of the whole).
    """
    text = toolformat.render_prompt(messages, tools or None, add_generation_prompt=False)
    turns: list[tuple[int, int]] = []
    names: list[tuple[int, int]] = []
    for i, m in enumerate(messages):
        if m.role != "assistant":
            continue
        # The prompt the agent would send for this turn: everything before it plus the header.
        prompt = toolformat.render_prompt(messages[:i], tools or None, add_generation_prompt=True)
        turn = toolformat.render_assistant_content(m) + toolformat.IM_END
        if not text.startswith(prompt + turn, 0):
            raise DataError("render_prompt is not prefix-stable for this record")
        turns.append((len(prompt), len(prompt) + len(turn)))
        search_from = 0
        for call in m.tool_calls:
            block = toolformat.render_call(call)
            quoted = json.dumps(call.name, ensure_ascii=False)
            at = turn.index(block, search_from)
            start = len(prompt) + at + block.index(quoted) + 1
            names.append((start, start + len(quoted) - 2))
            search_from = at + len(block)
    return Segments(text, turns, names)


def encode_record(
    record: dict[str, Any], tokenizer: Any, max_length: int | None = None
) -> Example | None:
    """Tokenize one record; None when it has no assistant turn within ``max_length``.

    ``tokenizer`` is a Hugging Face fast tokenizer (offsets are needed to map the
    character spans onto tokens). A token is a target when it starts inside a span;
    ChatML's special tokens split the text, so no token straddles a span's edge.
    """
    guard = control_text_guard(tokenizer)
    segments = render_segments(
        guard.messages(record_messages(record)), guard.tools(record.get("tools"))
    )
    enc = tokenizer(segments.text, add_special_tokens=False, return_offsets_mapping=True)
    ids: list[int] = list(enc["input_ids"])
    offsets: list[tuple[int, int]] = list(enc["offset_mapping"])
    spans = segments.turns
    mask = [any(a <= s < b for a, b in spans) for s, _ in offsets]
    opens = {next((i for i, (s, _) in enumerate(offsets) if a <= s < b), -1) for a, b in spans}
    decision = [i in opens for i in range(len(offsets))]
    # Overlap rather than start: a tokenizer may merge a name's quote with its first letters.
    function_name = [any(s < b and e > a for a, b in segments.names) for s, e in offsets]
    bos = _bos_prefix(tokenizer)
    pad = [False] * len(bos)
    ids = bos + ids
    mask, decision, function_name = pad + mask, pad + decision, pad + function_name
    if max_length is not None and len(ids) > max_length:
        ids, mask = ids[:max_length], mask[:max_length]
        decision, function_name = decision[:max_length], function_name[:max_length]
    if not any(mask):
        return None
    return Example(str(record.get("id", "")), ids, mask, decision, function_name)


def control_text_guard(tokenizer: Any) -> ControlTextGuard:
    """The guard the local backend applies (:mod:`assistant.llm.controltext`), for this
    tokenizer's special tokens: a record's text never becomes one, as at inference."""
    return ControlTextGuard(t.content for t in tokenizer.added_tokens_decoder.values() if t.special)


def _bos_prefix(tokenizer: Any) -> list[int]:
    """The BOS llama.cpp prepends (``add_bos=True`` honours the model's add_bos_token)."""
    if getattr(tokenizer, "add_bos_token", False) and tokenizer.bos_token_id is not None:
        return [int(tokenizer.bos_token_id)]
    return []


def encode_records(
    records: list[dict[str, Any]], tokenizer: Any, max_length: int | None = None
) -> tuple[list[Example], int]:
    """Tokenized records and how many were dropped (no assistant tokens left)."""
    out: list[Example] = []
    dropped = 0
    for rec in records:
        ex = encode_record(rec, tokenizer, max_length)
        if ex is None:
            dropped += 1
        else:
            out.append(ex)
    return out, dropped


def batch_order(
    n: int, batch_size: int, seed: int, epoch: int, lengths: Sequence[Any]
) -> list[list[int]]:
    """The batches of one epoch: shuffled, then grouped by length to cut padding.

    Deterministic in (seed, epoch), which is what lets ``--resume`` replay the same order.
    Chunks of 50 batches are sorted by length, then the batches are shuffled again.
    """
    rng = random.Random(seed * 1_000_003 + epoch)
    idx = list(range(n))
    rng.shuffle(idx)
    chunk = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, n, chunk):
        part = sorted(idx[start : start + chunk], key=lambda i: lengths[i], reverse=True)
        batches.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def iter_epochs(
    examples: list[Example], batch_size: int, seed: int
) -> Iterator[tuple[int, list[Example]]]:
    """(epoch, batch) forever, epoch after epoch."""
    # Records that open with the same prompt land in the same batches, where
    # training.prefix runs that prompt once; then length, to cut padding.
    lengths = [(prefix_group_key(e.input_ids), len(e.input_ids)) for e in examples]
    epoch = 0
    while True:
        for b in batch_order(len(examples), batch_size, seed, epoch, lengths):
            yield epoch, [examples[i] for i in b]
        epoch += 1
