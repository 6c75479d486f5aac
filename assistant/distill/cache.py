"""The SQLite call cache and task ledger that make ``--resume`` free and duplicate-proof.

``calls`` maps a hash of (provider, model, parameters, messages, tools) to the
completion the teacher returned, so a replayed agent run after a crash or Ctrl-C
gets every call it already paid for from disk. ``tasks`` records the outcome of
each finished task (accepted or rejected, and why), so a resumed run skips them.
WAL mode keeps each commit cheap and survives SIGKILL.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from assistant.llm.base import Completion, Message, Usage

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    task_id TEXT,
    completion TEXT NOT NULL,
    cost_usd REAL NOT NULL,
    batch INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_task ON calls(task_id);
CREATE TABLE IF NOT EXISTS call_log (
    key TEXT NOT NULL,
    hit INTEGER NOT NULL,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY,
    idx INTEGER NOT NULL,
    provider TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    cost_usd REAL NOT NULL,
    run_id TEXT NOT NULL,
    updated_at REAL NOT NULL
);
"""


def call_key(
    provider: str,
    model: str,
    params: dict[str, Any],
    messages: list[Message],
    tools: list[dict[str, Any]] | None,
) -> str:
    """A stable hash of everything that determines a teacher's reply."""
    blob = json.dumps(
        {
            "provider": provider,
            "model": model,
            "params": params,
            "messages": [m.to_dict() for m in messages],
            "tools": tools or [],
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def completion_to_json(c: Completion) -> str:
    return json.dumps(
        {"message": c.message.to_dict(), "usage": c.usage.to_dict(), "finish": c.finish_reason},
        ensure_ascii=False,
    )


def completion_from_json(text: str) -> Completion:
    d = json.loads(text)
    u = d["usage"]
    return Completion(
        message=Message.from_dict(d["message"]),
        usage=Usage(
            u["input_tokens"],
            u["output_tokens"],
            u["cache_read_tokens"],
            u["cache_write_tokens"],
            u["cost_usd"],
        ),
        finish_reason=d["finish"],
    )


class CallCache:
    """Cached calls and finished tasks for one output directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")  # worker processes share the file
        self.db.executescript(SCHEMA)
        self.hits = 0
        self.misses = 0
        self._pending: list[tuple[Any, ...]] = []
        self._waiters: list[asyncio.Future[None]] = []

    def close(self) -> None:
        self.db.close()

    # -- calls ---------------------------------------------------------------------------
    def get(self, key: str) -> Completion | None:
        row = self.db.execute("SELECT completion FROM calls WHERE key=?", (key,)).fetchone()
        if row is None:
            return None
        self.hits += 1
        self.db.execute("INSERT INTO call_log VALUES (?, 1, ?)", (key, time.time()))
        return completion_from_json(row[0])

    def put(
        self,
        key: str,
        provider: str,
        model: str,
        task_id: str | None,
        completion: Completion,
        *,
        batch: bool = False,
    ) -> None:
        self.misses += 1
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute(
            "INSERT OR IGNORE INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                provider,
                model,
                task_id,
                completion_to_json(completion),
                completion.usage.cost_usd,
                int(batch),
                time.time(),
            ),
        )
        self.db.execute("INSERT INTO call_log VALUES (?, 0, ?)", (key, time.time()))
        self.db.execute("COMMIT")

    async def put_soon(
        self, key: str, provider: str, model: str, task_id: str | None, completion: Completion
    ) -> None:
        """``put``, sharing one commit with the other results that arrive in the same pass
        of the event loop (fewer commits, less lock contention between worker processes).

        Returns only after that commit, so a result is never used before it is on disk:
        a resumed run still never pays twice for a call whose result was used.
        """
        loop = asyncio.get_running_loop()
        self._pending.append(
            (
                key,
                provider,
                model,
                task_id,
                completion_to_json(completion),
                completion.usage.cost_usd,
                0,
                time.time(),
            )
        )
        if not self._waiters:
            loop.call_soon(self._commit_pending)
        fut: asyncio.Future[None] = loop.create_future()
        self._waiters.append(fut)
        await fut

    def _commit_pending(self) -> None:
        rows, self._pending = self._pending, []
        waiters, self._waiters = self._waiters, []
        error: BaseException | None = None
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.executemany(
                    "INSERT OR IGNORE INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
                self.db.executemany(
                    "INSERT INTO call_log VALUES (?, 0, ?)", [(r[0], r[7]) for r in rows]
                )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.misses += len(rows)
        except Exception as exc:
            error = exc
        for fut in waiters:
            if not fut.done():
                if error is None:
                    fut.set_result(None)
                else:
                    fut.set_exception(error)

    def paid_usd(self, since: float) -> float:
        """USD of the calls paid for at or after ``since`` (a run's start), whichever
        process made them: each is committed before its result is used, so this survives
        a crash that left the checkpoint behind."""
        q = "SELECT COALESCE(SUM(cost_usd), 0) FROM calls WHERE created_at >= ?"
        return float(self.db.execute(q, (since,)).fetchone()[0])

    def paid_calls(self) -> int:
        """Calls that went to a teacher (cache misses), over every run in this directory."""
        return self.db.execute("SELECT COUNT(*) FROM call_log WHERE hit=0").fetchone()[0]

    def repeated_paid_keys(self) -> int:
        """Keys paid for more than once (should always be 0)."""
        q = "SELECT COUNT(*) FROM (SELECT key FROM call_log WHERE hit=0 GROUP BY key HAVING COUNT(*)>1)"
        return self.db.execute(q).fetchone()[0]

    # -- tasks ---------------------------------------------------------------------------
    def finish_task(
        self,
        task_id: str,
        index: int,
        provider: str,
        status: str,
        reason: str | None,
        cost: float,
        run_id: str,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (task_id, index, provider, status, reason, cost, run_id, time.time()),
        )

    def finished_tasks(self) -> dict[str, tuple[str, str | None, str]]:
        rows = self.db.execute("SELECT task_id, status, reason, run_id FROM tasks").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}
