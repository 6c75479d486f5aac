"""``assistant train``: resume after SIGKILL ends at the same weights, full fine-tuning,
what the output directory keeps, and the one-sentence errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.training.records import write_run_inputs

CONFIG = """\
max_steps: 4
per_device_train_batch_size: 2
save_steps: 1
save_total_limit: 3
eval_steps: 2
max_eval_samples: 2
learning_rate: 1.0e-3
lora_r: 8
lora_dropout: 0.1
seed: 3
"""


def _train(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "train", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    return write_run_inputs(tmp_path, 12, 2, CONFIG)


def _weights(run: Path) -> dict:
    from safetensors.numpy import load_file

    return load_file(str(run / "adapter" / "adapter_model.safetensors"))


@pytest.mark.slow
def test_resume_after_sigkill_reaches_the_same_weights(small, tmp_path):
    data, config = small
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    args = ["--data", str(data), "--config", str(config)]
    proc = _train([*args, "--out", str(straight)])
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out

    proc = _train([*args, "--out", str(killed)])
    deadline = time.monotonic() + 900
    while not (killed / "checkpoints" / "step-000002" / "state.json").exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.monotonic() < deadline
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "adapter").exists()

    again = _train([*args, "--out", str(killed)])  # without --resume: refused, nothing touched
    out, _ = again.communicate(timeout=300)
    assert again.returncode == 1 and "pass --resume" in out

    resumed = _train([*args, "--out", str(killed), "--resume"])
    out, _ = resumed.communicate(timeout=900)
    assert resumed.returncode == 0, out
    assert "Resuming from step-00000" in out

    a, b = _weights(straight), _weights(killed)
    assert a.keys() == b.keys() and len(a) > 0
    for name in a:
        assert (a[name] == b[name]).all(), name
    steps = [json.loads(x)["step"] for x in (killed / "metrics.jsonl").read_text().splitlines()]
    assert [s for s in steps if s] == sorted(
        s for s in steps if s
    )  # no duplicated tail after resume

    refused = _train([*args, "--out", str(killed), "--resume", "--lr", "0.5"])
    out, _ = refused.communicate(timeout=300)
    assert refused.returncode == 1 and "--lr cannot change when resuming" in out, out
    extended = _train([*args, "--out", str(killed), "--resume", "--max-steps", "5"])
    out, _ = extended.communicate(timeout=900)
    assert extended.returncode == 0, out
    # From the finished run's last step, kept as a checkpoint (it went back to step 3 and
    # trained step 4 again; a run shorter than save_steps started over from step 0).
    assert "Resuming from step-000004" in out, out
    assert json.loads((killed / "summary.json").read_text())["steps"] == 5
    assert "max_steps: 5" in (killed / "config.yaml").read_text()
    # Resumed again with its own --config (max_steps: 4): how long it goes on comes from
    # the flags alone, so it stays at 5 (the file's 4 was taken silently).
    again = _train([*args, "--out", str(killed), "--resume"])
    out, _ = again.communicate(timeout=900)
    assert again.returncode == 0, out
    assert json.loads((killed / "summary.json").read_text())["steps"] == 5
    assert "max_steps: 5" in (killed / "config.yaml").read_text()


@pytest.mark.slow
def test_full_fine_tuning_keeps_config_metrics_plot_and_model(small, tmp_path):
    data, config = small
    out = tmp_path / "full"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--data",
            str(data),
            "--config",
            str(config),
            "--out",
            str(out),
            "--method",
            "full",
            "--max-steps",
            "2",
            "--lr",
            "1e-5",
        ],
    )
    assert result.exit_code == 0, result.output
    import yaml

    resolved = yaml.safe_load((out / "config.yaml").read_text())
    assert (
        resolved["method"] == "full"
        and resolved["max_steps"] == 2
        and resolved["learning_rate"] == 1e-5
    )
    assert resolved["lora_r"] == 8  # from the file
    rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows if "loss" in r] == [1, 2]
    assert any("eval_loss" in r for r in rows)
    assert all(r["tokens_per_s"] > 0 for r in rows if "loss" in r)
    assert (out / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "model" / "config.json").is_file() and (
        out / "model" / "tokenizer.json"
    ).is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["steps"] == 2 and summary["tokens"] > 0


def test_qlora_without_cuda_is_one_sentence(small, tmp_path):
    data, _ = small
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(tmp_path / "q"), "--method", "qlora"]
    )
    assert result.exit_code == 1
    assert "QLoRA needs a CUDA GPU and the bitsandbytes package" in result.output
    assert not (tmp_path / "q").exists()


def test_config_errors_are_one_sentence(small, tmp_path):
    data, _ = small
    bad = tmp_path / "bad.yaml"
    bad.write_text("max_step: 3\n")
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(tmp_path / "o"), "--config", str(bad)]
    )
    assert result.exit_code == 1
    assert "max_step" in result.output and "examples/train.yaml" in result.output
    result = CliRunner().invoke(
        app, ["train", "--data", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "o").exists()


def test_malformed_records_are_one_sentence_and_nothing_is_written(tmp_path):
    data, out = tmp_path / "train.jsonl", tmp_path / "o"
    data.write_text(json.dumps({"messages": [{"from": "human", "value": "hi"}]}) + "\n")
    result = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no KeyError
    assert "train.jsonl:1 has a message" in result.output
    data.write_bytes(b'{"messages": [{"role": "user", "content": "caf\xe9"}]}\n')
    result = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "train.jsonl:1 is not UTF-8" in result.output
    assert not out.exists()


def test_without_torch_the_hint_is_the_readme_install_command(tmp_path):
    from tests.training.test_export_lora import NO_TORCH

    args = ["train", "--data", str(tmp_path / "d.jsonl"), "--out", str(tmp_path / "o")]
    run = subprocess.run(
        [sys.executable, "-c", NO_TORCH, *args], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "torch, transformers, peft are not installed" in run.stderr
    assert "`pip install -e '.[train]'`" in run.stderr


def test_example_config_is_valid():
    from assistant.training.config import load_config

    root = Path(__file__).resolve().parents[2]
    cfg = load_config(root / "examples" / "train.yaml")
    assert cfg.lora_r == 16 and cfg.method == "lora"


INIT_CONFIG = """\
max_steps: 1
per_device_train_batch_size: 2
save_steps: 0
learning_rate: 1.0e-2
warmup_steps: 0
lr_scheduler_type: constant
lora_r: 4
lora_target_modules: [q_proj, v_proj]
lora_layers: 1
plot: false
seed: 5
"""


def _cli_train(*args: str):
    return CliRunner().invoke(app, ["train", *args])


def _refused_init(data: Path, config: Path, init_from: Path, out: Path) -> str:
    """``train --init-from`` refused: exit code 1, nothing written; the message."""
    result = _cli_train(
        "--data", str(data), "--config", str(config), "--out", str(out), "--init-from", str(init_from)
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert not out.exists()
    return result.output


@pytest.mark.slow
def test_init_from_starts_at_the_earlier_adapter_and_survives_resume(tmp_path):
    from assistant.training.config import load_config
    from assistant.training.train import train

    data, config = write_run_inputs(tmp_path, 4, 0, INIT_CONFIG)
    first = tmp_path / "first"
    result = _cli_train("--data", str(data), "--config", str(config), "--out", str(first))
    assert result.exit_code == 0, result.output
    a = _weights(first)
    lora_b = [k for k in a if "lora_B" in k]
    assert lora_b and all(a[k].any() for k in lora_b)  # trained: no longer the zero init

    # Stopped at step 0, right after the load; with lr 0 the resumed step changes nothing,
    # so the final adapter is the loaded one. A fresh LoRA's B matrices would be all zeros.
    second = tmp_path / "second"
    cfg = load_config(config).updated(init_from=str(first), learning_rate=0.0)
    train(cfg, data, second, stop_after=0)
    assert not (second / "adapter").exists()
    result = _cli_train(
        "--data", str(data), "--config", str(config), "--out", str(second), "--resume"
    )
    assert result.exit_code == 0, result.output
    assert "Resuming from step-000000" in result.output
    b = _weights(second)
    assert b.keys() == a.keys()
    for name in a:
        assert (a[name] == b[name]).all(), name
    from assistant.training.base import file_sha256

    record = json.loads((second / "base.json").read_text())["init_from"]
    assert record == {
        "run": str(first.resolve()),
        "adapter_sha256": file_sha256(first / "adapter" / "adapter_model.safetensors"),
    }

    # The CLI flag, refused with one sentence when the LoRA shape differs: nothing written.
    other = tmp_path / "other.yaml"
    other.write_text(INIT_CONFIG.replace("lora_r: 4", "lora_r: 8"))
    bad = tmp_path / "bad"
    assert "lora_r is 8 here but 4 in" in _refused_init(data, other, first, bad)
    assert "has no finished adapter" in _refused_init(data, config, bad, bad)


def _run_and_its_lora_gguf(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """A finished one-step run (INIT_CONFIG) and its adapter exported as an f32 LoRA GGUF:
    (data, config, run, gguf)."""
    from assistant.training.base import resolve_base
    from assistant.training.export import write_lora_gguf

    data, config = write_run_inputs(tmp_path, 4, 0, INIT_CONFIG)
    first = tmp_path / "first"
    assert (
        _cli_train("--data", str(data), "--config", str(config), "--out", str(first)).exit_code == 0
    )
    lora = tmp_path / "first.lora.gguf"
    write_lora_gguf(first / "adapter", resolve_base(None), lora, outtype="f32")
    return data, config, first, lora


@pytest.mark.slow
def test_init_from_a_lora_gguf_starts_at_the_exported_weights(tmp_path):
    """The shipped default is a LoRA GGUF: a run can start from it without the run that
    made it. Exported in f32, read back with q_proj's rows un-permuted, the weights are
    the trained ones exactly; a file of another shape or kind is refused in one sentence."""
    from assistant.training.config import load_config
    from assistant.training.train import train

    data, config, first, lora = _run_and_its_lora_gguf(tmp_path)
    a = _weights(first)

    second = tmp_path / "second"
    cfg = load_config(config).updated(init_from=str(lora), learning_rate=0.0)
    train(cfg, data, second, stop_after=0)
    result = _cli_train(
        "--data", str(data), "--config", str(config), "--out", str(second), "--resume"
    )
    assert result.exit_code == 0, result.output
    b = _weights(second)
    assert b.keys() == a.keys()
    for name in a:
        assert (a[name] == b[name]).all(), name
    record = json.loads((second / "base.json").read_text())["init_from"]
    assert record["adapter"] == str(lora.resolve())

    bad = tmp_path / "bad"
    from assistant.llm.models import default_model_path

    whole_model = _refused_init(data, config, default_model_path(), bad)
    assert "is not a LoRA adapter GGUF" in whole_model


@pytest.mark.slow
def test_full_fine_tune_from_an_adapter_starts_at_the_merged_model(tmp_path):
    """``--method full --init-from`` merges the adapter (run or GGUF, with its own shape,
    whatever the config's LoRA settings say) into the base and trains every parameter from
    there: at learning rate 0 the saved model is base + B·A·alpha/r in the adapted
    matrices and the base elsewhere."""
    import torch
    from peft import PeftModel
    from safetensors.torch import load_file

    from assistant.training.base import load_model, resolve_base
    from assistant.training.config import load_config
    from assistant.training.train import train

    data, config, first, lora = _run_and_its_lora_gguf(tmp_path)
    base = resolve_base(None)
    before = load_model(base).state_dict()
    merged = PeftModel.from_pretrained(load_model(base), str(first / "adapter"))
    expected = merged.merge_and_unload().state_dict()
    adapted = [k for k in expected if not torch.equal(expected[k], before[k])]
    assert adapted and all(".q_proj." in k or ".v_proj." in k for k in adapted)

    full = load_config(config).updated(
        method="full", learning_rate=0.0, lora_r=8, save_steps=0, eval_steps=0
    )
    for source in (first, lora):
        out = tmp_path / f"full-{source.name}"
        train(full.updated(init_from=str(source)), data, out)
        trained = load_file(str(out / "model" / "model.safetensors"))
        for name in adapted:
            assert torch.allclose(trained[name], expected[name], atol=1e-6), name
        untouched = next(k for k in trained if ".k_proj." in k)
        assert torch.equal(trained[untouched], before[untouched])
        assert "init_from" in json.loads((out / "base.json").read_text())


@pytest.mark.slow
def test_init_from_may_add_layers_but_not_drop_them(tmp_path):
    """A run with LoRA on more of the top layers starts the earlier adapter's layers at
    its weights and the added ones as a fresh LoRA (B = 0): step 0 is the earlier model.
    A run with fewer layers is refused in one sentence, nothing written."""
    from assistant.training.base import resolve_base
    from assistant.training.config import load_config
    from assistant.training.export import write_lora_gguf
    from assistant.training.train import train

    data, _, first, lora = _run_and_its_lora_gguf(tmp_path)
    a = _weights(first)
    wider = tmp_path / "wider.yaml"
    wider.write_text(INIT_CONFIG.replace("lora_layers: 1", "lora_layers: 2"))

    for source, second in ((first, tmp_path / "from-run"), (lora, tmp_path / "from-gguf")):
        cfg = load_config(wider).updated(init_from=str(source), learning_rate=0.0)
        train(cfg, data, second, stop_after=0)
        result = _cli_train(
            "--data", str(data), "--config", str(wider), "--out", str(second), "--resume"
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        b = _weights(second)
        assert set(a) < set(b)
        for name in a:
            assert (a[name] == b[name]).all(), name
        added_b = [k for k in set(b) - set(a) if "lora_B" in k]
        assert added_b and not any(b[k].any() for k in added_b)

    narrower = tmp_path / "narrower.yaml"
    narrower.write_text(INIT_CONFIG)
    wide_run = tmp_path / "from-run"
    bad = tmp_path / "bad"
    assert "lora_layers is 1 here but 2 in" in _refused_init(data, narrower, wide_run, bad)
    wide_gguf = tmp_path / "wide.lora.gguf"
    write_lora_gguf(wide_run / "adapter", resolve_base(None), wide_gguf, outtype="f32")
    assert "may add layers to the adapter it starts from but not drop any" in _refused_init(
        data, narrower, wide_gguf, bad
    )


def _tiny_lora(layers: int) -> object:
    """A four-layer Llama with LoRA on its top ``layers`` layers (no weights on disk)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=32, hidden_size=16, intermediate_size=32, num_hidden_layers=4,
        num_attention_heads=2, num_key_value_heads=2,
    )  # fmt: skip
    lora = LoraConfig(
        r=2, target_modules=["q_proj", "v_proj"], layers_to_transform=list(range(4 - layers, 4))
    )
    return get_peft_model(LlamaForCausalLM(config), lora)


def test_load_init_adapter_refuses_a_run_with_tensors_or_layers_missing(tmp_path):
    """Only the layers below the earlier run's may start fresh: a tensor or a whole layer
    missing from the layers its config says it covers, or an empty file, is refused."""
    import torch
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    from assistant.training.train import TrainError, load_init_adapter

    earlier = {k: v.clone() + 1.0 for k, v in get_peft_model_state_dict(_tiny_lora(2)).items()}
    run = tmp_path / "run"
    (run / "adapter").mkdir(parents=True)
    (run / "config.yaml").write_text("lora_layers: 2\n")
    weights = run / "adapter" / "adapter_model.safetensors"

    def load(state: dict) -> dict:
        save_file(state, str(weights))
        model = _tiny_lora(4)
        load_init_adapter(model, weights)
        return get_peft_model_state_dict(model)

    loaded = load(earlier)
    for name, value in earlier.items():
        assert torch.equal(loaded[name], value), name
    fresh_b = [k for k in loaded if k not in earlier and "lora_B" in k]
    assert len(fresh_b) == 4 and not any(loaded[k].any() for k in fresh_b)

    one_tensor = dict(earlier)
    one_tensor.pop(next(k for k in earlier if ".layers.3." in k))
    whole_layer = {k: v for k, v in earlier.items() if ".layers.3." not in k}
    for broken in (one_tensor, whole_layer):
        with pytest.raises(TrainError, match="does not fit this run's LoRA layers"):
            load(broken)
    with pytest.raises(TrainError, match="holds no LoRA tensors"):
        load({})


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parents[2] / "examples").glob("t*.yaml")), ids=lambda p: p.name
)
def test_example_training_configs_load(path):
    """Every training config the README and `make model` point at is a valid config."""
    from assistant.training.config import load_config

    config = load_config(path)
    assert config.max_steps > 0 or config.num_train_epochs > 0


@pytest.mark.slow
def test_bf16_autocast_on_cpu_trains_fp32_weights_at_nearly_the_fp32_loss(small, tmp_path):
    """`bf16: true` on a CPU: the matrices run in bfloat16 (the first loss, taken before
    any update, differs in its low bits from fp32's), the adapter stays in float32."""
    data, _ = small
    losses = {}
    for bf16 in (False, True):
        config = tmp_path / f"bf16-{bf16}.yaml"
        config.write_text(INIT_CONFIG + f"bf16: {str(bf16).lower()}\n")
        out = tmp_path / f"run-{bf16}"
        result = _cli_train("--data", str(data), "--config", str(config), "--out", str(out))
        assert result.exit_code == 0, result.output
        rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
        losses[bf16] = next(r["loss"] for r in rows if r.get("step") == 1 and "loss" in r)
        weights = _weights(out)
        assert weights and all(w.dtype.name == "float32" for w in weights.values())
        assert any(abs(w).max() > 0 for k, w in weights.items() if "lora_B" in k)
    assert losses[True] != losses[False]
    assert abs(losses[True] - losses[False]) < 0.02 * losses[False]
