"""The task executor: one task, one teacher, one verified record (or the reason it has none).

It needs only a config, the teachers and the run's spend counter, so the live, batch and
worker strategies all run tasks through it (a worker process builds its own). It drives
the same agent loop, tools and sandbox as ``assistant run``, with the system prompt and
tool specs built by ``agent.prompts.inference_context``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.distill import filters
from assistant.distill.config import DistillConfig
from assistant.distill.scripted import PROVIDER as SCRIPTED
from assistant.distill.scripted import ScriptedModel
from assistant.distill.tasks import Task
from assistant.distill.teachers import Spend, Teacher, build_backend
from assistant.distill.verify import verify_run
from assistant.llm.base import ChatModel, Message
from assistant.tools.gitsafe import git_env

log = logging.getLogger(__name__)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
}


SANDBOX_TRIES = 4
SANDBOX_BACKOFF_S = 1.0
"""Tries of a task whose sandbox failed to start; a teacher's calls up to the failure
replay from the call cache, so a retry repays nothing already paid."""


class CheckedSandbox:
    """The task's sandbox, started explicitly on first use so that a failed start is
    known as such (the Docker backend otherwise starts its container inside the first
    command, and its failure would read as the teacher's failed command).

    The Docker backend lists every sandbox container to reap orphans when it starts one;
    a container removed by another session during that listing makes the start fail with
    "No such container" (a race in tools/sandbox/docker.py). Such a task is retried
    (see TaskExecutor.run), never rejected as the teacher's failure. Serialising starts
    and removals here avoided most of the race but cost a third of the throughput.
    """

    def __init__(self, lazy: Any) -> None:
        self.lazy = lazy
        self.started = False
        self.failed: str | None = None

    async def __call__(self) -> Any:
        sb = await self.lazy()
        if not self.started:
            start = getattr(sb, "start", None)
            try:
                if start is not None:
                    await start()
            except Exception as exc:
                self.failed = f"{type(exc).__name__}: {exc}"
                raise
            self.started = True
        return sb

    async def close(self) -> str | None:
        """Close the sandbox; its closing repository scan's warning, or None."""
        return await self.lazy.close()


_DOCKER_GONE = re.compile(r"No such container: \w+|Docker could not (?:create|start) the sandbox")


def _docker_failure(texts: list[str]) -> str | None:
    """The Docker error in a tool result or check, if the sandbox itself broke (a container
    vanished under the backend), which says nothing about the teacher."""
    for text in texts:
        m = _DOCKER_GONE.search(text)
        if m:
            return m.group(0)
    return None


_PLANTED = re.compile(r"^\[sandbox warning\] [^\n]*git repository data was written", re.M)
"""The sandbox's warning that a command left a git repository directory (tools/sandbox/
protect.py), at the head of that command's output."""


def _reject_planted_repository(
    verification: dict[str, Any], closing: str | None, messages: list[Message]
) -> None:
    """Fail ``verification`` when the sandbox reported a planted git repository, in a
    command's output or when it closed: git on the user's machine would run its config, so
    the record must not teach it (or pass as verified)."""
    reports = [m.content for m in messages if m.role == "tool" and _PLANTED.search(m.content)]
    reports += [closing] if closing else []
    if not reports:
        return
    log.warning("distill: the record fails verification: %s", reports[-1])
    verification["checks"].append(
        {"kind": "no_planted_repository", "ok": False, "detail": reports[-1]}
    )
    verification["passed"] = False


class SandboxFailed(OSError):
    """The task's sandbox did not start: not the teacher's fault, so the task is not
    rejected; it counts as an error and a resumed run tries it again."""


@dataclass
class Outcome:
    task: Task
    provider: str
    record: dict[str, Any] | None = None
    reason: str | None = None
    cost: float = 0.0
    line: bytes | None = None
    """The record already encoded as its JSONL line (from a worker process)."""
    text: str | None = None
    """The record's dedup text (dedup.record_text), when computed already."""
    rid: str | None = None
    """The record's id, sent with ``line``."""


@dataclass
class Trajectory:
    """What one teacher did on one task, and what the checks made of it."""

    messages: list[Message]
    tools: list[dict[str, Any]]
    verification: dict[str, Any]
    ended: str


def make_teachers(
    cfg: DistillConfig, spend: Spend, backends: dict[str, ChatModel] | None = None
) -> tuple[dict[str, Teacher], dict[str, ChatModel], list[str]]:
    """One Teacher per provider (none for the scripted one, which is built per task):
    (teachers, backends, the providers whose backends were built here and must be closed)."""
    teachers: dict[str, Teacher] = {}
    ready: dict[str, ChatModel] = {}
    built: list[str] = []
    for spec in cfg.teachers:
        if spec.provider == SCRIPTED:
            continue
        backend = (backends or {}).get(spec.provider)
        if backend is None:
            backend = build_backend(
                spec.provider,
                spec.model,
                base_url=spec.base_url,
                api_key=spec.api_key,
                model_path=spec.model_path,
                timeout=cfg.retry.timeout_s,
            )
            built.append(spec.provider)
        ready[spec.provider] = backend
        # llama.cpp runs one generation at a time in-process; more would only queue.
        conc = 1 if spec.provider == "local" else cfg.concurrency
        teachers[spec.provider] = Teacher(
            backend,
            None,  # type: ignore[arg-type]  # the call cache is attached when the run opens it
            spend,
            concurrency=conc,
            rate_per_s=cfg.rate_per_s,
            retry=cfg.retry,
        )
    return teachers, ready, built


def offered_tools(task: Task) -> list[Any]:
    """The tools offered for a task: catalogue functions, or the agent's own tools as at
    inference (fetch_url keeps its spec but stays offline while generating data)."""
    from assistant.distill.catalogue import BY_NAME
    from assistant.tools import ToolError, default_tools

    if task.functions is not None:
        return [(BY_NAME[f] if isinstance(f, str) else f).tool() for f in task.functions]

    def offline(ctx: Any, **_: Any) -> str:
        raise ToolError("The network is off while generating data; answer without it.")

    return [replace(t, func=offline) if t.host_network else t for t in default_tools()]


def materialise(ws: Path, task: Task) -> None:
    """Write the task's files into ``ws`` and run its setup commands (git init, commits).

    The setup commands are the task's own (our templates), not workspace content, so they
    run on the host; everything the teacher does runs in the sandbox.
    """
    for rel, text in task.files.items():
        p = ws / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    env = {**git_env(), **GIT_ENV}  # no GIT_* from our environment, no global hooks/config
    for cmd in task.setup:
        subprocess.run(
            cmd,
            shell=True,
            cwd=ws,
            env=env,
            check=True,
            timeout=60,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def task_usage(teacher: Any) -> dict[str, Any]:
    """Usage summed over the task's calls, as returned by its teacher view: a replayed call
    comes from the cache with the usage it was first paid with, so a resumed run writes
    the same figures."""
    keys = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
    out: dict[str, Any] = dict.fromkeys(keys, 0)
    usages = getattr(teacher, "usages", [])
    for u in usages:
        for k in keys:
            out[k] += getattr(u, k)
    return {**out, "calls": len(usages), "cost_usd": sum(u.cost_usd for u in usages)}


class TaskExecutor:
    def __init__(
        self, cfg: DistillConfig, teachers: dict[str, Teacher], spend: Spend, run_id: str = ""
    ) -> None:
        self.cfg = cfg
        self.teachers = teachers
        self.spend = spend
        self.run_id = run_id
        self.workdir = cfg.output_dir / "work"

    def model_for(self, task: Task, provider: str) -> Any:
        if provider == SCRIPTED:
            return ScriptedModel(task.solution, task.task_id)
        return self.teachers[provider].for_task(task.task_id)

    async def run(self, task: Task, provider: str) -> Outcome:
        """Run ``task`` with ``provider``'s teacher: a record, or the reason it was rejected."""
        before = self.spend.spent_usd
        for attempt in range(SANDBOX_TRIES):
            model = self.model_for(task, provider)
            try:
                t = await self.play(task, model)
                break
            except SandboxFailed:
                if attempt == SANDBOX_TRIES - 1:
                    raise
                await asyncio.sleep(SANDBOX_BACKOFF_S * (attempt + 1))
        o = Outcome(task, provider, cost=self.spend.spent_usd - before)
        if t.ended != "done":
            o.reason = "truncated" if t.ended == "max_tokens" else f"ended_{t.ended}"
            return o
        o.reason = filters.check(t.messages, t.tools, code_required=task.code_required)
        if o.reason is None and not t.verification["passed"]:
            o.reason = "verification_failed"
        if o.reason is None:
            o.record = self.record(task, provider, model, t)
        return o

    def record(self, task: Task, provider: str, model: Any, t: Trajectory) -> dict[str, Any]:
        usage = task_usage(model)
        calls = [c for m in t.messages for c in m.tool_calls]
        return {
            "id": hashlib.sha256(f"{task.task_id}|{provider}|{model.name}".encode()).hexdigest()[
                :20
            ],
            "messages": [m.to_dict() for m in t.messages],
            "tools": t.tools,
            "meta": {
                "provider": provider,
                "model": model.name,
                "task_id": task.task_id,
                "template_id": task.template_id,
                "category": task.category,
                "mode": task.mode,
                "calls": len(calls),
                "steps": sum(1 for m in t.messages if m.role == "assistant"),
                "tools_used": sorted({c.name for c in calls}),
                "usage": usage,
                "cost_usd": round(usage["cost_usd"], 8),
                "verification": t.verification,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "run_id": self.run_id,
                "seed": self.cfg.seed,
            },
        }

    def first_call(self, task: Task) -> tuple[list[Message], list[dict[str, Any]]]:
        """The messages and tools of the task's first model call, exactly as :meth:`play`
        will make it (for the batch APIs): only the instruction files are written, in the
        same workspace path, so the system prompt comes out the same."""
        from assistant.agent.prompts import INSTRUCTION_FILES, inference_context

        ws = self.workdir / task.task_id
        ws.mkdir(parents=True, exist_ok=True)
        try:
            for name in INSTRUCTION_FILES:
                if name in task.files:
                    (ws / name).write_text(task.files[name], encoding="utf-8")
            system_prompt, specs = inference_context(ws, offered_tools(task), self.cfg.sandbox)
        finally:
            shutil.rmtree(ws, ignore_errors=True)
        return [Message.system(system_prompt), Message.user(task.prompt)], specs

    async def play(self, task: Task, model: ChatModel) -> Trajectory:
        """Drive ``model`` through the agent loop on the task's own workspace, then verify."""
        from assistant.agent.approval import Approver
        from assistant.agent.builder import LazySandbox
        from assistant.agent.events import ToolResultEvent, TurnEndEvent
        from assistant.agent.loop import Agent, Limits
        from assistant.agent.prompts import inference_context
        from assistant.agent.registry import ToolRegistry

        ws = self.workdir / task.task_id
        if ws.exists():
            shutil.rmtree(ws)
        ws.mkdir(parents=True)
        try:
            if task.files or task.setup:
                await asyncio.to_thread(materialise, ws, task)
            tools = offered_tools(task)
            system_prompt, specs = inference_context(ws, tools, self.cfg.sandbox)
            sandbox = CheckedSandbox(LazySandbox(self.cfg.sandbox, ws, task.task_id))
            agent = Agent(
                model,
                ToolRegistry(tools),
                workspace=ws,
                approver=Approver("never-ask", host_sandbox=self.cfg.sandbox == "host"),
                limits=Limits(
                    max_steps=self.cfg.max_steps,
                    max_tokens=self.cfg.max_tokens,
                    temperature=self.cfg.temperature,
                    max_wall_s=600,
                ),
                system_prompt=system_prompt,
                sandbox_provider=sandbox,
            )
            ended, final = "error", ""
            errors = getattr(model, "errors", None)
            try:
                async for event in agent.run(task.prompt):
                    if isinstance(event, TurnEndEvent):
                        ended, final = event.reason, event.final_text
                    elif errors is not None and isinstance(event, ToolResultEvent):
                        errors[event.id] = event.is_error  # the scripted teacher reads these

                async def run_check(cmd: str) -> tuple[int, str]:
                    sb = await sandbox()
                    res = await sb.exec(cmd, timeout=60)
                    return res.exit_code, res.output

                verification = await verify_run(
                    task.verify,
                    workspace=ws,
                    answer=final,
                    run=run_check,
                    messages=agent.messages,
                    original=task.files,
                )
            finally:
                await agent.stop_tool()  # before its sandbox closes
                closing = await sandbox.close()
            _reject_planted_repository(verification, closing, agent.messages)
            failed = (
                sandbox.failed
                or sandbox.lazy.unavailable_reason
                or _docker_failure(
                    [m.content for m in agent.messages if m.role == "tool"]
                    + [c["detail"] for c in verification["checks"]]
                )
            )
            if failed:
                raise SandboxFailed(f"The sandbox for {task.task_id} did not start: {failed}")
            verification["ended"] = ended
            return Trajectory(list(agent.messages), specs, verification, ended)
        finally:
            await asyncio.to_thread(shutil.rmtree, ws, True)
