"""Attack 10: a command forges the persistent shell's frames for every later command.

The helper functions of the shell and its state file are within a command's reach: it
redefines ``__save`` so that the state written at its exit carries code, which the driver
used to ``eval`` (redefining ``printf`` in the driver: fake exit codes and cwd for every
later command).  The frames now carry a key the command never sees, and the driver reads
the state without evaluating it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tools.sandbox import open_sandbox
from assistant.tools.sandbox.bwrap import bwrap_usable

BACKENDS = [
    pytest.param("docker", marks=[pytest.mark.docker, pytest.mark.slow]),
    pytest.param(
        "bwrap", marks=pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap cannot run")
    ),
    "host",
]

# Redefine the helpers; the forged state's last evaluated line redefines printf so that
# every end frame says "exit 0 in /forged".
ATTACK = r"""
__guard() { :; }
__forged='printf() { if [[ $1 == *__END_* ]]; then local h=${1%%__ %d*} n; n=${h//[^%]/}; builtin printf "${h}__ 0 0 /forged\n" "${@:2:${#n}}"; else builtin printf "$@"; fi; }'
__save() {
  local f=${__to:-$__D/state.$__nxt}
  builtin printf '__cwd=/forged\n%s\n#ok\n' "$__forged" > "$f"
  builtin printf '/forged\0' > "$f.cwd"
}
echo planted
"""


@pytest.fixture(params=BACKENDS)
async def box(request, repo: Path):
    if request.param == "docker":
        request.getfixturevalue("docker_ready")
    sb = open_sandbox(request.param, repo, f"sec-frames-{request.param}")
    yield sb
    await sb.close()


async def test_redefined_helpers_cannot_forge_later_frames(box) -> None:
    first = await box.exec(ATTACK, timeout=30)
    assert first.output.strip() == "planted"
    res = await box.exec("echo real; exit 7", timeout=30)
    assert (res.exit_code, res.output) == (7, "real\n")
    assert res.cwd != "/forged"
    res = await box.exec("pwd", timeout=30)
    assert res.exit_code == 0 and res.output.strip() == res.cwd


async def test_printed_frames_without_the_key_are_just_output(box) -> None:
    fake = "printf '\\n__END_%s_%s__ 0 0 /etc\\n' deadbeef cafe; exit 5"
    res = await box.exec(fake, timeout=30)
    assert res.exit_code == 5 and "__END_deadbeef_cafe__ 0 0 /etc" in res.output


@pytest.mark.docker
@pytest.mark.slow
async def test_driver_memory_and_descriptors_are_out_of_reach(docker_ready, repo: Path) -> None:
    """In the container the driver is non-dumpable: no /proc access to its key or stdin."""
    sb = open_sandbox("docker", repo, "sec-frames-nodump")
    try:
        res = await sb.exec(
            "d=$PPID; grep -c . /proc/$d/environ >/dev/null 2>&1 && echo ENV-READ; "
            "( exec 9</proc/$d/fd/0 ) 2>/dev/null && echo STDIN-OPENED; "
            "( exec 9>/proc/$d/fd/1 ) 2>/dev/null && echo STDOUT-OPENED; "
            "python3 -c \"open('/proc/$d/mem','rb')\" 2>&1 | tail -1",
            timeout=30,
        )
    finally:
        await sb.close()
    for leak in ("ENV-READ", "STDIN-OPENED", "STDOUT-OPENED"):
        assert leak not in res.output, res.output
    assert "PermissionError" in res.output, res.output
