from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from assistant.tools import search
from assistant.tools.base import ToolContext, ToolError
from assistant.tools.search import (
    glob,
    glob_to_regex,
    grep,
    grep_python,
    grep_rg,
    list_files,
    walk,
)

needs_rg = pytest.mark.skipif(shutil.which("rg") is None, reason="ripgrep not installed")


@pytest.fixture
def tree(ws: Path) -> Path:
    files = {
        ".gitignore": "*.log\nbuild/\n/secret.txt\n!keep.log\n",
        "README.md": "# Demo\nTODO: write docs\n",
        "secret.txt": "TODO hidden by root-anchored rule\n",
        "app.log": "TODO in a log\n",
        "keep.log": "TODO kept by negation\n",
        "build/out.py": "TODO built\n",
        "src/main.py": "import os\n\ndef main():\n    # TODO: parse args\n    return os.getcwd()\n",
        "src/util.py": "def helper(x):\n    return x * 2  # todo lower\n",
        "src/.gitignore": "generated_*.py\n",
        "src/generated_api.py": "TODO generated\n",
        "src/deep/nested/mod.py": "VALUE = 'TODO deep'\n",
        "src/secret.txt": "TODO not anchored here\n",
        "docs/guide.txt": "Nothing to see\n",
        ".hidden/conf.py": "TODO in hidden dir\n",
        ".git/config": "TODO in git\n",
        "node_modules/pkg/index.js": "TODO in node_modules\n",
    }
    for rel, text in files.items():
        p = ws / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (ws / "src" / "crlf.py").write_bytes(b"a = 1\r\n# TODO crlf\r\n")
    (ws / "src" / "latin.txt").write_bytes("caf\xe9 TODO latin\n".encode("latin-1"))
    (ws / "blob.bin").write_bytes(b"TODO\x00\x01\x02binary")
    return ws


async def test_list_files_respects_gitignore(tree: Path, ctx: ToolContext) -> None:
    r = await list_files.run({}, ctx)
    listed = r.output.splitlines()
    assert "src/" in listed and "src/main.py" in listed and "README.md" in listed
    assert "keep.log" in listed and "src/secret.txt" in listed and ".hidden/conf.py" in listed
    for hidden in (
        "app.log",
        "build/",
        "secret.txt",
        "src/generated_api.py",
        ".git/",
        "node_modules/",
    ):
        assert hidden not in listed, hidden
    assert not any(x.startswith(".git/") for x in listed)
    # depth 3 stops before src/deep/nested/mod.py
    assert "src/deep/nested/" in listed and "src/deep/nested/mod.py" not in listed
    r = await list_files.run({"path": "src", "max_depth": 1}, ctx)
    assert "src/deep/" in r.output.splitlines() and "src/deep/nested/" not in r.output
    assert "src/generated_api.py" not in r.output  # nested .gitignore applies from its own folder


async def test_list_files_cap_and_errors(ws: Path, ctx: ToolContext) -> None:
    for i in range(600):
        (ws / f"f{i:04}.txt").write_text("")
    r = await list_files.run({}, ctx)
    assert len(r.output.splitlines()) == 501 and "100 more entries" in r.output
    assert (await list_files.run({"path": "f0001.txt"}, ctx)).is_error
    assert (await list_files.run({"path": "nope"}, ctx)).is_error
    assert "outside" in (await list_files.run({"path": ".."}, ctx)).output


def test_walk_does_not_follow_a_folder_swapped_for_a_symlink(ws: Path, tmp_path: Path) -> None:
    # A command in the sandbox swaps sub/ for a link to a host folder while the walk runs.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id_rsa").write_text("secret\n")
    (ws / "sub").mkdir()
    (ws / "sub" / "a.txt").write_text("x\n")
    seen: list[str] = []
    for rel, _is_dir, _depth in walk(ws, ws):
        seen.append(rel)
        if rel == "sub":
            (ws / "sub").rename(ws / "old")
            (ws / "sub").symlink_to(outside)
    assert "sub/id_rsa" not in seen


@pytest.mark.parametrize("backend", ["python", "rg"])
def test_gitignore_that_is_not_a_regular_file_is_not_read(
    ws: Path, ctx: ToolContext, tmp_path: Path, backend: str
) -> None:
    # A repository ships .gitignore -> /dev/zero (or a sandbox command makes it a FIFO):
    # reading it would block or fill memory. Like git, only a regular .gitignore counts.
    if backend == "rg" and shutil.which("rg") is None:
        pytest.skip("ripgrep not installed")
    ctx.settings["grep_backend"] = backend
    os.mkfifo(ws / ".gitignore")
    (tmp_path / "rules").write_text("*\n")
    (ws / "sub").mkdir()
    (ws / "sub" / "a.txt").write_text("x\n")
    (ws / "sub" / ".gitignore").symlink_to(tmp_path / "rules")
    (ws / "clean").mkdir()
    (ws / "clean" / "b.txt").write_text("x\n")

    async def both() -> tuple[str, str]:
        listed = await list_files.run({}, ctx)
        found = await grep.run({"pattern": "x"}, ctx)
        in_clean = await grep.run({"pattern": "x", "path": "clean"}, ctx)  # a parent's
        return listed.output, found.output + "\n" + in_clean.output

    got: list[tuple[str, str]] = []
    t = threading.Thread(target=lambda: got.append(asyncio.run(both())), daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():
        os.close(os.open(ws / ".gitignore", os.O_WRONLY | os.O_NONBLOCK))  # unblock it
        t.join(10)
        pytest.fail("a search tool blocked reading a FIFO named .gitignore")
    listed, found = got[0]
    assert "sub/a.txt" in listed.splitlines()
    assert found.splitlines() == ["clean/b.txt:1:x", "sub/a.txt:1:x", "clean/b.txt:1:x"]


@pytest.mark.parametrize("backend", ["python", "rg"])
async def test_grep_on_a_fifo_is_refused(ws: Path, ctx: ToolContext, backend: str) -> None:
    if backend == "rg" and shutil.which("rg") is None:
        pytest.skip("ripgrep not installed")
    ctx.settings["grep_backend"] = backend
    os.mkfifo(ws / "pipe")  # a command in the sandbox made it; ripgrep would wait on it
    try:
        r = await asyncio.wait_for(grep.run({"pattern": "x", "path": "pipe"}, ctx), 10)
    finally:
        with contextlib.suppress(OSError):
            os.close(os.open(ws / "pipe", os.O_WRONLY | os.O_NONBLOCK))
    assert r.is_error and "not a regular file" in r.output


async def test_glob(tree: Path, ctx: ToolContext) -> None:
    r = await glob.run({"pattern": "**/*.py"}, ctx)
    assert r.output.splitlines() == [
        ".hidden/conf.py", "src/crlf.py", "src/deep/nested/mod.py", "src/main.py", "src/util.py"
    ]  # fmt: skip
    r = await glob.run({"pattern": "*.py"}, ctx)  # no slash: any depth
    assert "src/deep/nested/mod.py" in r.output.splitlines()
    r = await glob.run({"pattern": "src/*.py"}, ctx)
    assert r.output.splitlines() == ["src/crlf.py", "src/main.py", "src/util.py"]
    r = await glob.run({"pattern": "*.py", "path": "src/deep"}, ctx)
    assert r.output.splitlines() == ["src/deep/nested/mod.py"]
    r = await glob.run({"pattern": "*.{md,log}"}, ctx)
    assert r.output.splitlines() == ["README.md", "keep.log"]
    assert "No files match" in (await glob.run({"pattern": "*.rs"}, ctx)).output


def test_glob_regex() -> None:
    assert glob_to_regex("**/*.py").match("a/b/c.py") and glob_to_regex("**/*.py").match("c.py")
    assert not glob_to_regex("src/*.py").match("src/a/b.py")
    assert glob_to_regex("src/**").match("src/a/b.py")
    assert glob_to_regex("file?.[ch]").match("x/file1.c")
    # './' names the search folder; the dot of a hidden name after it is kept
    assert glob_to_regex("./.github/*.yml").match(".github/ci.yml")
    assert glob_to_regex("./*.py").match("a.py") and not glob_to_regex("./*.py").match("b/a.py")


EXPECTED_TODO = [
    ".hidden/conf.py:1:TODO in hidden dir",
    "README.md:2:TODO: write docs",
    "keep.log:1:TODO kept by negation",
    "src/crlf.py:2:# TODO crlf",
    "src/deep/nested/mod.py:1:VALUE = 'TODO deep'",
    "src/latin.txt:1:café TODO latin",
    "src/main.py:4:    # TODO: parse args",
    "src/secret.txt:1:TODO not anchored here",
]


def _fmt(hits) -> list[str]:
    return [f"{h.path}:{h.line}:{h.text}" for h in hits]


async def test_grep_python_backend(tree: Path, ctx: ToolContext) -> None:
    ctx.settings["grep_backend"] = "python"
    r = await grep.run({"pattern": "TODO"}, ctx)
    assert r.output.splitlines() == EXPECTED_TODO
    assert r.meta["backend"] == "python"


@needs_rg
async def test_grep_rg_backend(tree: Path, ctx: ToolContext) -> None:
    ctx.settings["grep_backend"] = "rg"
    r = await grep.run({"pattern": "TODO"}, ctx)
    assert r.output.splitlines() == EXPECTED_TODO
    assert r.meta["backend"] == "rg"


PARITY_CASES = [
    dict(pattern="TODO"),
    dict(pattern="todo", ignore_case=True),
    dict(pattern=r"def \w+\(", glob="*.py"),
    dict(pattern=r"return", path="src"),
    dict(pattern=r"^import", path="src/main.py"),
    dict(pattern="TODO", glob="*.py", path="src"),
    dict(pattern=r"x \* 2"),
    dict(pattern="no-such-text-anywhere"),
    dict(pattern="TODO", max_results=3),
]


@needs_rg
@pytest.mark.parametrize(
    "case", PARITY_CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items())
)
async def test_grep_backends_agree(tree: Path, case: dict) -> None:
    start = tree / case.get("path", ".")
    args = (
        tree,
        start,
        case["pattern"],
        case.get("glob"),
        case.get("ignore_case", False),
        case.get("max_results", 200),
    )
    py = grep_python(*args)
    rg = await grep_rg(*args)
    assert _fmt(py[0]) == _fmt(rg[0])
    assert py[1] == rg[1]
    if case["pattern"] == "TODO" and "max_results" not in case and "glob" not in case:
        assert len(py[0]) == len(EXPECTED_TODO)


@pytest.mark.parametrize("backend", ["python", pytest.param("rg", marks=needs_rg)])
async def test_grep_errors_and_cap(tree: Path, ctx: ToolContext, backend: str) -> None:
    ctx.settings["grep_backend"] = backend
    r = await grep.run({"pattern": "(unclosed"}, ctx)
    assert r.is_error and "unclosed" in r.output
    r = await grep.run({"pattern": "TODO", "max_results": 2}, ctx)
    assert len(r.output.splitlines()) == 3 and "stopped at 2 matches" in r.output
    r = await grep.run({"pattern": "TODO", "path": "../"}, ctx)
    assert r.is_error and "outside" in r.output
    r = await grep.run({"pattern": "zzzz"}, ctx)
    assert "No matches" in r.output


@needs_rg
async def test_ripgrep_that_blocks_is_killed_at_the_time_limit(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A .gitignore a sandbox command turns into a FIFO after grep's check: rg would wait
    # on it for ever.
    monkeypatch.setattr(search, "GREP_TIMEOUT_S", 1.0)
    (ws / "a.txt").write_text("x\n")
    os.mkfifo(ws / ".gitignore")
    started = asyncio.get_running_loop().time()
    with pytest.raises(ToolError, match=r"grep gave up after 1 s; search a narrower path"):
        await search.grep_rg(ws, ws, "x", None, False, 10)
    assert asyncio.get_running_loop().time() - started < 10
