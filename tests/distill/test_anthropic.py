"""Distill through the official anthropic SDK against the local fake Messages API."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import pytest

from assistant.distill.cache import CallCache
from assistant.distill.cli import run_distill
from assistant.distill.config import parse_config
from assistant.distill.teachers import RetryPolicy
from tests.distill.helpers import ROOT, Timed, fixed_price, read_jsonl
from tests.fakes.anthropic_server import (
    anthropic_fake,
    dropped,
    overloaded,
    rate_limited,
    server_error,
)


@pytest.fixture
def fake():
    with anthropic_fake() as f:
        yield f


def _cfg(fake, out: Path, **kw):
    opts = dict(
        provider="anthropic",
        providers=None,
        mix_ratio=None,
        model="claude-haiku-4-5",
        base_url=fake.base_url,
        model_path=None,
        api_key="test-key",
        num_examples=6,
        output_dir=out,
        categories="missing_value",
        yes=True,
        progress=False,
        concurrency=1,
        retry=RetryPolicy(attempts=6, base_s=0.05, max_s=0.2),
    )
    opts.update(kw)
    return parse_config(**opts)


def test_qa_run_survives_429_529_500_and_a_dropped_connection(fake, tmp_path: Path) -> None:
    timed = Timed(
        fake,
        [rate_limited(retry_after=0.4), overloaded(), server_error(), dropped(mid_stream=True)],
    )
    out = tmp_path / "out"
    assert run_distill(_cfg(fake, out)) == 0
    # four faults, each retried once, the 429 after at least its retry-after
    assert timed.kinds[:5] == ["fault:429", "fault:529", "fault:500", "fault:None", "ok"]
    assert timed.times[1] - timed.times[0] >= 0.4
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == 6 and len({r["id"] for r in records}) == 6
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["retries"] == 4
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["versions"]["assistant"] == pyproject["project"]["version"]
    assert meta["records"] == {
        "total": 6,
        "train": meta["records"]["train"],
        "val": 6 - meta["records"]["train"],
        "this_run": 6,
    }
    assert len(read_jsonl(out / "train.jsonl")) + len(read_jsonl(out / "val.jsonl")) == 6
    r = records[0]
    assert r["messages"][0]["role"] == "system" and r["messages"][-1]["role"] == "assistant"
    assert r["meta"]["provider"] == "anthropic" and r["meta"]["model"] == "claude-haiku-4-5"
    assert r["meta"]["category"] == "missing_value" and r["meta"]["usage"]["input_tokens"] > 0
    assert r["meta"]["cost_usd"] > 0 and r["meta"]["verification"]["passed"]
    # cost counted once per paid call, and equal to the sum of the records' costs
    by_model = meta["cost"]["by_model"]
    assert by_model[0]["calls"] == 6 and by_model[0]["output_tokens"] > 0
    assert meta["cost"]["total_usd"] == pytest.approx(sum(x["meta"]["cost_usd"] for x in records))
    assert "test-key" not in (out / "metadata.json").read_text()
    assert "test-key" not in (out / "checkpoint.json").read_text()


def test_agent_tasks_use_the_shared_agent_loop_and_tools(fake, tmp_path: Path) -> None:
    Timed(fake, [])
    out = tmp_path / "out"
    cfg = _cfg(fake, out, categories="code_search", sandbox="host", num_examples=4, concurrency=2)
    assert run_distill(cfg) == 0
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == 4
    for r in records:
        roles = [m["role"] for m in r["messages"]]
        assert roles == ["system", "user", "assistant", "tool", "assistant"]
        call = r["messages"][2]["tool_calls"][0]
        assert call["function"]["name"] == "run_shell"
        assert "[exit code: 0]" in r["messages"][3]["content"]
        names = {t["function"]["name"] for t in r["tools"]}
        assert {"read_file", "run_shell", "edit_file", "fetch_url"} <= names  # as at inference
        checks = r["meta"]["verification"]["checks"]
        assert r["meta"]["verification"]["passed"] and checks
        assert r["meta"]["usage"]["calls"] == 2
    assert not (out / "work").exists() or not any((out / "work").iterdir())
    # every request carried the tool schemas in Anthropic's shape
    assert all(req.body["tools"][0]["input_schema"] for req in fake.message_requests)


def test_failed_verification_and_filters_are_counted_by_reason(fake, tmp_path: Path) -> None:
    from tests.fakes.anthropic_server import text

    fake.responder = lambda body: text("I'm sorry, but I can't help with that.")
    out = tmp_path / "out"
    code = run_distill(_cfg(fake, out, num_examples=2, max_attempts=5))
    assert code == 1  # not enough records
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["attempted"] == 5 and meta["records"]["total"] == 0
    assert meta["filters"]["rejected"] == {"refusal": 5}
    assert meta["status"] == "exhausted"


def test_max_cost_stops_cleanly_and_resume_continues(fake, tmp_path: Path) -> None:
    Timed(fake, [])
    out = tmp_path / "out"
    # each call costs ~ $0.0004 with claude-haiku-4-5 prices at this size
    code = run_distill(_cfg(fake, out, num_examples=20, max_cost=0.0012))
    assert code == 0
    ckpt = json.loads((out / "checkpoint.json").read_text())
    assert ckpt["status"] == "max_cost"
    first = read_jsonl(out / "records.jsonl")
    assert 1 <= len(first) < 20
    assert ckpt["cost_usd"] >= 0.0012
    paid_before = len(fake.message_requests)
    code = run_distill(_cfg(fake, out, num_examples=20, resume=True))
    assert code == 0
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == 20 and len({r["id"] for r in records}) == 20
    assert len(fake.message_requests) == paid_before + 20 - len(first)
    cache = CallCache(out / "cache.sqlite")
    assert cache.repeated_paid_keys() == 0


def test_max_cost_counts_what_the_run_paid_before_a_resume(fake, tmp_path: Path) -> None:
    per_call = fixed_price(fake)
    out = tmp_path / "out"
    limit = 2.5 * per_call  # the third call crosses it
    assert run_distill(_cfg(fake, out, num_examples=20, max_cost=limit)) == 0
    assert len(fake.message_requests) == 3

    def billed_and_reported() -> tuple[float, float, float]:
        ckpt = json.loads((out / "checkpoint.json").read_text())
        meta = json.loads((out / "metadata.json").read_text())
        assert ckpt["status"] == meta["status"] == "max_cost"
        billed = len(fake.message_requests) * per_call
        return billed, ckpt["cost_usd"], meta["cost"]["total_usd"]

    # the same limit again: already reached, so nothing more is paid
    assert run_distill(_cfg(fake, out, num_examples=20, max_cost=limit, resume=True)) == 0
    assert len(fake.message_requests) == 3
    billed, in_checkpoint, in_metadata = billed_and_reported()
    assert in_checkpoint == pytest.approx(billed) and in_metadata == pytest.approx(billed)
    # a higher limit buys only the difference, and the totals cover both runs
    limit = 5.5 * per_call
    assert run_distill(_cfg(fake, out, num_examples=20, max_cost=limit, resume=True)) == 0
    assert len(fake.message_requests) == 6
    billed, in_checkpoint, in_metadata = billed_and_reported()
    assert in_checkpoint == pytest.approx(billed) and in_metadata == pytest.approx(billed)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["cost"]["before_resume_usd"] == pytest.approx(3 * per_call)
    assert len(read_jsonl(out / "records.jsonl")) == 6


def test_resume_of_a_finished_run_says_so_and_makes_no_call(fake, tmp_path: Path) -> None:
    from rich.console import Console

    Timed(fake, [])
    out = tmp_path / "out"
    assert run_distill(_cfg(fake, out, num_examples=3)) == 0
    paid = len(fake.message_requests)
    files = {name: (out / name).read_bytes() for name in ("records.jsonl", "metadata.json")}
    said = io.StringIO()
    code = run_distill(_cfg(fake, out, num_examples=3, resume=True), Console(file=said))
    assert code == 0
    assert "nothing to resume" in said.getvalue()
    assert len(fake.message_requests) == paid
    assert {name: (out / name).read_bytes() for name in files} == files


def test_a_teacher_reply_cut_off_by_the_token_limit_is_not_kept(fake, tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.distill.helpers import teacher

    # The right answers, each reported as stopped by max_tokens: the verification alone
    # would pass them, so only the truncation check can reject them.
    fake.responder = lambda body: replace(teacher(body), stop_reason="max_tokens")
    out = tmp_path / "out"
    code = run_distill(_cfg(fake, out, num_examples=2, max_attempts=3))
    assert code == 1
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["records"]["total"] == 0 and meta["filters"]["rejected"] == {"truncated": 3}

    # that run is exhausted: --resume refuses it rather than start N more records
    from rich.console import Console

    paid, said = len(fake.message_requests), io.StringIO()
    code = run_distill(
        _cfg(fake, out, num_examples=2, max_attempts=3, resume=True), Console(file=said)
    )
    assert code != 0 and "ended exhausted with 0 records" in said.getvalue(), said.getvalue()
    assert len(fake.message_requests) == paid
