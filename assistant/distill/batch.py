"""``--batch``: first calls through Anthropic's Message Batches or OpenAI's Batch API.

Rounds: pick the next tasks; send the first call of every task (system prompt, request
and tool specs, exactly as the agent will make it) that is not cached yet to its
teacher's batch API; save the batch ids in ``batches.json`` *before* polling;
poll; store each result in the call cache at the batch price; then run the normal
pipeline over the round's tasks, where those calls are now cache hits (later calls of
multi-step tasks, and local teachers, run live). A task answered in one call, such as
an abstention, is then paid entirely at the batch price. A restarted run collects the batches listed in
``batches.json`` first, so nothing submitted is paid for twice.

Failed requests inside a batch: a permanent one (a 4xx, an invalid prompt) rejects
its task with reason ``batch_error`` (it would fail live too, and is not paid for
again); a transient one (5xx, 429) or one the batch never ran (expired, cancelled)
is left to the normal pipeline, which calls the teacher live at the list price.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.distill import store
from assistant.distill.mixing import assign_provider
from assistant.distill.teachers import Teacher
from assistant.llm.base import Completion

if TYPE_CHECKING:
    from assistant.distill.runner import Distiller

BATCHABLE = ("anthropic", "openai")
OVERSHOOT = 1.2
"""Tasks per round per record still needed (some are rejected)."""
LIMITS = {"anthropic": (100_000, 256 * 2**20), "openai": (50_000, 200 * 2**20)}
"""Requests and bytes per batch the providers accept; bigger rounds are split."""
SIZE_MARGIN = 0.9
OPENAI_DONE = ("completed", "failed", "expired", "cancelled")
TRANSIENT_TYPES = {
    "api_error",
    "overloaded_error",
    "rate_limit_error",
    "timeout_error",
    "server_error",
    "rate_limit_exceeded",
}
NOT_RUN_CODES = {"batch_expired", "batch_cancelled"}
REJECT_REASON = "batch_error"


class BatchLedger:
    """``batches.json``: what was submitted and whether its results are in the cache."""

    def __init__(self, d: Distiller) -> None:
        self.path = d.out / store.BATCHES
        self.data: dict[str, Any] = {"batches": []}
        if self.path.exists():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError:
                raise store.OutputError(
                    f"{self.path} is not valid JSON; restore it or delete it (its batches "
                    "would then be submitted again)."
                ) from None

    @property
    def pending(self) -> list[dict[str, Any]]:
        return [b for b in self.data["batches"] if b["status"] != "collected"]

    @property
    def failed(self) -> dict[str, str]:
        """Task id -> error, for every request a collected batch failed permanently."""
        return {cid: err for b in self.data["batches"] for cid, err in b.get("failed", {}).items()}

    def add(self, entry: dict[str, Any]) -> None:
        self.data["batches"].append(entry)
        self.save()

    def save(self) -> None:
        store.atomic_write_json(self.path, self.data)


@dataclass
class BatchResults:
    ok: list[tuple[str, Completion]] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """custom_id -> error, for permanent failures (the task is rejected)."""
    retry_live: list[str] = field(default_factory=list)
    """custom_ids that failed transiently or never ran (the pipeline calls them live)."""
    note: str | None = None


def _params(d: Distiller) -> dict[str, Any]:
    return {"temperature": d.cfg.temperature, "max_tokens": d.cfg.max_tokens}


def _requests(d: Distiller, teacher: Teacher, items: list[tuple[str, Any, Any]]) -> list[Any]:
    """One batch request per ``(custom_id, messages, tools)``: a dict for Anthropic, a JSONL
    line (``{"custom_id", "method", "url", "body"}``) for OpenAI."""
    backend: Any = teacher.backend
    p = _params(d)
    if teacher.provider == "anthropic":
        from assistant.llm.anthropic import to_anthropic_request

        caching = getattr(backend, "prompt_caching", True)
        return [
            {
                "custom_id": cid,
                "params": to_anthropic_request(
                    msgs,
                    tools,
                    model=teacher.name,
                    temperature=p["temperature"],
                    max_tokens=p["max_tokens"],
                    prompt_caching=caching,
                ),
            }
            for cid, msgs, tools in items
        ]
    from assistant.llm.openai import to_openai_request

    return [
        json.dumps(
            {
                "custom_id": cid,
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": to_openai_request(
                    msgs,
                    tools,
                    model=teacher.name,
                    temperature=p["temperature"],
                    max_tokens=p["max_tokens"],
                ),
            }
        )
        for cid, msgs, tools in items
    ]


def _split(provider: str, requests: list[Any], ids: list[str]) -> list[tuple[list[Any], list[str]]]:
    """Cut a round's requests into batches within the provider's count and size limits."""
    max_n, max_bytes = LIMITS[provider]
    budget = max_bytes * SIZE_MARGIN
    out: list[tuple[list[Any], list[str]]] = []
    cur: list[Any] = []
    cur_ids: list[str] = []
    size = 0
    for req, cid in zip(requests, ids, strict=True):
        n = len(req if isinstance(req, str) else json.dumps(req)) + 1
        if cur and (len(cur) >= max_n or size + n > budget):
            out.append((cur, cur_ids))
            cur, cur_ids, size = [], [], 0
        cur.append(req)
        cur_ids.append(cid)
        size += n
    if cur:
        out.append((cur, cur_ids))
    return out


async def _submit(teacher: Teacher, requests: list[Any]) -> str:
    """Send one batch; returns its id."""
    backend: Any = teacher.backend
    if teacher.provider == "anthropic":
        batch = await teacher.retrying(
            lambda: backend.client.messages.batches.create(requests=requests)
        )
        return str(batch.id)
    payload = ("\n".join(requests) + "\n").encode()
    upload = await teacher.retrying(
        lambda: backend.client.files.create(file=("distill-batch.jsonl", payload), purpose="batch")
    )
    batch = await teacher.retrying(
        lambda: backend.client.batches.create(
            input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
    )
    return str(batch.id)


async def _poll(d: Distiller, teacher: Teacher, batch_id: str) -> BatchResults:
    """Wait for the batch to end; sort its requests into successes and failures."""
    if teacher.provider == "anthropic":
        return await _poll_anthropic(d, teacher, batch_id)
    return await _poll_openai(d, teacher, batch_id)


async def _poll_anthropic(d: Distiller, teacher: Teacher, batch_id: str) -> BatchResults:
    from assistant.llm.anthropic import completion_from_anthropic_message

    backend: Any = teacher.backend
    out = BatchResults()
    while True:
        b = await teacher.retrying(lambda: backend.client.messages.batches.retrieve(batch_id))
        if b.processing_status == "ended":
            break
        await asyncio.sleep(d.cfg.batch_poll_s)
    results = await teacher.retrying(lambda: backend.client.messages.batches.results(batch_id))
    async for entry in results:
        kind = entry.result.type
        if kind == "succeeded":
            msg = entry.result.message.model_dump()
            out.ok.append(
                (
                    entry.custom_id,
                    completion_from_anthropic_message(msg, model=teacher.name, batch=True),
                )
            )
        elif kind == "errored":
            err = entry.result.error.model_dump().get("error") or {}
            if err.get("type") in TRANSIENT_TYPES:
                out.retry_live.append(entry.custom_id)
            else:
                out.failed[entry.custom_id] = f"{err.get('type')}: {err.get('message')}"
        else:  # canceled, expired: never ran
            out.retry_live.append(entry.custom_id)
    return out


async def _poll_openai(d: Distiller, teacher: Teacher, batch_id: str) -> BatchResults:
    """``output_file_id`` holds the successful lines, ``error_file_id`` the failed ones."""
    from assistant.llm.openai import completion_from_openai_response

    backend: Any = teacher.backend
    out = BatchResults()
    while True:
        b = await teacher.retrying(lambda: backend.client.batches.retrieve(batch_id))
        if b.status in OPENAI_DONE:
            break
        await asyncio.sleep(d.cfg.batch_poll_s)
    if b.status == "failed":
        errors = [e.message or e.code for e in (b.errors.data or [])] if b.errors else []
        out.note = (
            f"openai batch {batch_id} failed validation"
            + (f": {errors[0]}" if errors else "")
            + "; its tasks are called live"
        )
    for file_id in (b.output_file_id, b.error_file_id):
        if not file_id:
            continue
        content = await teacher.retrying(lambda fid=file_id: backend.client.files.content(fid))
        for line in content.text.splitlines():
            if line.strip():
                _sort_openai_line(
                    json.loads(line), out, teacher.name, completion_from_openai_response
                )
    return out


def _sort_openai_line(row: dict[str, Any], out: BatchResults, model: str, parse: Any) -> None:
    cid = row.get("custom_id")
    if not isinstance(cid, str):
        return
    resp = row.get("response") or {}
    status = resp.get("status_code")
    if status == 200 and isinstance(resp.get("body"), dict):
        out.ok.append((cid, parse(resp["body"], model=model, batch=True)))
        return
    err = row.get("error") or ((resp.get("body") or {}).get("error") if resp else None) or {}
    code = err.get("code") or err.get("type")
    if (
        code in NOT_RUN_CODES
        or code in TRANSIENT_TYPES
        or (isinstance(status, int) and (status == 429 or status >= 500))
    ):
        out.retry_live.append(cid)
    else:
        detail = f"HTTP {status}" if status else str(code)
        out.failed[cid] = f"{detail}: {err.get('message')}"


async def _collect(d: Distiller, ledger: BatchLedger) -> None:
    assert d.cache is not None
    for entry in ledger.pending:
        teacher = d.teachers[entry["provider"]]
        d.note(
            f"waiting for {entry['provider']} batch {entry['id']} ({len(entry['items'])} requests)"
        )
        res = await _poll(d, teacher, entry["id"])
        if res.note:
            d.note(res.note)
        for cid, completion in res.ok:
            item = entry["items"].get(cid)
            if item is None:
                continue
            d.cache.put(
                item["key"], teacher.provider, teacher.name, item["task_id"], completion, batch=True
            )
            d.spend.add(teacher.provider, teacher.name, completion, cached=False)
        entry["status"] = "collected"
        entry["collected_at"] = time.time()
        entry["succeeded"] = len(res.ok)
        entry["failed"] = {cid: err for cid, err in res.failed.items() if cid in entry["items"]}
        entry["retried_live"] = len(res.retry_live)
        ledger.save()


def _round_indices(d: Distiller, count: int) -> list[int]:
    assert d.scheduler is not None
    out: list[int] = []
    while len(out) < count:
        idx = d.scheduler.take()
        if idx is None:  # pragma: no cover - the index stream is endless
            break
        out.append(idx)
    return out


def _reject_failed(d: Distiller, indices: list[int], failed: dict[str, str]) -> list[int]:
    """Settle the tasks whose batch request failed permanently; return the others."""
    from assistant.distill.executor import Outcome

    assert d.scheduler is not None
    providers = [t.provider for t in d.cfg.teachers]
    keep: list[int] = []
    for idx in indices:
        task = d.source.task(idx)
        if task.task_id in failed and task.task_id not in d.scheduler.finished:
            provider = assign_provider(idx, d.cfg.seed, providers, d.cfg.ratios)
            d.scheduler.settle(Outcome(task, provider, reason=REJECT_REASON))
        else:
            keep.append(idx)
    return keep


async def run_batched(d: Distiller) -> None:
    from assistant.distill.live import run_live

    assert d.cache is not None and d.scheduler is not None
    sched = d.scheduler
    ledger = BatchLedger(d)
    await _collect(d, ledger)  # a restart picks up where it was
    providers = [t.provider for t in d.cfg.teachers]
    carry: list[int] = []  # paid for in an earlier round but not needed then
    while not sched.stopped and d.state.accepted < d.cfg.num_examples:
        left = d.cfg.attempts_limit - d.state.attempted
        need = d.cfg.num_examples - d.state.accepted
        count = min(left, math.ceil(need * OVERSHOOT))
        if count <= 0:
            break
        indices = carry + _round_indices(d, max(0, count - len(carry)))
        failed = ledger.failed
        groups: dict[str, list[tuple[str, Any, Any, str]]] = {}
        for idx in indices:
            task = d.source.task(idx)
            provider = assign_provider(idx, d.cfg.seed, providers, d.cfg.ratios)
            if provider not in BATCHABLE or task.task_id in failed:
                continue
            teacher = d.teachers[provider]
            msgs, tools = await asyncio.to_thread(d.executor.first_call, task)
            key = teacher.key_for(
                msgs, tools, temperature=d.cfg.temperature, max_tokens=d.cfg.max_tokens
            )
            if d.cache.db.execute("SELECT 1 FROM calls WHERE key=?", (key,)).fetchone():
                continue
            groups.setdefault(provider, []).append((task.task_id, msgs, tools, key))
        for provider, items in groups.items():
            teacher = d.teachers[provider]
            keys = {cid: key for cid, _, _, key in items}
            requests = _requests(d, teacher, [(cid, msgs, tools) for cid, msgs, tools, _ in items])
            for chunk, ids in _split(provider, requests, [cid for cid, _, _, _ in items]):
                if d.spend.exhausted:
                    sched.stop("max_cost")
                    return
                batch_id = await _submit(teacher, chunk)
                ledger.add(
                    {
                        "id": batch_id,
                        "provider": provider,
                        "model": teacher.name,
                        "status": "submitted",
                        "submitted_at": time.time(),
                        "items": {cid: {"key": keys[cid], "task_id": cid} for cid in ids},
                    }
                )
        d.write_checkpoint()
        await _collect(d, ledger)
        before = d.state.attempted
        pending = _reject_failed(d, indices, ledger.failed)
        await run_live(d, pending)
        carry = pending  # run_live pops what it works on; the rest is left here
        if d.state.attempted == before and not groups:
            break
