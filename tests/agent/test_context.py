"""Context budget: shrink old tool outputs first, then summarise; system prompt always stays.
Token counts come from the real default model's tokenizer."""

from __future__ import annotations

import pytest

from assistant.agent.context import CUT_MARKER, SUMMARY_PREFIX, ContextBudget, ContextTooSmall
from assistant.llm.base import Message, ToolCall

pytestmark = pytest.mark.slow


def history(tool_output_chars: int, turns: int = 1) -> list[Message]:
    msgs = [Message.system("SYSTEM PROMPT: you are a careful coding assistant.")]
    for t in range(turns):
        call = ToolCall("read_file", {"path": f"big{t}.py"}, id=f"c{t}")
        msgs += [
            Message.user(f"Please read big{t}.py and explain it."),
            Message("assistant", "", [call]),
            Message.tool(call, f"line {t}\n" + "x = 1  # padding\n" * (tool_output_chars // 17)),
            Message("assistant", f"big{t}.py sets x to 1 many times."),
        ]
    msgs.append(Message.user("Now, what did we learn?"))
    return msgs


def budget_with_limit(model, limit: int) -> ContextBudget:
    return ContextBudget(model, reserve=model.context_length - limit)


async def test_fitting_history_is_untouched(local_model) -> None:
    msgs = history(200)
    budget = budget_with_limit(local_model, 4000)
    assert await budget.fit(msgs) is msgs


async def test_old_tool_outputs_are_shrunk_first(local_model) -> None:
    msgs = history(8000)
    before = local_model.count_tokens(msgs)
    budget = budget_with_limit(local_model, before - 500)
    out = await budget.fit(msgs)
    assert budget.count(out) <= budget.limit < before
    assert out[0] == msgs[0]
    assert len(out) == len(msgs)
    assert "removed to save context" in out[3].content
    assert out[-1] == msgs[-1]


async def test_older_turns_are_summarised_when_shrinking_is_not_enough(local_model) -> None:
    msgs = history(3000, turns=6)
    budget = budget_with_limit(local_model, 700)
    out = await budget.fit(msgs)
    assert out[0] == msgs[0], "the system prompt always stays"
    assert out[1].role == "user" and out[1].content.startswith(SUMMARY_PREFIX)
    assert out[-1] == msgs[-1], "the current turn stays"
    assert budget.count(out) <= budget.limit
    assert len(out) < len(msgs)


def numbered_lines(n: int) -> str:
    return "".join(f"output line {i}\n" for i in range(1, n + 1))


async def test_the_newest_tool_output_is_cut_to_what_fits(local_model) -> None:
    """A build log too long for the whole window keeps its head and tail, not the turn's end."""
    call = ToolCall("run_shell", {"command": "make test"}, id="c1")
    msgs = [
        Message.system("SYSTEM PROMPT: you are a careful coding assistant."),
        Message.user("Run the tests."),
        Message("assistant", "", [call]),
        Message.tool(call, numbered_lines(30000)),
    ]
    budget = budget_with_limit(local_model, 1500)
    out = await budget.fit(msgs)
    assert budget.count(out) <= budget.limit < budget.count(msgs)
    assert out[:3] == msgs[:3], "the system prompt and the turn so far stay"
    kept = out[3].content
    assert CUT_MARKER in kept and "read the output in parts" in kept
    assert kept.startswith("output line 1\n") and kept.endswith("output line 30000\n")
    assert budget.count(out) > budget.limit - 100, "it keeps about as much as fits"
    assert out[3].tool_call_id == "c1"


async def test_several_newest_outputs_are_all_cut_and_earlier_ones_shrunk(local_model) -> None:
    first = ToolCall("read_file", {"path": "a.log"}, id="c1")
    a, b = ToolCall("read_file", {"path": "b.log"}, id="c2"), ToolCall("grep", {}, id="c3")
    msgs = [
        Message.system("SYSTEM PROMPT: you are a careful coding assistant."),
        Message.user("Compare the logs."),
        Message("assistant", "", [first]),
        Message.tool(first, numbered_lines(400)),
        Message("assistant", "", [a, b]),
        Message.tool(a, numbered_lines(5000)),
        Message.tool(b, numbered_lines(5000)),
    ]
    budget = budget_with_limit(local_model, 1500)
    out = await budget.fit(msgs)
    assert budget.count(out) <= budget.limit
    assert "removed to save context" in out[3].content, "an earlier output of the turn"
    assert all(CUT_MARKER in m.content for m in out[5:]), "each newest output gets room"
    assert all(m.content.endswith("output line 5000\n") for m in out[5:])


async def test_a_system_prompt_too_long_for_the_context_is_named(local_model) -> None:
    rules = "Always write tests for every change you make.\n" * 600
    system = Message.system(f"You help.\n\n# Project instructions (AGENTS.md)\n\n{rules}")
    budget = budget_with_limit(local_model, 2000)
    with pytest.raises(ContextTooSmall) as caught:
        await budget.fit([system, Message.user("hi")])
    message = str(caught.value)
    assert "shorten AGENTS.md" in message and "raise n_ctx" in message
    assert f"n_ctx {local_model.context_length}" in message
    assert "conversation" not in message
