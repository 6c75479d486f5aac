"""A rich progress bar: rate, ETA, accepted/rejected and cost, refreshed as tasks settle."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class DistillProgress:
    def __init__(self, console: Console, total: int) -> None:
        self.progress = Progress(
            TextColumn("[bold]distill"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]:.1f} rec/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn(
                "[green]✓{task.fields[ok]}[/] [red]✗{task.fields[bad]}[/] "
                "[cyan]${task.fields[cost]:.4f}[/]"
            ),
            console=console,
            transient=False,
            refresh_per_second=4,
        )
        self.task = self.progress.add_task("distill", total=total, rate=0.0, ok=0, bad=0, cost=0.0)
        self._start: float | None = None

    def __enter__(self) -> DistillProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, distiller: Any) -> None:
        s = distiller.state
        task = self.progress.tasks[0]
        elapsed = task.elapsed or 0.0
        self.progress.update(
            self.task,
            completed=s.accepted,
            rate=s.accepted / elapsed if elapsed > 0 else 0.0,
            ok=s.accepted,
            bad=sum(s.rejected.values()),
            cost=distiller.spend.spent_usd,
        )
