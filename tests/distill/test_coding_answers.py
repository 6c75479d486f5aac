"""General coding questions with the agent's tools: short answers, no call, no eval overlap."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

from assistant.distill.scripted import Answer
from assistant.distill.tasks import TaskSource
from assistant.distill.tasks.coding_answers import ANSWERS, families
from assistant.distill.tasks.knowledge import CHAT, QUESTIONS
from assistant.distill.verify import mentions
from assistant.eval.checker import load_cases

CASES = Path(__file__).resolve().parents[2] / "eval" / "tools" / "cases.jsonl"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


FILLER = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "to",
        "for",
        "is",
        "are",
        "what",
        "what's",
        "s",
        "do",
        "does",
        "how",
        "i",
        "my",
        "me",
        "explain",
        "difference",
        "between",
        "one",
        "sentence",
        "briefly",
        "just",
        "please",
    ]
)


def _content(text: str) -> set[str]:
    return set(_norm(text).split()) - FILLER


def _near(a: str, b: str) -> bool:
    """Equal after normalising, nearly equal as strings, or mostly the same content words
    (a template like "what is the difference between X and Y" alone is not a match)."""
    if _norm(a) == _norm(b) or SequenceMatcher(None, _norm(a), _norm(b)).ratio() > 0.9:
        return True
    ca, cb = _content(a), _content(b)
    return bool(ca and cb) and len(ca & cb) / len(ca | cb) >= 0.6


def _answer_of(task) -> str:
    steps = list(task.solution())
    assert len(steps) == 1 and isinstance(steps[0], Answer)
    return steps[0].text


def test_at_least_80_distinct_entries_with_unique_ids() -> None:
    assert len(ANSWERS) >= 80
    assert len({_norm(q) for q, _, _ in ANSWERS}) == len(ANSWERS)
    fams = families()
    assert len({f.id for f in fams}) == len(fams) == len(ANSWERS)
    assert all(f.id.startswith("coding-answer-") for f in fams)
    assert {(f.category, f.mode) for f in fams} == {("coding_answers", "abstain")}


def test_every_answer_names_its_must_words_and_stays_short() -> None:
    for request, answer, must in ANSWERS:
        assert must and all(w.strip() for w in must), request
        assert all(mentions(answer, w) for w in must), (request, must)
        assert len(answer) <= 240, request
        code = answer.split("```")
        if len(code) > 1:
            assert len(code) == 3, request
            body = code[1].split("\n", 1)[1].strip("\n")
            assert len(body.splitlines()) <= 6, request
        else:
            assert answer.count("\n") == 0, request


def test_no_request_is_or_nearly_is_an_eval_prompt_or_a_knowledge_question() -> None:
    cases = load_cases(CASES)
    taken = [m["content"] for c in cases for m in c.messages if m["role"] == "user"]
    taken += [q for q, _, _ in [*QUESTIONS, *CHAT]]
    assert len(taken) > 100
    for request, _, _ in ANSWERS:
        close = [t for t in taken if _near(request, t)]
        assert not close, (request, close)
    # the check itself catches a rewording of an eval prompt
    reworded = "Explain the difference between a tuple and a list in Python!"
    assert any(_near(reworded, t) for t in taken)


def test_drawn_tasks_offer_own_tools_expect_no_call_and_the_solution_passes() -> None:
    src = TaskSource(3, ["coding_answers"], {"abstain": 1.0})
    tasks = [src.task(i) for i in range(300)]
    assert len({t.template_id for t in tasks}) > 60
    for t in tasks:
        assert t.category == "coding_answers" and t.mode == "abstain"
        assert t.functions is None
        assert t.verify[0] == {"kind": "no_calls"}
        has = [c for c in t.verify if c["kind"] == "answer_has"]
        assert len(has) == 1
        answer = _answer_of(t)
        assert all(mentions(answer, w) for w in has[0]["texts"]), t.prompt
