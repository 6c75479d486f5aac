"""The live strategy: tasks run in this process, ``--concurrency`` per teacher at a time."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from assistant.distill.executor import Outcome
from assistant.distill.mixing import assign_provider
from assistant.distill.teachers import BudgetExceeded
from assistant.llm.base import LLMError

if TYPE_CHECKING:
    from assistant.distill.runner import Distiller


async def run_live(d: Distiller, indices: list[int] | None = None) -> None:
    """Run tasks (the endless stream, or ``indices``, popped as taken) until the run is over."""
    lanes = max(1, d.cfg.concurrency * len(d.cfg.teachers))
    await asyncio.gather(*(_lane(d, indices) for _ in range(lanes)))


async def _lane(d: Distiller, indices: list[int] | None) -> None:
    sched = d.scheduler
    assert sched is not None
    providers = [t.provider for t in d.cfg.teachers]
    while True:
        idx = await sched.acquire(indices)
        if idx is None:
            return
        task = d.source.task(idx)
        provider = assign_provider(idx, d.cfg.seed, providers, d.cfg.ratios)
        outcome: Outcome | None = None
        try:
            outcome = await d.executor.run(task, provider)
        except BudgetExceeded:
            sched.stop("max_cost")
        except (LLMError, OSError, TimeoutError) as exc:
            sched.error(type(exc).__name__)
            d.note(f"task {task.task_id} failed: {exc}")
        await sched.release(task, outcome)
        d.refresh()
