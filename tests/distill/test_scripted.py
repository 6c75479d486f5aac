"""The scripted teacher and the task families: breadth, checks that can fail, one format.

The sweeps run every family through the real agent loop, the real tools and the real
Docker sandbox: the scripted teacher must pass every check, and a do-nothing teacher
(answers "done", calls nothing) must fail every check that a no-op cannot satisfy.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.distill.catalogue import CATALOGUE
from assistant.distill.config import DistillConfig, TeacherSpec
from assistant.distill.executor import SANDBOX_TRIES, SandboxFailed, TaskExecutor
from assistant.distill.scripted import IdleModel, ScriptedModel
from assistant.distill.tasks import TaskSource, all_families
from assistant.distill.teachers import Spend
from assistant.llm.base import Completion, Message, ToolCall, Usage

NO_OP_PASSES = {"no_calls", "answer_lacks", "file_unchanged", "file_not_contains"}
"""Check kinds a do-nothing reply satisfies by construction (constraints, not goals)."""


def _executor(tmp_path: Path, sandbox: str = "docker") -> TaskExecutor:
    cfg = DistillConfig(
        teachers=[TeacherSpec("scripted", "scripted")],
        ratios=[1.0],
        num_examples=1,
        output_dir=tmp_path,
        sandbox=sandbox,
    )
    return TaskExecutor(cfg, {}, Spend())


async def _sweep(ex: TaskExecutor, make_model: Any, indices: range) -> list[tuple[Any, Any]]:
    src = TaskSource(11)
    gate = asyncio.Semaphore(2)  # more concurrent containers only race in the docker backend

    async def one(fam: Any, i: int) -> tuple[Any, Any]:
        task = src.make(i, fam)
        async with gate:
            for attempt in range(SANDBOX_TRIES):  # as TaskExecutor.run does
                try:
                    return task, await ex.play(task, make_model(task))
                except SandboxFailed:
                    if attempt == SANDBOX_TRIES - 1:
                        raise
                    await asyncio.sleep(attempt + 1)
        raise AssertionError("unreachable")

    return await asyncio.gather(*(one(f, i) for f in all_families() for i in indices))


# -- breadth -----------------------------------------------------------------------------------
def _fingerprint(task: Any) -> str:
    """What makes a task distinct (its request, checks and workspace shape), with numbers
    blurred so the same task with other values would collide."""
    blur = lambda s: re.sub(r"\d+", "#", s)  # noqa: E731
    checks = json.dumps(sorted(json.dumps(c, sort_keys=True) for c in task.verify))
    return blur(
        f"{task.mode}|{task.category}|{checks}|{sorted(task.files)}|{task.setup}|"
        f"{task.template_id.split('-')[0]}|{' '.join(task.prompt.split()[:4])}"
    )


def test_at_least_150_distinct_tasks_over_10_categories_plus_the_catalogue() -> None:
    fams = [f for f in all_families() if f.distinct]
    assert len(fams) >= 150
    assert len({f.category for f in fams}) >= 10
    agent = [f for f in fams if f.mode == "agent"]
    assert len(agent) >= 60 and len({f.category for f in agent}) >= 10
    # distinct, not rewordings: no two families build the same checks and workspace shape
    src = TaskSource(3)
    prints = {f.id: _fingerprint(src.make(0, f)) for f in fams}
    assert len(set(prints.values())) == len(prints)
    # every family has at least one check, and the catalogue is real functions
    assert all(src.make(1, f).verify for f in all_families())
    assert len(CATALOGUE) >= 40
    assert len({f.name for f in CATALOGUE}) == len(CATALOGUE)


def test_tasks_are_deterministic_for_a_seed_and_the_mix_is_mostly_hard_abstentions() -> None:
    a, b = TaskSource(5), TaskSource(5)
    for i in range(50):
        ta, tb = a.task(i), b.task(i)
        assert (ta.task_id, ta.prompt, ta.files, ta.verify, ta.functions) == (
            tb.task_id,
            tb.prompt,
            tb.files,
            tb.verify,
            tb.functions,
        )
    modes = [a.task(i).mode for i in range(2000)]
    assert 0.38 < modes.count("abstain") / len(modes) < 0.48
    cats = [a.task(i).category for i in range(2000) if a.task(i).mode == "abstain"]
    hard_kinds = (
        "near_miss",
        "missing_value",
        "services_near",
        "services_other",
        "services_missing",
        "records_missing",
        "agent_missing",
        "written_near",
        "written_other",
        "written_missing",
    )
    hard = sum(c in hard_kinds for c in cats)
    assert hard / len(cats) > 0.7


def test_catalogue_calls_offer_one_fitting_function_among_others_and_state_every_value() -> None:
    src = TaskSource(9, ["functions"])
    for i in range(200):
        t = src.task(i)
        called = next(c for c in t.verify if c["kind"] == "called")
        assert called["name"] in t.functions and 3 <= len(t.functions) <= 5
        for key, value in called["arguments"].items():  # the request states the values
            if isinstance(value, str) and key != "expression":  # written as the schema asks
                assert value.lower() in t.prompt.lower(), (t.prompt, value)


# -- the sweeps ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_scripted_teacher_passes_every_check_of_every_family(tmp_path: Path) -> None:
    ex = _executor(tmp_path)
    results = asyncio.run(_sweep(ex, lambda t: ScriptedModel(t.solution, t.task_id), range(2)))
    failed = [
        (t.task_id, [c for c in r.verification["checks"] if not c["ok"]])
        for t, r in results
        if not r.verification["passed"] or r.ended != "done"
    ]
    assert not failed
    agent = [r for t, r in results if t.mode == "agent"]
    assert all(any(m.tool_calls for m in r.messages) for r in agent)
    abstain = [r for t, r in results if t.mode == "abstain"]
    assert all(not any(m.tool_calls for m in r.messages) for r in abstain)


@pytest.mark.slow
def test_do_nothing_teacher_fails_every_check_that_needs_work(tmp_path: Path) -> None:
    ex = _executor(tmp_path)
    results = asyncio.run(_sweep(ex, lambda t: IdleModel(), range(1)))
    passed_anyway = []
    for task, r in results:
        assert not r.verification["passed"], task.task_id
        for check, spec in zip(r.verification["checks"], task.verify, strict=True):
            if check["ok"] and not spec.get("guard") and spec["kind"] not in NO_OP_PASSES:
                passed_anyway.append((task.task_id, check))
    assert not passed_anyway


def test_weak_check_cases_are_fixed() -> None:
    from assistant.distill.verify import mentions

    assert not mentions("run it with python3", "3")
    assert not mentions("set port = 128", "port = 12")
    assert mentions("port = 12 now", "port = 12")
    assert mentions("The answer is 3.", "3")
    assert not mentions("the result is 3.5", "3")
    assert not mentions("hit or miss", "hit|miss")
    assert mentions("It's a hit.", "hit")


# -- one format with inference -----------------------------------------------------------------
class Replay:
    """A model that replays a record's assistant turns and keeps the last prompt it got."""

    provider = "replay"
    name = "replay"
    context_length = 1_000_000

    def __init__(self, turns: list[Message]) -> None:
        self.turns = list(turns)
        self.seen: list[tuple[list[Message], Any]] = []

    def count_tokens(self, messages: list[Message], tools: Any = None) -> int:
        return 1

    async def stream(self, messages: list[Message], tools: Any = None, **_: Any):  # type: ignore[no-untyped-def]
        self.seen.append((list(messages), tools))
        msg = self.turns.pop(0)
        yield Completion(msg, Usage(), "tool_calls" if msg.tool_calls else "stop")


def test_a_record_renders_exactly_as_the_agent_prompts_at_inference(tmp_path: Path) -> None:
    """Render a scripted record with llm/toolformat and compare it with the prompt the
    agent (built by agent.builder, as `assistant run` builds it) gives the model for the
    same conversation in the same workspace."""
    from assistant.agent.builder import build_agent
    from assistant.agent.session import SessionStore
    from assistant.config import Settings
    from assistant.distill.executor import materialise
    from assistant.llm.toolformat import render_prompt

    fam = next(f for f in all_families() if f.id == "functions-in-module")
    task = TaskSource(1).make(4, fam)
    task.files["AGENTS.md"] = "Use tabs, never spaces.\n"  # instructions from the task workspace
    traj = asyncio.run(_executor(tmp_path / "d").play(task, ScriptedModel(task.solution, "t")))
    assert traj.verification["passed"]
    record_msgs, record_tools = traj.messages, traj.tools
    assert "Use tabs, never spaces." in record_msgs[0].content
    assert "/workspace" in record_msgs[0].content

    ws = tmp_path / "ws"
    ws.mkdir()
    materialise(ws, task)
    replay = Replay([m for m in record_msgs if m.role == "assistant"])
    built = build_agent(
        Settings(), ws, model=replay, persist=False, store=SessionStore(tmp_path / "sessions")
    )

    async def run() -> None:
        async for _ in built.agent.run(task.prompt):
            pass

    asyncio.run(run())
    last_messages, last_tools = replay.seen[-1]
    assert render_prompt(last_messages, last_tools) == render_prompt(record_msgs[:-1], record_tools)
    # and the record itself is in the OpenAI shape: JSON-string arguments, tool messages
    rec = [m.to_dict() for m in record_msgs]
    call = next(m for m in rec if m.get("tool_calls"))["tool_calls"][0]
    assert call["type"] == "function" and isinstance(call["function"]["arguments"], str)
    assert any(m["role"] == "tool" and m["tool_call_id"] == call["id"] for m in rec)


def test_instructions_come_from_the_task_workspace_never_the_host(tmp_path: Path) -> None:
    fam = next(f for f in all_families() if f.id == "knowledge-000")
    task = TaskSource(1).make(0, fam)
    host = Path("/workspace/AGENTS.md")
    traj = asyncio.run(_executor(tmp_path).play(task, ScriptedModel(task.solution, "t")))
    assert "Project instructions" not in traj.messages[0].content
    if host.exists():  # a machine with a /workspace of its own must not leak into records
        assert host.read_text()[:200] not in traj.messages[0].content


def test_scripted_call_ids_and_answers_are_deterministic(tmp_path: Path) -> None:
    fam = next(f for f in all_families() if f.id == "call-convert_length")
    ex = _executor(tmp_path)
    runs = []
    for _ in range(2):
        task = TaskSource(4).make(7, fam)
        runs.append(asyncio.run(ex.play(task, ScriptedModel(task.solution, task.task_id))))
    assert [m.to_dict() for m in runs[0].messages] == [m.to_dict() for m in runs[1].messages]
    assert isinstance(runs[0].messages[2].tool_calls[0], ToolCall)
