"""Attacks 2 and 13 against the real Docker sandbox: paths the host runs, and container limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.sandbox.docker import DockerSandbox
from tests.security.attacks import PLANT_REPO, attack_script, host_git_dir, plant_present

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture
async def box(docker_ready, repo: Path):
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[core]\n")
    (repo / ".vscode").mkdir()
    sb = DockerSandbox(repo, "sec-protected")
    yield sb
    await sb.close()


async def test_protected_paths_are_read_only_even_when_missing(box, repo: Path) -> None:
    plant_present(repo)
    res = await box.exec(attack_script(), timeout=60)
    assert "WROTE:" not in res.output, res.output
    assert "NORMAL-OK" in res.output, res.output
    assert (repo / ".git" / "config").read_text() == "[core]\n"
    assert (repo / "ok.txt").read_text() == "normal\n"
    await box.close()
    left = sorted(p.name for p in repo.iterdir())
    assert left == [".assistant.toml", ".envrc", ".git", ".vscode", "mise.toml", "ok.txt"], left


async def test_symlinked_protected_path_is_refused(
    docker_ready, repo: Path, tmp_path: Path
) -> None:
    from assistant.tools.sandbox.base import SandboxError

    (repo / ".venv").symlink_to(tmp_path)
    sb = DockerSandbox(repo, "sec-protected-link")
    try:
        with pytest.raises(SandboxError, match=r"\.venv is a symlink"):
            await sb.exec("true", timeout=30)
    finally:
        await sb.close()


async def test_container_limits_stop_huge_files_and_core_dumps(box, repo: Path) -> None:
    """Attack 13: a 60 GB sparse file (or a core dump) written into the workspace."""
    res = await box.exec(
        "truncate -s 60G big.bin; echo rc=$?; ulimit -c; ulimit -n; "
        "grep -E '^Seccomp:' /proc/self/status",
        timeout=60,
    )
    assert "rc=0" not in res.output, res.output
    assert not (repo / "big.bin").exists() or (repo / "big.bin").stat().st_size < 2**33
    lines = res.output.split()
    assert "0" in lines and "4096" in lines, res.output
    assert "Seccomp:" in res.output and "2" in lines


def test_doctor_refuses_host_network_the_user_did_not_ask_for() -> None:
    from assistant.tools.sandbox.doctor import network_check, seccomp_check

    assert not network_check("host", user_asked=False)[1]
    assert network_check("host", user_asked=True)[1]
    assert network_check("none", user_asked=False)[1]
    assert not seccomp_check("Seccomp:\t0\n")[1]


def test_a_hooks_path_from_the_users_own_git_config_file_counts(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_CONFIG_GLOBAL names the user's config, as `git commit` on the host reads it."""
    import subprocess

    from assistant.tools.sandbox.protect import hooks_entry

    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    config = tmp_path / "my-gitconfig"
    config.write_text("[core]\n\thooksPath = .githooks\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))  # ours, not the workspace's
    assert hooks_entry(repo) == ".githooks"


@pytest.mark.parametrize("exists", [True, False])
async def test_hooks_path_inside_the_workspace_is_read_only(
    docker_ready, repo: Path, exists: bool
) -> None:
    """`core.hooksPath = .githooks`: git on the host runs what the sandbox writes there."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "config", "core.hooksPath", "tools/../.githooks"], check=True
    )
    if exists:
        (repo / ".githooks").mkdir()
        (repo / ".githooks" / "pre-commit").write_text("#!/bin/sh\nexit 0\n")
    sb = DockerSandbox(repo, "sec-hooks-path")
    try:
        res = await sb.exec(
            "mkdir -p .githooks; echo 'touch /tmp/x' > .githooks/pre-commit && echo WROTE; "
            "mv .githooks .old && echo MOVED; echo normal > ok.txt && echo NORMAL-OK",
            timeout=60,
        )
    finally:
        await sb.close()
    assert "WROTE" not in res.output and "MOVED" not in res.output, res.output
    assert "NORMAL-OK" in res.output, res.output
    if exists:
        assert (repo / ".githooks" / "pre-commit").read_text() == "#!/bin/sh\nexit 0\n"
    else:
        assert not (repo / ".githooks").exists()  # the placeholder is gone again


async def test_workspace_holding_home_or_user_config_is_refused(
    docker_ready, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from ~ (or above it), commands could rewrite ~/.bashrc, ~/.ssh and the
    user's own config, which says what they allowed: the sandbox refuses to start."""
    from assistant.tools.sandbox.base import SandboxError

    home = tmp_path / "home" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "cfg" / "config.toml"))
    for ws, left in ((home, []), (tmp_path / "home", ["me"])):
        sb = DockerSandbox(ws, "sec-home")
        try:
            with pytest.raises(SandboxError, match="holds your home directory"):
                await sb.exec("echo evil >> .bashrc", timeout=30)
        finally:
            await sb.close()
        assert sorted(p.name for p in ws.iterdir()) == left  # no .bashrc, no placeholders
    project = tmp_path / "proj"
    (project / ".config").mkdir(parents=True)
    monkeypatch.setenv("ASSISTANT_CONFIG", str(project / ".config" / "config.toml"))
    sb = DockerSandbox(project, "sec-home")
    try:
        with pytest.raises(SandboxError, match="holds your assistant config"):
            await sb.exec("true", timeout=30)
    finally:
        await sb.close()
    assert sorted(p.name for p in project.iterdir()) == [".config"]  # no placeholders left


async def test_virtualenvs_under_any_name_are_read_only(docker_ready, repo: Path) -> None:
    """`venv/` (or `env/`) is run by the host once activated, like `.venv/`; so are
    direnv's `.direnv/` and Jujutsu's `.jj/`."""
    (repo / "venv" / "bin").mkdir(parents=True)
    (repo / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (repo / "venv" / "bin" / "python").write_text("#!/bin/sh\n")
    (repo / ".direnv" / "python-3.11" / "bin").mkdir(parents=True)
    (repo / ".jj" / "repo").mkdir(parents=True)
    (repo / "src").mkdir()  # an ordinary directory stays writable
    sb = DockerSandbox(repo, "sec-venv-names")
    try:
        res = await sb.exec(
            "echo evil > venv/bin/python && echo WROTE-VENV; "
            "echo evil > venv/bin/git && echo WROTE-GIT; mv venv v2 && echo MOVED; "
            "echo evil > .direnv/python-3.11/bin/git && echo WROTE-DIRENV; "
            "echo '[ui]' > .jj/repo/config.toml && echo WROTE-JJ; "
            "echo ok > src/a.py && echo NORMAL-OK",
            timeout=60,
        )
    finally:
        await sb.close()
    assert "WROTE" not in res.output and "MOVED" not in res.output, res.output
    assert "NORMAL-OK" in res.output, res.output
    assert (repo / "venv" / "bin" / "python").read_text() == "#!/bin/sh\n"


async def test_build_tool_configs_that_name_programs_are_read_only(
    docker_ready, repo: Path
) -> None:
    """Cargo's runner, yarn's yarnPath, pnpm's hooks and Maven's wrapper run on the host
    with an ordinary `cargo`, `yarn`, `pnpm` or `mvn` there."""
    (repo / ".cargo").mkdir()
    (repo / ".cargo" / "config.toml").write_text("")
    (repo / ".mvn" / "wrapper").mkdir(parents=True)
    (repo / ".mvn" / "wrapper" / "maven-wrapper.properties").write_text("")
    for name in (".yarnrc.yml", ".yarnrc", ".pnpmfile.cjs"):
        (repo / name).write_text("")
    sb = DockerSandbox(repo, "sec-build-configs")
    try:
        res = await sb.exec(
            "echo '[target.x86_64-unknown-linux-gnu]' > .cargo/config.toml && echo WROTE-CARGO; "
            "echo 'yarnPath: evil.cjs' > .yarnrc.yml && echo WROTE-YARN; "
            "echo 'yarn-path evil.js' > .yarnrc && echo WROTE-YARN1; "
            "echo 'module.exports={}' > .pnpmfile.cjs && echo WROTE-PNPM; "
            "echo 'distributionUrl=x' > .mvn/wrapper/maven-wrapper.properties && echo WROTE-MVN; "
            "echo ok > a.py && echo NORMAL-OK",
            timeout=60,
        )
    finally:
        await sb.close()
    assert "WROTE" not in res.output, res.output
    assert "NORMAL-OK" in res.output, res.output
    assert (repo / ".cargo" / "config.toml").read_text() == ""


async def test_a_planted_repository_cannot_take_the_root_and_is_named_elsewhere(
    docker_ready, repo: Path
) -> None:
    """Attack: HEAD, objects/, refs/ and a config naming a pager written into the
    workspace make git on the host (`git branch` there) run that pager."""
    (repo / "vendor" / "lib").mkdir(parents=True)  # a nested repository already there
    (repo / "vendor" / "lib" / ".git" / "objects").mkdir(parents=True)
    (repo / "vendor" / "lib" / ".git" / "refs").mkdir()
    (repo / "vendor" / "lib" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    sb = DockerSandbox(repo, "sec-bare-repo")
    try:
        root = await sb.exec(PLANT_REPO.format(d="."), timeout=60)
        calm = await sb.exec("echo ok > a.py", timeout=60)
        sub = await sb.exec(PLANT_REPO.format(d="docs"), timeout=60)
        nested = await sb.exec(PLANT_REPO.format(d="src/.git"), timeout=60)
        assert host_git_dir(repo) is None  # still no repository at the root
    finally:
        await sb.close()
    assert "PLANTED-." not in root.output and "sandbox warning" not in root.output, root.output
    assert "sandbox warning" not in calm.output, calm.output
    assert "PLANTED-docs" in sub.output, sub.output
    assert "sandbox warning" in sub.output and " at docs " in sub.output, sub.output
    assert "vendor" not in sub.output, sub.output
    assert "safe.bareRepository" in sub.output, "a bare one: the setting makes git refuse it"
    assert " at src/.git " in nested.output, nested.output
    assert "safe.bareRepository" not in nested.output, "it does nothing for a nested .git"
    assert host_git_dir(repo) is None
    assert not (repo / "HEAD").exists()  # the placeholder is gone with the sandbox
