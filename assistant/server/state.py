"""What the running server knows: its settings, the engine, and the model's names."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jsonschema

from assistant.llm import toolformat
from assistant.server.engine import Engine
from assistant.server.errors import APIError

if TYPE_CHECKING:
    from assistant.server.agent_mode import AgentRunner

MODEL_ALIASES = ("default", "local")
"""Names that always mean the served model (``assistant eval --model openai:default``)."""


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: str | None = None
    """Checked on every request when set."""
    cors_origins: list[str] = field(default_factory=list)
    """Browser origins allowed by CORS; empty means CORS is off."""
    allowed_hosts: list[str] = field(default_factory=list)
    """Names the Host header may carry besides IP addresses, localhost and ``host``."""
    max_request_bytes: int = 4 * 1024 * 1024
    max_tokens_limit: int = 4096
    """Requests asking for more output tokens are refused (400)."""
    default_max_tokens: int = 1024
    """Used when an OpenAI request gives no ``max_tokens``."""


@dataclass
class ServerState:
    engine: Engine
    config: ServerConfig
    agent: AgentRunner | None = None
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def model_id(self) -> str:
        return self.engine.name

    def check_model(self, name: str) -> None:
        if name not in (self.model_id, *MODEL_ALIASES):
            raise APIError(
                404,
                f"The model {name!r} does not exist on this server; use {self.model_id!r} "
                "(or 'default'), as listed by GET /v1/models.",
                param="model",
                code="model_not_found",
            )

    def max_tokens(self, asked: int | None) -> int:
        limit = self.config.max_tokens_limit
        if asked is None:
            return min(self.config.default_max_tokens, limit)
        if asked > limit:
            raise APIError(
                400,
                f"max_tokens is {asked} but this server allows at most {limit}; ask for fewer "
                "or restart it with a higher --max-tokens-limit.",
                param="max_tokens",
            )
        return asked

    def check_prompt(self, messages: Any, tools: list[dict[str, Any]] | None) -> int:
        """The prompt's length in tokens; 422 when the prompt alone fills the model's context."""
        n = self.engine.model.count_tokens(messages, tools)
        room = self.engine.model.context_length
        if n >= room:
            raise APIError(
                422,
                f"The prompt takes {n} tokens but the model's context holds {room}; "
                "send a shorter conversation.",
                param="messages",
                code="context_length_exceeded",
            )
        return n


def check_json_schema(schema: Any, param: str) -> dict[str, Any]:
    """400 unless ``schema`` is a valid JSON schema object; then 422 unless it fits a grammar."""
    from assistant.server.engine import json_tool

    if not isinstance(schema, dict):
        raise APIError(400, f"{param} must be a JSON schema object.", param=param)
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise APIError(
            400, f"{param} is not a valid JSON schema ({exc.message}).", param=param
        ) from None
    check_grammar([json_tool(schema)[0]])
    return schema


def check_grammar(tools: list[dict[str, Any]], only: str | None = None) -> None:
    """422 unless llama.cpp can build the call grammar for ``tools``."""
    _check_grammar(json.dumps(tools, sort_keys=True), only)


@functools.lru_cache(maxsize=256)
def _check_grammar(tools_json: str, only: str | None) -> None:
    tools = json.loads(tools_json)
    try:
        gbnf = toolformat.build_grammar(tools, only=only)
        from llama_cpp import LlamaGrammar

        LlamaGrammar.from_string(gbnf, verbose=False)
    except Exception as exc:
        raise APIError(
            422,
            f"The JSON schema cannot be turned into a grammar ({type(exc).__name__}: {exc}); "
            "simplify the schema (no remote $ref, no unsupported keywords).",
            param="tools",
        ) from None
