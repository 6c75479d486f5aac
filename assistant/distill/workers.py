"""Sharded generation: cloud calls in N worker processes, one parent that decides.

At hundreds of calls a second one Python process is CPU-bound (the SDK alone costs
about 1.5 ms of CPU per call here), so with ``--workers N`` the task stream is
spread over N forked processes, each with its own event loop, SDK clients and
connection to the shared call cache (SQLite in WAL mode; a paid call is still
committed before its result is used, so a resumed run never pays twice).

The parent alone hands out task indices (never more than accepted + in flight =
``--num-examples``), runs dedup, appends records, keeps the task ledger, the
checkpoint and the counts; a worker only runs tasks and sends back each outcome
(the record or the reason it was rejected). Money: every message from a worker
carries what it has spent so far and every message to it carries what the others
have, so ``--max-cost`` stops all of them; as in one process, calls already in
flight when the limit is reached still finish.

A worker dies with its parent (``PR_SET_PDEATHSIG``, and end-of-file on its pipe),
so after a SIGKILL no orphan keeps calling while a resumed run starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from assistant.llm.base import LLMError

if TYPE_CHECKING:
    from assistant.distill.config import DistillConfig
    from assistant.distill.runner import Distiller

MIN_CONCURRENCY_PER_WORKER = 16
"""Below this many calls in flight per process, latency, not CPU, limits throughput."""


def auto_workers(cfg: DistillConfig) -> int:
    """How many processes a run uses: ``--workers``, or for 0 (auto) one per core when
    every teacher is a cloud API called directly and there is enough concurrency."""
    if cfg.batch or any(t.provider == "local" for t in cfg.teachers):
        return 1
    if cfg.workers > 0:
        return cfg.workers
    return max(1, min(os.cpu_count() or 1, cfg.concurrency // MIN_CONCURRENCY_PER_WORKER))


def _shares(total: int, n: int) -> list[int]:
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


class WorkerFailed(LLMError):
    """A worker process ended without being asked to (a crash; its traceback is kept)."""


class _Slot:
    def __init__(self, proc: Any, conn: Connection, capacity: int) -> None:
        self.proc = proc
        self.conn = conn
        self.capacity = capacity
        self.in_flight = 0
        self.spent = 0.0
        self.final: dict[str, Any] | None = None


class Pool:
    """The worker processes of a run, forked before the event loop starts.

    Forked (not spawned) so that a worker starts in milliseconds with the SDKs already
    imported (spawn re-imports them: seconds of CPU per worker). It is forked from
    ``Distiller.build_teachers``, before ``asyncio.run`` and before the call cache is
    opened, so the child inherits no running loop and no SQLite connection.
    """

    def __init__(self, cfg: DistillConfig, n: int) -> None:
        ctx = mp.get_context("fork")
        per_teacher = _shares(cfg.concurrency, n)
        self.slots: list[_Slot] = []
        for i in range(n):
            if per_teacher[i] == 0:
                continue
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=worker_main,
                name=f"distill-worker-{i}",
                daemon=True,
                args=(cfg, per_teacher[i], child),
            )
            proc.start()
            child.close()
            self.slots.append(_Slot(proc, parent, per_teacher[i] * len(cfg.teachers)))

    def close(self) -> None:
        for s in self.slots:
            if s.proc.is_alive():
                s.proc.terminate()
        for s in self.slots:
            s.proc.join(5)
            s.conn.close()
        self.slots = []


async def run_sharded(d: Distiller, pool: Pool) -> None:
    """The parent's side: hand out tasks and settle outcomes until the run is over.

    Ctrl-C cancels it like the in-process path (CancelledError at the await); the
    workers are then terminated, so calls they had in flight are lost, not stored.
    """
    slots = pool.slots
    tasks: dict[int, Any] = {}
    try:
        for s in slots:
            s.conn.send(("run", d.state.run_id))
        await _loop(d, slots, tasks)
        for s in slots:
            s.conn.send(("stop",))
        for s in slots:
            while s.final is None:
                if not s.conn.poll(60):
                    raise WorkerFailed(
                        "A distill worker did not finish within 60 s of the "
                        "end of the run; run again with --resume."
                    )
                _receive(d, s, tasks)
            s.proc.join(30)
        _merge(d, slots)
    finally:
        pool.close()


async def _loop(d: Distiller, slots: list[_Slot], tasks: dict[int, Any]) -> None:
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()
    for s in slots:
        loop.add_reader(s.conn.fileno(), wake.set)
    try:
        while True:
            _hand_out(d, slots, tasks)
            if d.state.in_flight == 0:
                return
            await wake.wait()
            wake.clear()
            for s in slots:
                while s.conn.poll():  # also true at end-of-file: _receive raises then
                    _receive(d, s, tasks)
            d.refresh()
    finally:
        for s in slots:
            loop.remove_reader(s.conn.fileno())


def _hand_out(d: Distiller, slots: list[_Slot], tasks: dict[int, Any]) -> None:
    """Give free workers task indices while accepted + in flight stays under the target."""
    sched = d.scheduler
    assert sched is not None
    total = d.earlier_usd + sum(s.spent for s in slots)
    d.spend.spent_usd = total
    if d.spend.exhausted and not sched.stopped:
        sched.stop("max_cost")
    for s in slots:
        batch: list[int] = []
        while s.in_flight + len(batch) < s.capacity and sched.room():
            idx = sched.take()
            if idx is None:
                break
            tasks[idx] = d.source.task(idx)
            batch.append(idx)  # indices only: the worker rebuilds the same task from the seed
            sched.claim()
        if batch:
            s.in_flight += len(batch)
            s.conn.send(("go", batch, total - s.spent))


def _receive(d: Distiller, slot: _Slot, tasks: dict[int, Any]) -> None:
    from assistant.distill.executor import Outcome

    sched = d.scheduler
    assert sched is not None
    try:
        msg = slot.conn.recv()
    except EOFError:
        slot.proc.join(5)
        raise WorkerFailed(
            f"A distill worker process exited unexpectedly (exit code {slot.proc.exitcode}); "
            "run again with --resume to continue (paid calls are kept)."
        ) from None
    kind = msg[0]
    if kind == "crash":
        raise WorkerFailed(f"A distill worker failed:\n{msg[1]}")
    if kind == "final":
        slot.final = msg[1]
        slot.spent = msg[1]["spent_usd"]
        return
    _, results, spent = msg
    slot.spent = spent
    for idx, what, provider, payload, reason, cost in results:
        slot.in_flight -= 1
        task = tasks.pop(idx)
        if what == "ok":
            line, text, rid = payload or (None, None, None)
            o = Outcome(task, provider, reason=reason, cost=cost, line=line, text=text, rid=rid)
            sched.done(o)
        else:
            sched.done(None)
            if what == "budget":
                sched.stop("max_cost")
            else:  # a failed task is not marked finished: a resumed run tries it again
                sched.error(reason)
                d.note(f"task {task.task_id} failed: {payload}")


def _merge(d: Distiller, slots: list[_Slot]) -> None:
    """Fold the workers' spend and cache counts into the parent's, for the metadata."""
    assert d.cache is not None
    d.spend.spent_usd = d.earlier_usd
    for s in slots:
        f = s.final or {}
        d.spend.spent_usd += f.get("spent_usd", 0.0)
        d.spend.retries += f.get("retries", 0)
        d.spend.retry_waits += f.get("retry_waits", [])
        d.spend.retry_statuses += f.get("retry_statuses", [])
        for (prov, model), row in f.get("by_model", {}).items():
            mine = d.spend.by_model.setdefault((prov, model), dict.fromkeys(row, 0))
            for k, v in row.items():
                mine[k] = mine.get(k, 0) + v
        d.cache.hits += f.get("hits", 0)
        d.cache.misses += f.get("misses", 0)


# -- the worker's side -----------------------------------------------------------------------
def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(1)


def _event_loop_policy() -> None:
    """uvloop where installed: its loop and transports cost about a third less CPU per call."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def worker_main(cfg: DistillConfig, concurrency: int, conn: Connection) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        msg = conn.recv()  # ("run", run_id) once the parent's run starts
        _event_loop_policy()
        asyncio.run(_worker(cfg, msg[1], concurrency, conn))
    except EOFError:
        os._exit(0)  # the parent ended without running (e.g. the cost was not confirmed)
    except BaseException:
        with contextlib.suppress(Exception):
            conn.send(("crash", traceback.format_exc()))
        os._exit(1)


async def _worker(cfg: DistillConfig, run_id: str, concurrency: int, conn: Connection) -> None:
    """A worker needs only an executor (config, teachers, spend), the call cache and the
    task source: tasks arrive as indices and are rebuilt here from the seed."""
    from dataclasses import replace

    from assistant.distill import store
    from assistant.distill.cache import CallCache
    from assistant.distill.dedup import record_text
    from assistant.distill.executor import TaskExecutor, make_teachers
    from assistant.distill.mixing import assign_provider
    from assistant.distill.tasks import TaskSource
    from assistant.distill.teachers import BudgetExceeded, Spend, close_backend

    cfg = replace(cfg, concurrency=concurrency, progress=False, workers=1)
    spend = Spend(limit_usd=cfg.max_cost)
    teachers, backends, _ = make_teachers(cfg, spend)
    cache = CallCache(cfg.output_dir / store.CACHE)
    for t in teachers.values():
        t.cache = cache
    executor = TaskExecutor(cfg, teachers, spend, run_id)
    source = TaskSource(cfg.seed, cfg.categories, cfg.mix)
    providers = [t.provider for t in cfg.teachers]
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    out: list[tuple[Any, ...]] = []
    running: set[asyncio.Task[None]] = set()

    def flush() -> None:
        if out:
            conn.send(("done", list(out), spend.spent_usd))
            out.clear()

    def finished(item: tuple[Any, ...]) -> None:
        if not out:
            loop.call_soon(flush)  # one message per loop pass, however many tasks ended
        out.append(item)

    async def one(idx: int) -> None:
        provider = assign_provider(idx, cfg.seed, providers, cfg.ratios)
        try:
            o = await executor.run(source.task(idx), provider)
            # Encoded here, not in the parent, which has the dedup and the writer to run.
            payload = (
                None
                if o.record is None
                else (store.encode_record(o.record), record_text(o.record), o.record["id"])
            )
            finished((idx, "ok", provider, payload, o.reason, o.cost))
        except BudgetExceeded:
            finished((idx, "budget", provider, None, None, 0.0))
        except (LLMError, OSError, TimeoutError) as exc:  # payload: the message, reason: the type
            finished((idx, "error", provider, str(exc), type(exc).__name__, 0.0))
        except Exception:  # a bug: fail the run (as in one process) instead of losing the task
            flush()
            conn.send(("crash", traceback.format_exc()))
            os._exit(1)

    def readable() -> None:
        try:
            while conn.poll():
                msg = conn.recv()
                if msg[0] == "go":
                    spend.others_usd = msg[2]
                    for idx in msg[1]:
                        t = loop.create_task(one(idx))
                        running.add(t)
                        t.add_done_callback(running.discard)
                elif msg[0] == "stop" and not stopped.done():
                    stopped.set_result(None)
        except (EOFError, OSError):
            os._exit(1)  # the parent is gone: stop calling at once

    loop.add_reader(conn.fileno(), readable)
    try:
        await stopped
        if running:
            await asyncio.gather(*running)
        flush()
    finally:
        loop.remove_reader(conn.fileno())
        for b in backends.values():
            await close_backend(b)
    s = spend
    conn.send(
        (
            "final",
            {
                "spent_usd": s.spent_usd,
                "retries": s.retries,
                "retry_waits": s.retry_waits,
                "retry_statuses": s.retry_statuses,
                "by_model": s.by_model,
                "hits": cache.hits,
                "misses": cache.misses,
            },
        )
    )
    cache.close()
