"""The local backend prompting the real default model in other families' formats.

The default model (SmolLM2) is ChatML-trained, so these tests force it through the real
Llama 3.1, Mistral v0.3, Gemma 3 and Phi-3.5 templates with a chat-template override:
what is checked is the plumbing (rendering, branch point, grammar, parsing, KV reuse),
not the quality of the calls.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from assistant.llm.base import LLMError, Message, ToolCall, complete
from assistant.llm.llamacpp import LlamaCppModel

from ..sample_tools import ALL_TOOLS, SCHEMAS, TOOLS

pytestmark = pytest.mark.slow

TEMPLATES = Path(__file__).parent.parent.parent / "data" / "chat_templates"
ASK = [
    Message.system("You are a coding assistant. Use the tools."),
    Message.user("Switch to a clean release build."),
]


def model_with(local_model: LlamaCppModel, template: str | None, **kw) -> LlamaCppModel:
    text = None if template is None else (TEMPLATES / f"{template}.jinja").read_text()
    return LlamaCppModel(
        local_model.path,
        n_ctx=local_model.context_length,
        n_threads=local_model.n_threads,
        chat_template=text,
        **kw,
    )


def test_the_default_model_keeps_the_project_format(local_model: LlamaCppModel) -> None:
    assert local_model.prompt_format.name == "project"
    assert local_model.dialect.name == "hermes"
    assert local_model.notices == []


@pytest.mark.parametrize(
    ("template", "dialect", "expected"),
    [
        ("llama-3.1-instruct", "auto", "template+llama3"),
        ("mistral-7b-instruct-v0.3", "auto", "template+mistral"),
        ("gemma-3-it", "auto", "template+gemma"),
        ("phi-3.5-mini-instruct", "auto", "template+hermes"),
    ],
)
async def test_a_forced_call_in_each_family_format_parses_and_validates(
    local_model: LlamaCppModel, template: str, dialect: str, expected: str
) -> None:
    model = model_with(local_model, template, dialect=dialect)
    assert model.prompt_format.name == expected
    final = await complete(model, ASK, tools=ALL_TOOLS, tool_choice="set_mode", max_tokens=48)
    assert final.finish_reason == "tool_calls", final.message.content
    assert [c.name for c in final.message.tool_calls] == ["set_mode"]
    jsonschema.validate(final.message.tool_calls[0].arguments, SCHEMAS["set_mode"])
    # The next turn's prompt renders that call back in the family's own syntax.
    call = final.message.tool_calls[0]
    follow = [*ASK, final.message, Message.tool(call, "mode: release (clean)")]
    before = model.prompt_format.render(ASK, ALL_TOOLS)
    after = model.prompt_format.render(follow, ALL_TOOLS)
    assert after.startswith(before)
    again = model.dialect.parse(after[len(before) :]).tool_calls
    assert [(c.name, c.arguments) for c in again] == [(call.name, call.arguments)]


def test_the_dialect_setting_overrides_the_template(local_model: LlamaCppModel) -> None:
    model = model_with(local_model, "llama-3.1-instruct", dialect="project")
    assert model.prompt_format.name == "project"
    model = model_with(local_model, "llama-3.1-instruct", dialect="gemma")
    assert model.prompt_format.name == "template+gemma"
    with pytest.raises(LLMError, match="Unknown tool-call dialect 'xml'"):
        model_with(local_model, "llama-3.1-instruct", dialect="xml")


async def test_a_template_that_breaks_the_prefix_is_reported_and_re_evaluated(
    local_model: LlamaCppModel,
) -> None:
    """Mistral's template moves the tool list to the last question: the second question's
    prompt is evaluated again almost whole, where the project format reuses the cache."""
    read = ToolCall("read_file", {"path": "README.md"})
    first = [*ASK[:1], Message.user("What does README.md say?")]
    first += [Message("assistant", "", tool_calls=[read]), Message.tool(read, "# Demo")]
    second = [*first, Message("assistant", "A demo."), Message.user("Which files are in src?")]
    evaluated = {}
    for name, model in {
        "project": local_model,
        "mistral": model_with(local_model, "mistral-7b-instruct-v0.3"),
    }.items():
        await complete(model, first, tools=TOOLS, max_tokens=1)
        final = await complete(model, second, tools=TOOLS, max_tokens=1)
        stats = model.last_stats
        assert final.usage.input_tokens == stats.prompt_eval_tokens
        assert final.usage.input_tokens + final.usage.cache_read_tokens == stats.prompt_tokens
        evaluated[name] = stats.prompt_eval_tokens / stats.prompt_tokens
    assert evaluated["project"] < 0.2
    assert evaluated["mistral"] > 0.9
    mistral = model_with(local_model, "mistral-7b-instruct-v0.3")
    assert any("rewrites earlier turns" in n for n in mistral.notices)


def _tool(name: str, prop: dict) -> dict:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": "A tool from an MCP server.",
            "parameters": {"type": "object", "properties": {"x": prop}, "required": ["x"]},
        },
    }


@pytest.mark.parametrize(
    ("prop", "reason"),
    [
        ({"type": "string", "pattern": "[a-z]+"}, "Pattern must start with"),
        ({"$ref": "https://example.com/schema.json"}, "remote schemas"),
        ({"$ref": "#/$defs/missing"}, "Error resolving ref"),
    ],
)
async def test_a_schema_llama_cpp_cannot_convert_is_an_llm_error_naming_the_tool(
    local_model: LlamaCppModel, prop: dict, reason: str
) -> None:
    """llama.cpp's JSON-schema converter asserts on these; the agent loop needs an LLMError.
    Nothing is generated: the grammar is built before the first token."""
    tools = [*TOOLS, _tool("mcp_odd", prop)]
    for choice in ("auto", "mcp_odd"):
        with pytest.raises(LLMError, match=reason) as info:
            await complete(local_model, ASK, tools=tools, tool_choice=choice, max_tokens=8)
        message = str(info.value)
        assert message.startswith("The schema of tool mcp_odd cannot be turned into a grammar")
        assert message.endswith("or leave the tool out.")
    two = [*tools, _tool("mcp_other", prop)]
    with pytest.raises(LLMError, match="The schema of tools mcp_odd, mcp_other cannot"):
        await complete(local_model, ASK, tools=two, tool_choice="auto", max_tokens=8)
    # The same tools without the odd one still get a grammar on the same model.
    assert local_model._engine.grammar(local_model.dialect, TOOLS, None) is not None


@pytest.mark.parametrize(
    "template", [None, "llama-3.1-instruct", "mistral-7b-instruct-v0.3", "gemma-3-it"]
)
async def test_a_forced_call_to_a_tool_with_nested_models_validates(
    local_model: LlamaCppModel, template: str | None
) -> None:
    """Parameters with local refs (a nested Pydantic model, recursive too) used to be
    refused as a grammar llama.cpp could not build."""
    from ..test_toolformat import _nested_tools

    model = local_model if template is None else model_with(local_model, template)
    tools = [*TOOLS, *_nested_tools()]
    ask = [*ASK[:1], Message.user("Save Ann, who lives in Ely.")]
    final = await complete(model, ask, tools=tools, tool_choice="save_person", max_tokens=96)
    assert [c.name for c in final.message.tool_calls] == ["save_person"], final.message.content
    params = _nested_tools()[0]["function"]["parameters"]
    jsonschema.validate(final.message.tool_calls[0].arguments, params)


def test_a_grammar_llama_cpp_cannot_parse_is_an_error_not_a_crash(
    local_model: LlamaCppModel,
) -> None:
    """A sampler made from GBNF llama.cpp cannot parse is NULL, and sampling with it killed
    the process (a recursive ref to a definition whose name has an underscore did)."""
    from assistant.llm.dialects.hermes import Hermes

    class Unparsable(Hermes):
        name = "unparsable"  # not the cached grammars' key

        def grammar(self, tools: list[dict], only: str | None = None) -> str:
            return 'root ::= "{" save_person "}"\nsave-person ::= "x"\n'

    with pytest.raises(LLMError, match=r"cannot be turned into a grammar .*cannot parse"):
        local_model._engine.grammar(Unparsable(), TOOLS, None)
    recursive = {
        "type": "object",
        "properties": {"child": {"$ref": "#"}, "label": {"type": "string"}},
        "required": ["label"],
    }
    tool = {"type": "function", "function": {"name": "make_tree", "parameters": recursive}}
    assert local_model._engine.grammar(local_model.dialect, [tool], None) is not None
