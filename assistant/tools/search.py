"""list_files, glob, grep: workspace search that respects .gitignore and skips .git.

grep uses ripgrep (``rg --json``) when it is on PATH and a pure-Python ``re``
walk otherwise; both honour the same ignore rules and print the same lines. Each runs in
a child process killed after ``GREP_TIMEOUT_S``: a pattern such as ``(a+)+$`` can make
``re`` backtrack for ever, and a thread running it could not be stopped.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pathspec

from assistant.llm.base import CancelToken
from assistant.tools import safeio
from assistant.tools.base import (
    Tool,
    ToolContext,
    ToolError,
    ToolResult,
    raise_if_cancelled,
    tool,
)
from assistant.tools.childproc import stop_child
from assistant.tools.files import decode_text, is_binary
from assistant.tools.hostpath import host_env, host_which
from assistant.tools.paths import relative_to_workspace, resolve_in_workspace, workspace_root
from assistant.tools.sandbox.protect import is_placeholder

MAX_LIST_ENTRIES = 500
MAX_GREP_LINE = 300
MAX_GREP_FILE_BYTES = 5 * 1024 * 1024
GREP_TIMEOUT_S = 60.0
MAX_GITIGNORE_BYTES = 1024 * 1024
# Directories skipped below the starting point even when no .gitignore names them.
ALWAYS_SKIP = {".git"}
DEFAULT_SKIP = {
    ".git",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    "node_modules",
    ".venv",
}


# ---- ignore rules --------------------------------------------------------------------
@dataclass
class _Rules:
    base: str
    """Directory (workspace-relative POSIX, '' for the root) the .gitignore lives in."""
    spec: pathspec.PathSpec


def _load_gitignore(dir_path: Path, rel_dir: str) -> _Rules | None:
    """The rules of ``dir_path/.gitignore`` when it is a regular file (like git, a symlink
    is not followed: ``.gitignore -> /dev/zero`` or a FIFO would fill memory or block)."""
    try:
        data, _ = safeio.read_regular(dir_path / ".gitignore", MAX_GITIGNORE_BYTES)
    except OSError:
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return _Rules(rel_dir, spec)


def has_unsafe_gitignore(root: Path, start: Path, cancel: CancelToken | None = None) -> bool:
    """Whether a ``.gitignore`` ripgrep may read for a search of ``start`` is not a regular
    file: ripgrep follows and reads it whole (a FIFO blocks it, ``-> /dev/zero`` fills
    memory). It reads those of ``start``'s parents and of every directory it can enter,
    so those are checked, ignored or not (symlinks not followed)."""
    here = start if start.is_dir() else start.parent
    for d in (here, *here.parents):
        try:
            st = safeio.lstat(d / ".gitignore")
        except OSError:  # the path changed underneath: do not let ripgrep near it
            return True
        if st is not None and not stat.S_ISREG(st.st_mode):
            return True
        if d == root:
            break
    stack = [start] if start.is_dir() else []
    while stack:
        raise_if_cancelled(cancel)
        try:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    if e.name == ".gitignore" and not e.is_file(follow_symlinks=False):
                        return True
                    if e.is_dir(follow_symlinks=False) and e.name not in DEFAULT_SKIP:
                        stack.append(Path(e.path))
        except OSError:
            continue
    return False


def _ignored(rules: list[_Rules], rel: str, is_dir: bool) -> bool:
    """Whether the nearest .gitignore rules exclude ``rel`` (later, deeper files win)."""
    verdict = False
    for r in rules:
        if r.base:
            if not rel.startswith(r.base + "/"):
                continue
            sub = rel[len(r.base) + 1 :]
        else:
            sub = rel
        if is_dir:
            sub += "/"
        res = r.spec.check_file(sub)
        if res.include is not None:
            verdict = bool(res.include)
    return verdict


def walk(
    workspace: Path,
    start: Path,
    max_depth: int | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[tuple[str, bool, int]]:
    """Yield (workspace-relative POSIX path, is_dir, depth) under ``start``, sorted, ignores applied.

    Symlinked directories are not followed (they may point outside the workspace).
    ``cancel`` set stops it with ``ToolStopped`` (a tool's worker thread).
    """
    root = workspace_root(workspace)
    rules: list[_Rules] = []
    # .gitignore files of the workspace root down to the starting directory.
    rel_start = relative_to_workspace(root, start)
    parts = [] if rel_start == "." else rel_start.split("/")
    for i in range(len(parts) + 1):
        rel_dir = "/".join(parts[:i])
        r = _load_gitignore(root / rel_dir if rel_dir else root, rel_dir)
        if r:
            rules.append(r)

    def rec(
        dir_path: Path, rel_dir: str, depth: int, rules: list[_Rules], load: bool = True
    ) -> Iterator[tuple[str, bool, int]]:
        if load:  # the starting directory's own .gitignore is already in ``rules``
            r = _load_gitignore(dir_path, rel_dir)
            if r:
                rules = [*rules, r]
        try:  # through safeio: a folder swapped for a symlink meanwhile is not followed
            entries = safeio.list_dir(dir_path)
        except OSError:
            return
        for name, is_dir in entries:
            raise_if_cancelled(cancel)
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if is_dir and name in DEFAULT_SKIP:
                continue
            if is_placeholder(dir_path / name):  # the sandbox's stand-in for a missing .git...
                continue
            if _ignored(rules, rel, is_dir):
                continue
            yield rel, is_dir, depth
            if is_dir and (max_depth is None or depth < max_depth):
                yield from rec(dir_path / name, rel, depth + 1, rules)

    base_rel = "" if rel_start == "." else rel_start
    yield from rec(start, base_rel, 1, rules, load=False)


# ---- list_files ----------------------------------------------------------------------
def _dir_start(ctx: ToolContext, path: str) -> Path:
    p = resolve_in_workspace(ctx.workspace, path)
    if not p.exists():
        raise ToolError(f"No such directory: {path}.")
    if not p.is_dir():
        raise ToolError(f"{path} is a file, not a directory; use read_file to read it.")
    return p


@tool(read_only=True)
def list_files(ctx: ToolContext, path: str = ".", max_depth: int = 3) -> ToolResult:
    """List files and folders (folders end with /). Skips .git and .gitignore'd files.

    Args:
        path: Folder to list, relative to the workspace.
        max_depth: How many folder levels to go down.
    """
    start = _dir_start(ctx, path)
    lines: list[str] = []
    more = 0
    for rel, is_dir, _depth in walk(ctx.workspace, start, max(1, max_depth), ctx.cancel):
        if len(lines) >= MAX_LIST_ENTRIES:
            more += 1
            if more > 10_000:
                break
            continue
        lines.append(rel + "/" if is_dir else rel)
    if not lines:
        return ToolResult(f"{path} is empty (or everything in it is ignored).")
    out = "\n".join(lines)
    if more:
        plus = "10000+" if more > 10_000 else str(more)
        out += f"\n[{plus} more entries not shown; list a subfolder or lower max_depth]"
    return ToolResult(out, meta={"count": len(lines) + more})


# ---- glob ----------------------------------------------------------------------------
@lru_cache(maxsize=128)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Translate a glob with ``**`` into a regex over workspace-relative POSIX paths.

    A pattern without ``/`` matches the file name at any depth (``*.py``).
    """
    pat = pattern.strip()
    anchored = pat.startswith("./")  # the search folder itself, not any depth
    while pat.startswith("./"):
        pat = pat[2:]
    anchored = anchored or "/" in pat.rstrip("/")
    pat = pat.lstrip("/")
    i, n, out = 0, len(pat), []
    while i < n:
        c = pat[i]
        if c == "*":
            if pat.startswith("**", i):
                i += 2
                if i < n and pat[i] == "/":
                    i += 1
                    out.append("(?:.*/)?")
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pat.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j
        elif c == "{":
            j = pat.find("}", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                alts = [re.escape(a) for a in pat[i + 1 : j].split(",")]
                out.append("(?:" + "|".join(alts) + ")")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    body = "".join(out)
    regex = f"^{body}$" if anchored else f"^(?:.*/)?{body}$"
    return re.compile(regex)


@tool(read_only=True)
def glob(ctx: ToolContext, pattern: str, path: str = ".") -> ToolResult:
    """Find files whose path matches a glob pattern, such as **/*.py or src/*.ts.

    Args:
        pattern: Glob pattern. ** matches any folders; a pattern without / matches names at any depth.
        path: Folder to search in, relative to the workspace.
    """
    start = _dir_start(ctx, path)
    try:
        rx = glob_to_regex(pattern)
    except re.error as exc:
        raise ToolError(f"Invalid glob pattern {pattern!r}: {exc}.") from None
    rel_start = relative_to_workspace(ctx.workspace, start)
    prefix = "" if rel_start == "." else rel_start + "/"
    hits: list[str] = []
    more = 0
    for rel, is_dir, _ in walk(ctx.workspace, start, cancel=ctx.cancel):
        if is_dir:
            continue
        if rx.match(rel[len(prefix) :]):
            if len(hits) < MAX_LIST_ENTRIES:
                hits.append(rel)
            else:
                more += 1
    if not hits:
        return ToolResult(f"No files match {pattern!r}.")
    out = "\n".join(hits)
    if more:
        out += f"\n[{more} more matches not shown; use a narrower pattern]"
    return ToolResult(out, meta={"count": len(hits) + more})


# ---- grep ----------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class GrepHit:
    path: str
    line: int
    text: str


def _clip(text: str) -> str:
    text = text.rstrip("\r\n")
    return text if len(text) <= MAX_GREP_LINE else text[:MAX_GREP_LINE] + " [...]"


def _compile(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ToolError(f"Invalid regex {pattern!r}: {exc}.") from None


def grep_python(
    workspace: Path,
    start: Path,
    pattern: str,
    glob_pat: str | None,
    ignore_case: bool,
    max_results: int,
) -> tuple[list[GrepHit], bool]:
    """(hits, stopped early) using Python's ``re``."""
    rx = _compile(pattern, ignore_case)
    file_rx = glob_to_regex(glob_pat) if glob_pat else None
    root = workspace_root(workspace)
    files: list[str]
    if start.is_file():
        files = [relative_to_workspace(root, start)]
        prefix = ""
    else:
        files = [rel for rel, is_dir, _ in walk(root, start) if not is_dir]
        rel_start = relative_to_workspace(root, start)
        prefix = "" if rel_start == "." else rel_start + "/"
    hits: list[GrepHit] = []
    for rel in files:
        if file_rx and not start.is_file() and not file_rx.match(rel[len(prefix) :]):
            continue
        # Never through a symlink (it may point outside the workspace), and no directory
        # on the way swapped for one: safeio opens each component with O_NOFOLLOW.
        try:
            data, size = safeio.read_regular(root / rel, MAX_GREP_FILE_BYTES + 1)
        except OSError:
            continue
        if size > MAX_GREP_FILE_BYTES:
            continue
        if is_binary(data):
            continue
        tf = decode_text(data)
        if tf is None:
            continue
        lines = tf.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for n, line in enumerate(lines, 1):
            if rx.search(line):
                hits.append(GrepHit(rel, n, _clip(line)))
                if len(hits) >= max_results:
                    return sorted(hits), True
    return sorted(hits), False


# The child starts isolated (-I: no working directory, no PYTHON* variables) and adds
# this process's extra import paths after its own (see _child_import_path).
_CHILD_CODE = (
    "import json, sys; sys.path += [p for p in json.loads(sys.argv[1]) if p not in sys.path]; "
    "from assistant.tools.search import grep_python_child; grep_python_child()"
)


def _child_import_path(root: Path) -> list[str]:
    """This process's import path for the grep child, less what lies in the workspace
    (``python -m`` run there puts it first, and the child imports pathspec and the rest
    afresh: a planted ``pathspec.py`` would run on the host); the folder holding
    ``assistant`` itself comes last, so it can only supply the code already running."""
    keep = [p for p in map(os.path.abspath, filter(None, sys.path)) if not _inside(p, root)]
    package_root = str(Path(__file__).resolve().parents[2])
    return [*keep, package_root]


def _inside(path: str, root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return True  # unresolvable: not worth the risk


async def grep_python_bounded(
    workspace: Path,
    start: Path,
    pattern: str,
    glob_pat: str | None,
    ignore_case: bool,
    max_results: int,
) -> tuple[list[GrepHit], bool]:
    """``grep_python`` in a child process that is killed after ``GREP_TIMEOUT_S`` or when
    the call is cancelled: ``re`` cannot be interrupted, and ``(a+)+$`` on a long line of
    a's backtracks for ever."""
    _compile(pattern, ignore_case)  # a bad pattern gets its sentence without a child
    request = {
        "workspace": str(workspace_root(workspace)),
        "start": str(start),
        "pattern": pattern,
        "glob": glob_pat,
        "ignore_case": ignore_case,
        "max_results": max_results,
    }
    import_path = json.dumps(_child_import_path(workspace_root(workspace)))
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-I", "-c", _CHILD_CODE, import_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(GREP_TIMEOUT_S):
            out, err = await proc.communicate(json.dumps(request).encode())
    except TimeoutError:
        raise ToolError(
            f"grep gave up after {GREP_TIMEOUT_S:g} s; search a narrower path or use a "
            "simpler pattern (nested repeats such as (a+)+ can run for ever)."
        ) from None
    finally:
        await stop_child(proc)
    return _child_reply(out, err)


def _child_reply(out: bytes, err: bytes) -> tuple[list[GrepHit], bool]:
    try:
        reply = json.loads(out)
    except json.JSONDecodeError:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else "it exited without a reply"
        raise ToolError(f"grep's Python search failed: {detail}.") from None
    if "error" in reply:
        raise ToolError(reply["error"])
    hits = [GrepHit(path, line, text) for path, line, text in reply["hits"]]
    return hits, bool(reply["stopped"])


def grep_python_child() -> None:
    """The child of ``grep_python_bounded``: a JSON request on stdin, the reply on stdout."""
    req = json.load(sys.stdin)
    try:
        hits, stopped = grep_python(
            Path(req["workspace"]),
            Path(req["start"]),
            req["pattern"],
            req["glob"],
            req["ignore_case"],
            req["max_results"],
        )
        reply: dict[str, object] = {"hits": [[h.path, h.line, h.text] for h in hits]}
        reply["stopped"] = stopped
    except ToolError as exc:
        reply = {"error": str(exc)}
    json.dump(reply, sys.stdout)


async def grep_rg(
    workspace: Path,
    start: Path,
    pattern: str,
    glob_pat: str | None,
    ignore_case: bool,
    max_results: int,
) -> tuple[list[GrepHit], bool]:
    """(hits, stopped early) using ripgrep's JSON output."""
    root = workspace_root(workspace)
    rg = host_which("rg", root)
    if not rg:
        raise ToolError("ripgrep (rg) is not installed.")
    args = [
        rg,
        "--json",
        "--hidden",
        "--no-require-git",
        "--sort",
        "path",
        "--no-follow",
        "--no-messages",
    ]
    # Same rules as the Python walk: .gitignore files only (not global excludes or .ignore).
    args += ["--no-ignore-global", "--no-ignore-dot", "--no-ignore-exclude"]
    args += ["--max-filesize", str(MAX_GREP_FILE_BYTES), "--no-config"]
    if ignore_case:
        args.append("-i")
    for d in sorted(DEFAULT_SKIP):
        args += ["--glob", f"!{d}/"]
    # The file glob is applied below, not with rg --glob: rg's globs override .gitignore.
    file_rx = glob_to_regex(glob_pat) if glob_pat and not start.is_file() else None
    target = relative_to_workspace(root, start)
    prefix = "" if target == "." else target + "/"
    args += ["-e", pattern, "--", target]
    proc = await asyncio.create_subprocess_exec(
        *args,
        cwd=root,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**host_env(root), "RIPGREP_CONFIG_PATH": ""},
        limit=64 * 1024 * 1024,
    )
    hits: list[GrepHit] = []
    stopped = timed_out = False
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(GREP_TIMEOUT_S):
            stopped = await _read_rg_matches(proc.stdout, hits, prefix, file_rx, max_results)
    except TimeoutError:
        # A .gitignore made a FIFO after the check (rg reads them whole), or a huge tree.
        timed_out = True
    finally:
        # Kill only when we stopped reading early: after EOF rg may not be reaped yet, and
        # killing it then would hide its exit status 2 (a bad pattern).
        if proc.returncode is None and (stopped or not proc.stdout.at_eof()):
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        stderr = (await proc.stderr.read()).decode("utf-8", "replace") if proc.stderr else ""
        await proc.wait()
    if timed_out:
        raise ToolError(
            f"grep gave up after {GREP_TIMEOUT_S:g} s; search a narrower path or pattern."
        )
    if proc.returncode == 2 and not hits and not stopped:
        msg = stderr.strip().splitlines()
        detail = " ".join(x.strip() for x in msg[-6:]) if msg else "ripgrep failed"
        raise ToolError(f"grep failed for pattern {pattern!r}: {detail}")
    # Files rg would skip but our walk skips too are already excluded; drop hits under
    # nested repos' .git which the glob above also excludes.
    hits.sort()
    # Reads each hit's file again (up to 5 MB each): off the event loop.
    return await asyncio.to_thread(_confirmed, root, hits), stopped


async def _read_rg_matches(
    stdout: asyncio.StreamReader,
    hits: list[GrepHit],
    prefix: str,
    file_rx: re.Pattern[str] | None,
    max_results: int,
) -> bool:
    """Add ripgrep's JSON matches to ``hits``; whether ``max_results`` stopped it."""
    async for raw in stdout:
        try:
            msg = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if msg.get("type") != "match":
            continue
        data = msg["data"]
        path_obj = data["path"]
        path = path_obj.get("text") or base64.b64decode(path_obj.get("bytes", "")).decode(
            "utf-8", "replace"
        )
        lines = data["lines"]
        text = lines.get("text")
        if text is None:
            text = base64.b64decode(lines.get("bytes", "")).decode("latin-1")
        path = path[2:] if path.startswith("./") else path
        if file_rx and not file_rx.match(path[len(prefix) :]):
            continue
        for k, line in enumerate(text.rstrip("\n").split("\n")):
            hits.append(GrepHit(path, int(data["line_number"]) + k, _clip(line)))
        if len(hits) >= max_results:
            del hits[max_results:]
            return True
    return False


def _confirmed(root: Path, hits: list[GrepHit]) -> list[GrepHit]:
    """The hits that the file, read again without following any symlink, still holds.

    rg opens files by name; a directory swapped for a symlink while it runs would make it
    read outside the workspace.  Such a hit is not in the file the safe read finds (or the
    safe read refuses the path), so it is dropped.
    """
    lines_of: dict[str, list[str] | None] = {}
    kept: list[GrepHit] = []
    for hit in hits:
        if hit.path not in lines_of:
            try:
                data, size = safeio.read_regular(root / hit.path, MAX_GREP_FILE_BYTES + 1)
                tf = decode_text(data) if size <= MAX_GREP_FILE_BYTES else None
                lines_of[hit.path] = tf.text.split("\n") if tf is not None else None
            except OSError:
                lines_of[hit.path] = None
        lines = lines_of[hit.path]
        if (
            lines is not None
            and 0 < hit.line <= len(lines)
            and _clip(lines[hit.line - 1]) == hit.text
        ):
            kept.append(hit)
    return kept


@tool(read_only=True)
async def grep(
    ctx: ToolContext,
    pattern: str,
    path: str = ".",
    glob: str | None = None,
    ignore_case: bool = False,
    max_results: int = 200,
) -> ToolResult:
    """Search file contents with a regular expression. Prints path:line:text for each match.

    Args:
        pattern: Regular expression to search for.
        path: File or folder to search in, relative to the workspace.
        glob: Only search files matching this glob, such as *.py.
        ignore_case: Match upper and lower case alike.
        max_results: Stop after this many matching lines.
    """
    start = resolve_in_workspace(ctx.workspace, path)
    if not start.exists():
        raise ToolError(f"No such file or directory: {path}.")
    if not start.is_dir() and not start.is_file():
        raise ToolError(
            f"{path} is not a regular file (a FIFO, socket or device); grep a file or folder."
        )
    limit = max(1, min(int(max_results), 2000))
    root = workspace_root(ctx.workspace)
    backend = ctx.settings.get("grep_backend") or ("rg" if host_which("rg", root) else "python")
    if backend == "rg" and await asyncio.to_thread(has_unsafe_gitignore, root, start, ctx.cancel):
        backend = "python"  # which reads only regular .gitignore files
    if backend == "rg":
        hits, stopped = await grep_rg(ctx.workspace, start, pattern, glob, ignore_case, limit)
    else:
        hits, stopped = await grep_python_bounded(
            ctx.workspace, start, pattern, glob, ignore_case, limit
        )
    if not hits:
        return ToolResult(f"No matches for {pattern!r}.", meta={"count": 0, "backend": backend})
    out = "\n".join(f"{h.path}:{h.line}:{h.text}" for h in hits)
    if stopped:
        out += f"\n[stopped at {limit} matches; narrow the pattern, path or glob]"
    return ToolResult(out, meta={"count": len(hits), "backend": backend})


SEARCH_TOOLS: list[Tool] = [list_files, glob, grep]
