"""The project's instructions reach the system prompt as the text they are, whatever
their script, limited by characters."""

from __future__ import annotations

from pathlib import Path

from assistant.agent.prompts import MAX_INSTRUCTION_CHARS, build_system_prompt

RULE = "- 所有函数都必须有类型注解和文档字符串。\n"  # 3 bytes a character


def test_non_ascii_instructions_over_the_byte_count_arrive_whole(tmp_path: Path) -> None:
    (tmp_path / "AGENTS.md").write_text(RULE * 400)  # 22,800 bytes, 8,400 characters
    prompt = build_system_prompt(tmp_path)
    assert (RULE * 400).strip() in prompt
    assert "truncated" not in prompt and "æ" not in prompt


def test_instructions_over_the_limit_are_cut_at_a_character(tmp_path: Path) -> None:
    text = RULE * 3000  # 63,000 characters
    (tmp_path / "AGENTS.md").write_text(text)
    prompt = build_system_prompt(tmp_path)
    assert "æ" not in prompt
    shown = prompt.split("# Project instructions (AGENTS.md)\n\n", 1)[1]
    assert shown == text[:MAX_INSTRUCTION_CHARS] + "\n[... instructions truncated ...]"
