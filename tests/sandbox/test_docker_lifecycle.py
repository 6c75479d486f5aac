"""Container lifecycle against the real daemon: orphans, concurrency, ownership, errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from assistant.tools.sandbox import SandboxError, open_sandbox
from tests.sandbox.conftest import sandbox_containers

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


async def test_sigkilled_owner_is_reaped_on_next_start(docker_ready, tmp_path):
    child = textwrap.dedent(
        f"""
        import asyncio, sys, time
        from assistant.tools.sandbox import open_sandbox
        async def main():
            sb = open_sandbox("docker", {str(tmp_path)!r}, "orphan-test")
            await sb.exec("echo up", timeout=60)
            print(sb.container.id, flush=True)
            time.sleep(600)
        asyncio.run(main())
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", child], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        cid = proc.stdout.readline().strip()
        assert cid, "child did not start a sandbox"
        assert docker_ready.containers.get(cid).status == "running"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # The orphan outlives its owner (no atexit ran) ...
    assert [c.id for c in sandbox_containers(docker_ready, "orphan-test")] == [cid]
    sb = open_sandbox("docker", tmp_path, "reaper")
    try:
        await sb.exec("echo start", timeout=60)
        # ... and the next sandbox start removes it.
        assert sandbox_containers(docker_ready, "orphan-test") == []
        assert len(sandbox_containers(docker_ready, "reaper")) == 1
    finally:
        await sb.close()
    assert sandbox_containers(docker_ready, "reaper") == []


async def test_closing_one_session_leaves_the_other(docker_ready, tmp_path):
    a = open_sandbox("docker", tmp_path, "session-a")
    b = open_sandbox("docker", tmp_path, "session-b")
    try:
        ra, rb = await a.exec("echo a", timeout=60), await b.exec("echo b", timeout=60)
        assert (ra.output, rb.output) == ("a\n", "b\n")
        assert a.container.id != b.container.id
        await a.close()
        assert sandbox_containers(docker_ready, "session-a") == []
        res = await b.exec("echo still-here", timeout=30)
        assert res.output == "still-here\n"
        assert docker_ready.containers.get(b.container.id).status == "running"
    finally:
        await a.close()
        await b.close()


async def test_uid_override_owns_created_files(docker_ready, tmp_path):
    tmp_path.chmod(0o777)
    sb = open_sandbox("docker", tmp_path, "uid-test", user="1000:1000")
    try:
        res = await sb.exec("id -u; id -g; echo hi > made.txt; echo $HOME; touch ~/x", timeout=60)
        assert res.exit_code == 0, res.output
        assert res.output.splitlines()[:3] == ["1000", "1000", "/home/sandbox"]
    finally:
        await sb.close()
    st = (tmp_path / "made.txt").stat()
    assert (st.st_uid, st.st_gid) == (1000, 1000)


async def test_labels_and_limits(docker_ready, tmp_path):
    sb = open_sandbox("docker", tmp_path, "labels", memory="256m", pids_limit=64, cpus=0.5)
    try:
        await sb.exec(":", timeout=60)
        sb.container.reload()
        labels, hc = sb.container.labels, sb.container.attrs["HostConfig"]
        assert labels["assistant.session"] == "labels"
        assert labels["assistant.owner_pid"] == str(os.getpid())
        assert labels["assistant.owner_host"]
        assert hc["Memory"] == hc["MemorySwap"] == 256 * 2**20
        assert hc["PidsLimit"] == 64 and hc["NanoCpus"] == 500_000_000
        assert hc["ReadonlyRootfs"] and hc["CapDrop"] == ["ALL"] and hc["Init"]
        assert hc["NetworkMode"] == "none"
        assert hc["LogConfig"]["Type"] == "none"
        assert not any("docker.sock" in m.get("Source", "") for m in sb.container.attrs["Mounts"])
    finally:
        await sb.close()


async def test_network_is_configurable(docker_ready, tmp_path):
    sb = open_sandbox("docker", tmp_path, "net", network="bridge")
    try:
        res = await sb.exec("grep -v '^Iface' /proc/net/route | wc -l", timeout=60)
        assert int(res.output) >= 1
    finally:
        await sb.close()


async def test_workspace_path_with_colon_and_comma(docker_ready, tmp_path):
    """A ':' in the workspace path used to break Docker's "host:container:mode" bind."""
    ws = tmp_path / "proj:v2, copy"
    ws.mkdir()
    (ws / "a.txt").write_text("hello\n")
    sb = open_sandbox("docker", ws, "colon-path")
    try:
        res = await sb.exec("cat a.txt && echo made > b.txt && touch .git/x", timeout=60)
    finally:
        await sb.close()
    assert res.output.startswith("hello\n"), res.output
    assert "Read-only file system" in res.output, res.output
    assert (ws / "b.txt").read_text() == "made\n"


async def test_cancel_during_container_start_leaves_no_container(docker_ready, tmp_path):
    """Ctrl-C while the container starts (in a thread) must not leave it running."""
    import asyncio

    from assistant.tools.sandbox import docker as docker_sandbox

    sb = open_sandbox("docker", tmp_path, "cancel-start")
    task = asyncio.create_task(sb.exec("echo hi", timeout=60))
    for _ in range(2000):  # until the thread has created the container, before it starts it
        if any(s == "cancel-start" for s in docker_sandbox._live.values()):
            break
        await asyncio.sleep(0.005)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    res = await sb.exec("echo again", timeout=60)
    assert res.output.strip() == "again", res.output
    await sb.close()
    assert sandbox_containers(docker_ready, "cancel-start") == []


async def test_failed_start_leaves_no_placeholders(docker_ready, tmp_path):
    """A start that fails (here: no such network) leaves the workspace as it found it,
    even when the caller never gets to close() the sandbox."""
    (tmp_path / "a.txt").write_text("x\n")
    sb = open_sandbox("docker", tmp_path, "bad-network", network="no-such-network")
    with pytest.raises(SandboxError, match="network no-such-network not found"):
        await sb.exec("true", timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert sandbox_containers(docker_ready, "bad-network") == []
    await sb.close()


async def test_a_container_docker_will_not_remove_keeps_its_read_only_covers(
    docker_ready, tmp_path
):
    """Deleting a placeholder a running container has mounted would unmount its cover."""
    import docker.errors

    (tmp_path / "a.txt").write_text("x\n")
    sb = open_sandbox("docker", tmp_path, "unremovable")
    await sb.exec("true", timeout=60)
    covers = sorted(p.name for p in tmp_path.iterdir() if p.name != "a.txt")
    assert ".git" in covers
    ctr = sb.container
    remove = ctr.remove

    def refuse(**_: object) -> None:  # the daemon refusing, as when it is shutting down
        raise docker.errors.APIError("refused")

    ctr.remove = refuse
    await sb._remove()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "a.txt") == covers
    assert sandbox_containers(docker_ready, "unremovable"), "still there"
    ctr.remove = remove
    await sb.close()  # tries again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert sandbox_containers(docker_ready, "unremovable") == []


async def test_missing_image_is_a_clear_error(docker_ready, tmp_path):
    sb = open_sandbox("docker", tmp_path, "noimage", image="assistant-sandbox:does-not-exist")
    with pytest.raises(SandboxError, match=r"image .* is missing; build it"):
        await sb.exec("true")
    await sb.close()


async def test_malformed_image_name_is_a_clear_error(docker_ready, tmp_path):
    sb = open_sandbox("docker", tmp_path, "badimage", image="My Image:Latest")
    with pytest.raises(SandboxError, match=r"image 'My Image:Latest' .*fix the image name"):
        await sb.exec("true")
    await sb.close()


async def test_docker_not_running_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    sb = open_sandbox("docker", tmp_path, "nodocker")
    t = time.monotonic()
    with pytest.raises(SandboxError, match="Docker is not running; start it with `dockerd`"):
        await sb.exec("true")
    assert time.monotonic() - t < 30
    await sb.close()


def test_reaping_survives_containers_removed_meanwhile(docker_ready):
    """Another session removing its container while this one lists them is not an error."""
    import threading

    from assistant.tools.sandbox.docker import LABEL, reap_orphans

    image = docker_ready.images.list(name="assistant-sandbox")[0]
    labels = {LABEL: "1", "assistant.owner_host": "elsewhere"}  # never reaped by us
    made = [docker_ready.containers.create(image.id, "true", labels=labels) for _ in range(12)]
    failures: list[BaseException] = []

    def reap() -> None:
        try:
            for _ in range(20):
                reap_orphans(docker_ready)
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=reap)
    thread.start()
    for container in made:
        container.remove(force=True)
    thread.join()

    assert failures == []
