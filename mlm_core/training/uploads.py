"""Uploaded corpora: checked (size, UTF-8 text, enough lines), written crash-safely, removed when unused.

`save_corpus` names an upload by its content hash and writes it through a temporary name and one rename, so a
reader never sees half a corpus and a full disk is a message, not a traceback. `remove_unused_corpora` deletes the
uploads no stopped run may read again (`corpora_in_use`) and what a crash left half-written.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..errors import MLMError
from .corpus import check_text_bytes
from .run_dirs import SPEC_FILE, TMP_SUFFIX, resumable_runs, sanitize_name

SAMPLE_CORPUS = Path(__file__).parent.parent / "data" / "sample_corpus.txt"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def check_upload(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Text of an uploaded corpus file, or an MLMError that says what is wrong (size, empty, binary, encoding)."""
    if len(data) > max_bytes:
        raise MLMError(f"'{name}' is {len(data) / 1024**2:.1f} MB; the limit for uploads is "
                       f"{max_bytes / 1024**2:.0f} MB. Upload a shorter text.")
    text = check_text_bytes(data, name)
    if sum(1 for line in text.splitlines() if line.strip()) < 5:
        raise MLMError(f"'{name}' has fewer than 5 non-blank lines: give at least a few paragraphs of text.")
    return text


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[: 1 << 20]):]


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (best effort: some file systems cannot fsync a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _disk_error(err: OSError) -> MLMError:
    """A write failure in words, without the server's paths."""
    reason = err.strerror or type(err).__name__
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return MLMError(f"The server's disk is full: could not save the upload ({reason}).",
                        "Use the bundled sample corpus, or try again when space has been freed.")
    return MLMError(f"The server could not save the upload ({reason}).")


def save_corpus(text: str, root: str | Path, name: str) -> Path:
    """Write uploaded text under root, named by its content hash (a re-upload reuses the file).

    The bytes go to a temporary name, are flushed and fsynced, then renamed once, so a reader never sees half a
    corpus; a failed write (full disk, quota, permissions) leaves no file behind and raises an MLMError.
    """
    root = Path(root)
    data = text.encode("utf-8")
    path = root / f"{sanitize_name(Path(name).stem, 'corpus')}-{hashlib.sha1(data).hexdigest()[:16]}.txt"
    tmp: str | None = None
    try:
        if path.is_file():
            return path
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=f".{path.stem}-", suffix=TMP_SUFFIX)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise _disk_error(err) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _fsync_dir(root)
    return path


def corpora_in_use(models_root: str | Path) -> set[Path]:
    """The corpus files named by the saved settings of stopped runs (a resume may read them again)."""
    root, used = Path(models_root), set()
    for name in resumable_runs(root):
        try:
            cfg = json.loads((root / name / SPEC_FILE).read_text())["config"]
            used.update(Path(p).resolve() for p in [*cfg.get("corpus", []), *cfg.get("valid", [])])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return used


def remove_unused_corpora(corpora_root: str | Path, models_root: str | Path, keep=()) -> list[str]:
    """Delete the uploads in corpora_root that neither a stopped run (`corpora_in_use`) nor `keep` (a running
    job's corpora) uses, and temporary files a crash left. A finished model does not need its corpus any more:
    its training_summary.json keeps the path as a record only. Returns the names removed."""
    root = Path(corpora_root)
    if not root.is_dir():
        return []
    used = corpora_in_use(models_root) | {Path(p).resolve() for p in keep}
    removed = []
    for path in sorted(root.iterdir()):
        if path.suffix in (".txt", TMP_SUFFIX) and path.is_file() and path.resolve() not in used:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path.name)
    return removed
