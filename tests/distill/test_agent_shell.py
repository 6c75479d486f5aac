"""One-step file changes: the scripted teacher appends, redirects and flips a JSON flag in
the Docker sandbox and passes; a do-nothing teacher fails, and so does one whose shell
command overwrites (``>``) where it should append, or whose edit rewrites the whole file."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Call, Result, Script, ScriptedModel, Solution
from assistant.distill.tasks import agent
from assistant.distill.tasks.agent_shell import FAMILIES
from assistant.distill.tasks.base import Family
from tests.distill import test_scripted
from tests.distill.task_checks import failed_runs, first_step, sandbox_sweep

EVAL_AGENT = Path(__file__).resolve().parents[2] / "eval" / "agent"
BUILD = {fid: build for fid, _, build in FAMILIES}


def _shell_families() -> list[Family]:
    return [f for f in agent.families() if f.category == "shell_edits"]


def _lossy(solution: Solution) -> Solution:
    """The solution, but an append overwrites and an edit keeps only the changed line."""

    def play() -> Script:
        script = solution()
        step = next(script)
        while not isinstance(step, Answer):
            assert isinstance(step, Call)
            if step.name == "run_shell" and ">>" in step.args["command"]:
                step = Call("run_shell", {"command": step.args["command"].replace(">>", ">")})
            elif step.name == "edit_file":
                line = "{" + step.args["new_text"] + "}\n"
                step = Call("write_file", {"path": step.args["path"], "content": line})
            step = script.send((yield step))
        yield step

    return play


def test_every_family_acts_in_one_step_on_what_the_request_states() -> None:
    fams = _shell_families()
    assert {f.id for f in fams} == set(BUILD) and len(fams) == 3
    instructions = {
        json.loads(p.read_text())["instruction"] for p in EVAL_AGENT.glob("*/task.json")
    }
    assert len(instructions) > 20
    for fam in fams:
        prompts = set()
        for seed in range(30):
            spec = fam.build(random.Random(f"shell:{fam.id}:{seed}"))
            prompts.add(spec.prompt)
            (call,) = first_step(spec)
            assert call.name in {"run_shell", "read_file"}, fam.id
            assert spec.functions is None and not spec.prompt.endswith("?")
        assert len(prompts) >= 12, fam.id
        assert not prompts & instructions


def test_a_json_flag_edit_replaces_exactly_the_flag_it_read() -> None:
    for seed in range(20):
        spec = BUILD["edit-json-flag"](random.Random(seed))
        ((name, text),) = spec.files.items()
        script = spec.solution()
        read = next(script)
        numbered = "".join(f"{i:>6}\t{line}\n" for i, line in enumerate(text.splitlines(), 1))
        edit = script.send([Result(numbered, False)])
        assert isinstance(read, Call) and read.args == {"path": name}
        assert isinstance(edit, Call) and edit.name == "edit_file"
        assert text.count(edit.args["old_text"]) == 1
        changed = text.replace(edit.args["old_text"], edit.args["new_text"])
        before, after = json.loads(text), json.loads(changed)
        (flag,) = [k for k in before if before[k] != after[k]]
        assert after[flag] is (not before[flag]) and flag in spec.prompt


@pytest.mark.slow
def test_scripted_runs_pass_and_idle_or_lossy_runs_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = sandbox_sweep(tmp_path, monkeypatch, _shell_families, 3)
    assert len(runs) == 9
    for task, r, calls in runs:
        assert calls[-1].name in {"run_shell", "edit_file"}, task.task_id
        assert not r.messages[-1].content.strip().endswith("?"), task.task_id
    ex = test_scripted._executor(tmp_path)
    lossy = asyncio.run(
        test_scripted._sweep(ex, lambda t: ScriptedModel(_lossy(t.solution), t.task_id), range(3))
    )
    harmed = [(t, r) for t, r in lossy if t.template_id != "shell-save-output"]
    assert len(harmed) == 6 and len(failed_runs(harmed)) == 6
