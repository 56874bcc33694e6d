"""Attention: heatmap of one head, head view, model view (click a cell), head average and rollout, head roles, the
causal companion's attention; only the open tab is computed."""
from __future__ import annotations

import streamlit as st

from mlm_app import attention_view as view
from mlm_app.causal_view import attention_tab
from mlm_app.heads_view import ablation_section, attention_flow_section, head_roles_section
from mlm_app.i18n import t
from mlm_app.sentence_box import sentence_box
from mlm_app.shell import finish_page, page_setup

TAB_KEY = "attn_tab"  # the open tab's label; a test opens a tab by setting it


def main() -> None:
    lm = page_setup("nav.attention")
    st.title(t("attention.title"))
    st.info(t("attention.caveat"), icon="⚠️")
    text = sentence_box("attn_text", help=t("attention.sentence_help"))
    analysis = view.analysis_with_masks(lm, text)
    if analysis is None:
        return
    choice = view.selectors(lm, analysis)
    if choice is None:
        return
    # Only the open tab runs (a rerun when another is chosen): the model view, the flow, the head roles and the
    # causal companion together cost more than the rest of the page, and a class opens this page all at once.
    labels = [t("attention.tab_heatmap"), t("attention.tab_head_view"), t("attention.tab_model_view"),
              t("attention.tab_rollout"), t("attention.tab_roles"), t("causal.tab")]
    tabs = st.tabs(labels, key=TAB_KEY, on_change="rerun")
    sections = (lambda: view.heatmap_tab(choice), lambda: view.head_view_tab(choice),
                lambda: view.model_view_tab(choice), lambda: _rollout_and_flow(analysis, choice),
                lambda: _roles_and_ablation(lm, analysis), lambda: attention_tab(lm, text))
    for tab, draw in zip(tabs, sections):
        if tab.open:
            with tab:
                draw()


def _rollout_and_flow(analysis, choice) -> None:
    view.rollout_tab(choice)
    attention_flow_section(analysis, st.session_state.get("attn_residual", True), choice.shown.keep)


def _roles_and_ablation(lm, analysis) -> None:
    head_roles_section(lm, analysis)
    ablation_section(lm, analysis)


main()
finish_page()
