"""Atomic file replacement: write a temp file beside the target, fsync it, `os.replace` it.

Used by every file format of `saving/` and by `BackupAndRestore`'s metadata (no format
involved), so it sits on a low floor beside the other plain-Python helpers.

A reader (or a crash) then sees either the complete old file or the complete new one, never a
half-written file. Temp files are named `.<target name>.<pid>.<random>.tmp` (for a target name
too long for that to fit the file system's name limit, its start plus `~<hash>` replaces the
name); ones left behind by a process that died are removed by the next save to the same target.
"""

import contextlib
import hashlib
import os
import tempfile

from ..distribution import data_parallel

_SUFFIX = ".tmp"


def _pid_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


_RANDOM = 8  # characters tempfile.mkstemp adds


def _name_max(directory):
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (AttributeError, ValueError, OSError):  # no pathconf (Windows) or unknown
        return 255


def _temp_stem(directory, base):
    """`.<base>.`, or a shortened `.<start of base>~<hash>.` if the temp name would be too long.

    The temp name `<stem><pid>.<random>.tmp` must fit the file system's name limit even when
    the target's own name almost fills it; the hash of the full name keeps shortened stems of
    different targets apart.
    """
    stem = f".{base}."
    pid_digits = max(len(str(os.getpid())), 7)  # room for any pid (Linux pid_max <= 2**22)
    extra = pid_digits + 1 + _RANDOM + len(_SUFFIX)
    limit = _name_max(directory)
    if len(os.fsencode(stem)) + extra <= limit:
        return stem
    tag = "~" + hashlib.sha1(os.fsencode(base)).hexdigest()[:8] + "."
    room = max(limit - extra - len(tag) - 1, 1)
    short = base[:room]
    while len(os.fsencode(short)) > room:  # whole characters, counted in encoded bytes
        short = short[:-1]
    return f".{short}{tag}"


def _remove_stale_temps(directory, base):
    prefix = _temp_stem(directory, base)
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(_SUFFIX)):
            continue
        parts = name[len(prefix) : -len(_SUFFIX)].split(".")
        if len(parts) != 2 or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid != os.getpid() and not _pid_alive(pid):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(directory, name))


def _fsync_path(path, directory=False):
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:
            return  # some platforms cannot open directories; the data itself is synced
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def _target_mode(filepath):
    try:
        return os.stat(filepath).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(filepath, overwrite=True):
    """Yields a temp path in the target's directory; on success it replaces `filepath`.

    Args:
        filepath: the final path.
        overwrite: if False and `filepath` exists, raise `FileExistsError` before writing.

    The temp file is flushed to disk (`fsync`) before `os.replace`, and the directory entry is
    synced after it. On any error the temp file is removed and the target is left untouched.
    """
    filepath = os.fspath(filepath)
    if not data_parallel.is_chief():  # keras.distribution: rank 0 writes, the others discard
        with tempfile.TemporaryDirectory() as scratch:
            yield os.path.join(scratch, os.path.basename(filepath))
        return
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"File {filepath!r} already exists and overwrite=False; nothing was written."
        )
    directory = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"Cannot save to {filepath!r}: the directory {directory!r} does not exist."
        )
    base = os.path.basename(filepath)
    _remove_stale_temps(directory, base)
    stem = _temp_stem(directory, base)
    fd, tmp = tempfile.mkstemp(prefix=f"{stem}{os.getpid()}.", suffix=_SUFFIX, dir=directory)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, _target_mode(filepath))
        _fsync_path(tmp)
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_path(directory, directory=True)
