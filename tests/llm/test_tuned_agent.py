"""The shipped tuned default, asked the two questions a new user asks in a small
repository, through ``assistant eval agent``: the agent loop, its tools and the real
Docker sandbox. It must look before it answers, and answer from what it saw.

The names are ones a model cannot guess (the untuned default, asked the first question,
invents five functions), and the checks read the final answer and the tools it used. The
second answer must name the failing test and none of the passing ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.llm import tuned
from tests.eval.helpers import threads_flag

pytestmark = [
    pytest.mark.slow,
    pytest.mark.docker,
    pytest.mark.usefixtures("docker_ready"),
    pytest.mark.skipif(tuned.shipped() is None, reason="this build bundles no tuned adapter"),
]

CALC = """\
def add_tax(amount, rate):
    return amount * (1 + rate)


def round_to_cents(amount):
    return round(amount, 2)


def split_bill(total, people):
    return total // people
"""

TEST_CALC = """\
import unittest

from calc import add_tax, round_to_cents, split_bill


class CalcTest(unittest.TestCase):
    def test_add_tax(self):
        self.assertEqual(add_tax(100, 0.5), 150)

    def test_split_bill_shares_evenly(self):
        self.assertEqual(split_bill(10, 4), 2.5)

    def test_round_to_cents(self):
        self.assertEqual(round_to_cents(1.234), 1.23)


if __name__ == "__main__":
    unittest.main()
"""

TASKS = {
    "calc-functions": (
        "What functions are defined in calc.py?",
        ["add_tax", "round_to_cents", "split_bill"],
        [],
        {"read_file", "grep"},
    ),
    "calc-failing-test": (
        "Run the tests and tell me which one fails.",
        ["test_split_bill_shares_evenly"],
        ["test_add_tax", "test_round_to_cents"],  # an answer naming every test is no answer
        {"run_shell"},
    ),
}


def _write_task(root: Path, name: str) -> None:
    instruction, names, wrong, _ = TASKS[name]
    workspace = root / name / "workspace"
    workspace.mkdir(parents=True)
    (workspace / "calc.py").write_text(CALC)
    (workspace / "test_calc.py").write_text(TEST_CALC)
    checks = [{"kind": "answer_contains", "text": n} for n in names]
    checks += [{"kind": "answer_lacks", "text": n} for n in wrong]
    task = {"category": "inspection", "instruction": instruction, "checks": checks}
    (root / name / "task.json").write_text(json.dumps(task))


@pytest.mark.parametrize("name", ["calc-functions", "calc-failing-test"])
def test_the_tuned_default_looks_before_it_answers(tmp_path: Path, name: str) -> None:
    tasks = tmp_path / "tasks"
    _write_task(tasks, name)
    out = tmp_path / "tuned-agent.json"
    args = ["--tasks", str(tasks), "--model", "local", "--max-steps", "4"]

    result = CliRunner().invoke(
        app, ["eval", "agent", *args, "--output", str(out), *threads_flag()]
    )

    assert result.exit_code == 0, result.output
    [task] = json.loads(out.read_text())["tasks"]
    tools = TASKS[name][3]
    assert tools & set(task["tool_calls"]), f"{name}: used {task['tool_calls']}"
    assert task["passed"], f"{name}: answered {task['answer']!r}"
