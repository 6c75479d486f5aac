"""The scheduler: which task runs next, and what becomes of each finished one.

One object owns the run's counts and its guarantees, whatever strategy (live, batch,
worker processes) runs the tasks:

* exact counts: a task is taken only while accepted + in flight stays under
  ``--num-examples`` (and attempts under the limit), so no paid work is thrown away;
* resume after SIGKILL: every accepted record is appended to ``records.jsonl`` at once,
  and every outcome goes to the task ledger (committed in small batches: a lost
  ledger row costs nothing, see :meth:`Scheduler._ledger`); finished tasks are skipped;
* dedup against earlier records and this run's, before a record is written.

API: :meth:`acquire` / :meth:`release` for tasks run in this process, :meth:`take` /
:meth:`claim` / :meth:`settle` for strategies that run them elsewhere, :meth:`stop`.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assistant.distill import store
from assistant.distill.cache import CallCache
from assistant.distill.config import DistillConfig
from assistant.distill.dedup import Deduper, record_text
from assistant.distill.executor import Outcome
from assistant.distill.tasks import Task, TaskSource

LEDGER_BATCH_ROWS = 64
LEDGER_BATCH_S = 0.1
"""Task-ledger rows are committed in batches of this many, or this often."""


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


@dataclass
class Settled:
    """One accepted record of this run, kept as written (for the split and the report)."""

    rid: str
    line: bytes
    category: str
    provider: str


class Scheduler:
    def __init__(
        self,
        cfg: DistillConfig,
        source: TaskSource,
        state: RunState,
        cache: CallCache,
        writer: store.RecordWriter,
        deduper: Deduper,
        finished: dict[str, tuple[str, str | None, str]],
    ) -> None:
        self.cfg = cfg
        self.source = source
        self.state = state
        self.cache = cache
        self.writer = writer
        self.deduper = deduper
        self.finished = finished
        """task id -> (status, reason, run id), from the ledger and records.jsonl."""
        self.new: list[Settled] = []
        self.outcomes: list[Outcome] = []
        """Every settled outcome of this run (for the quality report)."""
        self.stopped = False
        self._cond = asyncio.Condition()
        self._rows: list[tuple[Any, ...]] = []
        self._flushed = time.monotonic()

    # -- taking tasks ------------------------------------------------------------------------
    def room(self) -> bool:
        """Whether another task may start now."""
        s = self.state
        return (
            not self.stopped
            and s.accepted + s.in_flight < self.cfg.num_examples
            and s.attempted + s.in_flight < self.cfg.attempts_limit
        )

    def over(self) -> bool:
        """Whether no further task will ever start (the target or a limit is reached)."""
        s = self.state
        return (
            self.stopped
            or s.accepted >= self.cfg.num_examples
            or s.attempted + s.in_flight >= self.cfg.attempts_limit
        )

    def take(self, indices: list[int] | None = None) -> int | None:
        """The next task index not finished before: from ``indices`` if given (popped), else
        from the endless stream. Does not count it as in flight (see :meth:`claim`)."""
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

    def claim(self) -> None:
        self.state.in_flight += 1

    async def acquire(self, indices: list[int] | None = None) -> int | None:
        """The next index to run here, or None when the run is over. Waits while accepted
        + in flight reaches the target: an in-flight task may still be rejected."""
        async with self._cond:
            while True:
                if self.over():
                    return None
                if self.room():
                    idx = self.take(indices)
                    if idx is not None:
                        self.claim()
                    return idx
                await self._cond.wait()

    async def release(self, task: Task, outcome: Outcome | None) -> None:
        """A task run here ended: settle its outcome (None: it failed, see :meth:`error`)."""
        async with self._cond:
            self.done(outcome)
            self._cond.notify_all()

    def done(self, outcome: Outcome | None) -> None:
        """A claimed task ended (strategies that do not wait on :meth:`acquire`)."""
        self.state.in_flight -= 1
        if outcome is not None:
            self.settle(outcome)

    # -- outcomes ----------------------------------------------------------------------------
    def settle(self, o: Outcome) -> None:
        """Dedup, write and count an outcome; every outcome lands in the ledger."""
        s = self.state
        s.attempted += 1
        produced = o.record is not None or o.line is not None
        if produced and o.reason is None:
            text = o.text if o.text is not None else record_text(o.record or {})
            o.reason = self.deduper.add_text(text)
        if produced and o.reason is None and s.accepted < self.cfg.num_examples:
            if o.line is None:
                assert o.record is not None
                o.line, o.rid = store.encode_record(o.record), o.record["id"]
            self.writer.append_line(o.line)
            self.new.append(Settled(o.rid or "", o.line, o.task.category, o.provider))
            self.count(o.task.category, o.provider)
            self._ledger(o, "accepted", None)
            self.finished[o.task.task_id] = ("accepted", None, s.run_id)
            if s.accepted % 100 == 0:
                self.writer.sync()
                self.flush()
        else:
            o.reason = o.reason or "over_target"
            s.rejected[o.reason] += 1
            self._ledger(o, "rejected", o.reason)
            self.finished[o.task.task_id] = ("rejected", o.reason, s.run_id)
        self.outcomes.append(o)

    def count(self, category: str, provider: str) -> None:
        self.state.accepted += 1
        self.state.by_category[category] += 1
        self.state.by_provider[provider] += 1

    def error(self, name: str) -> None:
        """A task failed (API or sandbox error); it is not marked finished, so a resumed
        run tries it again."""
        self.state.errors[name] += 1

    def stop(self, status: str) -> None:
        """No new task starts; those in flight finish."""
        self.stopped = True
        self.state.status = status

    # -- the ledger ----------------------------------------------------------------------------
    def _ledger(self, o: Outcome, status: str, reason: str | None) -> None:
        """Queue a task's outcome for the ledger; written in one transaction per batch.

        Unlike a paid call (committed at once, so nothing is ever paid twice), a ledger
        row lost to SIGKILL costs nothing: an accepted task is recovered from
        records.jsonl, and a rejected one is replayed from the call cache for free.
        """
        self._rows.append(
            (o.task.task_id, o.task.index, o.provider, status, reason, o.cost, self.state.run_id)
        )
        if (
            len(self._rows) >= LEDGER_BATCH_ROWS
            or time.monotonic() - self._flushed >= LEDGER_BATCH_S
        ):
            self.flush()

    def flush(self) -> None:
        self._flushed = time.monotonic()
        if not self._rows:
            return
        db = self.cache.db
        db.execute("BEGIN IMMEDIATE")  # take the write lock now: workers share the file
        try:
            for row in self._rows:
                self.cache.finish_task(*row)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._rows.clear()
