"""read_file, write_file, edit_file.

Text files are decoded as UTF-8 (with or without BOM) or, failing that, Latin-1,
and their newline style is detected; edits are written back in the same encoding
and newline style so a CRLF or Latin-1 file stays one. A UTF-8 file with a few bytes
that are not UTF-8 stays UTF-8: those bytes are kept exactly (surrogateescape) and shown
as the Windows-1252 characters they most likely stand for. Writes are atomic and
recorded in the session's undo journal.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from assistant.tools import safeio
from assistant.tools.base import (
    Tool,
    ToolContext,
    ToolError,
    ToolResult,
    begin_changes,
    tool,
)
from assistant.tools.paths import (
    relative_to_workspace,
    repository_reason,
    resolve_in_workspace,
    sensitive_reason,
)
from assistant.tools.seen import SeenLines, Span, line_list, merge_spans
from assistant.tools.textedit import MatchView

MAX_READ_LINES = 2000
MAX_READ_BYTES = 256 * 1024
MAX_LINE_CHARS = 2000
MAX_EDIT_BYTES = 10 * 1024 * 1024
MAX_SCAN_BYTES = 16 * 1024 * 1024
"""read_file reads at most this much of a file (then points to run_shell for the rest)."""
SHOWN_ON_FAILURE_LINES = 60
SHOWN_ON_FAILURE_CHARS = 4000
"""A refused write or an edit that matched nothing shows a file this small whole."""

# C0 control bytes that never appear in text (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL = set(range(0x00, 0x09)) | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20)) | {0x7F}


# ---- text codec ----------------------------------------------------------------------
# A byte that is not UTF-8 in a UTF-8 file decodes to a lone surrogate U+DC80-U+DCFF
# (surrogateescape), which encodes back to that byte; the model, the UI and the session
# log cannot take lone surrogates, so text shown has the cp1252 character instead.
_STRAY = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_STRAY_SHOWN = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}


@dataclass
class TextFile:
    text: str
    """Content as shown, with newlines normalised to ``\\n`` when the file uses one style."""
    encoding: str
    """``utf-8``, ``utf-8-sig`` (BOM) or ``latin-1``."""
    newline: str
    """``\\n``, ``\\r\\n`` or ``\\r``; the text is normalised only for the last two."""
    escaped: str | None = None
    """Where the UTF-8 file has bytes that are not UTF-8: ``text`` with them as lone
    surrogates, the text to write back (``text`` shows each as one character)."""

    @property
    def exact(self) -> str:
        return self.text if self.escaped is None else self.escaped


def is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    try:
        sample.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multibyte char cut by the sample
            return False
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls > max(1, len(sample) // 100)


def decode_text(data: bytes) -> TextFile | None:
    """Decode file bytes, or None when they look binary."""
    if is_binary(data):
        return None
    body, encoding = data, "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    escaped = None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        escaped = body.decode("utf-8", "surrogateescape")
        stray = len(_STRAY.findall(escaped))
        if len(_NON_ASCII.findall(escaped)) - stray >= stray:  # mostly valid UTF-8
            text = escaped.translate(_STRAY_SHOWN)
        else:  # Latin-1 (or cp1252) throughout
            text, encoding, escaped = data.decode("latin-1"), "latin-1", None
    newline = "\n"
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n") and crlf == text.count("\r"):
        newline = "\r\n"
    elif "\n" not in text and "\r" in text:
        newline = "\r"
    if newline != "\n":
        text = text.replace(newline, "\n")
        escaped = escaped.replace(newline, "\n") if escaped is not None else None
    return TextFile(text, encoding, newline, escaped)


def shown_text(exact: str) -> str:
    """Decoded text as the model is shown it: a byte kept as a lone surrogate (see
    ``TextFile.escaped``) becomes the character it most likely stands for."""
    return exact.translate(_STRAY_SHOWN) if _STRAY.search(exact) else exact


def has_stray_bytes(text: str) -> bool:
    return _STRAY.search(text) is not None


def drop_partial_char(data: bytes) -> bytes:
    """``data`` without the start of a UTF-8 character cut off at its end (a read of a
    file's first N bytes), which would make the whole read fail to decode as UTF-8."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # the lead byte: how long its character is
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data[:-back] if length > back else data
    return data


def encode_text(text: str, encoding: str, newline: str) -> bytes:
    if newline != "\n":
        text = text.replace("\r\n", "\n").replace("\n", newline)
    if encoding == "latin-1":
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise ToolError(
                f"The file is Latin-1 encoded and cannot hold {text[exc.start : exc.end]!r}; "
                "use characters Latin-1 can represent."
            ) from exc
    try:
        body = text.encode("utf-8", "surrogateescape")  # a file's stray bytes go back as they were
    except UnicodeEncodeError as exc:
        raise ToolError(
            f"The text holds {text[exc.start : exc.end]!r}, a lone surrogate that UTF-8 "
            "cannot encode; use real characters."
        ) from exc
    return codecs.BOM_UTF8 + body if encoding == "utf-8-sig" else body


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """The lines of ``text`` as grep and sed count them: split at ``\\n`` only (a form
    feed or a Latin-1 U+0085 is inside a line, not a break, as ``str.splitlines`` has it).
    Without ``keepends``, a ``\\r`` before the ``\\n`` is dropped too."""
    parts = text.split("\n")
    last = parts.pop()
    if keepends:
        return [p + "\n" for p in parts] + ([last] if last else [])
    return [p.removesuffix("\r") for p in parts] + ([last] if last else [])


class Diff(NamedTuple):
    text: str
    """A unified diff, or for a change too large to compare, a summary that says so."""
    added: int
    removed: int


DIFF_MAX_LINES = 10_000
"""Changed lines (old plus new) above which no line-by-line diff is made: difflib's
matching grows with the square of the lines (a 60,000-line rewrite takes minutes) and
cannot be interrupted."""

_HUNK = re.compile(r"@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def unified_diff(old: str, new: str, rel: str, *, created: bool = False) -> Diff:
    a, b = split_lines(old, keepends=True), split_lines(new, keepends=True)
    fromfile, tofile = "/dev/null" if created else f"a/{rel}", f"b/{rel}"
    if len(a) + len(b) <= DIFF_MAX_LINES:
        text = _format_diff(difflib.unified_diff(a, b, fromfile, tofile, n=3))
        return Diff(text, *diff_stats(text))
    # A large file: compare only what lies between the first and last differing lines.
    head = _common_run(a, b)
    tail = _common_run(a[head:][::-1], b[head:][::-1])
    removed, added = len(a) - head - tail, len(b) - head - tail
    if removed + added > DIFF_MAX_LINES:
        return Diff(_diff_summary(fromfile, tofile, head, removed, added), added, removed)
    start = max(0, head - 3)  # with difflib's 3 lines of context either side
    lines = difflib.unified_diff(
        a[start : len(a) - tail + 3], b[start : len(b) - tail + 3], fromfile, tofile, n=3
    )
    text = _format_diff(_shift_hunk(line, start) for line in lines)
    return Diff(text, *diff_stats(text))


def _common_run(a: list[str], b: list[str]) -> int:
    """How many first lines ``a`` and ``b`` have in common."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def diff_stats(diff: str) -> tuple[int, int]:
    added = removed = 0
    for line in split_lines(diff):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed


def _format_diff(lines: Iterable[str]) -> str:
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _shift_hunk(line: str, by: int) -> str:
    """A hunk header of a diff of slices, renumbered for the whole files."""
    m = _HUNK.match(line) if line.startswith("@@ ") else None
    if m is None or by == 0:
        return line
    old_len, new_len = m.group(2) or "", m.group(4) or ""
    return f"@@ -{int(m.group(1)) + by}{old_len} +{int(m.group(3)) + by}{new_len} @@\n"


def _diff_summary(fromfile: str, tofile: str, head: int, removed: int, added: int) -> str:
    def span(n: int) -> str:
        return f"lines {head + 1}-{head + n}" if n else f"no lines (after line {head})"

    return (
        f"--- {fromfile}\n+++ {tofile}\n"
        f"[diff not shown: {removed + added} changed lines are too many to compare line by "
        f"line; {span(removed)} of the old file ({removed} lines) are replaced by "
        f"{span(added)} of the new one ({added} lines)]\n"
    )


def read_confined(p: Path, raw: str, limit: int) -> tuple[bytes, int] | None:
    """(at most ``limit`` bytes, full size) of a regular file, None if it does not exist.

    Opened through ``safeio``: no symlink swapped in after resolution is followed.
    """
    try:
        return safeio.read_regular(p, limit)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ToolError(f"{raw} is a directory; give a file path.") from None
    except safeio.NotRegularFile:
        raise ToolError(
            f"{raw} is not a regular file (a FIFO, socket or device); only files can be read."
        ) from None
    except safeio.UnsafePath:
        raise ToolError(
            f"{raw} changed while being opened (a directory on its path became a symlink); "
            "check the path and try again."
        ) from None
    except NotADirectoryError as exc:
        raise ToolError(f"Cannot open {raw}: {exc.strerror}; check the path.") from None
    except PermissionError:
        raise ToolError(f"Permission denied reading {raw}.") from None


def read_workspace_text(workspace: Path, rel: str, limit: int) -> str | None:
    """Up to ``limit`` bytes of a workspace text file as text; None when it is missing,
    outside the workspace (a symlink pointing out), not a regular file, or binary.

    For host code that reads workspace files on its own (AGENTS.md for the prompt...):
    a repository can ship ``AGENTS.md -> ~/.aws/credentials``.
    """
    try:
        got = read_confined(resolve_in_workspace(workspace, rel), rel, limit)
    except ToolError:
        return None
    if got is None:
        return None
    data, size = got
    tf = decode_text(drop_partial_char(data) if size > len(data) else data)
    return tf.text if tf is not None else None


def read_workspace_file(workspace: Path, rel: str, limit: int) -> bytes | None:
    """The bytes of a workspace file; None when it is missing, outside the workspace, not
    a regular file (a FIFO a command left would block the host, ``/dev/zero`` never ends)
    or over ``limit`` bytes.  For checks that judge what a run left in its workspace."""
    try:
        got = read_confined(resolve_in_workspace(workspace, rel), rel, limit)
    except (ToolError, OSError):
        return None
    if got is None or got[1] > limit:
        return None
    return got[0]


def _read_existing(p: Path, raw: str) -> bytes | None:
    got = read_confined(p, raw, MAX_EDIT_BYTES + 1)
    if got is None:
        return None
    data, size = got
    if size > MAX_EDIT_BYTES:
        raise ToolError(
            f"{raw} is larger than {MAX_EDIT_BYTES // 1_000_000} MB; change it with run_shell."
        )
    return data


def write_confined(p: Path, data: bytes, rel: str) -> None:
    try:
        safeio.write_atomic(p, data)
    except safeio.UnsafePath:
        raise ToolError(
            f"{rel} changed while being written (a directory on its path became a symlink); "
            "nothing was written."
        ) from None
    except OSError as exc:
        raise ToolError(f"Could not write {rel}: {exc.strerror or exc}.") from None


def _numbered(n: int, line: str) -> str:
    """One line as read_file shows it."""
    return f"{n:>6}\t{line}"


def _small_file_listing(text: str) -> str | None:
    """The whole of a small file in read_file's numbered form, or None if it is larger."""
    lines = split_lines(text)
    if len(lines) > SHOWN_ON_FAILURE_LINES or len(text) > SHOWN_ON_FAILURE_CHARS:
        return None
    return "\n".join(_numbered(n, line) for n, line in enumerate(lines, 1))


def _similar_names(p: Path) -> str:
    try:
        names = os.listdir(p.parent)
    except OSError:
        return ""
    close = difflib.get_close_matches(p.name, names, n=3, cutoff=0.6)
    return f" Did you mean: {', '.join(close)}?" if close else ""


def _record_undo(ctx: ToolContext, p: Path, previous: bytes | None, new: bytes, name: str) -> None:
    if ctx.undo is not None:
        ctx.undo.record(
            ctx.turn,
            p,
            previous,
            new,
            tool=name,
            display_path=relative_to_workspace(ctx.workspace, p),
        )


def _path_sensitive(args: dict[str, Any], ctx: ToolContext) -> str | None:
    raw = args.get("path")
    if not isinstance(raw, str):
        return None
    reason = sensitive_reason(raw)
    try:
        real = resolve_in_workspace(ctx.workspace, raw)
    except ToolError:
        return reason
    rel = relative_to_workspace(ctx.workspace, real)
    return sensitive_reason(rel) or reason or repository_reason(ctx.workspace, real)


# ---- read_file -----------------------------------------------------------------------
@tool(read_only=True)
def read_file(
    ctx: ToolContext, path: str, start_line: int = 1, end_line: int | None = None
) -> ToolResult:
    """Read a text file. Lines are shown with their line numbers.

    Args:
        path: File path, relative to the workspace.
        start_line: First line to show (1-based).
        end_line: Last line to show (inclusive). Omit to read to the end.
    """
    if end_line == -1:
        end_line = None
    if start_line < 1:
        raise ToolError(f"start_line {start_line} is not a line number; lines count from 1.")
    if end_line is not None and end_line < start_line:
        raise ToolError(
            f"end_line {end_line} is before start_line {start_line}; give an end_line of at "
            f"least {start_line}, or omit it (or -1) to read to the end."
        )
    p = resolve_in_workspace(ctx.workspace, path)
    if p.is_dir():
        raise ToolError(f"{path} is a directory; use list_files to see what it contains.")
    got = read_confined(p, path, MAX_SCAN_BYTES)
    if got is None:
        raise ToolError(f"File not found: {path}.{_similar_names(p)}")
    data, file_size = got
    partial = file_size > len(data)
    full_data = None if partial else data
    one_line = partial and b"\n" not in data
    if one_line:  # one line longer than the scan: show its start, whole characters only
        data = drop_partial_char(data[: MAX_LINE_CHARS * 4 + 4])
    elif partial:  # keep whole lines only
        data = data[: data.rfind(b"\n") + 1]
    tf = decode_text(data)
    if tf is None:
        if ctx.seen_files is not None:  # all the model can see of it: it may replace it
            ctx.seen_files.note(p, full_data, whole=not partial)
        return ToolResult(f"{path}: binary file, {file_size} bytes; not shown.")
    lines = split_lines(tf.text)
    total = len(lines)
    if total == 0:
        if ctx.seen_files is not None:
            ctx.seen_files.note(p, full_data)
        return ToolResult(f"{path} is empty.")
    start = start_line
    if start > total:
        raise ToolError(f"{path} has {total} lines; start_line {start_line} is past the end.")
    last = total if end_line is None else min(end_line, total)
    out: list[str] = []
    size = 0
    shown_to = start - 1
    cut: list[int] = []
    for n in range(start, last + 1):
        line = lines[n - 1]
        too_long = len(line) > MAX_LINE_CHARS
        if too_long:
            line = line[:MAX_LINE_CHARS] + f" [line cut at {MAX_LINE_CHARS} chars]"
        entry = _numbered(n, line) + "\n"
        if n - start >= MAX_READ_LINES or size + len(entry) > MAX_READ_BYTES:
            break
        out.append(entry)
        size += len(entry)
        shown_to = n
        if too_long:
            cut.append(n)
    if ctx.seen_files is not None:
        seen = SeenLines(total, _spans_without(start, shown_to, cut), tuple(cut))
        ctx.seen_files.note(p, full_data, whole=False if partial else seen)
    text = "".join(out)
    if tf.escaped is not None:
        text += _stray_note(split_lines(tf.escaped)[start - 1 : shown_to], start)
    if cut and not one_line:
        text += (
            f"[{line_list(cut)} {'is' if len(cut) == 1 else 'are'} longer than "
            f"{MAX_LINE_CHARS} characters and shown cut, so this read does not show the whole "
            "file and write_file cannot replace it: change it with edit_file (run_shell shows "
            f"the rest of a line, e.g. sed -n '{cut[0]}p' {path} | cut -c {MAX_LINE_CHARS + 1}-)]\n"
        )
    if one_line:
        text += (
            f"[{path} is {file_size} bytes without a line break; use run_shell "
            "(e.g. head -c or fold) to read parts of it]\n"
        )
    elif partial and shown_to == total:
        text += (
            f"[{path} is {file_size} bytes; read_file reads the first {MAX_SCAN_BYTES // 2**20} MB "
            f"({total} lines); use run_shell (e.g. sed -n '{total + 1},+100p') for the rest]\n"
        )
    elif shown_to < last:
        text += (
            f"[showing lines {start}-{shown_to} of {total}; output capped at {MAX_READ_LINES} "
            f"lines / {MAX_READ_BYTES // 1024} KB; call read_file with start_line={shown_to + 1} "
            "to read more]\n"
        )
    return ToolResult(
        text.rstrip("\n"),
        meta={
            "path": relative_to_workspace(ctx.workspace, p),
            "lines": total,
            "shown": [start, shown_to],
        },
    )


def _spans_without(first: int, last: int, left_out: list[int]) -> tuple[Span, ...]:
    """The lines ``first``-``last`` less those in ``left_out`` (ascending), as spans."""
    spans: list[Span] = []
    following = first
    for n in [*left_out, last + 1]:
        if n > following:
            spans.append((following, n - 1))
        following = n + 1
    return merge_spans(spans)


def _stray_note(exact_lines: list[str], first: int) -> str:
    """A note naming the shown lines that hold bytes that are not UTF-8, or ""."""
    found = [first + i for i, line in enumerate(exact_lines) if has_stray_bytes(line)]
    if not found:
        return ""
    return (
        f"[{line_list(found)} of this UTF-8 file {'has' if len(found) == 1 else 'have'} "
        "bytes that are not UTF-8, shown as the Windows-1252 characters they most likely "
        "stand for; an edit keeps such a byte unless it lies inside the text the edit "
        "changes, where it is written as the character shown, in UTF-8]\n"
    )


# ---- write_file ----------------------------------------------------------------------
def _plan_write(
    ctx: ToolContext, path: str, content: str, *, shows_model: bool = True
) -> tuple[Path, bytes | None, bytes, Diff, str]:
    """(real path, previous bytes, new bytes, diff, rel path) for a write_file call.
    ``shows_model``: a refusal goes to the model (not a preview), so a small file's
    content is shown in it and counts as read."""
    p = resolve_in_workspace(ctx.workspace, path)
    rel = relative_to_workspace(ctx.workspace, p)
    previous = _read_existing(p, path)
    if previous is not None and ctx.seen_files is not None:
        refusal = ctx.seen_files.replace_refusal(p, previous, rel)
        if refusal is not None:
            why, step = refusal
            tf_previous = decode_text(previous) if shows_model else None
            listing = _small_file_listing(tf_previous.text) if tf_previous else None
            if listing is None:
                raise ToolError(f"{why}; {step}")
            ctx.seen_files.note(p, previous)  # the refusal shows the model all of it
            raise ToolError(
                f"{why}, so it was not replaced. Its whole current content (line numbers are "
                f"not part of the file):\n{listing}\nChange it with edit_file, or call "
                "write_file again with its complete new content."
            )
    old_text = ""
    encoding, newline = "utf-8", "\n"
    if previous is not None:
        tf = decode_text(previous)
        if tf is not None:
            old_text = tf.text
            # Keep an existing file's style unless the new content says otherwise.
            if "\r" not in content:
                newline = tf.newline
            encoding = tf.encoding
            if encoding == "latin-1":
                try:
                    content.encode("latin-1")
                except UnicodeEncodeError:
                    encoding = "utf-8"
        else:
            old_text = f"(binary file, {len(previous)} bytes)\n"
    new = encode_text(content, encoding, newline)
    shown_new = content.replace("\r\n", "\n")
    diff = unified_diff(old_text, shown_new, rel, created=previous is None)
    return p, previous, new, diff, rel


def _write_preview(args: dict[str, Any], ctx: ToolContext) -> str | None:
    try:
        path, content = str(args.get("path", "")), str(args.get("content", ""))
        return _plan_write(ctx, path, content, shows_model=False)[3].text
    except ToolError as exc:
        return f"(this write would fail: {exc})"


@tool(subject_arg="path")
def write_file(ctx: ToolContext, path: str, content: str) -> ToolResult:
    """Create a file or replace all of its content. Parent folders are created.

    Args:
        path: File path, relative to the workspace.
        content: The complete new content of the file.
    """
    p, previous, new, diff, rel = _plan_write(ctx, path, content)
    if previous == new:
        return ToolResult(f"{rel} already has this content; nothing changed.")
    begin_changes(ctx)
    write_confined(p, new, rel)
    _record_undo(ctx, p, previous, new, "write_file")
    if ctx.seen_files is not None:
        ctx.seen_files.note(p, new)
    n_lines = len(split_lines(content))
    if previous is None:
        msg = f"Created {rel} ({n_lines} lines)."
    else:
        msg = f"Updated {rel}: {diff.added} lines added, {diff.removed} removed."
    return ToolResult(msg, display=diff.text, display_kind="diff", meta={"path": rel})


write_file.preview = _write_preview
write_file.sensitive = _path_sensitive


# ---- edit_file -----------------------------------------------------------------------
def _closest_candidates(text: str, needle: str, limit: int = 3) -> list[tuple[float, int, str]]:
    """The windows of the file most similar to ``needle``: (ratio, first line, snippet)."""
    lines = split_lines(text)
    want = split_lines(needle.strip("\n")) or [needle]
    k = max(1, len(want))
    target = "\n".join(want)
    scored: list[tuple[float, int]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for i in range(max(1, len(lines) - k + 1)):
        window = "\n".join(lines[i : i + k])
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() < 0.4 or matcher.quick_ratio() < 0.4:
            continue
        scored.append((matcher.ratio(), i))
    scored.sort(key=lambda s: (-s[0], s[1]))
    picked: list[tuple[float, int, str]] = []
    for ratio, i in scored:
        if ratio < 0.5 or len(picked) >= limit:
            break
        if any(abs(i - (j - 1)) < k for _, j, _ in picked):
            continue  # overlapping window
        snippet = "\n".join(
            _numbered(n + 1, lines[n]) for n in range(i, min(i + k, i + 15, len(lines)))
        )
        picked.append((ratio, i + 1, snippet))
    return picked


def _plan_edit(
    ctx: ToolContext,
    path: str,
    old_text: str,
    new_text: str,
    replace_all: bool,
    *,
    shows_model: bool = True,
) -> tuple[Path, bytes, bytes, Diff, str, int]:
    p = resolve_in_workspace(ctx.workspace, path)
    rel = relative_to_workspace(ctx.workspace, p)
    previous = _read_existing(p, path)
    if previous is None:
        raise ToolError(
            f"File not found: {path}. Use write_file to create a new file.{_similar_names(p)}"
        )
    if len(previous) > MAX_EDIT_BYTES:
        raise ToolError(
            f"{path} is larger than {MAX_EDIT_BYTES // 1_000_000} MB; edit it with run_shell."
        )
    tf = decode_text(previous)
    if tf is None:
        raise ToolError(f"{path} is a binary file; edit_file only changes text files.")
    if old_text == "":
        raise ToolError(
            "old_text is empty; give the exact text to replace (use write_file for new files)."
        )
    # Lines are matched as read_file shows them, without a \r before the \n.
    old_text = old_text.replace("\r\n", "\n")
    new_text = new_text.replace("\r\n", "\n")
    if old_text == new_text:
        raise ToolError("old_text and new_text are the same; nothing to change.")
    view = MatchView(tf.exact, tf.text)
    text = view.text
    starts = view.starts(old_text)
    count = len(starts)
    if count == 0:
        msg = f"old_text was not found in {rel}."
        cands = _closest_candidates(text, old_text)
        if cands:
            msg += " Closest matches (line numbers are not part of the file):\n" + "\n---\n".join(
                f"lines {ln}-{ln + s.count(chr(10))} ({ratio:.0%} similar):\n{s}"
                for ratio, ln, s in cands
            )
            msg += "\nCopy the exact text, including whitespace, into old_text."
        elif shows_model and (listing := _small_file_listing(text)) is not None:
            msg += (
                " Its whole content (line numbers are not part of the file):\n"
                f"{listing}\nCopy the exact text, including whitespace, into old_text."
            )
            if ctx.seen_files is not None:
                ctx.seen_files.note(p, previous)
        else:
            msg += " Read the file with read_file and copy the exact text into old_text."
        raise ToolError(msg)
    if count > 1 and not replace_all:
        lines = ", ".join(str(view.line_of(i)) for i in starts[:20])
        raise ToolError(
            f"old_text matches {count} places in {rel} (lines {lines}). "
            "Include more surrounding lines so it matches exactly once, or set replace_all=true."
        )
    new_exact = view.replace(old_text, new_text, starts if replace_all else starts[:1])
    new = encode_text(new_exact, tf.encoding, tf.newline)
    diff = unified_diff(tf.text, shown_text(new_exact), rel)
    return p, previous, new, diff, rel, count


def _edit_preview(args: dict[str, Any], ctx: ToolContext) -> str | None:
    try:
        return _plan_edit(
            ctx,
            str(args.get("path", "")),
            str(args.get("old_text", "")),
            str(args.get("new_text", "")),
            bool(args.get("replace_all", False)),
            shows_model=False,
        )[3].text
    except ToolError as exc:
        return f"(this edit would fail: {exc})"


@tool(subject_arg="path")
def edit_file(
    ctx: ToolContext, path: str, old_text: str, new_text: str, replace_all: bool = False
) -> ToolResult:
    """Replace exact text in a file. old_text must match exactly once.

    Args:
        path: File path, relative to the workspace.
        old_text: The exact text to replace, including whitespace and indentation.
        new_text: The text to put in its place.
        replace_all: Replace every match instead of requiring exactly one.
    """
    p, previous, new, diff, rel, count = _plan_edit(ctx, path, old_text, new_text, replace_all)
    begin_changes(ctx)
    write_confined(p, new, rel)
    _record_undo(ctx, p, previous, new, "edit_file")
    if ctx.seen_files is not None:
        ctx.seen_files.note(p, new)
    where = f"{count} places" if count > 1 else "1 place"
    return ToolResult(
        f"Edited {rel} ({where}): {diff.added} lines added, {diff.removed} removed.",
        display=diff.text,
        display_kind="diff",
        meta={"path": rel, "replacements": count},
    )


edit_file.preview = _edit_preview
edit_file.sensitive = _path_sensitive

FILE_TOOLS: list[Tool] = [read_file, write_file, edit_file]
