"""Fast tests of distill's parts: templates, mixing, filters, dedup, store, config, cache."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.distill import filters, store
from assistant.distill.cache import CallCache, call_key
from assistant.distill.config import ConfigError, parse_config
from assistant.distill.dedup import Deduper
from assistant.distill.mixing import assign_provider
from assistant.distill.tasks import TaskSource, categories
from assistant.distill.teachers import TokenBucket
from assistant.distill.verify import verify_run
from assistant.llm.base import Completion, Message, ToolCall, Usage


def test_one_seed_gives_thousands_of_distinct_deterministic_prompts() -> None:
    a, b = TaskSource(7), TaskSource(7)
    prompts = {a.task(i).prompt for i in range(6000)}
    assert len(prompts) >= 2000
    for i in (0, 17, 4242):
        assert (a.task(i).task_id, a.task(i).prompt) == (b.task(i).task_id, b.task(i).prompt)
    assert TaskSource(8).task(3).task_id != a.task(3).task_id
    for i in range(3000):  # placeholders are all filled
        assert not re.search(r"\{[a-z_]+\}", a.task(i).prompt), a.task(i).prompt


def test_category_selection_and_unknown_category() -> None:
    src = TaskSource(1, ["git", "knowledge"])
    assert {src.task(i).category for i in range(200)} == {"git", "knowledge"}
    with pytest.raises(ValueError, match="Unknown category"):
        TaskSource(1, ["nope"])
    assert "git" in categories()


def test_mixing_is_deterministic_and_follows_ratios() -> None:
    provs, ratios = ["anthropic", "openai", "local"], [0.5, 0.3, 0.2]
    picks = [assign_provider(i, 3, provs, ratios) for i in range(20000)]
    assert picks == [assign_provider(i, 3, provs, ratios) for i in range(20000)]
    counts = Counter(picks)
    for p, r in zip(provs, ratios, strict=True):
        assert abs(counts[p] / len(picks) - r) < 0.02
    assert picks != [assign_provider(i, 4, provs, ratios) for i in range(20000)]


SCHEMA_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
                "additionalProperties": False,
            },
        },
    }
]


def test_filters_reject_with_reasons() -> None:
    u = Message.user("q")
    ok = [u, Message("assistant", "Here is the answer:\n```python\nprint(1)\n```\n")]
    assert filters.check(ok, [], code_required=True) is None
    assert filters.check([u, Message("assistant", "short")], [], code_required=False) == "too_short"
    assert (
        filters.check(
            [u, Message("assistant", "I'm sorry, but I can't help with that request.")],
            [],
            code_required=False,
        )
        == "refusal"
    )
    assert (
        filters.check(
            [u, Message("assistant", "A long answer without any code at all here.")],
            [],
            code_required=True,
        )
        == "missing_code_block"
    )
    bad_call = Message("assistant", "", tool_calls=[ToolCall("read_file", {"pth": "x"})])
    final = Message("assistant", "Done reading the file, it says hello world.")
    assert (
        filters.check([u, bad_call, final], SCHEMA_TOOLS, code_required=False)
        == "invalid_tool_arguments"
    )
    unknown = Message("assistant", "", tool_calls=[ToolCall("rm_rf", {})])
    assert filters.check([u, unknown, final], SCHEMA_TOOLS, code_required=False) == "unknown_tool"
    good = Message("assistant", "", tool_calls=[ToolCall("read_file", {"path": "a"})])
    assert filters.check([u, good, final], SCHEMA_TOOLS, code_required=False) is None


def _rec(i: int, text: str) -> dict:
    return {
        "id": str(i),
        "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": text}],
        "meta": {},
    }


def test_dedup_exact_near_and_earlier_runs() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    d = Deduper()
    d.preload(_rec(0, "an earlier run's answer " + base))
    assert d.add(_rec(1, "an earlier run's answer " + base)) == "exact_duplicate"
    assert (
        d.add(_rec(2, "An earlier run's  answer " + base.replace("word7 ", "word7x ")))
        == "near_duplicate"
    )
    assert d.add(_rec(3, " ".join(f"other{i}" for i in range(200)))) is None
    assert (d.stats.exact, d.stats.near, d.stats.kept, d.stats.preloaded) == (1, 1, 1, 1)


def test_read_records_names_the_bad_line_and_repairs_only_a_torn_tail(tmp_path: Path) -> None:
    p = tmp_path / "records.jsonl"
    good = json.dumps(_rec(1, "x"))
    p.write_text(good + "\n{not json\n" + good + "\n")
    with pytest.raises(store.OutputError, match="line 2"):
        store.read_records(p, repair_tail=True)
    p.write_text(good + "\n" + good[:30])  # SIGKILL mid-write
    with pytest.raises(store.OutputError, match="line 2"):
        store.read_records(p)
    recs, repaired = store.read_records(p, repair_tail=True)
    assert repaired and len(recs) == 1 and p.read_text() == good + "\n"
    p.write_text(good + "\n" + json.dumps({"id": "3"}) + "\n")
    with pytest.raises(store.OutputError, match='line 2 has no "messages"'):
        store.read_records(p)


def _cfg(**kw):
    base = dict(
        provider="anthropic",
        providers=None,
        mix_ratio=None,
        model=None,
        base_url=None,
        model_path=None,
        api_key=None,
        num_examples=3,
        output_dir=Path("/tmp/x"),
        categories=None,
        env={"ANTHROPIC_API_KEY": "sk-secret-1", "OPENAI_API_KEY": "sk-secret-2"},
    )
    base.update(kw)
    return parse_config(**base)


def test_config_errors_are_one_clear_sentence() -> None:
    with pytest.raises(ConfigError, match="Unknown provider 'gemini'"):
        _cfg(provider="gemini")
    with pytest.raises(ConfigError, match="sum to 1"):
        _cfg(providers="anthropic,openai", mix_ratio="0.5,0.6")
    with pytest.raises(ConfigError, match="2 providers"):
        _cfg(providers="anthropic,openai", mix_ratio="1.0")
    with pytest.raises(ConfigError, match="ANTHROPIC_API_KEY is not set"):
        _cfg(env={})
    with pytest.raises(ConfigError, match="Unknown category"):
        _cfg(categories="file_ops,poetry")
    cfg = _cfg(
        providers="anthropic,openai,local",
        mix_ratio="0.4,0.4,0.2",
        model="anthropic=claude-haiku-4-5,openai=gpt-4o-mini",
    )
    assert [t.model for t in cfg.teachers] == ["claude-haiku-4-5", "gpt-4o-mini", "local"]
    assert "sk-secret" not in json.dumps(cfg.public())  # keys never serialised


def test_cache_roundtrip_and_repeat_detection(tmp_path: Path) -> None:
    c = CallCache(tmp_path / "c.sqlite")
    msgs = [Message.user("hi")]
    k = call_key("anthropic", "m", {"t": 1}, msgs, None)
    assert k != call_key("anthropic", "m", {"t": 2}, msgs, None)
    assert c.get(k) is None
    done = Completion(
        Message("assistant", "yo", tool_calls=[ToolCall("x", {"a": 1}, id="c1")]),
        Usage(10, 5, cost_usd=0.25),
        "tool_calls",
    )
    c.put(k, "anthropic", "m", "t1", done)
    got = c.get(k)
    assert got is not None and got.message.tool_calls[0].id == "c1" and got.usage.cost_usd == 0.25
    assert c.paid_calls() == 1 and c.repeated_paid_keys() == 0
    c.put(k, "anthropic", "m", "t1", done)
    assert c.repeated_paid_keys() == 1


async def test_token_bucket_limits_rate() -> None:
    import time

    bucket = TokenBucket(rate=50, capacity=1)
    t0 = time.monotonic()
    for _ in range(11):
        await bucket.acquire()
    assert time.monotonic() - t0 >= 0.18


async def test_verify_checks(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("alpha 3\n")
    (tmp_path / "s.json").write_text('{"n": 3}')

    async def run(cmd: str) -> tuple[int, str]:
        return (0, "ok\n") if cmd == "good" else (1, "")

    v = await verify_run(
        [
            {"kind": "file_contains", "path": "a.txt", "text": "alpha 3"},
            {"kind": "json_field", "path": "s.json", "field": "n", "equals": "3"},
            {"kind": "answer_contains", "text": "DONE"},
            {"kind": "command", "command": "good", "exit_code": 0, "output_contains": "ok"},
            {"kind": "file_absent", "path": "b.txt"},
        ],
        workspace=tmp_path,
        answer="all done",
        run=run,
    )
    assert v["passed"], v
    v = await verify_run(
        [
            {"kind": "command", "command": "bad"},
            {"kind": "file_contains", "path": "../etc/passwd", "text": "root"},
        ],
        workspace=tmp_path,
        answer="",
        run=run,
    )
    assert not v["passed"] and [c["ok"] for c in v["checks"]] == [False, False]


async def test_calls_match_wants_exactly_those_calls_in_any_order(tmp_path: Path) -> None:
    check = {
        "kind": "calls_match",
        "calls": [
            {"name": "status", "arguments": {"ref": "A-1"}},
            {"name": "status", "arguments": {"ref": "B-2"}},
        ],
    }

    def turn(*refs: str) -> list[Message]:
        calls = [ToolCall("status", {"ref": r}, f"c{i}") for i, r in enumerate(refs)]
        return [Message("user", "x"), Message("assistant", "", calls)]

    async def ok(messages: list[Message]) -> bool:
        v = await verify_run([check], workspace=tmp_path, answer="", messages=messages)
        return bool(v["passed"])

    assert await ok(turn("B-2", "A-1"))
    assert not await ok(turn("A-1"))
    assert not await ok(turn("A-1", "A-1"))
    assert not await ok(turn("A-1", "B-2", "C-3"))


def test_a_resumed_run_is_priced_for_the_records_left() -> None:
    from assistant.distill.cost import estimate

    cfg = _cfg(num_examples=40)
    whole = estimate(cfg, 0.5)[0]
    left = estimate(cfg, 0.5, accepted=30)[0]
    assert whole.known_price and whole.usd > 0
    assert left.tasks == pytest.approx(whole.tasks / 4)
    assert left.usd == pytest.approx(whole.usd / 4)
    assert estimate(cfg, 0.5, accepted=45)[0].usd == 0
