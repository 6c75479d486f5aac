"""The persistent-shell protocol shared by every sandbox backend.

One long-lived ``bash`` (the *driver*) runs inside the sandbox and reads one command per
line from its stdin.  For each command it forks a subshell in its **own process group**
(``set -m``) with stdin ``/dev/null``, restores the session state (exported variables and
cwd) from a state file, ``eval``s the command, and on exit writes the new state back.  The
driver waits for the subshell and prints an end marker carrying a random per-command nonce,
the exit code, an OOM flag and the cwd::

    \\n__END_<nonce>__ <exit> <oom> <cwd>\\n

The nonce never reaches the command's process (it is unset in the subshell), so output
cannot fake the marker.  A timeout sends ``SIGUSR1`` to the driver, whose trap kills the
command's whole process group with builtins only (so it works even when a fork bomb holds
every pid); the shell itself survives.  Because the state lives in a file, a driver that dies
anyway is simply restarted by the next command.

Backends provide a :class:`Transport` (a byte stream to the driver plus ``interrupt``).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from assistant.tools.sandbox.base import ExecResult, SandboxError

DEFAULT_MAX_OUTPUT = 64 * 1024
KILL_GRACE_S = 5.0

# Every line below runs inside the sandbox.  Builtins only in the per-command path, so the
# per-command overhead is one fork.  %(state)s and %(oom)s are shell-quoted by driver_script.
_DRIVER = r"""
unset __s
exec 2>/dev/null
set -m
__D=%(state)s
__OOMF=
IFS=: read -ra __l <<< %(oom)s
for __f in "${__l[@]}"; do [[ -r $__f ]] && { __OOMF=$__f; break; }; done
__PIDD=
IFS=: read -ra __l <<< %(pids)s
for __f in "${__l[@]}"; do [[ -r $__f/pids.current ]] && { __PIDD=$__f; break; }; done
__cur=a
[[ "$__D/state.b" -nt "$__D/state.a" ]] && __cur=b
__p=
__cwdv=$PWD
__BASE=($(compgen -e))
__kill() { __int=1; if [[ -n $__p ]]; then kill -9 -- "-$__p" "$__p"; kill -9 -- "-$__p"; fi 2>/dev/null; }
trap __kill USR1
__oomc() {
  __o=0
  [[ -n $__OOMF && -r $__OOMF ]] || return 0
  local k v
  while read -r k v; do [[ $k == oom_kill ]] && __o=$v; done < "$__OOMF"
  return 0
}
__save() {
  local __v
  { export -p
    for __v in "${__BASE[@]}"; do [[ ${!__v@a} == *x* ]] || printf 'unset %%s\n' "$__v"; done
    printf '__cwd=%%q\n#ok\n' "$PWD"
  } > "$__D/state.$__nxt" 2>/dev/null
}
# Over half the pid limit used between commands (a fork bomb left in the background) and soon
# nothing can fork: kill every process but the driver and init, with builtins only.  Only
# with a pids cgroup (docker): on the host ``kill -1`` would hit all the user's processes.
__guard() {
  __gm=
  [[ -n $__PIDD ]] || return 0
  local cur max i
  read -r cur < "$__PIDD/pids.current"; read -r max < "$__PIDD/pids.max"
  [[ $max == max ]] && return 0
  (( cur > max / 2 )) || return 0
  # Killed processes count until init reaps them, and a bomb may still be forking:
  # repeat (up to ~2 s) until the count is really down, so the next command starts clean.
  for (( i = 0; i < 40; i++ )); do
    kill -9 -1 2>/dev/null; read -r cur < "$__PIDD/pids.current"; (( cur < 8 )) && break
    sleep 0.05 2>/dev/null
  done
  __gm='[sandbox: the process limit was reached; all background processes were killed]'
}
while :; do
  IFS= read -r __h || { (( $? > 128 )) && continue; break; }
  __n=${__h%%%% *}
  printf -v __c '%%b' "${__h#* }"
  __nxt=a; [[ $__cur == a ]] && __nxt=b
  : > "$__D/state.$__nxt" 2>/dev/null
  __oomc; __ob=$__o
  __guard
  printf '__BEGIN_%%s__\n' "$__n"
  [[ -n $__gm ]] && printf '%%s\n' "$__gm"
  (
    unset __n __h; set --; trap - USR1
    . "$__D/state.$__cur" 2>/dev/null
    [[ -n ${__cwd-} ]] && { cd -- "$__cwd" 2>/dev/null || true; }
    unset __cwd
    trap __save EXIT
    eval "$__c"
  ) </dev/null 2>&1 &
  __p=$!
  __int=0
  wait "$__p"; __ec=$?
  # An interrupted wait returns >128 early: wait again for the killed command's real status.
  while (( __int && __ec > 128 )); do
    __int=0; wait "$__p"; __r=$?; (( __r == 127 )) && break; __ec=$__r
  done
  __p=
  __oom=0
  if (( __ec == 137 )); then __oomc; (( __o > __ob )) && __oom=1; fi
  __l=()
  mapfile -t __l < "$__D/state.$__nxt" 2>/dev/null
  if (( ${#__l[@]} >= 2 )) && [[ ${__l[-1]} == '#ok' ]]; then
    __cur=$__nxt; eval "${__l[-2]}"; __cwdv=$__cwd; unset __cwd
  fi
  printf '\n__END_%%s__ %%d %%d %%s\n' "$__n" "$__ec" "$__oom" "$__cwdv"
done
"""


def _shq(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


LAUNCHER = '__s=$__SANDBOX_SHELL; unset __SANDBOX_SHELL; eval "$__s"'
DRIVER_ENV = "__SANDBOX_SHELL"


def driver_argv(
    state_dir: str, oom_file: str = "", pids_dir: str = ""
) -> tuple[list[str], dict[str, str]]:
    """argv and extra environment that start the driver.

    The script travels in an environment variable (unset before any command runs) so that
    ``ps`` inside the sandbox shows a short command line.
    """
    argv = ["bash", "--noprofile", "--norc", "-c", LAUNCHER, "sandbox-shell"]
    return argv, {DRIVER_ENV: driver_script(state_dir, oom_file, pids_dir)}


def driver_script(state_dir: str, oom_file: str = "", pids_dir: str = "") -> str:
    """The bash program the backend runs as ``bash --noprofile --norc -c SCRIPT``.

    ``oom_file``: ``:``-separated candidates for the cgroup file with the ``oom_kill``
    counter; the first readable one is used.  ``pids_dir``: ``:``-separated candidates for
    the pids cgroup directory (enables the fork-bomb guard; never set it for the host).
    """
    return _DRIVER % {"state": _shq(state_dir), "oom": _shq(oom_file), "pids": _shq(pids_dir)}


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def encode_command(command: str) -> str:
    """One line that the driver's ``printf %b`` turns back into ``command``."""
    if "\x00" in command:
        raise ValueError("commands cannot contain NUL bytes")
    out = []
    for ch in command:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


class Transport(Protocol):
    """A byte stream to a running driver (see :func:`driver_script`)."""

    async def write(self, data: bytes) -> None: ...

    async def read(self) -> bytes:
        """Some bytes of the driver's output; ``b""`` once it is gone."""
        ...

    async def interrupt(self) -> None:
        """Deliver SIGUSR1 to the driver (it kills the running command's process group)."""
        ...

    async def close(self) -> None: ...


class OutputCap:
    """Keeps the first and last ``limit/2`` bytes and counts what was cut in between."""

    def __init__(self, limit: int) -> None:
        self.half = max(limit // 2, 1)
        self.head = bytearray()
        self.tail = bytearray()
        self.cut = 0

    def add(self, data: bytes) -> None:
        room = self.half - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if not data:
            return
        self.tail += data
        if len(self.tail) > 2 * self.half:  # trim in batches: amortised O(1) per byte
            drop = len(self.tail) - self.half
            self.cut += drop
            del self.tail[:drop]

    @property
    def truncated(self) -> bool:
        return self.cut > 0 or len(self.tail) > self.half

    def text(self) -> str:
        tail = self.tail
        cut = self.cut
        if len(tail) > self.half:
            cut += len(tail) - self.half
            tail = tail[-self.half :]
        if not cut:
            return (self.head + tail).decode("utf-8", "replace")
        head = self.head.decode("utf-8", "replace")
        return f"{head}\n[... {cut} bytes of output cut ...]\n{tail.decode('utf-8', 'replace')}"


_END_RE = re.compile(rb"(-?\d+) (\d) ?([^\n]*)\n")


class ShellDied(Exception):
    """The driver went away (its stream ended)."""


class PersistentShell:
    """Runs commands through a driver, reconnecting (and restoring state) when it dies."""

    def __init__(
        self,
        connect: Callable[[], Awaitable[Transport]],
        *,
        max_output: int = DEFAULT_MAX_OUTPUT,
        kill_grace_s: float = KILL_GRACE_S,
        on_dead: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._connect = connect
        self._on_dead = on_dead
        self.max_output = max_output
        self.kill_grace_s = kill_grace_s
        self._t: Transport | None = None
        self._buf = bytearray()
        self._lock = asyncio.Lock()
        self.cwd: str | None = None

    async def _transport(self) -> Transport:
        if self._t is None:
            self._t = await self._connect()
            self._buf.clear()
            # Handshake: a no-op command; anything printed before it is discarded.
            res = await self._run(":", 60.0, None, handshake=True)
            if res.exit_code != 0:
                raise SandboxError(f"The sandbox shell did not start: {res.output[-500:]}")
        return self._t

    async def _drop(self) -> None:
        t, self._t = self._t, None
        if t is not None:
            with contextlib.suppress(Exception):
                await t.close()
        if self._on_dead is not None:
            await self._on_dead()

    async def exec(
        self,
        command: str,
        timeout: float = 60.0,
        on_output: Callable[[str], None] | None = None,
    ) -> ExecResult:
        async with self._lock:
            await self._transport()
            return await self._run(command, timeout, on_output)

    async def _read(self, deadline: float) -> bytes:
        assert self._t is not None
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        data = await asyncio.wait_for(self._t.read(), left)
        if not data:
            raise ShellDied
        return data

    async def _run(
        self,
        command: str,
        timeout: float,
        on_output: Callable[[str], None] | None,
        handshake: bool = False,
    ) -> ExecResult:
        assert self._t is not None
        nonce = secrets.token_hex(12)
        marker = f"\n__END_{nonce}__ ".encode()
        keep = len(marker) - 1
        cap = OutputCap(self.max_output)
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        streamed = 0
        stream_stopped = False

        def emit(data: bytes) -> None:
            nonlocal streamed, stream_stopped
            if not data or handshake:
                return
            cap.add(data)
            if on_output is None or stream_stopped:
                return
            room = cap.half - streamed
            piece = data[: max(room, 0)]
            streamed += len(piece)
            text = decoder.decode(bytes(piece))
            if len(piece) < len(data):
                stream_stopped = True
                text += decoder.decode(b"", final=True)
                text += "\n[... output truncated here; the result keeps the end ...]\n"
            if text:
                on_output(text)

        start = time.monotonic()
        deadline = start + timeout
        timed_out = False
        await self._t.write(f"{nonce} {encode_command(command)}\n".encode())
        buf = self._buf
        begin = f"__BEGIN_{nonce}__\n".encode()
        started = False
        try:
            while True:
                if not started:
                    idx = buf.find(begin)
                    if idx < 0:
                        del buf[: max(len(buf) - len(begin), 0)]  # not this command's output
                        buf += await self._read(deadline)
                        continue
                    del buf[: idx + len(begin)]
                    started = True
                idx = buf.find(marker)
                if idx >= 0:
                    m = _END_RE.match(buf, idx + len(marker))
                    if m:
                        exit_code, oom = int(m.group(1)), m.group(2) == b"1"
                        cwd = bytes(m.group(3))
                        emit(bytes(buf[:idx]))
                        buf.clear()  # late output of background jobs is not this command's
                        break
                elif len(buf) > keep:
                    emit(bytes(buf[:-keep]))
                    del buf[:-keep]
                try:
                    buf += await self._read(deadline)
                except TimeoutError:
                    if handshake:
                        raise SandboxError("The sandbox shell did not answer in time.") from None
                    if timed_out:  # the kill did not bring the driver back: start afresh
                        emit(bytes(buf))
                        await self._drop()
                        return self._result(cap, 137, start, timed_out=True, cwd=self.cwd)
                    timed_out = True
                    deadline = time.monotonic() + self.kill_grace_s
                    await self._t.interrupt()
        except ShellDied:
            emit(bytes(buf))
            buf.clear()
            await self._drop()
            if handshake:
                raise SandboxError(
                    f"The sandbox shell exited at start: {bytes(buf[-500:]).decode(errors='replace')}"
                ) from None
            cap.add(b"\n[the sandbox shell died; it restarts on the next command]\n")
            return self._result(cap, 137, start, timed_out=timed_out, cwd=self.cwd)
        except asyncio.CancelledError:
            # Ctrl-C: kill the command and resynchronise, without waiting forever.
            await asyncio.shield(self._abort(marker))
            raise
        if on_output is not None and not stream_stopped:
            tail = decoder.decode(b"", final=True)
            if tail:
                on_output(tail)
        self.cwd = cwd.decode("utf-8", "replace") or self.cwd
        return self._result(cap, exit_code, start, timed_out=timed_out, cwd=self.cwd, oom=oom)

    async def _abort(self, marker: bytes) -> None:
        try:
            assert self._t is not None
            await self._t.interrupt()
            deadline = time.monotonic() + self.kill_grace_s
            while True:
                idx = self._buf.find(marker)
                if idx >= 0 and _END_RE.match(self._buf, idx + len(marker)):
                    self._buf.clear()
                    return
                if len(self._buf) > len(marker):
                    del self._buf[: -len(marker)]
                self._buf += await self._read(deadline)
        except Exception:
            await self._drop()

    @staticmethod
    def _result(
        cap: OutputCap,
        exit_code: int,
        start: float,
        *,
        timed_out: bool,
        cwd: str | None,
        oom: bool = False,
    ) -> ExecResult:
        text = cap.text()
        if timed_out:
            text += "\n[command timed out and was killed]\n"
        if oom:
            text += "\n[command was killed: out of memory]\n"
        return ExecResult(
            exit_code=exit_code,
            output=text,
            truncated=cap.truncated,
            timed_out=timed_out,
            duration_s=time.monotonic() - start,
            cwd=cwd,
            oom_killed=oom,
        )

    async def close(self) -> None:
        t, self._t = self._t, None
        if t is not None:
            with contextlib.suppress(Exception):
                await t.close()
