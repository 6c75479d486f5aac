"""Edits the request fully describes: the scripted teacher acts at once and passes in the
Docker sandbox; a do-nothing teacher fails, and so does one that overwrites the file with
only the changed line."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Call, Result, Script, Solution
from assistant.distill.tasks import agent
from assistant.distill.tasks.agent_edits import FAMILIES
from assistant.distill.tasks.base import Family
from tests.distill.task_checks import (
    assert_acts_at_once,
    failed_runs,
    sandbox_sweep,
    sweep_altered,
)

BUILD = {fid: build for fid, _, build in FAMILIES}


def _edit_families() -> list[Family]:
    return [f for f in agent.families() if f.category == "file_edits"]


def _clobbering(solution: Solution) -> Solution:
    """The solution, but every write or edit replaces the whole file with the changed line."""

    def play() -> Script:
        script = solution()
        step = next(script)
        while not isinstance(step, Answer):
            assert isinstance(step, Call)
            if step.name in ("write_file", "edit_file"):
                line = step.args.get("new_text") or step.args["content"].splitlines()[-1]
                step = Call("write_file", {"path": step.args["path"], "content": line + "\n"})
            step = script.send((yield step))
        yield step

    return play


def test_every_family_acts_on_what_the_request_states_in_varied_words() -> None:
    fams = _edit_families()
    assert {f.id for f in fams} == set(BUILD) and len(fams) == 3
    assert_acts_at_once(fams, "edits", {"write_file", "read_file"})


def test_a_config_edit_replaces_exactly_the_assignment_it_read() -> None:
    for seed in range(20):
        spec = BUILD["edit-set-config"](random.Random(seed))
        (text,) = spec.files.values()
        script = spec.solution()
        read = next(script)
        numbered = "".join(f"{i:>6}\t{line}\n" for i, line in enumerate(text.splitlines(), 1))
        edit = script.send([Result(numbered, False)])
        assert isinstance(read, Call) and isinstance(edit, Call) and edit.name == "edit_file"
        assert text.count(edit.args["old_text"]) == 1
        changed = text.replace(edit.args["old_text"], edit.args["new_text"])
        wanted = next(c["text"] for c in spec.verify if c["kind"] == "file_contains")
        assert wanted in changed and wanted not in text
        kept = [c["text"] for c in spec.verify[2:]]
        assert len(kept) == 2 and all(k in changed for k in kept)


@pytest.mark.slow
def test_scripted_runs_pass_and_idle_or_clobbering_runs_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = sandbox_sweep(tmp_path, monkeypatch, _edit_families, 3)
    assert len(runs) == 9
    for task, r, calls in runs:
        assert calls[-1].name in {"write_file", "edit_file"}, task.task_id
        assert not r.messages[-1].content.strip().endswith("?"), task.task_id
    clobbered = sweep_altered(tmp_path, _clobbering, 3)
    lossy = [(t, r) for t, r in clobbered if t.template_id != "edit-write-stated"]
    assert len(lossy) == 6 and len(failed_runs(lossy)) == 6
