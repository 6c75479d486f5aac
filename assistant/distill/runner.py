"""The generation run: prepare the output directory, run a strategy, write the split.

Reading order: :meth:`Distiller.prepare` checks the output directory and earlier
records (nothing is written before it passes); :meth:`Distiller.run` opens the call
cache, builds the :class:`~assistant.distill.scheduler.Scheduler` (which task next, what
becomes of each outcome) and the :class:`~assistant.distill.executor.TaskExecutor` (one
task with one teacher), then runs one strategy on top of them: live (``live.py``), the
providers' batch APIs (``batch.py``) or forked worker processes (``workers.py``); at
the end :meth:`Distiller.finish` writes the split, the metadata and its quality report.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from assistant.distill import store
from assistant.distill.cache import CallCache
from assistant.distill.config import DistillConfig, TeacherSpec
from assistant.distill.dedup import Deduper
from assistant.distill.executor import TaskExecutor, make_teachers
from assistant.distill.quality import quality_report
from assistant.distill.scheduler import RunState, Scheduler
from assistant.distill.tasks import TaskSource, category_of
from assistant.distill.teachers import Spend, Teacher, close_backend
from assistant.llm.base import ChatModel

RESUMABLE = ("running", "interrupted", "max_cost")


class NothingToResume(Exception):
    """``--resume`` where the run in the directory already finished; not an error."""


class Distiller:
    def __init__(self, cfg: DistillConfig, *, console: Any = None) -> None:
        self.cfg = cfg
        self.out = cfg.output_dir
        self.console = console
        self.spend = Spend(limit_usd=cfg.max_cost)
        self.earlier_usd = 0.0
        """What the resumed run paid before this process started (counted in ``spend``)."""
        self._resuming = False
        self.teachers: dict[str, Teacher] = {}
        self.backends: dict[str, ChatModel] = {}
        self._built: list[str] = []
        self._injected = False
        """Backends handed in (tests, embedding) cannot move to worker processes."""
        self.pool: Any = None
        """Worker processes (workers.Pool) when the calls are spread over several."""
        self.source = TaskSource(cfg.seed, cfg.categories, cfg.mix)
        self.deduper = Deduper()
        self.progress: Any = None
        self.earlier: list[dict[str, Any]] = []
        self._earlier_in_records = 0
        """How many of ``earlier`` come from records.jsonl (the rest from the splits)."""
        self.cache: CallCache | None = None
        self.scheduler: Scheduler | None = None
        self.state = RunState(run_id=uuid.uuid4().hex[:12])
        self.executor = TaskExecutor(cfg, self.teachers, self.spend, self.state.run_id)
        self.repaired_tail = False
        self.report: dict[str, Any] = {}
        """The quality report of the finished run (quality.py)."""
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
        if self.cfg.resume and ckpt and ckpt.get("status") == "done":
            raise NothingToResume(
                f"{self.out} holds a finished run ({ckpt.get('run_id')}, {ckpt.get('accepted')} "
                "records), so there is nothing to resume; drop --resume to add --num-examples "
                "more records, or choose another --output-dir."
            )
        if self.cfg.resume and ckpt and not resumable:
            raise store.OutputError(
                f"{self.out} holds a run that ended {ckpt.get('status')} with "
                f"{ckpt.get('accepted')} records ({ckpt.get('run_id')}), which --resume cannot "
                "continue; drop --resume to start another run beside it, or choose another "
                "--output-dir."
            )
        if self.cfg.resume and resumable:
            if ckpt.get("identity") != _jsonable(self.cfg.identity()):
                raise store.OutputError(
                    f"--resume in {self.out} needs the same providers, models, seed, categories, "
                    "ratios and --num-examples as the run it continues; pass the original options."
                )
            self._resuming = True
            self.state.run_id = self.executor.run_id = ckpt["run_id"]
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
        self._injected = bool(backends)
        teachers, self.backends, self._built = make_teachers(self.cfg, self.spend, backends)
        self.teachers.update(teachers)  # the executor holds this same dict
        if self.workers() > 1 and self.pool is None:
            from assistant.distill.workers import Pool

            self.pool = Pool(self.cfg, self.workers())

    def workers(self) -> int:
        """Processes for the calls: 1 (this one) or ``--workers``/auto (see workers.py)."""
        from assistant.distill.workers import auto_workers

        return 1 if self._injected else auto_workers(self.cfg)

    # -- the run -----------------------------------------------------------------------------
    async def run(self) -> RunState:
        self.cache = CallCache(self.out / store.CACHE)
        for t in self.teachers.values():
            t.cache = self.cache
        if self._resuming:
            # --max-cost bounds the run, not each process: replayed calls are free, so
            # what was paid before the resume would otherwise never be counted
            self.earlier_usd = self.cache.paid_usd(since=self.state.started)
            self.spend.spent_usd += self.earlier_usd
        finished = self.cache.finished_tasks()
        for r in self.earlier:
            self.deduper.preload(r)
        sched = self.scheduler = Scheduler(
            self.cfg,
            self.source,
            self.state,
            self.cache,
            store.RecordWriter(self.out / store.RECORDS),
            self.deduper,
            finished,
        )
        for r in self.earlier:
            meta = r.get("meta", {})
            if meta.get("run_id") == self.state.run_id:
                sched.count(meta.get("category", "?"), meta.get("provider", "?"))
                if meta.get("task_id"):  # written just before a crash, not yet in the ledger
                    finished[meta["task_id"]] = ("accepted", None, self.state.run_id)
        for status, reason, run_id in finished.values():
            if run_id == self.state.run_id:
                self.state.attempted += 1
                if status == "rejected":
                    self.state.rejected[reason or "?"] += 1
        self.write_checkpoint()
        try:
            if self.cfg.batch:
                from assistant.distill.batch import run_batched

                await run_batched(self)
            elif self.pool is not None:
                from assistant.distill.workers import run_sharded

                await run_sharded(self, self.pool)
            else:
                from assistant.distill.live import run_live

                await run_live(self)
            if self.state.status == "running":
                self.state.status = (
                    "done" if self.state.accepted >= self.cfg.num_examples else "exhausted"
                )
        except (asyncio.CancelledError, KeyboardInterrupt):
            self.state.status = "interrupted"
            raise
        finally:
            sched.flush()
            sched.writer.close()
            if self.state.status != "running":
                self.finish()
            self.write_checkpoint()
            self.cache.close()
            if self.pool is not None:
                self.pool.close()
            for provider in self._built:
                await close_backend(self.backends[provider])
            self._built.clear()
        return self.state

    # -- reporting ---------------------------------------------------------------------------
    def note(self, text: str) -> None:
        if self.console is not None:
            # The text may carry a teacher's error body: never read as markup.
            self.console.print(Text(text, style="yellow"))

    def refresh(self) -> None:
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

    def write_checkpoint(self) -> None:
        store.atomic_write_json(self.out / store.CHECKPOINT, self.checkpoint())

    def finish(self) -> None:
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
        assert self.scheduler is not None
        for n in self.scheduler.new:
            add(n.rid, n.line, n.category, n.provider)
        add_earlier(self.earlier[self._earlier_in_records :])
        n_train, n_val = store.write_split_lines(self.out, rows, self.cfg.val_fraction)
        meta = self.metadata(len(rows), by_cat, by_prov, n_train, n_val)
        meta["quality"] = self.quality([json.loads(line) for _, line in rows])
        store.atomic_write_json(self.out / store.METADATA, meta)

    def quality(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """The quality report over the directory's records and every rejection in its ledger."""
        assert self.cache is not None
        rejected = self.cache.db.execute(
            "SELECT task_id, provider, reason FROM tasks WHERE status = 'rejected'"
        ).fetchall()
        self.report = quality_report(records, rejected, category_of)
        return self.report

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
                    "before_resume_usd": round(self.earlier_usd, 6),
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


def _jsonable(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=str))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    # key -> distribution name (this project is packaged as local-coding-assistant)
    for key, dist in (
        ("assistant", "local-coding-assistant"),
        ("anthropic", "anthropic"),
        ("openai", "openai"),
        ("llama_cpp_python", "llama_cpp_python"),
        ("datasketch", "datasketch"),
    ):
        with contextlib.suppress(PackageNotFoundError):
            out[key] = version(dist)
    return out


__all__ = ["Distiller", "NothingToResume", "TeacherSpec"]
