"""Checks the task-family tests share: the first step of a solution, what every direct
agent task has, the scripted sweep of a module's families through the Docker sandbox, and
the overlap of drawn tasks with the eval."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.distill.scripted import Answer, Call, IdleModel, ScriptedModel, Solution
from assistant.distill.tasks.base import Family, Spec, Task
from assistant.eval.checker import load_cases
from assistant.llm.base import ToolCall
from assistant.tools import default_tools
from tests.distill import test_scripted

CASES = Path(__file__).resolve().parents[2] / "eval" / "tools" / "cases.jsonl"
EVAL_AGENT = CASES.parents[1] / "agent"
TOOLS = {t.name: t for t in default_tools()}


def first_step(spec: Spec) -> list[Call]:
    """The calls a solution makes first (one, or several in one turn)."""
    step = next(spec.solution())
    assert not isinstance(step, Answer)
    return step if isinstance(step, list) else [step]


def wanted_tool(verify: list[dict[str, Any]]) -> str:
    """The tool a task's ``tool_called`` check asks for."""
    return next(c["name"] for c in verify if c["kind"] == "tool_called")


def failed_runs(runs: Iterable[tuple[Task, Any]]) -> list[tuple[str, str, list[Any]]]:
    """The runs that did not end done with every check passed, with their failing checks."""
    return [
        (t.task_id, t.prompt, [c for c in r.verification["checks"] if not c["ok"]])
        for t, r in runs
        if not r.verification["passed"] or r.ended != "done"
    ]


def play_all(ex: Any, tasks: list[Task], model_for: Callable[[Task], Any]) -> list[Any]:
    """Play every task through the executor ``ex`` with the model ``model_for`` gives."""

    async def run() -> list[Any]:
        return [await ex.play(t, model_for(t)) for t in tasks]

    return asyncio.run(run())


def assert_scripted_one_call_tasks_pass(ex: Any, tasks: list[Task]) -> None:
    """The scripted teacher passes every task's checks, with one call for a call task and
    none for an abstention."""
    results = play_all(ex, tasks, lambda t: ScriptedModel(t.solution, t.task_id))
    assert not failed_runs(zip(tasks, results, strict=True))
    for t, r in zip(tasks, results, strict=True):
        calls = [c for m in r.messages for c in m.tool_calls]
        assert len(calls) == (1 if t.mode == "call" else 0), t.task_id


def wanted_call(task: Task) -> dict[str, Any] | None:
    """The call a task's ``called`` check asks for (None for tasks without one)."""
    return next((c for c in task.verify if c["kind"] == "called"), None)


def direct_specs(
    families: list[Family], tag: str, seeds: int
) -> Iterator[tuple[str, Spec, list[Call]]]:
    """Each family's tasks for ``seeds`` seeds, with the calls their solutions make first.

    Checked on the way: a request, the agent's own tools, exactly the tool the
    ``tool_called`` check names, arguments its schema accepts, and varied prompts.
    """
    for fam in families:
        prompts = set()
        for seed in range(seeds):
            spec = fam.build(random.Random(f"{tag}:{fam.id}:{seed}"))
            prompts.add(spec.prompt)
            assert spec.functions is None and spec.prompt.strip()
            calls = first_step(spec)
            assert {c.name for c in calls} == {wanted_tool(spec.verify)}, fam.id
            for c in calls:
                params = TOOLS[c.name].parameters
                assert set(c.args) <= set(params["properties"]), (fam.id, c.args)
                assert set(params.get("required", [])) <= set(c.args), (fam.id, c.args)
            yield fam.id, spec, calls
        assert len(prompts) >= 5, fam.id  # varied phrasings and values


def eval_agent_instructions() -> set[str]:
    """The instructions of the agent eval's tasks (no distilled prompt may be one)."""
    found = {json.loads(p.read_text())["instruction"] for p in EVAL_AGENT.glob("*/task.json")}
    assert len(found) > 20
    return found


def assert_acts_at_once(families: list[Family], tag: str, first_tools: set[str]) -> None:
    """Each family opens with one call of ``first_tools`` on the agent's own tools, states
    its request (no question), and has 12+ phrasings over 30 seeds, none an eval one."""
    instructions = eval_agent_instructions()
    for fam in families:
        prompts = set()
        for seed in range(30):
            spec = fam.build(random.Random(f"{tag}:{fam.id}:{seed}"))
            prompts.add(spec.prompt)
            (call,) = first_step(spec)
            assert call.name in first_tools, fam.id
            assert spec.functions is None and not spec.prompt.endswith("?")
        assert len(prompts) >= 12, fam.id
        assert not prompts & instructions


def sweep_altered(
    tmp_path: Path, alter: Callable[[Solution], Solution], seeds: int
) -> list[tuple[Task, Any]]:
    """The families ``sandbox_sweep`` set, played by the scripted teacher with each solution
    changed by ``alter`` (a teacher that stops early, overwrites, ...)."""
    ex = test_scripted._executor(tmp_path)
    model = lambda t: ScriptedModel(alter(t.solution), t.task_id)  # noqa: E731
    return asyncio.run(test_scripted._sweep(ex, model, range(seeds)))


def sandbox_sweep(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    families: Callable[[], list[Family]],
    seeds: int,
) -> list[tuple[Task, Any, list[ToolCall]]]:
    """``families`` played ``seeds`` times each in the sandbox: every scripted run passes its
    checks and a do-nothing teacher passes none. Returns each scripted run's task, result
    and the calls it made."""
    monkeypatch.setattr(test_scripted, "all_families", families)
    ex = test_scripted._executor(tmp_path)
    results = asyncio.run(
        test_scripted._sweep(ex, lambda t: ScriptedModel(t.solution, t.task_id), range(seeds))
    )
    assert not failed_runs(results)
    idle = asyncio.run(test_scripted._sweep(ex, lambda t: IdleModel(), range(1)))
    assert not [t.task_id for t, r in idle if r.verification["passed"]]
    return [(t, r, [c for m in r.messages for c in m.tool_calls]) for t, r in results]


def assert_not_in_eval(tasks: list[Task]) -> None:
    """No drawn function name and no prompt of ``tasks`` is in the tool-use eval."""
    cases = load_cases(CASES)
    eval_names = {tool["function"]["name"] for c in cases for tool in c.tools}
    eval_prompts = {m["content"] for c in cases for m in c.messages if m["role"] == "user"}
    drawn = {f.name for t in tasks for f in t.functions}
    assert len(drawn) > 100
    assert not drawn & eval_names
    assert not {t.prompt for t in tasks} & eval_prompts
