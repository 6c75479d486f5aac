"""The FastAPI application: routes, error handlers, API key, CORS and the web-page guard."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response, StreamingResponse

from assistant.llm.base import CancelToken, LLMError, TextDelta
from assistant.server import anthropic_api, openai_api
from assistant.server.agent_mode import AgentTurn
from assistant.server.engine import Result, collect
from assistant.server.errors import (
    APIError,
    error_body,
    http_status,
    llm_error,
)
from assistant.server.hosts import normalised_origin
from assistant.server.http import (
    APIKeyMiddleware,
    BrowserGuardMiddleware,
    ClientGoneError,
    parse,
    read_json,
    sse,
    started,
    stream_until_disconnect,
    until_disconnect,
)
from assistant.server.state import ServerState

log = logging.getLogger("assistant.server")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
CLIENT_GONE = 499
"""Logged for requests whose client left; never seen by anyone."""


def _body_schema(model: Any) -> dict[str, Any]:
    """An OpenAPI requestBody for a route that parses its own body (to control errors)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "x-components": defs,
    }


def create_app(state: ServerState) -> FastAPI:
    app = FastAPI(title="assistant", version="1", docs_url=None, redoc_url=None)
    app.state.server = state
    _install_error_handlers(app)
    if state.config.api_key:
        app.add_middleware(APIKeyMiddleware, api_key=state.config.api_key)
    # As a browser writes Origin: CORSMiddleware compares exactly.
    cors_origins = [normalised_origin(o) for o in state.config.cors_origins]
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
        )
    if not state.config.api_key:
        # Added last, so it runs first: a web page's request is refused before anything
        # else. With a key it adds nothing (a page cannot send the key) and would refuse
        # proxies and container names that forward their own Host.
        app.add_middleware(
            BrowserGuardMiddleware,
            allowed_hosts=[state.config.host, *state.config.allowed_hosts],
            cors_origins=cors_origins,
        )
    limit = state.config.max_request_bytes

    @app.get("/health")
    async def health() -> dict[str, Any]:
        q = state.engine.queue.stats()
        return {
            "status": "ok",
            "model": state.model_id,
            "agent": state.agent is not None,
            "queue": {
                "running": q.running,
                "waiting": q.waiting,
                "served": q.served,
                "cancelled": q.cancelled,
            },
        }

    @app.get("/v1/models")
    async def list_models(
        request: Request, after_id: str | None = None, before_id: str | None = None
    ) -> dict[str, Any]:
        if not _from_anthropic(request):
            return {"object": "list", "data": [_model_card(state)]}
        # The one model comes after or before no other, so a next page is empty.
        cards = [] if after_id or before_id else [_anthropic_model_card(state)]
        return {
            "data": cards,
            "has_more": False,
            "first_id": cards[0]["id"] if cards else None,
            "last_id": cards[-1]["id"] if cards else None,
        }

    @app.get("/v1/models/{model_id}")
    async def get_model(request: Request, model_id: str) -> dict[str, Any]:
        state.check_model(model_id)
        if _from_anthropic(request):
            return _anthropic_model_card(state)
        return _model_card(state)

    chat_extra = _body_schema(openai_api.ChatRequest)

    @app.post("/v1/chat/completions", openapi_extra={"requestBody": chat_extra["requestBody"]})
    async def chat_completions(request: Request) -> Response:
        req = parse(openai_api.ChatRequest, await read_json(request, limit))
        if state.agent is not None:
            return await _agent_chat(request, state, req)
        gen = openai_api.to_gen_request(state, req)
        state.engine.queue.check_room()
        cancel = CancelToken()
        return await _openai_reply(request, state, req, state.engine.generate(gen, cancel), cancel)

    msg_extra = _body_schema(anthropic_api.MessagesRequest)

    @app.post("/v1/messages", openapi_extra={"requestBody": msg_extra["requestBody"]})
    async def messages(request: Request) -> Response:
        req = parse(anthropic_api.MessagesRequest, await read_json(request, limit))
        gen = anthropic_api.to_gen_request(state, req)
        state.engine.queue.check_room()
        cancel = CancelToken()
        items = state.engine.generate(gen, cancel)
        if req.stream:
            events = anthropic_api.stream_events(
                await started(stream_until_disconnect(request, items, cancel)),
                model=state.model_id,
                input_tokens=gen.prompt_tokens,
            )
            return StreamingResponse(
                (sse(data, event=name) async for name, data in events),
                media_type="text/event-stream",
                headers=SSE_HEADERS,
            )
        try:
            result = await until_disconnect(request, collect(items), cancel)
        except ClientGoneError:
            return Response(status_code=CLIENT_GONE)
        return JSONResponse(anthropic_api.message_body(result, model=state.model_id))

    count_extra = _body_schema(anthropic_api.CountTokensRequest)

    @app.post(
        "/v1/messages/count_tokens", openapi_extra={"requestBody": count_extra["requestBody"]}
    )
    async def count_tokens(request: Request) -> dict[str, Any]:
        req = parse(anthropic_api.CountTokensRequest, await read_json(request, limit))
        state.check_model(req.model)
        msgs = anthropic_api.to_messages(req.system, req.messages)
        tools = anthropic_api.to_tools(req.tools) or None
        return {"input_tokens": state.engine.model.count_tokens(msgs, tools)}

    _add_component_schemas(app, [chat_extra, msg_extra, count_extra])
    return app


def _from_anthropic(request: Request) -> bool:
    """Whether an Anthropic client sent the request: its SDK sends ``anthropic-version``,
    OpenAI's does not. Paths both APIs share (``/v1/models``) answer in the sender's shape."""
    return "anthropic-version" in request.headers


def _anthropic_model_card(state: ServerState) -> dict[str, Any]:
    created = datetime.fromtimestamp(state.created, UTC)
    return {
        "type": "model",
        "id": state.model_id,
        "display_name": state.model_id,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "max_input_tokens": state.engine.model.context_length,
        "max_tokens": state.config.max_tokens_limit,
    }


def _model_card(state: ServerState) -> dict[str, Any]:
    return {
        "id": state.model_id,
        "object": "model",
        "created": state.created,
        "owned_by": "assistant",
        "context_length": state.engine.model.context_length,
    }


async def _agent_chat(
    request: Request, state: ServerState, req: openai_api.ChatRequest
) -> Response:
    """The agent's turn; the request is checked as without ``--agent`` before it starts."""
    assert state.agent is not None
    openai_api.check_request(state, req)
    if req.tools:
        raise APIError(
            400,
            "In --agent mode the server's own tools run; send no tools.",
            param="tools",
        )
    messages = openai_api.to_messages(req.messages)
    max_tokens = state.max_tokens(req.max_completion_tokens or req.max_tokens)
    built = state.agent.build(messages)
    agent = built.agent
    try:
        choice = openai_api.tool_choice(req.tool_choice, agent.registry.names())
        # Older turns are summarised by the agent when they do not fit; this turn cannot be.
        state.check_prompt([agent.messages[0], messages[-1]], agent.registry.specs())
        state.engine.queue.check_room()
    except BaseException:
        warning = await agent.aclose()  # nothing ran yet, so normally None
        if warning:
            log.warning("agent turn: %s", warning)
        raise
    turn = AgentTurn()
    cancel = CancelToken()
    items = state.agent.run(built, messages, tool_choice=choice, max_tokens=max_tokens, turn=turn)
    return await _openai_reply(
        request, state, req, items, cancel, lambda: {"agent": turn.to_dict()}
    )


async def _openai_reply(
    request: Request,
    state: ServerState,
    req: openai_api.ChatRequest,
    items: AsyncIterator[TextDelta | Result],
    cancel: CancelToken,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> Response:
    """A chat completion, or its chunks as server-sent events; the work stops if the client leaves."""
    if req.stream:
        include = bool(req.stream_options and req.stream_options.include_usage)
        writer = openai_api.ChunkWriter(state.model_id, include)
        produced = await started(stream_until_disconnect(request, items, cancel))
        chunks = openai_api.stream_chunks(produced, writer)
        return StreamingResponse(
            (sse(c) async for c in chunks), media_type="text/event-stream", headers=SSE_HEADERS
        )
    try:
        result = await until_disconnect(request, collect(items), cancel)
    except ClientGoneError:
        return Response(status_code=CLIENT_GONE)
    body = openai_api.completion_body(
        result, model=state.model_id, extra=extra() if extra else None
    )
    return JSONResponse(body)


def _add_component_schemas(app: FastAPI, extras: list[dict[str, Any]]) -> None:
    """Put the request models' nested schemas where their ``$ref``s point."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = original()
        comps = doc.setdefault("components", {}).setdefault("schemas", {})
        for extra in extras:
            comps.update(extra["x-components"])
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _install_error_handlers(app: FastAPI) -> None:
    def respond(request: Request, err: APIError) -> JSONResponse:
        path = request.url.path
        body = error_body(path, err, request.headers)
        return JSONResponse(body, status_code=http_status(path, err), headers=err.headers)

    @app.exception_handler(APIError)
    async def api_error(request: Request, exc: APIError) -> JSONResponse:
        return respond(request, exc)

    @app.exception_handler(LLMError)
    async def model_error(request: Request, exc: LLMError) -> JSONResponse:
        return respond(request, llm_error(exc))

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return respond(request, APIError(400, f"Invalid request: {exc.errors()[0]['msg']}."))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            msg = (
                f"There is no {request.url.path} here; the server offers /v1/chat/completions, "
                "/v1/messages, /v1/models and /health."
            )
        elif exc.status_code == 405:
            msg = f"{request.method} is not allowed on {request.url.path}."
        else:
            msg = str(exc.detail)
        return respond(request, APIError(exc.status_code, msg))

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        msg = "The request nests JSON too deeply to process; send flatter schemas and values."
        return respond(request, APIError(400, msg))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request to %s failed", request.url.path)
        err = APIError(
            500,
            f"The server failed while handling this request ({type(exc).__name__}); "
            "see the server log.",
        )
        return respond(request, err)
