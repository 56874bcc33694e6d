"""What every page runs first: page config, navigation, the shared sidebar, display options.

Pages are discovered from pages/ by Streamlit; each one calls `page_setup` so a shared link
to any page works on a fresh server, and `finish_page` so the URL carries the current state.
"""
from __future__ import annotations

import time

import streamlit as st

from mlm_core.embeddings.projection import start_umap_warmup
from mlm_core.model.loading import LoadedModel

from .i18n import language_switch, t, text_in
from .owner import owner_id
from .page_config import apply_display, configure_page
from .sidebar import render_sidebar
from .state import init_state, large, sync_url
from .strings import DEFAULT_LANGUAGE, table

# (page file, strings key of its name, icon): the sidebar's links, in this order
NAVIGATION = [
    ("app.py", "nav.home", ":material/home:"),
    ("pages/lesson.py", "nav.lesson", ":material/school:"),
    ("pages/fill_mask.py", "nav.fill_mask", ":material/edit_note:"),
    ("pages/attention.py", "nav.attention", ":material/hub:"),
    ("pages/polysemy.py", "nav.polysemy", ":material/scatter_plot:"),
    ("pages/masking.py", "nav.masking", ":material/casino:"),
    ("pages/generate.py", "nav.generate", ":material/auto_awesome:"),
    ("pages/train.py", "nav.train", ":material/model_training:"),
]
QUIET_S = 10.0  # seconds without a page starting before the UMAP warm-up may run
_last_page_start = [time.monotonic()]  # when a page last started, in this server process


def page_title(title: str) -> str:
    """A page's title in the session's language. `title` is a strings key ("nav.masking"), or the English name of
    a page in NAVIGATION ("Fill-mask"), which is looked up by its English text; any other text is shown as given."""
    by_english = {text_in(DEFAULT_LANGUAGE, key): key for _, key, _ in NAVIGATION}
    key = title if title in table(DEFAULT_LANGUAGE) else by_english.get(title)
    return t(key) if key else title


def page_setup(title: str) -> LoadedModel:
    """Configure the page (its browser-tab title is `page_title(title)`), draw navigation and the model picker;
    return the active model."""
    _last_page_start[0] = time.monotonic()
    owner_id()  # read from the URL before anything rewrites it
    init_state()  # the URL's options (the language among them) before anything is drawn in them or translated
    configure_page(page_title(title))
    with st.sidebar:
        language_switch()
        for path, key, icon in NAVIGATION:
            st.page_link(path, label=t(key), icon=icon)
        st.divider()
    lm = render_sidebar()
    apply_display(projector=large())  # large fonts: the whole page scales, headings stay above the text
    return lm


def finish_page() -> None:
    """Pages may change the sentence or masks while running; keep the shareable URL current."""
    sync_url()
    # numba compiles UMAP in the background, off the user's path; started once a whole page has run, so its imports
    # (pandas among them) do not race the page's own first imports (a half-imported module in one of the threads),
    # and run once no page has started for QUIET_S (it holds the interpreter lock for seconds)
    start_umap_warmup(quiet=_server_quiet)


def _server_quiet() -> bool:
    return time.monotonic() - _last_page_start[0] >= QUIET_S
