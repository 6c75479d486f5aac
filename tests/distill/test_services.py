"""Drawn service tasks: calls fit the schema they are offered, and nothing overlaps the eval."""

from __future__ import annotations

import json
import re

from assistant.distill.catalogue import Function
from assistant.distill.tasks import TaskSource
from assistant.eval.checker import Call, is_well_formed
from tests.distill.task_checks import assert_not_in_eval

SERVICE_CATEGORIES = [
    "services",
    "services_parallel",
    "services_near",
    "services_other",
    "services_missing",
    "services_unrelated",
]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _tasks(n: int = 400) -> list:
    src = TaskSource(21, SERVICE_CATEGORIES, {"call": 0.5, "abstain": 0.5})
    return [src.task(i) for i in range(n)]


def _wanted(task) -> list[dict]:
    for check in task.verify:
        if check["kind"] == "called":
            return [check]
        if check["kind"] == "calls_match":
            return check["calls"]
    return []


def test_expected_calls_are_well_formed_against_the_offered_schemas() -> None:
    tasks = _tasks()
    calls = [t for t in tasks if t.mode == "call"]
    assert len(calls) > 100
    for t in calls:
        specs = [f.spec() for f in t.functions]
        offered = {f.name: f for f in t.functions}
        wanted = _wanted(t)
        assert wanted, t.task_id
        for w in wanted:
            assert is_well_formed(Call(w["name"], w["arguments"]), specs), (t.task_id, w)
            fn = offered[w["name"]]
            for key, value in w["arguments"].items():
                prop = fn.parameters["properties"][key]
                if "YYYY-MM-DD" in prop["description"]:
                    assert ISO.match(value), (t.prompt, value)
        # the right action is offered beside siblings of the same service
        domains = [f.domain for f in t.functions]
        assert domains.count(offered[wanted[0]["name"]].domain) >= 2
    assert any(len(_wanted(t)) == 2 for t in calls)


def test_abstentions_offer_tools_and_expect_no_call() -> None:
    abstain = [t for t in _tasks() if t.mode == "abstain"]
    assert {t.category for t in abstain} == set(SERVICE_CATEGORIES) - {
        "services",
        "services_parallel",
    }
    for t in abstain:
        assert t.functions and all(isinstance(f, Function) for f in t.functions)
        assert t.verify[0] == {"kind": "no_calls"}


def test_results_are_deterministic_and_differ_by_arguments() -> None:
    t = next(t for t in _tasks() if t.category == "services")
    fn = next(f for f in t.functions if f.name == _wanted(t)[0]["name"])
    args = _wanted(t)[0]["arguments"]
    assert fn(**args) == fn(**args)
    again = next(
        t2 for t2 in _tasks() if t2.task_id == t.task_id
    )  # a rebuilt task draws the same service
    assert [f.spec() for f in again.functions] == [f.spec() for f in t.functions]


def test_no_drawn_name_or_prompt_is_in_the_eval() -> None:
    tasks = _tasks(1500)
    assert_not_in_eval(tasks)
    # the schemas vary: the same action appears under several parameter names
    params = {json.dumps(sorted(f.parameters["properties"])) for t in tasks for f in t.functions}
    assert len(params) > 30
