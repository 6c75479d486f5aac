"""Files that are not one clean encoding or newline style: edit_file matches what
read_file showed and writes back every byte it did not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.base import ToolContext
from assistant.tools.files import (
    decode_text,
    drop_partial_char,
    edit_file,
    encode_text,
    read_file,
    read_workspace_text,
    write_file,
)
from assistant.tools.search import grep


async def call(tool, ctx, **args):
    return await tool.run(args, ctx)


# ---- mixed line endings ---------------------------------------------------------------
MIXED = b"alpha\r\nbeta\r\ngamma\ndelta\n"


@pytest.mark.parametrize(
    ("old", "new", "written"),
    [
        ("alpha\nbeta", "ALPHA\nBETA", b"ALPHA\r\nBETA\r\ngamma\ndelta\n"),
        ("beta\ngamma\n", "B\nG\n", b"alpha\r\nB\r\nG\ndelta\n"),  # each line its own
        ("alpha", "a1\na2", b"a1\r\na2\r\nbeta\r\ngamma\ndelta\n"),  # as the line it is in
        ("gamma", "g1\ng2", b"alpha\r\nbeta\r\ng1\ng2\ndelta\n"),
        ("beta\n", "b1\nb2\n", b"alpha\r\nb1\r\nb2\r\ngamma\ndelta\n"),
        ("alpha\r\nbeta", "A\r\nB", b"A\r\nB\r\ngamma\ndelta\n"),  # old_text with its \r
    ],
)
async def test_a_file_with_mixed_line_endings_is_edited_across_lines(
    ws: Path, ctx: ToolContext, old: str, new: str, written: bytes
) -> None:
    (ws / "mixed.txt").write_bytes(MIXED)
    shown = await call(read_file, ctx, path="mixed.txt")
    assert "\r" not in shown.output
    r = await call(edit_file, ctx, path="mixed.txt", old_text=old, new_text=new)
    assert not r.is_error, r.output
    assert (ws / "mixed.txt").read_bytes() == written


async def test_a_lone_carriage_return_stays_and_replace_all_keeps_each_ending(
    ws: Path, ctx: ToolContext
) -> None:
    (ws / "m.txt").write_bytes(b"one\r\ntwo\rthree\r\nx = 1\nx = 1\r\n")
    r = await call(edit_file, ctx, path="m.txt", old_text="one\ntwo", new_text="ONE\nTWO")
    assert not r.is_error, r.output
    assert (ws / "m.txt").read_bytes() == b"ONE\r\nTWO\rthree\r\nx = 1\nx = 1\r\n"
    r = await call(
        edit_file, ctx, path="m.txt", old_text="x = 1\n", new_text="y\n", replace_all=True
    )
    assert not r.is_error and r.meta["replacements"] == 2
    assert (ws / "m.txt").read_bytes() == b"ONE\r\nTWO\rthree\r\ny\ny\r\n"
    many = await call(edit_file, ctx, path="m.txt", old_text="y\n", new_text="z\n")
    assert many.is_error and "matches 2 places in m.txt (lines 3, 4)" in many.output


# ---- a UTF-8 file with a stray byte -----------------------------------------------------
GREETING = 'GREETING = "Grüße"\n'.encode() + b"# note: caf\xe9 (a stray cp1252 byte)\n"


def test_a_stray_byte_keeps_the_file_utf8_and_round_trips() -> None:
    tf = decode_text(GREETING)
    assert tf is not None and tf.encoding == "utf-8"
    assert tf.text == 'GREETING = "Grüße"\n# note: café (a stray cp1252 byte)\n'
    assert encode_text(tf.exact, tf.encoding, tf.newline) == GREETING
    crlf = decode_text(GREETING.replace(b"\n", b"\r\n"))
    assert crlf is not None and crlf.newline == "\r\n"
    assert encode_text(crlf.exact, crlf.encoding, crlf.newline) == GREETING.replace(b"\n", b"\r\n")
    # Latin-1 (or cp1252) throughout stays Latin-1, byte for byte.
    latin = "Größe = 'café'\n".encode("latin-1") + b"x = '\x93quoted\x94'\n"
    lf = decode_text(latin)
    assert lf is not None and lf.encoding == "latin-1" and lf.text.startswith("Größe")
    assert encode_text(lf.exact, lf.encoding, lf.newline) == latin


async def test_read_shows_a_stray_byte_readably_and_says_so(ws: Path, ctx: ToolContext) -> None:
    (ws / "m.py").write_bytes(GREETING)
    r = await call(read_file, ctx, path="m.py")
    assert '     1\tGREETING = "Grüße"' in r.output
    assert "     2\t# note: café (a stray cp1252 byte)" in r.output
    assert "line 2 of this UTF-8 file has bytes that are not UTF-8" in r.output
    r.output.encode("utf-8")  # no lone surrogate reaches the model
    only_first = await call(read_file, ctx, path="m.py", end_line=1)
    assert "not UTF-8" not in only_first.output
    found = await call(grep, ctx, pattern="caf")
    assert found.output == "m.py:2:# note: café (a stray cp1252 byte)"


@pytest.mark.parametrize(
    ("old", "new", "written"),
    [
        ('"Grüße"', '"Größe"', GREETING.replace("Grüße".encode(), "Größe".encode())),
        ("note", "NOTE", GREETING.replace(b"note", b"NOTE")),
        ("café (a stray", "café (one stray", GREETING.replace(b"(a stray", b"(one stray")),
        ("note: café", "NOTE: café", GREETING.replace(b"note", b"NOTE")),
        ("café", "cafe", GREETING.replace(b"caf\xe9", b"cafe")),
        ("caf", "Caf", GREETING.replace(b"caf\xe9", b"Caf\xe9")),
    ],
)
async def test_an_edit_keeps_the_utf8_lines_and_the_stray_byte(
    ws: Path, ctx: ToolContext, old: str, new: str, written: bytes
) -> None:
    (ws / "m.py").write_bytes(GREETING)
    r = await call(edit_file, ctx, path="m.py", old_text=old, new_text=new)
    assert not r.is_error, r.output
    assert (ws / "m.py").read_bytes() == written
    (r.display or "").encode("utf-8")


async def test_write_over_a_file_with_a_stray_byte_shows_a_readable_diff(
    ws: Path, ctx: ToolContext
) -> None:
    (ws / "m.py").write_bytes(GREETING)
    r = await call(write_file, ctx, path="m.py", content="x = 'ü'\n")
    assert not r.is_error and "-# note: café (a stray cp1252 byte)" in (r.display or "")
    assert (ws / "m.py").read_bytes() == "x = 'ü'\n".encode()


# ---- a read cut inside a character --------------------------------------------------
def test_drop_partial_char() -> None:
    text = "a所é😀".encode()
    for cut in range(len(text) + 1):
        kept = drop_partial_char(text[:cut])
        assert text.startswith(kept) and cut - len(kept) < 4
        kept.decode("utf-8")  # whole characters only
    assert drop_partial_char("所".encode()) == "所".encode()


def test_a_bounded_read_cut_inside_a_character_stays_utf8(ws: Path) -> None:
    line = "- 所有函数都必须有类型注解和文档字符串。\n"
    (ws / "AGENTS.md").write_text(line * 400)
    for limit in (20_000, 20_001, 20_002):
        text = read_workspace_text(ws, "AGENTS.md", limit)
        assert text is not None and text.startswith(line), limit
        assert (line * 400).startswith(text)
