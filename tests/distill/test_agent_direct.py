"""Direct single-action agent tasks: well-formed specs, one right tool, arguments as asked,
and a real scripted run of every family through the Docker sandbox that passes its checks
(while a do-nothing teacher fails them)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Result
from assistant.distill.tasks import agent_direct
from tests.distill.task_checks import direct_specs, first_step, sandbox_sweep, wanted_tool


def test_every_family_builds_well_formed_direct_tasks() -> None:
    fams = agent_direct.families()
    assert len(fams) >= 18 and len({f.id for f in fams}) == len(fams)
    assert {(f.category, f.mode, f.distinct) for f in fams} == {("direct_tools", "agent", True)}
    for fid, spec, calls in direct_specs(fams, "direct", 12):
        assert len(spec.verify) >= 2, fid
        # paths, patterns, commands and code appear in the request as written
        for c in calls:
            for key in ("path", "pattern", "command", "code", "query", "old_text"):
                value = c.args.get(key)
                if key == "pattern" and c.name == "glob":
                    value = value.removeprefix("**/").removeprefix("*.")
                # "how many lines has F? use `wc -l`" asks for `wc -l F`
                if key == "command" and value:
                    words = [w for w in value.split() if w != "bash"]
                    assert all(w in spec.prompt for w in words), (fid, value)
                elif isinstance(value, str) and value != ".":
                    assert value in spec.prompt, (fid, key, value, spec.prompt)
        for key in ("start_line", "end_line", "max_depth"):
            if key in calls[0].args:
                n = calls[0].args[key]
                said = {str(n), {1: "one", 2: "two", 3: "three"}.get(n, str(n))}
                assert any(w in spec.prompt for w in said), (fid, key, spec.prompt)


def test_two_independent_requests_are_two_calls_in_one_turn() -> None:
    for fid in ("direct-read-two", "direct-grep-two"):
        fam = next(f for f in agent_direct.families() if f.id == fid)
        calls = first_step(fam.build(random.Random(4)))
        assert len(calls) == 2 and calls[0].args != calls[1].args


def test_grep_patterns_are_the_literal_text_asked_for() -> None:
    for fam in agent_direct.families():
        for seed in range(8):
            for c in first_step(fam.build(random.Random(seed))):
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
    for task, r, calls in sandbox_sweep(tmp_path, monkeypatch, agent_direct.families, 2):
        assert {c.name for c in calls} == {wanted_tool(task.verify)}, task.task_id
        turns = [m for m in r.messages if m.tool_calls]
        assert len(turns) == 1, task.task_id  # one action (two parallel calls at most)
