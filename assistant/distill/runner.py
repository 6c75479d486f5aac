"""The generation run: schedule tasks over teachers, verify, filter, dedup, write.

Reading order: :meth:`Distiller.run` prepares the output directory and teachers,
then :meth:`Distiller._generate` runs workers that take task indices in order and
stop taking new ones once accepted + in flight reaches ``--num-examples`` (so no
paid work is thrown away), then :meth:`Distiller._finish` writes the split and
metadata. Every accepted record is appended to ``records.jsonl`` at once; the
call cache makes a resumed run replay finished calls for free. With ``--workers``
(workers.py) the calls run in forked processes and this process keeps the same
scheduling, dedup, writer and ledger.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.distill import filters, store
from assistant.distill.cache import CallCache
from assistant.distill.config import DistillConfig, TeacherSpec
from assistant.distill.dedup import Deduper, record_text
from assistant.distill.mixing import assign_provider
from assistant.distill.scripted import PROVIDER as SCRIPTED
from assistant.distill.scripted import ScriptedModel
from assistant.distill.tasks import Task, TaskSource
from assistant.distill.teachers import (
    BudgetExceeded,
    Spend,
    Teacher,
    build_backend,
    close_backend,
)
from assistant.distill.verify import verify_run
from assistant.llm.base import ChatModel, LLMError, Message
from assistant.tools.gitsafe import git_env

RESUMABLE = ("running", "interrupted", "max_cost")
LEDGER_BATCH_ROWS = 64
LEDGER_BATCH_S = 0.1
"""Task-ledger rows are committed in batches of this many, or this often (see _ledger)."""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
}


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
class RunState:
    run_id: str
    accepted: int = 0
    attempted: int = 0
    in_flight: int = 0
    next_index: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_provider: Counter[str] = field(default_factory=Counter)
    status: str = "running"
    started: float = field(default_factory=time.time)


class Distiller:
    def __init__(self, cfg: DistillConfig, *, console: Any = None) -> None:
        self.cfg = cfg
        self.out = cfg.output_dir
        self.console = console
        self.spend = Spend(limit_usd=cfg.max_cost)
        self.teachers: dict[str, Teacher] = {}
        self.backends: dict[str, ChatModel] = {}
        self._built: list[str] = []
        self._injected = False
        self.pool: Any = None
        """Worker processes (workers.Pool) when the calls are spread over several."""
        """Backends handed in (tests, embedding) cannot move to worker processes."""
        self._ledger_rows: list[tuple[Any, ...]] = []
        self._ledger_flushed = time.monotonic()
        self.source = TaskSource(cfg.seed, cfg.categories, cfg.mix)
        self.deduper = Deduper()
        self.progress: Any = None
        self.earlier: list[dict[str, Any]] = []
        self._earlier_in_records = 0
        """How many of ``earlier`` come from records.jsonl (the rest from the splits)."""
        self._new: list[tuple[str, bytes, str, str]] = []
        """This run's accepted records: (id, JSONL line, category, provider), for _finish."""
        self.finished: dict[str, tuple[str, str | None, str]] = {}
        self.cache: CallCache | None = None
        self.writer: store.RecordWriter | None = None
        self.state = RunState(run_id=uuid.uuid4().hex[:12])
        self._cond = asyncio.Condition()
        self._stop = False
        self.repaired_tail = False
        self.versions = _versions()

    # -- preparation (nothing written before all of it passes) ------------------------------
    def prepare(self) -> None:
        """Check the output directory and earlier records; raise OutputError/ConfigError."""
        store.check_writable(self.out)
        ckpt = self._read_checkpoint()
        resumable = bool(ckpt) and ckpt.get("status") in RESUMABLE
        if resumable and not self.cfg.resume:
            raise store.OutputError(
                f"{self.out} holds an unfinished run ({ckpt.get('run_id')}); pass --resume to "
                "continue it, or choose another --output-dir."
            )
        if self.cfg.resume and resumable:
            if ckpt.get("identity") != _jsonable(self.cfg.identity()):
                raise store.OutputError(
                    f"--resume in {self.out} needs the same providers, models, seed, categories, "
                    "ratios and --num-examples as the run it continues; pass the original options."
                )
            self.state.run_id = ckpt["run_id"]
            self.state.started = ckpt.get("started", time.time())
        records, self.repaired_tail = store.read_records(
            self.out / store.RECORDS, repair_tail=self.cfg.resume
        )
        self._earlier_in_records = len(records)
        seen = {r["id"] for r in records}
        for name in (store.TRAIN, store.VAL):  # records from elsewhere that we must keep
            for r in store.read_records(self.out / name)[0]:
                if r["id"] not in seen:
                    seen.add(r["id"])
                    records.append(r)
        self.earlier = records

    def _read_checkpoint(self) -> dict[str, Any] | None:
        import json

        path = self.out / store.CHECKPOINT
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise store.OutputError(
                f"{path} is not valid JSON; delete it to start over (records.jsonl is kept)."
            ) from None

    def build_teachers(self, backends: dict[str, ChatModel] | None = None) -> None:
        """One Teacher per provider; ``backends`` supplies ready models (tests, embedding)."""
        for spec in self.cfg.teachers:
            if spec.provider == SCRIPTED:
                continue  # one ScriptedModel per task, built in _run_task
            backend = (backends or {}).get(spec.provider)
            self._injected |= backend is not None
            if backend is None:
                backend = build_backend(
                    spec.provider,
                    spec.model,
                    base_url=spec.base_url,
                    api_key=spec.api_key,
                    model_path=spec.model_path,
                    timeout=self.cfg.retry.timeout_s,
                )
                self._built.append(spec.provider)  # ours to close at the end of run()
            self.backends[spec.provider] = backend
            # llama.cpp runs one generation at a time in-process; more would only queue.
            conc = 1 if spec.provider == "local" else self.cfg.concurrency
            self.teachers[spec.provider] = Teacher(
                backend,
                None,
                self.spend,
                concurrency=conc,  # type: ignore[arg-type]
                rate_per_s=self.cfg.rate_per_s,
                retry=self.cfg.retry,
            )
        if self.workers() > 1 and self.pool is None:
            from assistant.distill.workers import Pool

            self.pool = Pool(self, self.workers())

    # -- the run -----------------------------------------------------------------------------
    async def run(self) -> RunState:
        self.cache = CallCache(self.out / store.CACHE)
        for t in self.teachers.values():
            t.cache = self.cache
        self.finished = self.cache.finished_tasks()
        for r in self.earlier:
            self.deduper.preload(r)
            meta = r.get("meta", {})
            if meta.get("run_id") == self.state.run_id:
                self._count_accepted(r)
                if meta.get("task_id"):  # written just before a crash, not yet in the ledger
                    self.finished[meta["task_id"]] = ("accepted", None, self.state.run_id)
        for status, reason, run_id in self.finished.values():
            if run_id == self.state.run_id:
                self.state.attempted += 1
                if status == "rejected":
                    self.state.rejected[reason or "?"] += 1
        self.writer = store.RecordWriter(self.out / store.RECORDS)
        self._write_checkpoint()
        try:
            if self.cfg.batch:
                from assistant.distill.batch import run_batched

                await run_batched(self)
            elif self.pool is not None:
                from assistant.distill.workers import run_sharded

                await run_sharded(self, self.pool)
            else:
                await self._generate(None)
            if self.state.status == "running":
                self.state.status = (
                    "done" if self.state.accepted >= self.cfg.num_examples else "exhausted"
                )
        except (asyncio.CancelledError, KeyboardInterrupt):
            self.state.status = "interrupted"
            raise
        finally:
            self._flush_ledger()
            if self.writer is not None:
                self.writer.close()
            if self.state.status != "running":
                self._finish()
            self._write_checkpoint()
            self.cache.close()
            if self.pool is not None:
                self.pool.close()
            for provider in self._built:
                await close_backend(self.backends[provider])
            self._built.clear()
        return self.state

    def workers(self) -> int:
        """Processes for the calls: 1 (this one) or ``--workers``/auto (see workers.py)."""
        from assistant.distill.workers import auto_workers

        return 1 if self._injected else auto_workers(self.cfg)

    def _count_accepted(self, r: dict[str, Any]) -> None:
        self._count(r["meta"].get("category", "?"), r["meta"].get("provider", "?"))

    def _count(self, category: str, provider: str) -> None:
        self.state.accepted += 1
        self.state.by_category[category] += 1
        self.state.by_provider[provider] += 1

    def _done(self) -> bool:
        s = self.state
        return (
            self._stop
            or s.accepted >= self.cfg.num_examples
            or s.attempted + s.in_flight >= self.cfg.attempts_limit
        )

    async def _next_index(self, indices: list[int] | None) -> int | None:
        """The next task index to work on, or None when the run is over.

        A worker waits while accepted + in flight already reaches the target: one of the
        in-flight tasks may still be rejected and need a replacement.
        """
        s = self.state
        async with self._cond:
            while True:
                if self._stop or s.accepted >= self.cfg.num_examples:
                    return None
                if s.attempted + s.in_flight >= self.cfg.attempts_limit:
                    return None
                if s.accepted + s.in_flight < self.cfg.num_examples:
                    idx = self._take(indices)
                    if idx is None:
                        return None
                    s.in_flight += 1
                    return idx
                await self._cond.wait()

    def _take(self, indices: list[int] | None) -> int | None:
        while True:
            if indices is not None:
                if not indices:
                    return None
                idx = indices.pop(0)
            else:
                idx = self.state.next_index
                self.state.next_index += 1
            if self.source.task(idx).task_id not in self.finished:
                return idx

    async def _generate(self, indices: list[int] | None) -> None:
        workers = max(1, self.cfg.concurrency * len(self.teachers))
        await asyncio.gather(*(self._worker(indices) for _ in range(workers)))

    async def _worker(self, indices: list[int] | None) -> None:
        while True:
            idx = await self._next_index(indices)
            if idx is None:
                return
            task = self.source.task(idx)
            provider = assign_provider(
                idx, self.cfg.seed, [t.provider for t in self.cfg.teachers], self.cfg.ratios
            )
            outcome: Outcome | None = None
            try:
                outcome = await self._run_task(task, provider)
            except BudgetExceeded:
                self._stop = True
                self.state.status = "max_cost"
            except (LLMError, OSError, TimeoutError) as exc:
                # Not marked finished: a resumed run tries this task again.
                self.state.errors[type(exc).__name__] += 1
                self._note(f"task {task.task_id} failed: {exc}")
            async with self._cond:
                self.state.in_flight -= 1
                if outcome is not None:
                    self._settle(outcome)
                self._cond.notify_all()
            self._refresh()

    def _settle(self, o: Outcome) -> None:
        assert self.cache is not None and self.writer is not None
        s = self.state
        s.attempted += 1
        produced = o.record is not None or o.line is not None
        if produced and o.reason is None:
            o.reason = self.deduper.add_text(
                o.text if o.text is not None else record_text(o.record or {})
            )
        if produced and o.reason is None and s.accepted < self.cfg.num_examples:
            if o.line is None:
                assert o.record is not None
                o.line, o.rid = store.encode_record(o.record), o.record["id"]
            self.writer.append_line(o.line)
            self._new.append((o.rid or "", o.line, o.task.category, o.provider))
            self._count(o.task.category, o.provider)
            self._ledger(o, "accepted", None)
            self.finished[o.task.task_id] = ("accepted", None, s.run_id)
            if s.accepted % 100 == 0:
                self.writer.sync()
                self._flush_ledger()
                self._write_checkpoint()
        else:
            reason = o.reason or "over_target"
            s.rejected[reason] += 1
            self._ledger(o, "rejected", reason)
            self.finished[o.task.task_id] = ("rejected", reason, s.run_id)

    def _ledger(self, o: Outcome, status: str, reason: str | None) -> None:
        """Queue a task's outcome for the ledger; written in one transaction per batch.

        Unlike a paid call (committed at once, so nothing is ever paid twice), a
        ledger row lost to SIGKILL costs nothing: an accepted task is recovered from
        records.jsonl, and a rejected one is replayed from the call cache for free.
        """
        self._ledger_rows.append(
            (o.task.task_id, o.task.index, o.provider, status, reason, o.cost, self.state.run_id)
        )
        if (
            len(self._ledger_rows) >= LEDGER_BATCH_ROWS
            or time.monotonic() - self._ledger_flushed >= LEDGER_BATCH_S
        ):
            self._flush_ledger()

    def _flush_ledger(self) -> None:
        self._ledger_flushed = time.monotonic()
        if not self._ledger_rows or self.cache is None:
            return
        db = self.cache.db
        db.execute("BEGIN IMMEDIATE")  # take the write lock now: workers share the file
        try:
            for row in self._ledger_rows:
                self.cache.finish_task(*row)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._ledger_rows.clear()

    # -- one task ----------------------------------------------------------------------------
    async def _run_task(self, task: Task, provider: str) -> Outcome:
        if provider == SCRIPTED:
            model: Any = ScriptedModel(task.solution, task.task_id)
            name = model.name
        else:
            model = self.teachers[provider].for_task(task.task_id)
            name = model.name
        before = self.spend.spent_usd
        messages, tools, verification, ended = await self._agent(task, model)
        cost = self.spend.spent_usd - before
        o = Outcome(task, provider, cost=cost)
        if ended != "done":
            o.reason = "truncated" if ended == "length" else f"ended_{ended}"
            return o
        reason = filters.check(messages, tools, code_required=task.code_required)
        if reason:
            o.reason = reason
            return o
        if not verification["passed"]:
            o.reason = "verification_failed"
            return o
        usage = self._task_usage(model)
        o.record = {
            "id": hashlib.sha256(f"{task.task_id}|{provider}|{name}".encode()).hexdigest()[:20],
            "messages": [m.to_dict() for m in messages],
            "tools": tools,
            "meta": {
                "provider": provider,
                "model": name,
                "task_id": task.task_id,
                "template_id": task.template_id,
                "category": task.category,
                "mode": task.mode,
                "calls": sum(len(m.tool_calls) for m in messages),
                "tools_used": sorted({c.name for m in messages for c in m.tool_calls}),
                "usage": usage,
                "cost_usd": round(usage["cost_usd"], 8),
                "verification": verification,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "run_id": self.state.run_id,
                "seed": self.cfg.seed,
            },
        }
        return o

    @staticmethod
    def _task_usage(teacher: Any) -> dict[str, Any]:
        """Usage summed over the task's calls, as returned by its teacher view: a replayed
        call comes from the cache with the usage it was first paid with, so a resumed run
        writes the same figures."""
        keys = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
        out: dict[str, Any] = dict.fromkeys(keys, 0)
        cost = 0.0
        for u in getattr(teacher, "usages", []):
            out["input_tokens"] += u.input_tokens
            out["output_tokens"] += u.output_tokens
            out["cache_read_tokens"] += u.cache_read_tokens
            out["cache_write_tokens"] += u.cache_write_tokens
            cost += u.cost_usd
        return {**out, "calls": len(getattr(teacher, "usages", [])), "cost_usd": cost}

    async def _agent(
        self, task: Task, model: ChatModel
    ) -> tuple[list[Message], list[dict[str, Any]], dict[str, Any], str]:
        from assistant.agent.approval import Approver
        from assistant.agent.builder import LazySandbox
        from assistant.agent.events import ToolResultEvent, TurnEndEvent
        from assistant.agent.loop import Agent, Limits
        from assistant.agent.prompts import inference_context
        from assistant.agent.registry import ToolRegistry

        ws = self.out / "work" / task.task_id
        if ws.exists():
            shutil.rmtree(ws)
        ws.mkdir(parents=True)
        try:
            if task.files or task.setup:
                await asyncio.to_thread(_materialise, ws, task)
            tools = offered_tools(task)
            system_prompt, specs = inference_context(ws, tools, self.cfg.sandbox)
            registry = ToolRegistry(tools)
            sandbox = LazySandbox(self.cfg.sandbox, ws, task.task_id)
            agent = Agent(
                model,
                registry,
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
            ended = "error"
            final = ""
            try:
                errors = getattr(model, "errors", None)
                async for event in agent.run(task.prompt):
                    if isinstance(event, TurnEndEvent):
                        ended, final = event.reason, event.final_text
                    elif errors is not None and isinstance(event, ToolResultEvent):
                        errors[event.id] = event.is_error

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
                await sandbox.close()
            verification["ended"] = ended
            return list(agent.messages), specs, verification, ended
        finally:
            await asyncio.to_thread(shutil.rmtree, ws, True)

    # -- reporting ---------------------------------------------------------------------------
    def _note(self, text: str) -> None:
        if self.console is not None:
            self.console.print(f"[yellow]{text}[/]", highlight=False)

    def _refresh(self) -> None:
        if self.progress is not None:
            self.progress.update(self)

    def checkpoint(self) -> dict[str, Any]:
        s = self.state
        return _jsonable(
            {
                "run_id": s.run_id,
                "status": s.status,
                "identity": self.cfg.identity(),
                "accepted": s.accepted,
                "attempted": s.attempted,
                "rejected": dict(s.rejected),
                "errors": dict(s.errors),
                "position": s.next_index,
                "cost_usd": round(self.spend.spent_usd, 6),
                "started": s.started,
                "updated_at": time.time(),
            }
        )

    def _write_checkpoint(self) -> None:
        store.atomic_write_json(self.out / store.CHECKPOINT, self.checkpoint())

    def _finish(self) -> None:
        """The split and metadata over every record in the directory: records.jsonl as it
        was, this run's records (kept as written, not read back and parsed again), then
        records only found in train/val from elsewhere; each id once."""
        seen: set[str] = set()
        rows: list[tuple[str, bytes]] = []
        by_cat: Counter[str] = Counter()
        by_prov: Counter[str] = Counter()

        def add(rid: str, line: bytes | dict[str, Any], category: str, provider: str) -> None:
            if rid in seen:
                return
            seen.add(rid)
            rows.append((rid, line if isinstance(line, bytes) else store.encode_record(line)))
            by_cat[category] += 1
            by_prov[provider] += 1

        def add_earlier(records: list[dict[str, Any]]) -> None:
            for r in records:
                meta = r.get("meta", {})
                add(r["id"], r, meta.get("category", "?"), meta.get("provider", "?"))

        add_earlier(self.earlier[: self._earlier_in_records])
        for rid, line, category, provider in self._new:
            add(rid, line, category, provider)
        add_earlier(self.earlier[self._earlier_in_records :])
        n_train, n_val = store.write_split_lines(self.out, rows, self.cfg.val_fraction)
        store.atomic_write_json(
            self.out / store.METADATA, self.metadata(len(rows), by_cat, by_prov, n_train, n_val)
        )

    def metadata(
        self, total: int, by_cat: Counter[str], by_prov: Counter[str], n_train: int, n_val: int
    ) -> dict[str, Any]:
        s = self.state
        assert self.cache is not None
        return _jsonable(
            {
                "run_id": s.run_id,
                "status": s.status,
                "seed": self.cfg.seed,
                "config": self.cfg.public(),
                "records": {"total": total, "train": n_train, "val": n_val, "this_run": s.accepted},
                "counts": {
                    "per_category": dict(by_cat),
                    "per_provider": dict(by_prov),
                    "this_run_per_category": dict(s.by_category),
                    "this_run_per_provider": dict(s.by_provider),
                },
                "attempted": s.attempted,
                "filters": {
                    "rejected": {
                        k: v
                        for k, v in s.rejected.items()
                        if k not in ("exact_duplicate", "near_duplicate")
                    }
                },
                "dedup": {
                    "exact": self.deduper.stats.exact,
                    "near": self.deduper.stats.near,
                    "compared_with_earlier": self.deduper.stats.preloaded,
                },
                "errors": dict(s.errors),
                "cost": {
                    "total_usd": round(self.spend.spent_usd, 6),
                    "by_model": [
                        {"provider": p, "model": m, **v}
                        for (p, m), v in sorted(self.spend.by_model.items())
                    ],
                },
                "cache": {
                    "hits": self.cache.hits,
                    "misses": self.cache.misses,
                    "repeated_paid_calls": self.cache.repeated_paid_keys(),
                },
                "retries": self.spend.retries,
                "duration_s": round(time.time() - s.started, 3),
                "versions": self.versions,
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )


def offered_tools(task: Task) -> list[Any]:
    """The tools offered for a task: catalogue functions, or the agent's own tools as at
    inference (fetch_url keeps its spec but stays offline while generating data)."""
    from assistant.distill.catalogue import BY_NAME
    from assistant.tools import ToolError, default_tools

    if task.functions is not None:
        return [BY_NAME[n].tool() for n in task.functions]
    out = []
    for t in default_tools():
        if t.host_network:

            def offline(ctx: Any, **_: Any) -> str:
                raise ToolError("The network is off while generating data; answer without it.")

            t = replace(t, func=offline)
        out.append(t)
    return out


def _materialise(ws: Path, task: Task) -> None:
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


def _jsonable(obj: Any) -> Any:
    import json

    return json.loads(json.dumps(obj, default=str))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for pkg in ("assistant", "anthropic", "openai", "llama_cpp_python", "datasketch"):
        with contextlib.suppress(PackageNotFoundError):
            out[pkg] = version(pkg)
    return out


__all__ = ["Distiller", "TeacherSpec"]
