"""Keep the conversation inside the model's context window.

When the history would overflow, old tool outputs are shrunk first (they are the
bulk and the least precious), then older turns are summarised by the model itself.
The system prompt (with project instructions) and the current turn always stay; when
the current turn alone is too long, its earlier tool outputs are shrunk and then its
newest ones are cut to what fits (head and tail kept), so a long build log does not end
the turn. A system prompt that cannot fit at all is a :class:`ContextTooSmall`.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.llm.base import CancelToken, ChatModel, LLMError, Message, Usage, complete

SHRUNK_KEEP = 300
"""Characters of head and tail kept from an old tool output."""
SUMMARY_PREFIX = "Summary of the earlier conversation:\n"
CUT_MARKER = "cut here to fit the model's context"
"""In the note that replaces the middle of a tool output too long for the context."""


class ContextTooSmall(LLMError):
    """The system prompt and tool list alone do not fit the model's context."""


def shrink_text(text: str, keep: int = SHRUNK_KEEP) -> str:
    if len(text) <= 2 * keep + 80:
        return text
    cut = len(text) - 2 * keep
    return f"{text[:keep]}\n[... {cut} characters of old output removed to save context ...]\n{text[-keep:]}"


def cut_text(text: str, keep: int) -> str:
    """``text`` with its middle replaced by a note when it is longer than ``keep``
    characters: a third of them from the head, the rest from the tail (where a log's
    errors and summary are)."""
    if len(text) <= keep:
        return text
    head = text[: keep // 3]
    tail = text[len(text) - (keep - len(head)) :] if keep > len(head) else ""
    cut = text[len(head) : len(text) - len(tail)]
    lines = cut.count("\n")
    return (
        f"{head}\n[... {len(cut)} characters ({lines} lines) {CUT_MARKER}; to see them, "
        "read the output in parts (read_file with start_line and end_line) or narrow the "
        "command (grep, head, tail, sed -n) ...]\n"
        f"{tail}"
    )


def _newest_results_start(messages: list[Message]) -> int:
    """Where the run of tool results at the end of ``messages`` begins."""
    start = len(messages)
    while start > 0 and messages[start - 1].role == "tool":
        start -= 1
    return start


def _current_turn_start(messages: list[Message]) -> int:
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user" and not messages[i].content.startswith(SUMMARY_PREFIX):
            return i
    return len(messages)


def _with_content(message: Message, content: str) -> Message:
    """``message`` itself when its content stays, so a kept tool result stays the same
    object (the agent tells by that which reads the model can still see)."""
    if content == message.content:
        return message
    return Message(message.role, content, tool_call_id=message.tool_call_id, name=message.name)


MIN_REPLY_TOKENS = 256
"""The fewest tokens a system prompt must leave for the reply before it is an error."""


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
        self._check_system_prompt_fits(messages[0], tools)
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
            out.append(
                _with_content(m, shrink_text(m.content)) if m.role == "tool" and i < start else m
            )
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
            return [system, *self._trim_current([system], current, tools)]
        transcript = "\n".join(
            f"{m.role}: {m.content[:2000]}"
            + "".join(f" [called {c.name}({c.arguments})]" for c in m.tool_calls)
            for m in older
        )
        summary = await self._summarise(transcript, cancel)
        summarised = [system, Message.user(SUMMARY_PREFIX + summary), *current]
        if self.count(summarised, tools) <= self.limit:
            return summarised
        head = [system, Message.user(SUMMARY_PREFIX + summary)]
        return [*head, *self._trim_current(head, current, tools)]

    def _trim_current(
        self, head: list[Message], current: list[Message], tools: list[dict[str, Any]] | None
    ) -> list[Message]:
        """Last resort inside one long turn (``head`` comes before it): shrink its earlier
        tool outputs, then cut its newest ones to what fits."""
        newest = _newest_results_start(current)
        out = [
            _with_content(m, shrink_text(m.content, 120)) if m.role == "tool" and i < newest else m
            for i, m in enumerate(current)
        ]
        if newest == len(out) or self.count([*head, *out], tools) <= self.limit:
            return out
        earlier, results = out[:newest], out[newest:]

        def cut_to(keep: int) -> list[Message]:
            return [*earlier, *(_with_content(m, cut_text(m.content, keep)) for m in results)]

        # The most characters each newest result may keep with everything fitting (a
        # token seldom spans more than 16 characters: no need to try more than that).
        low, high = 0, min(max(len(m.content) for m in results), 16 * self.limit)
        while low < high:
            mid = (low + high + 1) // 2
            if self.count([*head, *cut_to(mid)], tools) <= self.limit:
                low = mid
            else:
                high = mid - 1
        return cut_to(low)

    def _check_system_prompt_fits(
        self, system: Message, tools: list[dict[str, Any]] | None
    ) -> None:
        needed = self.count([system], tools)
        # The reserve is what compaction aims for; the reply can make do with less, as it
        # did before this check: only a prompt that leaves it almost nothing is an error.
        reply_room = min(self.reserve, MIN_REPLY_TOKENS)
        room = self.model.context_length - reply_room
        if needed <= room:
            return
        tool_tokens = needed - self.count([system])
        named = re.search(r"^# Project instructions \((.+?)\)$", system.content, re.MULTILINE)
        instructions = named.group(1) if named else "AGENTS.md"
        raise ContextTooSmall(
            f"The system prompt with the project instructions and the tool list needs "
            f"{needed} tokens ({tool_tokens} of them for the tools), more than the "
            f"{room} left of the model's context (n_ctx {self.model.context_length}, "
            f"{reply_room} kept for the reply); raise n_ctx (ASSISTANT_N_CTX, or n_ctx "
            f"under [llm] in the config) or shorten {instructions}."
        )

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
