"""``--llama-cpp DIR``: convert architectures the built-in writer does not know with the
converter of a llama.cpp checkout (the merged model is written as HF safetensors first)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from assistant.training.export import ExportError, export


def convert_with_llama_cpp(
    checkout: Path, adapter: Path | None, base: str | None, out: Path, quant: str
) -> Path:
    from assistant.llm.adapters import AdapterError, ftype_of, quantize

    try:
        ftype_of(quant)  # an unknown --quant fails before the merge
    except AdapterError as exc:
        raise ExportError(str(exc)) from None
    script = checkout.expanduser() / "convert_hf_to_gguf.py"
    if not script.is_file():
        raise ExportError(
            f"{checkout} has no convert_hf_to_gguf.py; pass the root of a llama.cpp checkout to --llama-cpp."
        )
    work = Path(
        tempfile.mkdtemp(prefix=".export-", dir=out.parent if out.parent.exists() else None)
    )
    try:
        hf = export(adapter, work / "hf", fmt="hf", base=base, validate=False).out
        outtype = quant if quant in ("f16", "f32", "q8_0", "bf16") else "f16"
        tmp = work / f"model.{outtype}.gguf"
        proc = subprocess.run(
            [sys.executable, str(script), str(hf), "--outfile", str(tmp), "--outtype", outtype],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ExportError(
                f"llama.cpp's converter failed ({tail[0]}); check that the checkout supports this model."
            )
        if outtype == quant:
            shutil.move(tmp, out)
        else:
            try:
                quantize(tmp, out, quant)
            except AdapterError as exc:
                raise ExportError(str(exc)) from None
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
