"""Results files, terminal tables, side-by-side comparison and the comparison plot.

A results file (``--output``) is one JSON object: ``kind`` (``tools`` or ``agent``),
the model and settings, the headline numbers (``accuracy``, ``categories`` with an
``accuracy`` each, and for tools ``well_formed_rate`` and ``failure_reasons``), and
the per-case (``cases``) or per-task (``tasks``) results. ``partial`` is true for a run
stopped before it finished (with ``n_planned`` and the ``unfinished`` ids); such a file
is shown, never compared.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from assistant.eval.stats import Outcome, Paired, outcomes, pairable, paired, wilson_interval
from assistant.tools.paths import atomic_write_text


class ResultsError(ValueError):
    """A results file cannot be read; the message names it and the fix."""


def write_results(path: Path, data: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def load_results(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(
            f"Results file {path} does not exist; write one with `assistant eval tools "
            "--output` first."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(
            f"Results file {path} is not a readable JSON file ({exc}); pass a file written "
            "by `assistant eval ... --output`."
        ) from None
    if not isinstance(data, dict) or "categories" not in data or "accuracy" not in data:
        raise ResultsError(
            f"Results file {path} has no accuracy or categories; pass a file written by "
            "`assistant eval ... --output`."
        )
    if "partial" in data and data["partial"] is not False:
        raise ResultsError(
            f"Results file {path} holds a partial run ({_partial_note(data)}), whose rates "
            "cover only the part that finished; compare complete runs (run it again to "
            "the end)."
        )
    problem = _shape_problem(data)
    if problem:
        raise ResultsError(
            f"Results file {path} is damaged ({problem}); pass a file written by "
            "`assistant eval ... --output`, or write it again."
        )
    return data


def _partial_note(data: dict[str, Any]) -> str:
    """``interrupted after 20 of 33``, or ``partial`` when the file does not say."""
    planned, unfinished = data.get("n_planned"), data.get("unfinished")
    if isinstance(planned, int) and isinstance(unfinished, list):
        return f"interrupted after {planned - len(unfinished)} of {planned}"
    return "partial"


def _title(kind: str, data: dict[str, Any]) -> str:
    title = f"eval {kind}: {data.get('model', '?')}"
    return title + (f" [PARTIAL: {_partial_note(data)}]" if data.get("partial") else "")


def _is_rate(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What in a results file the comparison could not read, or None."""
    cats = data["categories"]
    if not isinstance(cats, dict) or not all(isinstance(r, dict) for r in cats.values()):
        return "categories is not an object of categories"
    if not all(_is_rate(r.get("accuracy")) for r in cats.values()):
        return "a category's accuracy is not a number"
    bad = [key for _label, key in _HEADLINES if key in data and not _is_rate(data[key])]
    if bad:
        return f"{bad[0]} is not a number"
    for key in ("cases", "tasks"):
        if key in data and not isinstance(data[key], list):
            return f"{key} is not a list"
    return None


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _diff(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return ""
    d = 100 * (b - a)
    colour = "green" if d > 0 else "red" if d < 0 else "dim"
    return f"[{colour}]{d:+.1f}[/]"


def tools_table(data: dict[str, Any]) -> Table:
    table = Table(title=_title("tools", data), show_footer=False)
    table.add_column("category")
    table.add_column("cases", justify="right")
    table.add_column("passed", justify="right")
    table.add_column("accuracy", justify="right")
    table.add_column("95% interval", justify="right")
    for cat, row in data["categories"].items():
        table.add_row(
            cat,
            str(row["n"]),
            str(row["passed"]),
            pct(row["accuracy"]),
            interval(row["accuracy"], row["n"]),
        )
    table.add_section()
    for label, n_key, rate_key in (
        ("cases that need a call", "n_call_cases", "call_accuracy"),
        ("cases where no call is right", "n_abstain_cases", "abstain_accuracy"),
    ):
        n, rate = data[n_key], data[rate_key]
        table.add_row(label, str(n), "", pct(rate), interval(rate, n))
    table.add_row(
        "[bold]overall[/]",
        str(data["n_cases"]),
        str(sum(r["passed"] for r in data["categories"].values())),
        f"[bold]{pct(data['accuracy'])}[/]",
        interval(data["accuracy"], data["n_cases"]),
    )
    table.add_row(
        "well-formed calls", str(data["n_call_attempts"]), "", pct(data["well_formed_rate"]), ""
    )
    return table


def interval(rate: float | None, n: int) -> str:
    """The 95% Wilson interval of a pass rate over ``n`` cases, in percent."""
    if rate is None or not n:
        return ""
    low, high = wilson_interval(round(rate * n), n)
    return f"{100 * low:.1f}-{100 * high:.1f}"


def reasons_table(data: dict[str, Any]) -> Table:
    table = Table(title="failure reasons")
    table.add_column("reason")
    table.add_column("cases", justify="right")
    for reason, n in data.get("failure_reasons", {}).items():
        table.add_row(reason, str(n))
    return table


_SHORT = {
    "inspection": "inspect",
    "tool_use": "tool use",
    "debugging": "debug",
    "test_generation": "testgen",
    "documentation": "docs",
}


def _k(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 10_000 else str(n)


def agent_table(data: dict[str, Any]) -> Table:
    """One row per task, then pass rate per category and the totals."""
    table = Table(title=_title("agent", data))
    widest = max((len(t["id"]) for t in data["tasks"]), default=4)
    table.add_column("task", no_wrap=True, min_width=min(widest, 28))
    with_cost = data["usage"]["cost_usd"] > 0
    cols = ["kind", "result", "steps", "tokens", "wall s"] + (["cost $"] if with_cost else [])
    for col in cols:
        left = col in ("kind", "result")
        table.add_column(col, justify="left" if left else "right", no_wrap=True)

    def row(name: str, kind: str, result: str, steps: str, usage: dict, wall: float) -> None:
        tokens = f"{_k(usage['input_tokens'])}/{_k(usage['output_tokens'])}"
        cost = [f"{usage['cost_usd']:.4f}"] if with_cost else []
        table.add_row(name, kind, result, steps, tokens, f"{wall:.1f}", *cost)

    for t in data["tasks"]:
        mark = "[green]pass[/]" if t["passed"] else "[red]fail[/]"
        if t["ended"] != "done":
            mark += f" ({t['ended']})"
        planted = any(c["kind"] == "no_repository" for c in t["checks"])
        if planted or t.get("warnings"):  # older result files have no warnings
            mark += " [yellow](repository planted)[/]"
        kind = _SHORT.get(t["category"], t["category"])
        row(t["id"], kind, mark, str(t["steps"]), t["usage"], t["wall_s"])
    table.add_section()
    for cat, r in data["categories"].items():
        cells = [cat, "", f"{r['passed']}/{r['n']} ({pct(r['accuracy'])})"]
        table.add_row(*cells, *[""] * (len(cols) - 2))
    overall = f"[bold]{pct(data['accuracy'])}[/]"
    row("[bold]overall[/]", "", overall, str(data["steps"]), data["usage"], data["wall_s"])
    return table


def print_results(console: Console, data: dict[str, Any]) -> None:
    if data.get("kind") == "agent":
        console.print(agent_table(data))
        return
    console.print(tools_table(data))
    if data.get("failure_reasons"):
        console.print(reasons_table(data))


_HEADLINES = (
    ("overall", "accuracy"),
    ("needs a call", "call_accuracy"),
    ("no call is right", "abstain_accuracy"),
    ("well-formed calls", "well_formed_rate"),
)


def compare_rows(
    a: dict[str, Any], b: dict[str, Any]
) -> list[tuple[str, float | None, float | None]]:
    """(label, A, B) for every category in either file, then the headline numbers."""
    cats = list(dict.fromkeys([*a["categories"], *b["categories"]]))
    rows = [
        (
            cat,
            a["categories"].get(cat, {}).get("accuracy"),
            b["categories"].get(cat, {}).get("accuracy"),
        )
        for cat in cats
    ]
    for label, key in _HEADLINES:
        if key in a or key in b:
            rows.append((label, a.get(key), b.get(key)))
    return rows


_SELECTORS: dict[str, Callable[[Outcome], bool]] = {
    "overall": lambda o: True,
    "needs a call": lambda o: o.needs_call is True,
    "no call is right": lambda o: o.needs_call is False,
}


def compare_flips(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Paired]:
    """Per row label of ``compare_rows``: the cases that flip from A to B, with the
    exact McNemar p-value. Empty when the files hold no per-case results to pair."""
    oa, ob = outcomes(a), outcomes(b)
    ids = pairable(oa, ob)
    if not ids:
        return {}
    flips: dict[str, Paired] = {}
    for label, _va, _vb in compare_rows(a, b):
        keep = _SELECTORS.get(label)
        if keep is None and label in a["categories"] and label in b["categories"]:
            keep = _category_is(label)
        result = paired(oa, ob, ids, keep) if keep is not None else None
        if result is not None:
            flips[label] = result
    return flips


def _category_is(category: str) -> Callable[[Outcome], bool]:
    return lambda o: o.category == category


def compare_verdict(a: dict[str, Any], b: dict[str, Any]) -> str:
    """One sentence on whether B differs from A beyond chance, over the cases both hold."""
    oa, ob = outcomes(a), outcomes(b)
    if not oa or not ob:
        return (
            "No per-case results in "
            + ("either file" if not oa and not ob else "A" if not oa else "B")
            + ", so the runs are compared by rates only."
        )
    overall = paired(oa, ob, pairable(oa, ob))
    if overall is None:
        return (
            "The two files hold different cases (no id in both, or one under another "
            "category in each), so the runs are compared by rates only."
        )
    reading = (
        "a difference this lopsided comes up by chance less than 1 time in 20"
        if overall.p_value < 0.05
        else "a split like this comes up by chance more than 1 time in 20, so the "
        "difference may be noise"
    )
    return (
        f"Paired on the {overall.n} cases both files hold: B passes {overall.gained} that A "
        f"fails and fails {overall.lost} that A passes (exact McNemar p = "
        f"{overall.p_value:.3g}); {reading}."
    )


_RUN_BOUND = ("threads", "call_threshold", "limit", "category")
"""Settings a comparison does not flag: they do not change a reply (threads), belong to
the model compared (call_threshold), or change the cases, which are compared apart."""


def compare_kinds(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """Why the two files cannot be compared at all (an eval tools and an eval agent
    run), or None."""
    ka, kb = a.get("kind"), b.get("kind")
    if ka and kb and ka != kb:
        return (
            f"A holds `assistant eval {ka}` results and B `assistant eval {kb}` results; "
            "compare two files of the same kind."
        )
    return None


def compare_notes(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Sentences on what makes the two runs' rates unlike: other cases, other settings."""
    notes = []
    oa, ob = outcomes(a), outcomes(b)
    unit = "tasks" if a.get("kind") == "agent" else "cases"
    if oa and ob and set(oa) != set(ob):
        both = len(set(oa) & set(ob))
        notes.append(
            f"Note: the files hold different {unit} (A {len(oa)}, B {len(ob)}, {both} in "
            f"both), so each rate above is over its own file's {unit}; only the paired "
            "figures compare like with like."
        )
    elif not (oa and ob):
        na, nb = (d.get("n_cases", d.get("n_tasks")) for d in (a, b))
        if na is not None and nb is not None and na != nb:
            notes.append(
                f"Note: the files hold different numbers of {unit} (A {na}, B {nb}), so "
                "the rates above are over different sets."
            )
    for name, data in (("A", a), ("B", b)):
        errors, total = data.get("n_errors"), data.get("n_cases", data.get("n_tasks"))
        if isinstance(errors, int) and errors > 0:
            notes.append(
                f"Note: {errors} of {total} {unit} in {name} ended in an error (the backend "
                "or the sandbox failed) and count as failures, not as the model's answers."
            )
    sa, sb = a.get("settings"), b.get("settings")
    if isinstance(sa, dict) and isinstance(sb, dict):
        differ = [
            f"{key} {sa.get(key)!r} against {sb.get(key)!r}"
            for key in dict.fromkeys([*sa, *sb])
            if key not in _RUN_BOUND and sa.get(key) != sb.get(key)
        ]
        if differ:
            notes.append(
                "Note: the runs used other settings ("
                + ", ".join(differ)
                + "), so a difference may come from them rather than the models."
            )
    return notes


def _flip_cells(flip: Paired | None) -> tuple[str, str]:
    if flip is None:
        return "", ""
    return f"+{flip.gained} / -{flip.lost}", f"{flip.p_value:.2g}"


def compare_table(a: dict[str, Any], b: dict[str, Any], a_name: str, b_name: str) -> Table:
    table = Table(title=f"A = {a.get('model', a_name)}   B = {b.get('model', b_name)}")
    table.add_column("category", no_wrap=True)
    table.add_column(f"A ({a_name})", justify="right")
    table.add_column(f"B ({b_name})", justify="right")
    table.add_column("B - A", justify="right")
    flips = compare_flips(a, b)
    if flips:
        table.add_column("flips +/-", justify="right", no_wrap=True)
        table.add_column("p", justify="right")
    n_cats = len(set(a["categories"]) | set(b["categories"]))
    for i, (label, va, vb) in enumerate(compare_rows(a, b)):
        if i == n_cats:
            table.add_section()
        cells = [label, pct(va), pct(vb), _diff(va, vb)]
        if flips:
            cells += _flip_cells(flips.get(label))
        table.add_row(*cells)
    return table


def compare_markdown(a: dict[str, Any], b: dict[str, Any], a_name: str, b_name: str) -> str:
    """The comparison as a Markdown table (for the README)."""
    flips = compare_flips(a, b)
    extra_head = " flips +/- | p (McNemar) |" if flips else ""
    extra_rule = "---:|---:|" if flips else ""
    lines = [
        f"| category | {a.get('model', a_name)} | {b.get('model', b_name)} | difference |"
        + extra_head,
        "|---|---:|---:|---:|" + extra_rule,
    ]
    for label, va, vb in compare_rows(a, b):
        diff = "" if va is None or vb is None else f"{100 * (vb - va):+.1f}"
        line = f"| {label} | {pct(va)} | {pct(vb)} | {diff} |"
        if flips:
            line += " {} | {} |".format(*_flip_cells(flips.get(label)))
        lines.append(line)
    return "\n".join(lines) + "\n"


def plot(path: Path, runs: list[tuple[str, dict[str, Any]]]) -> None:
    """Grouped bars: accuracy per category (and overall) for each run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = list(dict.fromkeys(c for _, d in runs for c in d["categories"]))
    heads = [(lbl, key) for lbl, key in _HEADLINES[1:3] if any(key in d for _, d in runs)]
    heads.append(_HEADLINES[0])
    labels = [*cats, *(lbl for lbl, _ in heads)]
    width = 0.8 / max(1, len(runs))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(labels) + 2), 4.5))
    for i, (name, data) in enumerate(runs):
        values = [100 * (data["categories"].get(c, {}).get("accuracy") or 0) for c in cats]
        values += [100 * (data.get(key) or 0) for _, key in heads]
        xs = [x + (i - (len(runs) - 1) / 2) * width for x in range(len(labels))]
        model = data.get("model")
        bars = ax.bar(xs, values, width, label=f"{name}: {model}" if model else name)
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    kind = runs[0][1].get("kind", "tools") if runs else "tools"
    ax.set_title(f"assistant eval {kind}: accuracy per category")
    ax.legend(fontsize=8)
    fig.tight_layout()
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(path)
