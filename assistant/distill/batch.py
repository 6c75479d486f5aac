"""``--batch``: single-call tasks through Anthropic's Message Batches or OpenAI's Batch API.

Rounds: pick the next tasks; send every single-call one that is not cached yet to
its teacher's batch API; save the batch ids in ``batches.json`` *before* polling;
poll; store each result in the call cache at the batch price; then run the normal
pipeline over the round's tasks, where those calls are now cache hits (agent tasks
and local teachers run live). A restarted run collects the batches listed in
``batches.json`` first, so nothing submitted is paid for twice.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
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

    def add(self, entry: dict[str, Any]) -> None:
        self.data["batches"].append(entry)
        self.save()

    def save(self) -> None:
        store.atomic_write_json(self.path, self.data)


def _params(d: Distiller) -> dict[str, Any]:
    return {"temperature": d.cfg.temperature, "max_tokens": d.cfg.max_tokens}


async def _submit(d: Distiller, teacher: Teacher, items: list[tuple[str, Any]]) -> str:
    """Send ``(custom_id, messages)`` pairs as one batch; returns the batch id."""
    backend: Any = teacher.backend
    p = _params(d)
    if teacher.provider == "anthropic":
        from assistant.llm.anthropic import to_anthropic_request

        requests = [
            {"custom_id": cid, "params": to_anthropic_request(
                msgs, None, model=teacher.name, temperature=p["temperature"],
                max_tokens=p["max_tokens"], prompt_caching=getattr(backend, "prompt_caching", True))}
            for cid, msgs in items
        ]
        batch = await teacher.retrying(lambda: backend.client.messages.batches.create(requests=requests))
        return batch.id
    from assistant.llm.openai import to_openai_request

    lines = [
        json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
                    "body": to_openai_request(msgs, None, model=teacher.name,
                                              temperature=p["temperature"],
                                              max_tokens=p["max_tokens"])})
        for cid, msgs in items
    ]
    payload = ("\n".join(lines) + "\n").encode()
    upload = await teacher.retrying(
        lambda: backend.client.files.create(file=("distill-batch.jsonl", payload), purpose="batch")
    )
    batch = await teacher.retrying(lambda: backend.client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"))
    return batch.id


async def _poll(d: Distiller, teacher: Teacher, batch_id: str) -> list[tuple[str, Completion]]:
    """Wait for the batch to end; return ``(custom_id, completion)`` for each success."""
    backend: Any = teacher.backend
    out: list[tuple[str, Completion]] = []
    if teacher.provider == "anthropic":
        from assistant.llm.anthropic import completion_from_anthropic_message

        while True:
            b = await teacher.retrying(lambda: backend.client.messages.batches.retrieve(batch_id))
            if b.processing_status == "ended":
                break
            await asyncio.sleep(d.cfg.batch_poll_s)
        results = await teacher.retrying(lambda: backend.client.messages.batches.results(batch_id))
        async for entry in results:
            if entry.result.type == "succeeded":
                msg = entry.result.message.model_dump()
                out.append((entry.custom_id, completion_from_anthropic_message(
                    msg, model=teacher.name, batch=True)))
        return out
    from assistant.llm.openai import completion_from_openai_response

    while True:
        b = await teacher.retrying(lambda: backend.client.batches.retrieve(batch_id))
        if b.status in ("completed", "failed", "expired", "cancelled"):
            break
        await asyncio.sleep(d.cfg.batch_poll_s)
    if not b.output_file_id:
        return out
    content = await teacher.retrying(lambda: backend.client.files.content(b.output_file_id))
    for line in content.text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        resp = row.get("response") or {}
        if resp.get("status_code") == 200:
            out.append((row["custom_id"], completion_from_openai_response(
                resp["body"], model=teacher.name, batch=True)))
    return out


async def _collect(d: Distiller, ledger: BatchLedger) -> None:
    assert d.cache is not None
    for entry in ledger.pending:
        teacher = d.teachers[entry["provider"]]
        d._note(f"waiting for {entry['provider']} batch {entry['id']} "
                f"({len(entry['items'])} requests)")
        results = await _poll(d, teacher, entry["id"])
        for cid, completion in results:
            item = entry["items"].get(cid)
            if item is None:
                continue
            d.cache.put(item["key"], teacher.provider, teacher.name, item["task_id"], completion,
                        batch=True)
            d.spend.add(teacher.provider, teacher.name, completion, cached=False)
        entry["status"] = "collected"
        entry["collected_at"] = time.time()
        entry["succeeded"] = len(results)
        ledger.save()


def _round_indices(d: Distiller, count: int) -> list[int]:
    out: list[int] = []
    while len(out) < count:
        idx = d._take(None)
        if idx is None:  # pragma: no cover - the index stream is endless
            break
        out.append(idx)
    return out


async def run_batched(d: Distiller) -> None:
    assert d.cache is not None
    ledger = BatchLedger(d)
    await _collect(d, ledger)  # a restart picks up where it was
    providers = [t.provider for t in d.cfg.teachers]
    while not d._stop and d.state.accepted < d.cfg.num_examples:
        left = d.cfg.attempts_limit - d.state.attempted
        need = d.cfg.num_examples - d.state.accepted
        count = min(left, math.ceil(need * OVERSHOOT))
        if count <= 0:
            break
        indices = _round_indices(d, count)
        groups: dict[str, list[tuple[str, Any]]] = {}
        for idx in indices:
            task = d.source.task(idx)
            provider = assign_provider(idx, d.cfg.seed, providers, d.cfg.ratios)
            if task.mode != "qa" or provider not in BATCHABLE:
                continue
            teacher = d.teachers[provider]
            msgs = d.qa_messages(task)
            key = teacher.key_for(msgs, None, temperature=d.cfg.temperature,
                                  max_tokens=d.cfg.max_tokens)
            if d.cache.db.execute("SELECT 1 FROM calls WHERE key=?", (key,)).fetchone():
                continue
            groups.setdefault(provider, []).append((task.task_id, msgs, key))  # type: ignore[arg-type]
        for provider, items in groups.items():
            if d.spend.exhausted:
                d._stop = True
                d.state.status = "max_cost"
                return
            teacher = d.teachers[provider]
            batch_id = await _submit(d, teacher, [(cid, msgs) for cid, msgs, _ in items])
            ledger.add({
                "id": batch_id, "provider": provider, "model": teacher.name,
                "status": "submitted", "submitted_at": time.time(),
                "items": {cid: {"key": key, "task_id": cid} for cid, _, key in items},
            })
        d._write_checkpoint()
        await _collect(d, ledger)
        before = d.state.attempted
        await d._generate(list(indices))
        if d.state.attempted == before and not indices:
            break
