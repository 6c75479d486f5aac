"""The branch point of the local backend, on the real default model.

With a call threshold, whether a reply opens with a tool call follows the model's own
probability of opening one at the first token: above the threshold a (grammar-valid) call,
below it prose. After a call the model decides whether another one follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm.base import Completion, LLMError, Message
from assistant.llm.llamacpp import LlamaCppModel

from .sample_tools import TOOLS as FILE_TOOLS

pytestmark = pytest.mark.slow

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name."}},
            "required": ["city"],
        },
    },
}
TOOLS = [*FILE_TOOLS, WEATHER]

ASK = [Message.user("What is the weather in Paris right now?")]


async def _reply(model: LlamaCppModel, messages: list[Message]) -> Completion:
    done = None
    async for item in model.stream(messages, TOOLS, temperature=0.0, max_tokens=60):
        if isinstance(item, Completion):
            done = item
    assert done is not None
    return done


def test_call_probability_is_a_probability_that_depends_on_the_request(
    local_model: LlamaCppModel,
) -> None:
    weather = local_model.call_probability(ASK, TOOLS)
    poem = local_model.call_probability([Message.user("Write a haiku about autumn.")], TOOLS)

    assert 0.0 < weather < 1.0 and 0.0 < poem < 1.0
    assert weather != poem
    assert local_model.call_probability(ASK, TOOLS) == weather  # deterministic


async def test_the_threshold_decides_the_branch_at_the_measured_probability(
    default_model_path: Path,
) -> None:
    probe = LlamaCppModel(default_model_path)
    p = probe.call_probability(ASK, TOOLS)
    # The KV cache's state changes the batch split of the prompt and so the last digits of
    # the logits: the thresholds sit a margin either side of the measured probability.
    below = LlamaCppModel(default_model_path, call_threshold=p * 0.8)
    above = LlamaCppModel(default_model_path, call_threshold=min(1.0, p * 1.25))

    called = await _reply(below, ASK)
    talked = await _reply(above, ASK)

    assert called.finish_reason == "tool_calls" and called.message.tool_calls
    assert {c.name for c in called.message.tool_calls} <= {t["function"]["name"] for t in TOOLS}
    assert below.last_stats.p_open == pytest.approx(p, rel=0.05)
    assert talked.message.tool_calls == [] and talked.message.content.strip()
    assert "<tool_call>" not in talked.message.content
    assert above.last_stats.p_open == pytest.approx(p, rel=0.05)


def test_a_threshold_outside_zero_to_one_is_refused(default_model_path: Path) -> None:
    with pytest.raises(LLMError, match=r"call_threshold=1.5 is not a probability"):
        LlamaCppModel(default_model_path, call_threshold=1.5)


async def test_several_calls_in_one_turn_when_the_model_writes_them(
    default_model_path: Path,
) -> None:
    # Two earlier turns show two calls per reply; with a threshold of 0 the reply opens a
    # call, and the model itself continues with a second block.
    model = LlamaCppModel(default_model_path, call_threshold=0.0)
    history: list[Message] = []
    for city_a, city_b in (("Rome", "Oslo"), ("Lima", "Cairo")):
        history.append(Message.user(f"Weather in {city_a} and in {city_b}?"))
        calls = [
            {"id": f"c{i}", "type": "function", "function": {"name": "get_weather",
             "arguments": f'{{"city": "{city}"}}'}}
            for i, city in enumerate((city_a, city_b))
        ]  # fmt: skip
        history.append(Message.from_dict({"role": "assistant", "content": "", "tool_calls": calls}))
        for call in history[-1].tool_calls:
            history.append(Message.tool(call, f"{call.arguments['city']}: 18 C, cloudy"))
        history.append(Message("assistant", f"{city_a} and {city_b}: 18 C, cloudy."))
    history.append(Message.user("Weather in Paris and in Madrid?"))

    done = await _reply(model, history)

    assert [c.name for c in done.message.tool_calls] == ["get_weather", "get_weather"]
    cities = [c.arguments["city"] for c in done.message.tool_calls]
    assert len(set(cities)) == 2, cities
