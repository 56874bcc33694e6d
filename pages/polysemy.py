"""Polysemy: the vectors of one word in many sentences, projected and measured layer by layer."""
from __future__ import annotations

import streamlit as st

from mlm_app import polysemy_view as view
from mlm_app.geometry_view import centring_control, geometry_section
from mlm_app.shell import finish_page, page_setup


def main() -> None:
    lm = page_setup("Polysemy")
    st.title("Polysemy: one word, many contexts")
    st.markdown("A static embedding gives **bank** one vector; a contextual model gives it a different vector in "
                "every sentence. Do the vectors of *river bank* and *money bank* drift apart, and at which layer?")
    sentences = view.word_and_sentences()
    wv = view.vectors(lm.name, sentences) if sentences is not None else None
    if wv is None:
        return
    controls = view.controls(top_layer=wv.vectors.shape[1] - 1,  # layers + 1 states: 0 = the static input embeddings
                             sense_layer=lm.info.sense_layer)
    centring = centring_control(lm, wv)  # what the projection, neighbours and separation numbers subtract
    points = centring.points(view.edited_sentence(lm.name, sentences, wv, controls))
    st.subheader(f"'{sentences.word}' at layer {controls.layer}" + (" (static embedding)" if controls.layer == 0 else ""))
    projection, clicked = view.projection(points, controls)
    view.neighbours(points, controls.layer, clicked)
    st.subheader("Sense separation by layer")
    metrics = view.separation(sentences.word, centring.word_vectors(wv), sentences.senses)
    geometry_section(lm, sentences.word, list(wv.sentences), wv)
    st.subheader("Downloads")
    view.downloads(points, sentences.word, controls, projection, metrics)


main()
finish_page()
