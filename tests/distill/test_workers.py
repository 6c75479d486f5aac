"""``--workers``: calls spread over forked processes, with the parent alone deciding.

Real subprocesses against the fake Messages API: exact N unique records, every paid
call counted once in the metadata, SIGKILL of the parent takes its workers with it,
and ``--resume`` never pays twice; ``--max-cost`` stops all workers.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from assistant.distill.cache import CallCache
from tests.distill.helpers import (
    Timed,
    distill_ok,
    fixed_price,
    read_jsonl,
    start_distill,
)
from tests.distill.test_resume import _lines, _wait
from tests.fakes.anthropic_server import anthropic_fake


@pytest.fixture
def fake():
    with anthropic_fake() as f:
        yield f


def _children_seen(proc: subprocess.Popen, until) -> set[int]:
    """Pids of the distill process's children, polled until ``until()`` or it exits."""
    seen: set[int] = set()
    parent = psutil.Process(proc.pid)
    while proc.poll() is None and not until():
        try:
            seen |= {c.pid for c in parent.children()}
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    return seen


def _alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.add(pid)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.slow
def test_two_workers_give_exactly_n_unique_records_and_count_every_call(
    fake, tmp_path: Path
) -> None:
    timed = Timed(fake, [], delay=0.01)
    out = tmp_path / "out"
    n = 30
    proc = start_distill(
        fake,
        out,
        "--num-examples",
        str(n),
        "--categories",
        "missing_value",
        "--concurrency",
        "8",
        "--workers",
        "2",
    )
    kids = _children_seen(proc, lambda: False)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert len(kids) >= 2, "the calls did not go through worker processes"
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == n
    assert len({r["id"] for r in records}) == n
    assert len({r["meta"]["task_id"] for r in records}) == n
    run_ids = {r["meta"]["run_id"] for r in records}
    assert len(run_ids) == 1
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["status"] == "done" and meta["records"]["total"] == n
    row = meta["cost"]["by_model"][0]
    assert row["calls"] == len(timed.times)  # the workers' spend reached the parent
    assert meta["cache"]["misses"] == len(timed.times)
    assert meta["cost"]["total_usd"] == pytest.approx(
        sum(r["meta"]["cost_usd"] for r in records), rel=1e-6, abs=1e-9
    )
    assert all(
        r["meta"]["usage"]["calls"] == 1 and r["meta"]["usage"]["input_tokens"] > 0 for r in records
    )
    assert CallCache(out / "cache.sqlite").repeated_paid_keys() == 0


@pytest.mark.slow
def test_sigkill_with_workers_then_resume_never_repays(fake, tmp_path: Path) -> None:
    timed = Timed(fake, [], delay=0.03)
    out = tmp_path / "out"
    n = 40
    args = [
        "--num-examples",
        str(n),
        "--categories",
        "missing_value",
        "--concurrency",
        "4",
        "--workers",
        "2",
    ]
    proc = start_distill(fake, out, *args)
    kids = _children_seen(proc, lambda: _lines(out / "records.jsonl") >= 12)
    _wait(lambda: _lines(out / "records.jsonl") >= 12, 60, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(kids) >= 2
    deadline = time.monotonic() + 5
    while _alive(kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(kids), "worker processes outlived their killed parent"
    killed_at = _lines(out / "records.jsonl")
    assert killed_at < n
    paid_first = len(timed.times)

    distill_ok(fake, out, *args, "--resume")
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == n
    assert len({r["id"] for r in records}) == n
    assert len({r["meta"]["task_id"] for r in records}) == n
    assert CallCache(out / "cache.sqlite").repeated_paid_keys() == 0
    # only calls in flight at the kill (concurrency 4 over both workers) were lost
    assert len(timed.times) - paid_first <= n - killed_at + 4
    assert len(timed.bodies) - len(set(timed.bodies)) <= 4
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["records"]["total"] == n and meta["status"] == "done"


@pytest.mark.slow
def test_max_cost_stops_every_worker_and_resume_finishes(fake, tmp_path: Path) -> None:
    Timed(fake, [], delay=0.01)
    out = tmp_path / "out"
    base = [
        "--num-examples",
        "20",
        "--categories",
        "missing_value",
        "--concurrency",
        "2",
        "--workers",
        "2",
    ]
    # each call costs ~ $0.0004 with claude-haiku-4-5 prices at this size
    distill_ok(fake, out, *base, "--max-cost", "0.0012")
    ckpt = json.loads((out / "checkpoint.json").read_text())
    assert ckpt["status"] == "max_cost"
    first = read_jsonl(out / "records.jsonl")
    assert 1 <= len(first) < 20
    # at most the calls in flight when the limit was seen (2) go past it
    assert 0.0012 <= ckpt["cost_usd"] <= 0.0012 + 3 * 0.0005
    paid_before = len(fake.message_requests)
    distill_ok(fake, out, *base, "--resume")
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == 20 and len({r["id"] for r in records}) == 20
    assert len(fake.message_requests) == paid_before + 20 - len(first)
    assert CallCache(out / "cache.sqlite").repeated_paid_keys() == 0


@pytest.mark.slow
def test_max_cost_across_workers_counts_what_the_run_paid_before_a_resume(
    fake, tmp_path: Path
) -> None:
    per_call = fixed_price(fake)
    out = tmp_path / "out"
    base = ["-n", "20", "--categories", "missing_value", "--concurrency", "2", "--workers", "2"]
    limit = ["--max-cost", str(2.5 * per_call)]

    def run(*extra: str) -> dict:
        distill_ok(fake, out, *base, *limit, *extra)
        ckpt = json.loads((out / "checkpoint.json").read_text())
        meta = json.loads((out / "metadata.json").read_text())
        assert ckpt["status"] == meta["status"] == "max_cost"
        billed = len(fake.message_requests) * per_call
        assert ckpt["cost_usd"] == pytest.approx(billed)
        assert meta["cost"]["total_usd"] == pytest.approx(billed)
        return meta

    run()
    paid = len(fake.message_requests)
    assert paid >= 3  # the limit was reached (calls in flight then may go past it)
    meta = run("--resume")  # the same limit: already reached, so no worker pays again
    assert len(fake.message_requests) == paid
    assert meta["cost"]["before_resume_usd"] == pytest.approx(paid * per_call)


def test_workers_with_the_local_teacher_is_a_usage_error(tmp_path: Path) -> None:
    from assistant.distill.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="--workers"):
        parse_config(
            provider="local",
            providers=None,
            mix_ratio=None,
            model=None,
            base_url=None,
            model_path=None,
            api_key=None,
            num_examples=1,
            output_dir=tmp_path,
            categories=None,
            workers=2,
        )


def test_automatic_workers_only_for_direct_cloud_calls_at_high_concurrency(tmp_path: Path) -> None:
    import os

    from assistant.distill.config import parse_config
    from assistant.distill.workers import auto_workers

    def cfg(**kw):
        opts = dict(
            provider="anthropic",
            providers=None,
            mix_ratio=None,
            model=None,
            base_url=None,
            model_path=None,
            api_key="k",
            num_examples=1,
            output_dir=tmp_path,
            categories=None,
        )
        return parse_config(**{**opts, **kw})

    assert auto_workers(cfg(concurrency=8)) == 1
    assert auto_workers(cfg(concurrency=64)) == min(os.cpu_count() or 1, 4)
    assert auto_workers(cfg(concurrency=64, batch=True)) == 1
    assert auto_workers(cfg(concurrency=8, workers=3)) == 3


@pytest.mark.slow
def test_ctrl_c_with_workers_stops_them_and_resume_finishes(fake, tmp_path: Path) -> None:
    Timed(fake, [], delay=0.03)
    out = tmp_path / "out"
    n = 30
    args = [
        "--num-examples",
        str(n),
        "--categories",
        "missing_value",
        "--concurrency",
        "4",
        "--workers",
        "2",
    ]
    proc = start_distill(fake, out, *args)
    kids = _children_seen(proc, lambda: _lines(out / "records.jsonl") >= 8)
    _wait(lambda: _lines(out / "records.jsonl") >= 8, 60, proc)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()[-2000:]
    assert len(kids) >= 2 and not _alive(kids)
    assert json.loads((out / "checkpoint.json").read_text())["status"] == "interrupted"
    distill_ok(fake, out, *args, "--resume")
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == n and len({r["id"] for r in records}) == n
    assert CallCache(out / "cache.sqlite").repeated_paid_keys() == 0
