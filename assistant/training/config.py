"""The training configuration: plain data, read from YAML, overridden by flags.

Field names follow transformers' ``TrainingArguments`` (and TRL's ``SFTConfig`` for
``max_length``) wherever one exists, so a config reads the same as elsewhere. The
resolved configuration is saved next to the output as ``config.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class ConfigError(Exception):
    """The training config is wrong; the message names the file or field and the fix."""


class TrainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    base: str = "default"
    """Base model: ``default`` (the embedded GGUF), a .gguf file or a Hugging Face model directory."""
    method: Literal["lora", "qlora", "full"] = "lora"
    """``lora`` (peft, CPU or GPU), ``qlora`` (4-bit base; needs CUDA and bitsandbytes) or ``full``."""
    device: Literal["auto", "cpu", "cuda"] = "auto"
    """Where ``lora`` and ``full`` train: ``auto`` takes the CUDA GPU when there is one,
    else the CPU. ``qlora`` always trains on the GPU."""
    max_steps: int = Field(-1, ge=-1)
    """Optimizer steps to run; -1 runs ``num_train_epochs`` epochs instead."""
    num_train_epochs: float = Field(1.0, gt=0)
    """Passes over the training data (fractions allowed) when ``max_steps`` is -1."""
    per_device_train_batch_size: int = Field(8, ge=1)
    """Records per forward pass."""
    gradient_accumulation_steps: int = Field(1, ge=1)
    """Forward passes per optimizer step (effective batch = this × the batch size)."""
    learning_rate: float = Field(2e-4, ge=0)
    """Peak learning rate (AdamW). 2e-4 suits LoRA; use about 5e-5 for full fine-tuning."""
    weight_decay: float = Field(0.0, ge=0)
    """AdamW weight decay."""
    adam_beta1: float = Field(0.9, ge=0, lt=1)
    """AdamW beta1."""
    adam_beta2: float = Field(0.999, ge=0, lt=1)
    """AdamW beta2."""
    adam_epsilon: float = Field(1e-8, ge=0)
    """AdamW epsilon."""
    lr_scheduler_type: Literal["linear", "cosine", "constant"] = "cosine"
    """Learning-rate decay after warm-up."""
    warmup_ratio: float = Field(0.03, ge=0, le=1)
    """Fraction of the steps spent warming up linearly (ignored when ``warmup_steps`` > 0)."""
    warmup_steps: int = Field(0, ge=0)
    """Warm-up steps; overrides ``warmup_ratio`` when positive."""
    max_grad_norm: float = Field(1.0, ge=0)
    """Gradient clipping norm (0 turns clipping off)."""
    max_length: int = Field(1024, ge=1)
    """Tokens kept per record (longer ones are cut; records left with no assistant token are dropped)."""
    logging_steps: int = Field(1, ge=1)
    """Steps between lines in ``metrics.jsonl``."""
    eval_steps: int = Field(50, ge=0)
    """Steps between evaluations on the validation split (0: only at the end)."""
    per_device_eval_batch_size: int = Field(8, ge=1)
    """Records per forward pass during evaluation."""
    max_eval_samples: int | None = Field(200, ge=0)
    """Validation records used for eval loss (None: all of them)."""
    save_steps: int = Field(100, ge=0)
    """Steps between checkpoints (what ``--resume`` continues from)."""
    save_total_limit: int = Field(2, ge=1)
    """Checkpoints kept; older ones are deleted."""
    seed: int = 42
    """Seed for the data order, LoRA initialisation and dropout."""
    lora_r: int = Field(16, ge=1)
    """LoRA rank."""
    lora_alpha: int = Field(32, ge=1)
    """LoRA alpha; the update is scaled by alpha / r."""
    lora_dropout: float = Field(0.0, ge=0, lt=1)
    """Dropout on the LoRA input."""
    lora_target_modules: list[str] | str = "all-linear"
    """Modules that get LoRA: ``all-linear`` (every linear layer but the output) or a list of names."""
    lora_layers: int | None = Field(None, ge=0)
    """Put LoRA only on the last N decoder layers (None: all). The layers below then run
    without gradients, which saves their backward pass and activation memory; needs
    ``lora_target_modules`` as a list of names."""
    objective: Literal["sft", "dpo"] = "sft"
    """``sft``: cross-entropy on the records' assistant turns. ``dpo``: preference pairs at
    each record's first decision (:mod:`assistant.training.pairs`), trained with DPO
    against the starting model (best with ``--init-from`` a supervised run)."""
    dpo_beta: float = Field(0.1, gt=0)
    """DPO's β: how far the trained model may move from the starting one (higher: less)."""
    dpo_pairs: list[
        Literal[
            "abstain_vs_call",
            "call_vs_sibling",
            "call_vs_prose",
            "answer_vs_repeat",
            "call_vs_answer",
        ]
    ] = Field(
        default_factory=lambda: ["abstain_vs_call", "call_vs_sibling", "call_vs_prose"],
        min_length=1,
    )
    """DPO only: the kinds of pair to train on (:mod:`assistant.training.pairs`); the
    last two are the decisions after a tool result."""
    dpo_sft_weight: float = Field(0.0, ge=0)
    """DPO only: each step also takes a batch of whole records with this weight on their
    cross-entropy (as ``sft`` trains), so that what the pairs do not cover — the turns after
    a tool result — is kept (0: pairs only)."""
    decision_weight: float = Field(1.0, gt=0)
    """Training-loss weight of each assistant turn's first token, where the model chooses
    between opening a tool call and answering in prose; every other target token weighs 1.
    The eval loss is always unweighted."""
    function_name_weight: float = Field(1.0, gt=0)
    """Training-loss weight of the tokens that name the function in each tool call (where
    the model chooses between a service's functions); the eval loss is always unweighted."""
    neftune_alpha: float = Field(0.0, ge=0)
    """Noise on the input embeddings while training (NEFTune, :mod:`assistant.training.noise`):
    uniform in ±alpha/sqrt(length × width); the paper's values are 5 to 15 (0: none)."""
    init_from: str | None = None
    """A finished LoRA run directory (another run's --out) or a LoRA GGUF whose adapter
    weights start this run; the optimizer starts fresh. A full fine-tune starts from the
    base with that adapter merged in."""
    torch_num_threads: int | None = Field(None, ge=1)
    """CPU threads for torch (default: all cores)."""
    bf16: bool | None = None
    """Train in bfloat16 autocast; default: on for CUDA GPUs that support it, off on CPU.
    On a CPU with AVX512-BF16 (or AMX) it is faster than fp32; elsewhere it is emulated."""
    plot: bool = True
    """Write ``loss.png`` (needs matplotlib) next to the checkpoints."""

    @field_validator("max_steps")
    @classmethod
    def _steps_or_epochs(cls, value: int) -> int:
        if value == 0:
            raise ValueError("0 steps train nothing; use -1 (run num_train_epochs) or 1 or more")
        return value

    def updated(self, **overrides: Any) -> TrainConfig:
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return validate(data, "the command-line flags")


def validate(data: dict[str, Any], where: str) -> TrainConfig:
    try:
        return TrainConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(
            f"{where}: {field}: {err['msg']}; see examples/train.yaml for every field."
        ) from None


def load_config(path: Path | None) -> TrainConfig:
    """The config in ``path`` (YAML), or the defaults when None."""
    if path is None:
        return TrainConfig()
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(
            f"The config file {path} does not exist; pass an existing YAML file to --config."
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"The config file {path} is not UTF-8 (byte {exc.start + 1}); save it as UTF-8."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the config file {path} ({exc.strerror}); pass a YAML file to --config."
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML ({exc}); fix the file.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of field: value; see examples/train.yaml.")
    return validate(data, str(path))


def dump_yaml(config: TrainConfig) -> str:
    import yaml

    return yaml.safe_dump(config.model_dump(), sort_keys=False)
