"""Train: a small masked LM of your own, on your own text or the bundled sample, in the background."""
from __future__ import annotations

import streamlit as st

from mlm_app import train_view as view
from mlm_app.owner import keep_owner_in_url
from mlm_app.progress_panel import job_panel
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    page_setup("Train")
    st.title("Train your own MLM")
    st.markdown(
        "Train a small masked language model from scratch on **your own text** (or the bundled sample corpus). "
        "A WordPiece vocabulary is learned from the text first, then the model learns to fill in the masked tokens. "
        "The finished model appears in the sidebar's model picker, so every page can use it. One training runs at a "
        "time on this server; the others wait for it. Only the session that starts a training can stop, resume or "
        "clear it (reloading the page keeps it yours).")
    view.settings_form()
    job_panel("train", "train", view.run_progress)
    view.stopped_runs()
    view.download()


main()
finish_page()
keep_owner_in_url()  # finish_page may rewrite the query string without it
