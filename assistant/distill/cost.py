"""The cost estimate shown before a run, and the per-model report shown after it."""

from __future__ import annotations

from dataclasses import dataclass

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


def estimate(cfg: DistillConfig, agent_share: float) -> list[Estimate]:
    """USD per teacher for ``--num-examples`` accepted records (an upper-ish estimate)."""
    out = []
    for spec, ratio in zip(cfg.teachers, cfg.ratios, strict=True):
        tasks = cfg.num_examples * ratio * ATTEMPTS_PER_ACCEPTED
        agent_tasks = tasks * agent_share
        qa_tasks = tasks - agent_tasks
        inp = agent_tasks * AGENT_STEPS * AGENT_INPUT_PER_STEP + qa_tasks * QA_INPUT
        outp = agent_tasks * AGENT_STEPS * AGENT_OUTPUT_PER_STEP + qa_tasks * QA_OUTPUT
        usage = Usage(input_tokens=int(inp), output_tokens=int(outp))
        batch = cfg.batch and spec.provider != "local"
        # In batch mode only single-call work is discounted.
        usd = cost_usd(spec.model, usage, batch=False, provider=spec.provider)
        if batch:
            qa_usage = Usage(int(qa_tasks * QA_INPUT), int(qa_tasks * QA_OUTPUT))
            usd -= cost_usd(spec.model, qa_usage, provider=spec.provider) / 2
        known = spec.provider == "local" or price_for(spec.model, spec.provider).known
        out.append(Estimate(spec.provider, spec.model, tasks, int(inp), int(outp), usd, known))
    return out
