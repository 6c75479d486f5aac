"""The loss curve (training loss, smoothed, and eval loss) as a PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_loss(rows: list[dict[str, Any]], path: Path) -> bool:
    """Draw ``rows`` (metrics.jsonl lines) to ``path``; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    from assistant.training.files import atomic_write

    train = [(r["step"], r["loss"]) for r in rows if "loss" in r]
    evals = [(r["step"], r["eval_loss"]) for r in rows if "eval_loss" in r]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    if train:
        steps, losses = zip(*train, strict=True)
        ax.plot(steps, losses, color="#9ecae1", linewidth=0.8, label="train loss")
        window = max(1, len(losses) // 20)
        if window > 1:
            smooth = [
                sum(losses[max(0, i - window + 1) : i + 1])
                / len(losses[max(0, i - window + 1) : i + 1])
                for i in range(len(losses))
            ]
            ax.plot(
                steps,
                smooth,
                color="#08519c",
                linewidth=1.5,
                label=f"train loss (mean of {window})",
            )
    if evals:
        steps, losses = zip(*evals, strict=True)
        ax.plot(steps, losses, "o-", color="#e6550d", label="eval loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (assistant tokens)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    atomic_write(path, tmp.read_bytes())
    tmp.unlink(missing_ok=True)
    return True
