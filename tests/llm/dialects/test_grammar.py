"""Each dialect's call grammar, alone and with the real default model forced through it."""

from __future__ import annotations

import jsonschema
import pytest

from assistant.llm import dialects
from assistant.llm.base import Message
from assistant.llm.chattemplate import ProjectFormat
from assistant.llm.llamacpp import LlamaCppModel

from ..sample_tools import TOOLS

SCHEMAS = {t["function"]["name"]: t["function"]["parameters"] for t in TOOLS}


@pytest.mark.parametrize("name", dialects.names())
def test_grammar_compiles_and_names_only_real_tools(name: str) -> None:
    from llama_cpp import LlamaGrammar

    d = dialects.get(name)
    for only in (None, "grep"):
        gbnf = d.grammar(TOOLS, only)
        LlamaGrammar.from_string(gbnf, verbose=False)
        assert "grep" in gbnf and ("read_file" in gbnf) == (only is None)
    with pytest.raises(ValueError, match="No tool named 'nope'"):
        d.grammar(TOOLS, "nope")


def generate_call(model: LlamaCppModel, name: str, only: str | None) -> str:
    """Force one call from the model: the prompt ends with the dialect's call opening."""
    import llama_cpp
    from llama_cpp import LlamaGrammar

    d = dialects.get(name)
    messages = [
        Message.system("You are a coding assistant. Use the tools."),
        Message.user("Search for TODO in the src directory."),
    ]
    prompt = ProjectFormat().render(messages, TOOLS) + d.call_open
    llm = model.llama
    tokens = model.tokenize(prompt)
    grammar = LlamaGrammar.from_string(d.grammar(TOOLS, only), verbose=False)
    out: list[int] = []
    gen = llm.generate(tokens, temp=0.0, grammar=grammar)
    try:
        for token in gen:
            if llama_cpp.llama_vocab_is_eog(llm._model.vocab, token) or len(out) >= 80:
                break
            out.append(token)
    finally:
        gen.close()
    return llm.detokenize(out, special=True).decode("utf-8", errors="replace")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "only"), [("hermes", None), ("llama3", None), ("mistral", None), ("gemma", "grep")]
)
def test_real_model_round_trips_through_the_grammar(
    local_model: LlamaCppModel, name: str, only: str | None
) -> None:
    d = dialects.get(name)
    body = generate_call(local_model, name, only)
    parsed = d.parse(d.block(body))
    assert parsed.errors == [], body
    assert len(parsed.tool_calls) >= 1, body
    for call in parsed.tool_calls:
        assert call.name in SCHEMAS
        jsonschema.validate(call.arguments, SCHEMAS[call.name])
    if only is not None:
        assert {c.name for c in parsed.tool_calls} == {only}
