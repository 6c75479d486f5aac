"""``assistant export --format lora-gguf``: llama.cpp applies the adapter exactly as the
merged model in transformers computes (greedy tokens), and the q/k permutation matters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.training import gguf_arch
from assistant.training.export import export, find_trained
from assistant.training.validate import (
    compare,
    llama_greedy,
    llama_open,
    llama_tokens,
    prompt_texts,
)


def make_adapter(
    base_model, out: Path, std: float, seed: int = 0, targets: list[str] | None = None, r: int = 8
) -> Path:
    """A peft adapter whose B matrices are random (so it changes the model's output)."""
    import json

    import torch
    from peft import LoraConfig, get_peft_model

    from assistant.training.base import load_model

    torch.manual_seed(seed)
    model = get_peft_model(
        load_model(base_model),
        LoraConfig(
            r=r, lora_alpha=2 * r, target_modules=targets or "all-linear", task_type="CAUSAL_LM"
        ),
    )
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0.0, std)
    model.save_pretrained(out)
    (out / "base.json").write_text(json.dumps({"spec": "default"}))
    return out


def test_permute_round_trip_and_transformers_agree():

    w = np.arange(9 * 64 * 4, dtype=np.float32).reshape(9 * 64, 4)
    assert np.array_equal(gguf_arch.unpermute_qk(gguf_arch.permute_qk(w, 9), 9), w)
    assert not np.array_equal(gguf_arch.permute_qk(w, 9), w)


@pytest.mark.slow
def test_lora_gguf_matches_merged_model(base_model, default_model_path, tmp_path):
    adapter = make_adapter(base_model, tmp_path / "adapter", std=0.15)
    out = tmp_path / "adapter.gguf"
    result = export(adapter, out, fmt="lora-gguf", prompts=4, tokens=12)
    assert out.stat().st_size < 20_000_000
    agreement = result.validation
    print(agreement.line())
    # llama.cpp with the adapter = transformers with the adapter merged.
    # At most one near tie (the first prompt, on AVX2-only CPUs) breaks the other way.
    assert agreement.first_token >= agreement.prompts - 1
    assert agreement.forced >= 0.85
    # And the adapter really changes what the model says.
    base = llama_open(default_model_path)
    ids = llama_tokens(base, prompt_texts(4))
    plain = llama_greedy(base, ids, 12)
    with_lora = llama_greedy(llama_open(default_model_path, lora=out), ids, 12)
    assert compare(plain, with_lora, 12).identical < 4


@pytest.mark.slow
def test_qk_permutation_is_needed(base_model, default_model_path, tmp_path, monkeypatch):
    """Without permuting B of q/k the runtime output departs from the merged model."""
    adapter = make_adapter(base_model, tmp_path / "adapter", std=0.5, targets=["q_proj", "k_proj"])
    good = export(adapter, tmp_path / "good.gguf", fmt="lora-gguf", prompts=4, tokens=12).validation
    monkeypatch.setattr(gguf_arch, "to_gguf_layout", lambda arch, name, w, config: w)
    bad = export(adapter, tmp_path / "bad.gguf", fmt="lora-gguf", prompts=4, tokens=12).validation
    print(good.line(), bad.line(), sep="\n")
    assert good.forced >= 0.95
    assert good.forced > bad.forced
    assert good.mean_prefix > bad.mean_prefix


def test_find_trained_reads_the_training_output(tmp_path):
    (tmp_path / "adapter").mkdir()
    (tmp_path / "adapter" / "adapter_config.json").write_text("{}")
    (tmp_path / "base.json").write_text('{"spec": "/models/x.gguf"}')
    t = find_trained(tmp_path, None)
    assert t.kind == "lora" and t.path == tmp_path / "adapter" and t.base_spec == "/models/x.gguf"


def test_export_errors_are_one_sentence(tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["export", "--out", str(tmp_path / "x.gguf"), "--quant", "q3_zz"])
    assert r.exit_code == 1 and "Unknown quantization 'q3_zz'; choose one of" in r.output
    r = runner.invoke(
        app, ["export", "--adapter", str(tmp_path / "none"), "--out", str(tmp_path / "x.gguf")]
    )
    assert r.exit_code == 1 and "does not exist" in r.output
    r = runner.invoke(app, ["export", "--out", str(tmp_path / "x.gguf"), "--format", "onnx"])
    assert r.exit_code == 1 and "Unknown format 'onnx'" in r.output
    assert not list(tmp_path.iterdir())


NO_TORCH = """
import sys
for name in ("torch", "transformers", "peft"):
    sys.modules[name] = None  # as if the train extra were not installed
from assistant.cli import main
sys.argv[0] = "assistant"
main()
"""


def test_lora_gguf_export_without_torch_writes_the_file_and_says_it_is_not_validated(
    base_model, tmp_path
):
    import subprocess
    import sys

    adapter = make_adapter(base_model, tmp_path / "adapter", std=0.1, targets=["q_proj"], r=4)
    out = tmp_path / "adapter.gguf"
    run = subprocess.run(
        [sys.executable, "-c", NO_TORCH, "export", "--adapter", str(adapter),
         "--format", "lora-gguf", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and out.stat().st_size > 0
    assert "note: not validated: the comparison with the merged model needs torch" in run.stdout


def _llama_cpp_checkout(root: Path, gguf: Path) -> Path:
    """A stand-in for a llama.cpp checkout whose converter writes ``gguf`` as its output."""
    checkout = root / "llama.cpp"
    checkout.mkdir()
    (checkout / "convert_hf_to_gguf.py").write_text(
        "import shutil, sys\n"
        f"shutil.copyfile({str(gguf)!r}, sys.argv[sys.argv.index('--outfile') + 1])\n"
    )
    return checkout


def test_llama_cpp_export_refuses_a_bad_quant_or_format_before_any_work(tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app

    checkout = _llama_cpp_checkout(tmp_path, tmp_path / "never.gguf")
    out = tmp_path / "x.gguf"
    args = ["export", "--llama-cpp", str(checkout), "--adapter", str(tmp_path / "none")]
    r = CliRunner().invoke(app, [*args, "--quant", "q3_zz", "--out", str(out)])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert "Unknown quantization 'q3_zz'; choose one of" in r.output
    r = CliRunner().invoke(app, [*args, "--format", "lora-gguf", "--out", str(out)])
    assert (
        r.exit_code == 1 and "--llama-cpp writes a merged GGUF; drop --format lora-gguf" in r.output
    )
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["llama.cpp"]


@pytest.mark.slow
def test_llama_cpp_export_registers_its_alias(tmp_path, monkeypatch, default_model_path):
    import tomllib

    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "config.toml"))
    checkout = _llama_cpp_checkout(tmp_path, default_model_path)
    out = tmp_path / "merged.gguf"
    r = CliRunner().invoke(
        app,
        ["export", "--llama-cpp", str(checkout), "--quant", "f16", "--name", "mine", "--out", str(out)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    aliases = tomllib.loads((tmp_path / "config.toml").read_text())["aliases"]
    assert aliases == {"mine": str(out.resolve())} and out.stat().st_size > 0
