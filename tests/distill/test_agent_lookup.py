"""Direct lookup tasks: well-formed specs, one right call with the arguments as asked
(well-known top-level files, src/ and docs/ paths as written, end_line or start_line
only, listings of "." and of a folder to a depth, grep with a file-type glob), and a real
scripted run of every family through the Docker sandbox that passes its checks (while a
do-nothing teacher fails them)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.distill.scripted import Answer, Result
from assistant.distill.tasks import agent_lookup
from assistant.distill.tasks.base import Family, Spec
from tests.distill.task_checks import direct_specs, first_step, sandbox_sweep, wanted_tool

NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}


def _fam(fid: str) -> Family:
    return next(f for f in agent_lookup.families() if f.id == fid)


def _specs(fid: str, n: int = 24) -> list[Spec]:
    return [_fam(fid).build(random.Random(f"lookup:{fid}:{s}")) for s in range(n)]


def test_every_family_builds_well_formed_lookup_tasks() -> None:
    fams = agent_lookup.families()
    assert 8 <= len(fams) <= 10 and len({f.id for f in fams}) == len(fams)
    assert {(f.category, f.mode, f.distinct) for f in fams} == {("direct_lookup", "agent", True)}
    assert all(f.id.startswith("lookup-") for f in fams)
    for fid, spec, calls in direct_specs(fams, "lookup", 16):
        assert "answer_has" in [c["kind"] for c in spec.verify], fid
        (call,) = calls
        for key in ("path", "pattern"):
            value = call.args.get(key)
            if isinstance(value, str) and value != ".":
                assert value in spec.prompt, (fid, key, value, spec.prompt)
        for key in ("start_line", "end_line", "max_depth"):
            if key in call.args:
                n = call.args[key]
                said = {str(n), NUMBER_WORDS.get(n, str(n))}
                assert any(w in spec.prompt.lower() for w in said), (fid, key, spec.prompt)
        # the file or folder named is in the workspace (a listing of "." excepted)
        path = call.args.get("path", ".")
        if call.name == "read_file":
            assert path in spec.files, (fid, path)
        elif path != ".":
            assert any(p.startswith(path + "/") for p in spec.files), (fid, path)


def test_known_files_are_top_level_and_read_whole() -> None:
    names = set()
    for fid in ("lookup-ask-known-file", "lookup-show-known-file"):
        for spec in _specs(fid, 40):
            (call,) = first_step(spec)
            assert call.args.keys() == {"path"} and "/" not in call.args["path"]
            names.add(call.args["path"])
    assert {"Dockerfile", ".gitignore", "setup.cfg", "pyproject.toml"} <= names
    assert len(names) >= 10


def test_prefixed_paths_keep_src_and_docs() -> None:
    tops = set()
    for spec in _specs("lookup-read-prefixed"):
        (call,) = first_step(spec)
        tops.add(call.args["path"].split("/")[0])
        assert call.args.keys() == {"path"} and call.args["path"].count("/") >= 1
    assert tops == {"src", "docs"}


def test_line_bounds_are_one_sided() -> None:
    for spec in _specs("lookup-read-head"):
        (call,) = first_step(spec)
        assert call.args.keys() == {"path", "end_line"}
        assert "start_line" not in call.args
    for spec in _specs("lookup-read-tail"):
        (call,) = first_step(spec)
        assert call.args.keys() == {"path", "start_line"}


def test_listings_use_root_and_depth_as_asked() -> None:
    for spec in _specs("lookup-list-all"):
        assert first_step(spec)[0].args == {"path": "."}
    for spec in _specs("lookup-list-top"):
        assert first_step(spec)[0].args == {"path": ".", "max_depth": 1}
    depths = set()
    for spec in _specs("lookup-list-folder-depth"):
        args = first_step(spec)[0].args
        assert args.keys() == {"path", "max_depth"} and "/" not in args["path"]
        depths.add(args["max_depth"])
    assert depths == {1, 2, 3}


def test_grep_glob_matches_the_file_type_named_in_words() -> None:
    words = {
        "*.py": ("python", ".py"),
        "*.md": ("markdown", ".md"),
        "*.yml": ("yaml", ".yml"),
        "*.sh": ("shell", ".sh"),
        "*.toml": ("toml", ".toml"),
        "*.json": ("json", ".json"),
    }
    globs = set()
    for spec in _specs("lookup-grep-typed", 40):
        (call,) = first_step(spec)
        assert call.args.keys() == {"pattern", "glob"} and "\\" not in call.args["pattern"]
        glob = call.args["glob"]
        globs.add(glob)
        assert any(w in spec.prompt.lower() for w in words[glob]), (glob, spec.prompt)
        lacks = next(c["texts"] for c in spec.verify if c["kind"] == "answer_lacks")
        assert lacks and not any(p.endswith(glob[1:]) for p in lacks)
    assert {"*.py", "*.md", "*.yml"} <= globs


def test_answers_come_from_the_results() -> None:
    spec = next(
        s
        for s in _specs("lookup-ask-known-file", 200)
        if first_step(s)[0].args["path"] == "Dockerfile"
    )
    script = spec.solution()
    next(script)
    out = "     1\tFROM example/unseen:9.9\n     2\tEXPOSE 4321\n"
    answer = script.send([Result(out, False)])
    assert isinstance(answer, Answer)
    assert "example/unseen:9.9" in answer.text or "4321" in answer.text
    wanted = next(c["texts"] for c in spec.verify if c["kind"] == "answer_has")
    assert not any(w in answer.text for w in wanted)


@pytest.mark.slow
def test_scripted_runs_pass_in_the_sandbox_and_idle_runs_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for task, _, calls in sandbox_sweep(tmp_path, monkeypatch, agent_lookup.families, 3):
        assert len(calls) == 1 and calls[0].name == wanted_tool(task.verify), task.task_id
