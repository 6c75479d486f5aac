"""``assistant distill``: a thin command line over :class:`~assistant.distill.runner.Distiller`.

``distill_app`` is a Typer app with one callback command; the main CLI mounts it
with ``app.add_typer(distill_app, name="distill")``. ``python -m assistant.distill``
runs it on its own.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from assistant.distill.config import ConfigError, DistillConfig, parse_config
from assistant.distill.cost import estimate, measured_per_task
from assistant.distill.store import CACHE, OutputError
from assistant.distill.tasks import TemplateError, parse_mix
from assistant.llm.base import LLMError

distill_app = typer.Typer(
    name="distill",
    help="Generate tool-use training data from teacher models (survives crashes, counts every cent).",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


@distill_app.callback()
def distill(
    provider: str = typer.Option(
        None, "--provider", help="Teacher: anthropic, openai, local or scripted (no model, no key)."
    ),
    model: str = typer.Option(
        None, "--model", help="Teacher model (comma list or provider=model pairs with --providers)."
    ),
    base_url: str = typer.Option(
        None, "--base-url", help="API base URL (an OpenAI-compatible server, a proxy)."
    ),
    model_path: Path = typer.Option(None, "--model-path", help="GGUF file for the local teacher."),  # noqa: B008
    num_examples: int = typer.Option(
        ..., "--num-examples", "-n", help="Accepted records to produce."
    ),
    output_dir: Path = typer.Option(  # noqa: B008
        ..., "--output-dir", "-o", help="Where records, cache and splits go."
    ),
    providers: str = typer.Option(
        None, "--providers", help="Several teachers, e.g. anthropic,openai,local."
    ),
    mix_ratio: str = typer.Option(
        None, "--mix-ratio", help="Share of tasks per teacher, e.g. 0.4,0.4,0.2."
    ),
    categories: str = typer.Option(
        None,
        "--categories",
        help="Comma list of task categories (default: all but the held-out written_heldout).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for task expansion and mixing."),
    concurrency: int = typer.Option(8, "--concurrency", help="Calls in flight per cloud teacher."),
    temperature: float = typer.Option(0.7, "--temperature", min=0),
    max_tokens: int = typer.Option(
        2048, "--max-tokens", help="Cap on tokens per teacher reply.", min=1
    ),
    max_cost: float = typer.Option(
        None,
        "--max-cost",
        help="Stop cleanly once the run has spent this many USD (what it paid before a --resume counts).",
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Skip the cost confirmation."),
    batch: bool = typer.Option(
        False, "--batch", help="Single-call tasks through the provider's batch API (half price)."
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Continue the unfinished run in --output-dir."
    ),
    val_fraction: float = typer.Option(
        0.05, "--val-fraction", help="Share of records in val.jsonl."
    ),
    api_key: str = typer.Option(
        None,
        "--api-key",
        help="API key (default: ANTHROPIC_API_KEY / OPENAI_API_KEY).",
        show_default=False,
    ),
    sandbox: str = typer.Option(
        "docker",
        "--sandbox",
        help="Where agent tasks run commands: docker, or host (explicit opt-in).",
    ),
    max_steps: int = typer.Option(12, "--max-steps", help="Model calls per agent task.", min=1),
    rate: float = typer.Option(
        0.0, "--rate", help="Requests per second per teacher (0: unlimited).", min=0
    ),
    batch_poll: float = typer.Option(
        30.0, "--batch-poll", help="Seconds between batch status polls."
    ),
    max_attempts: int = typer.Option(
        None, "--max-attempts", help="Tasks to try at most (default 4 × N + 16).", min=1
    ),
    workers: int = typer.Option(
        0, "--workers", help="Processes making cloud calls (0: one per core at --concurrency 32+)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    task_mix: str = typer.Option(
        None, "--task-mix", help="Share of tasks per mode, e.g. call=0.28,abstain=0.43,agent=0.29."
    ),
    price_in: str = typer.Option(
        None,
        "--price-in",
        help="USD per million input tokens for a model missing from the price table (or provider=value pairs).",
    ),
    price_out: str = typer.Option(
        None, "--price-out", help="USD per million output tokens, as --price-in."
    ),
) -> None:
    """Generate --num-examples verified records with one or more teachers."""
    console = Console(stderr=True)
    try:
        cfg = parse_config(
            provider=provider,
            providers=providers,
            mix_ratio=mix_ratio,
            model=model,
            base_url=base_url,
            model_path=model_path,
            api_key=api_key,
            num_examples=num_examples,
            output_dir=output_dir,
            categories=categories,
            seed=seed,
            concurrency=concurrency,
            temperature=temperature,
            max_tokens=max_tokens,
            max_cost=max_cost,
            yes=yes,
            batch=batch,
            resume=resume,
            val_fraction=val_fraction,
            sandbox=sandbox,
            max_steps=max_steps,
            rate_per_s=rate,
            max_attempts=max_attempts,
            progress=not quiet,
            batch_poll_s=batch_poll,
            workers=workers,
            mix=parse_mix(task_mix),
            price_in=price_in,
            price_out=price_out,
        )
    except (ConfigError, TemplateError) as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    raise typer.Exit(run_distill(cfg, console))


def run_distill(
    cfg: DistillConfig, console: Console | None = None, *, backends: dict | None = None
) -> int:
    """Run distill from a config; returns the process exit code.

    ``backends`` maps a provider to an already-built ChatModel (e.g. a loaded GGUF).
    """
    from assistant.distill.progress import DistillProgress
    from assistant.distill.runner import Distiller, NothingToResume
    from assistant.distill.workers import WorkerFailed

    console = console or Console(stderr=True)
    try:
        d = Distiller(cfg, console=console)
        d.prepare()
        d.build_teachers(backends)
    except NothingToResume as exc:
        console.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        return EXIT_OK
    except (ConfigError, OutputError, TemplateError, LLMError) as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    if cfg.sandbox == "host" and any(t.mode == "agent" for t in _sample(d)):
        console.print(
            "[yellow]warning:[/] --sandbox host runs the teachers' commands directly "
            f"on this machine, inside {escape(str(cfg.output_dir / 'work'))}."
        )
    if not _confirm_cost(cfg, d, console):
        return EXIT_USAGE
    try:
        if cfg.progress:
            with DistillProgress(console, cfg.num_examples) as bar:
                d.progress = bar
                asyncio.run(d.run())
                bar.update(d)
        else:
            asyncio.run(d.run())
    except KeyboardInterrupt:
        console.print("Interrupted; run again with --resume to continue where it stopped.")
        return EXIT_INTERRUPTED
    except WorkerFailed as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return EXIT_FAILED
    report(d, console)
    if d.state.status == "max_cost":
        console.print(
            f"Stopped at --max-cost ${cfg.max_cost:g} (${d.spend.spent_usd:.4f} spent by the "
            "run, resumes included); rerun with --resume and a higher --max-cost to continue."
        )
        return EXIT_OK
    if d.state.status == "exhausted":
        console.print(
            f"[yellow]Only {d.state.accepted} of {cfg.num_examples} records passed after "
            f"{d.state.attempted} tasks;[/] see metadata.json for rejection reasons."
        )
        return EXIT_FAILED
    return EXIT_OK


def _sample(d: object) -> list:
    src = d.source  # type: ignore[attr-defined]
    return [src.task(i) for i in range(32)]


def accepted_so_far(d: object) -> int:
    """The records the run being resumed already accepted (0 for a fresh run)."""
    run_id = d.state.run_id  # type: ignore[attr-defined]
    earlier = d.earlier  # type: ignore[attr-defined]
    return sum(1 for r in earlier if r.get("meta", {}).get("run_id") == run_id)


def _confirm_cost(cfg: DistillConfig, d: object, console: Console) -> bool:
    sample = _sample(d)
    share = sum(t.mode == "agent" for t in sample) / len(sample)
    rows = estimate(cfg, share, measured_per_task(cfg.output_dir / CACHE), accepted_so_far(d))
    total = sum(r.usd for r in rows)
    table = Table(title="Estimated cost", title_justify="left")
    for col in ("provider", "model", "tasks", "input tok", "output tok", "USD"):
        table.add_column(col, justify="right" if col not in ("provider", "model") else "left")
    for r in rows:
        usd = f"{r.usd:.2f}" if r.known_price else "unknown price"
        table.add_row(
            r.provider,
            r.model,
            f"{r.tasks:.0f}",
            f"{r.input_tokens:,}",
            f"{r.output_tokens:,}",
            usd,
        )
    if cfg.progress:
        console.print(table)
    if total <= cfg.confirm_threshold_usd or cfg.yes:
        return True
    if not sys.stdin.isatty():
        console.print(
            f"[red]error:[/] the run may cost about ${total:.2f}, above "
            f"${cfg.confirm_threshold_usd:.2f}; pass --yes to confirm or set --max-cost.",
            soft_wrap=True,
        )
        return False
    return typer.confirm(f"This run may cost about ${total:.2f}. Continue?", default=False)


def report(d: object, console: Console) -> None:
    """Tokens and USD per provider and model, then counts."""
    spend = d.spend  # type: ignore[attr-defined]
    state = d.state  # type: ignore[attr-defined]
    table = Table(title="Teacher usage", title_justify="left")
    for col in (
        "provider",
        "model",
        "calls",
        "cached",
        "input tok",
        "output tok",
        "cache read",
        "USD",
    ):
        table.add_column(col, justify="left" if col in ("provider", "model") else "right")
    for (prov, model), v in sorted(spend.by_model.items()):
        table.add_row(
            prov,
            model,
            str(int(v["calls"])),
            str(int(v["cached_calls"])),
            f"{int(v['input_tokens']):,}",
            f"{int(v['output_tokens']):,}",
            f"{int(v['cache_read_tokens']):,}",
            f"{v['cost_usd']:.4f}",
        )
    earlier = getattr(d, "earlier_usd", 0.0)
    if earlier:
        table.add_row("before --resume", "", "", "", "", "", "", f"{earlier:.4f}")
    table.add_row("total", "", "", "", "", "", "", f"{spend.spent_usd:.4f}")
    console.print(table)
    quality = getattr(d, "report", None) or {}
    for key, title in (("per_category", "category"), ("per_provider", "provider")):
        if quality.get(key):
            console.print(quality_table(quality[key], title))
    rejected = ", ".join(f"{k} {v}" for k, v in state.rejected.most_common()) or "none"
    console.print(
        f"{state.accepted} accepted, {sum(state.rejected.values())} rejected ({rejected}); "
        f"{spend.retries} retries; output in {escape(str(d.out))}"  # type: ignore[attr-defined]
    )


def _share(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def quality_table(groups: dict[str, dict[str, Any]], title: str) -> Table:
    """The quality report as a table: one row per category or provider."""
    table = Table(title=f"Quality per {title}", title_justify="left")
    for col in (
        title,
        "accepted",
        "rejected (top reasons)",
        "calls",
        "abstain",
        "steps",
        "top tools",
    ):
        table.add_column(
            col, justify="right" if col in ("accepted", "calls", "abstain", "steps") else "left"
        )
    for name, g in groups.items():
        reasons = ", ".join(f"{k} {v}" for k, v in list(g["rejected"].items())[:2]) or "-"
        table.add_row(  # names come from the teachers' records: no markup in them
            *(
                Text(cell)
                for cell in (
                    name,
                    str(g["accepted"]),
                    reasons,
                    _share(g["call_share"]),
                    _share(g["abstain_share"]),
                    "-" if g["steps_per_record"] is None else f"{g['steps_per_record']:.1f}",
                    ", ".join(list(g["tools_used"])[:3]) or "-",
                )
            )
        )
    return table


def main(argv: list[str] | None = None) -> int:
    try:
        rc = distill_app(args=argv, prog_name="assistant distill", standalone_mode=False)
        return rc if isinstance(rc, int) else EXIT_OK
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # pragma: no cover
        return int(exc.code or 0)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return EXIT_USAGE
        raise
