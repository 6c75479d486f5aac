"""A tool call cut off by max_tokens, through the official SDKs: the reply ends for length
with whatever prose came before the call, never with the model's call markup."""

from __future__ import annotations

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
ASK = [{"role": "user", "content": "What is the weather in Paris?"}]


def test_a_cut_off_forced_call_shows_no_markup(server) -> None:
    """It used to come back as content '<tool_call>\\n{"name": "get_' (finish length)."""
    client = server.openai()
    for choice in ("required", {"type": "function", "function": {"name": "get_weather"}}):
        reply = client.chat.completions.create(
            model="default", messages=ASK, tools=[WEATHER], tool_choice=choice, max_tokens=6
        )
        (only,) = reply.choices
        assert only.finish_reason == "length"
        assert "<tool_call>" not in (only.message.content or "")
        assert "get_" not in (only.message.content or "")
        streamed = client.chat.completions.create(
            model="default",
            messages=ASK,
            tools=[WEATHER],
            tool_choice=choice,
            max_tokens=6,
            stream=True,
        )
        text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
        assert text == (only.message.content or "")  # streamed and whole replies agree


def test_a_cut_off_call_over_the_messages_api_is_no_text_block(server) -> None:
    tool = {
        "name": "get_weather",
        "description": "The weather in a city.",
        "input_schema": WEATHER["function"]["parameters"],
    }
    reply = server.anthropic().messages.create(
        model="default",
        max_tokens=6,
        messages=ASK,
        tools=[tool],
        tool_choice={"type": "tool", "name": "get_weather"},
    )
    assert reply.stop_reason == "max_tokens"
    assert all("<tool_call>" not in getattr(b, "text", "") for b in reply.content)
