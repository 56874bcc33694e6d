"""Run directories of the app's trainings: their names, the saved settings and owner of each run, which runs
can be resumed, and the model zip a download gets (without checkpoints or absolute server paths).
"""
from __future__ import annotations

import copy
import io
import json
import os
import re
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

from ..errors import MLMError
from ..masking.strategies import MaskingStrategy
from ..model.run_names import is_hub_id
from . import checkpoints
from .loop import CHECKPOINT_DIR, SUMMARY_FILE, TrainConfig, final_model_complete

SPEC_FILE = "app_job.json"  # how a run in the app was configured, so it can be resumed later
NOT_IN_DOWNLOAD = {CHECKPOINT_DIR, "data", "tokenizer", SPEC_FILE}
TMP_SUFFIX = ".tmp"  # a file being written (an upload); never read, never zipped, removed after a crash


def sanitize_name(name: str, default: str = "model") -> str:
    """Letters and digits of any script, '-' and '_' only (other characters become '-'), at most 60 characters:
    'ñandú-模型' stays as it is, while '/', '..' and spaces can never reach a path."""
    import unicodedata

    cleaned = re.sub(r"[^\w-]+", "-", unicodedata.normalize("NFC", (name or "").strip())).strip("-_")
    return cleaned[:60] or default


def unique_model_dir(root: str | Path, name: str) -> Path:
    """root/<sanitized name>, or with a timestamp suffix (and a counter) when that is taken."""
    root = Path(root)
    base = sanitize_name(name)
    path = root / base
    if not path.exists():
        return path
    stamped = f"{base}-{time.strftime('%Y%m%d-%H%M%S')}"
    path, k = root / stamped, 2
    while path.exists():
        path, k = root / f"{stamped}-{k}", k + 1
    return path


def _portable_path(value: str, root: Path | None) -> str:
    """A server path as a download shows it: relative to root when it lies inside, else only its file name."""
    path = Path(value).expanduser()
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix() or "."
    return path.name


def portable_summary(summary: dict, relative_to: str | Path | None = None) -> dict:
    """training_summary.json without absolute server paths (corpus, valid, out_dir, init_from when it is a path)."""
    root = Path(relative_to).expanduser().resolve() if relative_to is not None else None
    out = copy.deepcopy(summary)
    cfg = out.get("config")
    if not isinstance(cfg, dict):
        return out
    for key in ("corpus", "valid"):
        if isinstance(cfg.get(key), list):
            cfg[key] = [_portable_path(str(p), root) for p in cfg[key]]
    if isinstance(cfg.get("out_dir"), str):
        cfg["out_dir"] = _portable_path(cfg["out_dir"], root)
    init = cfg.get("init_from")
    if isinstance(init, str) and (not is_hub_id(init) or os.path.exists(init)):  # a hub id stays as it is
        cfg["init_from"] = _portable_path(init, root)
    return out


def model_zip(model_dir: str | Path, relative_to: str | Path | None = None) -> bytes:
    """A zip of a trained model's save_pretrained files (config, weights, tokenizer, summary, log);
    the checkpoint, tokenized data and app bookkeeping stay out. The summary's paths are written relative to
    `relative_to` (the app's data directory), or as bare file names where they lie outside it."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.json").exists() or not (model_dir / "model.safetensors").exists():
        raise MLMError(f"'{model_dir.name}' is not a finished model (no config.json and model.safetensors).")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(model_dir.iterdir()):
            if not path.is_file() or path.name in NOT_IN_DOWNLOAD or path.name.endswith(TMP_SUFFIX):
                continue
            arcname = f"{model_dir.name}/{path.name}"
            if path.name == SUMMARY_FILE:
                try:
                    summary = json.loads(path.read_text())
                except (OSError, ValueError):
                    continue  # unreadable: leave it out rather than ship paths unchecked
                zf.writestr(arcname, json.dumps(portable_summary(summary, relative_to), indent=2))
            else:
                zf.write(path, arcname)
    return buf.getvalue()


def config_to_json(config: TrainConfig) -> dict:
    d = asdict(config)
    d["strategy"] = asdict(config.strategy)
    return d


def config_from_json(d: dict) -> TrainConfig:
    d = dict(d)
    d["strategy"] = MaskingStrategy(**d["strategy"])
    return TrainConfig(**d)


def write_run_spec(out_dir: str | Path, label: str, config: TrainConfig, owner: str = "") -> None:
    """Save how the run was configured and who started it (the owner alone may resume it in the app)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    spec = {"label": label, "owner": owner, "config": config_to_json(config)}
    (out / SPEC_FILE).write_text(json.dumps(spec, indent=1))


def run_owner(run_dir: str | Path) -> str:
    """The owner saved with the run in run_dir ('' when none was saved or the file is unreadable)."""
    try:
        owner = json.loads((Path(run_dir) / SPEC_FILE).read_text()).get("owner", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return owner if isinstance(owner, str) else ""


def resumable_runs(models_root: str | Path, owner: str | None = None) -> list[str]:
    """Run directories stopped before the end (a checkpoint and a saved spec), newest first; with `owner`,
    only the runs that owner started (runs saved without an owner belong to nobody in the app)."""
    root = Path(models_root)
    if not root.exists():
        return []
    found = [p for p in root.iterdir()
             if (p / SPEC_FILE).exists() and not final_model_complete(p) and checkpoints.latest_step(p) is not None
             and (owner is None or run_owner(p) == owner)]
    return [p.name for p in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)]
