"""Intervals and paired tests behind ``assistant eval`` tables, against values worked by hand."""

from __future__ import annotations

import pytest
from rich.console import Console

from assistant.eval.report import tools_table
from assistant.eval.stats import Outcome, mcnemar_p, pairable, paired, wilson_interval


def test_wilson_interval_matches_the_closed_form() -> None:
    # 8 of 10 at 95%: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.95996
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 20)[0] == 0.0 and wilson_interval(0, 20)[1] > 0.1


@pytest.mark.parametrize(
    ("gained", "lost", "p"),
    [(0, 0, 1.0), (3, 1, 0.625), (1, 3, 0.625), (10, 0, 2 / 1024), (6, 6, 1.0)],
)
def test_exact_mcnemar_is_the_two_sided_binomial_on_the_flips(
    gained: int, lost: int, p: float
) -> None:
    assert mcnemar_p(gained, lost) == pytest.approx(p)


def test_paired_counts_only_the_selected_cases_that_flip() -> None:
    a = {
        "x": Outcome("call_single", False, True),
        "y": Outcome("call_single", True, True),
        "z": Outcome("no_call_unrelated", True, False),
    }
    b = {
        "x": Outcome("call_single", True, True),
        "y": Outcome("call_single", True, True),
        "z": Outcome("no_call_unrelated", False, False),
        "only_in_b": Outcome("call_single", True, True),
    }
    ids = pairable(a, b)
    assert ids == ["x", "y", "z"]
    calls = paired(a, b, ids, lambda o: o.needs_call is True)
    assert calls is not None and (calls.n, calls.gained, calls.lost) == (2, 1, 0)
    everything = paired(a, b, ids)
    assert everything is not None and (everything.gained, everything.lost) == (1, 1)
    assert paired(a, b, ids, lambda o: o.category == "nothing") is None


def test_the_tools_table_shows_each_rate_with_its_interval() -> None:
    data = {
        "model": "m",
        "categories": {"call_single": {"n": 10, "passed": 8, "accuracy": 0.8}},
        "n_call_cases": 10,
        "call_accuracy": 0.8,
        "n_abstain_cases": 0,
        "abstain_accuracy": None,
        "n_cases": 10,
        "accuracy": 0.8,
        "n_call_attempts": 9,
        "well_formed_rate": 1.0,
    }
    console = Console(width=160, record=True)
    console.print(tools_table(data))
    text = console.export_text()
    assert text.count("49.0-94.3") == 3  # the category, the call cases and overall
