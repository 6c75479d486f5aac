"""The output directory: append-only records, atomic checkpoints, the final split.

Layout::

    records.jsonl    every accepted record, appended and flushed as it is accepted
    cache.sqlite     the call cache and task ledger (see cache.py)
    checkpoint.json  counts, cost so far and position; rewritten atomically
    batches.json     batch ids and what each one holds (``--batch``)
    train.jsonl, val.jsonl, metadata.json   written at the end of every run
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from assistant.tools.paths import atomic_write, atomic_write_text

RECORDS = "records.jsonl"
CHECKPOINT = "checkpoint.json"
METADATA = "metadata.json"
TRAIN = "train.jsonl"
VAL = "val.jsonl"
CACHE = "cache.sqlite"
BATCHES = "batches.json"


class OutputError(Exception):
    """A problem with the output directory; the message names it and the fix."""


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def validate_record(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return "is not a JSON object"
    if not isinstance(obj.get("id"), str):
        return 'has no string "id"'
    if not isinstance(obj.get("messages"), list) or not obj["messages"]:
        return 'has no "messages" list'
    if not isinstance(obj.get("meta"), dict):
        return 'has no "meta" object'
    return None


def read_records(path: Path, *, repair_tail: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """Records of a JSONL file, checked line by line.

    A last line without its newline that does not parse is what a SIGKILL in the
    middle of a write leaves; with ``repair_tail`` it is dropped (and the file
    truncated) instead of being an error. Returns (records, repaired).
    """
    if not path.exists():
        return [], False
    data = path.read_bytes()
    out: list[dict[str, Any]] = []
    lines = data.split(b"\n")
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        is_tail = lineno == len(lines)  # no newline after it
        try:
            obj = json.loads(raw)
            problem = validate_record(obj)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if is_tail and repair_tail:
                with open(path, "r+b") as f:
                    f.truncate(len(data) - len(raw))
                return out, True
            problem = f"is not valid JSON ({getattr(exc, 'msg', exc)})"
        if problem:
            raise OutputError(
                f"{path} line {lineno} {problem}; fix or delete that line, "
                "or choose another --output-dir."
            )
        out.append(obj)
    return out, False


def is_val(record_id: str, fraction: float) -> bool:
    """Deterministic split by id, stable as the dataset grows."""
    h = int.from_bytes(hashlib.sha256(record_id.encode()).digest()[:8], "big")
    return (h % 1_000_000) < fraction * 1_000_000


def encode_record(record: dict[str, Any]) -> bytes:
    """A record as its JSONL line (compact, UTF-8, newline-terminated)."""
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class RecordWriter:
    """Appends one JSON line per accepted record with a single write(2), unbuffered."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.count = 0

    def append_line(self, line: bytes) -> None:
        """Append a record already encoded by :func:`encode_record`."""
        os.write(self.fd, line)
        self.count += 1

    def sync(self) -> None:
        os.fsync(self.fd)

    def close(self) -> None:
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1


def check_writable(out: Path) -> None:
    """Create ``out`` if needed and prove we can write there, before anything else."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"Cannot create the output directory {out} ({exc.strerror}); "
            "choose a writable --output-dir."
        ) from None
    if not out.is_dir():
        raise OutputError(f"{out} is not a directory; choose another --output-dir.")
    try:
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".write-test-")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise OutputError(
            f"The output directory {out} is not writable ({exc.strerror}); "
            "fix its permissions or choose another --output-dir."
        ) from None


def write_split_lines(
    out: Path, rows: list[tuple[str, bytes]], val_fraction: float
) -> tuple[int, int]:
    """Write train.jsonl and val.jsonl from (id, encoded JSONL line) pairs; the id decides."""
    train: list[bytes] = []
    val: list[bytes] = []
    for rid, line in rows:
        (val if is_val(rid, val_fraction) else train).append(line)
    atomic_write(out / TRAIN, b"".join(train))
    atomic_write(out / VAL, b"".join(val))
    return len(train), len(val)
