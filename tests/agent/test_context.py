"""Context budget: shrink old tool outputs first, then summarise; system prompt always stays.
Token counts come from the real default model's tokenizer."""

from __future__ import annotations

import pytest

from assistant.agent.context import SUMMARY_PREFIX, ContextBudget
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
