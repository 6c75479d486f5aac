"""Where commands run: a Docker container per session (default), bubblewrap, or the host.

``open_sandbox(kind, workspace, session_id, **opts)`` returns a :class:`Sandbox`; nothing
starts until the first command.  There is no silent fallback: when Docker is missing the
first command raises :class:`SandboxError` naming the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from assistant.tools.sandbox.base import ExecResult, Sandbox, SandboxError

Kind = Literal["docker", "bwrap", "host"]

__all__ = ["ExecResult", "Kind", "Sandbox", "SandboxError", "open_sandbox"]


def open_sandbox(
    kind: Kind = "docker",
    workspace: str | Path = ".",
    session_id: str = "session",
    **opts: Any,
) -> Sandbox:
    """Create the sandbox for one session.

    Options (docker): image, network ("none"), memory ("512m"), cpus (1.0), pids_limit (128),
    tmp_size ("64m"), user ("uid:gid", default the host user), env (extra variables),
    max_output (bytes kept per command).  bwrap: network (False), env, max_output.
    host: env, max_output.
    """
    if kind == "docker":
        from assistant.tools.sandbox.docker import DockerSandbox

        return DockerSandbox(workspace, session_id, **opts)
    if kind == "bwrap":
        from assistant.tools.sandbox.bwrap import BwrapSandbox

        return BwrapSandbox(workspace, session_id, **opts)
    if kind == "host":
        from assistant.tools.sandbox.host import HostSandbox

        return HostSandbox(workspace, session_id, **opts)
    raise SandboxError(f"Unknown sandbox {kind!r}; use one of: docker, bwrap, host.")
