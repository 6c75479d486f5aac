"""The one model in memory, shared fairly by every request.

Both APIs translate their requests into a :class:`GenRequest` and read a stream of
``TextDelta`` items ending with one :class:`Result`. Everything the backends do not
offer themselves is done here, on top of the ``ChatModel`` protocol:

* ``stop`` strings: the text is watched as it streams, held back while it could
  still be the start of a stop string, and generation is cancelled at a match;
* ``seed``: the local backend reads ``model.seed`` when a generation starts, so it is
  set for the request while the request holds the model;
* ``response_format``: the schema becomes a single tool that the request is forced
  to call, so the JSON is produced by the same grammar-constrained path as tool calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.llm.base import (
    CancelToken,
    ChatModel,
    Completion,
    LLMError,
    Message,
    StreamItem,
    TextDelta,
    ToolCall,
    ToolChoice,
    Usage,
)
from assistant.server.queue import FairQueue

if TYPE_CHECKING:
    from assistant.llm.dialects import Dialect

JSON_TOOL = "json_response"
"""The tool a ``response_format`` request is forced to call."""


@dataclass
class GenRequest:
    messages: list[Message]
    tools: list[dict[str, Any]] | None = None
    tool_choice: ToolChoice = "auto"
    temperature: float | None = None
    max_tokens: int = 256
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    json_schema: dict[str, Any] | None = None
    """With ``response_format``: the schema the reply's content must match."""
    prompt_tokens: int = 0
    """As counted when the request was checked (the Messages API's ``message_start``)."""


@dataclass
class Result:
    content: str
    tool_calls: list[ToolCall]
    finish_reason: str
    """``stop``, ``length``, ``tool_calls`` or ``cancelled``."""
    usage: Usage
    """As ``assistant.llm.pricing`` counts: ``input_tokens`` leave out cache reads and writes."""
    stop_sequence: str | None = None


def json_tool(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The forced tool for a JSON reply, and whether the schema was wrapped.

    Tool arguments are always a JSON object, so any other schema is wrapped as the
    ``value`` property of one and unwrapped from the call afterwards.
    """
    is_object = schema.get("type") == "object" or ("type" not in schema and "properties" in schema)
    params = (
        schema
        if is_object
        else {
            "type": "object",
            "properties": {"value": schema},
            "required": ["value"],
            "additionalProperties": False,
        }
    )
    spec = {
        "type": "function",
        "function": {
            "name": JSON_TOOL,
            "description": "Write the reply as JSON matching these parameters.",
            "parameters": params,
        },
    }
    return spec, not is_object


class StopFilter:
    """Passes streamed text through until a stop string appears, which it cuts off."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = [s for s in stops if s]
        self.text = ""
        self.emitted = 0
        self.hit: str | None = None

    def feed(self, delta: str) -> str:
        """The part of ``delta`` that is safe to send on."""
        if self.hit is not None:
            return ""
        self.text += delta
        best: tuple[int, str] | None = None
        for s in self.stops:
            i = self.text.find(s, max(0, self.emitted - len(s) + 1))
            if i >= 0 and (best is None or i < best[0]):
                best = (i, s)
        if best is not None:
            self.hit = best[1]
            self.text = self.text[: best[0]]
            return self._take(len(self.text))
        safe = len(self.text)
        for s in self.stops:
            for k in range(min(len(s) - 1, len(self.text)), 0, -1):
                if s.startswith(self.text[-k:]):
                    safe = min(safe, len(self.text) - k)
                    break
        return self._take(safe)

    def flush(self) -> str:
        return self._take(len(self.text))

    def _take(self, upto: int) -> str:
        out = self.text[self.emitted : upto] if upto > self.emitted else ""
        self.emitted = max(self.emitted, upto)
        return out


class Engine:
    """A ``ChatModel`` behind a fair queue, with the request options both APIs need."""

    def __init__(self, model: ChatModel, max_waiting: int = 64) -> None:
        self.model = model
        self.queue = FairQueue(max_waiting)

    @property
    def name(self) -> str:
        return self.model.name

    @contextlib.contextmanager
    def _seeded(self, seed: int | None) -> Iterator[None]:
        if not hasattr(self.model, "seed"):
            yield
            return
        model: Any = self.model
        old = model.seed
        # Without a seed, sampling varies from request to request, as clients expect.
        model.seed = seed if seed is not None else random.randrange(2**31)
        try:
            yield
        finally:
            model.seed = old

    async def generate(
        self, req: GenRequest, cancel: CancelToken | None = None
    ) -> AsyncIterator[TextDelta | Result]:
        """Yield ``TextDelta`` items, then one ``Result``; waits its turn for the model."""
        cancel = cancel or CancelToken()
        tools, choice, wrapped = req.tools, req.tool_choice, False
        if req.json_schema is not None:
            spec, wrapped = json_tool(req.json_schema)
            tools, choice = [spec], JSON_TOOL
        is_json = req.json_schema is not None
        stopper = StopFilter(req.stop)
        final: Completion | None = None
        done = False
        try:
            async with self.queue.slot():
                with self._seeded(req.seed):
                    async for item in self.model.stream(
                        req.messages,
                        tools,
                        tool_choice=choice,
                        temperature=req.temperature,
                        max_tokens=req.max_tokens,
                        cancel=cancel,
                    ):
                        if isinstance(item, TextDelta):
                            if is_json:
                                continue  # the JSON is the forced call's arguments, below
                            text = stopper.feed(item.text)
                            if text:
                                yield TextDelta(text)
                            if stopper.hit is not None:
                                cancel.cancel()
                        else:
                            final = item
            if final is None:  # pragma: no cover - a backend bug
                raise RuntimeError(f"{self.model.name} ended its stream without a completion")
            dialect = getattr(self.model, "dialect", None)
            result = self._result(final, stopper, is_json, wrapped, dialect)
            if is_json:
                rest = result.content
            elif stopper.hit is None:
                rest = stopper.flush()
            else:
                rest = ""
            if rest:
                yield TextDelta(rest)
            done = True
            yield result
        except (asyncio.CancelledError, GeneratorExit):
            if not done:
                self.queue.cancelled += 1  # the client went away mid-generation
            raise

    @staticmethod
    def _result(
        final: Completion,
        stopper: StopFilter,
        is_json: bool,
        wrapped: bool,
        dialect: Dialect | None,
    ) -> Result:
        msg = final.message
        if stopper.hit is not None:
            return Result(stopper.text, [], "stop", final.usage, stop_sequence=stopper.hit)
        if is_json:
            if msg.tool_calls:
                args = msg.tool_calls[0].arguments
                value = args.get("value") if wrapped else args
                return Result(json.dumps(value, ensure_ascii=False), [], "stop", final.usage)
            # Cut off before the JSON was complete: hand back what there is.
            partial = _partial_json(msg.content, dialect, wrapped)
            return Result(partial, [], final.finish_reason, final.usage)
        content = msg.content
        if final.finish_reason == "length" and dialect is not None and dialect.call_open:
            # A call cut off by max_tokens: the local backend keeps its partial text in the
            # content for the agent's user; an API client would show the markup as prose.
            cut = content.rfind(dialect.call_open)
            content = content[:cut].rstrip() if cut >= 0 else content
        return Result(content, list(msg.tool_calls), final.finish_reason, final.usage)


def _partial_json(content: str, dialect: Dialect | None, wrapped: bool) -> str:
    """The JSON so far of a forced call cut off by the token limit (local models only).

    The dialect shows where the arguments start: its rendering of the call with ``{}``
    for arguments (``{"name": "json_response", "parameters": {}}`` for Llama 3).
    """
    if dialect is None:
        return ""
    template = dialect.render_call(ToolCall(JSON_TOOL, {}))
    head = template[len(dialect.call_open) : template.index("{}")].strip()
    start = content.find(head)
    if start < 0:
        return ""
    args = dialect.partial_arguments_json(content[start + len(head) :].lstrip())
    if wrapped:  # the reply is the value inside {"value": ...}
        wrapper = '{"value": '
        args = args[len(wrapper) :] if args.startswith(wrapper) else ""
    try:  # complete after all (cut before the end of turn): drop the call's closing
        return args[: json.JSONDecoder().raw_decode(args)[1]]
    except json.JSONDecodeError:
        return args


class QueuedModel:
    """The engine's model as a ``ChatModel`` whose every call waits its turn (for --agent)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.model.name
        self.provider = engine.model.provider
        self.context_length = engine.model.context_length
        self.last_error: LLMError | None = None
        """What the latest call raised (the agent loop keeps only its message)."""

    async def stream(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        **opts: Any,
    ) -> AsyncIterator[StreamItem]:
        self.last_error = None
        async with self._engine.queue.slot():
            try:
                async for item in self._engine.model.stream(messages, tools, **opts):
                    yield item
            except LLMError as exc:
                self.last_error = exc
                raise

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        return self._engine.model.count_tokens(messages, tools)


async def collect(stream: AsyncIterator[TextDelta | Result]) -> Result:
    """Run a generation to its end."""
    result: Result | None = None
    async for item in stream:
        if isinstance(item, Result):
            result = item
    assert result is not None
    return result


__all__ = ["Engine", "GenRequest", "QueuedModel", "Result", "StopFilter", "collect", "json_tool"]
