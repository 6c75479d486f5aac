"""Check an export: llama.cpp and transformers generate greedily on the same prompts.

The prompts are rendered with :mod:`toolformat` (tools in the system turn, as the agent
sends them) and tokenized by llama.cpp, so both sides start from the same token ids.
Agreement is reported per prompt as the length of the common prefix of the two
greedy continuations; quantization makes long continuations drift apart, so the
number that matters is how many prompts agree on their first tokens.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.llm import toolformat
from assistant.llm.base import Message

_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a text file from the workspace.",
            "parameters": {
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "Path relative to the workspace."}
                },
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "run_shell",
            "description": "Run a shell command in the sandbox and return its output.",
            "parameters": {
                "type": "object",
                "properties": {"command": {"type": "string"}},
                "required": ["command"],
            },
        },
    },
]

_QUESTIONS = [
    ("What functions are defined in calc.py?", True),
    ("What is a Python decorator?", False),
    ("Run the tests and tell me which one fails.", True),
    ("Write a Python function that reverses a string.", False),
    ("Show me the contents of README.md.", True),
    ("Explain what a list comprehension is.", False),
    ("What does the main function in app.py do?", True),
    ("How do I read a JSON file in Python?", False),
    ("Which files are in the src directory?", True),
    ("What is the difference between a tuple and a list?", False),
    ("Count the lines of code in utils.py.", True),
    ("Give me three tips for writing clean code.", False),
]

SYSTEM = "You are a helpful coding assistant working in the user's project."


def prompt_texts(n: int) -> list[str]:
    """``n`` fixed prompts as the agent renders them (alternating with and without tools)."""
    out = []
    for question, with_tools in (_QUESTIONS * (1 + n // len(_QUESTIONS)))[:n]:
        msgs = [Message.system(SYSTEM), Message.user(question)]
        out.append(toolformat.render_prompt(msgs, _TOOLS if with_tools else None))
    return out


@dataclass
class Agreement:
    prompts: int
    tokens: int
    identical: int
    """Prompts whose continuations are identical (up to ``tokens`` or the end of turn)."""
    first_token: int
    """Prompts whose first generated token is the same."""
    prefix: list[int] = field(default_factory=list)
    """Common-prefix length per prompt."""
    label: str = ""
    forced: float | None = None
    """Teacher-forced agreement: the share of positions of the reference continuations
    where both sides pick the same next token. Unlike free-running greedy text, one
    near-tie does not derail the rest, so this is the number that tells a wrong tensor
    layout (well below 0.9) from quantization noise."""

    @property
    def mean_prefix(self) -> float:
        return sum(self.prefix) / max(len(self.prefix), 1)

    def line(self) -> str:
        return (
            f"{self.label}: {self.identical}/{self.prompts} prompts identical over {self.tokens} greedy tokens, "
            f"{self.first_token}/{self.prompts} agree on the first token, "
            f"mean common prefix {self.mean_prefix:.1f} tokens"
            + (f", teacher-forced agreement {self.forced:.1%}" if self.forced is not None else "")
        )


def compare(a: list[list[int]], b: list[list[int]], tokens: int, label: str = "") -> Agreement:
    prefix = []
    for x, y in zip(a, b, strict=True):
        n = 0
        while n < min(len(x), len(y)) and x[n] == y[n]:
            n += 1
        prefix.append(n)
    identical = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    first = sum(1 for x, y in zip(a, b, strict=True) if x[:1] == y[:1])
    return Agreement(len(a), tokens, identical, first, prefix, label)


def llama_open(
    path: Path, lora: Path | None = None, n_ctx: int = 2048, logits_all: bool = False
) -> Any:
    from llama_cpp import Llama

    kw: dict[str, Any] = {"lora_path": str(lora)} if lora is not None else {}
    return Llama(
        str(path),
        n_ctx=n_ctx,
        n_threads=os.cpu_count(),
        verbose=False,
        logits_all=logits_all,
        **kw,
    )


def llama_argmax(llm: Any, prompt: list[int], continuation: list[int]) -> list[int]:
    """llama.cpp's argmax next token at each position of ``continuation`` (teacher-forced).

    ``llm`` must be opened with ``logits_all=True``.
    """
    if not continuation:
        return []
    llm.reset()
    llm.eval(prompt + continuation)
    start = len(prompt) - 1
    return [int(i) for i in llm.scores[start : start + len(continuation)].argmax(axis=-1)]


def hf_argmax(model: Any, prompt: list[int], continuation: list[int]) -> list[int]:
    import torch

    if not continuation:
        return []
    with torch.no_grad():
        logits = model(torch.tensor([prompt + continuation])).logits[0]
    start = len(prompt) - 1
    return logits[start : start + len(continuation)].argmax(dim=-1).tolist()


def forced_agreement(
    llm: Any, model: Any, prompts: list[list[int]], continuations: list[list[int]]
) -> float:
    same = total = 0
    for ids, cont in zip(prompts, continuations, strict=True):
        a = llama_argmax(llm, ids, cont)
        b = hf_argmax(model, ids, cont)
        same += sum(1 for x, y in zip(a, b, strict=True) if x == y)
        total += len(cont)
    return same / max(total, 1)


def llama_tokens(llm: Any, texts: list[str]) -> list[list[int]]:
    return [llm.tokenize(t.encode("utf-8"), add_bos=True, special=True) for t in texts]


def llama_greedy(llm: Any, prompts: list[list[int]], tokens: int) -> list[list[int]]:
    """Greedy continuations (argmax, no penalties), cut at the first end-of-generation token."""
    from llama_cpp import llama_cpp as C

    vocab = C.llama_model_get_vocab(llm.model) if hasattr(C, "llama_model_get_vocab") else None
    out = []
    for ids in prompts:
        gen: list[int] = []
        for tok in llm.generate(
            ids, top_k=1, top_p=1.0, min_p=0.0, temp=0.0, repeat_penalty=1.0, reset=True
        ):
            is_eog = (
                C.llama_vocab_is_eog(vocab, tok) if vocab is not None else tok == llm.token_eos()
            )
            if is_eog:
                gen.append(int(tok))
                break
            gen.append(int(tok))
            if len(gen) >= tokens:
                break
        out.append(gen)
    return out


def hf_greedy(model: Any, prompts: list[list[int]], tokens: int, eog: set[int]) -> list[list[int]]:
    import torch

    out = []
    with torch.no_grad():
        for ids in prompts:
            x = torch.tensor([ids])
            y = model.generate(
                x,
                attention_mask=torch.ones_like(x),
                max_new_tokens=tokens,
                do_sample=False,
                eos_token_id=sorted(eog),
                pad_token_id=sorted(eog)[0],
            )[0, len(ids) :].tolist()
            cut = next((i for i, t in enumerate(y) if t in eog), None)
            out.append(y if cut is None else y[: cut + 1])
    return out


def eog_ids(tokenizer: Any) -> set[int]:
    ids = {tokenizer.eos_token_id} if tokenizer.eos_token_id is not None else set()
    im_end = tokenizer.convert_tokens_to_ids(toolformat.IM_END)
    if isinstance(im_end, int) and im_end != tokenizer.unk_token_id:
        ids.add(im_end)
    return ids


def validate_export(
    trained: Any,
    base: Any,
    out: Path,
    *,
    lora: bool,
    prompts: int = 4,
    tokens: int = 16,
    model: Any = None,
    tokenizer: Any = None,
) -> Agreement | None:
    """Greedy agreement of the exported file (in llama.cpp) with the merged model (transformers)."""
    from assistant.training.base import load_tokenizer
    from assistant.training.export import merged_model

    if lora:
        if base.gguf is None:
            return None  # no base GGUF to apply the adapter to
        llm = llama_open(base.gguf, lora=out, logits_all=True)
    else:
        llm = llama_open(out, logits_all=True)
    texts = prompt_texts(prompts)
    ids = llama_tokens(llm, texts)
    got = llama_greedy(llm, ids, tokens)
    model = model if model is not None else merged_model(trained, base)
    tokenizer = tokenizer if tokenizer is not None else load_tokenizer(base)
    want = hf_greedy(model, ids, tokens, eog_ids(tokenizer))
    result = compare(
        got,
        want,
        tokens,
        label=f"validation ({out.name} in llama.cpp vs merged model in transformers)",
    )
    result.forced = forced_agreement(llm, model, ids, want)
    return result
