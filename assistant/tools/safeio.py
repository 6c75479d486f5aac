"""File access by a resolved real path that a concurrent symlink swap cannot redirect.

``resolve_in_workspace`` checks a path once; a command in the sandbox can then swap a
directory on that path for a symlink (``renameat2`` exchange in a loop) before the host
opens it by name.  These functions walk the real path from ``/`` one component at a time,
each opened relative to its parent's descriptor with ``O_NOFOLLOW``, and do the final
open, temporary file, rename or unlink through the parent's descriptor.  A real path has
no symlinks, so meeting one means the tree changed underneath: :class:`UnsafePath`.

Reads refuse anything but regular files (a FIFO would block, a device never ends) and
read at most ``limit`` bytes (a sparse 60 GB file must not fill the host's memory).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafePath(OSError):
    """A component of the path is (now) a symlink or not a directory."""


class NotRegularFile(OSError):
    """The path is a FIFO, socket, device or directory."""


def _unsafe(path: Path) -> UnsafePath:
    return UnsafePath(
        errno.ELOOP, f"{path} changed while being opened (a directory became a symlink)"
    )


def _refused(name: str, fd: int, path: Path) -> OSError:
    """Why the component ``name`` (in ``fd``) of ``path`` could not be opened as a
    directory: a plain file there is a wrong path, anything else (a symlink) unsafe."""
    with contextlib.suppress(OSError):
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISLNK(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            return NotADirectoryError(errno.ENOTDIR, f"{name} is a file, not a folder")
    return _unsafe(path)


@contextlib.contextmanager
def parent_dir(path: Path, *, create: bool = False) -> Iterator[int]:
    """A descriptor of ``path``'s parent directory, reached without following symlinks."""
    if not path.is_absolute():
        raise ValueError(f"{path} is not absolute")
    fd = os.open("/", _DIR_FLAGS)
    try:
        for name in path.parts[1:-1]:
            try:
                nfd = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o777, dir_fd=fd)
                nfd = _open_dir(name, fd, path)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise _refused(name, fd, path) from None
                raise
            os.close(fd)
            fd = nfd
        yield fd
    finally:
        os.close(fd)


def _open_dir(name: str, fd: int, path: Path) -> int:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise _refused(name, fd, path) from None
        raise


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """(at most ``limit`` bytes of the regular file at ``path``, its full size)."""
    with parent_dir(path) as dfd:
        try:
            fd = os.open(
                path.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd
            )
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _unsafe(path) from None
            raise
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, f"{path} is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, f"{path} is not a regular file")
        chunks: list[bytes] = []
        left = limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), st.st_size
    finally:
        os.close(fd)


def list_dir(path: Path) -> list[tuple[str, bool]]:
    """(name, is a directory) of each entry of the directory ``path``, sorted by name;
    symlinks are entries, never followed, and neither is one swapped in on the way."""
    with parent_dir(path) as dfd:
        fd = _open_dir(path.name, dfd, path)
    try:
        with os.scandir(fd) as it:
            return sorted((e.name, e.is_dir(follow_symlinks=False)) for e in it)
    finally:
        os.close(fd)


def lstat(path: Path) -> os.stat_result | None:
    """``lstat`` of ``path`` through safe parents; None when it does not exist."""
    try:
        with parent_dir(path) as dfd:
            return os.stat(path.name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file and a rename in the same directory.

    Creates missing parents, keeps the permission bits of a file it replaces.
    """
    with parent_dir(path, create=True) as dfd:
        mode: int | None = None
        with contextlib.suppress(FileNotFoundError):
            st = os.stat(path.name, dir_fd=dfd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise _unsafe(path)
            mode = stat.S_IMODE(st.st_mode)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        tmp = f".{path.name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
            dir_fd=dfd,
        )  # fmt: skip
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fchmod(fd, mode)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path.name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=dfd)
            raise


def unlink(path: Path) -> None:
    with parent_dir(path) as dfd:
        os.unlink(path.name, dir_fd=dfd)
