"""Build eval/tools/cases.jsonl from domains.py and agent_cases.py (deterministic).

    python eval/tools/build_cases.py            # rewrite cases.jsonl
    python eval/tools/build_cases.py --check    # exit 1 if cases.jsonl is out of date

Custom-function cases see only the domain's tools; cases with the assistant's own
tools get the agent's real system prompt and tool specs, as the agent sends them.
Optional parameters a case does not mention may be omitted or set to their default.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import agent_cases  # noqa: E402
from domains import DOMAINS  # noqa: E402

OUT = HERE / "cases.jsonl"
SANDBOX_WORKSPACE = Path("/workspace")


def agent_context() -> tuple[str, list[dict[str, Any]]]:
    from assistant.agent.prompts import build_system_prompt
    from assistant.tools import default_tools

    return build_system_prompt(SANDBOX_WORKSPACE), [t.spec() for t in default_tools()]


def _expected(tools: list[dict[str, Any]], calls: list[tuple[str, dict[str, list[Any]]]]) -> list:
    out = []
    for name, args in calls:
        fn = next(t["function"] for t in tools if t["function"]["name"] == name)
        params = fn["parameters"]
        required = set(params.get("required", []))
        full = {k: list(v) for k, v in args.items()}
        for pname, schema in params.get("properties", {}).items():
            if pname in required:
                if pname not in full:
                    raise SystemExit(f"{name}: required {pname} has no expected values")
                continue
            values = full.setdefault(pname, [""])
            if "" in values and "default" in schema and schema["default"] not in values:
                values.append(schema["default"])
        out.append({"name": name, "arguments": full})
    return out


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def domain_cases() -> list[dict[str, Any]]:
    cases = []
    for i, d in enumerate(DOMAINS):
        name, tools = d["name"], d["tools"]
        for j, (prompt, calls) in enumerate(d["calls"], 1):
            cat = "call_single" if len(calls) == 1 else "call_multiple"
            cases.append(
                {
                    "id": f"{name}-call-{j}",
                    "category": cat,
                    "messages": _user(prompt),
                    "tools": tools,
                    "expected": _expected(tools, calls),
                }
            )
        for key, cat in (
            ("near", "no_call_near_miss"),
            ("missing", "no_call_missing_value"),
            ("unrelated", "no_call_unrelated"),
        ):
            for j, prompt in enumerate(d[key], 1):
                cases.append(
                    {
                        "id": f"{name}-{key}-{j}",
                        "category": cat,
                        "messages": _user(prompt),
                        "tools": tools,
                        "expected": [],
                    }
                )
        # A request another service would answer, sent to this one's tools.
        other = DOMAINS[(i + 1) % len(DOMAINS)]
        cases.append(
            {
                "id": f"{name}-other-1",
                "category": "no_call_other_service",
                "messages": _user(other["calls"][0][0]),
                "tools": tools,
                "expected": [],
            }
        )
    return cases


def own_tool_cases() -> list[dict[str, Any]]:
    system, tools = agent_context()

    def convo(*msgs: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"role": "system", "content": system}, *msgs]

    cases = []
    for j, (prompt, calls) in enumerate(agent_cases.CALLS, 1):
        cases.append(
            {
                "id": f"agent-call-{j}",
                "category": "agent_call",
                "messages": convo({"role": "user", "content": prompt}),
                "tools": tools,
                "expected": _expected(tools, calls),
            }
        )
    for key, cat in (
        ("NO_CALL_GENERAL", "agent_no_call_general"),
        ("NO_CALL_NEAR", "agent_no_call_near_miss"),
        ("NO_CALL_MISSING", "agent_no_call_missing_value"),
    ):
        for j, prompt in enumerate(getattr(agent_cases, key), 1):
            cases.append(
                {
                    "id": f"agent-{cat.removeprefix('agent_no_call_')}-{j}",
                    "category": cat,
                    "messages": convo({"role": "user", "content": prompt}),
                    "tools": tools,
                    "expected": [],
                }
            )
    for j, (prompt, (tool, args), result) in enumerate(agent_cases.FOLLOW_UPS, 1):
        call_id = f"call_eval{j:04d}"
        cases.append(
            {
                "id": f"agent-answered-{j}",
                "category": "agent_no_call_answered",
                "messages": convo(
                    {"role": "user", "content": prompt},
                    {
                        "role": "assistant",
                        "content": "",
                        "tool_calls": [
                            {
                                "id": call_id,
                                "type": "function",
                                "function": {"name": tool, "arguments": json.dumps(args)},
                            }
                        ],
                    },
                    {"role": "tool", "content": result, "tool_call_id": call_id, "name": tool},
                ),
                "tools": tools,
                "expected": [],
            }
        )
    return cases


def build() -> str:
    cases = domain_cases() + own_tool_cases()
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Fail if cases.jsonl is stale.")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    tmp = OUT.with_suffix(".jsonl.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(OUT)
    n = text.count("\n")
    none = text.count('"expected": []')
    print(f"wrote {OUT}: {n} cases, {none} where no call is right")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
