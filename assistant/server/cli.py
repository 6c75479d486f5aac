"""``assistant serve``: load the model once and serve both APIs until Ctrl-C.

FastAPI and uvicorn come with the ``serve`` extra and are imported only when the
command runs, so the rest of the CLI starts without them.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from assistant.llm.models import MODEL_HELP
from assistant.server.hosts import host_name, is_loopback, origin_problem

API_KEY_ENV = "ASSISTANT_SERVE_API_KEY"


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


def _log_level() -> str:
    """``ASSISTANT_LOG``, checked before the model loads (uvicorn would fail after)."""
    from uvicorn.config import LOG_LEVELS

    level = os.environ.get("ASSISTANT_LOG", "info").lower()
    if level not in LOG_LEVELS:
        raise _fail(
            f"ASSISTANT_LOG={level!r} is not a log level; set it to one of "
            f"{', '.join(LOG_LEVELS)} or unset it."
        )
    return level


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or one clear sentence when the address is taken or invalid."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise _fail(
            f"Cannot resolve --host {host!r}; pass an IP address such as 127.0.0.1."
        ) from None
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        raise _fail(
            f"Cannot listen on {host}:{port} ({exc.strerror}); pick another --port or stop "
            "the program using it."
        ) from None
    sock.listen(128)
    return sock


def serve(
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help=MODEL_HELP),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (0: any free one).", min=0, max=65535)
    ] = 8000,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar=API_KEY_ENV,
            help=f"Require this key on every request (or set {API_KEY_ENV}).",
            show_default=False,
        ),
    ] = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow browser requests from this origin (repeatable)."),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also answer requests whose Host header is this name (repeatable); IP "
            "addresses, localhost and --host are always answered, and with --api-key any name.",
        ),
    ] = None,
    agent: Annotated[
        bool,
        typer.Option("--agent", help="The chat endpoint runs the full agent with its tools."),
    ] = False,
    workspace: Annotated[
        Path, typer.Option("--workspace", "-C", help="Project directory for --agent.")
    ] = Path("."),
    n_ctx: Annotated[
        int | None, typer.Option("--n-ctx", help="Context window (local models).", min=256)
    ] = None,
    max_tokens_limit: Annotated[
        int, typer.Option("--max-tokens-limit", help="Largest max_tokens a request may ask for.")
    ] = 4096,
    max_request_bytes: Annotated[
        int, typer.Option("--max-request-bytes", help="Largest request body accepted.")
    ] = 4 * 1024 * 1024,
    max_queue: Annotated[
        int, typer.Option("--max-queue", help="Requests that may wait for the model (then 429).")
    ] = 64,
) -> None:
    """Serve the model over OpenAI- and Anthropic-compatible HTTP APIs."""
    try:
        import uvicorn

        from assistant.server.app import create_app
    except ImportError as exc:
        raise _fail(
            f"The server needs the 'serve' extra ({exc.name} is missing); "
            "run: pip install 'assistant[serve]'."
        ) from None
    from assistant.agent.builder import build_model
    from assistant.config import ConfigError, load_settings
    from assistant.llm.base import LLMError
    from assistant.server.agent_mode import AgentRunner
    from assistant.server.engine import Engine
    from assistant.server.state import ServerConfig, ServerState

    if agent and not api_key and not is_loopback(host):
        raise _fail(
            f"--agent on {host} without an API key would let anyone who can reach it run the "
            f"agent's tools on your workspace; set --api-key (or {API_KEY_ENV}), or listen on "
            "127.0.0.1."
        )
    if not workspace.is_dir():
        raise _fail(f"Workspace {workspace} is not a directory; pass an existing one with -C.")
    for name in allowed_host or []:
        if host_name(name) is None:
            raise _fail(
                f"--allowed-host {name!r} is not a host name; give the name alone as it "
                "appears in the Host header, e.g. assistant.lan."
            )
    for origin in cors_origin or []:
        if problem := origin_problem(origin):
            raise _fail(
                f"--cors-origin {origin!r} is not an origin ({problem}); give it as a browser "
                "sends it, e.g. http://localhost:3000, or * for any."
            )
    overrides: dict[str, object] = {"model": model}
    if n_ctx is not None:
        overrides["llm"] = {"n_ctx": n_ctx}
    try:
        settings = load_settings(workspace.resolve(), overrides)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    if min(max_tokens_limit, max_request_bytes, max_queue + 1) < 1:
        raise _fail(
            "--max-tokens-limit, --max-request-bytes must be positive and --max-queue >= 0."
        )
    log_level = _log_level()
    sock = bind(host, port)
    try:
        chat_model = build_model(settings)
    except LLMError as exc:
        sock.close()
        raise _fail(str(exc)) from None
    config = ServerConfig(
        host=host,
        port=sock.getsockname()[1],
        api_key=api_key or None,
        cors_origins=list(cors_origin or []),
        allowed_hosts=list(allowed_host or []),
        max_request_bytes=max_request_bytes,
        max_tokens_limit=max_tokens_limit,
        default_max_tokens=min(1024, max_tokens_limit),
    )
    engine = Engine(chat_model, max_waiting=max_queue)
    state = ServerState(engine, config)
    if agent:
        state.agent = AgentRunner(engine, settings, workspace)
    if not api_key and not is_loopback(host):
        typer.secho(
            f"warning: listening on {host} without an API key; anyone who can reach it can "
            f"use the model. Set --api-key or {API_KEY_ENV}.",
            err=True,
            fg=typer.colors.YELLOW,
        )
    mode = f" (agent mode, approval: {settings.approval.mode})" if agent else ""
    typer.echo(f"Serving {chat_model.name} on http://{host}:{config.port}/v1{mode}", err=True)
    server = uvicorn.Server(uvicorn.Config(create_app(state), log_level=log_level))
    server.run(sockets=[sock])
