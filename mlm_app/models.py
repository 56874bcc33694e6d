"""Cached model loading for the app and the registry of models trained in the app."""
from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from mlm_core.errors import BUNDLED_HINT, MLMError
from mlm_core.model.loading import (BUNDLED, LOCAL_PATHS_OFF, LoadedModel, hub_reachable, load_model,
                                    local_paths_allowed)
from mlm_core.model.precision import MODES, model_key, prepare_fast, split_key
from mlm_core.model.run_names import is_hub_id, trained_model_path, unknown_trained_model
from mlm_core.threads import threads_from_env, usable_cores

from .i18n import t

MAX_CACHED_MODELS = 4
TRAINED_PREFIX = "trained:"
HUB_CHECK_SECONDS = 60  # how long one answer of "can the hub be reached?" is trusted
HUB_CHECK_TIMEOUT = 1.0  # seconds one connection attempt may take (once per HUB_CHECK_SECONDS, for the whole server)
_hub_answer: list[tuple[float, bool]] = []  # (when, reachable): the last connection attempt
TORCH_THREADS_ENV = "MLM_EXPLORER_TORCH_THREADS"


def server_torch_threads() -> int:
    """Torch threads of one forward pass in the app (`MLM_EXPLORER_TORCH_THREADS`; default a quarter of the cores,
    at least 1). A served page is one of many at once: sessions run their passes side by side, each on its own core,
    and on the small models a pass on one thread is even faster alone than one split over two (10 against 17 ms for
    the bundled model here), while the split passes of two sessions wait on each other's threads."""
    return threads_from_env(TORCH_THREADS_ENV, usable_cores() // 4)


def _use_server_threads() -> None:
    import torch

    torch.set_num_threads(server_torch_threads())


_use_server_threads()


def app_data_dir() -> Path:
    """Where models trained in the app live (MLM_EXPLORER_DATA_DIR, default runs/app next to the app)."""
    default = Path(__file__).resolve().parents[1] / "runs" / "app"
    path = Path(os.environ.get("MLM_EXPLORER_DATA_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _models_root() -> Path:
    return app_data_dir() / "models"


def trained_models() -> list[str]:
    """Names of finished models trained in the app, newest first (only names `trained_model_dir` accepts)."""
    root = _models_root()
    if not root.exists():
        return []
    done = []
    for p in root.iterdir():
        try:
            done.append(((trained_model_path(root, p.name) / "model.safetensors").stat().st_mtime, p.name))
        except (MLMError, OSError):
            continue
    return [name for _, name in sorted(done, reverse=True)]


def trained_model_dir(name: str) -> Path:
    """The directory of the finished model `name` trained in the app: only a direct child of the models directory,
    whatever the name says ('/abs', '../x', a symlink out); every refusal is the same MLMError."""
    return trained_model_path(_models_root(), name)


def check_typed_name(name: str) -> None:
    """With local paths switched off, a typed name must be spelled as a hub id; the core decides by spelling
    alone (never by what exists on the server's disk), and so does this early check before the cache."""
    if local_paths_allowed() or name == BUNDLED:
        return
    if not is_hub_id(name):
        raise MLMError(LOCAL_PATHS_OFF, BUNDLED_HINT)


def _trained_weights_mtime(short: str) -> float:
    try:
        return (trained_model_dir(short) / "model.safetensors").stat().st_mtime
    except OSError:  # deleted since the check
        raise unknown_trained_model(short) from None


def hub_online() -> bool:
    """Whether the Hugging Face hub can be reached now, decided as `load_model` does (HF_HUB_OFFLINE, else one quick
    connection), cheaply: the environment is read every time, the connection is tried at most once per
    HUB_CHECK_SECONDS for the whole server."""
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false"):
        return False
    now = time.monotonic()
    if _hub_answer and now - _hub_answer[-1][0] < HUB_CHECK_SECONDS:
        return _hub_answer[-1][1]
    reachable = hub_reachable(timeout=HUB_CHECK_TIMEOUT)
    _hub_answer[:] = [(now, reachable)]
    return reachable


def downloaded(name: str, cache_dir: str | Path | None = None) -> bool:
    """Whether hub model `name` is in the local Hugging Face cache (its config.json is), without the network."""
    from huggingface_hub import try_to_load_from_cache

    try:
        return isinstance(try_to_load_from_cache(name, "config.json", cache_dir=cache_dir), str)
    except Exception:  # noqa: BLE001 - a name the cache cannot hold is not downloaded
        return False


def needs_network(name: str) -> bool:
    """A hub model that is not downloaded while the hub cannot be reached: picking it could only fail."""
    name = name.strip()
    if not name or name == BUNDLED or name.startswith(TRAINED_PREFIX) or not is_hub_id(name) or os.path.lexists(name):
        return False
    return not downloaded(name) and not hub_online()


def offline_message(name: str) -> str:
    """Why hub model `name` cannot load now (`needs_network`), in the session's language."""
    return t("sidebar.offline", name=name)


@st.cache_resource(max_entries=MAX_CACHED_MODELS, show_spinner=False)
def _load_cached(name: str, mtime: float) -> LoadedModel:
    if name.startswith(TRAINED_PREFIX):
        lm = load_model(str(trained_model_dir(name[len(TRAINED_PREFIX):])), allow_local=True)
        lm.name = name
        return lm
    check_typed_name(name)
    return load_model(name, allow_local=local_paths_allowed())


@st.cache_resource(max_entries=MAX_CACHED_MODELS, show_spinner=False)
def _fast_cached(name: str, mode: str, mtime: float) -> LoadedModel:
    return prepare_fast(_load_cached(name, mtime), mode)


def get_model(name: str = BUNDLED) -> LoadedModel:
    """A loaded model, shared by all sessions; at most MAX_CACHED_MODELS stay in memory (oldest evicted).

    `name` may carry a precision ('bundled (int8)', see `model_key`): the faster copy is made once and cached too.
    'trained:<name>' is only ever a model trained in the app, and typed names obey MLM_EXPLORER_ALLOW_LOCAL_PATHS;
    both are checked before the cache, so a model cached earlier is no way around them.
    Raises MLMError when the model cannot load; errors are not cached, so a retry really retries.
    """
    name, precision = split_key(name)
    mtime = 0.0
    if name.startswith(TRAINED_PREFIX):
        mtime = _trained_weights_mtime(name[len(TRAINED_PREFIX):])
    else:
        check_typed_name(name)
    if precision in MODES:
        return _fast_cached(name, precision, mtime)
    return _load_cached(name, mtime)


@st.cache_resource(max_entries=2, show_spinner=False)
def _causal_cached(name: str) -> LoadedModel:
    from mlm_core.model.causal import BUNDLED_CAUSAL, load_causal_model

    if name != BUNDLED_CAUSAL:
        check_typed_name(name)
    return load_causal_model(name, allow_local=local_paths_allowed())


def get_causal_model(name: str | None = None) -> LoadedModel:
    """The left-to-right companion ('bundled-causal' by default: the one shipped beside the bundled model, with its
    tokenizer), loaded once per server and shared by all sessions, with `get_model`'s rules for typed names.
    Raises MLMError when it cannot load; errors are not cached."""
    from mlm_core.model.causal import BUNDLED_CAUSAL

    return _causal_cached((name or BUNDLED_CAUSAL).strip())


__all__ = ["TRAINED_PREFIX", "app_data_dir", "check_typed_name", "downloaded", "get_causal_model", "get_model", "hub_online",
           "model_key", "needs_network", "offline_message", "split_key", "trained_model_dir", "trained_models"]
