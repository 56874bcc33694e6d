"""Cached results shared across pages and sessions (pure functions of their arguments)."""
from __future__ import annotations

import streamlit as st

from mlm_core.inference.analysis import Analysis, analyze
from mlm_core.inference.fill_mask_post import Reading, read_text

from .models import get_model
from .result_cache import SizedCache, budget_bytes


@st.cache_resource(show_spinner=False)
def analysis_cache() -> SizedCache:
    """The server's analyses, bounded by bytes (MLM_EXPLORER_RESULT_CACHE_MB, default 256 MB): attentions of long
    texts are large, so a count bound alone lets memory grow with every new text."""
    return SizedCache(budget_bytes())


def cached_analysis(model_name: str, text: str, mask_positions: tuple[int, ...] = (), top_k: int = 10) -> Analysis:
    """One forward pass per (model, text, masks, k); the fill-mask and attention pages share it.

    The result is shared between sessions: its arrays are read-only."""
    key = (model_name, text, tuple(mask_positions), top_k)
    return analysis_cache().get_or_compute(
        key, lambda: analyze(get_model(model_name), text, top_k=top_k, mask_positions=list(mask_positions)))


def cached_reading(model_name: str, text: str) -> Reading:
    """The text as the model's tokenizer reads it (words, pieces, typed masks): no forward pass. The chips of the
    Fill-mask page and the masks the Attention page carries over come from it."""
    return analysis_cache().get_or_compute(("reading", model_name, text), lambda: read_text(get_model(model_name), text))
