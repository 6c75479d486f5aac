"""Each dialect's call grammar, alone and with the real default model forced through it."""

from __future__ import annotations

import jsonschema
import pytest

from assistant.llm import dialects
from assistant.llm.base import Message
from assistant.llm.chattemplate import ProjectFormat
from assistant.llm.llamacpp import LlamaCppModel

from ..sample_tools import ALL_TOOLS, SCHEMAS, TOOLS

# Gemma's strings may hold braces and "</", and SmolLM2 (never taught that syntax) then
# runs on inside a free-form string (measured: call:grep{pattern:<escape>}</start_...
# and prose past 80 tokens), so its round trip forces a call with nothing free to write;
# test_gemma_strings_may_hold_anything_but_the_escape_marker covers strings.


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
    tools = ALL_TOOLS if only == "set_mode" else TOOLS
    prompt = ProjectFormat().render(messages, tools) + d.call_open
    llm = model.llama
    tokens = model.tokenize(prompt)
    grammar = LlamaGrammar.from_string(d.grammar(tools, only), verbose=False)
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
    ("name", "only"), [("hermes", None), ("llama3", None), ("mistral", None), ("gemma", "set_mode")]
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


WRITE_TOOL = {
    "type": "function",
    "function": {
        "name": "write_file",
        "description": "Write a file.",
        "parameters": {
            "type": "object",
            "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
            "required": ["path", "content"],
        },
    },
}


def grammar_accepts(llm, gbnf: str, text: str) -> bool:
    """Whether llama.cpp's grammar sampler lets the model write ``text`` (token by token,
    then end of generation), on the real vocabulary."""
    import ctypes
    import math

    import llama_cpp

    vocab = llm._model.vocab
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode(), b"root")
    assert sampler, "the grammar does not parse"

    def allowed(token: int) -> bool:
        data = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
        candidates = llama_cpp.llama_token_data_array(data, 1, -1, False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(candidates))
        return not math.isinf(data[0].logit)

    try:
        for token in llm.tokenize(text.encode(), add_bos=False, special=False):
            if not allowed(token):
                return False
            llama_cpp.llama_sampler_accept(sampler, token)
        return allowed(llm.token_eos())
    finally:
        llama_cpp.llama_sampler_free(sampler)


@pytest.fixture(scope="module")
def vocab(default_model_path):
    from llama_cpp import Llama

    llm = Llama(str(default_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


@pytest.mark.parametrize(
    ("content", "ok"),
    [
        ('{"debug": true}', True),
        ("int main(void) { return 0; }", True),
        ("<h1>Hi</h1>\n</body>", True),
        ("DEFAULTS = {'a': 1}", True),
        ("a < b and <esc <escap <escape x", True),
        ("two <escape> markers", False),
    ],
)
def test_gemma_strings_may_hold_anything_but_the_escape_marker(
    vocab, content: str, ok: bool
) -> None:
    d = dialects.get("gemma")
    gbnf = d.grammar([WRITE_TOOL], "write_file")
    text = f"call:write_file{{path:<escape>f.txt<escape>,content:<escape>{content}<escape>}}"
    assert grammar_accepts(vocab, gbnf, text) == ok
    if ok:
        assert d.parse(d.block(text)).tool_calls[0].arguments["content"] == content
