"""Anthropic's prefill through the official SDK: a last assistant message is continued,
and the reply is only what follows it."""

from __future__ import annotations

PREFILL = "1, 2, 3, 4, 5, 6,"
ASK = [
    {"role": "user", "content": "Count from 1 to 20, separated by commas."},
    {"role": "assistant", "content": PREFILL},
]


def test_a_prefilled_reply_continues_the_text(server) -> None:
    """It used to start over ("1, 2, 3, ..."), so prefill plus reply said everything twice."""
    client = server.anthropic()
    reply = client.messages.create(
        model="default", max_tokens=10, messages=ASK, extra_body={"temperature": 0}
    )
    (block,) = reply.content
    assert (PREFILL + block.text).startswith("1, 2, 3, 4, 5, 6, 7, 8"), block.text
    with client.messages.stream(
        model="default", max_tokens=10, messages=ASK, extra_body={"temperature": 0}
    ) as stream:
        streamed = "".join(stream.text_stream)
    assert streamed == block.text
