"""Fill-mask: click words to mask them and see the model's top-k guesses for every blank."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from mlm_app import fill_mask_view as view
from mlm_app.cached import cached_analysis, word_mask_positions
from mlm_app.downloads import data_downloads, show_figure
from mlm_app.models import get_model
from mlm_app.shell import finish_page, page_setup
from mlm_app.sidebar import LOCAL_DIR, OTHER_HUB, _label, model_options
from mlm_app.state import EXAMPLES, large, set_text
from mlm_core.errors import MLMError
from mlm_core.inference.analysis import all_mask_ids, mask_slots
from mlm_core.viz import topk_bar, topk_compare

CHARTS_PER_ROW = 3


# ---------------------------------------------------------------- callbacks (run before the script)


def _on_text() -> None:
    set_text(st.session_state["fm_text"])


def _on_example() -> None:
    choice = st.session_state.get("fm_example")
    if choice:
        set_text(choice)
        st.session_state["fm_text"] = choice
    st.session_state["fm_example"] = None


def _on_word_chips() -> None:
    st.session_state["masked_words"] = sorted(st.session_state.get("fm_word_chips") or [])


def _on_piece_chips(signature: tuple) -> None:
    st.session_state["masked_pieces"] = {"for": signature, "positions": sorted(st.session_state.get("fm_piece_chips") or [])}


def _reveal(signature: tuple) -> None:
    st.session_state["fm_revealed"] = signature


def _next_step(key: str, last: int) -> None:
    st.session_state[key] = min(last, st.session_state.get(key, 0) + 1)


# ---------------------------------------------------------------- sections


def sentence_input() -> tuple[str, int, bool, bool, object]:
    """Sentence, example picker and options; returns (text, top_k, pieces mode, classroom mode, message area)."""
    left, right = st.columns([3, 1])
    with left:
        st.selectbox("Example sentences", EXAMPLES, index=None, key="fm_example", on_change=_on_example,
                     placeholder="Pick an example sentence…")
        if st.session_state.get("fm_text") != st.session_state.get("text", ""):
            st.session_state["fm_text"] = st.session_state.get("text", "")
        st.text_area("Sentence (type [MASK] or <mask> for a blank of your own)", key="fm_text", on_change=_on_text,
                     height=90, help="Press Ctrl+Enter (or click outside) to apply.")
        messages = st.container()
    with right:
        top_k = st.slider("Predictions per mask (top-k)", 1, 20, value=int(st.session_state.get("top_k", 10)),
                          key="fm_top_k")
        st.session_state["top_k"] = top_k
        pieces = st.toggle("Work on subword pieces", value=bool(st.session_state.get("fm_pieces_mode", False)),
                           key="fm_pieces_toggle",
                           help="Mask single word pieces (tokens) instead of whole words.")
        st.session_state["fm_pieces_mode"] = pieces
        classroom = st.toggle("Classroom mode (guess first)", value=bool(st.session_state.get("fm_classroom", False)),
                              key="fm_classroom_toggle",
                              help="Hide the model's predictions until you press Reveal, so the class can guess first.")
        st.session_state["fm_classroom"] = classroom
    return st.session_state.get("text", ""), top_k, pieces, classroom, messages


def mask_chips(base, pieces: bool, model_name: str, text: str) -> tuple[int, ...]:
    """Clickable words (or pieces); returns the token positions to mask."""
    written = view.written_mask_positions(base)
    if pieces:
        options = view.piece_chip_options(base)
        signature = (model_name, text)
        stored = st.session_state.get("masked_pieces") or {}
        chosen = stored.get("positions", []) if stored.get("for") == signature else []
        valid = [p for p in chosen if p in options]
        if st.session_state.get("fm_piece_chips") != valid:
            st.session_state["fm_piece_chips"] = valid
        st.pills("Click pieces to mask them", list(options), selection_mode="multi", format_func=options.get,
                 key="fm_piece_chips", on_change=_on_piece_chips, args=(signature,))
        positions = tuple(sorted(valid))
    else:
        options = view.word_chip_options(base)
        valid = [w for w in (st.session_state.get("masked_words") or []) if w in options]
        if st.session_state.get("masked_words") != valid:
            st.session_state["masked_words"] = valid
        if st.session_state.get("fm_word_chips") != valid:
            st.session_state["fm_word_chips"] = valid
        st.pills("Click words to mask them", list(options), selection_mode="multi", format_func=options.get,
                 key="fm_word_chips", on_change=_on_word_chips)
        positions = word_mask_positions(base, valid)
    if written:
        st.caption(f"The sentence has {len(written)} typed mask{'s' if len(written) > 1 else ''}; "
                   "typed masks are always masked, so they have no chip.")
    return positions


def prediction_charts(analysis) -> None:
    masks = analysis.masks
    if len(masks) > 1:
        st.caption("**Each chart is an independent distribution for one mask**: while the model predicts one blank, "
                   "the other masks stay masked. Taking the top bar of every chart need not give words that fit "
                   "together; the joint fill below fills the blanks one at a time instead.")
    for row_start in range(0, len(masks), CHARTS_PER_ROW):
        cols = st.columns(CHARTS_PER_ROW)
        for col, (number, m) in zip(cols, enumerate(masks[row_start:row_start + CHARTS_PER_ROW], start=row_start + 1)):
            with col:
                title = view.mask_label(analysis, m.index, number)
                fig = topk_bar(view.prediction_pairs(analysis, m.index), title=title, large=large())
                show_figure(fig, key=f"fm_bar_{number}")
    records = view.prediction_records(analysis)
    with st.expander("Predictions as a table"):
        st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch", key="fm_pred_table")
    data_downloads(records, key="fill_mask_predictions", label="Predictions")


def joint_fill(analysis, model_name: str) -> None:
    st.subheader("Joint fill: one blank at a time")
    st.markdown("Iterative decoding: the model fills the mask it is **most confident** about, reads the sentence "
                "again with that word in place, and repeats until no mask is left. Later choices can now depend on "
                "earlier ones.")
    try:
        with st.spinner("Filling the masks one at a time…"):
            joint = view.cached_joint_fill(model_name, tuple(analysis.token_ids), "confidence")
    except MLMError as err:
        st.warning(str(err))
        return
    st.dataframe(pd.DataFrame(view.fill_step_rows(joint, view.mask_blank_labels(analysis))), hide_index=True,
                 key="fm_joint_steps")
    st.success(f"Joint fill: {joint.text}")


def target_scoring(analysis, model_name: str, text: str, positions: tuple[int, ...]) -> None:
    slots = mask_slots(analysis)
    with st.expander("Score your own words at a mask"):
        labels = [view.mask_label(analysis, s[0], k + 1).split(", piece")[0] for k, s in enumerate(slots)]
        choice = st.selectbox("Mask slot", list(range(len(slots))), format_func=lambda k: labels[k], key="fm_slot")
        raw = st.text_input("Words to try (comma-separated)", key="fm_targets", placeholder="e.g. bank, river, shop")
        targets = view.parse_targets(raw)
        if not targets:
            st.caption("Type one or more words; a word the tokenizer splits into pieces is scored piece by piece "
                       "(chain rule).")
            return
        slot = tuple(slots[choice if choice is not None and choice < len(slots) else 0])
        try:
            with st.spinner("Scoring…"):
                scores = view.cached_target_scores(model_name, text, positions, slot, targets, analysis)
        except MLMError as err:
            st.warning(str(err))
            return
        st.dataframe(pd.DataFrame(view.target_rows(scores)), hide_index=True, key="fm_target_table",
                     column_config={"probability": st.column_config.NumberColumn(format="%.4f")})


def compare_models(analysis, lm, model_name: str, text: str, top_k: int) -> None:
    if not st.toggle("Compare with another model", key="fm_compare_on"):
        return
    options = [o for o in model_options() if o not in (model_name, OTHER_HUB, LOCAL_DIR)]
    other = st.selectbox("Second model", options, index=None, format_func=_label, key="fm_compare_model",
                         placeholder="Pick a model…")
    if other is None:
        return
    try:
        with st.spinner(f"Loading {_label(other)}…"):
            lm2 = get_model(other)
    except MLMError as err:
        st.error(f"Could not load {_label(other)} for the comparison: {err}")
        return
    except Exception as err:  # noqa: BLE001 - a comparison must never show a traceback
        st.error(f"Could not load {_label(other)} for the comparison ({type(err).__name__}: {err}).")
        return
    st.caption("Masks are matched **by word**: the sentence is re-tokenized with the second model's tokenizer and "
               "the same words are masked. Different tokenizers can split a word into different pieces.")
    try:
        with st.spinner(f"Running {_label(other)}…"):
            base2 = cached_analysis(other, text, (), top_k)
            spans = view.slot_spans(analysis, text, lm.tokenizer.mask_token)
            positions2 = view.mapped_positions(spans, base2, text, lm2.tokenizer.mask_token)
            analysis2 = cached_analysis(other, text, positions2, top_k) if positions2 else base2
    except MLMError as err:
        st.warning(f"{_label(other)}: {err}")
        return
    name1, name2 = _label(model_name), _label(other)
    if name1 == name2:
        name2 += " (2)"
    for number, (slot, slot2) in enumerate(view.pair_slots(spans, analysis2, text, lm2.tokenizer.mask_token), start=1):
        title = view.mask_label(analysis, slot[0], number).split(", piece")[0]
        if slot2 is None:
            st.info(f"{title}: {name2} has no token at this place.")
            continue
        if len(slot) != len(slot2):
            st.info(f"{title}: {name1} splits it into {len(slot)} piece{'s' if len(slot) > 1 else ''}, "
                    f"{name2} into {len(slot2)}; the bars compare the first piece of each.")
        fig = topk_compare({name1: view.prediction_pairs(analysis, slot[0]),
                            name2: view.prediction_pairs(analysis2, slot2[0])}, title=title, large=large())
        show_figure(fig, key=f"fm_compare_{number}")


def pseudo_likelihood(model_name: str, text: str) -> None:
    with st.expander("How likely is the sentence? (pseudo-log-likelihood)"):
        st.markdown("An MLM gives no probability for a whole sentence, but we can mask **each token in turn** and add "
                    "up the log-probabilities of the real tokens (pseudo-log-likelihood, Salazar et al. 2020). "
                    "Pseudo-perplexity = exp(−PLL / number of tokens): lower means the model finds the sentence more "
                    "natural. It scores the sentence as typed, without the clicked masks, and costs one pass per token.")
        signature = (model_name, text)
        if st.button("Compute pseudo-log-likelihood", key="fm_pll_go"):
            st.session_state["fm_pll_for"] = signature
        if st.session_state.get("fm_pll_for") != signature:
            return
        try:
            with st.spinner("Masking each token in turn…"):
                pll = view.cached_pll(model_name, text)
        except MLMError as err:
            st.warning(str(err))
            return
        a, b = st.columns(2)
        a.metric("Pseudo-log-likelihood", f"{pll.total:.2f}")
        b.metric("Pseudo-perplexity", f"{pll.pseudo_perplexity:.1f}")
        st.dataframe(pd.DataFrame(view.pll_rows(pll)), hide_index=True, key="fm_pll_table")


def generation(lm, model_name: str) -> None:
    st.divider()
    st.subheader("Step-by-step generation: fill an all-mask sentence")
    st.markdown(
        "Start from nothing but masks and let the model fill them one at a time. This shows why BERT-style models "
        "are **poor generators**: they were trained to fill about 15% blanks in otherwise real text, so with only "
        "masks around they have almost no context; each blank is predicted as if the others were unknown, which "
        "gives repeated and generic words; the length must be fixed in advance; and there is no left-to-right "
        "probability of a whole text to follow, so the result depends on the order of filling.")
    c1, c2, c3 = st.columns([2, 2, 1])
    n = c1.slider("Number of masks", 3, 15, 8, key="fm_gen_n")
    order = c2.radio("Order", ["confidence", "left-to-right"], horizontal=True, key="fm_gen_order",
                     format_func={"confidence": "most confident first", "left-to-right": "left to right"}.get)
    signature = (model_name, n, order)
    if c3.button("Fill", key="fm_gen_go", type="primary"):
        st.session_state["fm_gen_for"] = signature
    if st.session_state.get("fm_gen_for") != signature:
        st.caption("Press **Fill** to start.")
        return
    try:
        with st.spinner("Filling one mask per step…"):
            joint = view.cached_joint_fill(model_name, tuple(all_mask_ids(lm, n)), order)
    except MLMError as err:
        st.warning(str(err))
        return
    last = len(joint.steps)
    step_key = "fm_gen_step_" + "_".join(str(x) for x in signature)
    s1, s2 = st.columns([4, 1])
    step = s1.slider("Step", 0, last, key=step_key)
    s2.button("Next step", key="fm_gen_next", on_click=_next_step, args=(step_key, last), disabled=step >= last)
    tokens = joint.steps[step - 1].tokens if step else lm.tokenizer.convert_ids_to_tokens(all_mask_ids(lm, n))
    st.markdown(f"**After step {step} of {last}:** {view.sequence_text(lm.tokenizer, tokens)}")
    if step:
        blanks = view.generation_blank_labels(all_mask_ids(lm, n), lm.tokenizer.mask_token_id)
        st.dataframe(pd.DataFrame(view.fill_step_rows(joint, blanks)[:step]), hide_index=True, key="fm_gen_table")


# ---------------------------------------------------------------- page


def main() -> None:
    lm = page_setup("Fill-mask")
    st.title("Fill-mask")
    st.caption("Click words to hide them behind a mask and see what the model guesses, with its probabilities.")
    model_name = lm.name  # carries the precision, e.g. 'bundled (int8)'
    text, top_k, pieces, classroom, messages = sentence_input()

    if not text.strip():
        messages.warning("The sentence is empty: type a sentence (or pick an example) above.")
        generation(lm, model_name)
        return
    try:
        with st.spinner("Reading the sentence…"):
            base = cached_analysis(model_name, text, (), top_k)
    except MLMError as err:
        messages.error(str(err))
        generation(lm, model_name)
        return
    note = view.coverage_note(lm, base)
    if note:
        messages.info(note, icon="🔤")

    positions = mask_chips(base, pieces, st.session_state.get("model_name", "bundled"), text)
    for word, word_pieces in view.split_words(base, positions):
        st.warning(view.split_message(word, word_pieces))
    try:
        with st.spinner("Predicting the masks…"):
            analysis = cached_analysis(model_name, text, positions, top_k) if positions else base
    except MLMError as err:
        st.error(str(err))
        return

    if not analysis.masks:
        st.info("Nothing is masked yet: click a word to mask it (or type [MASK] in the sentence).")
    else:
        signature = (model_name, text, positions)
        if classroom and st.session_state.get("fm_revealed") != signature:
            st.info(f"🙈 {len(analysis.masks)} mask{'s' if len(analysis.masks) > 1 else ''} hidden: "
                    "make your guesses, then reveal the model's predictions.")
            st.button("Reveal", key="fm_reveal", type="primary", on_click=_reveal, args=(signature,))
        else:
            prediction_charts(analysis)
            if len(analysis.masks) > 1:
                joint_fill(analysis, model_name)
            target_scoring(analysis, model_name, text, positions)
            compare_models(analysis, lm, model_name, text, top_k)
    pseudo_likelihood(model_name, text)
    generation(lm, model_name)


main()
finish_page()
