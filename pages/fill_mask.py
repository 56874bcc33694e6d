"""Fill-mask: click words to mask them and see the model's top-k guesses for every blank."""
from __future__ import annotations

import streamlit as st

from mlm_app import fill_mask_view as view
from mlm_app.lens_view import lens_section
from mlm_app.scores_view import scores_section
from mlm_app.sentence_box import example_picker, sentence_box, shared_text
from mlm_app.shell import finish_page, page_setup
from mlm_app.state import EXAMPLES, bind_widget, persistent

PIECES = "fm_pieces_mode"  # the kept value of "Work on subword pieces"
SENTENCE = dict(label="Sentence (type [MASK] or <mask> for a blank of your own)", multiline=True, height=90,
                help="Press Ctrl+Enter (or click outside) to apply.",
                shown_help="Classroom mode hides the masked words: reveal them (or switch classroom mode off) to edit "
                           "the sentence.")


def main() -> None:
    lm = page_setup("Fill-mask")
    st.title("Fill-mask")
    st.caption("Click words to hide them behind a mask and see what the model guesses, with its probabilities.")
    left, right = st.columns([3, 1])
    with right:
        top_k = st.slider("Predictions per mask (top-k)", 1, 20, **bind_widget("top_k"))
        persistent(PIECES, False)
        pieces = st.toggle("Work on subword pieces", help="Mask single word pieces (tokens) instead of whole words.",
                           **bind_widget(PIECES, widget_key="fm_pieces_toggle"))
        classroom = st.toggle("Classroom mode (guess first)", **bind_widget("classroom"),
                              help="Hide the masked words and the model's predictions until you reveal them, word by "
                                   "word, so the class can guess first.")
    with left:
        example_picker("fm_example", EXAMPLES)
        box, messages = st.container(), st.container()

    text = shared_text()
    reading = view.read_sentence(lm, text, messages) if text.strip() else None  # the tokenizer only: no forward pass
    if reading is None:
        with box:
            sentence_box("fm_text", **SENTENCE)
        if not text.strip():
            messages.warning("The sentence is empty: type a sentence (or pick an example) above.")
        view.generation(lm)
        return
    masks = view.Masks.of(lm, reading, pieces, classroom)
    with box:
        sentence_box("fm_text", **SENTENCE, shown_as=masks.blanked_text())
    view.mask_chips(masks)
    view.split_notes(masks)
    predicted = view.predict(lm.name, masks, top_k)
    if predicted is None:
        st.info("Nothing is masked yet: click a word to mask it (or type [MASK] in the sentence).")
    elif masks.waiting:
        view.classroom_panel(masks)
        view.prediction_charts(predicted[1], predicted[1].charts_of(masks.shown))
    else:
        analysis, result = predicted
        view.prediction_charts(result)
        lens_section(lm, analysis, top_k, optional=True)
        view.joint_fill(analysis, result, lm.name)
        view.target_scoring(analysis, result, lm.name)
        view.compare_models(result, lm.name, text, top_k)
    view.pseudo_likelihood(lm.name, text, hidden=bool(masks.hidden_words))
    with st.expander("Sentence scores in both variants, per token, and minimal pairs"):
        scores_section(lm, text, hidden=bool(masks.hidden_words))
    view.generation(lm)


main()
finish_page()
