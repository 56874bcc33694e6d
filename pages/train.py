"""Train: a small masked LM of your own, on your own text or the bundled sample, in the background."""
from __future__ import annotations

import streamlit as st

from mlm_app import train_view as view
from mlm_app.i18n import t
from mlm_app.owner import keep_owner_in_url
from mlm_app.progress_panel import job_panel
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    page_setup("nav.train")
    st.title(t("train.title"))
    st.markdown(t("train.intro"))
    view.settings_form()
    job_panel("train", "train", view.run_progress)
    view.stopped_runs()
    view.download()


main()
finish_page()
keep_owner_in_url()  # finish_page may rewrite the query string without it
