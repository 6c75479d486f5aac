"""Hand-written service tasks: the tables are complete, calls fit the offered schema with
the right JSON types and the values the request states, the scripted solutions pass their
own checks (a do-nothing teacher passes none), and nothing overlaps the eval."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

from assistant.distill.catalogue import Function
from assistant.distill.scripted import IdleModel
from assistant.distill.tasks import TaskSource
from assistant.distill.tasks.written import DOMAINS, HELD_OUT, fill
from assistant.eval.checker import Call, is_well_formed, load_cases
from tests.distill import test_scripted
from tests.distill.task_checks import (
    CASES,
    assert_scripted_one_call_tasks_pass,
    play_all,
    wanted_call,
)

CATEGORIES = ["written", "written_missing", "written_near", "written_other", "written_unrelated"]
SCHEMA_FORMS = re.compile(r"^\d{4}-\d{2}(-\d{2})?$|^\d{2}:\d{2}$")
"""Dates, months and times: the schema's form, which a request may write otherwise."""


def _tasks(n: int = 400, categories: list[str] = CATEGORIES) -> list:
    src = TaskSource(23, categories, {"call": 0.5, "abstain": 0.5})
    return [src.task(i) for i in range(n)]


def test_every_request_states_every_required_value_and_results_are_answered() -> None:
    assert len(DOMAINS) >= 30 and len(HELD_OUT) >= 30
    rng = random.Random(5)
    names = [a.name for d in [*DOMAINS, *HELD_OUT] for a in d.actions]
    assert len(names) == len(set(names))
    assert len({d.key for d in [*DOMAINS, *HELD_OUT]}) == len(DOMAINS) + len(HELD_OUT)
    for d in [*DOMAINS, *HELD_OUT]:
        assert d.cannot
        for act in d.actions:
            required = {p.name for p in act.params if p.required}
            params = {p.name for p in act.params}
            for template in act.say:
                named = {f for _, f, _, _ in string.Formatter().parse(template) if f}
                assert required <= named <= params, (act.name, template)
            for p in act.params:
                for _ in range(4):
                    value, _ = p.draw(rng)
                    assert not p.enum or value in p.enum, (act.name, p.name, value)
            prompt, values = fill(rng, act)
            assert required <= set(values) and "{" not in prompt, (act.name, prompt)
            result = act.run(**values)
            reply = act.reply.format(**values, **result)
            assert all(str(v) in reply for v in result.values()), act.name
            for request, question in act.missing:
                assert "{" not in request and question.endswith("?"), act.name


def test_expected_calls_are_well_formed_typed_and_stated() -> None:
    calls = [t for t in _tasks() if t.mode == "call"]
    assert len(calls) > 150
    with_optional = without_optional = 0
    for t in calls:
        w = wanted_call(t)
        assert w, t.task_id
        specs = [f.spec() for f in t.functions]
        assert is_well_formed(Call(w["name"], w["arguments"]), specs), (t.prompt, w)
        fn = next(f for f in t.functions if f.name == w["name"])
        props = fn.parameters["properties"]
        for key, value in w["arguments"].items():
            kind = props[key]["type"]
            if kind == "boolean":
                assert value is True, (t.prompt, key)
            elif kind == "integer":
                assert isinstance(value, int) and not isinstance(value, bool), (t.prompt, key)
            elif kind == "number":
                assert isinstance(value, int | float) and not isinstance(value, bool)
            else:
                assert isinstance(value, str), (t.prompt, key, value)
                if "enum" in props[key]:
                    assert value in props[key]["enum"]
                elif not SCHEMA_FORMS.match(value):
                    assert value.lower() in t.prompt.lower(), (t.prompt, key, value)
        optional = set(props) - set(fn.parameters["required"])
        if optional & set(w["arguments"]):
            with_optional += 1
        elif optional:
            without_optional += 1
        # the two siblings of one domain, and sometimes one action of another
        domains = [f.domain for f in t.functions]
        assert domains.count(fn.domain) == 2 and len(domains) in (2, 3)
    assert with_optional > 30 and without_optional > 30


def test_abstentions_offer_no_tool_that_fits() -> None:
    abstain = [t for t in _tasks() if t.mode == "abstain"]
    assert len(abstain) > 150
    assert {t.category for t in abstain} == set(CATEGORIES) - {"written"}
    for t in abstain:
        assert t.verify[0] == {"kind": "no_calls"}
        assert t.functions and all(isinstance(f, Function) for f in t.functions)
        if t.category == "written_other":
            # the request is another domain's: that domain's actions are not offered
            offered = {f.domain for f in t.functions}
            asked = [d for d in DOMAINS if any(fill_matches(t.prompt, a) for a in d.actions)]
            assert any(d.key not in offered for d in asked), t.prompt


def fill_matches(prompt: str, act) -> bool:
    """Whether ``prompt`` could be a request for ``act`` (its template's fixed words)."""
    for template in act.say:
        fixed = [part for part, *_ in string.Formatter().parse(template) if part.strip()]
        if fixed and all(part.strip().lower() in prompt.lower() for part in fixed):
            return True
    return False


def test_scripted_solutions_pass_and_an_idle_teacher_fails(tmp_path: Path) -> None:
    ex = test_scripted._executor(tmp_path, "host")
    tasks = _tasks(80)
    assert_scripted_one_call_tasks_pass(ex, tasks)
    idle = play_all(ex, tasks, lambda t: IdleModel())
    assert not [t.task_id for t, r in zip(tasks, idle, strict=True) if r.verification["passed"]]


def test_no_domain_name_or_prompt_is_in_the_eval() -> None:
    cases = load_cases(CASES)
    eval_names = {tool["function"]["name"] for c in cases for tool in c.tools}
    eval_prompts = {m["content"] for c in cases for m in c.messages if m["role"] == "user"}
    eval_domains = {c.id.rsplit("-", 2)[0] for c in cases}
    names = {a.name for d in [*DOMAINS, *HELD_OUT] for a in d.actions}
    assert not names & eval_names
    assert not {d.key for d in [*DOMAINS, *HELD_OUT]} & eval_domains
    drawn = _tasks(1500) + _tasks(1500, ["written_heldout"])
    assert not {t.prompt for t in drawn} & eval_prompts


def _offered(tasks: list) -> set[str]:
    return {f.name for t in tasks for f in t.functions}


def test_held_out_services_stay_out_of_the_training_categories() -> None:
    held_names = {a.name for d in HELD_OUT for a in d.actions}
    train_names = {a.name for d in DOMAINS for a in d.actions}
    trained = _tasks(1500)
    assert not _offered(trained) & held_names
    fixed = {r for d in HELD_OUT for a in d.actions for r, _ in a.missing}
    fixed |= {r for d in HELD_OUT for r, _ in d.cannot}
    assert not {t.prompt for t in trained} & fixed
    held = _tasks(600, ["written_heldout"])
    assert {t.mode for t in held} == {"call", "abstain"}
    assert _offered(held) <= held_names and len(_offered(held)) > len(held_names) // 2
    assert not _offered(held) & train_names
    # every kind of abstention is drawn: a question, a near miss, another service, unrelated
    families = {t.task_id.split("-", 2)[2] for t in held}
    assert families == {
        "heldout-0", "heldout-1", "heldout-missing", "heldout-near", "heldout-other",
        "heldout-unrelated",
    }  # fmt: skip


def test_the_default_pool_never_draws_a_held_out_service() -> None:
    held_names = {a.name for d in HELD_OUT for a in d.actions}
    default = TaskSource(0)  # no --categories
    tasks = [default.task(i) for i in range(3000)]
    assert "written_heldout" not in {t.category for t in tasks}
    assert not {getattr(f, "name", f) for t in tasks for f in t.functions or []} & held_names
    assert "written" in {t.category for t in tasks}  # the trained services are still drawn
    # named explicitly, the held-out category is drawn (alone or beside others)
    named = TaskSource(0, ["written", "written_heldout"], {"call": 0.5, "abstain": 0.5})
    assert "written_heldout" in {named.task(i).category for i in range(200)}


def test_held_out_scripted_solutions_pass_and_an_idle_teacher_fails(tmp_path: Path) -> None:
    ex = test_scripted._executor(tmp_path, "host")
    tasks = _tasks(60, ["written_heldout"])
    assert_scripted_one_call_tasks_pass(ex, tasks)
    idle = play_all(ex, tasks, lambda t: IdleModel())
    assert not [t.task_id for t, r in zip(tasks, idle, strict=True) if r.verification["passed"]]
