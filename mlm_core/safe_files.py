"""Crash-safe writes: a temporary name, flushed to disk, then one rename over the old file.

A training run writes checkpoints, its final model, a tokenized-data cache and uploads; a kill or a
full disk at any moment must leave either the old file or the new one, never half of one.
`fault_point` lets tests kill a real process at a named point of a save (MLM_EXPLORER_FAULT_AT).
"""
from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import numpy as np

from .errors import MLMError

ENV_FAULT_AT = "MLM_EXPLORER_FAULT_AT"


_fault_hits: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Kill this process here when MLM_EXPLORER_FAULT_AT is `name` or `name:k` (the k-th time this point is
    reached); for fault-injection tests only, a no-op otherwise."""
    wanted = os.environ.get(ENV_FAULT_AT)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _fault_hits[name] = _fault_hits.get(name, 0) + 1
    if _fault_hits[name] == (int(nth) if nth.isdigit() else 1):
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_path(path: str | Path) -> None:
    """Flush a file, or a directory entry list, to disk."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if Path(path).is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    except OSError as err:  # some file systems cannot fsync a directory; the data itself was synced
        if err.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def fsync_tree(root: str | Path) -> None:
    """fsync every file under `root`, then the directories themselves."""
    root = Path(root)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            fsync_path(path)
    for path in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        fsync_path(path)
    fsync_path(root)


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _replace_atomically(path: str | Path, write) -> None:
    """`write(file)` into a temporary name beside `path`, flush it to disk, then rename it over `path`."""
    path = Path(path)
    tmp = _tmp_name(path)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename; no partial file is ever left under either name."""
    _replace_atomically(path, lambda fh: fh.write(data))


def save_npy_atomic(path: str | Path, array: np.ndarray) -> None:
    """np.save through a temporary file and one rename."""
    _replace_atomically(path, lambda fh: np.save(fh, array))


def disk_error(err: OSError, what: str) -> MLMError:
    """A one-line message for a failed write (full disk, read-only or missing directory...)."""
    if err.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif err.errno == errno.EDQUOT:
        reason = "the disk quota is used up"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the directory is not writable"
    else:
        reason = err.strerror or type(err).__name__
    return MLMError(f"Could not {what}: {reason}.", "Free some space (or choose another directory) and try again.")
