"""SIGKILL mid-run, then --resume; and --batch restarted mid-poll. Real subprocesses."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from assistant.distill.cache import CallCache
from tests.distill.helpers import (
    ROOT,
    Timed,
    distill_cmd,
    distill_env,
    distill_ok,
    read_jsonl,
    start_distill,
)
from tests.fakes.anthropic_server import anthropic_fake


@pytest.fixture
def fake():
    with anthropic_fake() as f:
        yield f


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _wait(pred, timeout: float, proc: subprocess.Popen) -> None:
    end = time.monotonic() + timeout
    while not pred():
        if proc.poll() is not None:
            _out, err = proc.communicate()
            raise AssertionError(
                f"distill exited early ({proc.returncode}): {err.decode()[-2000:]}"
            )
        if time.monotonic() > end:
            proc.kill()
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


@pytest.mark.slow
def test_sigkill_then_resume_gives_exactly_n_unique_records_without_repaying(
    fake, tmp_path: Path
) -> None:
    timed = Timed(fake, [], delay=0.03)  # a few streamed events per reply: ~0.15 s a call
    out = tmp_path / "out"
    n = 40
    args = ["--num-examples", str(n), "--categories", "missing_value", "--concurrency", "4"]
    proc = start_distill(fake, out, *args)
    _wait(lambda: _lines(out / "records.jsonl") >= 12, 60, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _lines(out / "records.jsonl")
    assert killed_at < n, "the run finished before it was killed; slow the teacher down"
    ckpt = json.loads((out / "checkpoint.json").read_text())
    assert ckpt["status"] == "running"
    # without --resume the unfinished run is protected
    plain = subprocess.run(
        distill_cmd(fake, out, *args), cwd=ROOT, env=distill_env(), capture_output=True, text=True
    )
    assert plain.returncode == 2 and "--resume" in plain.stderr
    assert _lines(out / "records.jsonl") == killed_at
    paid_first = len(timed.times)

    distill_ok(fake, out, *args, "--resume")
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == n
    assert len({r["id"] for r in records}) == n
    assert len({r["meta"]["task_id"] for r in records}) == n
    cache = CallCache(out / "cache.sqlite")
    assert cache.repeated_paid_keys() == 0
    # the resumed run paid only for what was not done: at most the calls in flight at the
    # kill (concurrency 4) were lost and repeated
    assert len(timed.times) - paid_first <= n - killed_at + 4
    assert len(timed.times) <= n + 4
    assert len(timed.bodies) - len(set(timed.bodies)) <= 4  # only the calls cut by the kill
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["records"]["total"] == n and meta["status"] == "done"
    assert len(read_jsonl(out / "train.jsonl")) + len(read_jsonl(out / "val.jsonl")) == n


@pytest.mark.slow
def test_batch_mode_restarted_mid_poll_collects_the_same_batch(fake, tmp_path: Path) -> None:
    Timed(fake, [])
    fake.batch_polls_to_end = 10**9  # stays in_progress until we say so
    out = tmp_path / "out"
    n = 5
    args = [
        "--num-examples",
        str(n),
        "--categories",
        "missing_value",
        "--batch",
        "--batch-poll",
        "0.05",
    ]
    proc = start_distill(fake, out, *args)

    def polls() -> int:
        return sum(1 for r in fake.requests if r.method == "GET" and "/batches/" in r.path)

    _wait(lambda: (out / "batches.json").exists() and polls() >= 3, 60, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ledger = json.loads((out / "batches.json").read_text())
    assert [b["status"] for b in ledger["batches"]] == ["submitted"]
    batch_id = ledger["batches"][0]["id"]

    fake.batch_polls_to_end = 0
    distill_ok(fake, out, *args, "--resume")
    creates = [r for r in fake.requests if r.method == "POST" and r.path == "/v1/messages/batches"]
    assert len(creates) == 1, "the batch was submitted again after the restart"
    assert len(fake.message_requests) == 0  # every single call went through the batch
    ledger = json.loads((out / "batches.json").read_text())
    assert ledger["batches"][0]["id"] == batch_id and ledger["batches"][0]["status"] == "collected"
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == n
    meta = json.loads((out / "metadata.json").read_text())
    row = meta["cost"]["by_model"][0]
    assert row["calls"] >= n and meta["status"] == "done"
    # batch price: half of the list price for the same tokens
    from assistant.llm.base import Usage
    from assistant.llm.pricing import cost_usd

    full = cost_usd("claude-haiku-4-5", Usage(int(row["input_tokens"]), int(row["output_tokens"])))
    assert row["cost_usd"] == pytest.approx(full / 2, rel=1e-6)
