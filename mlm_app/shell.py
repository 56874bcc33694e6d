"""What every page runs first: page config, navigation, the shared sidebar, display options.

Pages are discovered from pages/ by Streamlit; each one calls `page_setup` so a shared link
to any page works on a fresh server, and `finish_page` so the URL carries the current state.
"""
from __future__ import annotations

import streamlit as st

from mlm_core.embeddings.projection import start_umap_warmup
from mlm_core.model.loading import LoadedModel

from .page_config import apply_display, configure_page
from .sidebar import render_sidebar
from .state import large, sync_url

NAVIGATION = [
    ("app.py", "Home", ":material/home:"),
    ("pages/fill_mask.py", "Fill-mask", ":material/edit_note:"),
    ("pages/attention.py", "Attention", ":material/hub:"),
    ("pages/polysemy.py", "Polysemy", ":material/scatter_plot:"),
    ("pages/masking.py", "Masking strategies", ":material/casino:"),
    ("pages/train.py", "Train", ":material/model_training:"),
]


def page_setup(title: str) -> LoadedModel:
    """Configure the page, draw navigation and the model picker; return the active model."""
    configure_page(title)
    start_umap_warmup()  # numba compiles UMAP in the background, off the user's path
    with st.sidebar:
        for path, label, icon in NAVIGATION:
            st.page_link(path, label=label, icon=icon)
        st.divider()
    lm = render_sidebar()
    apply_display(projector=large())  # large fonts: the whole page scales, headings stay above the text
    return lm


def finish_page() -> None:
    """Pages may change the sentence or masks while running; keep the shareable URL current."""
    sync_url()
