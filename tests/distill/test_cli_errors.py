"""Bad input ends in one clear sentence, a non-zero exit, and nothing overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.distill.cli import distill_app

runner = CliRunner()


def _run(args: list[str], env: dict[str, str] | None = None):
    return runner.invoke(distill_app, args, env=env or {"ANTHROPIC_API_KEY": "k"})


BASE = ["--num-examples", "2", "--yes", "--quiet"]


def test_unknown_provider(tmp_path: Path) -> None:
    r = _run(["--provider", "gemini", "--output-dir", str(tmp_path / "o"), *BASE])
    assert r.exit_code == 2 and "Unknown provider 'gemini'" in r.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("providers", "ratio", "msg"),
    [
        ("anthropic,openai", "0.5", "2 providers"),
        ("anthropic,openai", "0.7,0.7", "sum to 1"),
        ("anthropic,openai", "a,b", "must be numbers"),
    ],
)
def test_bad_ratios(tmp_path: Path, providers: str, ratio: str, msg: str) -> None:
    r = _run(
        [
            "--providers",
            providers,
            "--mix-ratio",
            ratio,
            "--output-dir",
            str(tmp_path / "o"),
            *BASE,
        ],
        env={"ANTHROPIC_API_KEY": "k", "OPENAI_API_KEY": "k"},
    )
    assert r.exit_code == 2 and msg in r.output


def test_missing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    r = runner.invoke(
        distill_app, ["--provider", "anthropic", "--output-dir", str(tmp_path), *BASE], env={}
    )
    assert r.exit_code == 2 and "ANTHROPIC_API_KEY is not set" in r.output


def test_unwritable_output_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("keep me")
    r = _run(["--provider", "anthropic", "--output-dir", str(blocker / "sub"), *BASE])
    assert r.exit_code == 2 and "Cannot create the output directory" in r.output
    assert blocker.read_text() == "keep me"


def test_malformed_jsonl_from_an_earlier_run_names_the_line(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    good = json.dumps({"id": "a", "messages": [{"role": "user", "content": "x"}], "meta": {}})
    body = good + "\n" + good.replace('"a"', '"b"') + "\n{broken\n"
    (out / "records.jsonl").write_text(body)
    (out / "train.jsonl").write_text("old train\n")
    r = _run(["--provider", "anthropic", "--output-dir", str(out), *BASE])
    assert r.exit_code == 2 and "records.jsonl line 3 is not valid JSON" in r.output
    assert (out / "records.jsonl").read_text() == body
    assert (out / "train.jsonl").read_text() == "old train\n"
    assert sorted(p.name for p in out.iterdir()) == ["records.jsonl", "train.jsonl"]


def test_unknown_category_and_bad_sandbox(tmp_path: Path) -> None:
    r = _run(
        ["--provider", "anthropic", "--categories", "poetry", "--output-dir", str(tmp_path), *BASE]
    )
    assert r.exit_code == 2 and "Unknown category 'poetry'" in r.output
    r = _run(["--provider", "anthropic", "--sandbox", "vm", "--output-dir", str(tmp_path), *BASE])
    assert r.exit_code == 2 and "--sandbox must be one of docker, host" in r.output


def test_cost_above_threshold_needs_yes(tmp_path: Path) -> None:
    r = _run(
        [
            "--provider",
            "anthropic",
            "--model",
            "claude-opus-4-1",
            "--num-examples",
            "5000",
            "--output-dir",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    assert r.exit_code == 2 and "pass --yes to confirm" in r.output
    assert not (tmp_path / "o" / "records.jsonl").exists()


def test_a_paid_teacher_without_a_known_price_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    r = _run(
        [
            "--provider",
            "openai",
            "--model",
            "house-model-9",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--output-dir",
            str(out),
            *BASE,
        ],
        env={"OPENAI_API_KEY": "k"},
    )
    assert r.exit_code == 2
    assert "No price is known for house-model-9" in r.output and "--price-in" in r.output
    assert not out.exists()
    r = _run(
        [
            "--provider",
            "openai",
            "--model",
            "house-model-9",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--price-in",
            "1",
            "--output-dir",
            str(out),
            *BASE,
        ],
        env={"OPENAI_API_KEY": "k"},
    )
    assert r.exit_code == 2 and "both --price-in and --price-out" in r.output


def test_bad_task_mix(tmp_path: Path) -> None:
    r = _run(
        [
            "--provider",
            "scripted",
            "--task-mix",
            "calls=1",
            "--output-dir",
            str(tmp_path / "o"),
            *BASE,
        ]
    )
    assert r.exit_code == 2 and "--task-mix names 'calls'" in r.output


@pytest.mark.parametrize(
    ("flag", "value", "bound"),
    [
        ("--max-steps", "0", "greater than or equal to 1"),
        ("--max-tokens", "0", "greater than or equal to 1"),
        ("--max-attempts", "0", "greater than or equal to 1"),
        ("--temperature", "-1", "greater than or equal to 0"),
        ("--rate", "-1", "greater than or equal to 0"),
    ],
)
def test_out_of_range_numbers_are_refused_before_any_task(
    tmp_path: Path, flag: str, value: str, bound: str
) -> None:
    """They used to be taken: --max-steps 0 ran every task to a rejection (paid for, with
    a cloud teacher), --max-attempts 0 fell back to the default."""
    out = tmp_path / "o"
    r = _run(["--provider", "scripted", "--output-dir", str(out), flag, value, *BASE])
    text = " ".join(r.output.replace("│", " ").split())  # the usage box wraps the sentence
    assert r.exit_code == 2, r.output
    assert f"Invalid value for '{flag}'" in text and bound in text
    assert not out.exists()


def test_an_error_holding_brackets_is_printed_as_written(tmp_path: Path) -> None:
    """Error text (a value echoed back, a teacher's error body) was read as Rich markup:
    '[/]' ended in a MarkupError traceback, '[bold]' vanished."""
    args = ["--provider", "scripted", "--output-dir", str(tmp_path / "o"), *BASE]
    r = _run([*args, "--task-mix", "[/]bad=1"])
    assert r.exit_code == 2 and "--task-mix names '[/]bad'" in r.output, r.output
    r = _run([*args, "--task-mix", "[bold]x[/bold]=1"])
    assert r.exit_code == 2 and "'[bold]x[/bold]'" in r.output, r.output


def test_a_teachers_error_with_brackets_is_noted_as_written() -> None:
    """A task's failure (an LLMError carrying the server's body) is noted as it came: '[/]'
    raised a MarkupError inside the worker's except block and ended the run."""
    from types import SimpleNamespace

    from rich.console import Console

    from assistant.distill.runner import Distiller

    console = Console(record=True, width=200)
    Distiller.note(SimpleNamespace(console=console), 'task 3 failed: {"error": "bad [/] [bold]x"}')  # type: ignore[arg-type]
    assert 'task 3 failed: {"error": "bad [/] [bold]x"}' in console.export_text()


@pytest.mark.parametrize("url", ["notaurl", "openai=localhost:8000"])
def test_a_base_url_without_a_scheme_names_the_flag(tmp_path: Path, url: str) -> None:
    """It used to be named only when the first teacher's request was built, and the message
    sent the user to the agent's settings (llm.base_url, ASSISTANT_BASE_URL), which distill
    does not read."""
    r = _run(
        ["--provider", "openai", "--base-url", url, "--output-dir", str(tmp_path / "o"), *BASE],
        env={"OPENAI_API_KEY": "k"},
    )
    shown = url.removeprefix("openai=")
    assert r.exit_code == 2, r.output
    assert f"The base URL {shown!r} is not an http:// or https:// address; set --base-url" in (
        r.output
    )
    assert "ASSISTANT_BASE_URL" not in r.output and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("extra", "msg"),
    [
        (["--model", "foo"], "The scripted teacher uses no --model; drop it"),
        (["--batch"], "The scripted teacher uses no --batch; drop it"),
        (["--model", "foo", "--batch"], "uses no --model or --batch; drop them"),
    ],
)
def test_options_the_scripted_teacher_ignores_are_refused(
    tmp_path: Path, extra: list[str], msg: str
) -> None:
    """They were taken silently and written to metadata.json as if they had been used."""
    out = tmp_path / "o"
    r = _run(["--provider", "scripted", "--output-dir", str(out), *extra, *BASE])
    assert r.exit_code == 2 and msg in r.output, r.output
    assert r.output.count("error:") == 1
    assert not out.exists()
