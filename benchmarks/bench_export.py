"""Export time per format and quantization, and decode speed of each export.

Exports an adapter (``--adapter DIR``, default: a random LoRA r=16 on all linear layers
made here, which costs the same to export as a trained one) to every format, then
decodes the same prompt greedily with llama.cpp on each GGUF, the original default
GGUF and the default GGUF with the LoRA applied at load time. Prints a table:

    export            seconds    size MB   decode tok/s   vs original

Usage: ``python benchmarks/bench_export.py [--adapter DIR] [--tokens 96] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUANTS = ["f16", "q8_0", "q4_1", "q5_k_m", "q4_k_m"]


def random_adapter(out: Path) -> Path:
    from assistant.training.base import resolve_base
    from tests.training.test_export_lora import make_adapter

    return make_adapter(resolve_base("default"), out, std=0.05, r=16)


def decode_speed(llm, ids: list[int], tokens: int) -> float:
    llm.reset()
    llm.eval(ids)
    t = time.perf_counter()
    n = 0
    for _tok in llm.generate(ids, top_k=1, temp=0.0, repeat_penalty=1.0, reset=False):
        n += 1
        if n >= tokens:
            break
    return n / (time.perf_counter() - t)


def paired(
    original: Path, gguf: Path, tokens: int, repeats: int, lora: Path | None = None
) -> tuple[float, float]:
    """(median decode tok/s of ``gguf``, median of the per-pair ratios to the original).

    The two models are timed alternately, so a busy machine slows both alike.
    """
    from assistant.training.validate import llama_open, llama_tokens, prompt_texts

    a = llama_open(original)
    b = llama_open(gguf, lora=lora)
    ids = llama_tokens(a, prompt_texts(2)[1:])[0]
    speeds, ratios = [], []
    for _ in range(repeats):
        sa = decode_speed(a, ids, tokens)
        sb = decode_speed(b, ids, tokens)
        speeds.append(sb)
        ratios.append(sb / sa)
    return statistics.median(speeds), statistics.median(ratios)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--adapter", type=Path, default=None)
    ap.add_argument("--tokens", type=int, default=96)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quants", nargs="*", default=QUANTS)
    args = ap.parse_args()

    from assistant.llm.models import default_model_path
    from assistant.training.export import export

    original = default_model_path()
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        adapter = args.adapter or random_adapter(tmp / "adapter")
        rows: list[tuple[str, float | None, float, Path | None, Path | None]] = []
        r = export(adapter, tmp / "adapter.gguf", fmt="lora-gguf", validate=False)
        rows.append(("lora-gguf (runtime LoRA)", r.seconds, r.size_bytes, original, r.out))
        r = export(adapter, tmp / "hf", fmt="hf", validate=False)
        rows.append(("hf (safetensors)", r.seconds, r.size_bytes, None, None))
        for q in args.quants:
            r = export(adapter, tmp / f"merged-{q}.gguf", quant=q, validate=False)
            rows.append((f"gguf {q}", r.seconds, r.size_bytes, r.out, None))

        from assistant.llm.adapters import merge_lora

        t = time.perf_counter()
        m = merge_lora(original, tmp / "adapter.gguf", tmp / "merged-torchfree.gguf")
        rows.append(
            (
                "torch-free merge (llm/adapters.py)",
                time.perf_counter() - t,
                m.stat().st_size,
                m,
                None,
            )
        )

        print(
            f"decode: {args.tokens} greedy tokens, {args.repeats} pairs alternating with the original, {os.cpu_count()} threads, load avg {os.getloadavg()[0]:.1f}"
        )
        print(f"{'export':<38}{'seconds':>9}{'size MB':>10}{'decode tok/s':>14}{'vs original':>13}")
        print(
            f"{'original default GGUF (' + original.name[-10:] + ')':<38}{'':>9}{original.stat().st_size / 1e6:>10.1f}{'':>14}{1.0:>13.2f}"
        )
        for label, secs, size, gguf, lora in rows:
            if gguf is None:
                print(f"{label:<38}{secs:>9.1f}{size / 1e6:>10.1f}{'-':>14}{'-':>13}")
                continue
            speed, ratio = paired(original, gguf, args.tokens, args.repeats, lora)
            print(f"{label:<38}{secs:>9.1f}{size / 1e6:>10.1f}{speed:>14.1f}{ratio:>13.2f}")


if __name__ == "__main__":
    main()
