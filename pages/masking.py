"""Masking strategies: one sentence under every strategy, measured proportions over a corpus sample, the
experiments that ship with the app, and small models trained with different strategies on the same budget, compared."""
from __future__ import annotations

import streamlit as st

from mlm_app import masking_view as view
from mlm_app.owner import keep_owner_in_url
from mlm_app.progress_panel import job_panel
from mlm_app.sentence_box import sentence_box
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    lm = page_setup("Masking strategies")
    st.title("Masking strategies")
    st.markdown(
        "During pre-training a masked language model only learns from the tokens that were **selected**. *How* they "
        "are chosen and hidden is the masking strategy. Below, the same sentence goes through every strategy; then "
        "the strategies are measured on a corpus sample; then small models are trained with them and compared.")
    settings = view.settings()
    if settings is None:
        return
    st.subheader("One sentence, four strategies")
    view.sentence_preview(lm, sentence_box("masking_text"), settings)
    st.subheader("Measured on a corpus sample")
    view.measured(lm, settings)
    st.subheader("Experiments that ship with the app")
    view.shipped_section()
    st.subheader("Train and compare")
    st.markdown(
        "Train one small model per strategy on the **same corpus** with the **same budget** (tiny preset, same steps, "
        "batch, seed and validation data), then compare them, scored as the shipped experiments are and judged "
        "against their seed-to-seed spread. The default pair, bert and mask-only, differs clearly within the "
        "default budget: on the tokens a model sees unmasked.")
    view.compare_form(settings)
    job_panel("compare", "cmp", view.compare_progress)
    view.compare_results()


main()
finish_page()
keep_owner_in_url()  # finish_page may rewrite the query string without it
