"""``assistant train`` with wrong files and out-of-range values, as a real process: one
sentence, exit 1, no traceback, and --out left as it was (the model never loads)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RECORD = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(RECORD) + "\n")
    return path


def train(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "train", *args],
        cwd=cwd,
        env=env | {"ASSISTANT_CONFIG": str(cwd / "none.toml")},
        capture_output=True,
        text=True,
        timeout=300,
    )


def refused(out: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    (line,) = [x for x in out.stderr.splitlines() if x.startswith("error: ")]
    for fragment in fragments:
        assert fragment in line, out.stderr


@pytest.mark.parametrize(
    ("config", "fragments"),
    [
        (None, ("Cannot read the config file conf (Is a directory)", "--config")),
        (b"\xff\xfe: 1\n", ("The config file conf is not UTF-8", "save it as UTF-8")),
        (b"learning_rate: -1\n", ("conf: learning_rate: Input should be greater than",)),
        (b"per_device_train_batch_size: 0\n", ("per_device_train_batch_size",)),
        (b"lora_dropout: 1.5\n", ("lora_dropout",)),
    ],
)
def test_a_bad_config_file_is_named(
    tmp_path: Path, data: Path, config: bytes | None, fragments: tuple[str, ...]
) -> None:
    """A folder or non-UTF-8 file used to end in a traceback; a negative learning rate or
    a zero batch size in one only after the model loaded, with --out half written."""
    conf = tmp_path / "conf"
    conf.mkdir() if config is None else conf.write_bytes(config)
    out = train(["--data", str(data), "--out", "run", "--config", "conf"], tmp_path)
    refused(out, *fragments)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("flags", "fragment"),
    [
        (["--batch-size", "0"], "per_device_train_batch_size: Input should be greater"),
        (["--max-steps", "0"], "max_steps: Value error, 0 steps train nothing"),
        (["--epochs", "0"], "num_train_epochs: Input should be greater than 0"),
    ],
)
def test_out_of_range_flags_are_named(
    tmp_path: Path, data: Path, flags: list[str], fragment: str
) -> None:
    """--batch-size 0 used to end in a ZeroDivisionError after the model loaded."""
    out = train(["--data", str(data), "--out", "run", *flags], tmp_path)
    refused(out, "the command-line flags", fragment)
    assert not (tmp_path / "run").exists()


def test_a_missing_validation_file_is_named(tmp_path: Path, data: Path) -> None:
    out = train(["--data", str(data), "--out", "run", "--val", "nope.jsonl"], tmp_path)
    refused(out, "Cannot read nope.jsonl (No such file or directory)", ".jsonl file")
    assert not (tmp_path / "run").exists()


def test_an_out_that_is_a_file_is_named_and_kept(tmp_path: Path, data: Path) -> None:
    (tmp_path / "run").write_text("keep")
    out = train(["--data", str(data), "--out", "run"], tmp_path)
    refused(out, "--out run is a file; pass a directory")
    assert (tmp_path / "run").read_text() == "keep"


def test_an_out_that_cannot_be_made_is_named(tmp_path: Path, data: Path) -> None:
    (tmp_path / "afile").write_text("keep")
    out = train(["--data", str(data), "--out", "afile/run"], tmp_path)
    refused(out, "Cannot create --out afile/run (Not a directory)")
    assert (tmp_path / "afile").read_text() == "keep"


def test_export_names_an_adapter_that_is_a_file(tmp_path: Path) -> None:
    """It used to say the file "does not exist"."""
    (tmp_path / "run").write_text("keep")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "export", "--adapter", "run", "--out", "m.gguf"],
        cwd=tmp_path,
        env=env | {"ASSISTANT_CONFIG": str(tmp_path / "none.toml")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    refused(out, "The adapter directory run is a file, not a directory")
    assert not (tmp_path / "m.gguf").exists()


def export(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "export", "--no-validate", "--no-alias", *args],
        cwd=cwd,
        env=env | {"ASSISTANT_CONFIG": str(cwd / "none.toml")},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("kept", ["notes.txt", "config.json"])
def test_export_hf_refuses_to_replace_a_folder_that_is_not_an_export(
    tmp_path: Path, kept: str
) -> None:
    """--format hf replaces --out as a whole: it used to delete any folder given there, and
    then any that had a config.json (another model's folder, the --base model's own)."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / kept).write_text("keep")
    out = export(["--format", "hf", "--out", "mine"], tmp_path)
    refused(out, "--out mine exists and is not an earlier --format hf export")
    assert (tmp_path / "mine" / kept).read_text() == "keep"


@pytest.mark.parametrize("written_by", ["marker", "older-jinja", "older-tokenizer-config"])
def test_export_hf_takes_an_earlier_export_as_out(tmp_path: Path, written_by: str) -> None:
    """A folder an earlier export wrote (it holds the marker, or, from before the marker,
    the project's chat template) may be replaced: the check passes, and the export stops
    at the adapter, which here holds nothing."""
    from assistant.training.chat_template import CHAT_TEMPLATE
    from assistant.training.export import HF_EXPORT_MARKER

    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "config.json").write_text("{}")
    if written_by == "marker":
        (earlier / HF_EXPORT_MARKER).write_text("{}")
    elif written_by == "older-jinja":
        (earlier / "chat_template.jinja").write_text(CHAT_TEMPLATE)
    else:
        (earlier / "tokenizer_config.json").write_text(json.dumps({"chat_template": CHAT_TEMPLATE}))
    (tmp_path / "run").mkdir()
    out = export(["--adapter", "run", "--format", "hf", "--out", "earlier"], tmp_path)
    refused(out, "run holds neither a LoRA adapter (adapter_config.json) nor a model")


def test_export_gguf_names_an_out_that_is_a_folder_or_under_a_file(tmp_path: Path) -> None:
    """Both used to fail with a traceback after the merge and conversion."""
    (tmp_path / "models").mkdir()
    refused(export(["--out", "models"], tmp_path), "--out models is a folder; pass a file path")
    (tmp_path / "afile").write_text("keep")
    out = export(["--out", "afile/m.gguf", "--format", "lora-gguf"], tmp_path)
    refused(out, "Cannot create the folder of --out afile/m.gguf (File exists)")
    assert (tmp_path / "afile").read_text() == "keep"


def test_resume_of_a_run_that_is_not_there_is_refused(tmp_path: Path, data: Path) -> None:
    """It used to start a fresh run in --out without a word."""
    out = train(["--data", str(data), "--out", "run", "--resume"], tmp_path)
    refused(out, "--resume: run holds no training run to continue")
    assert not (tmp_path / "run").exists()


def _finished_run(run: Path, *, checkpoint: int | None) -> None:
    """A run folder as `assistant train` leaves it after 4 steps (files only, no weights)."""
    run.mkdir()
    (run / "config.yaml").write_text("max_steps: 4\nlearning_rate: 0.0002\n")
    (run / "summary.json").write_text(json.dumps({"out": str(run), "steps": 4, "tokens": 9}))
    if checkpoint is not None:
        state = run / "checkpoints" / f"step-{checkpoint:06d}" / "state.json"
        state.parent.mkdir(parents=True)
        state.write_text(json.dumps({"step": checkpoint}))


@pytest.mark.parametrize("checkpoint", [None, 2])
def test_resume_of_a_finished_run_without_its_last_checkpoint_is_refused(
    tmp_path: Path, data: Path, checkpoint: int | None
) -> None:
    """It trained again from step 0 (or from the older checkpoint) over the finished
    adapter, without a word."""
    _finished_run(tmp_path / "run", checkpoint=checkpoint)
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "run").rglob("*"))
    out = train(["--data", str(data), "--out", "run", "--resume", "--max-steps", "8"], tmp_path)
    refused(out, "--resume: run finished at step 4 without a checkpoint of that step")
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "run").rglob("*")) == before


def test_resume_with_a_config_that_differs_says_the_saved_one_is_kept(
    tmp_path: Path, data: Path
) -> None:
    """--config was read and then replaced by the run's own config.yaml, silently. It is
    no error (a run started with --config X --lr 1e-4 resumes with --config X); the run
    here has no weights, so it ends with the checkpoint it cannot load (one sentence: it
    was a FileNotFoundError traceback), after the note."""
    _finished_run(tmp_path / "run", checkpoint=4)
    (tmp_path / "new.yaml").write_text("max_steps: 4\nlearning_rate: 0.5\n")
    out = train(["--data", str(data), "--out", "run", "--resume", "--config", "new.yaml"], tmp_path)
    assert "note: new.yaml differs from the run's config.yaml in learning_rate" in out.stderr
    assert "a resumed run keeps its saved settings" in out.stderr
    refused(out, "The checkpoint run/checkpoints/step-000004 lacks trainable.safetensors and")


@pytest.mark.parametrize("out_arg", ["exp", "link", "exp/../exp"])
def test_export_hf_refuses_an_out_that_holds_the_adapter_however_it_is_named(
    tmp_path: Path, out_arg: str
) -> None:
    """The folder holding the adapter, given relative while --adapter is absolute, or by a
    symlink, used to pass the check (an earlier export's config.json let it through) and
    would have been deleted when the export replaced it."""
    (tmp_path / "exp" / "run").mkdir(parents=True)
    (tmp_path / "exp" / "config.json").write_text("{}")
    (tmp_path / "link").symlink_to("exp")
    adapter = str(tmp_path / "exp" / "run")
    out = export(["--adapter", adapter, "--format", "hf", "--out", out_arg], tmp_path)
    refused(out, f"--out {out_arg} holds the adapter; pass a new folder")
    assert (tmp_path / "exp" / "run").is_dir() and (tmp_path / "exp" / "config.json").is_file()


def test_export_hf_takes_an_empty_folder_as_out(tmp_path: Path) -> None:
    """An empty --out has nothing to lose; it was refused as "not an earlier export". The
    export goes on to read the adapter, which here holds nothing, and stops there."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "run").mkdir()
    out = export(["--adapter", "run", "--format", "hf", "--out", "empty"], tmp_path)
    refused(out, "run holds neither a LoRA adapter (adapter_config.json) nor a model")
    assert (tmp_path / "empty").is_dir()


def test_a_resumed_runs_own_config_file_changes_nothing(tmp_path: Path) -> None:
    """make_model resumes a stage with --config and the stage's file; the run it started with
    --init-from saved init_from, which that file never names: not a change."""
    from assistant.training.train import config_differences

    (tmp_path / "stage.yaml").write_text("max_steps: 60\nlearning_rate: 0.0001\n")
    saved = tmp_path / "config.yaml"
    saved.write_text("max_steps: 60\nlearning_rate: 0.0001\ninit_from: runs/stage5\n")
    assert config_differences(tmp_path / "stage.yaml", saved) == {}
    (tmp_path / "longer.yaml").write_text("max_steps: 90\nlearning_rate: 0.0002\n")
    assert config_differences(tmp_path / "longer.yaml", saved) == {
        "learning_rate": 0.0002,
        "max_steps": 90,
    }
    assert config_differences(tmp_path / "longer.yaml", saved, exclude={"max_steps"}) == {
        "learning_rate": 0.0002
    }
