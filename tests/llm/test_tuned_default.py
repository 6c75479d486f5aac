"""The shipped tuned default, loaded the way `assistant` loads it, decides when to call.

Five fixed prompts, greedy, tool choice ``auto`` (the model decides), with the agent's own
system prompt and tools or with a user's function: a well-formed call where one is
needed, no call where none is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.agent.prompts import inference_context
from assistant.llm import tuned
from assistant.llm.base import Completion, Message
from assistant.tools import default_tools

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(tuned.shipped() is None, reason="this build bundles no tuned adapter"),
]

CONVERT = {
    "type": "function",
    "function": {
        "name": "convert_length",
        "description": "Convert a length between metres, feet, inches and miles.",
        "parameters": {
            "type": "object",
            "properties": {
                "value": {"type": "number", "description": "The length to convert."},
                "from_unit": {"type": "string", "enum": ["m", "ft", "in", "mi"]},
                "to_unit": {"type": "string", "enum": ["m", "ft", "in", "mi"]},
            },
            "required": ["value", "from_unit", "to_unit"],
        },
    },
}


TOOLS = {spec.name for spec in default_tools()}
"""Any well-formed call of the agent's tools counts where a call is needed."""


@pytest.fixture(scope="module")
def tuned_model():
    from assistant.llm.models import load_model

    model = load_model("local", n_ctx=4096)
    assert tuned.shipped() is not None
    assert Path(model.path).name.startswith(tuned.shipped()[1].name)  # type: ignore[attr-defined]
    return model


async def _reply(model, messages: list[Message], tools: list[dict]) -> Message:
    completion = None
    async for event in model.stream(messages, tools, tool_choice="auto", temperature=0.0):
        if isinstance(event, Completion):
            completion = event
    assert completion is not None
    return completion.message


def _agent_turn(prompt: str, workspace: Path) -> tuple[list[Message], list[dict]]:
    system, specs = inference_context(workspace, default_tools())
    return [Message("system", system), Message("user", prompt)], specs


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("What functions are defined in calc.py?", TOOLS),
        ("Run the tests and tell me which one fails.", TOOLS),
        ("What is a Python decorator?", set()),
    ],
)
async def test_agent_prompts(tuned_model, tmp_path: Path, prompt: str, expected: set[str]) -> None:
    messages, specs = _agent_turn(prompt, tmp_path)

    reply = await _reply(tuned_model, messages, specs)

    names = {call.name for call in reply.tool_calls}
    if expected:
        assert names and names <= expected, f"{prompt!r} → {names or reply.content!r}"
        for call in reply.tool_calls:
            assert isinstance(call.arguments, dict) and call.arguments
    else:
        assert not names, f"{prompt!r} called {names}"
        assert reply.content.strip()


async def test_a_users_function_is_called_with_the_values_from_the_request(tuned_model) -> None:
    messages = [Message("user", "How many feet is 12 metres?")]

    reply = await _reply(tuned_model, messages, [CONVERT])

    assert [c.name for c in reply.tool_calls] == ["convert_length"]
    args = reply.tool_calls[0].arguments
    assert (float(args["value"]), args["from_unit"], args["to_unit"]) == (12.0, "m", "ft")


async def test_a_function_that_cannot_answer_is_not_called(tuned_model) -> None:
    messages = [Message("user", "How heavy is 12 kilograms in pounds?")]

    reply = await _reply(tuned_model, messages, [CONVERT])

    assert reply.tool_calls == [], f"called {[c.name for c in reply.tool_calls]}"
