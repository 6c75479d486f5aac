"""Keystroke-to-echo latency of the terminal app, idle, while a reply streams, and with 1,000 messages.

Drives the real ``AssistantApp`` headless (``App.run_test``). A key is posted to the
driver exactly as a terminal would deliver it; its latency is the time until the first
frame is written after the prompt holds the character (the echo a user sees).
While-streaming runs feed text through the app at ``--rate`` tokens/s from a worker,
or, with ``--real``, stream the real default model (SmolLM2 via llama.cpp) sharing the CPU.

    python benchmarks/bench_ui.py [--keys 40] [--rate 200] [--real]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events

from assistant.agent.events import TextEvent, TurnEndEvent
from assistant.llm.base import Message
from assistant.ui.app import AssistantApp
from assistant.ui.commands import UIContext
from assistant.ui.history import InputHistory
from tests.ui.bench_data import thousand_messages

SIZE = (120, 40)
PARAGRAPH = (
    "Streaming **markdown** with `code` and lists:\n\n- item one\n- item two\n\n"
    "```python\ndef add(a, b):\n    return a + b\n```\n\n"
)


class StreamingAgent:
    """Streams Markdown at ``rate`` tokens/s until cancelled (the UI's view of a model)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.messages = [Message.system("bench")]
        self._stop = False

    def cancel(self) -> None:
        self._stop = True

    async def run(self, text: str, *, tool_choice: str = "auto"):  # type: ignore[no-untyped-def]
        self._stop = False
        tokens = PARAGRAPH.replace(" ", " \x00").split("\x00")
        i = 0
        while not self._stop:
            yield TextEvent(tokens[i % len(tokens)])
            i += 1
            await asyncio.sleep(1 / self.rate)
        yield TurnEndEvent("cancelled")


class RealModelAgent:
    """The real default model behind the real Agent, without tools (pure streaming)."""

    def __init__(self) -> None:
        from assistant.agent.loop import Agent, Limits
        from assistant.agent.registry import ToolRegistry
        from assistant.llm.llamacpp import LlamaCppModel
        from assistant.llm.models import default_model_path

        model = LlamaCppModel(default_model_path(), n_ctx=2048)
        self.agent = Agent(
            model,
            ToolRegistry([]),
            workspace=Path.cwd(),
            limits=Limits(max_tokens=1500, temperature=0.7),
            system_prompt="You are helpful.",
        )
        self.messages = self.agent.messages

    def cancel(self) -> None:
        self.agent.cancel()

    def run(self, text: str, *, tool_choice: str = "auto"):  # type: ignore[no-untyped-def]
        return self.agent.run(
            "Write a long essay about the history of computing, with code examples.",
            tool_choice="none",
        )


async def measure_keys(app: AssistantApp, n: int, gap: float) -> list[float]:
    """Latency (ms) from posting each key to the first frame showing it."""
    frames: list[float] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        frames.append(time.perf_counter())
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    out: list[float] = []
    try:
        for i in range(n):
            char = "abcdefghijklmnopqrstuvwxyz"[i % 26]
            before = app.prompt.text
            t0 = time.perf_counter()
            app._driver.send_message(events.Key(char, char))  # type: ignore[union-attr]
            deadline = t0 + 10
            while True:
                await asyncio.sleep(0.0005)
                if app.prompt.text == before + char and frames and frames[-1] > t0:
                    shown = [f for f in frames if f > t0]
                    if shown:
                        out.append((shown[0] - t0) * 1000)
                        break
                if time.perf_counter() > deadline:
                    out.append(float("nan"))
                    break
            await asyncio.sleep(gap)
    finally:
        app._display = original  # type: ignore[method-assign]
    app.prompt.clear()
    return out


async def scenario(
    name: str, agent: Any, *, messages: list[Message] | None, stream: bool, keys: int, gap: float
) -> dict[str, Any]:
    app = AssistantApp(
        agent, UIContext(model_name="bench", context_limit=8192), history=InputHistory(None)
    )
    row: dict[str, Any] = {"scenario": name}
    async with app.run_test(size=SIZE) as pilot:
        if messages:
            t0 = time.perf_counter()
            await app.transcript.replay(messages)
            await pilot.pause()
            row["load_s"] = time.perf_counter() - t0
        if stream:
            app.start_turn("go")
            deadline = time.perf_counter() + 120
            while app.transcript.current is None or len(app.transcript.current.text) < 200:
                await asyncio.sleep(0.05)
                if time.perf_counter() > deadline:
                    raise RuntimeError("no streamed text within 120 s")
            chars_before = len(app.transcript.current.text)
            t_stream = time.perf_counter()
        lat = await measure_keys(app, keys, gap)
        if stream:
            current = app.transcript.current
            streamed = (len(current.text) - chars_before) if current else 0
            row["stream_chars_s"] = streamed / (time.perf_counter() - t_stream)
            app.action_cancel()
            await app.wait_idle(60)
        if messages:
            t0 = time.perf_counter()
            app.transcript.scroll_page_up(animate=False)
            await pilot.pause()
            row["pageup_ms"] = (time.perf_counter() - t0) * 1000
    good = sorted(x for x in lat if x == x)
    row.update(
        n=len(lat),
        p50=statistics.median(good),
        p95=good[int(0.95 * (len(good) - 1))],
        max=good[-1],
        lost=len(lat) - len(good),
    )
    return row


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keys", type=int, default=40, help="keys per scenario")
    ap.add_argument("--gap", type=float, default=0.03, help="seconds between keys")
    ap.add_argument("--rate", type=float, default=200, help="simulated stream, tokens/s")
    ap.add_argument("--real", action="store_true", help="also stream the real default model")
    args = ap.parse_args()
    many = thousand_messages()
    rows = [
        await scenario(
            "idle, empty transcript",
            StreamingAgent(args.rate),
            messages=None,
            stream=False,
            keys=args.keys,
            gap=args.gap,
        ),
        await scenario(
            f"streaming {args.rate:.0f} tok/s",
            StreamingAgent(args.rate),
            messages=None,
            stream=True,
            keys=args.keys,
            gap=args.gap,
        ),
        await scenario(
            "1,000 messages, idle",
            StreamingAgent(args.rate),
            messages=many,
            stream=False,
            keys=args.keys,
            gap=args.gap,
        ),
        await scenario(
            f"1,000 messages + streaming {args.rate:.0f} tok/s",
            StreamingAgent(args.rate),
            messages=many,
            stream=True,
            keys=args.keys,
            gap=args.gap,
        ),
    ]
    if args.real:
        rows.append(
            await scenario(
                "streaming real SmolLM2 (llama.cpp)",
                RealModelAgent(),
                messages=None,
                stream=True,
                keys=args.keys,
                gap=args.gap,
            )
        )
    print(f"\nkeystroke-to-echo latency, {args.keys} keys per row, terminal {SIZE[0]}x{SIZE[1]}\n")
    head = f"{'scenario':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'lost':>5} {'extra':>28}"
    print(head)
    print("-" * len(head))
    for r in rows:
        extra = []
        if "load_s" in r:
            extra.append(f"load {r['load_s']:.2f}s")
        if "pageup_ms" in r:
            extra.append(f"pgup {r['pageup_ms']:.0f}ms")
        if "stream_chars_s" in r:
            extra.append(f"{r['stream_chars_s']:.0f} chars/s shown")
        print(
            f"{r['scenario']:44} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {r['lost']:5d} "
            f"{', '.join(extra):>28}"
        )


if __name__ == "__main__":
    asyncio.run(main())
