"""write_file replaces a file only once the model has seen every line of it whole: reads
of parts add up, and a line read_file showed cut does not count as seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.files import MAX_LINE_CHARS, edit_file, read_file, write_file
from assistant.tools.seen import SeenFiles


async def call(tool, ctx, **args):
    return await tool.run(args, ctx)


@pytest.fixture
def seen_ctx(ctx: ToolContext) -> ToolContext:
    ctx.seen_files = SeenFiles()
    return ctx


BIG = "".join(f"x_{i} = {i}\n" for i in range(1, 2501))


async def test_a_file_longer_than_one_read_counts_as_read_once_all_its_parts_are(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "big.py").write_text(BIG)
    first = await call(read_file, seen_ctx, path="big.py")
    assert "call read_file with start_line=2001" in first.output
    refused = await call(write_file, seen_ctx, path="big.py", content="y = 1\n")
    assert refused.is_error and "lines 2001-2500 of 2500 not yet" in refused.output
    assert "read_file with start_line=2001" in refused.output
    assert (ws / "big.py").read_text() == BIG
    await call(read_file, seen_ctx, path="big.py", start_line=2001)
    r = await call(write_file, seen_ctx, path="big.py", content="y = 1\n")
    assert not r.is_error, r.output
    assert (ws / "big.py").read_text() == "y = 1\n"


async def test_parts_add_up_in_any_order_but_only_for_the_same_content(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "big.py").write_text(BIG)
    await call(read_file, seen_ctx, path="big.py", start_line=1500, end_line=2500)
    await call(read_file, seen_ctx, path="big.py", start_line=1000, end_line=1600)
    refused = await call(write_file, seen_ctx, path="big.py", content="y = 1\n")
    assert "lines 1-999 of 2500 not yet" in refused.output, refused.output
    (ws / "big.py").write_text(BIG.replace("x_1 = 1\n", "x_1 = 11\n"))  # changed meanwhile
    await call(read_file, seen_ctx, path="big.py", end_line=999)
    refused = await call(write_file, seen_ctx, path="big.py", content="y = 1\n")
    assert refused.is_error and "lines 1000-2500 of 2500 not yet" in refused.output
    await call(read_file, seen_ctx, path="big.py", start_line=1000)
    assert not (await call(write_file, seen_ctx, path="big.py", content="y = 1\n")).is_error


LONG = "const A = 1;\nconst DATA = [" + ",".join(str(i) for i in range(3000)) + "];\nend();\n"


async def test_a_line_shown_cut_is_not_seen_so_write_file_asks_for_edit_file(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "data.js").write_text(LONG)
    shown = await call(read_file, seen_ctx, path="data.js")
    assert f"[line cut at {MAX_LINE_CHARS} chars]" in shown.output
    assert f"line 2 is longer than {MAX_LINE_CHARS} characters" in shown.output
    assert "write_file cannot replace it" in shown.output and "edit_file" in shown.output
    r = await call(write_file, seen_ctx, path="data.js", content="const A = 2;\n")
    assert r.is_error and "too long for read_file to show whole (line 2)" in r.output
    assert "edit_file" in r.output
    assert (ws / "data.js").read_text() == LONG
    # Reading it again does not help; edit_file is the way.
    await call(read_file, seen_ctx, path="data.js", start_line=2, end_line=2)
    again = await call(write_file, seen_ctx, path="data.js", content="const A = 2;\n")
    assert again.is_error and "too long" in again.output
    e = await call(edit_file, seen_ctx, path="data.js", old_text="A = 1", new_text="A = 2")
    assert not e.is_error and (ws / "data.js").read_text() == LONG.replace("A = 1", "A = 2")


async def test_a_small_file_with_a_cut_line_is_shown_whole_by_the_refusal(
    ws: Path, seen_ctx: ToolContext
) -> None:
    """The refusal lists a small file whole, so the next write_file may replace it; the
    refusal said it could not (found by review)."""
    one = "x" * (MAX_LINE_CHARS + 500) + "\n"
    (ws / "one.txt").write_text(one)
    await call(read_file, seen_ctx, path="one.txt")
    refused = await call(write_file, seen_ctx, path="one.txt", content="y\n")
    assert refused.is_error and one.strip() in refused.output
    assert "cannot replace" not in refused.output
    assert "call write_file again with its complete new content" in refused.output
    assert not (await call(write_file, seen_ctx, path="one.txt", content="y\n")).is_error
    assert (ws / "one.txt").read_text() == "y\n"


async def test_lines_around_a_cut_line_still_count(ws: Path, seen_ctx: ToolContext) -> None:
    (ws / "data.js").write_text(LONG)
    await call(read_file, seen_ctx, path="data.js", end_line=1)
    refused = await call(write_file, seen_ctx, path="data.js", content="x\n")
    assert "lines 2-3 of 3 not yet" in refused.output, refused.output
