"""Generation, both ways: the masked model by iterative unmasking (MDLM, LLaDA) beside the causal companion left to
right, at the same length, each replayed step by step, with the measures that show why one reads better."""
from __future__ import annotations

import streamlit as st

from mlm_app import generate_view as view
from mlm_app.i18n import t
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    lm = page_setup("nav.generate")
    st.title(t("generate.title"))
    st.markdown(t("generate.intro"))
    causal = view.causal_model()
    request = view.settings_form(lm, causal)
    if request is not None:
        view.generate(lm, causal, request)
    view.results()
    view.measures()
    view.why_note()


main()
finish_page()
