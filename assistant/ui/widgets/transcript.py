"""The scrolling transcript and the mapping from agent events to widgets.

``Transcript.handle(event)`` is the only place that turns ``assistant.agent.events`` into
widgets, so the live app, replays of saved sessions and the snapshot tests (which feed
recorded events) all render the same way. Each event touches one widget: a token updates
the streaming message only, never the rest of the transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from assistant.llm.base import Message
from assistant.ui.widgets.message import AssistantMessage, AssistantText, Notice, UserMessage
from assistant.ui.widgets.toolcard import ToolCard

WINDOW = 120
"""Messages a replay mounts at first."""
BATCH = 100
"""Messages mounted each time the view reaches the top."""


class Transcript(VerticalScroll, can_focus=True):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current: AssistantMessage | None = None
        self.cards: dict[str, ToolCard] = {}
        self.earlier: list[Callable[[], Widget]] = []
        """Widgets of a replayed conversation not mounted yet (oldest first)."""
        self.marker: Static | None = None
        self._loading = False

    def on_mount(self) -> None:
        self.anchor()

    async def _add(self, widget: Widget) -> Widget:
        await self.mount(widget)
        return widget

    async def add_user(self, text: str, attached: list[str] | None = None) -> UserMessage:
        await self.finish_message()
        return await self._add(UserMessage(text, attached))  # type: ignore[return-value]

    async def add_notice(self, text: str, kind: str = "info") -> Notice:
        return await self._add(Notice(text, kind))  # type: ignore[return-value]

    async def finish_message(self) -> None:
        if self.current is not None:
            current, self.current = self.current, None
            await current.finish()

    async def handle(self, event: Any) -> None:
        """Render one agent event."""
        kind = getattr(event, "type", "")
        if kind == "text":
            if self.current is None:
                self.current = AssistantMessage()
                await self.mount(self.current)
            await self.current.append(event.delta)
        elif kind == "tool_call":
            await self.finish_message()
            card = ToolCard(event.id, event.name, event.arguments)
            self.cards[event.id] = card
            await self.mount(card)
        elif kind == "approval":
            card = self.cards.get(event.id)
            if card is not None:
                if event.phase == "requested":
                    card.awaiting_approval()
                else:
                    card.decided(event.decision, event.reason)
        elif kind == "tool_output":
            card = self.cards.get(event.id)
            if card is not None:
                await card.append_output(event.chunk)
        elif kind == "tool_result":
            card = self.cards.get(event.id)
            if card is None:  # a result without a call event (replay): make the card now
                card = ToolCard(event.id, event.name, {})
                self.cards[event.id] = card
                await self.mount(card)
            await card.set_result(
                event.output,
                is_error=event.is_error,
                display=event.display,
                display_kind=event.display_kind,
                exit_code=event.exit_code,
                duration_s=event.duration_s,
            )
        elif kind == "turn_end":
            await self.finish_message()
            if event.reason not in ("done",):
                await self.add_notice(
                    f"Stopped: {event.reason.replace('_', ' ')}.",
                    "info" if event.reason == "cancelled" else "error",
                )
        elif kind == "error":
            await self.finish_message()
            await self.add_notice(event.message, "error")

    def last_card(self) -> ToolCard | None:
        cards = list(self.query(ToolCard))
        for card in reversed(cards):
            if card.collapsible is not None:
                return card
        return cards[-1] if cards else None

    async def clear(self) -> None:
        self.current = None
        self.cards.clear()
        self.earlier = []
        self.marker = None
        await self.remove_children()

    async def replay(self, messages: list[Message]) -> None:
        """Show a saved conversation: one widget per message, the newest ``WINDOW`` mounted.

        Older ones wait in ``earlier`` and are mounted ``BATCH`` at a time when the view
        is scrolled to the top, so a 1,000-message session costs no more layout than a
        short one.
        """
        factories: list[Callable[[], Widget]] = []
        results = {m.tool_call_id: m for m in messages if m.role == "tool" and m.tool_call_id}
        for msg in messages:
            if msg.role == "user":
                factories.append(partial(UserMessage, msg.content))
            elif msg.role == "assistant":
                if msg.content.strip():
                    factories.append(partial(AssistantText, msg.content))
                for call in msg.tool_calls:
                    res = results.get(call.id)
                    factories.append(
                        partial(
                            ToolCard,
                            call.id,
                            call.name,
                            call.arguments,
                            result=res.content if res else None,
                            is_error=bool(res and res.content.startswith(("Error", "Denied"))),
                        )
                    )
        self.earlier = (
            factories[:-WINDOW] + self.earlier if len(factories) > WINDOW else self.earlier
        )
        await self.mount_all([f() for f in factories[-WINDOW:]])
        await self._update_marker()
        self.scroll_end(animate=False)

    async def _update_marker(self) -> None:
        if self.earlier and self.marker is None:
            self.marker = Static("", classes="earlier")
            await self.mount(self.marker, before=0 if self.children else None)
        if self.marker is not None:
            if self.earlier:
                self.marker.update(
                    Text(
                        f"▲ {len(self.earlier)} earlier messages · scroll up to load them",
                        style="dim italic",
                    )
                )
            else:
                await self.marker.remove()
                self.marker = None

    async def load_earlier(self) -> int:
        """Mount the next ``BATCH`` of earlier messages above the current ones."""
        if not self.earlier or self._loading:
            return 0
        self._loading = True
        try:
            batch, self.earlier = self.earlier[-BATCH:], self.earlier[:-BATCH]
            anchor = next((c for c in self.children if c is not self.marker), None)
            await self.mount_all([f() for f in batch], after=self.marker)
            await self._update_marker()
            if anchor is not None:
                self.call_after_refresh(self.scroll_to_widget, anchor, top=True, animate=False)
            return len(batch)
        finally:
            self._loading = False

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new <= 0 and old > 0 and self.earlier:
            self.run_worker(self.load_earlier(), group="earlier", exclusive=True)
