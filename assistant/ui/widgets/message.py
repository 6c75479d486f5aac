"""Chat messages in the transcript.

Each message is one ``Static`` holding a rich ``Markdown`` renderable (code blocks
syntax-highlighted by pygments), so a long transcript is one cheap widget per message
rather than a tree of block widgets each.
"""

from __future__ import annotations

import time

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from assistant.ui.diffview import IN_WORKSPACE, render_diff
from assistant.ui.terminal import printable, printable_prose
from assistant.ui.theme import CODE_THEME


def rich_markdown(text: str) -> RichMarkdown:
    return RichMarkdown(printable_prose(text), code_theme=CODE_THEME, hyperlinks=False)


class UserMessage(Static):
    """What the user sent (attached files shown as a note, not their whole content)."""

    def __init__(self, text: str, attached: list[str] | None = None) -> None:
        body = Text(printable_prose(text))
        if attached:
            body.append("\n📎 " + printable(", ".join(attached)), style="dim")
        super().__init__(body, classes="message user")
        self.border_title = "you"
        self.text = text


def settled_length(text: str) -> int:
    """Length of the prefix of ``text`` made of finished Markdown blocks.

    A block is finished once a blank line follows it outside a code fence; what comes
    after may still change as tokens arrive, what comes before never will.
    """
    fence: str | None = None
    pos = 0
    settled = 0
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # the last, unfinished line
        stripped = line.strip()
        if fence is None and stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        pos += len(line)
        if fence is None and not stripped and pos > settled:
            settled = pos
    return settled


class AssistantMessage(Vertical):
    """An assistant reply that streams: finished blocks freeze, only the tail re-renders.

    Tokens only append to ``text``. At most ``FPS`` times a second, Markdown blocks that
    are complete move into their own ``Static`` (rendered once, then cached by Textual)
    and the unfinished tail is re-rendered, so the cost of a token does not grow with
    the length of the reply or of the transcript. (Textual's ``Markdown`` widget with
    ``MarkdownStream`` re-laid out the whole screen per append: a tenth of the
    throughput on the benchmark.)
    """

    FPS = 12

    def __init__(self, text: str = "", *, streaming: bool = True) -> None:
        super().__init__(classes="message assistant")
        self.border_title = "assistant"
        self.text = text
        self.streaming = streaming
        self._settled = 0
        self._tail = Static("", classes="body")
        self._rendered_tail = ""
        self._last = 0.0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield self._tail

    def on_mount(self) -> None:
        if self.text:
            self._flush()

    async def append(self, delta: str) -> None:
        self.text += delta
        if self._timer is not None:
            return
        wait = self._last + 1 / self.FPS - time.monotonic()
        if wait <= 0:
            self._flush()
        else:
            self._timer = self.set_timer(wait, self._flush)

    def _flush(self) -> None:
        self._timer = None
        self._last = time.monotonic()
        settled = settled_length(self.text)
        if settled > self._settled:
            block = self.text[self._settled : settled].strip("\n")
            self._settled = settled
            if block:
                self.mount(Static(rich_markdown(block), classes="body block"), before=self._tail)
        tail = self.text[self._settled :]
        if tail != self._rendered_tail:
            self._rendered_tail = tail
            self._tail.update(rich_markdown(tail) if tail.strip() else "")
        self._tail.display = bool(tail.strip())

    async def finish(self) -> None:
        """The reply is complete: render it whole, once, exactly as a replay would."""
        self.streaming = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        blocks = list(self.query(".block"))
        if blocks:
            await self.remove_children(blocks)
        self._settled = 0
        self._rendered_tail = self.text
        self._tail.update(rich_markdown(self.text) if self.text.strip() else "")
        self._tail.display = bool(self.text.strip())
        if not self.text.strip():
            self.display = False


class AssistantText(Static):
    """A finished assistant reply as one widget (replayed conversations)."""

    def __init__(self, text: str) -> None:
        super().__init__(rich_markdown(text), classes="message assistant")
        self.border_title = "assistant"
        self.text = text


class Notice(Static):
    """Output of a slash command, an error, or a note such as 'cancelled'."""

    def __init__(self, text: str, kind: str = "info") -> None:
        renderable = render_diff(text, IN_WORKSPACE) if kind == "diff" else rich_markdown(text)
        super().__init__(renderable, classes=f"notice {kind}")
        self.text = text
        self.kind = kind
