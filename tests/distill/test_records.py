"""Drawn record-keeping tasks: calls fit the offered schema with the right JSON types,
the scripted solutions pass their own checks, and nothing overlaps the eval."""

from __future__ import annotations

from pathlib import Path

from assistant.distill.catalogue import Function
from assistant.distill.tasks import TaskSource
from assistant.eval.checker import Call, is_well_formed
from tests.distill import test_scripted
from tests.distill.task_checks import (
    assert_not_in_eval,
    assert_scripted_one_call_tasks_pass,
    wanted_call,
)

CATEGORIES = ["records", "records_missing"]


def _tasks(n: int = 300) -> list:
    src = TaskSource(21, CATEGORIES, {"call": 0.6, "abstain": 0.4})
    return [src.task(i) for i in range(n)]


def test_expected_calls_are_well_formed_and_typed() -> None:
    calls = [t for t in _tasks() if t.mode == "call"]
    assert len(calls) > 120
    polarities: set[bool] = set()
    families = set()
    for t in calls:
        w = wanted_call(t)
        assert w, t.task_id
        families.add(t.template_id)
        specs = [f.spec() for f in t.functions]
        assert is_well_formed(Call(w["name"], w["arguments"]), specs), (t.prompt, w)
        offered = {f.name: f for f in t.functions}
        fn = offered[w["name"]]
        props = fn.parameters["properties"]
        for key, value in w["arguments"].items():
            kind = props[key]["type"]
            if kind == "boolean":
                assert isinstance(value, bool), (t.prompt, key, value)
                polarities.add(value)
            elif kind == "integer":
                assert isinstance(value, int) and not isinstance(value, bool), (t.prompt, key)
            else:
                assert isinstance(value, str), (t.prompt, key, value)
            if "enum" in props[key]:
                assert value in props[key]["enum"]
        # the right action is offered beside 1-2 siblings of the same service only
        assert 2 <= len(t.functions) <= 3
        assert {f.domain for f in t.functions} == {fn.domain}
        assert len(offered) == len(t.functions)
    assert polarities == {True, False}
    assert len(families) == 5


def test_values_are_stated_in_the_prompt() -> None:
    for t in _tasks():
        w = wanted_call(t)
        if not w:
            continue
        for value in w["arguments"].values():
            if isinstance(value, str):  # ids, topics, quoted notes and enum words
                assert value.lower() in t.prompt.lower(), (t.prompt, value)


def test_missing_values_are_asked_for_without_a_call() -> None:
    abstain = [t for t in _tasks() if t.mode == "abstain"]
    assert len(abstain) > 60
    for t in abstain:
        assert t.category == "records_missing"
        assert t.functions and all(isinstance(f, Function) for f in t.functions)
        assert t.verify == [{"kind": "no_calls"}, {"kind": "asks_question"}]


def test_scripted_solutions_pass_their_own_checks(tmp_path: Path) -> None:
    ex = test_scripted._executor(tmp_path, "host")
    assert_scripted_one_call_tasks_pass(ex, _tasks(60))


def test_results_are_deterministic() -> None:
    t = next(t for t in _tasks() if t.mode == "call")
    w = wanted_call(t)
    fn = next(f for f in t.functions if f.name == w["name"])
    assert fn(**w["arguments"]) == fn(**w["arguments"])


def test_no_drawn_name_or_prompt_is_in_the_eval() -> None:
    assert_not_in_eval(_tasks(1500))
