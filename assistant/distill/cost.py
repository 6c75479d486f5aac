"""The cost estimate shown before a run, and the per-model report shown after it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from assistant.distill.config import DistillConfig
from assistant.llm.base import Usage
from assistant.llm.pricing import cost_usd, price_for

# Rough shape of one task, from test runs: agent tasks take several steps whose prompt
# grows with the tool schemas and results; single-call answers are one short prompt.
AGENT_STEPS = 4
AGENT_INPUT_PER_STEP = 3_000
AGENT_OUTPUT_PER_STEP = 250
QA_INPUT = 250
QA_OUTPUT = 700
ATTEMPTS_PER_ACCEPTED = 1.5


@dataclass
class Estimate:
    provider: str
    model: str
    tasks: float
    input_tokens: int
    output_tokens: int
    usd: float
    known_price: bool


def measured_per_task(cache_path: Path) -> dict[str, tuple[float, float]]:
    """Input and output tokens per task so far, per provider, from the run's call cache
    (empty before the first call): a resumed run estimates from what it measured."""
    if not cache_path.exists():
        return {}
    db = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT provider, COUNT(DISTINCT task_id),"
            " SUM(json_extract(completion, '$.usage.input_tokens')"
            "     + json_extract(completion, '$.usage.cache_read_tokens')"
            "     + json_extract(completion, '$.usage.cache_write_tokens')),"
            " SUM(json_extract(completion, '$.usage.output_tokens'))"
            " FROM calls WHERE task_id IS NOT NULL GROUP BY provider"
        ).fetchall()
    except sqlite3.Error:
        return {}
    finally:
        db.close()
    return {p: ((i or 0) / n, (o or 0) / n) for p, n, i, o in rows if n}


def estimate(
    cfg: DistillConfig,
    agent_share: float,
    measured: dict[str, tuple[float, float]] | None = None,
    accepted: int = 0,
) -> list[Estimate]:
    """USD per teacher for the ``--num-examples`` records still to accept (an upper-ish
    estimate); ``accepted`` is what a resumed run already has, ``measured`` (tokens per
    task so far, per provider) replaces the assumed task shape."""
    left = max(cfg.num_examples - accepted, 0)
    out = []
    for spec, ratio in zip(cfg.teachers, cfg.ratios, strict=True):
        tasks = left * ratio * ATTEMPTS_PER_ACCEPTED
        agent_tasks = tasks * agent_share
        qa_tasks = tasks - agent_tasks
        inp = agent_tasks * AGENT_STEPS * AGENT_INPUT_PER_STEP + qa_tasks * QA_INPUT
        outp = agent_tasks * AGENT_STEPS * AGENT_OUTPUT_PER_STEP + qa_tasks * QA_OUTPUT
        if measured and spec.provider in measured:
            per_in, per_out = measured[spec.provider]
            inp, outp = tasks * per_in, tasks * per_out
        usage = Usage(input_tokens=int(inp), output_tokens=int(outp))
        batch = cfg.batch and spec.provider != "local"
        # In batch mode only single-call work is discounted.
        usd = cost_usd(spec.model, usage, batch=False, provider=spec.provider)
        if batch:
            qa_usage = Usage(int(qa_tasks * QA_INPUT), int(qa_tasks * QA_OUTPUT))
            usd -= cost_usd(spec.model, qa_usage, provider=spec.provider) / 2
        known = price_for(spec.model, spec.provider).known
        out.append(Estimate(spec.provider, spec.model, tasks, int(inp), int(outp), usd, known))
    return out
