"""Preference pairs at the branch point, built from ordinary training records.

Supervised records show the model only the right first move. A pair puts a wrong one
beside it, in the same context: for the first assistant turn of a record, the *chosen*
side is the start of what the record does and the *rejected* side the start of a
mistake a small model makes there:

- a call where the record abstains: the tool whose name and description share the most
  words with the request (the tempting near miss);
- another of the request's tools where the record calls one (a sibling), for requests
  about a user's own functions (``meta.mode == "call"``); the agent's tools are left out,
  since two of them often serve a request equally well;
- prose where the record calls a tool: the opening words of an abstention drawn from the
  same data.

Each side stops where the decision is made: after the called function's name, or after
the first few words of prose. Arguments and the rest of an answer stay the business of
the supervised loss; a pair compares only the choice.

Two more kinds, chosen with ``dpo_pairs``, are the decisions after a tool result, where
pairs at the first decision alone left the model unable to finish (it repeated its call or
answered before the work was done):

- ``answer_vs_repeat``: where the record answers after a result, the answer's opening
  words against calling the tool it just called once more;
- ``call_vs_answer``: where the record makes another call after a result, that call
  against the opening words of an answer given after a result in another record.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from typing import Any

from assistant.llm import toolformat
from assistant.llm.base import Message
from assistant.training.data import Example, _bos_prefix, control_text_guard, record_messages

PROSE_WORDS = 4
"""Words of prose that stand for the decision to answer without a call."""
_WORD = re.compile(r"[a-z0-9]+")


FIRST_DECISION_KINDS = ("abstain_vs_call", "call_vs_sibling", "call_vs_prose")
AFTER_RESULT_KINDS = ("answer_vs_repeat", "call_vs_answer")
PAIR_KINDS = (*FIRST_DECISION_KINDS, *AFTER_RESULT_KINDS)


@dataclass(frozen=True)
class Pair:
    id: str
    kind: str
    """One of ``PAIR_KINDS``."""
    messages: list[Message]
    """The conversation up to the decision (ending with the user's request)."""
    tools: list[dict[str, Any]]
    chosen: str
    rejected: str


@dataclass(frozen=True)
class EncodedPair:
    id: str
    kind: str
    chosen: Example
    rejected: Example


def call_opening(name: str) -> str:
    """The text of an assistant turn up to the end of the called function's name."""
    return f'{toolformat.CALL_OPEN}\n{{"name": {json.dumps(name, ensure_ascii=False)}'


def prose_opening(text: str) -> str:
    return " ".join(text.split()[:PROSE_WORDS])


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower().replace("_", " ")) if len(w) > 2}


def _tool_text(tool: dict[str, Any]) -> tuple[str, str]:
    fn = tool.get("function", tool)
    return str(fn.get("name", "")), f"{fn.get('name', '')} {fn.get('description', '')}"


def most_tempting(request: str, tools: list[dict[str, Any]], rng: random.Random) -> str | None:
    """The tool sharing the most word stems with ``request`` (ties broken by ``rng``)."""
    words = _stems(request)
    scored = [
        (len(words & _stems(text)), rng.random(), name) for name, text in map(_tool_text, tools)
    ]
    scored = [s for s in scored if s[2]]
    return max(scored)[2] if scored else None


def _first_decision(messages: list[Message]) -> int | None:
    """Index of the first assistant turn when a user's request comes right before it."""
    for i, m in enumerate(messages):
        if m.role == "assistant":
            return i if i > 0 and messages[i - 1].role == "user" else None
    return None


def decision_pairs(
    records: list[dict[str, Any]], seed: int, kinds: tuple[str, ...] = FIRST_DECISION_KINDS
) -> list[Pair]:
    """Every pair of ``kinds`` the records give (see the module docstring), in record
    order. The first-decision pairs are the same whichever other kinds are asked for."""
    parsed = [(rec, record_messages(rec)) for rec in records]
    found = _first_decision_pairs(parsed, seed)
    if set(kinds) & set(AFTER_RESULT_KINDS):
        found = sorted([*found, *_after_result_pairs(parsed, seed)], key=lambda x: x[0])
    return [pair for _, pair in found if pair.kind in kinds]


def _first_decision_pairs(
    parsed: list[tuple[dict[str, Any], list[Message]]], seed: int
) -> list[tuple[int, Pair]]:
    """(record index, pair) for each record's first decision."""
    rng = random.Random(seed)
    abstentions = [
        m[i].content
        for rec, m in parsed
        if rec.get("tools")
        and (i := _first_decision(m)) is not None
        and not m[i].tool_calls
        and m[i].content.strip()
    ]
    pairs: list[tuple[int, Pair]] = []
    for n, (rec, messages) in enumerate(parsed):
        at = _first_decision(messages)
        tools = rec.get("tools") or []
        if at is None or not tools:
            continue
        rid = str(rec.get("id", ""))
        for kind, chosen, rejected in _choices(rec, messages[at - 1 : at + 1], abstentions, rng):
            pairs.append((n, Pair(f"{rid}:{kind}", kind, messages[:at], tools, chosen, rejected)))
    return pairs


def _after_result_pairs(
    parsed: list[tuple[dict[str, Any], list[Message]]], seed: int
) -> list[tuple[int, Pair]]:
    """(record index, pair) for each decision after a tool result."""
    rng = random.Random(seed + 1)
    answers = [
        m[i].content
        for rec, m in parsed
        if rec.get("tools")
        for i in range(1, len(m))
        if m[i].role == "assistant"
        and m[i - 1].role == "tool"
        and not m[i].tool_calls
        and m[i].content.strip()
    ]
    pairs: list[tuple[int, Pair]] = []
    for n, (rec, messages) in enumerate(parsed):
        tools = rec.get("tools") or []
        if not tools:
            continue
        rid = str(rec.get("id", ""))
        last_called: str | None = None
        for i, turn in enumerate(messages):
            if turn.role != "assistant":
                continue
            if i > 0 and messages[i - 1].role == "tool" and last_called:
                choice = _after_result_choice(turn, last_called, answers, rng)
                if choice:
                    kind, chosen, rejected = choice
                    pair = Pair(f"{rid}:{kind}:{i}", kind, messages[:i], tools, chosen, rejected)
                    pairs.append((n, pair))
            if turn.tool_calls:
                last_called = turn.tool_calls[-1].name
    return pairs


def _after_result_choice(
    turn: Message, last_called: str, answers: list[str], rng: random.Random
) -> tuple[str, str, str] | None:
    """``(kind, chosen, rejected)`` for an assistant turn right after a tool result."""
    if not turn.tool_calls:
        if not turn.content.strip():
            return None
        return ("answer_vs_repeat", prose_opening(turn.content), call_opening(last_called))
    if not answers:
        return None
    chosen = call_opening(turn.tool_calls[0].name)
    if turn.content.strip():
        chosen = f"{turn.content}\n{chosen}"
    return ("call_vs_answer", chosen, prose_opening(rng.choice(answers)))


def _choices(
    rec: dict[str, Any], exchange: list[Message], abstentions: list[str], rng: random.Random
) -> list[tuple[str, str, str]]:
    """``(kind, chosen, rejected)`` for the record's first request and reply."""
    request, turn = exchange[0].content, exchange[1]
    tools = rec["tools"]
    if not turn.tool_calls:
        name = most_tempting(request, tools, rng)
        if not name or not turn.content.strip():
            return []
        return [("abstain_vs_call", prose_opening(turn.content), call_opening(name))]
    called = turn.tool_calls[0].name
    chosen = call_opening(called)
    if turn.content.strip():
        chosen = f"{turn.content}\n{chosen}"
    out: list[tuple[str, str, str]] = []
    mode = (rec.get("meta") or {}).get("mode") or "call"
    siblings = [t for t in tools if _tool_text(t)[0] not in {called, ""}]
    if mode == "call" and siblings:
        sibling = most_tempting(request, siblings, rng)
        if sibling:
            out.append(("call_vs_sibling", chosen, call_opening(sibling)))
    if abstentions:
        out.append(("call_vs_prose", chosen, prose_opening(rng.choice(abstentions))))
    return out


def encode_side(pair: Pair, text: str, tokenizer: Any, max_length: int | None) -> Example | None:
    guard = control_text_guard(tokenizer)
    prompt = toolformat.render_prompt(
        guard.messages(pair.messages), guard.tools(pair.tools), add_generation_prompt=True
    )
    bos = _bos_prefix(tokenizer)
    head = bos + list(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    ids = bos + list(tokenizer(prompt + text, add_special_tokens=False)["input_ids"])
    if ids[: len(head)] != head or len(ids) == len(head):
        return None
    if max_length is not None and len(ids) > max_length:
        return None
    mask = [i >= len(head) for i in range(len(ids))]
    return Example(pair.id, ids, mask)


def encode_pairs(
    pairs: list[Pair], tokenizer: Any, max_length: int | None = None
) -> tuple[list[EncodedPair], int]:
    """Tokenized pairs, and how many were dropped (too long, or a side that tokenizes
    into the prompt)."""
    out: list[EncodedPair] = []
    for p in pairs:
        chosen = encode_side(p, p.chosen, tokenizer, max_length)
        rejected = encode_side(p, p.rejected, tokenizer, max_length)
        if chosen is not None and rejected is not None:
            out.append(EncodedPair(p.id, p.kind, chosen, rejected))
    return out, len(pairs) - len(out)
