"""Tool-call dialects of local models, one module each, behind :class:`Dialect`.

``get(name)`` returns one by name; :func:`assistant.llm.chattemplate.dialect_for_template`
picks one from a GGUF's chat template.
"""

from __future__ import annotations

from assistant.llm.base import LLMError
from assistant.llm.dialects.base import Dialect, ParsedReply
from assistant.llm.dialects.gemma import Gemma
from assistant.llm.dialects.hermes import Hermes
from assistant.llm.dialects.llama3 import Llama3
from assistant.llm.dialects.mistral import Mistral

__all__ = ["DIALECTS", "Dialect", "ParsedReply", "get", "names"]

DIALECTS: dict[str, Dialect] = {d.name: d for d in (Hermes(), Llama3(), Mistral(), Gemma())}


def names() -> list[str]:
    return list(DIALECTS)


def get(name: str) -> Dialect:
    """The dialect called ``name``; an ``LLMError`` naming the choices otherwise."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise LLMError(
            f"Unknown tool-call dialect {name!r}; use one of {', '.join(DIALECTS)} "
            "(or 'auto' / 'project' for the model format)."
        ) from None
