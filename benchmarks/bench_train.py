"""Training throughput and peak memory: the project's loop vs TRL's SFTTrainer defaults.

Same model (the embedded default, converted once), same data (records rendered by
toolformat, 4 × 256 tokens per step, loss on assistant tokens), same process
conditions. Each configuration runs in its own process so peak memory (max RSS) is
its own. Prints a table:

    config                          tokens/s   s/step   peak RSS
    assistant loop, LoRA r=16          ...
    assistant loop, full               ...
    assistant loop, LoRA, MKL's own arithmetic  (without reproducible_math: its cost)
    assistant loop, LoRA, bf16 autocast  (native on CPUs with AVX512-BF16 or AMX)
    TRL SFTTrainer defaults, LoRA      ...
    TRL SFTTrainer, fp32, no grad-ckpt ...   (where TRL's defaults lose the time)

Usage: ``python benchmarks/bench_train.py [--steps 6] [--threads N]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH, LENGTH = 4, 256
CONFIGS = {
    "loop-lora": "assistant loop, LoRA r=16",
    "loop-full": "assistant loop, full fine-tuning",
    "loop-lora-mkl-default": "assistant loop, LoRA r=16, MKL's own arithmetic",
    "loop-lora-bf16": "assistant loop, LoRA r=16, bf16 autocast",
    "trl-lora": "TRL SFTTrainer defaults, LoRA r=16",
    "trl-lora-fast": "TRL SFTTrainer, LoRA, fp32 + no grad-ckpt",
    "trl-full": "TRL SFTTrainer defaults, full",
}


def examples(n: int) -> list:
    """``n`` examples of exactly LENGTH tokens: tokenized records laid end to end."""
    from assistant.training.base import load_tokenizer, resolve_base
    from assistant.training.data import Example, encode_records
    from tests.training.records import make_records

    tok = load_tokenizer(resolve_base("default"))
    encoded, _ = encode_records(make_records(n * 4, seed=1), tok)
    out, ids, mask = [], [], []
    for e in encoded:
        ids += e.input_ids
        mask += e.mask
        while len(ids) >= LENGTH:
            out.append(Example(f"b{len(out)}", ids[:LENGTH], mask[:LENGTH]))
            ids, mask = ids[LENGTH:], mask[LENGTH:]
    return out[:n]


def run_loop(method: str, steps: int, bf16: bool = False) -> dict:
    import torch

    from assistant.training.base import resolve_base
    from assistant.training.config import TrainConfig
    from assistant.training.train import batch_loss, build_model

    base = resolve_base("default")
    model = build_model(TrainConfig(method=method, lora_r=16, lora_alpha=32), base)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-5)
    data = examples(BATCH * (steps + 1))
    times = []
    for s in range(steps + 1):
        t = time.perf_counter()
        batch = data[s * BATCH : (s + 1) * BATCH]
        loss, n = batch_loss(model, batch, 0, autocast=bf16)
        (loss / n).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        if s:  # the first step warms up allocators and kernels
            times.append(time.perf_counter() - t)
    return {"s_per_step": sum(times) / len(times)}


def run_trl(steps: int, fast: bool, full: bool = False) -> dict:
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import TrainerCallback
    from trl import SFTConfig, SFTTrainer

    from assistant.training.base import load_model, load_tokenizer, resolve_base

    base = resolve_base("default")
    tok = load_tokenizer(base)
    data = examples(BATCH * (steps + 1))
    ds = Dataset.from_list(
        [{"input_ids": e.input_ids, "completion_mask": [int(m) for m in e.mask]} for e in data]
    )
    times: list[float] = []

    class Timer(TrainerCallback):
        def on_step_begin(self, args, state, control, **kw):
            self.t = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            times.append(time.perf_counter() - self.t)

    # TRL's defaults differ from transformers' in two ways that matter on a CPU: bf16=True
    # (emulated on CPUs without native bf16, e.g. AVX2 only) and gradient_checkpointing=True
    # (every forward runs twice). The "fast" variant turns both off.
    extra = {"gradient_checkpointing": False, "bf16": False} if fast else {}
    with tempfile.TemporaryDirectory() as tmp:
        cfg = SFTConfig(
            output_dir=tmp,
            per_device_train_batch_size=BATCH,
            max_steps=steps + 1,
            max_length=LENGTH,
            report_to=[],
            save_strategy="no",
            use_cpu=not torch.cuda.is_available(),  # without it TRL's bf16 default refuses a CPU
            logging_steps=1000,
            **extra,
        )
        trainer = SFTTrainer(
            model=load_model(base),
            args=cfg,
            train_dataset=ds,
            processing_class=tok,
            peft_config=None
            if full
            else LoraConfig(
                r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"
            ),
            callbacks=[Timer()],
        )
        trainer.train()
    steady = times[1:] or times
    return {
        "s_per_step": sum(steady) / len(steady),
        "gradient_checkpointing": cfg.gradient_checkpointing,
        "bf16": cfg.bf16,
    }


def one(name: str, steps: int, threads: int | None) -> dict:
    if name in ("loop-lora", "loop-full", "loop-lora-bf16"):  # as `assistant train` runs
        from assistant.training.train import reproducible_math

        reproducible_math()
    import torch

    torch.set_num_threads(threads or os.cpu_count() or 1)
    if name in ("loop-lora", "loop-lora-mkl-default"):
        r = run_loop("lora", steps)
    elif name == "loop-lora-bf16":
        r = run_loop("lora", steps, bf16=True)
    elif name == "loop-full":
        r = run_loop("full", steps)
    elif name == "trl-lora":
        r = run_trl(steps, fast=False)
    elif name == "trl-lora-fast":
        r = run_trl(steps, fast=True)
    else:
        r = run_trl(steps, fast=False, full=True)
    r["tokens_per_s"] = BATCH * LENGTH / r["s_per_step"]
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return r


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--only", nargs="*", choices=list(CONFIGS), default=list(CONFIGS))
    ap.add_argument("--one", choices=list(CONFIGS), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print("RESULT " + json.dumps(one(args.one, args.steps, args.threads)), flush=True)
        return
    from assistant.training.base import resolve_base

    resolve_base("default")  # convert once, outside the timings
    rows = []
    for name in args.only:
        cmd = [sys.executable, __file__, "--one", name, "--steps", str(args.steps)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            rows.append((CONFIGS[name], None, tail))
            continue
        rows.append((CONFIGS[name], json.loads(line[7:]), ""))
    print(
        f"batch {BATCH} x {LENGTH} tokens, {args.steps} timed steps, threads {args.threads or os.cpu_count()}, load avg {os.getloadavg()[0]:.1f}"
    )
    print(f"{'config':<46}{'tokens/s':>10}{'s/step':>9}{'peak RSS':>11}")
    for label, r, err in rows:
        if r is None:
            print(f"{label:<46}  failed: {err[:80]}")
        else:
            print(
                f"{label:<46}{r['tokens_per_s']:>10.1f}{r['s_per_step']:>9.2f}{r['peak_rss_mb']:>8.0f} MB"
            )


if __name__ == "__main__":
    main()
