"""The interface every tool-call dialect implements, and the helpers they share.

A *dialect* is how one family of models writes a tool call in plain text: Hermes/Qwen
``<tool_call>`` JSON, Llama 3.x bare JSON, Mistral ``[TOOL_CALLS]``, Gemma function-call
blocks. The chat template (see :mod:`assistant.llm.chattemplate`) decides where turns
begin and end; the dialect covers what the template leaves out (tools, calls, results
rendered as text), reads calls back out of generated text, and constrains the call body
with a grammar so a local model always names a real tool with schema-valid arguments.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from assistant.llm import toolformat
from assistant.llm.base import Message, ToolCall
from assistant.llm.schemarefs import with_tool_defs
from assistant.llm.toolformat import ParsedReply, call_variants

__all__ = ["Dialect", "ParsedReply", "call_variants", "json_grammar", "read_arguments"]


class Dialect(ABC):
    """One tool-call syntax behind the interface the local backend and templates use."""

    name: ClassVar[str]
    call_open: ClassVar[str]
    """Text written right before a call body: appended to the prompt to force a call,
    and re-rendered after the prose when the model opens a call on its own."""
    call_close: ClassVar[str] = ""
    """Text after a call body (never generated: the grammar ends the turn there)."""
    open_markers: ClassVar[tuple[str, ...]]
    """Strings in generated prose that mean a call starts there (where generation branches
    into the grammar-constrained body)."""
    stray_open: ClassVar[str]
    """A regex for a call's opening left in the reply text: the marker and the start of a
    body, so the marker merely named in prose does not match (the eval counts these as
    call attempts the backend did not return as calls)."""
    template_markers: ClassVar[tuple[str, ...]] = ()
    """Strings whose presence in a GGUF chat template selects this dialect."""

    @abstractmethod
    def render_tools(self, tools: list[dict[str, Any]]) -> str:
        """The tool list as text, for templates that do not render ``tools`` themselves."""

    @abstractmethod
    def render_call(self, call: ToolCall) -> str:
        """One call as the model writes it, from ``call_open`` to ``call_close``."""

    def render_assistant(self, content: str, calls: list[ToolCall]) -> str:
        """An assistant turn's text (prose, then its calls) for templates without ``tool_calls``."""
        parts = [content] if content else []
        parts.extend(self.render_call(c) for c in calls)
        return "\n".join(parts)

    @abstractmethod
    def render_result(self, message: Message) -> str:
        """One tool result as text, for templates without a ``tool`` role."""

    @abstractmethod
    def parse(self, text: str) -> ParsedReply:
        """Every call in ``text`` (lenient), and the prose around them."""

    @abstractmethod
    def grammar(self, tools: list[dict[str, Any]], only: str | None = None) -> str:
        """GBNF for what follows ``call_open``: one call (a Mistral block: one or more)
        naming a tool of ``tools`` (or just ``only``) with schema-valid arguments."""

    def block(self, body: str) -> str:
        """The full call text around a body generated under :meth:`grammar`."""
        return f"{self.call_open}{body.strip()}{self.call_close}"

    def partial_arguments_json(self, text: str) -> str:
        """A call's arguments as written, cut off anywhere, as the JSON text so far."""
        return text


def json_grammar(schema: dict[str, Any], prop_order: list[str], *, canonical: bool = True) -> str:
    """GBNF for ``schema`` via llama.cpp's converter; by default in ``json.dumps`` layout,
    as :func:`toolformat.build_grammar` writes it."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(json.dumps(with_tool_defs(schema)), prop_order=prop_order)
    return toolformat._canonical_layout(gbnf) if canonical else gbnf


def read_arguments(name: str, raw: Any, errors: list[str]) -> dict[str, Any] | None:
    """Arguments given as an object or a JSON string; ``None`` (and one error) otherwise."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            errors.append(f"The arguments of the call to {name} are not valid JSON.")
            return None
    if not isinstance(raw, dict):
        errors.append(f"The arguments of the call to {name} must be a JSON object.")
        return None
    return raw


def decode_json_at(text: str, start: int) -> tuple[Any, int] | None:
    """The JSON value starting at ``text[start]`` and the index after it, or ``None``."""
    try:
        return json.JSONDecoder(strict=False).raw_decode(text, start)
    except json.JSONDecodeError:
        return None
