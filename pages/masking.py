"""Masking strategies: one sentence under every strategy, measured proportions over a corpus sample, the
experiments that ship with the app, and small models trained with different strategies on the same budget, compared."""
from __future__ import annotations

import streamlit as st

from mlm_app import masking_view as view
from mlm_app.i18n import t
from mlm_app.owner import keep_owner_in_url
from mlm_app.progress_panel import job_panel
from mlm_app.sentence_box import sentence_box
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    lm = page_setup("nav.masking")
    st.title(t("masking.title"))
    st.markdown(t("masking.intro"))
    settings = view.settings()
    if settings is None:
        return
    st.subheader(t("masking.one_sentence"))
    view.sentence_preview(lm, sentence_box("masking_text"), settings)
    st.subheader(t("masking.measured"))
    view.measured(lm, settings)
    st.subheader(t("masking.shipped"))
    view.shipped_section()
    st.subheader(t("masking.train_compare"))
    st.markdown(t("masking.compare_intro"))
    view.compare_form(settings)
    job_panel("compare", "cmp", view.compare_progress)
    view.compare_results()


main()
finish_page()
keep_owner_in_url()  # finish_page may rewrite the query string without it
