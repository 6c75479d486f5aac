"""The project's chat template as Jinja, for the metadata of exported models.

It renders exactly what :func:`assistant.llm.toolformat.render_prompt` renders (a test
compares the two on real records), so a Hugging Face stack (vLLM, TGI, transformers'
``apply_chat_template``) prompts an exported model the way the agent does. Messages
are in the OpenAI shape; tool-call arguments may be a dict or a JSON string.
"""

from __future__ import annotations

from typing import Any

from assistant.llm import toolformat

_PRE, _POST = toolformat.TOOLS_PREAMBLE.replace("{{", "{").replace("}}", "}").split("{tools}")


def _lit(text: str) -> str:
    """``text`` as a Jinja string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


CHAT_TEMPLATE = (
    "{%- set ns = namespace(system='', start=0, tools='') -%}"
    "{%- if messages and messages[0]['role'] == 'system' -%}"
    "{%- set ns.system = messages[0]['content'] or '' -%}{%- set ns.start = 1 -%}"
    "{%- endif -%}"
    "{%- if tools -%}"
    "{%- for t in tools -%}"
    "{%- set ns.tools = ns.tools ~ ('\\n' if not loop.first else '') ~ (t | tojson) -%}"
    "{%- endfor -%}"
    "{%- set tt = " + _lit(_PRE) + " ~ ns.tools ~ " + _lit(_POST) + " -%}"
    "{%- set ns.system = (ns.system ~ '\\n\\n' ~ tt) if ns.system else tt -%}"
    "{%- endif -%}"
    "{%- if ns.system -%}{{ '<|im_start|>system\\n' ~ ns.system ~ '<|im_end|>\\n' }}{%- endif -%}"
    "{%- for m in messages[ns.start:] -%}"
    "{%- if m['role'] == 'tool' -%}"
    "{%- if loop.first or loop.previtem['role'] != 'tool' -%}{{ '<|im_start|>user\\n' }}"
    "{%- else -%}{{ '\\n' }}{%- endif -%}"
    "{{ '<tool_response>\\n' ~ (m['content'] or '') ~ '\\n</tool_response>' }}"
    "{%- if loop.last or loop.nextitem['role'] != 'tool' -%}{{ '<|im_end|>\\n' }}{%- endif -%}"
    "{%- elif m['role'] == 'assistant' -%}"
    "{{ '<|im_start|>assistant\\n' ~ (m['content'] or '') }}"
    "{%- for tc in (m['tool_calls'] or []) -%}"
    "{%- set fn = tc['function'] if tc['function'] is defined else tc -%}"
    "{%- set args = fn['arguments'] if fn['arguments'] is string else (fn['arguments'] | tojson) -%}"
    "{{ ('\\n' if (m['content'] or not loop.first) else '') ~ '<tool_call>\\n{\"name\": ' ~ (fn['name'] | tojson)"
    " ~ ', \"arguments\": ' ~ args ~ '}\\n</tool_call>' }}"
    "{%- endfor -%}"
    "{{ '<|im_end|>\\n' }}"
    "{%- else -%}"
    "{{ '<|im_start|>' ~ m['role'] ~ '\\n' ~ (m['content'] or '') ~ '<|im_end|>\\n' }}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
)
"""The Jinja chat template stored as ``tokenizer.chat_template``."""


def hf_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Record messages in the shape chat templates expect: tool-call arguments as dicts."""
    from assistant.llm.base import Message

    out = []
    for raw in messages:
        m = Message.from_dict(raw)
        d: dict[str, Any] = {"role": m.role, "content": m.content}
        if m.tool_calls:
            d["tool_calls"] = [
                {"type": "function", "function": {"name": tc.name, "arguments": tc.arguments}}
                for tc in m.tool_calls
            ]
        out.append(d)
    return out
