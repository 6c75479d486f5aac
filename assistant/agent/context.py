"""Keep the conversation inside the model's context window.

When the history would overflow, old tool outputs are shrunk first (they are the
bulk and the least precious), then older turns are summarised by the model itself.
The system prompt (with project instructions) and the current turn always stay.
"""

from __future__ import annotations

from typing import Any

from assistant.llm.base import CancelToken, ChatModel, LLMError, Message, Usage, complete

SHRUNK_KEEP = 300
"""Characters of head and tail kept from an old tool output."""
SUMMARY_PREFIX = "Summary of the earlier conversation:\n"


def shrink_text(text: str, keep: int = SHRUNK_KEEP) -> str:
    if len(text) <= 2 * keep + 80:
        return text
    cut = len(text) - 2 * keep
    return f"{text[:keep]}\n[... {cut} characters of old output removed to save context ...]\n{text[-keep:]}"


def _current_turn_start(messages: list[Message]) -> int:
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user" and not messages[i].content.startswith(SUMMARY_PREFIX):
            return i
    return len(messages)


class ContextBudget:
    def __init__(self, model: ChatModel, reserve: int = 512) -> None:
        self.model = model
        self.reserve = reserve
        """Tokens kept free for the reply."""
        self.spent = Usage()
        """What the summaries asked of the model cost since :meth:`take_spent`."""

    def take_spent(self) -> Usage:
        spent, self.spent = self.spent, Usage()
        return spent

    @property
    def limit(self) -> int:
        return max(256, self.model.context_length - self.reserve)

    def count(self, messages: list[Message], tools: list[dict[str, Any]] | None = None) -> int:
        return self.model.count_tokens(messages, tools)

    async def fit(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        force: bool = False,
        cancel: CancelToken | None = None,
    ) -> list[Message]:
        """Return ``messages`` unchanged if they fit, else a compacted copy."""
        if not force and self.count(messages, tools) <= self.limit:
            return messages
        out = self.shrink_tool_outputs(messages)
        if not force and self.count(out, tools) <= self.limit:
            return out
        return await self.summarise_older_turns(out, tools, cancel)

    @staticmethod
    def shrink_tool_outputs(messages: list[Message]) -> list[Message]:
        """Shrink every tool output before the current turn."""
        start = _current_turn_start(messages)
        out = []
        for i, m in enumerate(messages):
            if m.role == "tool" and i < start and len(m.content) > 2 * SHRUNK_KEEP + 80:
                m = Message(
                    "tool", shrink_text(m.content), tool_call_id=m.tool_call_id, name=m.name
                )
            out.append(m)
        return out

    async def summarise_older_turns(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None,
        cancel: CancelToken | None = None,
    ) -> list[Message]:
        system, rest = messages[0], messages[1:]
        start = _current_turn_start(rest)
        older, current = rest[:start], rest[start:]
        if not older:
            return [system, *self._trim_current(current, tools)]
        transcript = "\n".join(
            f"{m.role}: {m.content[:2000]}"
            + "".join(f" [called {c.name}({c.arguments})]" for c in m.tool_calls)
            for m in older
        )
        summary = await self._summarise(transcript, cancel)
        summarised = [system, Message.user(SUMMARY_PREFIX + summary), *current]
        if self.count(summarised, tools) <= self.limit:
            return summarised
        return [system, Message.user(SUMMARY_PREFIX + summary), *self._trim_current(current, tools)]

    def _trim_current(
        self, current: list[Message], tools: list[dict[str, Any]] | None
    ) -> list[Message]:
        """Last resort inside one long turn: shrink its tool outputs too (all but the last)."""
        out = []
        for i, m in enumerate(current):
            if m.role == "tool" and i < len(current) - 1:
                m = Message(
                    "tool", shrink_text(m.content, 120), tool_call_id=m.tool_call_id, name=m.name
                )
            out.append(m)
        return out

    async def _summarise(self, transcript: str, cancel: CancelToken | None = None) -> str:
        """Ask the model for a short summary; fall back to a plain excerpt if it fails
        or is cancelled."""
        budget_chars = max(1000, (self.limit // 2) * 3)
        excerpt = transcript[-budget_chars:]
        prompt = [
            Message.system("You summarise conversations between a user and a coding assistant."),
            Message.user(
                "Summarise this conversation in at most 120 words: the user's goals, files "
                f"touched, decisions made and what is still open.\n\n{excerpt}"
            ),
        ]
        try:
            done = await complete(
                self.model, prompt, tools=None, tool_choice="none", max_tokens=200, cancel=cancel
            )
            self.spent = self.spent + done.usage
            cancelled = done.finish_reason == "cancelled"
            text = "" if cancelled else done.message.content.strip()
        except LLMError:
            text = ""
        return text or excerpt[-1500:]
