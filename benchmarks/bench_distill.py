"""Generator overhead: distill against a local server that answers instantly.

Runs the real generation path (teacher wrapper with cache, retries and limits, the
official SDK, filters, dedup, record writer) for single-call tasks at concurrency
64 against a minimal asyncio HTTP server in a separate process that speaks the
Anthropic Messages API (SSE) or OpenAI Chat Completions (SSE) and replies at once.

    python benchmarks/bench_distill.py [--n 3000] [--provider anthropic|openai|both]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import multiprocessing as mp
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _answer(body: bytes) -> str:
    d = hashlib.sha256(body).hexdigest()
    words = " ".join(f"w{d[i:i + 6]}" for i in range(0, 60, 3))
    return f"Answer {d[:12]}: {words}\n\n```python\nprint({int(d[:6], 16)})\n```\n"


def _sse_anthropic(text: str) -> bytes:
    events = [
        ("message_start", {"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 60, "output_tokens": 1}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                 "delta": {"type": "text_delta", "text": text}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta",
                           "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                           "usage": {"output_tokens": 40}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return b"".join(f"event: {n}\ndata: {json.dumps(d)}\n\n".encode() for n, d in events)


def _sse_openai(text: str) -> bytes:
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini"}
    chunks = [
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": text},
                              "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {**base, "choices": [], "usage": {"prompt_tokens": 60, "completion_tokens": 40,
                                          "total_tokens": 100}},
    ]
    return b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks) + b"data: [DONE]\n\n"


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            body = await reader.readexactly(length) if length else b""
            text = _answer(body)
            payload = _sse_anthropic(text) if "/messages" in path else _sse_openai(text)
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                + f"content-length: {len(payload)}\r\n\r\n".encode() + payload
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve(port: int) -> None:
    async def main() -> None:
        server = await asyncio.start_server(_handle, "127.0.0.1", port, backlog=512)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_one(provider: str, n: int, concurrency: int, base_url: str) -> dict[str, float]:
    from assistant.distill.config import parse_config
    from assistant.distill.runner import Distiller

    out = Path(tempfile.mkdtemp(prefix=f"bench-distill-{provider}-"))
    model = "claude-haiku-4-5" if provider == "anthropic" else "gpt-4o-mini"
    cfg = parse_config(
        provider=provider, providers=None, mix_ratio=None, model=model,
        base_url=base_url if provider == "anthropic" else base_url + "/v1", model_path=None,
        api_key="bench", num_examples=n, output_dir=out, categories="explain",
        concurrency=concurrency, yes=True, progress=False,
    )
    d = Distiller(cfg)
    d.prepare()
    d.build_teachers()
    t0 = time.perf_counter()
    asyncio.run(d.run())
    wall = time.perf_counter() - t0
    calls = sum(int(v["calls"]) for v in d.spend.by_model.values())
    return {"records": d.state.accepted, "calls": calls, "wall_s": wall, "rps": calls / wall}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--provider", default="both", choices=["anthropic", "openai", "both"])
    args = ap.parse_args()
    port = _free_port()
    server = mp.Process(target=_serve, args=(port,), daemon=True)
    server.start()
    time.sleep(0.5)
    base = f"http://127.0.0.1:{port}"
    providers = ["anthropic", "openai"] if args.provider == "both" else [args.provider]
    rows = []
    try:
        for p in providers:
            rows.append((p, run_one(p, args.n, args.concurrency, base)))
    finally:
        server.terminate()
    print(f"\ndistill generator overhead: {args.n} single-call tasks, concurrency "
          f"{args.concurrency}, {os.cpu_count()} CPUs (server in its own process)\n")
    print(f"{'provider':<10} {'records':>8} {'calls':>7} {'wall s':>8} {'req/s':>8}")
    for p, r in rows:
        print(f"{p:<10} {r['records']:>8} {r['calls']:>7} {r['wall_s']:>8.2f} {r['rps']:>8.0f}")


if __name__ == "__main__":
    main()
