"""``distill --batch`` through OpenAI's Batch API: the official ``openai`` SDK against a
local server speaking Files + Batches + Chat Completions (tests/fakes/openai_batch_server)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from assistant.distill.cache import CallCache
from assistant.distill.cli import run_distill
from assistant.distill.config import parse_config
from assistant.distill.teachers import RetryPolicy
from assistant.llm.base import Usage
from assistant.llm.pricing import cost_usd
from tests.distill.helpers import ROOT, ask_back, read_jsonl
from tests.fakes.openai_batch_server import (
    OpenAIBatchFake,
    Reply,
    bad_request,
    line_error,
    openai_batch_fake,
    server_error,
    text,
    tool_calls,
)

MODEL = "gpt-4o-mini"


@pytest.fixture
def fake():
    with openai_batch_fake() as f:
        f.responder = _teacher
        yield f


def _teacher(body: dict[str, Any]) -> Reply:
    """A distinct question back per request (so verification and dedup pass)."""
    return text(ask_back(body))


def _cfg(fake: OpenAIBatchFake, out: Path, **kw: Any):
    opts: dict[str, Any] = dict(
        provider="openai",
        providers=None,
        mix_ratio=None,
        model=MODEL,
        base_url=fake.base_url,
        model_path=None,
        api_key="test-key",
        num_examples=5,
        output_dir=out,
        categories="missing_value",
        yes=True,
        progress=False,
        concurrency=2,
        batch=True,
        batch_poll_s=0.02,
        retry=RetryPolicy(attempts=3, base_s=0.05, max_s=0.2),
    )
    opts.update(kw)
    return parse_config(**opts)


def _cmd(fake: OpenAIBatchFake, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "assistant.distill",
        "--provider",
        "openai",
        "--model",
        MODEL,
        "--base-url",
        fake.base_url,
        "--output-dir",
        str(out),
        "--yes",
        "--quiet",
        "--batch",
        "--batch-poll",
        "0.05",
        *extra,
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "OPENAI_API_KEY": "test-key", "PYTHONUNBUFFERED": "1"}


def _half_price(usage: dict[str, Any]) -> float:
    u = Usage(int(usage["input_tokens"]), int(usage["output_tokens"]))
    return cost_usd(MODEL, u) / 2


def _uploaded_lines(fake: OpenAIBatchFake) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for up in fake.posts("/v1/files")
        for line in up.body["content"].decode().splitlines()
    ]


def _check_records_and_price(out: Path, n: int) -> list[dict[str, Any]]:
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == n
    assert len({r["id"] for r in records}) == n
    for r in records:
        m = r["meta"]
        assert m["provider"] == "openai" and m["model"] == MODEL
        assert m["verification"]["passed"]
        assert m["usage"]["calls"] == 1 and m["usage"]["input_tokens"] > 0
        assert m["cost_usd"] == pytest.approx(
            _half_price(m["usage"]), abs=6e-9
        )  # meta rounds to 8 places
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["status"] == "done" and meta["records"]["total"] == n
    row = meta["cost"]["by_model"][0]
    assert row["provider"] == "openai" and row["calls"] >= n
    assert row["cost_usd"] == pytest.approx(_half_price(row), rel=1e-6)
    assert len(read_jsonl(out / "train.jsonl")) + len(read_jsonl(out / "val.jsonl")) == n
    return records


def test_fake_speaks_the_sdk_batch_flow(fake: OpenAIBatchFake) -> None:
    """The fake against the sync SDK: upload, validate, poll, result files, cancel."""
    client = openai.OpenAI(api_key="k", base_url=fake.base_url, max_retries=0)
    good = [
        {
            "custom_id": f"r{i}",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {"model": MODEL, "messages": [{"role": "user", "content": f"q{i}"}]},
        }
        for i in range(3)
    ]
    up = client.files.create(
        file=("in.jsonl", "\n".join(map(json.dumps, good)).encode()), purpose="batch"
    )
    assert client.files.retrieve(up.id).purpose == "batch" and up.bytes > 0
    fake.script(tool_calls("read_file", {"path": "a.py"}), line_error())
    b = client.batches.create(
        input_file_id=up.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    seen = [b.status]
    while b.status != "completed":
        b = client.batches.retrieve(b.id)
        seen.append(b.status)
    assert seen == ["validating", "in_progress", "completed"]
    assert b.request_counts is not None and (
        b.request_counts.completed,
        b.request_counts.failed,
    ) == (2, 1)
    ok = [json.loads(x) for x in client.files.content(b.output_file_id).text.splitlines()]
    bad = [json.loads(x) for x in client.files.content(b.error_file_id).text.splitlines()]
    assert ok[0]["custom_id"] == "r0"
    assert ok[0]["response"]["body"]["choices"][0]["finish_reason"] == "tool_calls"
    assert bad == [
        {
            "id": bad[0]["id"],
            "custom_id": "r1",
            "response": None,
            "error": {"code": "invalid_prompt", "message": "The prompt was rejected."},
        }
    ]
    # a malformed input file fails validation; a running batch can be cancelled
    broken = client.files.create(file=("b.jsonl", b'{"custom_id": "x"}\n'), purpose="batch")
    failed = client.batches.create(
        input_file_id=broken.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert failed.status == "failed" and failed.errors and failed.errors.data
    fake.batch_polls_to_complete = 10**9
    running = client.batches.create(
        input_file_id=up.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert client.batches.cancel(running.id).status == "cancelling"
    assert client.batches.retrieve(running.id).status == "cancelled"
    assert httpx.get(f"{fake.base_url}/batches/{b.id}").status_code == 401  # no API key


def test_batch_run_in_process(fake: OpenAIBatchFake, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_distill(_cfg(fake, out)) == 0
    _check_records_and_price(out, 5)
    assert len(fake.posts("/v1/files")) == 1 and len(fake.posts("/v1/batches")) == 1
    assert fake.chat_requests == []


def test_failed_lines_are_rejections_transient_ones_go_live(
    fake: OpenAIBatchFake, tmp_path: Path
) -> None:
    # the first round's 6 lines: two permanent failures, a 500, a tool call, two answers
    fake.script(
        line_error(),
        bad_request("max_tokens is too large"),
        server_error(),
        tool_calls("read_file", {"path": "x.py"}),
    )
    out = tmp_path / "out"
    assert run_distill(_cfg(fake, out)) == 0
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["status"] == "done"
    # the tool call names a tool the task does not offer: its follow-up runs live, and
    # the record is rejected by the filters
    assert meta["filters"]["rejected"] == {"batch_error": 2, "unknown_tool": 1}
    ledger = json.loads((out / "batches.json").read_text())["batches"]
    assert [b["status"] for b in ledger] == ["collected", "collected"]
    assert len(ledger[0]["failed"]) == 2 and ledger[0]["retried_live"] == 1
    assert "HTTP 400: max_tokens is too large" in ledger[0]["failed"].values()
    assert ledger[0]["succeeded"] == 3 and ledger[1]["succeeded"] == 3
    # the 500 was called again, live and at the list price; the tool-calling task made its
    # second call live (later steps are not batched); nothing was paid twice
    assert len(fake.chat_requests) == 2
    retried = [r for r in fake.chat_requests if r.body["messages"][-1]["role"] == "user"]
    assert len(retried) == 1
    live_prompt = retried[0].body["messages"][-1]["content"]
    records = read_jsonl(out / "records.jsonl")
    assert len(records) == 5
    live_tools = [t["function"]["name"] for t in retried[0].body["tools"]]
    live = [
        r
        for r in records
        if r["messages"][1]["content"] == live_prompt
        and [t["function"]["name"] for t in r["tools"]] == live_tools
    ]
    assert len(live) == 1
    u = live[0]["meta"]["usage"]
    assert live[0]["meta"]["cost_usd"] == pytest.approx(2 * _half_price(u), abs=6e-9)
    for r in records:
        if r is not live[0]:
            assert r["meta"]["cost_usd"] == pytest.approx(_half_price(r["meta"]["usage"]), abs=6e-9)
    ids = [x["custom_id"] for x in _uploaded_lines(fake)]
    assert len(ids) == len(set(ids)) == 9  # 6 + 3 in the second round, none resubmitted
    assert CallCache(out / "cache.sqlite").repeated_paid_keys() == 0


@pytest.mark.slow
def test_cli_batch_gives_n_records_at_half_price(fake: OpenAIBatchFake, tmp_path: Path) -> None:
    out = tmp_path / "out"
    n = 5
    t0 = time.monotonic()
    res = subprocess.run(
        _cmd(fake, out, "--num-examples", str(n), "--categories", "missing_value"),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert time.monotonic() - t0 < 60
    _check_records_and_price(out, n)
    ups = fake.posts("/v1/files")
    assert len(ups) == 1 and ups[0].body["purpose"] == "batch"
    assert len(fake.posts("/v1/batches")) == 1 and fake.chat_requests == []
    lines = _uploaded_lines(fake)
    assert len(lines) == 6  # ceil(5 × 1.2)
    for line in lines:
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        assert line["body"]["model"] == MODEL and line["body"]["max_tokens"] == 2048
        assert [m["role"] for m in line["body"]["messages"]] == ["system", "user"]
    assert fake.requests[0].headers["authorization"] == "Bearer test-key"


def _wait(pred: Any, timeout: float, proc: subprocess.Popen) -> None:
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
def test_sigkill_mid_poll_then_resume_reuses_the_batch(
    fake: OpenAIBatchFake, tmp_path: Path
) -> None:
    fake.batch_polls_to_complete = 10**9  # stays in_progress until we say so
    out = tmp_path / "out"
    n = 5
    args = ["--num-examples", str(n), "--categories", "missing_value"]
    proc = subprocess.Popen(
        _cmd(fake, out, *args), cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _wait(lambda: (out / "batches.json").exists() and fake.batch_polls >= 3, 60, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ledger = json.loads((out / "batches.json").read_text())
    assert [b["status"] for b in ledger["batches"]] == ["submitted"]
    batch_id = ledger["batches"][0]["id"]
    assert batch_id in fake.batches
    assert not (out / "records.jsonl").exists() or read_jsonl(out / "records.jsonl") == []

    fake.batch_polls_to_complete = 1
    res = subprocess.run(
        _cmd(fake, out, *args, "--resume"),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert len(fake.posts("/v1/files")) == 1, "the input file was uploaded again"
    assert len(fake.posts("/v1/batches")) == 1, "the batch was submitted again"
    assert fake.chat_requests == []  # nothing paid live either
    ledger = json.loads((out / "batches.json").read_text())
    assert [(b["id"], b["status"]) for b in ledger["batches"]] == [(batch_id, "collected")]
    _check_records_and_price(out, n)
    cache = CallCache(out / "cache.sqlite")
    assert cache.repeated_paid_keys() == 0
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["cost"]["by_model"][0]["calls"] == 6  # each batch line paid exactly once


def test_anthropic_errored_results_follow_the_same_rules(tmp_path: Path) -> None:
    """The shared rule on the Anthropic path: ``invalid_request_error`` rejects the task,
    ``overloaded_error`` is called again live."""
    from tests.distill.helpers import Timed
    from tests.fakes.anthropic_server import Fault, anthropic_fake, overloaded

    with anthropic_fake() as afake:
        Timed(afake, [])
        afake.script(Fault(400, "invalid_request_error", "prompt is too long"), overloaded())
        out = tmp_path / "out"
        cfg = parse_config(
            provider="anthropic",
            providers=None,
            mix_ratio=None,
            model="claude-haiku-4-5",
            base_url=afake.base_url,
            model_path=None,
            api_key="test-key",
            num_examples=4,
            output_dir=out,
            categories="missing_value",
            yes=True,
            progress=False,
            batch=True,
            batch_poll_s=0.02,
            retry=RetryPolicy(attempts=3, base_s=0.05, max_s=0.2),
        )
        assert run_distill(cfg) == 0
        meta = json.loads((out / "metadata.json").read_text())
        assert meta["filters"]["rejected"] == {"batch_error": 1}
        assert meta["records"]["total"] == 4
        ledger = json.loads((out / "batches.json").read_text())["batches"]
        assert list(ledger[0]["failed"].values()) == ["invalid_request_error: prompt is too long"]
        assert ledger[0]["retried_live"] == 1
        assert len(afake.message_requests) == 1  # the overloaded one, live
