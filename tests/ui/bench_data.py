"""Shared data for the 1,000-message tests and benchmark."""

from __future__ import annotations

from assistant.llm.base import Message


def thousand_messages() -> list[Message]:
    out: list[Message] = []
    for i in range(500):
        out.append(Message.user(f"Question {i}: what does function_{i} do?"))
        out.append(
            Message(
                "assistant",
                f"`function_{i}` returns **{i}**.\n\n```python\n"
                f"def function_{i}():\n    return {i}\n```",
            )
        )
    return out
