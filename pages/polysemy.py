"""Polysemy: the vectors of one word in many sentences, projected and measured layer by layer."""
from __future__ import annotations

import streamlit as st

from mlm_app import polysemy_view as view
from mlm_app.geometry_view import centring_control, geometry_section
from mlm_app.i18n import t
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    lm = page_setup("nav.polysemy")
    st.title(t("polysemy.title"))
    st.markdown(t("polysemy.intro"))
    sentences = view.word_and_sentences()
    wv = view.vectors(lm.name, sentences) if sentences is not None else None
    if wv is None:
        return
    controls = view.controls(top_layer=wv.vectors.shape[1] - 1,  # layers + 1 states: 0 = the static input embeddings
                             sense_layer=lm.info.sense_layer)
    centring = centring_control(lm, wv)  # what the projection, neighbours and separation numbers subtract
    points = centring.points(view.edited_sentence(lm.name, sentences, wv, controls))
    st.subheader(t("polysemy.static_heading" if controls.layer == 0 else "polysemy.layer_heading",
                   word=sentences.word, layer=controls.layer))
    projection, clicked = view.projection(points, controls)
    view.neighbours(points, controls.layer, clicked)
    st.subheader(t("polysemy.separation_heading"))
    metrics = view.separation(sentences.word, centring.word_vectors(wv), sentences.senses)
    geometry_section(lm, sentences.word, list(wv.sentences), wv)
    st.subheader(t("polysemy.downloads"))
    view.downloads(points, sentences.word, controls, projection, metrics)


main()
finish_page()
