"""Checkpoint directories of a training run: written crash-safely, recovered from whatever a kill leaves.

A save writes `checkpoint.tmp/` completely (every file flushed, then a COMPLETE marker), moves the
current `checkpoint/` aside to `checkpoint.old/`, renames the new one into place and deletes the old
one. A kill can stop it between any two of those steps; `recover` looks at the three names, keeps the
newest complete checkpoint as `checkpoint/` and removes the rest, so `--resume` always finds it.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import torch

from ..safe_files import fault_point, fsync_path, fsync_tree, write_bytes_atomic

CHECKPOINT_DIR = "checkpoint"
STATE_FILE = "training_state.pt"
COMPLETE = "COMPLETE"
TMP_SUFFIX, OLD_SUFFIX = ".tmp", ".old"


def _state_step(path: Path) -> int | None:
    """The step a checkpoint directory holds, or None when it is not complete."""
    if not (path / "model.safetensors").is_file() or not (path / STATE_FILE).is_file():
        return None
    marker = path / COMPLETE
    if marker.is_file():
        try:
            return int(marker.read_text().strip())
        except ValueError:
            return None
    try:  # a checkpoint written before markers existed: complete if its state loads
        return int(torch.load(path / STATE_FILE, weights_only=True)["step"])
    except Exception:  # noqa: BLE001 - truncated or corrupt: not a usable checkpoint
        return None


def _names(out: Path) -> list[Path]:
    """The directory names a save uses, the final one first."""
    return [out / (CHECKPOINT_DIR + suffix) for suffix in ("", TMP_SUFFIX, OLD_SUFFIX)]


def recover(out: str | Path) -> Path | None:
    """Make `out/checkpoint` the newest complete checkpoint among the names a save uses; None if none is."""
    out = Path(out)
    names = _names(out)
    steps = {p: _state_step(p) for p in names if p.is_dir()}
    complete = {p: s for p, s in steps.items() if s is not None}
    final = out / CHECKPOINT_DIR
    if not complete:
        for p in steps:
            if p != final:
                shutil.rmtree(p, ignore_errors=True)
        return None
    best = max(complete, key=lambda p: (complete[p], p == final))
    if best != final:
        if final.exists():
            shutil.rmtree(final)
        best.rename(final)
        fsync_path(out)
    for p in names:
        if p != final and p.exists():
            shutil.rmtree(p, ignore_errors=True)
    return final


def latest_step(out: str | Path) -> int | None:
    """Step of the checkpoint `recover` would pick (read-only: nothing is renamed)."""
    found = [s for s in (_state_step(p) for p in _names(Path(out)) if p.is_dir()) if s is not None]
    return max(found) if found else None


def save(out: str | Path, step: int, write: Callable[[Path], None]) -> Path:
    """Write a checkpoint with `write(directory)` and put it in place crash-safely (see module docstring)."""
    out = Path(out)
    recover(out)  # a leftover checkpoint.old from an earlier kill would block the rename below
    tmp = out / (CHECKPOINT_DIR + TMP_SUFFIX)
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        write(tmp)
        fault_point("checkpoint-written")
        fsync_tree(tmp)
        write_bytes_atomic(tmp / COMPLETE, str(step).encode())
        final, old = out / CHECKPOINT_DIR, out / (CHECKPOINT_DIR + OLD_SUFFIX)
        if final.exists():
            final.rename(old)
            fault_point("checkpoint-moved-aside")
        tmp.rename(final)
        fsync_path(out)
        fault_point("checkpoint-renamed")
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        recover(out)  # put the previous checkpoint back in place if it had been moved aside
        raise
    return out / CHECKPOINT_DIR
