"""Attention: heatmap of one head, head view, model view (click a cell), head average and rollout."""
from __future__ import annotations

import streamlit as st

from mlm_app import attention_view as view
from mlm_app.heads_view import ablation_section, attention_flow_section, head_roles_section
from mlm_app.sentence_box import sentence_box
from mlm_app.shell import finish_page, page_setup

CAVEAT = ("Attention weights show where a head looks, not why the model predicts what it does — "
          "attention is not an explanation.")


def main() -> None:
    lm = page_setup("Attention")
    st.title("Attention")
    st.info(CAVEAT, icon="⚠️")
    text = sentence_box("attn_text", help="Edits here carry over to the Fill-mask page, and back.")
    analysis = view.analysis_with_masks(lm, text)
    if analysis is None:
        return
    choice = view.selectors(lm, analysis)
    if choice is None:
        return
    heatmap, heads, model, rollout, roles = st.tabs(["Heatmap", "Head view & token focus", "Model view",
                                                     "Head average, rollout & flow", "Head roles & switching heads off"])
    with heatmap:
        view.heatmap_tab(choice)
    with heads:
        view.head_view_tab(choice)
    with model:
        view.model_view_tab(choice)
    with rollout:
        view.rollout_tab(choice)
        attention_flow_section(analysis, st.session_state.get("attn_residual", True), choice.shown.keep)
    with roles:
        head_roles_section(lm, analysis)
        ablation_section(lm, analysis)


main()
finish_page()
