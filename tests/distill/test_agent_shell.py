"""One-step file changes: the scripted teacher appends, redirects and flips a JSON flag in
the Docker sandbox and passes; a do-nothing teacher fails, and so does one whose shell
command overwrites (``>``) where it should append, or whose edit rewrites the whole file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Call, Result, Script, Solution
from assistant.distill.tasks import agent
from assistant.distill.tasks.agent_shell import FAMILIES
from assistant.distill.tasks.base import Family
from tests.distill.task_checks import (
    assert_acts_at_once,
    failed_runs,
    sandbox_sweep,
    sweep_altered,
)

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
    assert_acts_at_once(fams, "shell", {"run_shell", "read_file"})


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
    lossy = sweep_altered(tmp_path, _lossy, 3)
    harmed = [(t, r) for t, r in lossy if t.template_id != "shell-save-output"]
    assert len(harmed) == 6 and len(failed_runs(harmed)) == 6
