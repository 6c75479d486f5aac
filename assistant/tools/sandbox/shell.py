"""The persistent-shell protocol shared by every sandbox backend.

One long-lived ``bash`` (the *driver*) runs inside the sandbox.  Its first input line is a
random per-driver **key**, read before any command exists; it never leaves the driver's
memory.  Then it reads one command per line.  For each command it prints a begin frame,
forks a child in its **own process group** (``set -m``) with stdin ``/dev/null`` that at
once ``exec``s a fresh ``bash`` (the *runner*, a new process image: the key is not in its
memory), which restores the session state (exported variables and cwd) from a state
file, ``eval``s the command, and on exit writes the new state back.  The driver waits and
prints an end frame with the exit code, an OOM flag and the cwd::

    __BEGIN_<key>_<nonce>__\n ... \n__END_<key>_<nonce>__ <exit> <oom> <cwd>\n

Only the driver can print a frame, because only it knows the key: a command that prints
fake frames, redefines helper functions (they live in its own runner) or writes a forged
state file (the driver never ``eval``s or sources it: it reads the cwd as one
NUL-terminated string) cannot fake the output or exit code of a later command.  In the
container the driver also runs from an unreadable copy of bash, which makes it
non-dumpable: other processes of the same user cannot read its memory or open its
descriptors through ``/proc``.

A timeout sends ``SIGUSR1`` to the driver, whose trap kills the command's whole process
group with builtins only (so it works even when a fork bomb holds every pid); the shell
itself survives.  Because the state lives in a file, a driver that dies anyway is simply
restarted by the next command.

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
from dataclasses import dataclass, field
from typing import Protocol

from assistant.tools.sandbox.base import ExecResult, SandboxError

DEFAULT_MAX_OUTPUT = 64 * 1024
KILL_GRACE_S = 5.0

# The runner's setup: a fresh bash per command.  The command arrives on fd 3 (a
# here-string); $1 state to load, $2 state to write, $3 names of the variables the sandbox
# started with (unset unless exported).
_RUNNER = r"""
IFS= read -r -d '' __c <&3; exec 3<&-
__c=${__c%$'\n'}
__to=$2
__BASE=($3)  # variable names: no spaces or glob characters
. "$1" 2>/dev/null
[[ -n ${__cwd-} ]] && { cd -- "$__cwd" 2>/dev/null || true; }
unset __cwd
__save() {
  local __v
  { export -p
    for __v in "${__BASE[@]}"; do [[ ${!__v@a} == *x* ]] || printf 'unset %s\n' "$__v"; done
    printf '__cwd=%q\n#ok\n' "$PWD"
  } > "$__to" 2>/dev/null
  printf '%s\0' "$PWD" > "$__to.cwd" 2>/dev/null
}
trap __save EXIT
set --
"""
# The runner's own line: its setup arrives as $4, so that the command is evaluated on line
# 1 and its errors read as ``bash -c`` prints them ("bash: line 1: x: command not found").
_RUNNER_LINE = 'eval "$4"; eval "$__c"'


# Every line below runs inside the sandbox.  Builtins only in the per-command path (plus
# the runner's exec).  %(state)s, %(oom)s, %(pids)s, %(runner)s and %(runner_line)s are
# shell-quoted.
_DRIVER = r"""
unset __s
exec 2>/dev/null
set -m
__D=%(state)s
__RUN=%(runner)s
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
__BASE="$(compgen -e)"
__BASE=${__BASE//$'
'/ }
IFS= read -r __K || exit 0
# A descriptor that never has data: ``read -t`` on it sleeps without a fork (the guard
# below runs when no process can be forked).
exec {__zz}<> <(:)
__kill() { __int=1; if [[ -n $__p ]]; then kill -9 -- "-$__p" "$__p"; kill -9 -- "-$__p"; fi 2>/dev/null; }
trap __kill USR1
__oomc() {
  __o=0
  [[ -n $__OOMF && -r $__OOMF ]] || return 0
  local k v
  while read -r k v; do [[ $k == oom_kill ]] && __o=$v; done < "$__OOMF"
  return 0
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
    read -t 0.05 -u "$__zz" 2>/dev/null  # a 50 ms sleep without forking
  done
  __gm='[sandbox: the process limit was reached; all background processes were killed]'
}
while :; do
  IFS= read -r __h || { (( $? > 128 )) && continue; break; }
  __n=${__h%%%% *}
  printf -v __c '%%b' "${__h#* }"
  __guard
  __nxt=a; [[ $__cur == a ]] && __nxt=b
  # Truncated, not removed: ``rm`` would fork, and a fork the limit refuses ends the driver.
  : > "$__D/state.$__nxt" 2>/dev/null
  : > "$__D/state.$__nxt.cwd" 2>/dev/null
  __oomc; __ob=$__o
  printf '__BEGIN_%%s_%%s__\n' "$__K" "$__n"
  [[ -n $__gm ]] && printf '%%s\n' "$__gm"
  ( exec bash --noprofile --norc -c %(runner_line)s bash "$__D/state.$__cur" "$__D/state.$__nxt" "$__BASE" "$__RUN" ) </dev/null 3<<< "$__c" 2>&1 &
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
  # The state files are written by the command's process: read, never evaluated.
  __l=()
  mapfile -t __l < "$__D/state.$__nxt" 2>/dev/null
  if (( ${#__l[@]} >= 2 )) && [[ ${__l[-1]} == '#ok' ]]; then
    __cur=$__nxt
    IFS= read -r -d '' __w < "$__D/state.$__nxt.cwd" && __cwdv=${__w//[$'\n\r']/?}
  fi
  printf '\n__END_%%s_%%s__ %%d %%d %%s\n' "$__K" "$__n" "$__ec" "$__oom" "$__cwdv"
done
"""


def _shq(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


LAUNCHER = '__s=$__SANDBOX_SHELL; unset __SANDBOX_SHELL; eval "$__s"'
# Runs the driver from a copy of bash that its own user cannot read: the kernel then marks
# the process non-dumpable, so commands (same uid, no capabilities) cannot ptrace it or
# open /proc/<driver>/mem or /fd.  Falls back to the plain launcher if the copy fails.
NODUMP_LAUNCHER = (
    '__d=$(mktemp -d /tmp/.sandbox-driver-XXXXXX) && cp /bin/bash "$__d/bash" '
    '&& chmod 0111 "$__d/bash" && exec "$__d/bash" --noprofile --norc -c '
    + _shq(LAUNCHER)
    + " sandbox-shell; "
    + LAUNCHER
)
DRIVER_ENV = "__SANDBOX_SHELL"


def driver_argv(
    state_dir: str, oom_file: str = "", pids_dir: str = "", *, nodump: bool = False
) -> tuple[list[str], dict[str, str]]:
    """argv and extra environment that start the driver.

    The script travels in an environment variable (unset before any command runs) so that
    ``ps`` inside the sandbox shows a short command line.  ``nodump``: start it from an
    unreadable copy of bash (see ``NODUMP_LAUNCHER``; for containers without
    CAP_DAC_OVERRIDE, where that makes the driver non-dumpable).
    """
    launcher = NODUMP_LAUNCHER if nodump else LAUNCHER
    argv = ["bash", "--noprofile", "--norc", "-c", launcher, "sandbox-shell"]
    return argv, {DRIVER_ENV: driver_script(state_dir, oom_file, pids_dir)}


def driver_script(state_dir: str, oom_file: str = "", pids_dir: str = "") -> str:
    """The bash program the backend runs as ``bash --noprofile --norc -c SCRIPT``.

    ``oom_file``: ``:``-separated candidates for the cgroup file with the ``oom_kill``
    counter; the first readable one is used.  ``pids_dir``: ``:``-separated candidates for
    the pids cgroup directory (enables the fork-bomb guard; never set it for the host).
    """
    return _DRIVER % {
        "state": _shq(state_dir),
        "oom": _shq(oom_file),
        "pids": _shq(pids_dir),
        "runner": _shq(_RUNNER),
        "runner_line": _shq(_RUNNER_LINE),
    }


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
    """The driver went away (its stream ended, or the shell was closed under a command)."""


@dataclass
class _Frames:
    """The begin and end markers of one command (they carry the driver's key)."""

    nonce: str
    begin: bytes
    end: bytes

    @classmethod
    def make(cls, key: str) -> _Frames:
        nonce = secrets.token_hex(12)
        return cls(
            nonce, f"__BEGIN_{key}_{nonce}__\n".encode(), f"\n__END_{key}_{nonce}__ ".encode()
        )


@dataclass
class _End:
    exit_code: int
    oom: bool
    cwd: str


@dataclass
class _Output:
    """A command's output: kept within the cap, and streamed live up to the cap's first half."""

    cap: OutputCap
    on_output: Callable[[str], None] | None
    streamed: int = 0
    stopped: bool = False
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace")
    )

    def add(self, data: bytes) -> None:
        if not data:
            return
        self.cap.add(data)
        if self.on_output is None or self.stopped:
            return
        piece = data[: max(self.cap.half - self.streamed, 0)]
        self.streamed += len(piece)
        text = self.decoder.decode(bytes(piece))
        if len(piece) < len(data):
            self.stopped = True
            text += self.decoder.decode(b"", final=True)
            text += "\n[... output truncated here; the result keeps the end ...]\n"
        if text:
            self.on_output(text)

    def finish(self) -> None:
        if self.on_output is not None and not self.stopped:
            tail = self.decoder.decode(b"", final=True)
            if tail:
                self.on_output(tail)


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
        self._key = ""
        self._buf = bytearray()
        self._lock = asyncio.Lock()
        self.cwd: str | None = None

    async def _transport(self) -> Transport:
        if self._t is None:
            self._t = await self._connect()
            self._buf.clear()
            # The key goes first, before any command can run; frames carry it from now on.
            self._key = secrets.token_hex(16)
            await self._handshake()
        return self._t

    def _live(self) -> Transport:
        """The open transport; a command still running when the shell was closed under it
        (an interrupted run closing its sandbox) sees the driver gone."""
        if self._t is None:
            raise ShellDied
        return self._t

    async def _handshake(self) -> None:
        """A no-op command; anything printed before its frames is discarded."""
        frames = _Frames.make(self._key)
        deadline = time.monotonic() + 60.0
        try:
            assert self._t is not None
            await self._write(f"{self._key}\n".encode())
            await self._send(frames, ":")
            await self._skip_to(frames.begin, deadline)
            end = await self._read_to_end(frames.end, deadline, _Output(OutputCap(4096), None))
        except ShellDied:
            with contextlib.suppress(ShellDied, TimeoutError):  # what it printed before dying
                while True:
                    self._buf += await self._read(time.monotonic() + 2.0)
            seen = bytes(self._buf[-500:]).decode(errors="replace").strip()
            await self._drop()
            raise SandboxError(
                f"The sandbox shell exited at start: {seen or 'no output'}."
            ) from None
        except TimeoutError:
            await self._drop()
            raise SandboxError("The sandbox shell did not answer in time.") from None
        if end.exit_code != 0:
            raise SandboxError(f"The sandbox shell did not start (exit {end.exit_code}).")

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

    # -- one command: send, skip to its begin frame, collect output until its end frame ----

    async def _read(self, deadline: float) -> bytes:
        t = self._live()
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        data = await asyncio.wait_for(t.read(), left)
        if not data:
            raise ShellDied
        return data

    async def _write(self, data: bytes) -> None:
        t = self._live()
        try:
            await t.write(data)
        except (ConnectionError, OSError):
            raise ShellDied from None

    async def _send(self, frames: _Frames, command: str) -> None:
        await self._write(f"{frames.nonce} {encode_command(command)}\n".encode())

    async def _skip_to(self, begin: bytes, deadline: float) -> None:
        """Drop everything up to and including ``begin`` (late output of earlier commands)."""
        buf = self._buf
        while (idx := buf.find(begin)) < 0:
            del buf[: max(len(buf) - len(begin), 0)]
            buf += await self._read(deadline)
        del buf[: idx + len(begin)]

    def _take_end(self, end: bytes, out: _Output) -> _End | None:
        """Move output before ``end`` into ``out``; the parsed end frame once it is complete."""
        buf = self._buf
        idx = buf.find(end)
        if idx < 0:
            keep = len(end) - 1  # a marker may be split across reads
            if len(buf) > keep:
                out.add(bytes(buf[:-keep]))
                del buf[:-keep]
            return None
        m = _END_RE.match(buf, idx + len(end))
        if m is None:
            return None
        done = _End(int(m.group(1)), m.group(2) == b"1", m.group(3).decode("utf-8", "replace"))
        out.add(bytes(buf[:idx]))
        buf.clear()  # late output of background jobs is not this command's
        return done

    async def _read_to_end(self, end: bytes, deadline: float, out: _Output) -> _End:
        while (done := self._take_end(end, out)) is None:
            self._buf += await self._read(deadline)
        return done

    async def _run(
        self, command: str, timeout: float, on_output: Callable[[str], None] | None
    ) -> ExecResult:
        frames = _Frames.make(self._key)
        out = _Output(OutputCap(self.max_output), on_output)
        start = time.monotonic()
        try:
            await self._send(frames, command)
            end, timed_out = await self._collect(frames, start + timeout, out)
        except ShellDied:
            out.add(bytes(self._buf))
            self._buf.clear()
            await self._drop()
            out.cap.add(b"\n[the sandbox shell died; it restarts on the next command]\n")
            return self._result(out.cap, 137, start, timed_out=False, cwd=self.cwd)
        except asyncio.CancelledError:
            # Ctrl-C: kill the command and resynchronise, without waiting forever.
            await asyncio.shield(self._abort(frames.end))
            raise
        if end is None:  # the kill did not bring the driver back: start afresh
            out.add(bytes(self._buf))
            self._buf.clear()
            await self._drop()
            return self._result(out.cap, 137, start, timed_out=True, cwd=self.cwd)
        out.finish()
        self.cwd = end.cwd or self.cwd
        return self._result(
            out.cap, end.exit_code, start, timed_out=timed_out, cwd=self.cwd, oom=end.oom
        )

    async def _collect(
        self, frames: _Frames, deadline: float, out: _Output
    ) -> tuple[_End | None, bool]:
        """(the end frame, or None when even the kill got no answer; whether it timed out).

        On the deadline the driver is told to kill the command, and gets a grace period
        to print the end frame.
        """
        started = timed_out = False
        while True:
            try:
                if not started:
                    await self._skip_to(frames.begin, deadline)
                    started = True
                return await self._read_to_end(frames.end, deadline, out), timed_out
            except TimeoutError:
                if timed_out:
                    return None, True
                timed_out = True
                await self._live().interrupt()
                deadline = time.monotonic() + self.kill_grace_s

    async def _abort(self, end: bytes) -> None:
        try:
            await self._live().interrupt()
            deadline = time.monotonic() + self.kill_grace_s
            sink = _Output(OutputCap(1), None)
            await self._read_to_end(end, deadline, sink)
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
