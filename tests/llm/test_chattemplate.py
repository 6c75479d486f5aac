"""Rendering with the real chat templates of several model families (tests/data/chat_templates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm import toolformat
from assistant.llm.base import LLMError, Message, ToolCall
from assistant.llm.chattemplate import (
    DIALECT_CHOICES,
    RENDER_SECONDS,
    ChatTemplate,
    ProjectFormat,
    TemplateError,
    TemplateFormat,
    check_prefix,
    dialect_for_template,
    format_for_model,
    is_project_format,
    select_format,
    short_call_id,
)

from .sample_tools import TOOLS

TEMPLATES = Path(__file__).parent.parent / "data" / "chat_templates"

# file -> (bos, eos, dialect, system, tools, calls, parallel calls, tool role, alternation)
FAMILIES = {
    "llama-3.1-instruct": ("<|begin_of_text|>", "<|eot_id|>", "llama3", 1, 1, 1, 0, 1, 0),
    "llama-3.2-instruct": ("<|begin_of_text|>", "<|eot_id|>", "llama3", 1, 1, 1, 0, 1, 0),
    "qwen2.5-instruct": ("", "<|im_end|>", "hermes", 1, 1, 1, 1, 1, 0),
    "mistral-7b-instruct-v0.3": ("<s>", "</s>", "mistral", 0, 1, 1, 1, 1, 1),
    "mistral-nemo-instruct-2407": ("<s>", "</s>", "mistral", 0, 1, 1, 1, 1, 1),
    "gemma-3-it": ("<bos>", "<eos>", "gemma", 1, 0, 0, 0, 0, 1),
    "phi-3.5-mini-instruct": ("<s>", "<|endoftext|>", "hermes", 1, 0, 0, 0, 0, 0),
    "smollm2-instruct": ("", "<|im_end|>", "hermes", 1, 0, 0, 0, 1, 0),
}

READ = ToolCall("read_file", {"path": "README.md"})
GREP = ToolCall("grep", {"pattern": "TODO|FIXME", "path": "src"})
AGAIN = ToolCall("read_file", {"path": 'docs/ünïcode "quoted".md'})
CONVERSATION = [
    Message.system("You are a coding assistant."),
    Message.user("What does README.md say?"),
    Message("assistant", "", tool_calls=[READ]),
    Message.tool(READ, "# Demo\nA demo project."),
    Message("assistant", "It describes a demo project."),
    Message.user("Find the TODOs in src and read the docs page."),
    Message("assistant", "Searching.", tool_calls=[GREP, AGAIN]),
    Message.tool(GREP, "src/a.py:3: # TODO tidy"),
    Message.tool(AGAIN, "Ünïcode docs"),
    Message("assistant", "One TODO, in src/a.py."),
]


def template(name: str) -> ChatTemplate:
    bos, eos = FAMILIES[name][:2]
    return ChatTemplate((TEMPLATES / f"{name}.jinja").read_text(), bos_token=bos, eos_token=eos)


@pytest.mark.parametrize("name", FAMILIES)
def test_dialect_and_capabilities_are_read_from_the_template(name: str) -> None:
    t = template(name)
    dialect, *caps = FAMILIES[name][2:]
    assert t.dialect.name == dialect
    c = t.caps
    assert [c.system, c.tools, c.tool_calls, c.parallel_calls, c.tool_responses, c.alternation] == [
        bool(x) for x in caps
    ]


@pytest.mark.parametrize("name", FAMILIES)
def test_a_conversation_with_tool_calls_renders_everything_once(name: str) -> None:
    t = template(name)
    text = t.render(CONVERSATION, TOOLS)
    bos = FAMILIES[name][0]
    assert not (bos and text.startswith(bos)), "llama.cpp adds BOS itself"
    for tool in ("read_file", "list_files", "grep"):
        assert tool in text
    assert "src/a.py:3: # TODO tidy" in text and "Ünïcode docs" in text
    assert "TODO|FIXME" in text and "ünïcode" in text
    assert text.count("Find the TODOs in src") == 1
    assert "You are a coding assistant." in text


@pytest.mark.parametrize("name", FAMILIES)
def test_what_the_template_writes_for_a_call_the_dialect_reads_back(name: str) -> None:
    """The assistant turn a template renders (native or through the dialect) parses back."""
    t = template(name)
    checked = 0
    for k, m in enumerate(CONVERSATION):
        if m.role != "assistant" or not m.tool_calls:
            continue
        prompt = t.render(CONVERSATION[:k], TOOLS)
        full = t.render(CONVERSATION[: k + 1], TOOLS, add_generation_prompt=False)
        assert full.startswith(prompt), f"turn {k} does not extend its prompt"
        turn = full[len(prompt) :]
        for stop in t.turn_stops:
            turn = turn.split(stop)[0]
        parsed = t.dialect.parse(turn)
        assert [(c.name, c.arguments) for c in parsed.tool_calls] == [
            (c.name, c.arguments) for c in m.tool_calls
        ]
        assert parsed.errors == []
        checked += 1
    assert checked == 2


@pytest.mark.parametrize("name", FAMILIES)
def test_prefix_property_per_template(name: str) -> None:
    t = template(name)
    whole = check_prefix(lambda m, tools: t.render(m, tools), CONVERSATION, TOOLS)
    one_question = check_prefix(lambda m, tools: t.render(m, tools), CONVERSATION[:5], TOOLS)
    if name.startswith("mistral"):
        # Mistral puts the tool list and the system prompt in front of the LAST user
        # message, so a new question changes the prompt from its first characters.
        assert not whole.holds and whole.broken_at == 2
        assert whole.common_chars < 5 and whole.prefix_chars > 500
        assert one_question.holds, "within one question the prompt only grows"
    else:
        assert whole.holds and one_question.holds


def test_the_project_format_is_qwen25s_own_template() -> None:
    qwen = template("qwen2.5-instruct")
    assert qwen.render(CONVERSATION, TOOLS) == toolformat.render_prompt(CONVERSATION, TOOLS)
    assert is_project_format(qwen.source) and is_project_format(template("smollm2-instruct").source)


def test_mistral_call_ids_are_nine_alphanumerics_shared_by_call_and_result() -> None:
    text = template("mistral-7b-instruct-v0.3").render(CONVERSATION[:4], TOOLS)
    short = short_call_id(READ.id)
    assert len(short) == 9 and short.isalnum()
    assert f'"id": "{short}"' in text and f'"call_id": "{short}"' in text


def test_gemma_gets_tools_calls_and_results_from_the_dialect() -> None:
    text = template("gemma-3-it").render(CONVERSATION[:4], TOOLS)
    assert text.startswith("<start_of_turn>user\nYou are a coding assistant.\n\n")
    assert "<start_function_declaration>declaration:grep{" in text
    assert (
        "<start_of_turn>model\n<start_function_call>call:read_file{path:<escape>README.md" in text
    )
    assert "<start_function_response>response:read_file{result:<escape># Demo" in text
    assert text.endswith("<end_of_turn>\n<start_of_turn>model\n")


def test_llama_renders_a_second_parallel_call_through_the_dialect() -> None:
    text = template("llama-3.1-instruct").render(CONVERSATION[:7], TOOLS)
    turn = text.rsplit("<|start_header_id|>assistant<|end_header_id|>\n\n", 1)[0]
    assert '{"name": "grep", "parameters": {"pattern": "TODO|FIXME", "path": "src"}}' in turn
    assert "Searching." in turn


def test_turn_stops_come_from_the_template() -> None:
    assert template("llama-3.2-instruct").turn_stops[0] == "<|eot_id|>"
    assert template("gemma-3-it").turn_stops[0] == "<end_of_turn>"
    assert template("phi-3.5-mini-instruct").turn_stops[0] == "<|end|>"


def test_dialect_choice_from_template_text() -> None:
    assert (
        dialect_for_template((TEMPLATES / "llama-3.1-instruct.jinja").read_text()).name == "llama3"
    )
    assert dialect_for_template("{{ messages }}").name == "hermes"


def test_a_template_error_is_one_clear_llm_error() -> None:
    t = template("llama-3.1-instruct")
    with pytest.raises(TemplateError, match="no first user message") as info:
        t.render([Message.system("Only a system prompt.")], TOOLS)
    assert isinstance(info.value, LLMError)


def test_the_sandbox_refuses_python_internals() -> None:
    """A GGUF's template is data: it cannot reach Python objects."""
    evil = "{{ messages.__class__.__mro__[1].__subclasses__() }}"
    t = ChatTemplate(evil)
    with pytest.raises(TemplateError):
        t.render([Message.user("hi")])


def test_select_format_project_template_and_base_models() -> None:
    smol = (TEMPLATES / "smollm2-instruct.jinja").read_text()
    llama = (TEMPLATES / "llama-3.1-instruct.jinja").read_text()
    fmt, note = select_format(smol)
    assert isinstance(fmt, ProjectFormat) and note is None
    fmt, note = select_format(llama, bos_token="<|begin_of_text|>")
    assert isinstance(fmt, TemplateFormat) and fmt.dialect.name == "llama3" and note is None
    fmt, note = select_format(None, model="gemma-3-270m")
    assert isinstance(fmt, ProjectFormat)
    assert note is not None and note.startswith("gemma-3-270m carries no chat template")
    fmt, _ = select_format(llama, dialect="project")
    assert isinstance(fmt, ProjectFormat)
    fmt, _ = select_format(smol, dialect="gemma")
    assert isinstance(fmt, TemplateFormat) and fmt.dialect.name == "gemma"
    fmt, note = select_format("{% if %}", model="broken")
    assert isinstance(fmt, ProjectFormat) and note is not None and "cannot be used" in note
    with pytest.raises(LLMError, match=r"set llm\.dialect to one of auto, project, hermes"):
        select_format(llama, dialect="chatml")


@pytest.fixture(scope="module")
def vocab(default_model_path: Path):
    """llama.cpp's view of the default GGUF (vocabulary and metadata only: fast)."""
    from llama_cpp import Llama

    llm = Llama(str(default_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


def test_format_for_the_default_gguf_is_the_project_format(vocab) -> None:
    fmt, notices = format_for_model(vocab, name="SmolLM2-135M-Instruct")
    assert isinstance(fmt, ProjectFormat) and notices == []
    assert "<|im_start|>" in vocab.metadata["tokenizer.chat_template"]


def test_format_for_a_template_reports_a_broken_prefix(vocab) -> None:
    mistral = (TEMPLATES / "mistral-7b-instruct-v0.3.jinja").read_text()
    fmt, notices = format_for_model(vocab, name="m", chat_template=mistral)
    assert isinstance(fmt, TemplateFormat) and fmt.prefix is not None
    assert not fmt.prefix.holds
    assert len(notices) == 1 and notices[0].startswith("m's chat template rewrites earlier turns")
    llama = (TEMPLATES / "llama-3.2-instruct.jinja").read_text()
    fmt, notices = format_for_model(vocab, name="l", chat_template=llama)
    assert isinstance(fmt, TemplateFormat) and fmt.prefix is not None and fmt.prefix.holds
    assert notices == []
    fmt, notices = format_for_model(vocab, name="base", chat_template="")
    assert isinstance(fmt, ProjectFormat) and "carries no chat template" in notices[0]


def test_the_dialect_setting_from_config_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.config import ConfigError, load_settings

    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "user.toml"))
    monkeypatch.delenv("ASSISTANT_DIALECT", raising=False)
    assert load_settings(tmp_path).llm.dialect == "auto"
    (tmp_path / "user.toml").write_text('[llm]\ndialect = "project"\n')
    assert load_settings(tmp_path).llm.dialect == "project"
    monkeypatch.setenv("ASSISTANT_DIALECT", "llama3")
    assert load_settings(tmp_path).llm.dialect == "llama3"
    monkeypatch.setenv("ASSISTANT_DIALECT", "chatml")
    with pytest.raises(ConfigError, match="dialect"):
        load_settings(tmp_path)


HOSTILE_TEMPLATES = {
    "division by zero": "{{ 1/0 }}",
    "endless recursion": "{% macro f(x) %}{{ f(x) }}{% endmacro %}{{ f(1) }}",
    "a huge number as text at compile time": "{{ (2**100000)|string }}",
    "nested loops": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "exponential macros": (
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}"
    ),
    "a huge string": "{{ 'x' * 10**9 }}",
    "a huge list": "{{ [1] * 10**9 }}",
    "a huge power": "{% set n = 10 %}{{ (((((n ** n) ** n) ** n) ** n) ** n) ** n }}",
    "a huge literal": "{{ 1" + "0" * 5000 + " }}",
}


@pytest.mark.parametrize("name", HOSTILE_TEMPLATES)
def test_a_hostile_template_in_a_gguf_falls_back_to_the_project_format(vocab, name: str) -> None:
    """A GGUF's template is untrusted: whatever it raises, or however long it would run,
    loading the model ends in the project's format and one notice, within seconds."""
    import time

    start = time.monotonic()
    fmt, notices = format_for_model(vocab, name="m", chat_template=HOSTILE_TEMPLATES[name])
    assert isinstance(fmt, ProjectFormat)
    assert len(notices) == 1 and "prompted in the project's own ChatML format" in notices[0]
    assert "The model's chat template" in notices[0]
    assert time.monotonic() - start < 4 * RENDER_SECONDS


def test_a_hostile_template_raises_template_error_from_render() -> None:
    with pytest.raises(TemplateError, match="ZeroDivisionError"):
        ChatTemplate("{% if messages %}{{ 1/0 }}{% endif %}").render([Message.user("hi")])
    with pytest.raises(TemplateError, match="cannot be compiled"):
        ChatTemplate("{{ 1" + "0" * 5000 + " }}")
    assert ChatTemplate("{{ 1000000 ** 2 }} {{ 'ab' * 3 }}").render([]) == "1000000000000 ababab"


def test_the_dialect_setting_lists_exactly_the_dialect_choices() -> None:
    from typing import get_args

    from assistant.config import ModelSettings

    literal = ModelSettings.model_fields["dialect"].annotation
    assert set(get_args(literal)) == set(DIALECT_CHOICES)
