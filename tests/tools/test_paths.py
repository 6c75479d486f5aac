from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.tools.base import ToolError
from assistant.tools.paths import atomic_write, resolve_in_workspace, sensitive_reason


@pytest.fixture
def tree(ws: Path, tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (ws / "src").mkdir()
    (ws / "src" / "a.py").write_text("print(1)\n")
    os.symlink(outside / "secret.txt", ws / "link_out")  # file symlink pointing out
    os.symlink(outside, ws / "dir_out")  # dir symlink pointing out
    os.symlink("/", ws / "root")  # ws/root -> /
    os.symlink(ws / "src" / "a.py", ws / "link_in")  # stays inside
    os.symlink("src", ws / "srclink")  # relative dir link inside
    return ws


@pytest.mark.parametrize(
    "bad",
    [
        "../outside/secret.txt",
        "src/../../outside/secret.txt",
        "..",
        "/etc/passwd",
        "link_out",
        "dir_out/secret.txt",
        "dir_out/new_file.txt",
        "root/etc/passwd",
        "a\x00b",
        "",
    ],
)
def test_escapes_refused(tree: Path, bad: str) -> None:
    with pytest.raises(ToolError) as ei:
        resolve_in_workspace(tree, bad)
    msg = str(ei.value)
    assert "outside the workspace" in msg or "NUL" in msg or "empty" in msg


def test_outside_message_names_path(tree: Path) -> None:
    with pytest.raises(ToolError, match=r"Path '/etc/passwd' is outside the workspace"):
        resolve_in_workspace(tree, "/etc/passwd")


@pytest.mark.parametrize(
    ("good", "expect"),
    [
        ("src/a.py", "src/a.py"),
        ("./src/../src/a.py", "src/a.py"),
        ("link_in", "src/a.py"),
        ("srclink/a.py", "src/a.py"),
        ("new/dir/file.txt", "new/dir/file.txt"),
        (".", ""),
    ],
)
def test_inside_ok(tree: Path, good: str, expect: str) -> None:
    got = resolve_in_workspace(tree, good)
    assert got == Path(os.path.realpath(tree / expect))


def test_absolute_inside_ok(tree: Path) -> None:
    assert (
        resolve_in_workspace(tree, str(tree / "src" / "a.py")) == (tree / "src" / "a.py").resolve()
    )


@pytest.mark.parametrize(
    ("alias", "expect"),
    [
        ("/workspace/src/a.py", "src/a.py"),
        ("/workspace", ""),
        ("/workspace/", ""),
        ("/workspace//srclink/a.py", "src/a.py"),
        ("/workspace/new/file.txt", "new/file.txt"),
    ],
)
def test_sandbox_mount_path_is_workspace_alias(tree: Path, alias: str, expect: str) -> None:
    assert resolve_in_workspace(tree, alias) == Path(os.path.realpath(tree / expect))


@pytest.mark.parametrize(
    "bad",
    ["/workspace/../etc/passwd", "/workspace/link_out", "/workspacex/a", "/workspace/root/etc"],
)
def test_sandbox_mount_alias_still_confined(tree: Path, bad: str) -> None:
    with pytest.raises(ToolError, match="outside the workspace"):
        resolve_in_workspace(tree, bad)


def test_workspace_given_through_symlink(tree: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    os.symlink(tree, alias)
    assert resolve_in_workspace(alias, "src/a.py") == (tree / "src" / "a.py").resolve()
    with pytest.raises(ToolError):
        resolve_in_workspace(alias, "link_out")


@pytest.mark.parametrize(
    "path",
    [
        ".git/hooks/pre-commit",
        ".git/config",
        ".envrc",
        ".env",
        "sub/.env.local",
        ".vscode/tasks.json",
        ".idea/workspace.xml",
        ".github/workflows/ci.yml",
        ".assistant.toml",
        "./.git/HEAD",
        "vendor/lib/.git/hooks/post-checkout",
        ".cargo/config.toml",
        "crates/cli/.cargo/config",
        ".yarnrc.yml",
        "web/.yarnrc",
        ".pnpmfile.cjs",
        "gradle/wrapper/gradle-wrapper.properties",
        "app/.mvn/wrapper/maven-wrapper.properties",
    ],
)
def test_sensitive(path: str) -> None:
    reason = sensitive_reason(path)
    assert reason and ":" in reason


def test_what_is_read_only_in_the_sandbox_the_file_tools_ask_before_writing() -> None:
    from assistant.tools.sandbox.protect import PROTECTED

    inside = {".github": "workflows/ci.yml"}  # its issue templates are not sensitive
    missed = [
        name
        for name in PROTECTED
        if not (sensitive_reason(name) or sensitive_reason(f"{name}/{inside.get(name, 'x')}"))
    ]
    assert missed == []


@pytest.mark.parametrize(
    "path",
    [
        "src/a.py",
        "README.md",
        ".github/ISSUE_TEMPLATE.md",
        "env.py",
        ".gitignore",
        "my.cargo/config.toml",
        "gradle/libs.versions.toml",
    ],
)
def test_not_sensitive(path: str) -> None:
    assert sensitive_reason(path) is None


def test_atomic_write_keeps_mode_and_leaves_no_temp(ws: Path) -> None:
    f = ws / "x.sh"
    f.write_text("old")
    f.chmod(0o755)
    atomic_write(f, b"new")
    assert f.read_bytes() == b"new"
    assert (f.stat().st_mode & 0o777) == 0o755
    atomic_write(ws / "deep" / "er" / "y.txt", b"y")
    assert (ws / "deep" / "er" / "y.txt").read_bytes() == b"y"
    assert sorted(p.name for p in ws.iterdir()) == ["deep", "x.sh"]
