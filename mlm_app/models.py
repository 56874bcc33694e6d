"""Cached model loading for the app and the registry of models trained in the app."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from mlm_core.fast_modes import MODES, prepare_fast
from mlm_core.loading import BUNDLED, LoadedModel, load_model

MAX_CACHED_MODELS = 4
TRAINED_PREFIX = "trained:"


def app_data_dir() -> Path:
    """Where models trained in the app live (MLM_EXPLORER_DATA_DIR, default runs/app next to the app)."""
    default = Path(__file__).resolve().parents[1] / "runs" / "app"
    path = Path(os.environ.get("MLM_EXPLORER_DATA_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def trained_models() -> list[str]:
    """Names of finished models trained in the app, newest first."""
    root = app_data_dir() / "models"
    if not root.exists():
        return []
    done = [p for p in root.iterdir() if (p / "config.json").exists() and (p / "model.safetensors").exists()]
    return [p.name for p in sorted(done, key=lambda p: p.stat().st_mtime, reverse=True)]


def trained_model_dir(name: str) -> Path:
    return app_data_dir() / "models" / name


@st.cache_resource(max_entries=MAX_CACHED_MODELS, show_spinner=False)
def _load_cached(name: str, mtime: float) -> LoadedModel:
    if name.startswith(TRAINED_PREFIX):
        lm = load_model(str(trained_model_dir(name[len(TRAINED_PREFIX):])), allow_local=True)
        lm.name = name
        return lm
    return load_model(name)


@st.cache_resource(max_entries=MAX_CACHED_MODELS, show_spinner=False)
def _fast_cached(name: str, mode: str, mtime: float) -> LoadedModel:
    return prepare_fast(_load_cached(name, mtime), mode)


def model_key(name: str, precision: str = "fp32") -> str:
    """The name pages pass around for a model at a precision: 'bundled', or 'bundled (bf16)' as prepare_fast names it."""
    return name if precision not in MODES else f"{name} ({precision})"


def split_key(key: str) -> tuple[str, str]:
    """(model name, precision) of a `model_key`."""
    for mode in MODES:
        if key.endswith(f" ({mode})"):
            return key[: -len(mode) - 3], mode
    return key, "fp32"


def get_model(name: str = BUNDLED) -> LoadedModel:
    """A loaded model, shared by all sessions; at most MAX_CACHED_MODELS stay in memory (oldest evicted).

    `name` may carry a precision ('bundled (int8)', see `model_key`): the faster copy is made once and cached too.
    Raises MLMError when the model cannot load; errors are not cached, so a retry really retries.
    """
    name, precision = split_key(name)
    mtime = 0.0
    if name.startswith(TRAINED_PREFIX):
        weights = trained_model_dir(name[len(TRAINED_PREFIX):]) / "model.safetensors"
        mtime = weights.stat().st_mtime if weights.exists() else 0.0
    if precision in MODES:
        return _fast_cached(name, precision, mtime)
    return _load_cached(name, mtime)
