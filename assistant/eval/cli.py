"""``assistant eval tools | agent | compare``: thin commands over the eval library."""

from __future__ import annotations

import asyncio
import os
import platform
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from assistant.eval import spread
from assistant.eval.tools import DEFAULT_MAX_TOKENS
from assistant.llm.models import MODEL_HELP

eval_app = typer.Typer(
    help="Measure tool calling (eval tools) and agentic coding (eval agent).",
    no_args_is_help=True,
)


REPO_EVAL = Path(__file__).resolve().parents[2] / "eval"
"""The shipped evaluation data in a checkout (``eval/tools``, ``eval/agent``)."""

ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help=MODEL_HELP),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option("--base-url", help="Server for openai:NAME (any OpenAI-compatible URL)."),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the results as JSON here.")
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", help="Run only N cases or tasks, spread evenly over all.", min=1),
]
CompareOpt = Annotated[
    tuple[Path, Path] | None,
    typer.Option("--compare", help="Compare two results files (A B) instead of running."),
]
PlotOpt = Annotated[
    Path | None, typer.Option("--plot", help="Draw accuracy per category into this PNG.")
]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency", help="Requests in flight (default: 1 local, more for cloud).", min=1
    ),
]
ThreadsOpt = Annotated[
    int | None,
    typer.Option(
        "--threads",
        help="CPU threads for a local model (default: config, else all cores; 1 is far "
        "faster when other work keeps the cores busy).",
        min=1,
    ),
]
TemperatureOpt = Annotated[
    float,
    typer.Option("--temperature", help="Sampling temperature (0: greedy, deterministic).", min=0),
]


T = TypeVar("T")
INTERRUPTED_EXIT = 130
"""The exit status of a run stopped by Ctrl-C (SIGINT), as a shell reports one."""


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _default(sub: str, given: Path | None, flag: str) -> Path:
    if given is not None:
        return given
    path = REPO_EVAL / sub
    if not path.exists():
        raise fail(f"No shipped eval data at {path}; pass {flag} with a path.", 2)
    return path


def _check_writable(path: Path | None, flag: str, *inputs: Path | None) -> None:
    """Before a run of many minutes: a path its results could never be written to, or
    one that would overwrite the run's own input."""
    if path is None:
        return
    for given in inputs:
        if given is not None and given.is_file() and path.resolve() == given.resolve():
            raise fail(f"{flag} {path} is the input file; pass another path for the results.", 2)
    if path.is_dir():
        raise fail(f"{flag} {path} is a folder; pass a file path in it.", 2)
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise fail(f"{flag} {path} cannot be written ({parent} is not a writable folder).", 2)


def _load_model(spec: str | None, base_url: str | None, threads: int | None) -> Any:
    from assistant.agent.builder import build_model
    from assistant.config import ConfigError, load_settings
    from assistant.llm.base import LLMError

    try:
        llm: dict[str, Any] = {"base_url": base_url} if base_url else {}
        if threads:
            llm["n_threads"] = threads
        settings = load_settings(Path.cwd(), {"model": spec, "llm": llm})
        return build_model(settings)
    except (ConfigError, LLMError) as exc:
        raise fail(str(exc)) from None


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _log_line(console: Console, done: int, total: int, status: str, started: float) -> None:
    """Without a terminal (a log file, CI) the bar is not drawn: print a line each 5%."""
    step = max(1, total // 20)
    if not console.is_terminal and (done % step == 0 or done == total):
        console.print(f"{done}/{total} done, {status}, {time.monotonic() - started:.0f} s")


def _meta(kind: str, model: Any, spec: str | None, started: float, **extra: Any) -> dict[str, Any]:
    from assistant import __version__

    return {
        "kind": kind,
        "model": model.name,
        "model_spec": spec or "local",
        "provider": model.provider,
        "model_path": str(model.path) if getattr(model, "path", None) else None,
        **extra,
        "wall_s": round(time.monotonic() - started, 2),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "assistant_version": __version__,
        "host": platform.node(),
    }


def _finish(data: dict[str, Any], output: Path | None, plot_path: Path | None) -> None:
    from assistant.eval.report import print_results, write_results

    print_results(Console(), data)
    if output is not None:
        try:
            write_results(output, data)
        except OSError as exc:
            raise fail(
                f"Could not write the results to {output} ({exc.strerror or exc})."
            ) from None
        typer.echo(f"wrote {output}")
    if plot_path is not None:
        _plot(plot_path, [("run", data)])


def _run_interruptible(coro: Coroutine[Any, Any, T]) -> T | None:
    """``asyncio.run(coro)``; None when Ctrl-C (SIGINT) stopped it. ``asyncio.run`` then
    cancels the tasks in flight, which close their sandboxes and scratch folders."""
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        return None


def _partial_path(output: Path | None, kind: str) -> Path:
    """Where an interrupted run keeps what finished: beside ``--output`` (never at it, so
    a script that reads that path finds no partial run there), else in the data folder."""
    if output is not None:
        return output.with_name(f"{output.stem}.partial{output.suffix or '.json'}")
    from assistant.agent.session import data_dir

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return data_dir() / "eval" / f"{kind}-{stamp}.partial.json"


def _kept(output: Path | None) -> Path | None:
    """Where a run that measured nothing (every case an error) saves its errors: --output,
    unless an earlier run's results are there, which it must not replace."""
    if output is None or not output.exists():
        return output
    return output.with_name(f"{output.stem}.errors{output.suffix or '.json'}")


def _collected(ran: list[Any] | None, finished: dict[str, Any], ids: list[str]) -> list[Any]:
    """The whole run's results, or, after Ctrl-C (``ran`` None), those that finished, in
    the order they were planned."""
    return ran if ran is not None else [finished[i] for i in ids if i in finished]


def _save(
    data: dict[str, Any],
    unit: str,
    ids: list[str],
    results: list[Any],
    output: Path | None,
    plot_path: Path | None,
) -> None:
    """Mark the run whole or partial, add its ``unit`` (cases or tasks) and save it: a
    partial one beside ``--output``, ending in the interrupted exit."""
    _mark_run(data, ids, {r.id for r in results})
    data[unit] = [r.to_dict() for r in results]
    if data["partial"]:
        raise _finish_interrupted(data, output, unit)
    _finish(data, output, plot_path)


def _mark_run(data: dict[str, Any], ids: list[str], finished: set[str]) -> None:
    """Record whether the run is whole: ``partial``, and for a partial one the number of
    cases or tasks it set out to run and the ids that did not finish."""
    data["partial"] = len(finished) < len(ids)
    if data["partial"]:
        data["n_planned"] = len(ids)
        data["unfinished"] = [i for i in ids if i not in finished]


def _finish_interrupted(data: dict[str, Any], output: Path | None, unit: str) -> typer.Exit:
    """Print and save what an interrupted run finished; the exit to raise."""
    from assistant.eval.report import print_results, write_results

    done, planned = data["n_planned"] - len(data["unfinished"]), data["n_planned"]
    if not done:
        message = f"Interrupted before any of the {planned} {unit} finished; nothing to save."
        return fail(message, INTERRUPTED_EXIT)
    print_results(Console(), data)
    path = _partial_path(output, data["kind"])
    try:
        write_results(path, data)
    except OSError as exc:
        return fail(
            f"Interrupted after {done} of {planned} {unit}, and the finished ones could not "
            f"be saved to {path} ({exc.strerror or exc}).",
            INTERRUPTED_EXIT,
        )
    typer.secho(
        f"Interrupted after {done} of {planned} {unit}: the finished ones are saved, marked "
        f"partial, in {path}.",
        err=True,
        fg=typer.colors.YELLOW,
    )
    return typer.Exit(INTERRUPTED_EXIT)


def _plot(path: Path, runs: list[tuple[str, dict[str, Any]]]) -> None:
    from assistant.eval.report import plot

    try:
        plot(path, runs)
    except ImportError:
        raise fail("--plot needs matplotlib; install it with `pip install matplotlib`.") from None
    except OSError as exc:
        raise fail(f"Could not write the plot to {path} ({exc.strerror or exc}).") from None
    typer.echo(f"wrote {path}")


def compare_files(a: Path, b: Path, plot_path: Path | None, markdown: bool = False) -> None:
    from assistant.eval.report import (
        ResultsError,
        compare_kinds,
        compare_markdown,
        compare_notes,
        compare_table,
        compare_verdict,
        load_results,
    )

    _check_writable(plot_path, "--plot")
    try:
        da, db = load_results(a), load_results(b)
    except ResultsError as exc:
        raise fail(str(exc)) from None
    mismatch = compare_kinds(da, db)
    if mismatch:
        raise fail(mismatch, 2)
    if markdown:
        typer.echo(compare_markdown(da, db, a.stem, b.stem))
    else:
        Console().print(compare_table(da, db, a.stem, b.stem))
    typer.echo(compare_verdict(da, db))
    for note in compare_notes(da, db):
        typer.echo(note)
    if plot_path is not None:
        _plot(plot_path, [(a.stem, da), (b.stem, db)])


@eval_app.command("compare")
def compare(
    a: Annotated[Path, typer.Argument(help="Results file A (e.g. the base model).")],
    b: Annotated[Path, typer.Argument(help="Results file B (e.g. the fine-tuned model).")],
    plot_path: PlotOpt = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print a Markdown table (for the README).")
    ] = False,
) -> None:
    """Print two results files side by side with the difference per category.

    Files that hold per-case results over the same cases are also compared case by case:
    how many cases B passes that A fails and the reverse, with the exact McNemar p-value.
    """
    compare_files(a, b, plot_path, markdown)


@eval_app.command("tools")
def tools_cmd(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            help="Cases, or distill records such as a val.jsonl, JSONL "
            "(default: eval/tools/cases.jsonl).",
        ),
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    output: OutputOpt = None,
    limit: LimitOpt = None,
    category: Annotated[
        list[str] | None, typer.Option("--category", help="Only cases of this category.")
    ] = None,
    temperature: TemperatureOpt = 0.0,
    max_tokens: Annotated[
        int,
        typer.Option(
            "--max-tokens", help="Tokens per reply (enough for any call in the cases).", min=1
        ),
    ] = DEFAULT_MAX_TOKENS,
    concurrency: ConcurrencyOpt = None,
    threads: ThreadsOpt = None,
    compare_: CompareOpt = None,
    plot_path: PlotOpt = None,
) -> None:
    """Tool-calling accuracy: does the model call the right tool with the right values?"""
    if compare_ is not None:
        compare_files(compare_[0], compare_[1], plot_path)
        return
    from assistant.eval.checker import CaseError, load_cases
    from assistant.eval.tools import run_cases, summarize

    path = _default("tools/cases.jsonl", data, "--data")
    _check_writable(output, "--output", path)
    _check_writable(plot_path, "--plot", path)
    if path.is_dir():
        raise fail(f"--data {path} is a folder; pass a .jsonl file of cases.", 2)
    try:
        cases = load_cases(path)
    except CaseError as exc:
        raise fail(str(exc)) from None
    except UnicodeDecodeError:
        raise fail(f"--data {path} is not UTF-8 text; save it as UTF-8 JSONL.", 2) from None
    if category:
        known = sorted({c.category for c in cases})
        unknown = [c for c in dict.fromkeys(category) if c not in known]
        if unknown:
            raise fail(
                f"No case in {path} has category {', '.join(unknown)}; "
                f"the categories are {', '.join(known)}.",
                2,
            )
        cases = [c for c in cases if c.category in category]
    cases = spread(cases, limit)
    llm = _load_model(model, base_url, threads)
    started = time.monotonic()
    console = Console(stderr=True)
    passed = [0, 0]
    finished: dict[str, Any] = {}
    with _progress(console) as progress:
        bar = progress.add_task(f"eval tools {llm.name}", total=len(cases), status="")

        def on_result(r: Any) -> None:
            finished[r.id] = r
            passed[0] += r.passed
            passed[1] += 1
            status = f"{passed[0]}/{passed[1]} correct"
            progress.update(bar, advance=1, status=status)
            _log_line(console, passed[1], len(cases), status, started)

        ran = _run_interruptible(
            run_cases(
                llm,
                cases,
                temperature=temperature,
                max_tokens=max_tokens,
                concurrency=concurrency,
                on_result=on_result,
            )
        )
    ids = [c.id for c in cases]
    results = _collected(ran, finished, ids)
    out = _meta(
        "tools",
        llm,
        model,
        started,
        data=str(path),
        settings={
            "tool_choice": "auto",
            "temperature": temperature,
            "max_tokens": max_tokens,
            "threads": getattr(llm, "n_threads", None),
            "call_threshold": getattr(llm, "call_threshold", None),
            "limit": limit,
            "category": category,
        },
    )
    summary = summarize(results)
    out.update(summary)
    measured_nothing = summary["n_errors"] == len(results)
    _save(out, "cases", ids, results, _kept(output) if measured_nothing else output, plot_path)
    if measured_nothing:
        first = next((r.detail for r in results if r.reason == "error"), "unknown error")
        raise fail(
            f"Every case ended in a backend error, so nothing was measured; the first: {first}"
        )


@eval_app.command("agent")
def agent_cmd(
    tasks_dir: Annotated[
        Path | None, typer.Option("--tasks", "-t", help="Folder of tasks (default: eval/agent).")
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    output: OutputOpt = None,
    limit: LimitOpt = None,
    task_ids: Annotated[
        list[str] | None, typer.Option("--task", help="Only this task id (repeatable).")
    ] = None,
    sandbox: Annotated[
        str, typer.Option("--sandbox", help="docker (default) or bwrap.")
    ] = "docker",
    max_steps: Annotated[
        int, typer.Option("--max-steps", help="Model calls per task.", min=1)
    ] = 15,
    max_time: Annotated[float, typer.Option("--max-time", help="Seconds per task.", min=1)] = 300.0,
    max_cost: Annotated[float, typer.Option("--max-cost", help="USD per task.", min=0)] = 0.5,
    max_repeats: Annotated[
        int,
        typer.Option(
            "--max-repeats",
            help="The same call with the same result this many times in a row ends a task (0: never).",
            min=0,
        ),
    ] = 3,
    temperature: TemperatureOpt = 0.0,
    max_tokens: Annotated[
        int | None,
        typer.Option("--max-tokens", help="Tokens per reply (default: config).", min=1),
    ] = None,
    concurrency: ConcurrencyOpt = None,
    threads: ThreadsOpt = None,
    compare_: CompareOpt = None,
    plot_path: PlotOpt = None,
) -> None:
    """Agentic coding: run the agent on each task headless and check what it did."""
    if compare_ is not None:
        compare_files(compare_[0], compare_[1], plot_path)
        return
    from assistant.eval.agent import RunOptions, TaskError, load_tasks, run_tasks, summarize

    _check_writable(output, "--output")
    _check_writable(plot_path, "--plot")
    root = _default("agent", tasks_dir, "--tasks")
    if root.exists() and not root.is_dir():
        raise fail(f"--tasks {root} is a file; pass a folder of tasks.", 2)
    if sandbox == "host":
        raise fail(
            "--sandbox host cannot run the tasks: there every command needs your explicit "
            "approval and an eval has no one to ask; use docker or bwrap.",
            2,
        )
    if sandbox not in ("docker", "bwrap"):
        raise fail(f"--sandbox {sandbox!r} is not docker or bwrap.", 2)
    try:
        tasks = load_tasks(root)
    except TaskError as exc:
        raise fail(str(exc)) from None
    if task_ids:
        unknown = sorted(set(task_ids) - {t.id for t in tasks})
        if unknown:
            raise fail(f"No task {', '.join(unknown)} in {root}; see its folders.", 2)
        tasks = [t for t in tasks if t.id in task_ids]
    tasks = spread(tasks, limit)
    from assistant.agent.builder import sandbox_unavailable

    # Without its sandbox every tool call would come back as an error and the tasks would
    # still be scored: figures that measure nothing.
    reason = sandbox_unavailable(sandbox)
    if reason:
        raise fail(f"The tasks need the {sandbox} sandbox: {reason}")
    llm = _load_model(model, base_url, threads)
    opts = RunOptions(
        sandbox=sandbox,
        max_steps=max_steps,
        max_wall_s=max_time,
        max_cost_usd=max_cost,
        max_repeats=max_repeats,
        temperature=temperature,
        max_tokens=max_tokens,
        base_url=base_url,
    )
    started = time.monotonic()
    console = Console(stderr=True)
    passed = [0, 0]
    finished: dict[str, Any] = {}
    with _progress(console) as progress:
        bar = progress.add_task(f"eval agent {llm.name}", total=len(tasks), status="")

        def on_result(r: Any) -> None:
            finished[r.id] = r
            passed[0] += r.passed
            passed[1] += 1
            status = f"{passed[0]}/{passed[1]} passed"
            progress.update(bar, advance=1, status=status)
            _log_line(console, passed[1], len(tasks), status, started)

        try:
            ran = _run_interruptible(
                run_tasks(
                    llm,
                    tasks,
                    opts,
                    model_spec=model,
                    concurrency=concurrency,
                    on_result=on_result,
                )
            )
        except TaskError as exc:
            raise fail(str(exc)) from None
    ids = [t.id for t in tasks]
    results = _collected(ran, finished, ids)
    out = _meta(
        "agent",
        llm,
        model,
        started,
        tasks_dir=str(root),
        settings={
            "approval": "auto",
            "sandbox": sandbox,
            "max_steps": max_steps,
            "max_time_s": max_time,
            "max_cost_usd": max_cost,
            "max_repeats": max_repeats,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "threads": getattr(llm, "n_threads", None),
            "call_threshold": getattr(llm, "call_threshold", None),
        },
    )
    summary = summarize(results)
    wall = out.pop("wall_s")
    out.update(summary)
    out["elapsed_s"] = wall
    measured_nothing = summary["n_errors"] == len(results)
    _save(out, "tasks", ids, results, _kept(output) if measured_nothing else output, plot_path)
    if measured_nothing:
        first = next((r.error for r in results if r.error), "unknown error")
        raise fail(f"Every task ended in an error; the first: {first}")


@eval_app.command("calibrate")
def calibrate_cmd(
    data: Annotated[
        Path, typer.Option("--data", "-d", help="Held-out records (a distill val.jsonl).")
    ],
    model: ModelOpt = None,
    output: OutputOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Assistant turns to measure, spread evenly.", min=2)
    ] = 200,
    threads: ThreadsOpt = None,
) -> None:
    """Choose a local model's call threshold: the probability of opening a tool call at
    which a reply opens one, best balanced accuracy on held-out turns."""
    from dataclasses import asdict

    from rich.table import Table

    from assistant.eval.calibrate import CalibrationError, branch_points, choose_threshold
    from assistant.eval.calibrate import score as score_points
    from assistant.eval.calibrate import table as grid

    _check_writable(output, "--output", data)
    try:
        points = branch_points(data, limit)
    except CalibrationError as exc:
        raise fail(str(exc), 2) from None
    except UnicodeDecodeError:
        raise fail(f"--data {data} is not UTF-8 text; pass a distill val.jsonl.", 2) from None
    llm = _load_model(model, None, threads)
    if not hasattr(llm, "call_probability"):
        raise fail(f"{llm.name} is not a local GGUF model; calibrate measures local models.", 2)
    started = time.monotonic()
    console = Console(stderr=True)
    with _progress(console) as progress:
        bar = progress.add_task(f"calibrate {llm.name}", total=len(points), status="")

        measured = [0]

        def on_done(i: int) -> None:
            measured[0] = i
            progress.update(bar, advance=1)
            _log_line(console, i, len(points), "measuring", started)

        try:
            scored = score_points(points, llm.call_probability, on_done)
        except KeyboardInterrupt:
            scored = None
    if scored is None:  # a threshold chosen from some of the turns would mislead
        raise fail(
            f"Interrupted after {measured[0]} of {len(points)} turns; nothing saved, since "
            "the threshold needs every turn (pass --limit for a shorter run).",
            INTERRUPTED_EXIT,
        )
    best = choose_threshold(scored)
    rows = grid(scored)
    view = Table(title=f"{llm.name}: opening a call at the first token, {len(points)} turns")
    for col in ("threshold", "call turns that call", "other turns that do not", "balanced"):
        view.add_column(col, justify="right")
    for row in [*rows, best]:
        mark = " (chosen)" if row is best else ""
        view.add_row(
            f"{row.threshold:.3f}{mark}",
            f"{row.call_recall:.1%}",
            f"{row.abstain_recall:.1%}",
            f"{row.balanced:.1%}",
        )
    Console().print(view)
    out = _meta(
        "calibrate",
        llm,
        model,
        started,
        data=str(data),
        n_turns=len(points),
        n_call_turns=sum(p.calls for p in points),
        threshold=round(best.threshold, 6),
        call_recall=best.call_recall,
        abstain_recall=best.abstain_recall,
        balanced=best.balanced,
        table=[asdict(r) for r in rows],
        scores=[[s.point.record_id, s.point.calls, round(s.p_open, 6)] for s in scored],
    )
    if output is not None:
        from assistant.eval.report import write_results

        write_results(output, out)
        typer.echo(f"wrote {output}")
