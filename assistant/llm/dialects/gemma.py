"""Gemma function-call blocks, in the syntax FunctionGemma was trained on.

A call is ``<start_function_call>call:NAME{key:value,...}<end_function_call>``: keys are
bare, strings sit between ``<escape>`` markers, numbers, booleans, objects ``{...}`` and
lists ``[...]`` are written as they are. Tools are declared in
``<start_function_declaration>`` blocks and results come back in
``<start_function_response>`` blocks. The Gemma 3 chat template knows no tools, so all
three are rendered here.

The grammar is llama.cpp's JSON-schema grammar rewritten into this syntax. Generated
strings may hold anything (braces, ``</``, newlines: JSON, C, Python dicts and HTML can be
written) except control characters and the ``<escape>`` marker itself, and cannot end in a
prefix of it (``<``, ``<esc``); see ``_GEMMA_CHAR``. The parser reads any string.

Measured (``/tmp`` script, not kept: the real default model SmolLM2-135M, greedy, the
Gemma 3 template, a forced ``write_file`` call, 200-token cap, five requests: JSON, HTML,
C, a Python dict, plain text): with the older rule that also barred braces, ``</`` and
``<e`` the call closed in 2 of 5; with this rule in 4 of 5. SmolLM2 never learnt this
syntax, so the arguments are junk either way (it copies the tool declaration), and under
this rule one string ran on into a made-up next turn (``<end_of_turn>``, another
``<start_function_call>``) before closing; a forced ``grep`` wrote ``pattern:<escape>}``
and ran on into prose past 80 tokens (the older rule closed it). A model that does not
know the format can write a long string that only ``max_tokens`` stops; a model trained
on the syntax was not measured.
"""

from __future__ import annotations

import json
import re
from typing import Any

from assistant.llm.base import Message, ToolCall
from assistant.llm.dialects.base import Dialect, ParsedReply, call_variants, json_grammar

CALL_OPEN = "<start_function_call>"
CALL_CLOSE = "<end_function_call>"
ESCAPE = "<escape>"
_WORD = re.compile(r"[A-Za-z_][\w.-]*")
DECL_OPEN, DECL_CLOSE = "<start_function_declaration>", "<end_function_declaration>"
RESPONSE_OPEN, RESPONSE_CLOSE = "<start_function_response>", "<end_function_response>"

TOOLS_PREAMBLE = (
    "You are a model that can do function calling with the following functions. To call "
    f"one, write {CALL_OPEN}call:NAME{{argument:{ESCAPE}text{ESCAPE},number:1}}{CALL_CLOSE}"
)


def render_value(value: Any) -> str:
    """A value in FunctionGemma's notation."""
    if isinstance(value, str):
        return f"{ESCAPE}{value}{ESCAPE}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{render_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(render_value(v) for v in value) + "]"
    return json.dumps(value)


class _Reader:
    """A small recursive-descent reader for FunctionGemma values (lenient about JSON)."""

    _LITERAL = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
    _KEY = re.compile(r"\s*([A-Za-z_][\w.-]*)\s*:")

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def value(self) -> Any:
        self._skip()
        t, i = self.text, self.pos
        if t.startswith(ESCAPE, i):
            end = t.find(ESCAPE, i + len(ESCAPE))
            if end < 0:
                raise ValueError("a string is not closed with <escape>")
            self.pos = end + len(ESCAPE)
            return t[i + len(ESCAPE) : end]
        if i < len(t) and t[i] == "{":
            return self.mapping()
        if i < len(t) and t[i] == "[":
            self.pos += 1
            items: list[Any] = []
            self._skip()
            while not t.startswith("]", self.pos):
                items.append(self.value())
                self._skip()
                if t.startswith(",", self.pos):
                    self.pos += 1
                elif not t.startswith("]", self.pos):
                    raise ValueError("a list is not closed with ]")
            self.pos += 1
            return items
        if i < len(t) and t[i] == '"':
            value, self.pos = json.JSONDecoder(strict=False).raw_decode(t, i)
            return value
        m = self._LITERAL.match(t, i)
        if m is None:
            raise ValueError(f"unexpected {t[i : i + 20]!r}")
        self.pos = m.end()
        return json.loads(m.group(0))

    def _key(self) -> str:
        """A bare key, or a quoted or ``<escape>``-wrapped one (free-form objects), then ``:``."""
        t = self.text
        if t.startswith((ESCAPE, '"'), self.pos):
            key = self.value()
            self._skip()
            if not (isinstance(key, str) and t.startswith(":", self.pos)):
                raise ValueError(f"expected key: at {t[self.pos : self.pos + 20]!r}")
            self.pos += 1
            return key
        m = self._KEY.match(t, self.pos)
        if m is None:
            raise ValueError(f"expected key: at {t[self.pos : self.pos + 20]!r}")
        self.pos = m.end()
        return m.group(1)

    def mapping(self) -> dict[str, Any]:
        t = self.text
        if not t.startswith("{", self.pos):
            raise ValueError("arguments must start with {")
        self.pos += 1
        out: dict[str, Any] = {}
        self._skip()
        while not t.startswith("}", self.pos):
            key = self._key()
            out[key] = self.value()
            self._skip()
            if t.startswith(",", self.pos):
                self.pos += 1
                self._skip()
            elif not t.startswith("}", self.pos):
                raise ValueError("arguments are not closed with }")
        self.pos += 1
        return out


_CALL = re.compile(re.escape(CALL_OPEN) + r"\s*call:([\w.-]+)")
_STRING_LITERAL = re.compile(r'"\\"((?:[^"\\]|\\\\)*)\\""')
_KEY_LITERAL = re.compile(r'"\\"([^"\\]*)\\"" space ":" space')
_WRAPPER = re.compile(r'^"\{" space (\S*name-kv) "," space (\S*arguments-kv) "\}" space$')
# Generated strings may hold anything but control characters (raw newlines and tabs are
# fine) and the <escape> marker that closes them: "<", "<e", ..., "<escape" are allowed
# only when the next character leaves the marker (and is not another "<"), so the first
# <escape> after a string opens is always its end, for this grammar and the parser alike.
_CTRL = r"\x00-\x08\x0B-\x1F\x7F"
_GEMMA_CHAR = "char ::= " + " | ".join(
    [f"[^<{_CTRL}]"] + [f'"{ESCAPE[:k]}" [^{ESCAPE[k]}<{_CTRL}]' for k in range(1, len(ESCAPE))]
)


class Gemma(Dialect):
    name = "gemma"
    call_open = CALL_OPEN
    call_close = CALL_CLOSE
    open_markers = (CALL_OPEN,)
    stray_open = re.escape(CALL_OPEN) + r"\s*call:"
    template_markers = ("<start_of_turn>", CALL_OPEN)

    def render_tools(self, tools: list[dict[str, Any]]) -> str:
        decls = []
        for t in tools:
            fn = t["function"]
            spec = {"description": fn.get("description", ""), "parameters": fn.get("parameters")}
            spec = {k: v for k, v in spec.items() if v}
            decls.append(f"{DECL_OPEN}declaration:{fn['name']}{render_value(spec)}{DECL_CLOSE}")
        return TOOLS_PREAMBLE + "\n" + "".join(decls)

    def render_call(self, call: ToolCall) -> str:
        return f"{CALL_OPEN}call:{call.name}{render_value(call.arguments)}{CALL_CLOSE}"

    def render_assistant(self, content: str, calls: list[ToolCall]) -> str:
        text = "".join(self.render_call(c) for c in calls)
        return f"{content}\n{text}" if content and text else content or text

    def render_result(self, message: Message) -> str:
        body = render_value({"result": message.content})
        return f"{RESPONSE_OPEN}response:{message.name or 'tool'}{body}{RESPONSE_CLOSE}"

    def parse(self, text: str) -> ParsedReply:
        calls: list[ToolCall] = []
        errors: list[str] = []
        content: list[str] = []
        last = 0
        for m in _CALL.finditer(text):
            if m.start() < last:
                continue
            content.append(text[last : m.start()])
            reader = _Reader(text, m.end())
            try:
                args = reader.mapping()
            except ValueError as e:
                errors.append(f"Could not read the arguments of the call to {m.group(1)}: {e}.")
                end = text.find(CALL_CLOSE, m.end())
                last = len(text) if end < 0 else end + len(CALL_CLOSE)
                continue
            calls.append(ToolCall(name=m.group(1), arguments=args))
            last = reader.pos
            if text.startswith(CALL_CLOSE, last):
                last += len(CALL_CLOSE)
        content.append(text[last:])
        return ParsedReply(content="".join(content).strip(), tool_calls=calls, errors=errors)

    def partial_arguments_json(self, text: str) -> str:
        """``{key:<escape>text<escape>,n:1}``, cut anywhere, as JSON."""
        out: list[str] = []
        opened: list[str] = []  # the containers around the cut
        in_string = False
        i = 0
        while i < len(text):
            if text.startswith(ESCAPE, i):
                in_string = not in_string
                out.append('"')
                i += len(ESCAPE)
                continue
            if len(text) - i < len(ESCAPE) and ESCAPE.startswith(text[i:]):
                break  # cut inside the marker
            c = text[i]
            word = None if in_string else _WORD.match(text, i)
            if in_string:
                out.append(json.dumps(c, ensure_ascii=False)[1:-1])
            elif word is not None:
                name = word.group(0)
                if opened[-1:] == ["{"] and out[-1:] in (["{"], [", "]):
                    key = json.dumps(name)  # a key cut before its ':' is still an open string
                    out.append(key if word.end() < len(text) else key[:-1])
                else:
                    out.append(name)  # true, false, null, or the exponent of a number
                i = word.end()
                continue
            elif c in "{[":
                opened.append(c)
                out.append(c)
            elif c in "}]":
                if opened:
                    opened.pop()
                out.append(c)
            else:
                out.append({",": ", ", ":": ": "}.get(c, c))
            i += 1
        return "".join(out)

    def grammar(self, tools: list[dict[str, Any]], only: str | None = None) -> str:
        variants = call_variants(tools, only, "arguments")
        schema = variants[0] if len(variants) == 1 else {"oneOf": variants}
        gbnf = json_grammar(schema, ["name", "arguments"], canonical=False)
        rules = dict(line.split(" ::= ", 1) for line in gbnf.splitlines() if " ::= " in line)
        for rule, body in rules.items():
            if m := _WRAPPER.match(body):
                rules[rule] = f"{m.group(1)} {m.group(2)}"
            elif rule.endswith("name-kv"):
                rules[rule] = '"call:" ' + body.rsplit(" ", 1)[1]
            elif rule.endswith("arguments-kv"):
                rules[rule] = body.rsplit(" ", 1)[1]
        for rule, body in rules.items():
            if rule == "name" or rule.endswith("-name"):
                rules[rule] = _STRING_LITERAL.sub(r'"\1"', body)  # the bare tool name
        out = []
        for rule, body in rules.items():
            if rule == "char":
                out.append(_GEMMA_CHAR)
                continue
            if rule == "string":
                body = f'"{ESCAPE}" char* "{ESCAPE}" space'
            elif rule == "space":
                body = '""'
            body = _KEY_LITERAL.sub(r'"\1:"', body)
            body = _STRING_LITERAL.sub(rf'"{ESCAPE}\1{ESCAPE}"', body)
            out.append(f"{rule} ::= {body}")
        return "\n".join(out) + "\n"
