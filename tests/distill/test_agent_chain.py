"""Two-step agent tasks: the first call observes, the second writes or edits with what the
first returned; a scripted run passes in the Docker sandbox, while a do-nothing teacher
and one that stops after the first call fail every task."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Call, Result, Script, Solution
from assistant.distill.tasks import agent
from assistant.distill.tasks.agent_chain import FAMILIES
from assistant.distill.tasks.base import Family
from tests.distill.task_checks import (
    eval_agent_instructions,
    failed_runs,
    first_step,
    sandbox_sweep,
    sweep_altered,
)

OBSERVE = {"run_shell", "grep", "read_file"}
ACT = {"write_file", "edit_file"}
BUILD = {fid: build for fid, _, build in FAMILIES}


def _chain_families() -> list[Family]:
    return [f for f in agent.families() if f.category == "chains"]


def _first_step_only(solution: Solution) -> Solution:
    """The solution's first call, then an answer: a model that never acts on a result."""

    def play() -> Script:
        yield next(solution())
        yield Answer("Done.")

    return play


def test_every_family_observes_first_and_its_prompts_vary() -> None:
    fams = _chain_families()
    assert {f.id for f in fams} == {fid for fid, _, _ in FAMILIES} and len(fams) == 5
    for fam in fams:
        prompts = set()
        for seed in range(16):
            spec = fam.build(random.Random(f"chain:{fam.id}:{seed}"))
            prompts.add(spec.prompt)
            (call,) = first_step(spec)
            assert call.name in OBSERVE, fam.id
            assert spec.functions is None and spec.files
        assert len(prompts) >= 5, fam.id


def test_the_second_call_carries_what_the_first_returned() -> None:
    spec = BUILD["chain-save-output"](random.Random(3))
    script = spec.solution()
    next(script)
    step = script.send([Result("9731\n[exit code: 0]", False)])
    assert isinstance(step, Call) and step.name == "write_file"
    assert step.args["content"] == "9731\n"

    spec = BUILD["chain-save-count"](random.Random(3))
    script = spec.solution()
    next(script)
    step = script.send([Result("src/a.py:2:    # XXX: one\nsrc/b.py:5:    # XXX: two\n", False)])
    assert isinstance(step, Call) and step.args["content"] == "2\n"


def test_no_prompt_is_an_eval_agent_instruction() -> None:
    instructions = eval_agent_instructions()
    for fam in _chain_families():
        for seed in range(40):
            assert fam.build(random.Random(seed)).prompt not in instructions


@pytest.mark.slow
def test_scripted_runs_pass_and_stopping_after_the_first_call_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = sandbox_sweep(tmp_path, monkeypatch, _chain_families, 2)
    assert len(runs) == 10
    for task, r, _calls in runs:
        turns = [{c.name for c in m.tool_calls} for m in r.messages if m.tool_calls]
        assert len(turns) == 2 and turns[0] <= OBSERVE and turns[1] <= ACT, task.task_id
    halted = sweep_altered(tmp_path, _first_step_only, 2)
    assert len(failed_runs(halted)) == len(halted) == 10
