"""Multi-GPU / multi-node fine-tuning with the standard tools: accelerate + TRL.

``assistant train`` is a plain single-device loop (fastest on a CPU or one GPU). For
several GPUs or machines this script hands the same data to TRL's SFTTrainer, which
accelerate launches under FSDP or DeepSpeed, nothing home-made:

    accelerate launch --config_file examples/accelerate_fsdp.yaml \\
        examples/train_accelerate.py --data DIR --out runs/NAME [--base HF_DIR|default] [--method lora|full]
    accelerate launch --config_file examples/accelerate_deepspeed.yaml examples/train_accelerate.py ...

The records are rendered and masked by ``assistant.training.data`` exactly as for
``assistant train`` (input_ids + completion_mask: loss on assistant turns only), and the
output has the same layout (OUT/adapter or OUT/model, OUT/base.json), so
``assistant export --adapter OUT`` works on it unchanged.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--base", default="default")
    ap.add_argument("--method", choices=["lora", "full"], default="lora")
    ap.add_argument("--config", type=Path, default=None, help="examples/train.yaml-style fields")
    ap.add_argument("--max-steps", type=int, default=None)
    args = ap.parse_args()

    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from trl import SFTConfig, SFTTrainer

    from assistant.training.base import load_model, load_tokenizer, resolve_base
    from assistant.training.config import load_config
    from assistant.training.data import encode_records, read_jsonl, resolve_data

    cfg = load_config(args.config).updated(
        base=args.base, method=args.method, max_steps=args.max_steps
    )
    base = resolve_base(cfg.base)
    tok = load_tokenizer(base)
    train_path, val_path = resolve_data(args.data)

    def dataset(path: Path) -> Dataset:
        ex, _ = encode_records(read_jsonl(path), tok, cfg.max_length)
        return Dataset.from_list(
            [{"input_ids": e.input_ids, "completion_mask": [int(m) for m in e.mask]} for e in ex]
        )

    gpu = torch.cuda.is_available()
    sft = SFTConfig(
        output_dir=str(args.out / "checkpoints"),
        max_steps=cfg.max_steps,
        num_train_epochs=math.ceil(cfg.num_train_epochs) if cfg.max_steps < 0 else 1,
        per_device_train_batch_size=cfg.per_device_train_batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        learning_rate=cfg.learning_rate,
        lr_scheduler_type=cfg.lr_scheduler_type,
        warmup_steps=cfg.warmup_steps or cfg.warmup_ratio,  # transformers 5: a float < 1 is a ratio
        weight_decay=cfg.weight_decay,
        max_grad_norm=cfg.max_grad_norm,
        max_length=cfg.max_length,
        save_steps=cfg.save_steps,
        save_total_limit=cfg.save_total_limit,
        eval_strategy="steps" if val_path else "no",
        eval_steps=cfg.eval_steps or None,
        logging_steps=cfg.logging_steps,
        seed=cfg.seed,
        bf16=gpu and torch.cuda.is_bf16_supported(),
        gradient_checkpointing=gpu,  # saves memory on GPUs; on a CPU it only costs time
        report_to=[],
    )
    peft_config = None
    if cfg.method == "lora":
        peft_config = LoraConfig(
            r=cfg.lora_r,
            lora_alpha=cfg.lora_alpha,
            lora_dropout=cfg.lora_dropout,
            target_modules=cfg.lora_target_modules,
            task_type="CAUSAL_LM",
        )
    trainer = SFTTrainer(
        model=load_model(base),
        args=sft,
        train_dataset=dataset(train_path),
        eval_dataset=dataset(val_path) if val_path else None,
        processing_class=tok,
        peft_config=peft_config,
    )
    trainer.train()
    final = args.out / ("adapter" if cfg.method == "lora" else "model")
    trainer.save_model(str(final))
    if trainer.accelerator.is_main_process:
        tok.save_pretrained(str(final))
        info = {
            "spec": base.spec,
            "hf_dir": str(base.hf_dir),
            "gguf": str(base.gguf) if base.gguf else None,
            "sha256": base.sha256,
        }
        (args.out / "base.json").write_text(json.dumps(info, indent=2) + "\n")
        print(
            f"saved {final}; next: assistant export --adapter {args.out} --out {args.out / 'model.gguf'}"
        )


if __name__ == "__main__":
    main()
