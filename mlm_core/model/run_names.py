"""Which names may reach the file system: models trained in the app, and typed model names on a locked-down server.

A name that comes from a URL or a text box must never pick an arbitrary server directory, and a refusal must not
say whether some path exists there: every refused trained-model name gets the same message, whatever the disk holds.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import MLMError

# What sanitize_name and unique_model_dir produce (plus '.', for models copied in by hand): no separators, no '..'.
_TRAINED_NAME = re.compile(r"^[^\W_][\w.-]{0,199}$")  # \w: letters and digits of any script, and '_
# A Hugging Face id: 'name' or 'owner/name' (the shape mlm_core.model.loading accepts), without '..' anywhere.
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")
PICK_HINT = "Pick one from the list of models trained here in the sidebar."


def _shown(name: object) -> str:
    text = str(name)
    return text if len(text) <= 80 else text[:77] + "…"


def unknown_trained_model(name: object) -> MLMError:
    """The one message for every refused trained-model name (bad, escaping, missing or unfinished)."""
    return MLMError(f"No model trained in this app is called '{_shown(name)}'.", PICK_HINT)


def is_trained_name(name: object) -> bool:
    """A plain directory name: not empty, no '/', '\\' or '..', not absolute, not hidden."""
    return isinstance(name, str) and bool(_TRAINED_NAME.match(name)) and ".." not in name


def trained_model_path(models_root: str | Path, name: object) -> Path:
    """The resolved directory of a finished model trained in the app, which must be a direct child of the
    resolved models root (a symlink that leads elsewhere is refused); `unknown_trained_model` otherwise."""
    if not is_trained_name(name):
        raise unknown_trained_model(name)
    root = Path(models_root).resolve()
    try:
        path = (root / str(name)).resolve()
        finished = path.parent == root and (path / "config.json").is_file() and (path / "model.safetensors").is_file()
    except (OSError, RuntimeError):  # unreadable, or a symlink loop
        finished = False
    if not finished:
        raise unknown_trained_model(name)
    return path


def is_hub_id(name: str) -> bool:
    """Shaped like a hub id ('bert-base-uncased', 'google/electra-small-generator'), so not a path by its spelling."""
    return bool(_HUB_ID.match(name)) and ".." not in name
