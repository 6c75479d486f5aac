"""Direct single-action agent tasks: well-formed specs, one right tool, arguments as asked,
and a real scripted run of every family through the Docker sandbox that passes its checks
(while a do-nothing teacher fails them)."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Call, IdleModel, Result, ScriptedModel
from assistant.distill.tasks import agent_direct
from assistant.distill.tasks.base import Spec
from assistant.tools import default_tools
from tests.distill import test_scripted

TOOLS = {t.name: t for t in default_tools()}


def _first_step(spec: Spec) -> list[Call]:
    step = next(spec.solution())
    assert not isinstance(step, Answer)
    return step if isinstance(step, list) else [step]


def test_every_family_builds_well_formed_direct_tasks() -> None:
    fams = agent_direct.families()
    assert len(fams) >= 18 and len({f.id for f in fams}) == len(fams)
    assert {(f.category, f.mode, f.distinct) for f in fams} == {("direct_tools", "agent", True)}
    for fam in fams:
        prompts = set()
        for seed in range(12):
            spec = fam.build(random.Random(f"direct:{fam.id}:{seed}"))
            prompts.add(spec.prompt)
            assert spec.functions is None and spec.prompt.strip()
            kinds = [c["kind"] for c in spec.verify]
            assert "tool_called" in kinds and len(kinds) >= 2, fam.id
            wanted = next(c["name"] for c in spec.verify if c["kind"] == "tool_called")
            calls = _first_step(spec)
            # exactly the asked tool, with arguments its schema accepts
            assert {c.name for c in calls} == {wanted}, fam.id
            for c in calls:
                params = TOOLS[c.name].parameters
                assert set(c.args) <= set(params["properties"]), (fam.id, c.args)
                assert set(params.get("required", [])) <= set(c.args), (fam.id, c.args)
            # paths, patterns, commands and code appear in the request as written
            for c in calls:
                for key in ("path", "pattern", "command", "code", "query", "old_text"):
                    value = c.args.get(key)
                    if key == "pattern" and c.name == "glob":
                        value = value.removeprefix("**/").removeprefix("*.")
                    # "how many lines has F? use `wc -l`" asks for `wc -l F`
                    if key == "command" and value:
                        words = [w for w in value.split() if w != "bash"]
                        assert all(w in spec.prompt for w in words), (fam.id, value)
                    elif isinstance(value, str) and value != ".":
                        assert value in spec.prompt, (fam.id, key, value, spec.prompt)
            for key in ("start_line", "end_line", "max_depth"):
                if key in calls[0].args:
                    n = calls[0].args[key]
                    said = {str(n), {1: "one", 2: "two", 3: "three"}.get(n, str(n))}
                    assert any(w in spec.prompt for w in said), (fam.id, key, spec.prompt)
        assert len(prompts) >= 5, fam.id  # varied phrasings and values


def test_two_independent_requests_are_two_calls_in_one_turn() -> None:
    for fid in ("direct-read-two", "direct-grep-two"):
        fam = next(f for f in agent_direct.families() if f.id == fid)
        calls = _first_step(fam.build(random.Random(4)))
        assert len(calls) == 2 and calls[0].args != calls[1].args


def test_grep_patterns_are_the_literal_text_asked_for() -> None:
    for fam in agent_direct.families():
        for seed in range(8):
            for c in _first_step(fam.build(random.Random(seed))):
                if c.name == "grep":
                    assert "\\" not in c.args["pattern"], c.args


def test_answers_come_from_the_results() -> None:
    fam = next(f for f in agent_direct.families() if f.id == "direct-shell-wc")
    script = fam.build(random.Random(1)).solution()
    next(script)
    answer = script.send([Result("4242 some/file.txt\n[exit code: 0]", False)])
    assert isinstance(answer, Answer) and "4242" in answer.text


@pytest.mark.slow
def test_scripted_runs_pass_in_the_sandbox_and_idle_runs_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(test_scripted, "all_families", agent_direct.families)
    ex = test_scripted._executor(tmp_path)
    results = asyncio.run(
        test_scripted._sweep(ex, lambda t: ScriptedModel(t.solution, t.task_id), range(2))
    )
    failed = [
        (t.task_id, [c for c in r.verification["checks"] if not c["ok"]])
        for t, r in results
        if not r.verification["passed"] or r.ended != "done"
    ]
    assert not failed
    for task, r in results:
        calls = [c for m in r.messages for c in m.tool_calls]
        wanted = next(c["name"] for c in task.verify if c["kind"] == "tool_called")
        assert {c.name for c in calls} == {wanted}, task.task_id
        turns = [m for m in r.messages if m.tool_calls]
        assert len(turns) == 1, task.task_id  # one action (two parallel calls at most)
    idle = asyncio.run(test_scripted._sweep(ex, lambda t: IdleModel(), range(1)))
    assert not [t.task_id for t, r in idle if r.verification["passed"]]
