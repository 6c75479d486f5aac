"""The training loop: a plain torch loop, read top to bottom.

Why not transformers' Trainer or TRL's SFTTrainer: on this class of machine (2 CPU
cores, a 135M model) their defaults spend most of the time elsewhere than in the
model (see benchmarks/bench_train.py). The loop below computes the output layer only
at supervised positions, which is where a small model's time goes (the vocabulary is
49k wide), and skips padding-heavy batches by grouping records of similar length.

Output directory::

    config.yaml       the resolved configuration (YAML file < flags)
    base.json         which base model was trained (spec, GGUF path, sha256), and the
                      --init-from run and its adapter's sha256 when it started from one
    metrics.jsonl     one line per logged step (loss, lr, tokens/s) and per evaluation
    loss.png          the loss curve, redrawn at every checkpoint
    checkpoints/step-NNNNNN/   trainable weights, optimizer, scheduler, RNG, position
    adapter/          the final LoRA adapter (peft format) + tokenizer   (lora, qlora)
    model/            the final model (Hugging Face format) + tokenizer  (full)
    summary.json      steps, tokens, time, tokens/s, final and eval loss, device
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import pickle
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.training.base import BaseModel, load_model, load_tokenizer, resolve_base
from assistant.training.config import TrainConfig, dump_yaml, load_config
from assistant.training.data import Example, encode_records, iter_epochs, read_jsonl, resolve_data
from assistant.training.dpo import (
    REFERENCE_FILE,
    batch_dpo_loss,
    evaluate_pairs,
    iter_pair_epochs,
    reference_fingerprint,
    reference_logps,
    reference_logps_on_disk,
)
from assistant.training.noise import add_embedding_noise
from assistant.training.pairs import EncodedPair, decision_pairs, encode_pairs
from assistant.training.prefix import (
    MIN_SHARED_PREFIX,
    UNIFORM,
    LossWeights,
    shared_prefix_length,
    shared_prefix_loss,
    token_weights,
    weighted_cross_entropy,
)

CONFIG_FILE = "config.yaml"
BASE_FILE = "base.json"
METRICS_FILE = "metrics.jsonl"
SUMMARY_FILE = "summary.json"
PLOT_FILE = "loss.png"
CKPT_DIR = "checkpoints"
ADAPTER_DIR = "adapter"
MODEL_DIR = "model"


class TrainError(Exception):
    """Training cannot start or continue; the message names the problem and the fix."""


@dataclass
class TrainResult:
    out: Path
    steps: int
    tokens: int
    elapsed_s: float
    tokens_per_s: float
    train_loss: float | None
    eval_loss: float | None
    final_dir: Path


# ---------------------------------------------------------------------------- setup


def reproducible_math() -> None:
    """Ask MKL for the same arithmetic on every run on this machine: by default it may
    choose kernels by memory alignment and share work between threads as they come free,
    so a resumed run could end a few ulps away from an uninterrupted one, which Adam
    magnifies. MKL reads these at its first call, so they only take effect where training
    is the process's first use of torch (as in ``assistant train``); a user's own setting
    wins."""
    os.environ.setdefault("MKL_CBWR", "AUTO,STRICT")
    os.environ.setdefault("MKL_DYNAMIC", "FALSE")


def set_threads(n: int | None) -> int:
    import torch

    n = n or os.cpu_count() or 1
    torch.set_num_threads(n)
    with contextlib.suppress(RuntimeError):  # already set (second run in one process)
        torch.set_num_interop_threads(1)
    return n


def check_machine(config: TrainConfig) -> None:
    """Raise TrainError unless this machine has what the config's device and method need."""
    import torch

    if config.device == "cuda" and not torch.cuda.is_available():
        raise TrainError(
            "device is cuda but this machine has no CUDA GPU torch can use; "
            "set device: auto (or cpu) in the config, or pass --device cpu."
        )
    if config.method != "qlora":
        return
    import importlib.util

    if not torch.cuda.is_available() or importlib.util.find_spec("bitsandbytes") is None:
        raise TrainError(
            "QLoRA needs a CUDA GPU and the bitsandbytes package, and this machine has "
            + ("no CUDA GPU" if not torch.cuda.is_available() else "no bitsandbytes")
            + "; use --method lora (or full) here, or run notebooks/train_colab.ipynb on a GPU."
        )


def build_model(config: TrainConfig, base: BaseModel) -> Any:
    """The model to train: peft-wrapped for (Q)LoRA, all parameters trainable for full."""
    import torch

    torch.manual_seed(config.seed)
    if config.method == "qlora":
        from transformers import AutoModelForCausalLM, BitsAndBytesConfig

        bnb = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.bfloat16,
            bnb_4bit_use_double_quant=True,
        )
        model = AutoModelForCausalLM.from_pretrained(
            str(base.hf_dir), quantization_config=bnb, device_map={"": 0}
        )
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    else:
        model = load_model(base)
    if config.method == "full":
        for p in model.parameters():
            p.requires_grad_(True)
        return model
    from peft import LoraConfig, get_peft_model

    layers = None
    if config.lora_layers:
        total_layers = model.config.num_hidden_layers
        layers = list(range(max(0, total_layers - config.lora_layers), total_layers))
    lora = LoraConfig(
        layers_to_transform=layers,
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=config.lora_target_modules,
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, lora)


LORA_SHAPE = ("lora_r", "lora_alpha", "lora_target_modules")
"""The settings that must match between a run and the run it starts from (``init_from``).

``lora_layers`` may grow: a run can put LoRA on more of the top layers than the adapter
it starts from, the added layers starting as a fresh LoRA (B = 0, so step 0 is still the
earlier model); it may not shrink, which would drop trained weights."""

ADAPTER_WEIGHTS = "adapter_model.safetensors"


def check_init_from(config: TrainConfig, base: BaseModel) -> Path:
    """The adapter weights file ``config.init_from`` points at, once it fits this run.

    Raises TrainError (one sentence) when the run is unfinished, not LoRA, shaped
    differently or trained on another base model. A full run takes the adapter's own
    shape (:func:`adapter_shape`), so only the rest is checked.
    """
    run = Path(str(config.init_from)).expanduser()
    weights = run / ADAPTER_DIR / ADAPTER_WEIGHTS
    if config.method == "full":
        config = adapter_shape(config, base)
    if run.suffix == ".gguf":
        check_gguf_init(config, base, run)
        return run
    if not weights.is_file() or not (run / CONFIG_FILE).is_file():
        raise TrainError(
            f"--init-from {run} has no finished adapter; train it to the end first or pass another --init-from."
        )
    earlier = load_config(run / CONFIG_FILE)
    for name in LORA_SHAPE:
        mine, theirs = getattr(config, name), getattr(earlier, name)
        if _norm(mine) != _norm(theirs):
            raise TrainError(
                f"{name} is {mine!r} here but {theirs!r} in {run / CONFIG_FILE}; "
                f"set {name}: {theirs!r} in this run's config or pass another --init-from."
            )
    if not _covers(config.lora_layers, earlier.lora_layers):
        raise TrainError(_fewer_layers(config.lora_layers, earlier.lora_layers, run / CONFIG_FILE))
    try:
        before = json.loads((run / BASE_FILE).read_text())
    except (OSError, ValueError):
        before = {}
    same = (
        before.get("sha256") == base.sha256
        if before.get("sha256") or base.sha256
        else before.get("hf_dir") == str(base.hf_dir)
    )
    if not same:
        raise TrainError(
            f"--init-from {run} was trained on another base model ({before.get('spec', 'unknown')}, "
            f"sha256 {str(before.get('sha256'))[:12]}) than this run's ({base.spec}, sha256 "
            f"{str(base.sha256)[:12]}); pass the same --base or another --init-from."
        )
    return weights


def adapter_shape(config: TrainConfig, base: BaseModel) -> TrainConfig:
    """``config`` as a LoRA run shaped like the adapter ``config.init_from`` holds.

    A full fine-tune started from an adapter merges it into the base first; the adapter's
    own rank, alpha, modules and layers say how. Where the adapter cannot be read, the
    config comes back as it is and :func:`check_init_from` names the problem.
    """
    run = Path(str(config.init_from)).expanduser()
    shape: dict[str, Any] = {}
    if run.suffix == ".gguf" and run.is_file():
        from assistant.training.export import hf_config
        from assistant.training.gguf_adapter import GgufAdapterError, read_lora_gguf
        from assistant.training.gguf_arch import UnsupportedArch

        try:
            lora = read_lora_gguf(run, hf_config(base.hf_dir))
        except (GgufAdapterError, UnsupportedArch) as exc:
            raise TrainError(f"--init-from: {exc} Pass another --init-from.") from None
        shape = {
            "lora_r": lora.r,
            "lora_alpha": int(lora.alpha),
            "lora_target_modules": lora.target_modules,
            "lora_layers": len(lora.layers),
        }
    elif (run / CONFIG_FILE).is_file():
        earlier = load_config(run / CONFIG_FILE)
        shape = {name: getattr(earlier, name) for name in (*LORA_SHAPE, "lora_layers")}
    return config.model_copy(update={"method": "lora", **shape})


def starting_model(config: TrainConfig, base: BaseModel, init_weights: Path | None) -> Any:
    """The model step 0 trains: fresh, or started from ``init_weights`` (a LoRA run loads
    them into its adapter; a full run merges them into the base first)."""
    if init_weights is None:
        return build_model(config, base)
    if config.method != "full":
        model = build_model(config, base)
        load_init_adapter(model, init_weights)
        return model
    lora = build_model(adapter_shape(config, base), base)
    load_init_adapter(lora, init_weights)
    merged = lora.merge_and_unload()
    for p in merged.parameters():
        p.requires_grad_(True)
    return merged


def training_device(config: TrainConfig) -> str:
    """``cuda`` or ``cpu``: where a lora or full run puts the model (qlora loads onto the GPU)."""
    import torch

    if config.device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return config.device


def check_gguf_init(config: TrainConfig, base: BaseModel, path: Path) -> None:
    """Raise TrainError unless the LoRA GGUF at ``path`` has this run's shape and base."""
    from assistant.training.export import hf_config
    from assistant.training.gguf_adapter import GgufAdapterError, read_lora_gguf
    from assistant.training.gguf_arch import UnsupportedArch, arch_for

    if not path.is_file():
        raise TrainError(f"--init-from {path} does not exist; pass a LoRA GGUF or a finished run.")
    hf = hf_config(base.hf_dir)
    try:
        lora = read_lora_gguf(path, hf)
    except (GgufAdapterError, UnsupportedArch) as exc:
        raise TrainError(f"--init-from: {exc} Pass another --init-from.") from None
    total = int(hf.num_hidden_layers)

    def top(n: int) -> list[int]:
        return list(range(max(0, total - n), total))

    layers = top(config.lora_layers or total)
    targets = config.lora_target_modules
    # peft's all-linear: every projection of a layer (lm_head excluded).
    projections = {k.split(".")[-2] for k in arch_for(hf).tensors if k.endswith("_proj.weight")}
    wanted = sorted(projections) if targets == "all-linear" else sorted(targets)
    for name, mine, theirs, same in (
        ("lora_r", config.lora_r, lora.r, config.lora_r == lora.r),
        ("lora_alpha", config.lora_alpha, lora.alpha, config.lora_alpha == lora.alpha),
        ("lora_target_modules", wanted, lora.target_modules, wanted == lora.target_modules),
    ):
        if not same:
            raise TrainError(
                f"{name} is {mine!r} here but {theirs!r} in {path}; "
                f"set {name}: {theirs!r} in this run's config or pass another --init-from."
            )
    if lora.layers != top(len(lora.layers)):
        raise TrainError(
            f"--init-from {path} has LoRA on layers {lora.layers}, not the top ones a run "
            "trains; pass another --init-from."
        )
    if not set(lora.layers) <= set(layers):
        theirs = len(lora.layers) if len(lora.layers) < total else None
        raise TrainError(_fewer_layers(config.lora_layers, theirs, path))
    card = path.with_name("model.json")
    try:
        recorded = json.loads(card.read_text()).get("base", {}).get("sha256")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if recorded and base.sha256 and recorded != base.sha256:
        raise TrainError(
            f"--init-from {path} was trained on another base model (sha256 {recorded[:12]}, "
            f"per {card}) than this run's ({base.spec}, sha256 {base.sha256[:12]}); "
            "pass the same --base or another --init-from."
        )


def _norm(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def _covers(mine: int | None, theirs: int | None) -> bool:
    """Whether the top ``mine`` layers include the top ``theirs`` (None or 0: all)."""
    return not mine or (bool(theirs) and mine >= theirs)


def _fewer_layers(mine: int | None, theirs: int | None, source: Path) -> str:
    wanted = f"{theirs} or more" if theirs else "null (every layer)"
    return (
        f"lora_layers is {mine!r} here but {theirs!r} in {source}; a run may add layers to "
        f"the adapter it starts from but not drop any: set lora_layers: {wanted}, "
        "or pass another --init-from."
    )


def _layer_of(key: str) -> int | None:
    match = re.search(r"\.layers\.(\d+)\.", key)
    return int(match.group(1)) if match else None


def load_init_adapter(model: Any, weights: Path) -> None:
    """Copy the LoRA weights in ``weights`` (peft safetensors or a LoRA GGUF) into the peft
    ``model``, every tensor checked."""
    import torch
    from peft import get_peft_model_state_dict, set_peft_model_state_dict
    from safetensors.torch import load_file

    if weights.suffix == ".gguf":
        from assistant.training.gguf_adapter import read_lora_gguf

        lora = read_lora_gguf(weights, model.config)
        state = {k: torch.from_numpy(v) for k, v in lora.state.items()}
        # The file is the only record of the layers it covers.
        covered = len({n for k in state if (n := _layer_of(k)) is not None})
    else:
        state = load_file(str(weights))
        covered = load_config(weights.parent.parent / CONFIG_FILE).lora_layers
    expected = get_peft_model_state_dict(model)
    if not state:
        raise TrainError(f"{weights} holds no LoRA tensors; pass another --init-from.")
    layers = sorted({n for k in expected if (n := _layer_of(k)) is not None})
    earlier = set(layers[-covered:]) if covered else set(layers)
    # The layers below the earlier adapter's keep their fresh LoRA (see LORA_SHAPE); a
    # tensor the earlier adapter should hold and does not is missing.
    added = {
        k
        for k in expected
        if k not in state and (n := _layer_of(k)) is not None and n not in earlier
    }
    missing = sorted(set(expected) - set(state) - added)
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        names = ", ".join((missing or unexpected)[:2])
        raise TrainError(
            f"{weights} does not fit this run's LoRA layers ({len(missing)} missing, "
            f"{len(unexpected)} unexpected tensors, e.g. {names}); pass another --init-from."
        )
    try:
        result = set_peft_model_state_dict(model, state)
    except RuntimeError as exc:
        raise TrainError(
            f"{weights} does not fit this run's LoRA layers ({str(exc).splitlines()[0]}); pass another --init-from."
        ) from None
    loaded = get_peft_model_state_dict(model)
    wrong = [
        k for k in state if not torch.equal(loaded[k].detach().cpu(), state[k].to(loaded[k].dtype))
    ]
    if result.unexpected_keys or wrong:
        names = ", ".join((wrong or list(result.unexpected_keys))[:2])
        raise TrainError(
            f"Loading {weights} left LoRA tensors unset (e.g. {names}); pass another --init-from."
        )


def parts(model: Any) -> tuple[Any, Any]:
    """(decoder stack, output layer) of a causal LM, peft-wrapped or not."""
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    return inner.model, inner.get_output_embeddings()


def device_of(model: Any) -> Any:
    return next(model.parameters()).device


# ---------------------------------------------------------------------------- loss


def collate(batch: list[Example], pad_id: int, device: Any) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    attn = torch.zeros((len(batch), width), dtype=torch.long)
    target = torch.zeros((len(batch), width), dtype=torch.bool)
    for i, e in enumerate(batch):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        attn[i, :n] = 1
        target[i, :n] = torch.tensor(e.mask)
    return ids.to(device), attn.to(device), target.to(device)


def batch_loss(
    model: Any,
    batch: list[Example],
    pad_id: int,
    autocast: bool = False,
    loss_weights: LossWeights = UNIFORM,
) -> tuple[Any, int]:
    """Summed cross-entropy over the batch's target tokens, and their count.

    Each turn's first token and each called function's name count as ``loss_weights``
    says (``TrainConfig.decision_weight``, ``function_name_weight``); the count is of
    tokens, unweighted.
    The output layer runs only on the hidden states that predict a target token: for a
    135M model with a 49k vocabulary that layer would otherwise cost as much as the
    rest of the network.
    """
    import torch

    device = device_of(model)
    decoder, head = parts(model)
    dtype = torch.bfloat16 if autocast else None
    prefix = shared_prefix_length(batch) if len(batch) > 1 else 0
    if prefix >= MIN_SHARED_PREFIX:
        with torch.autocast(device.type, dtype=dtype, enabled=autocast):
            return shared_prefix_loss(decoder, head, batch, prefix, pad_id, device, loss_weights)
    with torch.autocast(device.type, dtype=dtype, enabled=autocast):
        return plain_batch_loss(decoder, head, batch, pad_id, device, loss_weights)


def plain_batch_loss(
    decoder: Any,
    head: Any,
    batch: list[Example],
    pad_id: int,
    device: Any,
    loss_weights: LossWeights = UNIFORM,
) -> tuple[Any, int]:
    """``batch_loss`` with every record run in full (no shared prefix)."""
    ids, attn, target = collate(batch, pad_id, device)
    hidden = decoder(input_ids=ids, attention_mask=attn, use_cache=False).last_hidden_state
    sel = target[:, 1:]
    logits = head(hidden[:, :-1][sel])
    weights = token_weights(batch, 0, ids.shape[1], loss_weights, device)
    loss = weighted_cross_entropy(
        logits, ids[:, 1:][sel], None if weights is None else weights[:, 1:][sel]
    )
    return loss, int(sel.sum())


def evaluate(
    model: Any, examples: list[Example], batch_size: int, pad_id: int, autocast: bool
) -> float:
    import torch

    model.eval()
    total, count = 0.0, 0
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].input_ids))
    with torch.no_grad():
        for s in range(0, len(order), batch_size):
            loss, n = batch_loss(
                model, [examples[i] for i in order[s : s + batch_size]], pad_id, autocast
            )
            total += float(loss)
            count += n
    model.train()
    return total / max(count, 1)


def lr_lambda(config: TrainConfig, total: int) -> Callable[[int], float]:
    warm = config.warmup_steps or math.ceil(config.warmup_ratio * total)

    def f(step: int) -> float:
        if step < warm:
            return (step + 1) / (warm + 1)
        if config.lr_scheduler_type == "constant":
            return 1.0
        progress = (step - warm) / max(1, total - warm)
        if config.lr_scheduler_type == "linear":
            return max(0.0, 1.0 - progress)
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))

    return f


# ---------------------------------------------------------------------------- checkpoints


def trainable_state(model: Any) -> dict[str, Any]:
    return {n: p.detach().cpu().clone() for n, p in model.named_parameters() if p.requires_grad}


def save_checkpoint(
    out: Path,
    step: int,
    model: Any,
    optimizer: Any,
    scheduler: Any,
    extra: dict[str, Any],
    keep: int,
) -> Path:
    """Write checkpoints/step-NNNNNN atomically (temp dir, rename), then prune old ones."""
    import torch
    from safetensors.torch import save_file

    root = out / CKPT_DIR
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"step-{step:06d}"
    tmp = Path(tempfile.mkdtemp(prefix=".step-", dir=root))
    save_file(trainable_state(model), str(tmp / "trainable.safetensors"))
    torch.save(
        {
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        },
        tmp / "trainer_state.pt",
    )
    (tmp / "state.json").write_text(json.dumps({"step": step, **extra}) + "\n")
    _fsync_dir(tmp)
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    _fsync_dir(root)
    done = sorted(p for p in root.glob("step-*") if (p / "state.json").is_file())
    for old in done[: max(0, len(done) - max(1, keep))]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _fsync_dir(path: Path) -> None:
    for f in path.iterdir():
        if f.is_file():
            with f.open("rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def latest_checkpoint(out: Path) -> Path | None:
    done = sorted(p for p in (out / CKPT_DIR).glob("step-*") if (p / "state.json").is_file())
    return done[-1] if done else None


def load_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any) -> dict[str, Any]:
    import torch
    from safetensors.torch import load_file

    missing = [n for n in ("trainable.safetensors", "trainer_state.pt") if not (path / n).is_file()]
    if missing:
        raise TrainError(
            f"The checkpoint {path} lacks {' and '.join(missing)}; delete that checkpoint "
            "folder to resume from the one before, or train afresh."
        )
    weights = load_file(str(path / "trainable.safetensors"))
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in weights.items():
            params[name].copy_(value)
    # Loaded on the CPU: a checkpoint written on a GPU resumes on a machine without one
    # (load_state_dict moves the optimizer's state to each parameter's device).
    # weights_only: a run folder may come from elsewhere, and a full unpickle runs code.
    try:
        state = torch.load(path / "trainer_state.pt", weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as exc:
        raise TrainError(
            f"The checkpoint {path} holds more than tensors and plain values, which would "
            "run code when loaded; delete that checkpoint folder to resume from the one "
            "before, or train afresh."
        ) from exc
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    if state.get("cuda_rng") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return json.loads((path / "state.json").read_text())


# ---------------------------------------------------------------------------- metrics


class Metrics:
    """``metrics.jsonl``, appended and flushed line by line; trimmed back on resume."""

    def __init__(self, path: Path, resume_step: int | None) -> None:
        self.path = path
        self.rows: list[dict[str, Any]] = []
        if resume_step is not None and path.exists():
            for line in path.read_text().splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by the kill
                if row.get("step", 0) <= resume_step:
                    self.rows.append(row)
        path.write_text("".join(json.dumps(r) + "\n" for r in self.rows))
        self._fh = path.open("a")

    def log(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self._fh.write(json.dumps(row) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


# ---------------------------------------------------------------------------- the run


RESUME_CHANGES = ("max_steps", "num_train_epochs", "device")
"""The only settings a resumed run takes from the command line: how long it goes on, and
where it trains (a run started on a GPU can go on on the CPU, and back)."""


def prepare_out(
    out: Path,
    config: TrainConfig,
    config_path: Path | None,
    resume: bool,
    changes: dict[str, Any] | None = None,
) -> tuple[TrainConfig, Path | None]:
    """The config to use and the checkpoint to resume from (None: a fresh start).

    ``changes`` (see ``RESUME_CHANGES``) lengthen or move a resumed run.
    """
    saved = out / CONFIG_FILE
    ckpt = latest_checkpoint(out) if out.exists() else None
    if resume:
        if ckpt is None and not saved.is_file():
            raise TrainError(
                f"--resume: {out} holds no training run to continue; drop --resume to start one."
            )
        finished = _finished_step(out)
        if finished is not None and (ckpt is None or _checkpoint_step(ckpt) < finished):
            # It would train again from an earlier step over the finished adapter.
            raise TrainError(
                f"--resume: {out} finished at step {finished} without a checkpoint of that "
                "step to go on from (save_steps 0, or trained before the last step was kept); "
                "start a new run with another --out and --init-from its adapter."
            )
        if saved.is_file():
            # The run continues with the configuration it started with, so that it ends
            # where an uninterrupted run would, unless told to go on for longer (or elsewhere).
            config = load_config(saved).updated(**(changes or {}))
        return config, ckpt
    if ckpt is not None or (out / SUMMARY_FILE).exists():
        raise TrainError(
            f"{out} already holds a training run; pass --resume to continue it or choose another --out."
        )
    return config, None


def _finished_step(out: Path) -> int | None:
    """The last step of a finished run in ``out`` (from its summary); None if unfinished."""
    try:
        step = json.loads((out / SUMMARY_FILE).read_text())["steps"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return step if isinstance(step, int) else None


def _checkpoint_step(ckpt: Path) -> int:
    return int(ckpt.name.removeprefix("step-"))


def check_out_dir(out: Path) -> None:
    """Raise TrainError naming why ``--out`` could not be created or written, before the
    model loads. Nothing is created yet: a run refused later (``--init-from``) leaves no
    folder behind."""
    if out.exists() and not out.is_dir():
        raise TrainError(f"--out {out} is a file; pass a directory for the run.")
    nearest = out
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        why = os.strerror(errno.ENOTDIR)
    elif not os.access(nearest, os.W_OK | os.X_OK):
        why = os.strerror(errno.EACCES)
    else:
        return
    raise TrainError(f"Cannot create --out {out} ({why}); pass a writable directory.")


def train(
    config: TrainConfig,
    data: Path,
    out: Path,
    *,
    val: Path | None = None,
    resume: bool = False,
    config_path: Path | None = None,
    console: Any = None,
    stop_after: int | None = None,
    changes: dict[str, Any] | None = None,
) -> TrainResult:
    """Fine-tune ``config.base`` on ``data`` into ``out``; see the module docstring.

    ``stop_after`` ends the process's work after that many steps (as if killed there),
    for tests of ``--resume``.
    """
    reproducible_math()
    import torch
    from rich.console import Console
    from rich.markup import escape

    from assistant.training.files import atomic_write_text

    console = console or Console(stderr=True)
    config, ckpt = prepare_out(out, config, config_path, resume, changes)
    check_machine(config)
    threads = set_threads(config.torch_num_threads)

    train_path, auto_val = resolve_data(data)
    val_path = val or auto_val
    train_records = read_jsonl(train_path)  # bad data fails before anything loads
    val_records = read_jsonl(val_path) if val_path is not None else []
    check_out_dir(out)  # and so does an --out that cannot be written
    base = resolve_base(config.base)
    tokenizer = load_tokenizer(base)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    dpo = config.objective == "dpo"
    train_ex: list[Example] = []
    train_pairs: list[EncodedPair] = []
    if dpo:
        train_pairs, dropped = encode_pairs(
            decision_pairs(train_records, config.seed, tuple(config.dpo_pairs)),
            tokenizer,
            config.max_length,
        )
        if config.dpo_sft_weight > 0:
            train_ex, _ = encode_records(train_records, tokenizer, config.max_length)
        if not train_pairs:
            raise TrainError(
                f"No record in {train_path} gives a decision pair within {config.max_length} tokens "
                "(a first assistant turn right after the user's request, with tools); "
                "objective: dpo needs records that call or answer where tools are offered."
            )
    else:
        train_ex, dropped = encode_records(train_records, tokenizer, config.max_length)
        if not train_ex:
            raise TrainError(
                f"No record in {train_path} has an assistant turn within {config.max_length} tokens; raise max_length or check the data."
            )
    n_items = len(train_pairs) if dpo else len(train_ex)
    val_ex: list[Example] = []
    val_pairs: list[EncodedPair] = []
    if val_path is not None:
        if dpo:
            val_pairs, _ = encode_pairs(
                decision_pairs(val_records, config.seed, tuple(config.dpo_pairs)),
                tokenizer,
                config.max_length,
            )
        else:
            val_ex, _ = encode_records(val_records, tokenizer, config.max_length)
        if config.max_eval_samples is not None:
            val_ex = val_ex[: config.max_eval_samples]
            val_pairs = val_pairs[: config.max_eval_samples]

    # A resumed run takes its weights from the checkpoint, so --init-from only matters
    # (and is only checked) when the run starts from step 0.
    init_weights = check_init_from(config, base) if config.init_from and ckpt is None else None

    model = starting_model(config, base, init_weights)
    if config.method != "qlora":
        model.to(training_device(config))
    provenance = _init_provenance(out, config, ckpt)
    if init_weights is not None:
        from assistant.training.base import file_sha256

        source = init_weights if init_weights.suffix == ".gguf" else init_weights.parent.parent
        kind = "adapter" if init_weights.suffix == ".gguf" else "run"
        provenance = {
            "init_from": {kind: str(source.resolve()), "adapter_sha256": file_sha256(init_weights)}
        }
        console.print(f"Starting from the adapter of {escape(str(source))}.")

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / CONFIG_FILE, dump_yaml(config))
    atomic_write_text(
        out / BASE_FILE,
        json.dumps(
            {
                "spec": base.spec,
                "hf_dir": str(base.hf_dir),
                "gguf": str(base.gguf) if base.gguf else None,
                "sha256": base.sha256,
                **provenance,
            },
            indent=2,
        )
        + "\n",
    )

    device = device_of(model)
    autocast = (
        bool(config.bf16)
        if config.bf16 is not None
        else (device.type == "cuda" and torch.cuda.is_bf16_supported())
    )
    if autocast and device.type == "cpu" and not torch.cpu._is_avx512_bf16_supported():
        console.print(
            "bf16 is emulated on this CPU (no AVX512-BF16) and trains slower than fp32; "
            "set bf16: false in the config for speed."
        )
    model.train()
    if config.neftune_alpha > 0:
        add_embedding_noise(model, config.neftune_alpha)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        params,
        lr=config.learning_rate,
        betas=(config.adam_beta1, config.adam_beta2),
        eps=config.adam_epsilon,
        weight_decay=config.weight_decay,
    )
    bs, accum = config.per_device_train_batch_size, config.gradient_accumulation_steps
    batches_per_epoch = math.ceil(n_items / bs)
    total = (
        config.max_steps
        if config.max_steps > 0
        else max(1, math.ceil(config.num_train_epochs * batches_per_epoch / accum))
    )
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(config, total))

    reference: dict[str, list[float]] = {}
    if dpo:
        # From the starting weights, so before a checkpoint is loaded.
        visits = iter_pair_epochs(train_pairs, bs, config.seed)
        used = {p.id: p for _, b in (next(visits) for _ in range(total * accum)) for p in b}
        needed = [*used.values(), *val_pairs]
        start = {
            "base": base.sha256 or base.spec,  # not its cache path, which may move
            "init_from": provenance.get("init_from", {}).get("adapter_sha256"),
        }
        fingerprint = reference_fingerprint(start, [*train_pairs, *val_pairs])
        stored, known = reference_logps_on_disk(out)
        if ckpt is None and stored != fingerprint:
            known = {}  # another start's, from other weights or pairs (or of unknown origin)
        elif ckpt is not None and stored not in (None, fingerprint):
            raise TrainError(
                f"{out / REFERENCE_FILE} was scored on other pairs or starting weights than "
                "this run's (has the data changed?); resume with the data the run started "
                "with, or start a new run with another --out."
            )
        elif ckpt is not None and not {p.id for p in needed} <= known.keys():
            raise TrainError(
                f"{out} has a checkpoint but not the reference log-probabilities DPO started "
                "from; start the run again without --resume."
            )
        reference = reference_logps(
            model,
            needed,
            pad_id,
            autocast,
            out,
            known,
            fingerprint,
            progress=_scoring_progress(console),
        )

    step, tokens_before, elapsed_before = 0, 0, 0.0
    if ckpt is not None:
        state = load_checkpoint(ckpt, model, optimizer, scheduler)
        step, tokens_before, elapsed_before = (
            state["step"],
            state.get("tokens", 0),
            state.get("elapsed_s", 0.0),
        )
        console.print(f"Resuming from {ckpt.name} (step {step} of {total}).")
    metrics = Metrics(out / METRICS_FILE, step if ckpt is not None else None)
    n_trainable = sum(p.numel() for p in params)
    console.print(
        f"Training {config.method} on {escape(base.spec)} ({n_trainable / 1e6:.2f}M trainable parameters), "
        f"{n_items} {'pairs' if dpo else 'records'} ({dropped} dropped), "
        f"{len(val_pairs) if dpo else len(val_ex)} for eval, "
        f"{total} steps of {bs}×{accum}, {threads} threads on {device}."
    )

    loss_weights = LossWeights(config.decision_weight, config.function_name_weight)
    batches: Iterator[tuple[int, list[Any]]] = (
        iter_pair_epochs(train_pairs, bs, config.seed)
        if dpo
        else iter_epochs(train_ex, bs, config.seed)
    )

    def run_eval() -> tuple[float, dict[str, Any]]:
        if dpo:
            loss, right = evaluate_pairs(
                model, val_pairs, reference, config.dpo_beta, pad_id, autocast
            )
            return loss, {"eval_pair_accuracy": round(right, 4)}
        return evaluate(model, val_ex, config.per_device_eval_batch_size, pad_id, autocast), {}

    # dpo_sft_weight: a batch of whole records beside each batch of pairs
    sft_batches = iter_epochs(train_ex, bs, config.seed) if dpo and train_ex else None

    has_val = bool(val_pairs if dpo else val_ex)
    for _ in range(step * accum):  # replay the data order up to the checkpoint
        next(batches)
        if sft_batches is not None:
            next(sft_batches)

    t0 = time.perf_counter()
    tokens = 0
    last_loss: float | None = None
    eval_loss: float | None = None
    progress = _Progress(console, total, step)
    try:
        while step < total:
            if stop_after is not None and step >= stop_after:
                break
            micro = [next(batches) for _ in range(accum)]
            sft_micro = [next(sft_batches)[1] for _ in micro] if sft_batches is not None else []
            # The loss is a mean over target tokens (sft) or over pairs (dpo).
            if dpo:
                n_targets = sum(len(b) for _, b in micro)
            else:
                n_targets = sum(e.n_targets for _, b in micro for e in b)
            loss_sum, ranked_right, sft_sum = 0.0, 0, 0.0
            n_sft = sum(e.n_targets for b in sft_micro for e in b)
            for records in sft_micro:
                sft_loss, _n = batch_loss(model, records, pad_id, autocast, loss_weights)
                (config.dpo_sft_weight * sft_loss / n_sft).backward()
                sft_sum += float(sft_loss.detach())
                tokens += sum(len(e.input_ids) for e in records)
            for _, batch in micro:
                if dpo:
                    loss, right = batch_dpo_loss(
                        model, batch, reference, config.dpo_beta, pad_id, autocast
                    )
                    ranked_right += right
                    tokens += sum(
                        len(p.chosen.input_ids) + len(p.rejected.input_ids) for p in batch
                    )
                else:
                    loss, _n = batch_loss(model, batch, pad_id, autocast, loss_weights)
                    tokens += sum(len(e.input_ids) for e in batch)
                (loss / n_targets).backward()
                loss_sum += float(loss.detach())
            grad_norm = (
                float(torch.nn.utils.clip_grad_norm_(params, config.max_grad_norm))
                if config.max_grad_norm > 0
                else 0.0
            )
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            last_loss = loss_sum / n_targets
            elapsed = time.perf_counter() - t0
            tps = tokens / elapsed if elapsed > 0 else 0.0
            if step % config.logging_steps == 0 or step == total:
                metrics.log(
                    {
                        "step": step,
                        "epoch": round(step * accum / batches_per_epoch, 4),
                        "loss": round(last_loss, 5),
                        "lr": scheduler.get_last_lr()[0],
                        "grad_norm": round(grad_norm, 5),
                        "tokens": tokens_before + tokens,
                        "tokens_per_s": round(tps, 1),
                        "elapsed_s": round(elapsed_before + elapsed, 2),
                        **({"pair_accuracy": round(ranked_right / n_targets, 4)} if dpo else {}),
                        **({"sft_loss": round(sft_sum / n_sft, 5)} if sft_micro else {}),
                    }
                )
            if has_val and config.eval_steps > 0 and step % config.eval_steps == 0 and step < total:
                eval_loss, extra_eval = run_eval()
                metrics.log({"step": step, "eval_loss": round(eval_loss, 5), **extra_eval})
            progress.update(step, last_loss, tps, eval_loss)
            if config.save_steps > 0 and step % config.save_steps == 0 and step < total:
                extra = {"tokens": tokens_before + tokens, "elapsed_s": elapsed_before + elapsed}
                save_checkpoint(
                    out, step, model, optimizer, scheduler, extra, config.save_total_limit
                )
                _plot(out, metrics.rows, config)
    finally:
        progress.close()
        metrics.close()

    elapsed = time.perf_counter() - t0
    # Stopped early on purpose (tests), or finished: a finished run's last step is kept so
    # that `--resume --max-steps N` can go on from it.
    if step < total or (
        config.save_steps > 0 and not (out / CKPT_DIR / f"step-{step:06d}").exists()
    ):
        save_checkpoint(
            out,
            step,
            model,
            optimizer,
            scheduler,
            {"tokens": tokens_before + tokens, "elapsed_s": elapsed_before + elapsed},
            config.save_total_limit,
        )
    if step < total:
        return TrainResult(
            out, step, tokens, elapsed, tokens / max(elapsed, 1e-9), last_loss, None, out
        )

    if has_val:
        eval_loss, extra_eval = run_eval()
        with (out / METRICS_FILE).open("a") as fh:
            fh.write(
                json.dumps({"step": step, "eval_loss": round(eval_loss, 5), **extra_eval}) + "\n"
            )
        metrics.rows.append({"step": step, "eval_loss": eval_loss, **extra_eval})
    final = save_final(out, model, tokenizer, config)
    _plot(out, metrics.rows, config)
    if last_loss is None:  # a resume that had no step left: the run's last logged loss
        last_loss = next((r["loss"] for r in reversed(metrics.rows) if "loss" in r), None)
    result = TrainResult(
        out,
        step,
        tokens_before + tokens,
        elapsed_before + elapsed,
        (tokens_before + tokens) / max(elapsed_before + elapsed, 1e-9),
        last_loss,
        eval_loss,
        final,
    )
    summary = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(result).items()}
    summary["device"] = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    atomic_write_text(out / SUMMARY_FILE, json.dumps(summary, indent=2) + "\n")
    return result


def _init_provenance(out: Path, config: TrainConfig, ckpt: Path | None) -> dict[str, Any]:
    """On resume, the ``init_from`` record base.json already holds (the weights are in the checkpoint)."""
    if not config.init_from or ckpt is None:
        return {}
    try:
        earlier = json.loads((out / BASE_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return {"init_from": earlier["init_from"]} if "init_from" in earlier else {}


def save_final(out: Path, model: Any, tokenizer: Any, config: TrainConfig) -> Path:
    """adapter/ (LoRA) or model/ (full), written to a temp dir and renamed."""
    name = MODEL_DIR if config.method == "full" else ADAPTER_DIR
    final = out / name
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out))
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    return final


def _plot(out: Path, rows: list[dict[str, Any]], config: TrainConfig) -> None:
    if not config.plot:
        return
    from assistant.training.plot import plot_loss

    plot_loss(rows, out / PLOT_FILE)


def _scoring_progress(console: Any) -> Callable[[list[Any]], Iterable[Any]]:
    """Wraps the pairs DPO scores before its first step in a progress bar (a line without
    a terminal)."""
    from rich.progress import track

    def wrap(batches: list[list[Any]]) -> Iterable[list[Any]]:
        n = sum(map(len, batches))
        what = f"Scoring {n} pairs with the starting model (DPO's reference)"
        if not console.is_terminal:
            console.print(f"{what}.")
        yield from track(
            batches, description=what, console=console, disable=not console.is_terminal
        )

    return wrap


class _Progress:
    """A rich progress bar on a terminal; a plain line every few percent otherwise."""

    def __init__(self, console: Any, total: int, start: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console
        self.total = total
        self.live = console.is_terminal
        self.t0 = time.perf_counter()
        self.start = start
        self.next_line = start
        if self.live:
            self.bar = Progress(
                TextColumn("step"),
                MofNCompleteColumn(),
                BarColumn(),
                TextColumn("loss {task.fields[loss]}"),
                TextColumn("{task.fields[tps]} tok/s"),
                TextColumn("{task.fields[eval]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
            )
            self.task = self.bar.add_task(
                "train", total=total, completed=start, loss="-", tps="-", eval=""
            )
            self.bar.start()

    def update(self, step: int, loss: float | None, tps: float, eval_loss: float | None) -> None:
        loss_s = f"{loss:.4f}" if loss is not None else "-"
        eval_s = f"eval {eval_loss:.4f}" if eval_loss is not None else ""
        if self.live:
            self.bar.update(self.task, completed=step, loss=loss_s, tps=f"{tps:.0f}", eval=eval_s)
            return
        if step >= self.next_line or step == self.total:
            done = step - self.start
            spent = time.perf_counter() - self.t0
            eta = spent / max(done, 1) * (self.total - step)
            self.console.print(
                f"step {step}/{self.total} loss {loss_s} {tps:.0f} tok/s {eval_s} ETA {eta / 60:.1f} min"
            )
            self.next_line = step + max(1, self.total // 50)

    def close(self) -> None:
        if self.live:
            self.bar.stop()


_FLAGS = {
    "learning_rate": "--lr",
    "per_device_train_batch_size": "--batch-size",
    "seed": "--seed",
    "base": "--base",
    "method": "--method",
    "init_from": "--init-from",
}


def config_differences(given: Path, saved: Path, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The settings the config file ``given`` sets to other values than a run's ``saved``
    one, with the new values. Only what the file sets: a run started with ``--init-from``
    (make_model's stages) resumes with its own config file, which never names one."""
    new, old = load_config(given), load_config(saved)
    return {
        k: getattr(new, k)
        for k in sorted(new.model_fields_set - set(exclude))
        if getattr(new, k) != getattr(old, k)
    }


def run_from_cli(
    *,
    data: Path,
    out: Path,
    val: Path | None,
    base: str | None,
    config_path: Path | None,
    method: str | None,
    resume: bool,
    overrides: dict[str, Any] | None = None,
) -> TrainResult:
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    changes = {k: overrides[k] for k in RESUME_CHANGES if k in overrides}
    if resume and (out / CONFIG_FILE).is_file():
        fixed = sorted(set(overrides) - set(changes)) + [
            k for k, v in (("base", base), ("method", method)) if v is not None
        ]
        if fixed:
            flags = ", ".join(_FLAGS.get(k, k) for k in fixed)
            raise TrainError(
                f"{flags} cannot change when resuming: the run continues with "
                f"{out / CONFIG_FILE}; drop the flag, or start a new run with another --out."
            )
        if config_path is not None and (
            differ := config_differences(config_path, out / CONFIG_FILE, exclude=changes)
        ):
            # Not an error: a run started with --config X --lr 1e-4 resumes with --config X.
            # How long and where it goes on come from the flags alone.
            from rich.console import Console

            Console(stderr=True).print(
                f"note: {config_path} differs from the run's {CONFIG_FILE} in "
                f"{', '.join(differ)}; a resumed run keeps its saved settings (only "
                "--max-steps, --epochs and --device change it).",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    config = load_config(config_path).updated(base=base, method=method, **overrides)
    return train(
        config, data, out, val=val, resume=resume, config_path=config_path, changes=changes
    )
