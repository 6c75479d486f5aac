"""Build the sandbox image ``assistant-sandbox:<version>``.

Two ways, same result:

* ``build(offline=False)``: ``docker build`` from the packaged ``Dockerfile``; needs a
  reachable registry for the base image.
* ``build(offline=True)``: ``debootstrap`` a minimal Debian bookworm from the Debian mirror
  already configured for apt, tar it and ``docker import`` it.  No registry needed; this is
  how CI gets its image.  The rootfs tarball is cached so a rebuild takes seconds.

Run ``python -m assistant.tools.sandbox.image --help``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant import __version__
from assistant.tools.hostpath import host_env, host_which
from assistant.tools.sandbox.base import SandboxError

IMAGE_REPO = "assistant-sandbox"
IMAGE = f"{IMAGE_REPO}:{__version__}"
SUITE = "bookworm"
PACKAGES = ("python3", "git", "ca-certificates", "ripgrep", "procps")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
DOCKERFILE = Path(__file__).with_name("Dockerfile")
# Directories the container mounts tmpfs on; created in the image so a read-only root works.
MOUNTPOINTS = ("workspace", "home/sandbox", "run/sandbox")
IMPORT_CHANGES = (
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    "WORKDIR /workspace",
    'CMD ["bash"]',
)

Progress = Callable[[str], None]


def _say(msg: str) -> None:
    print(f"[sandbox-image] {msg}", file=sys.stderr, flush=True)


def recipe_hash() -> str:
    """Changes whenever the offline recipe changes, so a stale cached rootfs is not reused."""
    text = "|".join([SUITE, *PACKAGES, *MOUNTPOINTS, *IMPORT_CHANGES])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def cache_dir() -> Path:
    env = os.environ.get("ASSISTANT_SANDBOX_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("assistant")) / "sandbox"


def debian_mirror(apt_dir: Path = Path("/etc/apt")) -> str:
    """The Debian mirror apt already uses (``sources.list`` or deb822 ``.sources``)."""
    candidates: list[str] = []
    files = [apt_dir / "sources.list"]
    d = apt_dir / "sources.list.d"
    if d.is_dir():
        files += sorted(p for p in d.iterdir() if p.suffix in (".list", ".sources"))
    for f in files:
        try:
            text = f.read_text()
        except OSError:
            continue
        if f.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(
                    (m.group(1).lower(), m.group(2).strip())
                    for m in re.finditer(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.M)
                )
                if fields.get("enabled", "yes").lower() == "no":
                    continue
                suites = fields.get("suites", "").split()
                if SUITE in suites and "main" in fields.get("components", "").split():
                    candidates += fields.get("uris", "").split()
        else:
            for line in text.splitlines():
                m = re.match(r"\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)", line)
                if m and m.group(2) == SUITE and "main" in m.group(3).split():
                    candidates.append(m.group(1))
    for uri in candidates:
        if uri.startswith(("http://", "https://")) and "security" not in uri:
            return uri.rstrip("/")
    return DEFAULT_MIRROR


def docker_client():  # -> docker.DockerClient
    """A connected Docker client, or SandboxError with the fix."""
    try:
        import docker
    except ImportError as e:  # pragma: no cover - docker is a hard dependency
        raise SandboxError(
            "The `docker` Python package is missing; install it with `pip install docker`."
        ) from e
    try:
        client = docker.from_env(timeout=60)
        client.ping()
    except Exception as e:
        raise SandboxError(
            "Docker is not running; start it with `dockerd` (or `make test` does it via "
            f"scripts/setup-docker.sh), or pick another sandbox with --sandbox host ({e})."
        ) from e
    return client


def image_exists(client=None, image: str = IMAGE) -> bool:
    import docker.errors

    client = client or docker_client()
    try:
        client.images.get(image)
    except docker.errors.ImageNotFound:
        return False
    except docker.errors.APIError as e:  # "invalid reference format": a malformed name
        raise SandboxError(
            f"Docker cannot look up the sandbox image {image!r} ({e.explanation}); "
            "fix the image name (sandbox.image in your config)."
        ) from None
    return True


def _run(cmd: list[str], progress: Progress, prefix: str = "") -> None:
    """Run a command, forwarding its output lines as progress; raise SandboxError on failure."""
    exe = host_which(cmd[0], None)
    if exe is None:
        raise SandboxError(f"{cmd[0]} is not installed; install it and build the image again.")
    proc = subprocess.Popen(
        [exe, *cmd[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=host_env(None),
    )
    assert proc.stdout is not None
    tail: list[str] = []
    for line in proc.stdout:
        line = line.rstrip()
        tail = [*tail[-19:], line]
        if line.startswith(("I: Retrieving", "I: Validating", "I: Extracting")):
            continue  # too chatty; the phases below are enough
        if line:
            progress(prefix + line)
    if proc.wait() != 0:
        raise SandboxError(
            f"`{' '.join(cmd[:3])} ...` failed (exit {proc.returncode}); last output:\n"
            + "\n".join(tail)
        )


def build_rootfs(progress: Progress = _say, mirror: str | None = None) -> Path:
    """Return a cached rootfs tarball, running debootstrap when there is none."""
    out = cache_dir() / f"rootfs-{SUITE}-{recipe_hash()}.tar"
    if out.exists():
        progress(f"using cached rootfs {out}")
        return out
    if host_which("debootstrap", None) is None:
        raise SandboxError(
            "debootstrap is not installed; install it with `apt-get install -y debootstrap` "
            "(scripts/setup-docker.sh does it)."
        )
    if os.geteuid() != 0:
        raise SandboxError(
            "The offline image build runs debootstrap, which needs root; run it with sudo "
            "(e.g. `sudo scripts/setup-docker.sh`)."
        )
    mirror = mirror or debian_mirror()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rootfs-", dir=out.parent) as tmp:
        root = Path(tmp) / "root"
        progress(f"debootstrap {SUITE} from {mirror} (a few minutes the first time)")
        _run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(PACKAGES)}",
                SUITE,
                str(root),
                mirror,
            ],
            progress,
        )
        # Slim it: the package cache and lists are not needed at run time.
        for sub in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for p in (root / sub).glob("*"):
                if p.is_file():
                    p.unlink()
        for m in MOUNTPOINTS:
            (root / m).mkdir(parents=True, exist_ok=True)
        (root / "home/sandbox").chmod(0o777)
        (root / "workspace").chmod(0o777)
        progress("packing rootfs")
        part = Path(tmp) / "rootfs.tar"
        _run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(part), "."], progress)
        os.replace(part, out)
    progress(f"cached rootfs at {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


def build(
    offline: bool | None = None,
    *,
    image: str = IMAGE,
    force: bool = False,
    progress: Progress = _say,
) -> str:
    """Build the sandbox image and return its tag.

    ``offline=None`` picks: the Dockerfile when a registry answers, else debootstrap.
    """
    client = docker_client()
    if not force and image_exists(client, image):
        progress(f"{image} already present")
        return image
    if offline is None:
        offline = not _registry_reachable()
    start = time.monotonic()
    if offline:
        tarball = build_rootfs(progress)
        progress(f"docker import -> {image}")
        repo, _, tag = image.partition(":")
        try:
            client.api.import_image_from_file(
                str(tarball), repository=repo, tag=tag or "latest", changes=list(IMPORT_CHANGES)
            )
        except Exception as e:
            raise SandboxError(
                f"docker import of {tarball} failed ({e}); delete it to rebuild from scratch."
            ) from e
    else:
        progress(f"docker build {DOCKERFILE} -> {image}")
        try:
            for chunk in client.api.build(
                path=str(DOCKERFILE.parent),
                dockerfile=DOCKERFILE.name,
                tag=image,
                rm=True,
                decode=True,
            ):
                if "stream" in chunk and chunk["stream"].strip():
                    progress(chunk["stream"].rstrip())
                if "error" in chunk:
                    raise SandboxError(
                        f"docker build failed: {chunk['error'].strip()}; without registry "
                        "access use the offline build (`--offline`)."
                    )
        except SandboxError:
            raise
        except Exception as e:
            raise SandboxError(f"docker build failed ({e}); try the offline build.") from e
    if not image_exists(client, image):
        raise SandboxError(f"The build finished but {image} is not in Docker; see the log above.")
    progress(f"built {image} in {time.monotonic() - start:.1f}s")
    return image


def _registry_reachable(timeout: float = 3.0) -> bool:
    import httpx

    try:
        r = httpx.get("https://registry-1.docker.io/v2/", timeout=timeout)
    except Exception:
        return False
    return r.status_code in (200, 401)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant.tools.sandbox.image", description=__doc__)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--offline", action="store_true", help="debootstrap + docker import")
    mode.add_argument("--online", action="store_true", help="docker build from the Dockerfile")
    p.add_argument("--force", action="store_true", help="rebuild even when the image exists")
    p.add_argument("--image", default=IMAGE)
    args = p.parse_args(argv)
    offline = True if args.offline else False if args.online else None
    try:
        build(offline, image=args.image, force=args.force)
    except SandboxError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
