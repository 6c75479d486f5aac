"""The shipped eval data is disjoint from what ``distill`` trains on, and well-formed.

Training text is everything ``assistant/distill`` can put into a record: the task
templates (``templates/*.jsonl``) and every string literal in its modules (the
function catalogue, the request phrasings, the scripted tasks), with ``{slot}``
placeholders read as "any text". No case prompt may match or appear in one, and no
custom function name of the eval may be a catalogue function or appear in that text.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

from assistant.eval.checker import load_cases

REPO = Path(__file__).resolve().parents[2]
DISTILL = REPO / "assistant" / "distill"
CASES = REPO / "eval" / "tools" / "cases.jsonl"
AGENT_TASKS = REPO / "eval" / "agent"
_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_WORD = re.compile(r"[a-z0-9_]+")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@cache
def training_texts() -> tuple[str, ...]:
    texts: list[str] = []
    for path in sorted(DISTILL.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line).get("prompt", ""))
    for path in sorted(DISTILL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    return tuple(_norm(t) for t in texts if t.strip())


@cache
def training_patterns() -> tuple[re.Pattern[str], ...]:
    out = []
    for t in training_texts():
        parts = _SLOT.split(t)
        # Format strings such as "{a} = {b}." would match anything; a phrasing needs
        # four words of its own to count.
        if len(_WORD.findall(" ".join(parts))) < 4:
            continue
        out.append(re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL))
    return tuple(out)


def catalogue_names() -> set[str]:
    from assistant.distill.catalogue import CATALOGUE

    return {f.name for f in CATALOGUE}


def own_tool_names() -> set[str]:
    from assistant.tools import default_tools

    return {t.name for t in default_tools()}


def eval_prompts() -> list[str]:
    prompts = [
        m["content"]
        for c in load_cases(CASES)
        for m in c.messages
        if m["role"] == "user" and m.get("content")
    ]
    for task in sorted(AGENT_TASKS.glob("*/task.json")):
        prompts.append(json.loads(task.read_text())["instruction"])
    return prompts


def test_no_eval_prompt_is_a_training_prompt() -> None:
    texts = training_texts()
    patterns = training_patterns()
    clashes = []
    for prompt in eval_prompts():
        p = _norm(prompt)
        if any(p in t for t in texts) or any(pat.fullmatch(p) for pat in patterns):
            clashes.append(prompt)
    assert not clashes, f"eval prompts also in distill's training text: {clashes[:5]}"


def test_no_custom_function_is_a_training_function() -> None:
    own = own_tool_names()
    custom = {t["function"]["name"] for c in load_cases(CASES) for t in c.tools} - own
    assert len(custom) >= 60
    assert not custom & catalogue_names()
    words = {w for t in training_texts() for w in _WORD.findall(t)}
    assert not custom & words, f"named in distill's text: {sorted(custom & words)}"


def test_the_check_would_catch_a_copied_prompt() -> None:
    # guards against a check that can never fail (e.g. no training text found)
    assert len(training_texts()) > 200
    template = next(t for t in training_texts() if "{" in t and len(t.split()) > 5)
    filled = _SLOT.sub("zebra", template)
    assert any(pat.fullmatch(filled) for pat in training_patterns())
    assert catalogue_names()


def test_shipped_cases_are_built_from_their_sources_and_balanced() -> None:
    built = subprocess.run(
        [sys.executable, str(CASES.parent / "build_cases.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    cases = load_cases(CASES)
    assert len(cases) >= 400
    no_call = [c for c in cases if not c.expected]
    assert len(no_call) >= len(cases) / 3
    near = [c for c in no_call if "near_miss" in c.category or "missing" in c.category]
    assert len(near) >= len(no_call) / 2 - 40  # mostly near misses, not easy off-topic chat
    own = own_tool_names()
    with_own = [c for c in cases if {t["function"]["name"] for t in c.tools} == own]
    assert len(with_own) >= 80
    assert sum(1 for c in with_own if c.expected) >= 40


def test_every_expected_call_is_reachable_and_schema_valid() -> None:
    """The first acceptable value of each parameter makes a call that fits the tool's
    schema and passes, so no case asks for something a model cannot produce."""
    from assistant.eval.checker import Call, check_reply, is_well_formed

    for case in load_cases(CASES):
        calls = []
        for exp in case.expected:
            args = {}
            for name, values in exp.arguments.items():
                given = [v for v in values if v != ""]
                if given:
                    args[name] = given[0]
            calls.append(Call(exp.name, args))
        assert all(is_well_formed(c, case.tools) for c in calls), case.id
        verdict = check_reply(case, calls)
        assert verdict.passed, (case.id, verdict.reason, verdict.detail)
