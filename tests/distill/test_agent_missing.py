"""Vague workspace requests: the agent's tools are offered, and the right turn asks."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.distill.tasks import TaskSource
from assistant.distill.tasks.agent_missing import VAGUE
from assistant.eval.checker import load_cases

CASES = Path(__file__).resolve().parents[2] / "eval" / "tools" / "cases.jsonl"


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.casefold()))


def test_vague_requests_offer_the_agent_tools_and_expect_a_question() -> None:
    src = TaskSource(4, ["agent_missing"], {"abstain": 1.0})
    tasks = [src.task(i) for i in range(300)]
    assert {t.template_id for t in tasks} == {f"agent-missing-{fid}" for fid, _, _ in VAGUE}
    for t in tasks:
        assert t.functions is None and t.mode == "abstain"
        assert t.verify == [{"kind": "no_calls"}, {"kind": "asks_question"}]
        reply = next(iter(t.solution())).text
        assert reply.endswith("?"), reply
        assert t.prompt[0].isupper() and t.prompt[-1] in ".?:"
    assert len({t.prompt for t in tasks}) > 100


def test_no_drawn_request_is_an_eval_prompt() -> None:
    evals = {_plain(c.messages[-1]["content"]) for c in load_cases(CASES)}
    src = TaskSource(4, ["agent_missing"], {"abstain": 1.0})
    drawn = {_plain(src.task(i).prompt) for i in range(2000)}
    assert not drawn & evals
