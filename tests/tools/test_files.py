from __future__ import annotations

import codecs
import difflib
import random
import re
import time
from pathlib import Path

import pytest

from assistant.tools import files
from assistant.tools.base import ToolContext
from assistant.tools.files import (
    MAX_READ_LINES,
    decode_text,
    edit_file,
    read_file,
    write_file,
)
from assistant.tools.search import grep, list_files
from assistant.tools.seen import SeenFiles


async def call(tool, ctx, **args):
    return await tool.run(args, ctx)


# ---- read_file -----------------------------------------------------------------------
async def test_read_numbered_and_ranges(ws: Path, ctx: ToolContext) -> None:
    (ws / "f.txt").write_text("".join(f"line {i}\n" for i in range(1, 11)))
    r = await call(read_file, ctx, path="f.txt")
    assert not r.is_error
    assert r.output.splitlines()[0] == "     1\tline 1"
    assert r.output.splitlines()[-1] == "    10\tline 10"
    r = await call(read_file, ctx, path="f.txt", start_line=3, end_line=5)
    assert r.output.splitlines() == ["     3\tline 3", "     4\tline 4", "     5\tline 5"]
    r = await call(read_file, ctx, path="f.txt", start_line=50)
    assert r.is_error and "10 lines" in r.output


async def test_read_numbers_lines_as_grep_and_sed_do(ws: Path, ctx: ToolContext) -> None:
    # A form feed (GNU sources) or a cp1252 ellipsis read as Latin-1 (U+0085) is inside a
    # line, not a line break: read_file's numbers must match grep's and sed's.
    (ws / "f.c").write_bytes(b"/* a */\n\x0c\nint x; /* wait\x85 */\nint y;\n")
    r = await call(read_file, ctx, path="f.c")
    assert r.meta["lines"] == 4
    assert r.output.splitlines()[-1] == "     4\tint y;"
    g = await call(grep, ctx, pattern="int y")
    assert g.output == "f.c:4:int y;"
    assert (await call(read_file, ctx, path="f.c", start_line=4)).output == "     4\tint y;"
    e = await call(edit_file, ctx, path="f.c", old_text="int y;", new_text="int z;")
    assert "No newline" not in (e.display or "") and "1 lines added, 1 removed" in e.output


async def test_read_cap_says_how_to_continue(ws: Path, ctx: ToolContext) -> None:
    (ws / "big.txt").write_text("".join(f"x{i}\n" for i in range(1, 5001)))
    r = await call(read_file, ctx, path="big.txt")
    lines = r.output.splitlines()
    assert lines[MAX_READ_LINES - 1].endswith(f"x{MAX_READ_LINES}")
    assert "start_line=2001" in lines[-1] and "of 5000" in lines[-1]
    r2 = await call(read_file, ctx, path="big.txt", start_line=2001)
    assert r2.output.splitlines()[0] == "  2001\tx2001"


async def test_read_byte_cap(ws: Path, ctx: ToolContext) -> None:
    (ws / "wide.txt").write_text(("y" * 1000 + "\n") * 1000)  # ~1 MB
    r = await call(read_file, ctx, path="wide.txt")
    assert len(r.output) <= 256 * 1024 + 500
    assert "call read_file with start_line=" in r.output


async def test_read_of_a_huge_single_line_file_shows_its_start(
    ws: Path, ctx: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_SCAN_BYTES", 4096)  # a 20 MB minified bundle, in small
    (ws / "bundle.min.js").write_text("var a='\u00e9';" * 1000)  # no newline at all
    r = await call(read_file, ctx, path="bundle.min.js")
    assert not r.is_error and "is empty" not in r.output
    first = r.output.splitlines()[0]
    assert first.startswith("     1\tvar a='\u00e9';var a=") and "[line cut at" in first
    assert "bundle.min.js is 11000 bytes" in r.output


async def test_read_binary_missing_dir(ws: Path, ctx: ToolContext) -> None:
    (ws / "img.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    r = await call(read_file, ctx, path="img.bin")
    assert "binary file, 272 bytes" in r.output
    (ws / "readme.md").write_text("hi")
    r = await call(read_file, ctx, path="reedme.md")
    assert r.is_error and "File not found" in r.output and "readme.md" in r.output
    r = await call(read_file, ctx, path=".")
    assert r.is_error and "directory" in r.output
    r = await call(read_file, ctx, path="../x")
    assert r.is_error and "outside the workspace" in r.output


def test_decode_detection() -> None:
    assert decode_text(b"a\x00b") is None
    assert decode_text("héllo".encode()).encoding == "utf-8"
    assert decode_text(codecs.BOM_UTF8 + b"x").encoding == "utf-8-sig"
    assert decode_text("héllo\n".encode("latin-1")).encoding == "latin-1"
    crlf = decode_text(b"a\r\nb\r\n")
    assert (crlf.newline, crlf.text) == ("\r\n", "a\nb\n")
    mixed = decode_text(b"a\r\nb\n")
    assert (mixed.newline, mixed.text) == ("\n", "a\r\nb\n")


async def test_a_file_used_as_a_folder_is_named_as_such(ws: Path, ctx: ToolContext) -> None:
    (ws / "README.md").write_text("hi\n")
    for tool, args in (
        (read_file, {}),
        (write_file, {"content": "a"}),
        (edit_file, {"old_text": "a", "new_text": "b"}),
    ):
        r = await call(tool, ctx, path="README.md/x.txt", **args)
        assert r.is_error and "README.md is a file, not a folder" in r.output, r.output
        assert "symlink" not in r.output
    assert (ws / "README.md").read_text() == "hi\n"


# ---- write_file ----------------------------------------------------------------------
async def test_write_creates_dirs_diff_and_undo(ws: Path, ctx: ToolContext) -> None:
    r = await call(write_file, ctx, path="a/b/c.txt", content="one\ntwo\n")
    assert not r.is_error, r.output
    assert (ws / "a/b/c.txt").read_text() == "one\ntwo\n"
    assert r.display_kind == "diff" and "+one" in r.display and "/dev/null" in r.display
    assert "Created a/b/c.txt" in r.output
    r = await call(write_file, ctx, path="a/b/c.txt", content="one\nTWO\n")
    assert "-two" in r.display and "+TWO" in r.display
    assert "1 lines added, 1 removed" in r.output
    entries = ctx.undo.entries
    assert [e.previous for e in entries] == [None, "one\ntwo\n"]
    assert ctx.undo.undo_last() == ["Restored a/b/c.txt to its content before turn 1."]
    assert (ws / "a/b/c.txt").read_text() == "one\ntwo\n"
    assert ctx.undo.undo_last() == ["Deleted a/b/c.txt (it did not exist before turn 1)."]
    assert not (ws / "a/b/c.txt").exists()


async def test_write_keeps_crlf_and_bom(ws: Path, ctx: ToolContext) -> None:
    (ws / "w.txt").write_bytes(codecs.BOM_UTF8 + b"a\r\nb\r\n")
    await call(write_file, ctx, path="w.txt", content="a\nc\n")
    assert (ws / "w.txt").read_bytes() == codecs.BOM_UTF8 + b"a\r\nc\r\n"


async def test_write_preview_does_not_write(ws: Path, ctx: ToolContext) -> None:
    (ws / "p.txt").write_text("old\n")
    diff = write_file.preview({"path": "p.txt", "content": "new\n"}, ctx)
    assert "-old" in diff and "+new" in diff
    assert (ws / "p.txt").read_text() == "old\n"
    assert "outside the workspace" in write_file.preview({"path": "/etc/x", "content": ""}, ctx)


def repetitive(seed: int, n: int) -> str:
    """Short lines drawn from a hundred: each one frequent, yet under difflib's 1% junk
    cut, which makes its matching take time growing with the square of the lines."""
    rng = random.Random(seed)
    return "".join(f"t{rng.randrange(101)}\n" for _ in range(n))


async def test_a_huge_rewrite_is_summarised_in_bounded_time(ws: Path, ctx: ToolContext) -> None:
    # A full diff of these takes seconds (minutes at 60,000 lines) and cannot be stopped.
    old, new = repetitive(1, 30_000), repetitive(2, 30_000)
    (ws / "big.txt").write_text(old)
    started = time.monotonic()
    preview = write_file.preview({"path": "big.txt", "content": new}, ctx)
    took = time.monotonic() - started
    assert preview.startswith("--- a/big.txt\n+++ b/big.txt\n[diff not shown: ")
    assert "too many to compare line by line" in preview
    assert took < 3, f"the preview took {took:.1f} s"
    r = await call(write_file, ctx, path="big.txt", content=new)
    assert not r.is_error and r.display == preview
    removed, added = (int(x) for x in re.findall(r"\((\d+) lines\)", preview))
    assert r.output == f"Updated big.txt: {added} lines added, {removed} removed."
    assert 29_000 < removed <= 30_000 and (ws / "big.txt").read_text() == new


def full_diff(old: str, new: str, rel: str) -> str:
    """difflib over the whole files, as write_file and edit_file show a diff."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
    )
    return "".join(x if x.endswith("\n") else x + "\n\\ No newline at end of file\n" for x in lines)


@pytest.mark.parametrize(
    ("old_text", "new_text"),
    [
        ("line 2\n", "line two\n"),  # near the start
        ("line 9000\nline 9001\n", "inserted\nline 9000\nline 9001 changed\n"),
        ("line 12000\n", ""),  # a deletion
        ("line 12000\n", "line 12000\nadded\nadded too\n"),  # an insertion
        ("line 19999", "last line, still without a newline"),
    ],
)
async def test_a_small_change_to_a_large_file_shows_its_exact_diff(
    ws: Path, ctx: ToolContext, old_text: str, new_text: str
) -> None:
    old = "".join(f"line {i}\n" for i in range(20_000)).removesuffix("\n")
    (ws / "large.txt").write_text(old)
    new = old.replace(old_text, new_text, 1)
    args = {"path": "large.txt", "old_text": old_text, "new_text": new_text}
    preview = edit_file.preview(args, ctx)
    assert preview == full_diff(old, new, "large.txt")
    r = await call(edit_file, ctx, **args)
    assert r.display == preview
    assert (ws / "large.txt").read_text() == new


def test_sensitive_hook(ws: Path, ctx: ToolContext) -> None:
    assert write_file.sensitive({"path": ".git/hooks/pre-commit"}, ctx)
    assert edit_file.sensitive({"path": "sub/../.envrc"}, ctx)
    assert write_file.sensitive({"path": "src/main.py"}, ctx) is None
    (ws / ".github" / "workflows").mkdir(parents=True)
    (ws / "wf").symlink_to(ws / ".github" / "workflows")
    assert "CI" in write_file.sensitive({"path": "wf/ci.yml"}, ctx)


# ---- edit_file -----------------------------------------------------------------------
SRC = "def f():\n    return 1\n\n\ndef g():\n    return 2\n"


async def test_edit_exactly_once(ws: Path, ctx: ToolContext) -> None:
    (ws / "m.py").write_text(SRC)
    r = await call(
        edit_file, ctx, path="m.py", old_text="    return 2\n", new_text="    return 3\n"
    )
    assert not r.is_error, r.output
    assert (ws / "m.py").read_text() == SRC.replace("return 2", "return 3")
    assert (
        r.display_kind == "diff" and "-    return 2" in r.display and "+    return 3" in r.display
    )
    assert ctx.undo.entries[-1].previous == SRC


async def test_edit_no_match_shows_candidates(ws: Path, ctx: ToolContext) -> None:
    (ws / "m.py").write_text(SRC)
    r = await call(edit_file, ctx, path="m.py", old_text="def g():\n  return 2\n", new_text="x")
    assert r.is_error
    assert "not found" in r.output
    assert "lines 5-6" in r.output and "     5\tdef g():" in r.output
    assert (ws / "m.py").read_text() == SRC
    assert ctx.undo.entries == []


async def test_edit_multi_match(ws: Path, ctx: ToolContext) -> None:
    (ws / "m.py").write_text(SRC)
    r = await call(edit_file, ctx, path="m.py", old_text="    return", new_text="    yield")
    assert r.is_error and "matches 2 places" in r.output and "lines 2, 6" in r.output
    r = await call(
        edit_file, ctx, path="m.py", old_text="    return", new_text="    yield", replace_all=True
    )
    assert not r.is_error and "2 places" in r.output
    assert (ws / "m.py").read_text().count("yield") == 2


async def test_edit_errors(ws: Path, ctx: ToolContext) -> None:
    (ws / "m.py").write_text(SRC)
    r = await call(edit_file, ctx, path="nope.py", old_text="a", new_text="b")
    assert r.is_error and "write_file" in r.output
    r = await call(edit_file, ctx, path="m.py", old_text="", new_text="b")
    assert r.is_error and "empty" in r.output
    r = await call(edit_file, ctx, path="m.py", old_text="def f", new_text="def f")
    assert r.is_error and "same" in r.output


async def test_edit_preserves_crlf(ws: Path, ctx: ToolContext) -> None:
    (ws / "w.txt").write_bytes(b"alpha\r\nbeta\r\ngamma\r\n")
    r = await call(
        edit_file, ctx, path="w.txt", old_text="beta\ngamma", new_text="BETA\nGAMMA\nDELTA"
    )
    assert not r.is_error, r.output
    assert (ws / "w.txt").read_bytes() == b"alpha\r\nBETA\r\nGAMMA\r\nDELTA\r\n"
    # old_text given with CRLF works too
    r = await call(edit_file, ctx, path="w.txt", old_text="alpha\r\nBETA", new_text="a\r\nb")
    assert not r.is_error, r.output
    assert (ws / "w.txt").read_bytes() == b"a\r\nb\r\nGAMMA\r\nDELTA\r\n"


async def test_edit_preserves_latin1(ws: Path, ctx: ToolContext) -> None:
    (ws / "l.txt").write_bytes("café = 1\nnaïve = 2\n".encode("latin-1"))
    r = await call(edit_file, ctx, path="l.txt", old_text="naïve = 2", new_text="naïve = 3  # déjà")
    assert not r.is_error, r.output
    assert (ws / "l.txt").read_bytes() == "café = 1\nnaïve = 3  # déjà\n".encode("latin-1")
    r = await call(edit_file, ctx, path="l.txt", old_text="café", new_text="☕")
    assert r.is_error and "Latin-1" in r.output
    assert (ws / "l.txt").read_bytes() == "café = 1\nnaïve = 3  # déjà\n".encode("latin-1")


async def test_edit_preserves_bom(ws: Path, ctx: ToolContext) -> None:
    (ws / "b.txt").write_bytes(codecs.BOM_UTF8 + "x = 'é'\n".encode())
    r = await call(edit_file, ctx, path="b.txt", old_text="'é'", new_text="'ü'")
    assert not r.is_error, r.output
    assert (ws / "b.txt").read_bytes() == codecs.BOM_UTF8 + "x = 'ü'\n".encode()


async def test_edit_preview(ws: Path, ctx: ToolContext) -> None:
    (ws / "m.py").write_text(SRC)
    diff = edit_file.preview({"path": "m.py", "old_text": "return 1", "new_text": "return 9"}, ctx)
    assert "+    return 9" in diff
    assert (ws / "m.py").read_text() == SRC
    bad = edit_file.preview({"path": "m.py", "old_text": "zzz", "new_text": "y"}, ctx)
    assert bad.startswith("(this edit would fail")


async def test_edit_through_symlink_edits_target(ws: Path, ctx: ToolContext) -> None:
    (ws / "real.txt").write_text("a\n")
    (ws / "alias.txt").symlink_to("real.txt")
    r = await call(edit_file, ctx, path="alias.txt", old_text="a", new_text="b")
    assert not r.is_error
    assert (ws / "alias.txt").is_symlink() and (ws / "real.txt").read_text() == "b\n"


async def test_no_undo_journal_is_fine(ws: Path) -> None:
    ctx = ToolContext(workspace=ws)
    r = await call(write_file, ctx, path="x.txt", content="x")
    assert not r.is_error


@pytest.mark.parametrize("tool", [read_file, write_file, edit_file])
async def test_outside_refused_for_every_file_tool(tool, ws: Path, ctx: ToolContext) -> None:
    args = {"path": "../escape.txt", "content": "x", "old_text": "a", "new_text": "b"}
    args = {k: v for k, v in args.items() if k in tool.parameters["properties"]}
    r = await tool.run(args, ctx)
    assert r.is_error and "outside the workspace" in r.output
    assert not (ws.parent / "escape.txt").exists()


async def test_file_tools_accept_sandbox_mount_paths(ctx: ToolContext, ws: Path) -> None:
    """The model sees the workspace as /workspace in shell output; the file tools agree."""
    out = await call(write_file, ctx, path="/workspace/pkg/m.py", content="x = 1\n")
    assert not out.is_error, out.output
    assert (ws / "pkg" / "m.py").read_text() == "x = 1\n"
    got = await call(read_file, ctx, path="/workspace/pkg/m.py")
    assert "x = 1" in got.output and got.meta["path"] == "pkg/m.py"
    edited = await call(
        edit_file, ctx, path="/workspace/pkg/m.py", old_text="x = 1", new_text="x = 2"
    )
    assert not edited.is_error, edited.output
    assert (ws / "pkg" / "m.py").read_text() == "x = 2\n"
    listed = await call(list_files, ctx, path="/workspace/pkg")
    assert "m.py" in listed.output and not listed.is_error
    found = await call(grep, ctx, pattern="x = 2", path="/workspace")
    assert "pkg/m.py" in found.output, found.output


# ---- write_file replaces only what the model has read ------------------------------------
@pytest.fixture
def seen_ctx(ctx: ToolContext) -> ToolContext:
    ctx.seen_files = SeenFiles()
    return ctx


async def test_write_over_a_file_not_read_is_refused_and_shows_it(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "settings.ini").write_text("host = localhost\nport = 8000\n")
    preview = write_file.preview({"path": "settings.ini", "content": "x"}, seen_ctx)
    assert preview.startswith("(this write would fail") and "port = 8000" not in preview
    r = await call(write_file, seen_ctx, path="settings.ini", content="port = 9090\n")
    assert r.is_error and "has not been read in this conversation" in r.output
    assert "     1\thost = localhost\n     2\tport = 8000\n" in r.output
    assert "edit_file" in r.output
    assert (ws / "settings.ini").read_text() == "host = localhost\nport = 8000\n"
    # The refusal showed all of it, so the model may now replace it.
    again = await call(write_file, seen_ctx, path="settings.ini", content="port = 9090\n")
    assert not again.is_error and (ws / "settings.ini").read_text() == "port = 9090\n"


async def test_a_refused_write_over_a_large_file_asks_for_a_read(
    ws: Path, seen_ctx: ToolContext
) -> None:
    big = "".join(f"line {n}\n" for n in range(1, 62))
    (ws / "big.txt").write_text(big)
    for _ in range(2):
        r = await call(write_file, seen_ctx, path="big.txt", content="x\n")
        assert r.is_error and "read it with read_file first" in r.output
        assert "line 1" not in r.output
    assert (ws / "big.txt").read_text() == big
    await call(read_file, seen_ctx, path="big.txt")
    assert not (await call(write_file, seen_ctx, path="big.txt", content="x\n")).is_error


async def test_an_edit_that_matches_nothing_shows_a_small_file(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "settings.ini").write_text("[server]\nport = 8080\n")
    preview = edit_file.preview(
        {"path": "settings.ini", "old_text": "export=true", "new_text": "x"}, seen_ctx
    )
    assert "port = 8080" not in preview
    r = await call(edit_file, seen_ctx, path="settings.ini", old_text="export=true", new_text="x")
    assert r.is_error and "     2\tport = 8080" in r.output
    assert (ws / "settings.ini").read_text() == "[server]\nport = 8080\n"
    assert not (await call(write_file, seen_ctx, path="settings.ini", content="x\n")).is_error
    big = "".join(f"value_{n} = {n}\n" for n in range(1, 62))
    (ws / "big.ini").write_text(big)
    r = await call(edit_file, seen_ctx, path="big.ini", old_text="export=true", new_text="x")
    assert r.is_error and "Read the file with read_file" in r.output and "value_1" not in r.output


async def test_write_after_reading_the_file_goes_through(ws: Path, seen_ctx: ToolContext) -> None:
    (ws / "settings.ini").write_text("port = 8000\n")
    assert not (await call(read_file, seen_ctx, path="settings.ini")).is_error
    r = await call(write_file, seen_ctx, path="settings.ini", content="port = 9090\n")
    assert not r.is_error and (ws / "settings.ini").read_text() == "port = 9090\n"
    again = await call(write_file, seen_ctx, path="settings.ini", content="port = 9091\n")
    assert not again.is_error  # the model knows what it wrote itself


async def test_a_new_file_and_a_file_the_model_edited_need_no_read(
    ws: Path, seen_ctx: ToolContext
) -> None:
    assert not (await call(write_file, seen_ctx, path="new.txt", content="a\n")).is_error
    (ws / "m.py").write_text("x = 1\n")
    edit = await call(edit_file, seen_ctx, path="m.py", old_text="x = 1", new_text="x = 2")
    assert not edit.is_error
    assert not (await call(write_file, seen_ctx, path="m.py", content="x = 3\n")).is_error


async def test_write_over_a_file_changed_since_it_was_read_is_refused(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "notes.md").write_text("one\n")
    await call(read_file, seen_ctx, path="notes.md")
    (ws / "notes.md").write_text("one\ntwo, added by the user\n")
    r = await call(write_file, seen_ctx, path="notes.md", content="one\nthree\n")
    assert r.is_error and "changed since it was last read" in r.output
    assert "     2\ttwo, added by the user" in r.output
    assert (ws / "notes.md").read_text() == "one\ntwo, added by the user\n"
    assert not (await call(write_file, seen_ctx, path="notes.md", content="x\n")).is_error


async def test_reading_a_link_counts_for_its_target(ws: Path, seen_ctx: ToolContext) -> None:
    (ws / "real.txt").write_text("a\n")
    (ws / "alias.txt").symlink_to("real.txt")
    await call(read_file, seen_ctx, path="alias.txt")
    assert not (await call(write_file, seen_ctx, path="real.txt", content="b\n")).is_error


async def test_write_after_reading_only_part_of_the_file_is_refused(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "m.py").write_text("def cube(x):\n    return x * x * x\n")
    await call(read_file, seen_ctx, path="m.py", end_line=1)
    r = await call(write_file, seen_ctx, path="m.py", content="def cube(x):\n    pass\n")
    assert r.is_error and "Only part of m.py has been read" in r.output
    assert "     2\t    return x * x * x" in r.output
    assert (ws / "m.py").read_text() == "def cube(x):\n    return x * x * x\n"
    await call(read_file, seen_ctx, path="m.py", start_line=2)  # a part after the whole
    assert not (await call(write_file, seen_ctx, path="m.py", content="x = 1\n")).is_error


async def test_a_binary_file_can_be_replaced_once_read_file_has_said_so(
    ws: Path, seen_ctx: ToolContext
) -> None:
    (ws / "data.bin").write_bytes(b"\x00\x01\x02 old")
    refused = await call(write_file, seen_ctx, path="data.bin", content="text now\n")
    assert refused.is_error and "read it with read_file" in refused.output
    shown = await call(read_file, seen_ctx, path="data.bin")
    assert "binary file" in shown.output  # all there is to see of it
    r = await call(write_file, seen_ctx, path="data.bin", content="text now\n")
    assert not r.is_error, r.output
    assert (ws / "data.bin").read_text() == "text now\n"


async def test_read_line_arguments_out_of_order_are_named(ws: Path, ctx: ToolContext) -> None:
    (ws / "f.txt").write_text("".join(f"line {i}\n" for i in range(1, 11)))
    to_end = await call(read_file, ctx, path="f.txt", start_line=9, end_line=-1)
    assert to_end.output == "     9\tline 9\n    10\tline 10"
    before = await call(read_file, ctx, path="f.txt", start_line=5, end_line=2)
    assert before.is_error and "end_line 2 is before start_line 5" in before.output
    assert "omit it (or -1) to read to the end" in before.output
    negative = await call(read_file, ctx, path="f.txt", end_line=-3)
    assert negative.is_error and "end_line -3 is before start_line 1" in negative.output
    zero = await call(read_file, ctx, path="f.txt", start_line=0)
    assert zero.is_error and "lines count from 1" in zero.output
