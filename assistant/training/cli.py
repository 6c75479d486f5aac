"""``assistant train`` and ``assistant export``: thin commands over train.py and export.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

EXIT_ERROR = 1


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(EXIT_ERROR)


def _quiet_libraries() -> None:
    # Threads that spin while waiting burn the other core on a busy 2-core machine.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _need_torch() -> None:
    from assistant.training import INSTALL_TRAIN_EXTRA, missing_train_extra

    missing = missing_train_extra()
    if missing:
        raise _fail(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed; "
            f"{INSTALL_TRAIN_EXTRA}."
        )


def train_command(
    data: Annotated[
        Path, typer.Option("--data", help="train.jsonl, or a distill output directory.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Output directory (checkpoints, adapter, metrics).")
    ],
    val: Annotated[
        Path | None, typer.Option("--val", help="Validation records (default: DIR/val.jsonl).")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="default, a .gguf file or a Hugging Face model dir."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="YAML config (see examples/train.yaml).")
    ] = None,
    method: Annotated[str | None, typer.Option("--method", help="lora, qlora or full.")] = None,
    device: Annotated[
        str | None,
        typer.Option("--device", help="auto (the CUDA GPU when there is one), cpu or cuda."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue from the latest checkpoint in --out.")
    ] = False,
    max_steps: Annotated[
        int | None, typer.Option("--max-steps", help="Override max_steps.")
    ] = None,
    epochs: Annotated[
        float | None, typer.Option("--epochs", help="Override num_train_epochs.")
    ] = None,
    learning_rate: Annotated[
        float | None, typer.Option("--lr", help="Override learning_rate.")
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", help="Override per_device_train_batch_size.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Override seed.")] = None,
    init_from: Annotated[
        Path | None,
        typer.Option(
            "--init-from",
            help="Start the LoRA weights from a finished run's --out or a LoRA GGUF such as assistant/llm/tuned/adapter.gguf (fresh optimizer); --method full starts from the base with it merged in.",
        ),
    ] = None,
) -> None:
    """Fine-tune the local model on dataset records (LoRA, QLoRA or full)."""
    _quiet_libraries()
    _need_torch()
    from assistant.training.base import BaseModelError
    from assistant.training.config import ConfigError
    from assistant.training.data import DataError
    from assistant.training.train import TrainError, run_from_cli

    overrides = {
        "max_steps": max_steps,
        "num_train_epochs": epochs,
        "learning_rate": learning_rate,
        "per_device_train_batch_size": batch_size,
        "seed": seed,
        "device": device,
        "init_from": str(init_from) if init_from is not None else None,
    }
    try:
        result = run_from_cli(
            data=data,
            out=out,
            val=val,
            base=base,
            config_path=config,
            method=method,
            resume=resume,
            overrides=overrides,
        )
    except (TrainError, ConfigError, DataError, BaseModelError) as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        typer.secho("interrupted; continue with --resume from the last checkpoint.", err=True)
        raise typer.Exit(130) from None
    eval_s = f", eval loss {result.eval_loss:.4f}" if result.eval_loss is not None else ""
    typer.echo(
        f"trained {result.steps} steps, {result.tokens} tokens in {result.elapsed_s / 60:.1f} min "
        f"({result.tokens_per_s:.0f} tokens/s), loss {result.train_loss or float('nan'):.4f}{eval_s}; "
        f"saved {result.final_dir}"
    )
    typer.echo(f"next: assistant export --adapter {out} --out {out / 'model.gguf'} --quant q8_0")


def export_command(
    out: Annotated[
        Path, typer.Option("--out", help="Output file (.gguf) or directory (--format hf).")
    ],
    adapter: Annotated[
        Path | None,
        typer.Option(
            "--adapter", help="The --out directory of `assistant train` (none: the base itself)."
        ),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Base model (default: the one the adapter was trained on)."),
    ] = None,
    quant: Annotated[
        str, typer.Option("--quant", help="q4_k_m, q5_k_m, q8_0, q4_1, f16 or f32.")
    ] = "q8_0",
    fmt: Annotated[str, typer.Option("--format", help="gguf, lora-gguf or hf.")] = "gguf",
    name: Annotated[
        str | None, typer.Option("--name", help="Alias to register (default: the file name).")
    ] = None,
    no_alias: Annotated[
        bool, typer.Option("--no-alias", help="Do not register the export as a model alias.")
    ] = False,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Skip the greedy comparison with transformers.")
    ] = False,
    llama_cpp: Annotated[
        Path | None,
        typer.Option(
            "--llama-cpp", help="A llama.cpp checkout whose converter handles other architectures."
        ),
    ] = None,
) -> None:
    """Merge and write a GGUF (or a LoRA GGUF, or HF safetensors), validate it, register an alias."""
    _quiet_libraries()
    from assistant.llm.adapters import AdapterError
    from assistant.training.base import BaseModelError
    from assistant.training.export import ExportError, export

    if llama_cpp is not None and fmt != "gguf":
        raise _fail(f"--llama-cpp writes a merged GGUF; drop --format {fmt} or --llama-cpp.")
    if fmt != "lora-gguf":
        _need_torch()
    if fmt == "gguf" and not no_alias:
        from assistant.training.aliases import AliasError, read_alias_config

        try:
            read_alias_config()
        except AliasError as exc:
            raise _fail(str(exc)) from None
    if llama_cpp is not None:
        from assistant.training.external import convert_with_llama_cpp

        try:
            convert_with_llama_cpp(llama_cpp, adapter, base, out, quant)
        except (ExportError, AdapterError, BaseModelError) as exc:
            raise _fail(str(exc)) from None
        typer.echo(
            f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, gguf {quant}) with llama.cpp's "
            "converter (not validated)"
        )
    else:
        try:
            result = export(adapter, out, fmt=fmt, quant=quant, base=base, validate=not no_validate)
        except (ExportError, AdapterError, BaseModelError) as exc:
            raise _fail(str(exc)) from None
        typer.echo(
            f"wrote {result.out} ({result.size_bytes / 1e6:.1f} MB, {fmt}{' ' + result.quant if result.quant else ''}) in {result.seconds:.1f} s"
        )
        if result.validation is not None:
            typer.echo(result.validation.line())
        for note in result.notes:
            typer.echo(f"note: {note}")
    if fmt != "gguf" or no_alias:
        return
    from assistant.training.aliases import AliasError, register_alias

    alias = name or out.stem
    try:
        path = register_alias(alias, out)
    except AliasError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(
            f"Could not register the alias {alias!r} ({exc}); pass --no-alias or fix the config file's permissions."
        ) from None
    typer.echo(
        f"registered model alias {alias!r} in {path}; run it with `assistant --model {alias}`"
    )


def mount(app: typer.Typer) -> None:
    """Add the two commands to the top-level CLI."""
    app.command("train")(train_command)
    app.command("export")(export_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(typer.run(train_command))
