"""Fill-mask: click words to mask them and see the model's top-k guesses for every blank."""
from __future__ import annotations

import streamlit as st

from mlm_app import fill_mask_view as view
from mlm_app.causal_view import left_context_section
from mlm_app.i18n import t
from mlm_app.lens_view import lens_section
from mlm_app.scores_view import scores_section
from mlm_app.sentence_box import example_picker, sentence_box, shared_text
from mlm_app.shell import finish_page, page_setup
from mlm_app.state import EXAMPLES, bind_widget, persistent

PIECES = "fm_pieces_mode"  # the kept value of "Work on subword pieces"


def sentence_args() -> dict:
    """The sentence box's label and help texts, in the session's language."""
    return dict(label=t("fill_mask.sentence_label"), multiline=True, height=90, help=t("fill_mask.sentence_help"),
                shown_help=t("fill_mask.sentence_shown_help"))


def main() -> None:
    lm = page_setup("nav.fill_mask")
    st.title(t("fill_mask.title"))
    st.caption(t("fill_mask.intro"))
    left, right = st.columns([3, 1])
    with right:
        top_k = st.slider(t("fill_mask.top_k"), 1, 20, **bind_widget("top_k"))
        persistent(PIECES, False)
        pieces = st.toggle(t("fill_mask.pieces_toggle"), help=t("fill_mask.pieces_help"),
                           **bind_widget(PIECES, widget_key="fm_pieces_toggle"))
        classroom = st.toggle(t("fill_mask.classroom_toggle"), **bind_widget("classroom"),
                              help=t("fill_mask.classroom_help"))
    with left:
        example_picker("fm_example", EXAMPLES)
        box, messages = st.container(), st.container()

    text = shared_text()
    reading = view.read_sentence(lm, text, messages) if text.strip() else None  # the tokenizer only: no forward pass
    if reading is None:
        with box:
            sentence_box("fm_text", **sentence_args())
        if not text.strip():
            messages.warning(t("fill_mask.empty"))
        view.generation_link()
        return
    masks = view.Masks.of(lm, reading, pieces, classroom)
    with box:
        sentence_box("fm_text", **sentence_args(), shown_as=masks.blanked_text())
    view.mask_chips(masks)
    view.split_notes(masks)
    predicted = view.predict(lm.name, masks, top_k)
    if predicted is None:
        st.info(t("fill_mask.nothing_masked"))
    elif masks.waiting:
        view.classroom_panel(masks)
        view.prediction_charts(predicted[1], predicted[1].charts_of(masks.shown))
    else:
        analysis, result = predicted
        view.prediction_charts(result)
        left_context_section(lm, analysis, result, top_k)
        lens_section(lm, analysis, top_k, optional=True)
        view.joint_fill(analysis, result, lm.name)
        view.target_scoring(analysis, result, lm.name)
        view.compare_models(result, lm.name, text, top_k)
    view.pseudo_likelihood(lm.name, text, hidden=bool(masks.hidden_words))
    with st.expander(t("fill_mask.scores_expander")):
        scores_section(lm, text, hidden=bool(masks.hidden_words))
    view.generation_link()


main()
finish_page()
