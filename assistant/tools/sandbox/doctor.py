"""``assistant sandbox doctor``: is the Docker sandbox usable and locked down, and does
the host's git refuse repositories a command could plant in the workspace?

``run_doctor()`` returns ``[(check, ok, detail), ...]``; each failed check's detail names
the fix.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from assistant.tools.hostpath import host_env, host_which
from assistant.tools.sandbox.base import SandboxError
from assistant.tools.sandbox.image import IMAGE

Check = tuple[str, bool, str]

_NET_PROBE = (
    'python3 -c "import socket\n'
    "try:\n socket.create_connection(('1.1.1.1', 53), 2); print('reachable')\n"
    "except OSError as e: print('blocked', e.errno)\""
)


def _limits(attrs: dict[str, Any], want_network: str) -> tuple[bool, str]:
    hc = attrs.get("HostConfig", {})
    problems = []
    if not hc.get("Memory"):
        problems.append("no memory limit")
    if not hc.get("PidsLimit") or hc["PidsLimit"] <= 0:
        problems.append("no pids limit")
    if not hc.get("ReadonlyRootfs"):
        problems.append("root filesystem writable")
    if "ALL" not in (hc.get("CapDrop") or []):
        problems.append("capabilities not dropped")
    if not any("no-new-privileges" in s for s in hc.get("SecurityOpt") or []):
        problems.append("no-new-privileges off")
    if hc.get("NetworkMode") != want_network:
        problems.append(f"network {hc.get('NetworkMode')}")
    ulimits = {u.get("Name"): u.get("Hard") for u in hc.get("Ulimits") or []}
    for name in ("core", "fsize", "nofile"):
        if name not in ulimits:
            problems.append(f"no {name} ulimit")
    detail = (
        f"memory={hc.get('Memory', 0) // 2**20}MiB pids={hc.get('PidsLimit')} "
        f"cpus={(hc.get('NanoCpus') or 0) / 1e9:g} read_only={hc.get('ReadonlyRootfs')} "
        f"cap_drop={hc.get('CapDrop')} network={hc.get('NetworkMode')}"
    )
    return not problems, detail if not problems else "; ".join(problems) + f" ({detail})"


def seccomp_check(status: str) -> Check:
    """``Seccomp: 2`` in /proc/self/status: a filter (Docker's default profile) is active."""
    for line in status.splitlines():
        if line.startswith("Seccomp:"):
            mode = line.split(":", 1)[1].strip()
            if mode == "2":
                return ("seccomp", True, "filter active")
            return (
                "seccomp",
                False,
                f"mode {mode}: no seccomp filter; do not run Docker with seccomp=unconfined",
            )
    return ("seccomp", False, "the kernel reports no seccomp status")


def apparmor_check(output: str, module: Path = Path("/sys/module/apparmor")) -> Check:
    """AppArmor confines the container where the kernel has it."""
    if not module.exists():
        return ("apparmor", True, "not available on this kernel (seccomp and caps still apply)")
    profile = next((x for x in output.splitlines() if "(" in x and ")" in x), "").strip()
    if profile and "unconfined" not in profile:
        return ("apparmor", True, profile)
    return (
        "apparmor",
        False,
        f"container runs {profile or 'unconfined'}; do not run Docker with apparmor=unconfined",
    )


def network_check(network: str, user_asked: bool) -> Check:
    if network == "none":
        return ("network mode", True, "none")
    if network == "host" and not user_asked:
        return (
            "network mode",
            False,
            "host: the sandbox would reach your machine's local services; set "
            'sandbox.network = "none", or put "host" in your own config to accept it',
        )
    return ("network mode", True, f"{network} (asked for in your own config)")


BARE_FIX = "git config --global safe.bareRepository explicit"


def host_git_check() -> Check:
    """Git on the host refuses bare repositories found by searching (git >= 2.38 with
    ``safe.bareRepository=explicit``): a sandbox command can plant one in the workspace,
    and its config (``core.fsmonitor``, ``core.pager``) would run programs on the host."""
    exe = host_which("git", None)
    if exe is None:
        return ("host git", True, "git is not installed here")
    env = {k: v for k, v in host_env(None).items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}
    try:
        version = subprocess.run(
            [exe, "version"], capture_output=True, text=True, timeout=10, env=env
        ).stdout
        setting = subprocess.run(
            [exe, "config", "--get", "safe.bareRepository"],
            capture_output=True,
            text=True,
            timeout=10,
            env=env,
            cwd="/",  # no repository's own config
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return ("host git", False, f"could not run git ({exc})")
    m = re.search(r"(\d+)\.(\d+)", version)
    shown = m.group(0) if m else version.strip() or "?"
    if m is None or (int(m.group(1)), int(m.group(2))) < (2, 38):
        return (
            "host git",
            False,
            f"git {shown} cannot refuse a repository a sandbox command plants in the "
            f"workspace (its config can run programs); upgrade to git 2.38+ and run `{BARE_FIX}`",
        )
    if setting.lower() != "explicit":
        return (
            "host git",
            False,
            "safe.bareRepository is not explicit: git here would use a repository a sandbox "
            f"command plants in the workspace (its config can run programs); run `{BARE_FIX}`",
        )
    return ("host git", True, f"git {shown}, safe.bareRepository=explicit")


async def run_doctor_async(
    image: str = IMAGE, *, user_asked_network: bool = False, **opts: Any
) -> list[Check]:
    checks = await _sandbox_checks(image, user_asked_network=user_asked_network, **opts)
    return [*checks, await asyncio.to_thread(host_git_check)]


async def _sandbox_checks(
    image: str = IMAGE, *, user_asked_network: bool = False, **opts: Any
) -> list[Check]:
    from assistant.tools.sandbox.docker import DockerSandbox
    from assistant.tools.sandbox.image import docker_client, image_exists

    checks: list[Check] = []
    try:
        client = await asyncio.to_thread(docker_client)
        version = (await asyncio.to_thread(client.version)).get("Version", "?")
        checks.append(("docker daemon", True, f"reachable, version {version}"))
    except SandboxError as e:
        return [("docker daemon", False, str(e))]
    if not await asyncio.to_thread(image_exists, client, image):
        checks.append(
            (
                "sandbox image",
                False,
                f"{image} missing; build it with `python -m assistant.tools.sandbox.image`",
            )
        )
        return checks
    checks.append(("sandbox image", True, image))
    with tempfile.TemporaryDirectory(prefix="assistant-doctor-") as ws:
        sb = DockerSandbox(ws, "doctor", image=image, **opts)
        try:
            res = await sb.exec("echo ok", timeout=60)
            ok = res.exit_code == 0 and res.output.strip() == "ok"
            checks.append(
                ("self-test exec", ok, res.output.strip()[:200] or f"exit {res.exit_code}")
            )
            attrs = await asyncio.to_thread(lambda: (sb.container.reload(), sb.container.attrs)[1])
            ok, detail = _limits(attrs, sb.network)
            checks.append(("limits applied", ok, detail))
            res = await sb.exec(
                "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; "
                "cat /proc/self/attr/current 2>/dev/null",
                timeout=30,
            )
            ok = "0000000000000000" in res.output and "NoNewPrivs:\t1" in res.output
            checks.append(("privileges dropped", ok, " ".join(res.output.split()[:4])))
            checks.append(seccomp_check(res.output))
            checks.append(apparmor_check(res.output))
            checks.append(network_check(sb.network, user_asked_network))
            if sb.network == "none":
                res = await sb.exec(_NET_PROBE, timeout=30)
                blocked = res.output.strip().startswith("blocked")
                checks.append(("network isolation", blocked, res.output.strip()[:200]))
        except SandboxError as e:
            checks.append(("self-test exec", False, str(e)))
        finally:
            await sb.close()
    return checks


def run_doctor(image: str = IMAGE, **opts: Any) -> list[Check]:
    """Synchronous wrapper (call :func:`run_doctor_async` from async code).

    ``user_asked_network=True`` only when a non-``none`` network comes from the user's
    own settings (never from an untrusted project file).
    """
    return asyncio.run(run_doctor_async(image, **opts))


if __name__ == "__main__":  # python -m assistant.tools.sandbox.doctor
    import sys

    results = run_doctor()
    for name, ok, detail in results:
        print(f"{'ok ' if ok else 'FAIL'} {name:20} {detail}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)
