"""The status bar: model, context used/limit, tokens/s, session cost, approval mode, sandbox."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


def _k(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


class StatusBar(Static):
    model = reactive("")
    context_tokens = reactive(0)
    context_limit = reactive(0)
    tokens_per_s: reactive[float | None] = reactive(None)
    cost_usd = reactive(0.0)
    mode = reactive("ask")
    sandbox = reactive("docker")
    busy = reactive("")
    """What is running (``generating``, ``running tool``, ``awaiting approval``) or empty."""

    def render(self) -> Text:
        sep = (" │ ", "dim")
        ctx = f"ctx {_k(self.context_tokens)}"
        if self.context_limit:
            pct = 100 * self.context_tokens / self.context_limit
            ctx += f"/{_k(self.context_limit)} {pct:.0f}%"
        tps = f"{self.tokens_per_s:.1f} tok/s" if self.tokens_per_s else "– tok/s"
        parts: list[tuple[str, str] | str] = [
            (self.model or "no model", "bold"),
            sep,
            ctx,
            sep,
            tps,
            sep,
            f"${self.cost_usd:.4f}",
            sep,
            ("approve: " + self.mode, "bold red" if self.mode == "never-ask" else ""),
            sep,
            self.sandbox
            if ":" in self.sandbox or " " in self.sandbox
            else "sandbox: " + self.sandbox,
        ]
        if self.busy:
            parts += [sep, ("● " + self.busy, "bold yellow")]
        return Text.assemble(*parts)

    def update_usage(self, event: object) -> None:
        """Apply an ``assistant.agent.events.UsageEvent``."""
        self.context_tokens = getattr(event, "context_tokens", 0)
        self.context_limit = getattr(event, "context_limit", 0) or self.context_limit
        tps = getattr(event, "tokens_per_s", None)
        if tps:
            self.tokens_per_s = tps
        self.cost_usd = getattr(event, "total_cost_usd", self.cost_usd)
