"""``assistant sandbox doctor``: is the Docker sandbox usable and locked down?

``run_doctor()`` returns ``[(check, ok, detail), ...]``; each failed check's detail names
the fix.
"""

from __future__ import annotations

import asyncio
import tempfile
from typing import Any

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
    detail = (
        f"memory={hc.get('Memory', 0) // 2**20}MiB pids={hc.get('PidsLimit')} "
        f"cpus={(hc.get('NanoCpus') or 0) / 1e9:g} read_only={hc.get('ReadonlyRootfs')} "
        f"cap_drop={hc.get('CapDrop')} network={hc.get('NetworkMode')}"
    )
    return not problems, detail if not problems else "; ".join(problems) + f" ({detail})"


async def run_doctor_async(image: str = IMAGE, **opts: Any) -> list[Check]:
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
            res = await sb.exec("grep -E '^(CapEff|NoNewPrivs)' /proc/self/status", timeout=30)
            ok = "0000000000000000" in res.output and "NoNewPrivs:\t1" in res.output
            checks.append(("privileges dropped", ok, " ".join(res.output.split())))
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
    """Synchronous wrapper (call :func:`run_doctor_async` from async code)."""
    return asyncio.run(run_doctor_async(image, **opts))


if __name__ == "__main__":  # python -m assistant.tools.sandbox.doctor
    import sys

    results = run_doctor()
    for name, ok, detail in results:
        print(f"{'ok ' if ok else 'FAIL'} {name:20} {detail}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)
