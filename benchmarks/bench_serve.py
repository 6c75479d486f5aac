"""`assistant serve` speed: overhead against direct backend calls, prefix reuse, throughput.

Prints a table:

1. decode tokens/s streamed through the server (openai SDK, SSE) against direct
   ``LlamaCppModel.stream`` calls on the same prompt, seed and sampling, alternating
   (target ratio >= 0.9);
2. time to first token, measured by the client, of turn 2 of a conversation with a
   ~2,000-token history against turn 1 (KV prefix reuse across requests);
3. requests/s and latency (p50/p95) of short non-streaming requests from 1 and from
   several concurrent clients (they queue for the one model).

The server runs in this process (uvicorn in a thread) on a free port of 127.0.0.1.

Usage: ``python benchmarks/bench_serve.py [--tokens 96] [--pairs 6] [--requests 24]
[--clients 8] [--threads N]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

import openai
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_llm import STORY, history

from assistant.llm.base import Completion, Message
from assistant.llm.llamacpp import DEFAULT_SEED, LlamaCppModel
from assistant.llm.models import default_model_path
from assistant.server.app import create_app
from assistant.server.cli import bind
from assistant.server.engine import Engine
from assistant.server.state import ServerConfig, ServerState

TEMPERATURE = 0.2


def start_server(model: LlamaCppModel) -> tuple[uvicorn.Server, str]:
    state = ServerState(Engine(model, max_waiting=256), ServerConfig(max_tokens_limit=4096))
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def wire(messages: list[Message]) -> list[dict]:
    return [{"role": m.role, "content": m.content} for m in messages]


async def decode_direct(model: LlamaCppModel, n: int) -> tuple[float, int]:
    """Tokens/s from the first streamed item to the last, calling the backend directly."""
    t_first = None
    final: Completion | None = None
    async for item in model.stream(STORY, max_tokens=n, temperature=TEMPERATURE):
        if t_first is None:
            t_first = time.perf_counter()
        if isinstance(item, Completion):
            final = item
    t_end = time.perf_counter()
    assert final is not None and t_first is not None
    tokens = final.usage.output_tokens
    return (tokens - 1) / (t_end - t_first), tokens


async def decode_server(client: openai.AsyncOpenAI, n: int) -> tuple[float, int]:
    """The same measure, from the first SSE chunk with text to the last chunk."""
    t_first = None
    tokens = 0
    stream = await client.chat.completions.create(
        model="default",
        messages=wire(STORY),
        max_tokens=n,
        temperature=TEMPERATURE,
        seed=DEFAULT_SEED,
        stream=True,
        stream_options={"include_usage": True},
    )
    async for chunk in stream:
        if t_first is None and chunk.choices and chunk.choices[0].delta.content:
            t_first = time.perf_counter()
        if chunk.usage is not None:
            tokens = chunk.usage.completion_tokens
    t_end = time.perf_counter()
    assert t_first is not None
    return (tokens - 1) / (t_end - t_first), tokens


async def first_token_s(client: openai.AsyncOpenAI, messages: list[dict]) -> tuple[float, str]:
    t0 = time.perf_counter()
    ttft = None
    text = []
    stream = await client.chat.completions.create(
        model="default", messages=messages, max_tokens=24, temperature=0, stream=True
    )
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            ttft = ttft or time.perf_counter() - t0
            text.append(chunk.choices[0].delta.content)
    assert ttft is not None
    return ttft, "".join(text)


async def load(
    client: openai.AsyncOpenAI, requests: int, clients: int, tokens: int
) -> tuple[float, list[float], int]:
    """``requests`` short requests from ``clients`` workers: (wall s, latencies, output tokens)."""
    latencies: list[float] = []
    out_tokens = 0
    todo = list(range(requests))

    async def worker() -> None:
        nonlocal out_tokens
        while todo:
            i = todo.pop()
            t0 = time.perf_counter()
            reply = await client.chat.completions.create(
                model="default",
                messages=[{"role": "user", "content": f"Give me fact number {i} about the sea."}],
                max_tokens=tokens,
                temperature=TEMPERATURE,
            )
            latencies.append(time.perf_counter() - t0)
            out_tokens += reply.usage.completion_tokens

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - t0, latencies, out_tokens


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--tokens", type=int, default=96, help="tokens to decode per decode run")
    ap.add_argument("--pairs", type=int, default=6, help="direct/server decode pairs")
    ap.add_argument("--history", type=int, default=2000, help="history length in tokens")
    ap.add_argument("--repeats", type=int, default=3, help="TTFT runs")
    ap.add_argument("--requests", type=int, default=24, help="requests per load run")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients in the load run")
    ap.add_argument("--load-tokens", type=int, default=16, help="max_tokens per load request")
    ap.add_argument("--threads", type=int, default=None, help="default: every core")
    args = ap.parse_args()
    t_start = time.perf_counter()
    path = args.model or default_model_path()
    model = LlamaCppModel(path, n_ctx=4096, n_threads=args.threads)
    _, base_url = start_server(model)
    client = openai.AsyncOpenAI(base_url=base_url, api_key="none", max_retries=0)
    print(f"model: {model.name}, n_threads={model.n_threads}, server {base_url}", flush=True)

    # Warm up, then alternate direct and server runs, swapping the order each pair; the
    # ratio is the median of per-pair ratios because this machine's speed drifts.
    await decode_direct(model, 16)
    await decode_server(client, 16)
    direct, served = [], []
    for i in range(args.pairs):
        if i % 2:
            served.append(await decode_server(client, args.tokens))
            direct.append(await decode_direct(model, args.tokens))
        else:
            direct.append(await decode_direct(model, args.tokens))
            served.append(await decode_server(client, args.tokens))
    direct_tps = statistics.median(t for t, _ in direct)
    served_tps = statistics.median(t for t, _ in served)
    ratio = statistics.median(s / d for (s, _), (d, _) in zip(served, direct, strict=True))
    same_tokens = all(s[1] == d[1] for s, d in zip(served, direct, strict=True))

    hist = history(model, args.history)
    hist_tokens = model.count_tokens(hist)
    cold, warm = [], []
    for r in range(args.repeats):
        await first_token_s(client, [{"role": "user", "content": f"Unrelated warm-up {r}."}])
        t1, reply = await first_token_s(client, wire(hist))
        cold.append(t1)
        turn2 = [*wire(hist), {"role": "assistant", "content": reply}]
        turn2.append({"role": "user", "content": "Which of those risks is the worst?"})
        t2, _ = await first_token_s(client, turn2)
        warm.append(t2)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)

    loads = []
    for clients in (1, args.clients):
        wall, lat, toks = await load(client, args.requests, clients, args.load_tokens)
        loads.append((clients, wall, lat, toks))

    rows = [
        ("decode tok/s, direct LlamaCppModel.stream", f"{direct_tps:8.1f}", f"{args.tokens} max"),
        ("decode tok/s, through the server (SSE)", f"{served_tps:8.1f}", "openai SDK"),
        ("  ratio server / direct (target >= 0.9)", f"{ratio:8.3f}", "median of pairs"),
        ("  same token counts in every pair", f"{same_tokens!s:>8}", ""),
        (f"TTFT turn 1, {hist_tokens}-token history", f"{cold_s * 1000:8.0f}", "ms, client"),
        ("TTFT turn 2, same history + 1 turn", f"{warm_s * 1000:8.0f}", "ms, client"),
        ("  ratio turn 2 / turn 1", f"{warm_s / cold_s:8.3f}", "KV prefix reuse"),
    ]
    for clients, wall, lat, toks in loads:
        label = f"{args.requests} requests, {clients} client{'s' if clients > 1 else ''}"
        rows += [
            (f"{label}: requests/s", f"{len(lat) / wall:8.2f}", f"max_tokens {args.load_tokens}"),
            (f"{label}: latency p50", f"{pct(lat, 0.5) * 1000:8.0f}", "ms"),
            (f"{label}: latency p95", f"{pct(lat, 0.95) * 1000:8.0f}", "ms"),
            (f"{label}: output tok/s", f"{toks / wall:8.1f}", "all clients"),
        ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>8}  note")
    print("-" * (width + 28))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value}  {note}")
    print(
        f"(decode: {args.pairs} alternating pairs; TTFT: median of {args.repeats}; "
        f"{time.perf_counter() - t_start:.0f}s in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
