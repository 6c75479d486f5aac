"""Prompting a local GGUF in its own chat format: its Jinja template plus a tool-call dialect.

A GGUF usually carries the Jinja chat template its model was trained with
(``tokenizer.chat_template``). :class:`ChatTemplate` renders conversations with it the way
Hugging Face's ``apply_chat_template`` does (a sandboxed Jinja environment, ``tools``,
assistant ``tool_calls`` and ``tool`` messages in the OpenAI shape), after probing what
the template can express. Whatever it cannot (many templates know no tools at all), the
model's :class:`~assistant.llm.dialects.Dialect` renders as text instead.

:func:`select_format` decides per model: the project's own ChatML/Hermes format
(:mod:`assistant.llm.toolformat`) for ChatML templates (SmolLM2, Qwen, the project's own
exports), for models without a template, and when the user asks for it; the model's
template with the dialect it implies otherwise.

The local backend keeps the KV cache of the previous prompt and only evaluates what is
new; that needs the rendering of a conversation to extend the rendering of its prefix.
:func:`check_prefix` tests that property; some real templates break it (Mistral's moves
the tool list and the system prompt to the last user message).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from assistant.llm import dialects, toolformat
from assistant.llm.base import LLMError, Message, ToolCall
from assistant.llm.dialects import Dialect

DIALECT_CHOICES = ("auto", "project", *dialects.names())
"""Values of the ``llm.dialect`` setting."""


class TemplateError(LLMError):
    """The model's chat template cannot render a conversation."""


def _tojson(
    value: Any, indent: int | None = None, separators: Any = None, sort_keys: bool = False
) -> str:
    # Hugging Face's tojson: no HTML escaping and no key sorting, unlike Jinja's own.
    return json.dumps(
        value, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys
    )


def _raise(message: str) -> None:
    raise TemplateError(message)


def _why(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


RENDER_SECONDS = 2.0
"""How long one rendering may take: a GGUF's template is untrusted and could loop."""
_MAX_RANGE_ITEMS = 1_000_000
_MAX_SEQUENCE = 1_000_000
_MAX_BITS = 1_000_000


def _too_big(operator: str, a: Any, b: Any) -> bool:
    """Whether ``a * b`` or ``a ** b`` would build a huge sequence or number."""
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(b, int):
        return False
    if operator == "*" and isinstance(a, str | list | tuple):
        return len(a) * b > _MAX_SEQUENCE
    if isinstance(a, int):
        bits = a.bit_length() * b if operator == "**" else a.bit_length() + b.bit_length()
        return bits > _MAX_BITS
    return False


class _Limits:
    """A wall-clock deadline for one rendering, checked on Python calls and ``range``."""

    def __init__(self) -> None:
        self.deadline = float("inf")
        self.range_items = 0
        self.timed_out = False
        """Once a rendering ran out of time, every later one fails at once."""

    def start(self) -> None:
        if self.timed_out:
            raise TemplateError(self._slow())
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.range_items = 0

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            self.timed_out = True
            raise TemplateError(self._slow())

    @staticmethod
    def _slow() -> str:
        return f"it takes more than {RENDER_SECONDS:g} s to render"

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            self.check()


def _environment(limits: _Limits) -> Any:
    """The Jinja environment ``transformers`` renders chat templates in (sandboxed), with
    bounds on ``range``, ``*`` and ``**`` so a template cannot exhaust time or memory."""
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

    class _Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if _too_big(operator, left, right) or (
                operator == "*" and _too_big(operator, right, left)
            ):
                raise TemplateError(f"it computes a value too large ({operator})")
            return super().call_binop(context, operator, left, right)

    def bounded_range(*args: int) -> range:
        rng = safe_range(*args)
        limits.range_items += len(rng)
        if limits.range_items > _MAX_RANGE_ITEMS:
            raise TemplateError("its loops run over too many items")
        limits.check()
        return rng

    env = _Bounded(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    env.globals["range"] = bounded_range
    return env


def short_call_id(call_id: str | None) -> str:
    """A stable 9-character alphanumeric id (Mistral's templates reject any other)."""
    digest = hashlib.sha256((call_id or "").encode()).hexdigest()
    return digest[:9]


def is_project_format(template: str) -> bool:
    """ChatML templates (SmolLM2, Qwen, the project's own exports) speak the project's format."""
    return toolformat.IM_START in template


def dialect_for_template(template: str) -> Dialect:
    """The tool-call dialect a chat template implies (Hermes when it names none)."""
    for name in ("hermes", "mistral", "gemma", "llama3"):
        dialect = dialects.get(name)
        if any(marker in template for marker in dialect.template_markers):
            return dialect
    return dialects.get("hermes")


@dataclass(frozen=True)
class Caps:
    """What a chat template renders itself (probed, as llama.cpp's minja does)."""

    system: bool
    """It renders a system prompt, whatever message comes last."""
    tools: bool
    tool_calls: bool
    parallel_calls: bool
    tool_responses: bool
    alternation: bool
    """It raises on two user turns in a row (Gemma, Mistral): merge them first."""


_PROBE_TOOL = {
    "type": "function",
    "function": {
        "name": "probe_tool_name",
        "description": "probe",
        "parameters": {"type": "object", "properties": {"probe_arg": {"type": "string"}}},
    },
}


def _probe_call(name: str, n: int) -> dict[str, Any]:
    return {
        "id": f"probe{n:04d}",
        "type": "function",
        "function": {"name": name, "arguments": {"probe_arg": "PROBE_ARG"}},
    }


class ChatTemplate:
    """A GGUF's Jinja chat template, with a dialect for what it cannot render."""

    def __init__(
        self,
        source: str,
        *,
        bos_token: str = "",
        eos_token: str = "",
        dialect: Dialect | None = None,
    ) -> None:
        from jinja2 import TemplateError as JinjaError

        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.dialect = dialect or dialect_for_template(source)
        self._limits = _Limits()
        try:
            self._template = _environment(self._limits).from_string(source)
        except JinjaError as e:
            raise TemplateError(f"The model's chat template is not valid Jinja ({e}).") from e
        except Exception as e:  # untrusted: constant folding can raise anything
            raise TemplateError(f"The model's chat template cannot be compiled ({_why(e)}).") from e
        self.caps = self._probe()
        self.turn_stops = self._turn_stops()

    # -- raw rendering ----------------------------------------------------------

    def render_hf(
        self,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]] | None = None,
        *,
        add_generation_prompt: bool = True,
    ) -> str:
        """The template applied to messages already in the Hugging Face shape."""
        try:
            self._limits.start()
        except TemplateError as e:
            raise TemplateError(f"The model's chat template failed ({e}).") from None
        previous = sys.getprofile()
        sys.setprofile(self._limits.profile)
        try:
            text = self._template.render(
                messages=messages,
                tools=tools,
                add_generation_prompt=add_generation_prompt,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
            )
        except TemplateError as e:
            if str(e).startswith("The model's chat template"):
                raise
            raise TemplateError(f"The model's chat template failed ({e}).") from e
        except Exception as e:  # untrusted: 1/0, runaway recursion, anything
            raise TemplateError(f"The model's chat template failed ({_why(e)}).") from e
        finally:
            sys.setprofile(previous)
        # llama.cpp adds BOS itself when the model wants one.
        if self.bos_token and text.startswith(self.bos_token):
            text = text[len(self.bos_token) :]
        return text

    def _try(self, messages: list[dict[str, Any]], tools: Any = None, gen: bool = False) -> str:
        try:
            return self.render_hf(messages, tools, add_generation_prompt=gen)
        except TemplateError:
            return ""

    def _probe(self) -> Caps:
        user = {"role": "user", "content": "PROBE_USER"}
        sys_msg = {"role": "system", "content": "PROBE_SYSTEM"}
        reply = {"role": "assistant", "content": "PROBE_REPLY"}
        # Mistral's templates show the system prompt only while the last message is the
        # user's, so it would vanish after a tool call: treat that as no system role.
        system = "PROBE_SYSTEM" in self._try([sys_msg, user]) and "PROBE_SYSTEM" in self._try(
            [sys_msg, user, reply]
        )
        tools = "probe_tool_name" in self._try([user], [_PROBE_TOOL])
        one = {"role": "assistant", "content": "", "tool_calls": [_probe_call("probe_fn_a", 1)]}
        two = {**one, "tool_calls": [_probe_call("probe_fn_a", 1), _probe_call("probe_fn_b", 2)]}
        out = self._try([user, one], [_PROBE_TOOL])
        tool_calls = "probe_fn_a" in out and "PROBE_ARG" in out
        out = self._try([user, two], [_PROBE_TOOL])
        parallel = tool_calls and "probe_fn_a" in out and "probe_fn_b" in out
        result = {"role": "tool", "tool_call_id": "probe0001", "name": "probe_fn_a"}
        out = self._try([user, one, {**result, "content": "PROBE_RESULT"}], [_PROBE_TOOL])
        responses = "PROBE_RESULT" in out
        out = self._try([user, {"role": "user", "content": "PROBE_SECOND"}])
        return Caps(system, tools, tool_calls, parallel, responses, "PROBE_SECOND" not in out)

    def _turn_stops(self) -> tuple[str, ...]:
        """The marker that ends an assistant turn (e.g. ``<|eot_id|>``), when it shows one."""
        conv = [
            {"role": "user", "content": "PROBE_U1"},
            {"role": "assistant", "content": "PROBE_A1"},
            {"role": "user", "content": "PROBE_U2"},
        ]
        out = self._try(conv)
        between = out.partition("PROBE_A1")[2].partition("PROBE_U2")[0].strip()
        m = re.match(r"<[^<>\s]+>|\[[^\[\]\s]+\]", between)
        stops = [m.group(0)] if m else []
        if self.eos_token and self.eos_token not in stops:
            stops.append(self.eos_token)
        return tuple(stops)

    # -- conversations ----------------------------------------------------------

    def hf_messages(
        self, messages: list[Message], tools: list[dict[str, Any]] | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        """``messages`` (and ``tools``) as this template takes them, with the dialect
        rendering whatever the template cannot."""
        caps, dialect = self.caps, self.dialect
        out: list[dict[str, Any]] = []
        i = 0
        while i < len(messages):
            m = messages[i]
            if m.role == "tool" and not caps.tool_responses:
                block = []
                while i < len(messages) and messages[i].role == "tool":
                    block.append(dialect.render_result(messages[i]))
                    i += 1
                out.append({"role": "user", "content": "\n".join(block)})
                continue
            if m.role == "tool":
                out.append(
                    {
                        "role": "tool",
                        "content": m.content,
                        "tool_call_id": short_call_id(m.tool_call_id),
                        "name": m.name,
                    }
                )
            elif m.role == "assistant" and m.tool_calls and self._native_calls(m.tool_calls):
                calls = [_hf_call(c) for c in m.tool_calls]
                out.append({"role": "assistant", "content": m.content, "tool_calls": calls})
            elif m.role == "assistant":
                out.append(
                    {
                        "role": "assistant",
                        "content": dialect.render_assistant(m.content, m.tool_calls),
                    }
                )
            else:
                out.append({"role": m.role, "content": m.content})
            i += 1
        if tools and not caps.tools:
            _add_to_system(out, dialect.render_tools(tools))
        if out and out[0]["role"] == "system" and not caps.system:
            system = out.pop(0)["content"]
            if out and out[0]["role"] == "user":
                out[0] = {**out[0], "content": f"{system}\n\n{out[0]['content']}"}
            else:
                out.insert(0, {"role": "user", "content": system})
        if caps.alternation:
            out = _merge_runs(out)
        return out, (tools if tools and caps.tools else None)

    def _native_calls(self, calls: list[ToolCall]) -> bool:
        return self.caps.tool_calls and (len(calls) == 1 or self.caps.parallel_calls)

    def render(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        add_generation_prompt: bool = True,
    ) -> str:
        hf, hf_tools = self.hf_messages(messages, tools)
        return self.render_hf(hf, hf_tools, add_generation_prompt=add_generation_prompt)


def _hf_call(call: ToolCall) -> dict[str, Any]:
    return {
        "id": short_call_id(call.id),
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    }


def _add_to_system(out: list[dict[str, Any]], text: str) -> None:
    if out and out[0]["role"] == "system":
        content = out[0]["content"]
        out[0] = {**out[0], "content": f"{content}\n\n{text}" if content else text}
    else:
        out.insert(0, {"role": "system", "content": text})


def _merge_runs(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join consecutive plain turns of one role, for templates that insist on alternation."""
    merged: list[dict[str, Any]] = []
    for m in out:
        prev = merged[-1] if merged else None
        plain = "tool_calls" not in m and m["role"] in ("user", "assistant")
        if prev and plain and prev["role"] == m["role"] and "tool_calls" not in prev:
            merged[-1] = {**prev, "content": f"{prev['content']}\n\n{m['content']}"}
        else:
            merged.append(m)
    return merged


# -- the prefix property ---------------------------------------------------------


def common_prefix_length(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


Render = Callable[[list[Message], list[dict[str, Any]] | None], str]
"""Renders a conversation with the generation prompt, as the backend prompts the model."""


@dataclass(frozen=True)
class PrefixCheck:
    """Whether each earlier prompt of a conversation is a prefix of the last one."""

    holds: bool
    broken_at: int | None = None
    """Index of the first message whose prompt is not a prefix of the whole."""
    common_chars: int = 0
    """Characters shared with the whole at that point (what the KV cache can still reuse)."""
    prefix_chars: int = 0
    """Characters of that earlier prompt."""


def check_prefix(
    render: Render, messages: list[Message], tools: list[dict[str, Any]] | None = None
) -> PrefixCheck:
    """Check the prompt at each assistant turn against the prompt of the whole conversation."""
    whole = render(messages, tools)
    for k, m in enumerate(messages):
        if m.role != "assistant" or k == 0:
            continue
        part = render(messages[:k], tools)
        if not whole.startswith(part):
            common = common_prefix_length(part, whole)
            return PrefixCheck(False, k, common, len(part))
    return PrefixCheck(True)


# -- what the local backend uses ----------------------------------------------------


class PromptFormat(Protocol):
    """How the local backend turns a conversation into text and reads calls back."""

    name: str
    dialect: Dialect
    turn_stops: tuple[str, ...]
    """Text that ends the assistant's turn when the model spells it out."""

    def render(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        add_generation_prompt: bool = True,
    ) -> str: ...


class ProjectFormat:
    """The project's ChatML + ``<tool_call>`` format (:mod:`assistant.llm.toolformat`)."""

    name = "project"
    dialect: Dialect = dialects.get("hermes")
    turn_stops = (toolformat.IM_END, toolformat.IM_START, "<|endoftext|>")

    def render(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        add_generation_prompt: bool = True,
    ) -> str:
        return toolformat.render_prompt(
            messages, tools, add_generation_prompt=add_generation_prompt
        )


class TemplateFormat:
    """The model's own chat template with its dialect."""

    def __init__(self, template: ChatTemplate) -> None:
        self.template = template
        self.dialect = template.dialect
        self.name = f"template+{template.dialect.name}"
        self.turn_stops = template.turn_stops
        self.prefix: PrefixCheck | None = None
        """The prefix property on :data:`PREFIX_PROBE` (set by :func:`format_for_model`)."""

    def render(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        add_generation_prompt: bool = True,
    ) -> str:
        return self.template.render(messages, tools, add_generation_prompt=add_generation_prompt)


def select_format(
    chat_template: str | None,
    *,
    dialect: str = "auto",
    bos_token: str = "",
    eos_token: str = "",
    model: str = "The model",
) -> tuple[PromptFormat, str | None]:
    """The prompt format for a GGUF and, when the choice needs explaining, one sentence.

    ``dialect``: ``auto`` (the template's own, or the project's format for ChatML
    templates), ``project`` (always the project's format), or a dialect name (the
    model's template with that dialect).
    """
    if dialect not in DIALECT_CHOICES:
        raise LLMError(
            f"Unknown tool-call dialect {dialect!r}; set llm.dialect to one of "
            f"{', '.join(DIALECT_CHOICES)}."
        )
    if dialect == "project":
        return ProjectFormat(), None
    if not chat_template:
        return ProjectFormat(), (
            f"{model} carries no chat template (a base model?), so it is prompted in the "
            "project's own ChatML format with <tool_call> blocks."
        )
    if dialect == "auto" and is_project_format(chat_template):
        return ProjectFormat(), None
    chosen = None if dialect == "auto" else dialects.get(dialect)
    try:
        template = ChatTemplate(
            chat_template, bos_token=bos_token, eos_token=eos_token, dialect=chosen
        )
    except TemplateError as e:
        return ProjectFormat(), (
            f"{model}'s chat template cannot be used ({e}), so it is prompted in the "
            "project's own ChatML format."
        )
    return TemplateFormat(template), None


_PROBE_TOOLS = [_PROBE_TOOL]
_PROBE_CALLS = [
    ToolCall("probe_tool_name", {"probe_arg": "a"}, id="call_probe_1"),
    ToolCall("probe_tool_name", {"probe_arg": "b"}, id="call_probe_2"),
]
PREFIX_PROBE = [
    Message.system("You are a coding assistant."),
    Message.user("First question."),
    Message("assistant", "", tool_calls=[_PROBE_CALLS[0]]),
    Message.tool(_PROBE_CALLS[0], "first result"),
    Message("assistant", "First answer."),
    Message.user("Second question."),
    Message("assistant", "", tool_calls=[_PROBE_CALLS[1]]),
    Message.tool(_PROBE_CALLS[1], "second result"),
]
"""A two-question agent conversation for checking a template's prefix property."""


def _token_text(llm: Any, token: int) -> str:
    if token < 0:
        return ""
    return llm.detokenize([token], special=True).decode("utf-8", errors="replace")


def format_for_model(
    llm: Any, *, name: str, dialect: str = "auto", chat_template: str | None = None
) -> tuple[PromptFormat, list[str]]:
    """The prompt format for a loaded ``llama_cpp.Llama`` and the notices to show the user.

    ``chat_template`` replaces the GGUF's own (tests and benchmarks use it). When the
    model's template breaks the prefix property, the backend still works: llama.cpp
    reuses the KV cache up to the first differing token and evaluates the rest again;
    the notice says so.
    """
    template = chat_template
    if template is None:
        template = llm.metadata.get("tokenizer.chat_template")
    fmt, note = select_format(
        template,
        dialect=dialect,
        bos_token=_token_text(llm, llm.token_bos()),
        eos_token=_token_text(llm, llm.token_eos()),
        model=name,
    )
    notes = [note] if note else []
    if isinstance(fmt, TemplateFormat):
        try:
            fmt.prefix = check_prefix(
                lambda m, tools: fmt.render(m, tools), PREFIX_PROBE, _PROBE_TOOLS
            )
        except TemplateError as e:
            return ProjectFormat(), [
                *notes,
                f"{name}'s chat template cannot render an agent conversation ({e}), so it is "
                "prompted in the project's own ChatML format.",
            ]
        if not fmt.prefix.holds:
            notes.append(
                f"{name}'s chat template rewrites earlier turns when a new question comes "
                "(it moves the tool list or the system prompt), so each new question "
                "evaluates the prompt again from where it changed instead of reusing the "
                "KV cache."
            )
    return fmt, notes
