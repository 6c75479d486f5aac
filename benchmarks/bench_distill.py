"""Generator overhead: distill against a local server that answers instantly.

Runs the real generation path (teacher wrapper with cache, retries and limits, the
official SDK, filters, dedup, record writer) for single-call tasks at concurrency
64 against a minimal asyncio HTTP server in a separate process that speaks the
Anthropic Messages API (SSE) or OpenAI Chat Completions (SSE) and replies at once.

    python benchmarks/bench_distill.py [--n 3000] [--provider anthropic|openai|both]
        [--workers 1,0]   # compare one process with the automatic worker count

Client CPU counts the worker processes too.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _answer(body: bytes) -> str:
    """A distinct question back per request body: the right reply to the missing_value
    tasks the benchmark runs, and unique, so dedup keeps every record."""
    d = hashlib.sha256(body).hexdigest()
    words = " ".join(f"w{d[i : i + 6]}" for i in range(0, 60, 3))
    return f"Before calling anything ({words}), which value should I use?"


def _sse_anthropic(text: str) -> bytes:
    events = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-haiku-4-5",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 60, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": text},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 40},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return b"".join(f"event: {n}\ndata: {json.dumps(d)}\n\n".encode() for n, d in events)


def _sse_openai(text: str) -> bytes:
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini"}
    chunks = [
        {
            **base,
            "choices": [
                {"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": None}
            ],
        },
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {
            **base,
            "choices": [],
            "usage": {"prompt_tokens": 60, "completion_tokens": 40, "total_tokens": 100},
        },
    ]
    return b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks) + b"data: [DONE]\n\n"


def _json_anthropic(text: str) -> bytes:
    return json.dumps(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 60, "output_tokens": 40},
        }
    ).encode()


def _json_openai(text: str) -> bytes:
    return json.dumps(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 60, "completion_tokens": 40, "total_tokens": 100},
        }
    ).encode()


def _reply(path: bytes, body: bytes) -> bytes:
    """The whole HTTP/1.1 response: JSON, or SSE when the request asked to stream."""
    text = _answer(body)
    anthropic = b"/messages" in path
    streaming = b'"stream":true' in body or b'"stream": true' in body
    if streaming:
        payload = _sse_anthropic(text) if anthropic else _sse_openai(text)
        ctype = b"text/event-stream"
    else:
        payload = _json_anthropic(text) if anthropic else _json_openai(text)
        ctype = b"application/json"
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: "
        + ctype
        + b"\r\ncontent-length: "
        + str(len(payload)).encode()
        + b"\r\n\r\n"
        + payload
    )


class InstantHTTP(asyncio.Protocol):
    """A keep-alive HTTP/1.1 server at the protocol level: parse, answer, no awaits.

    It handles pipelined requests and bodies split over several reads; it needs
    ``content-length`` (the SDKs always send it) and never sees chunked uploads.
    """

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        out = []
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end < 0:
                break
            head = self.buf[:head_end]
            low = head.lower()
            length = 0
            cl = low.find(b"content-length:")
            if cl >= 0:
                eol = low.find(b"\r\n", cl)
                length = int(head[cl + 15 : eol if eol >= 0 else len(head)])
            if len(self.buf) < head_end + 4 + length:
                break
            body = self.buf[head_end + 4 : head_end + 4 + length]
            path = head[: head.find(b"\r\n")]
            self.buf = self.buf[head_end + 4 + length :]
            out.append(_reply(path, body))
        if out:
            self.transport.write(b"".join(out))  # type: ignore[attr-defined]


def _serve(port: int, ready: Any) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(InstantHTTP, "127.0.0.1", port, backlog=1024)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamOnly:
    """A backend without ``create``: makes the teacher use the streaming path (the old one)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.name, self.provider = backend.name, backend.provider
        self.context_length = backend.context_length
        self.client = backend.client
        self.stream, self.count_tokens = backend.stream, backend.count_tokens


VARIANTS = {
    # name: (non-streaming create, aiohttp transport)
    "stream+httpx": (False, False),
    "create+httpx": (True, False),
    "create+aiohttp": (True, True),
}


def _backend(provider: str, model: str, base_url: str, variant: str) -> Any:
    """``variant`` ``default`` is exactly what ``assistant distill`` builds."""
    from assistant.distill.teachers import build_backend

    if variant == "default":
        return build_backend(provider, model, base_url=base_url, api_key="bench")
    create, aio = VARIANTS[variant]
    if provider == "anthropic":
        import anthropic

        from assistant.llm.anthropic import AnthropicModel

        b: Any = AnthropicModel(
            model,
            api_key="bench",
            base_url=base_url,
            max_retries=0,
            http_client=anthropic.DefaultAioHttpClient() if aio else None,
        )
    else:
        import openai

        from assistant.llm.openai import OpenAIModel

        b = OpenAIModel(
            model,
            api_key="bench",
            base_url=base_url,
            max_retries=0,
            http_client=openai.DefaultAioHttpClient() if aio else None,
        )
    return b if create else StreamOnly(b)


def run_one(
    provider: str,
    variant: str,
    n: int,
    concurrency: int,
    base_url: str,
    server_pid: int,
    workers: int = 0,
) -> dict[str, float]:
    import resource

    import psutil

    from assistant.distill.config import parse_config
    from assistant.distill.runner import Distiller
    from assistant.distill.teachers import close_backend

    out = Path(tempfile.mkdtemp(prefix=f"bench-distill-{provider}-"))
    model = "claude-haiku-4-5" if provider == "anthropic" else "gpt-4o-mini"
    url = base_url if provider == "anthropic" else base_url + "/v1"
    cfg = parse_config(
        provider=provider,
        providers=None,
        mix_ratio=None,
        model=model,
        base_url=url,
        model_path=None,
        api_key="bench",
        num_examples=n,
        output_dir=out,
        categories="missing_value",
        concurrency=concurrency,
        yes=True,
        progress=False,
        workers=workers,
    )
    d = Distiller(cfg)
    d.prepare()
    # "default" builds exactly what `assistant distill` builds (and may use worker processes);
    # the other variants hand in one backend, which keeps the run in this process.
    backend = None if variant == "default" else _backend(provider, model, url, variant)
    d.build_teachers({provider: backend} if backend is not None else None)

    async def go() -> None:
        try:
            await d.run()
        finally:
            if backend is not None:
                await close_backend(backend)

    def children_cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, once joined
        return r.ru_utime + r.ru_stime

    server = psutil.Process(server_pid)
    s0 = sum(server.cpu_times()[:2])
    p0 = time.process_time()
    k0 = children_cpu()
    t0 = time.perf_counter()
    asyncio.run(go())
    wall = time.perf_counter() - t0
    pcpu = time.process_time() - p0
    cpu = pcpu + children_cpu() - k0
    scpu = sum(server.cpu_times()[:2]) - s0
    calls = sum(int(v["calls"]) for v in d.spend.by_model.values())
    shutil.rmtree(out, ignore_errors=True)
    return {
        "workers": d.workers(),
        "records": d.state.accepted,
        "calls": calls,
        "wall_s": wall,
        "rps": calls / wall,
        "client_ms": 1000 * cpu / calls,
        "parent_ms": 1000 * pcpu / calls,
        "server_ms": 1000 * scpu / calls,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--provider", default="both", choices=["anthropic", "openai", "both"])
    ap.add_argument(
        "--variants",
        default="default",
        help="comma-separated: default (what distill uses), "
        + ", ".join(VARIANTS)
        + " (stream+httpx is the path before the rework)",
    )
    ap.add_argument(
        "--workers",
        default="0",
        help="comma-separated --workers values for the default path (0: automatic)",
    )
    args = ap.parse_args()
    port = _free_port()
    ready = mp.Event()
    server = mp.Process(target=_serve, args=(port, ready), daemon=True)
    server.start()
    ready.wait(10)
    base = f"http://127.0.0.1:{port}"
    providers = ["anthropic", "openai"] if args.provider == "both" else [args.provider]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    rows = []
    try:
        for p in providers:
            for v in variants:
                for w in [int(x) for x in args.workers.split(",")] if v == "default" else [1]:
                    rows.append(
                        (p, v, run_one(p, v, args.n, args.concurrency, base, server.pid, workers=w))
                    )
    finally:
        server.terminate()
    load = os.getloadavg()[0]
    print(
        f"\ndistill generator overhead: {args.n} single-call tasks, concurrency "
        f"{args.concurrency}, {os.cpu_count()} CPUs, load average {load:.1f} "
        "(server in its own process)\n"
    )
    print(
        f"{'provider':<10} {'path':<15} {'workers':>7} {'records':>8} {'calls':>6} {'wall s':>7} "
        f"{'req/s':>6} {'client CPU ms/req':>18} {'of which parent':>16} {'server CPU ms/req':>18}"
    )
    for p, v, r in rows:
        print(
            f"{p:<10} {v:<15} {r['workers']:>7} {r['records']:>8} {r['calls']:>6} {r['wall_s']:>7.2f} "
            f"{r['rps']:>6.0f} {r['client_ms']:>18.2f} {r['parent_ms']:>16.2f} {r['server_ms']:>18.2f}"
        )


if __name__ == "__main__":
    main()
