"""``assistant eval tools`` end to end: an OpenAI-compatible server on 127.0.0.1, and the
real default model on a few shipped cases."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.eval.checker import Call, check_reply, load_cases
from tests.eval.helpers import threads_flag
from tests.fakes.openai_batch_server import Reply, bad_request, openai_batch_fake, text, tool_calls

runner = CliRunner()


REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "eval" / "tools" / "cases.jsonl"

SHIP = {
    "type": "function",
    "function": {
        "name": "ship_parcel",
        "description": "Ship a parcel.",
        "parameters": {
            "type": "object",
            "properties": {"to_city": {"type": "string"}, "weight_kg": {"type": "number"}},
            "required": ["to_city", "weight_kg"],
        },
    },
}


def _case(cid: str, category: str, prompt: str, expected: list[dict[str, Any]]) -> dict:
    return {
        "id": cid,
        "category": category,
        "messages": [{"role": "user", "content": prompt}],
        "tools": [SHIP],
        "expected": expected,
    }


def _oslo(city: str = "Oslo") -> list[dict[str, Any]]:
    return [{"name": "ship_parcel", "arguments": {"to_city": [city], "weight_kg": [2.5]}}]


CASES = [
    _case("right", "call", "right", _oslo()),
    _case("wrong-value", "call", "wrong-value", _oslo("Rome")),
    _case("abstain", "none", "abstain", []),
    _case("call-when-none", "none", "call-when-none", []),
    _case("unreadable", "call", "unreadable", _oslo()),
    _case("server-error", "call", "server-error", _oslo()),
]


class Scripted:
    """Replies by the user prompt, slowly enough to see requests overlap."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0

    def __call__(self, body: dict[str, Any]) -> Any:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(0.4)
        with self.lock:
            self.in_flight -= 1
        prompt = body["messages"][-1]["content"]
        ship = ("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5})
        if prompt in ("right", "wrong-value", "call-when-none"):
            return tool_calls(*ship)
        if prompt == "unreadable":
            bad = {"id": "call_x", "type": "function"}
            bad["function"] = {"name": "ship_parcel", "arguments": "{to_city: Oslo"}
            return Reply(None, [bad])
        if prompt == "server-error":
            return bad_request("This model cannot take that request.")
        return text("Hello! No tool needed.")


def test_openai_compatible_server_concurrent(tmp_path: Path) -> None:
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    out = tmp_path / "results.json"
    scripted = Scripted()
    with openai_batch_fake() as fake:
        fake.responder = scripted
        result = runner.invoke(
            app,
            [
                "eval",
                "tools",
                "--model",
                "openai:local-test",
                "--data",
                str(data),
                "--base-url",
                fake.base_url,
                "--output",
                str(out),
            ],
        )
        requests = [r.body for r in fake.chat_requests]
    assert result.exit_code == 0, result.output
    assert scripted.max_in_flight >= 2, "cloud cases should run concurrently"
    assert {r["tool_choice"] for r in requests} == {"auto"}
    assert {r.get("temperature") for r in requests} == {0.0}
    assert all(r["tools"][0]["function"]["name"] == "ship_parcel" for r in requests)

    res = json.loads(out.read_text())
    by_id = {c["id"]: c for c in res["cases"]}
    assert [c["id"] for c in res["cases"]] == [c["id"] for c in CASES]
    assert {k: (v["passed"], v["reason"]) for k, v in by_id.items()} == {
        "right": (True, None),
        "wrong-value": (False, "wrong_value"),
        "abstain": (True, None),
        "call-when-none": (False, "wrong_count"),
        "unreadable": (False, "malformed"),
        "server-error": (False, "error"),
    }
    assert res["accuracy"] == pytest.approx(2 / 6, abs=1e-4)
    assert res["call_accuracy"] == pytest.approx(1 / 4, abs=1e-4)
    assert res["abstain_accuracy"] == 1 / 2
    assert res["categories"]["none"] == {"n": 2, "passed": 1, "accuracy": 0.5}
    assert res["failure_reasons"] == {
        "wrong_count": 1,
        "malformed": 1,
        "wrong_value": 1,
        "error": 1,
    }
    # 4 calls made, one of them unreadable
    assert (res["n_call_attempts"], res["well_formed_rate"]) == (4, 0.75)
    assert res["model"] == "local-test" and res["provider"] == "openai"
    assert "overall" in result.output and "wrong_value" in result.output


@pytest.mark.slow
def test_real_default_model_on_shipped_cases(tmp_path: Path) -> None:
    """Three shipped cases (two with the agent's own tools) through the local grammar path."""
    cases = load_cases(SHIPPED)
    first_own_call = next(c for c in cases if c.category == "agent_call")
    own_no_call = next(c for c in cases if c.category == "agent_no_call_general")
    picked = [cases[0], first_own_call, own_no_call]
    lines = [
        line
        for line in SHIPPED.read_text().splitlines()
        if json.loads(line)["id"] in {c.id for c in picked}
    ]
    data = tmp_path / "few.jsonl"
    data.write_text("\n".join(lines) + "\n")
    out = tmp_path / "base.json"
    result = runner.invoke(
        app,
        [
            "eval",
            "tools",
            "--data",
            str(data),
            "--max-tokens",
            "48",
            "--output",
            str(out),
            *threads_flag(),
        ],
    )
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text())
    assert res["provider"] == "local" and res["n_cases"] == 3 and res["n_errors"] == 0
    assert res["settings"]["tool_choice"] == "auto" and res["settings"]["temperature"] == 0.0
    # The recorded verdicts are the checker's verdicts on the recorded calls.
    by_id = {c.id: c for c in load_cases(data)}
    for r in res["cases"]:
        calls = [Call(c["name"], c["arguments"]) for c in r["calls"]]
        stray = r["content"].count("<tool_call>")
        verdict = check_reply(by_id[r["id"]], calls, stray)
        assert (verdict.passed, verdict.reason) == (r["passed"], r["reason"])
        assert r["usage"]["input_tokens"] > 0
        # the local grammar only lets well-formed calls through
        assert all(r["well_formed"][: len(calls)])
    assert res["accuracy"] == round(sum(r["passed"] for r in res["cases"]) / 3, 4)


def test_anthropic_backend_through_a_local_messages_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fakes.anthropic_server import anthropic_fake, tool_use
    from tests.fakes.anthropic_server import text as a_text

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-only")
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps(c) + "\n" for c in (CASES[0], CASES[2])))
    out = tmp_path / "claude.json"

    def reply(body: dict[str, Any]) -> Any:
        prompt = body["messages"][-1]["content"]
        prompt = prompt if isinstance(prompt, str) else prompt[0]["text"]
        if prompt == "right":
            return tool_use("ship_parcel", {"to_city": "Oslo", "weight_kg": 2.5})
        return a_text("No tool is needed for that.")

    with anthropic_fake() as fake:
        fake.responder = reply
        result = runner.invoke(
            app,
            [
                *("eval", "tools", "--data", str(data), "--model", "anthropic:claude-haiku-4-5"),
                *("--base-url", fake.base_url, "--output", str(out)),
            ],
        )
        bodies = [r.body for r in fake.message_requests]
    assert result.exit_code == 0, result.output
    assert all(b["tool_choice"]["type"] == "auto" and b["temperature"] == 0 for b in bodies)
    res = json.loads(out.read_text())
    assert res["accuracy"] == 1.0 and res["provider"] == "anthropic"
    assert res["usage"]["cost_usd"] > 0


def test_limit_spreads_over_all_categories() -> None:
    from assistant.eval import spread

    cases = load_cases(SHIPPED)
    picked = spread(cases, 40)
    assert len(picked) == 40 and picked[0] is cases[0]
    cats = {c.category for c in picked}
    assert {"call_single", "no_call_near_miss", "agent_call"} <= cats
    assert 0.3 <= sum(not c.expected for c in picked) / 40 <= 0.6
    assert spread(cases, None) == cases and spread(cases[:3], 10) == cases[:3]


def test_a_run_where_every_case_failed_in_the_backend_is_an_error(tmp_path: Path) -> None:
    """A wrong model name or a server that refuses every request measures nothing: the
    run says so and exits non-zero instead of reporting 0% accuracy as a result."""
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps(c) + "\n" for c in CASES[:3]))
    out = tmp_path / "results.json"
    with openai_batch_fake() as fake:
        fake.responder = lambda body: bad_request("The model `nope` does not exist.")
        result = runner.invoke(
            app,
            [
                *("eval", "tools", "--model", "openai:nope", "--data", str(data)),
                *("--base-url", fake.base_url, "--output", str(out)),
            ],
        )
    assert result.exit_code == 1, result.output
    assert "Every case ended in a backend error" in result.output
    assert "does not exist" in result.output
    # the errors are kept for reading
    assert json.loads(out.read_text())["n_errors"] == 3
