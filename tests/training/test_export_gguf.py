"""``assistant export --format gguf``: the llama-family writer, quantization, the round
trip of the default model, the chat template in the metadata, the torch-free merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.llm import toolformat
from assistant.llm.adapters import field_value, merge_lora, read_gguf
from assistant.training.chat_template import CHAT_TEMPLATE, hf_messages
from assistant.training.data import record_messages
from assistant.training.export import HF_EXPORT_MARKER, export
from assistant.training.validate import (
    compare,
    llama_greedy,
    llama_open,
    llama_tokens,
    prompt_texts,
)
from tests.training.records import make_records
from tests.training.test_export_lora import make_adapter

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def original(default_model_path: Path):
    """Greedy continuations of the untouched default GGUF on 12 prompts."""
    llm = llama_open(default_model_path)
    ids = llama_tokens(llm, prompt_texts(12))
    return ids, llama_greedy(llm, ids, 24)


def test_round_trip_q4_1_is_exact(original, tmp_path):
    """default → HF (dequantized) → GGUF → q4_1 reproduces the shipped file's output."""
    ids, want = original
    out = tmp_path / "rt.gguf"
    result = export(None, out, base="default", quant="q4_1", prompts=2, tokens=8)
    # One of the 2×8 teacher-forced tokens is a near tie that AVX2-only CPUs break the other way.
    assert result.validation.forced >= 0.85
    got = llama_greedy(llama_open(out), ids, 24)
    agreement = compare(want, got, 24, "q4_1 round trip")
    print(agreement.line())
    assert agreement.identical == 12


def test_round_trip_f16(original, tmp_path):
    """The f16 export has no quantization noise; it reproduces the Q4_1 original's greedy
    output on at least 10 of 12 prompts (12 tokens each)."""
    ids, want = original
    out = tmp_path / "rt-f16.gguf"
    export(None, out, base="default", quant="f16", validate=False)
    reader = read_gguf(out)
    assert field_value(reader, "tokenizer.chat_template") == CHAT_TEMPLATE
    assert field_value(reader, "general.file_type") == 1
    got = llama_greedy(llama_open(out), ids, 12)
    agreement = compare([w[:12] for w in want], got, 12, "f16 round trip")
    print(agreement.line())
    assert agreement.identical >= 9  # 12 on AVX-512 machines, 9 on an AVX2-only one


def test_merged_gguf_and_torch_free_merge_match_runtime_lora(
    base_model, default_model_path, tmp_path
):
    adapter = make_adapter(base_model, tmp_path / "adapter", std=0.15)
    merged = export(adapter, tmp_path / "merged-q8_0.gguf", quant="q8_0", prompts=4, tokens=12)
    print(merged.validation.line())
    assert merged.validation.forced >= 0.9
    lora = tmp_path / "adapter.gguf"
    export(adapter, lora, fmt="lora-gguf", validate=False)

    # The torch-free merge (what ships the tuned default) == the adapter applied at load time.
    out = merge_lora(default_model_path, lora, tmp_path / "merged-f16.gguf", quant="f16")
    runtime = llama_open(default_model_path, lora=lora)
    ids = llama_tokens(runtime, prompt_texts(6))
    want = llama_greedy(runtime, ids, 12)
    got = llama_greedy(llama_open(out), ids, 12)
    agreement = compare(want, got, 12, "torch-free merge (f16) vs runtime LoRA")
    print(agreement.line())
    # The first prompt's first token is a near tie: AVX2-only CPUs break it differently.
    assert agreement.first_token >= 5
    assert agreement.identical >= 4
    # Metadata (tokenizer, template) comes from the base; the quantized merge keeps its type.
    q = merge_lora(default_model_path, lora, tmp_path / "merged-q4_1.gguf")
    reader = read_gguf(q)
    assert field_value(reader, "general.file_type") == field_value(
        read_gguf(default_model_path), "general.file_type"
    )
    assert q.stat().st_size < 1.2 * default_model_path.stat().st_size


def test_chat_template_renders_like_toolformat_on_50_records(tokenizer):
    from transformers.utils.chat_template_utils import render_jinja_template

    records = make_records(50, seed=7)
    for i, record in enumerate(records):
        # Vary the shape: no tools, no system turn, generation prompt or not.
        tools = record["tools"] if i % 4 else None
        messages = record["messages"][1:] if i % 5 == 0 else record["messages"]
        gen = i % 2 == 0
        want = toolformat.render_prompt(
            record_messages({"messages": messages}), tools, add_generation_prompt=gen
        )
        rendered = render_jinja_template(
            [hf_messages(messages)],
            tools=tools,
            chat_template=CHAT_TEMPLATE,
            add_generation_prompt=gen,
        )
        got = rendered[0][0] if isinstance(rendered, tuple) else rendered
        assert got == want, record["id"]
    # And through a tokenizer, the way a Hugging Face stack uses it.
    tokenizer.chat_template = CHAT_TEMPLATE
    text = tokenizer.apply_chat_template(
        hf_messages(records[1]["messages"]), tools=records[1]["tools"], tokenize=False
    )
    assert text == toolformat.render_prompt(
        record_messages(records[1]), records[1]["tools"], add_generation_prompt=False
    )


def test_hf_export_has_weights_tokenizer_and_template(tmp_path):
    out = export(None, tmp_path / "hf", fmt="hf", base="default").out
    assert (out / "model.safetensors").is_file()
    cfg = json.loads((out / "tokenizer_config.json").read_text())
    template = cfg.get("chat_template") or (out / "chat_template.jinja").read_text()
    assert template == CHAT_TEMPLATE
    assert (out / HF_EXPORT_MARKER).is_file(), "the next export may replace only this folder"


def test_hf_directory_base_writes_its_own_tokenizer(tmp_path, default_model_path):
    """A HF-directory base has no GGUF to copy metadata from: the writer builds the
    tokenizer (BPE tokens, merges, pre-tokenizer, special ids) and hyper-parameters itself."""
    hf = export(None, tmp_path / "hf", fmt="hf", base="default").out
    out = tmp_path / "from-hf.gguf"
    result = export(None, out, base=str(hf), quant="f16", prompts=2, tokens=8)
    print(result.validation.line())
    assert result.validation.forced >= 0.9
    original = llama_open(default_model_path)
    written = llama_open(out)
    for text in [*prompt_texts(3), "naïve café — déjà vu 123 \t tabs\n\nnew  lines <tool_call>"]:
        assert llama_tokens(written, [text]) == llama_tokens(original, [text])
    reader = read_gguf(out)
    assert field_value(reader, "tokenizer.ggml.pre") == "smollm"
    assert field_value(reader, "llama.attention.head_count_kv") == 3
