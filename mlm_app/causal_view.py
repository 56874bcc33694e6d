"""The masked model beside its left-to-right companion: the guess at a blank from both sides vs from the left
only (Fill-mask, Lesson), full vs triangular attention (Attention, Lesson), and the examples where the two disagree
most. The arithmetic is `mlm_core.inference.left_context`; the companion loads with `models.get_causal_model`."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import Analysis
from mlm_core.inference.fill_mask_post import FillMaskResult, postprocess
from mlm_core.inference.left_context import (CausalAttention, Disagreement, LeftGuess, causal_attention,
                                             disagreements, left_context_guesses)
from mlm_core.model.loading import LoadedModel
from mlm_core.viz.attention import attention_heatmap
from mlm_core.viz.fill_mask import topk_bar

from .cached import cached_analysis
from .downloads import show_figure
from .i18n import error_text, label_words, t
from .models import get_causal_model, get_model
from .state import EXAMPLES, large

EXAMPLE_LIMIT = 5


def causal_or_message() -> LoadedModel | None:
    """The companion, or None after saying why it cannot load (the page goes on without it)."""
    try:
        return get_causal_model()
    except MLMError as err:
        st.warning(t("causal.unavailable", error=error_text(err)))
        return None


@st.cache_data(max_entries=256, show_spinner=False)
def cached_guesses(causal_name: str, text: str, spans: tuple[tuple[int, int], ...], originals: tuple, top_k: int
                   ) -> list[LeftGuess]:
    return left_context_guesses(get_causal_model(causal_name), text, list(spans), list(originals), top_k)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_causal_attention(causal_name: str, text: str) -> CausalAttention:
    return causal_attention(get_causal_model(causal_name), text)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_disagreements(mlm_name: str, causal_name: str, sentences: tuple[str, ...]) -> list[Disagreement]:
    return disagreements(get_model(mlm_name), get_causal_model(causal_name), list(sentences), EXAMPLE_LIMIT)


def example_sentences() -> tuple[str, ...]:
    """Where the disagreement examples are picked from: the demo sentences and two per sense of the polysemy set."""
    from mlm_core.embeddings.polysemy_data import load_polysemy

    per_sense: dict[tuple[str, str], list[str]] = {}
    for item in load_polysemy():
        per_sense.setdefault((item.word, item.sense), []).append(item.sentence)
    picked = [s for group in per_sense.values() for s in group[:2]]
    return tuple(dict.fromkeys([s for s in EXAMPLES if "[MASK]" not in s] + picked))


def _blank_spans(analysis: Analysis, positions_of_slots) -> tuple[tuple[tuple[int, int], ...], tuple]:
    """Each blank's characters in the analysed text, and its hidden word where the text holds it (a clicked word;
    None for a typed mask)."""
    original_of = {m.index: m.original for m in analysis.masks}
    spans, originals = [], []
    for positions in positions_of_slots:
        start, end = analysis.offsets[positions[0]][0], analysis.offsets[positions[-1]][1]
        spans.append((start, end))
        originals.append(analysis.text[start:end] if original_of.get(positions[0]) is not None else None)
    return tuple(spans), tuple(originals)


def _chips(tokens: list[str], style: str) -> str:
    return "".join(f"<span style='{style}'>{html.escape(tok)}</span>" for tok in tokens)


SEEN = "padding:1px 5px;margin:2px;border-radius:4px;background:#cfe8ff;display:inline-block"
BLANK = "padding:1px 5px;margin:2px;border-radius:4px;background:#ffd27f;font-weight:600;display:inline-block"
UNSEEN = ("padding:1px 5px;margin:2px;border-radius:4px;background:#eeeeee;color:#9a9a9a;text-decoration:line-through;"
          "display:inline-block")


def _visibility(analysis: Analysis, positions: tuple[int, ...], guess: LeftGuess) -> None:
    """Which tokens each model read for this blank: the masked model all of them (the blank masked), the causal
    model its start token and the words to the left (earlier blanks as it filled them)."""
    shown = analysis.token_texts
    first, last = positions[0], positions[-1]
    blank = t("causal.blank_chip")
    mlm = _chips(shown[:first], SEEN) + _chips([blank], BLANK) + _chips(shown[last + 1:], SEEN)
    causal = _chips(guess.seen, SEEN) + _chips([blank], BLANK) + _chips(shown[last + 1:], UNSEEN)
    st.markdown(f"**{t('causal.mlm_reads')}** {mlm}<br>**{t('causal.causal_reads')}** {causal}",
                unsafe_allow_html=True)


def _bars(guess: LeftGuess) -> list[tuple[str, float, str]]:
    return [(p.text, p.score, p.token) for p in guess.predictions]


def _guess_row(result_slot, mlm_bars, guess: LeftGuess) -> dict:
    top = lambda bars: f"{bars[0][0]} ({bars[0][1]:.1%})" if bars else "—"  # noqa: E731
    row = {t("causal.col_blank"): result_slot.label, t("causal.col_mlm"): top(mlm_bars),
           t("causal.col_causal"): top(_bars(guess))}
    if guess.original is not None:
        row[t("causal.col_hidden")] = guess.original
        mlm_p = next((p for text, p, _ in mlm_bars if text.lower() == guess.original.lower()), None)
        row[t("causal.col_mlm_p")] = f"{mlm_p:.1%}" if mlm_p is not None else t("causal.not_in_top")
        row[t("causal.col_causal_p")] = (f"{guess.original_probability:.1%}" if guess.original_probability is not None
                                         else "—")
    return row


def compare_blanks(lm: LoadedModel, analysis: Analysis, result: FillMaskResult, top_k: int, key: str,
                   intro: bool = True) -> None:
    """For every blank: the masked model's guess (both sides) beside the causal model's (left only), which tokens
    each read, and a table of both first guesses."""
    if not result.slots:
        return
    causal = causal_or_message()
    if causal is None:
        return
    if intro:
        st.markdown(t("causal.compare_intro"))
    spans, originals = _blank_spans(analysis, [s.positions for s in result.slots])
    try:
        guesses = cached_guesses(causal.name, analysis.text, spans, originals, top_k)
    except MLMError as err:
        st.warning(error_text(err))
        return
    for slot, guess in zip(result.slots, guesses):
        mlm_col, causal_col = st.columns(2)
        with mlm_col:
            show_figure(topk_bar(slot.bars, title=t("causal.mlm_chart", label=slot.label), large=large()),
                        key=f"{key}_mlm_{slot.number}")
        with causal_col:
            show_figure(topk_bar(_bars(guess), title=t("causal.causal_chart", label=slot.label), large=large()),
                        key=f"{key}_causal_{slot.number}")
        _visibility(analysis, slot.positions, guess)
    if len(result.slots) > 1:
        st.caption(t("causal.earlier_blanks"))
    rows = [_guess_row(slot, slot.bars, g) for slot, g in zip(result.slots, guesses)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{key}_table")


def left_context_section(lm: LoadedModel, analysis: Analysis, result: FillMaskResult, top_k: int) -> None:
    """Fill-mask: the causal companion's guess from the left context, beside the MLM's; opt-in (a second model)."""
    st.subheader(t("causal.section_title"))
    if st.toggle(t("causal.show_toggle"), key="fm_causal_toggle", help=t("causal.show_help")):
        compare_blanks(lm, analysis, result, top_k, key="fm_causal")
        disagreement_examples(lm, key="fm_disagree")


def blank_comparison(lm: LoadedModel, text: str, top_k: int, key: str) -> None:
    """The comparison for a text with its own blanks ([MASK] typed): the Lesson's step."""
    try:
        analysis = cached_analysis(lm.name, text, (), top_k)
    except MLMError as err:
        st.error(error_text(err))
        return
    if not analysis.masks:
        st.info(t("causal.no_blank"))
        return
    compare_blanks(lm, analysis, postprocess(analysis, words=label_words()), top_k, key=key, intro=False)


def disagreement_examples(lm: LoadedModel, key: str) -> None:
    """The sentences of the demo and polysemy sets where the two models' probabilities of the actual word differ
    most, picked automatically."""
    causal = causal_or_message()
    if causal is None:
        return
    st.markdown(t("causal.disagree_intro"))
    try:
        with st.spinner(t("causal.disagree_spinner")):
            found = cached_disagreements(lm.name, causal.name, example_sentences())
    except MLMError as err:
        st.warning(error_text(err))
        return
    if not found:
        st.info(t("causal.disagree_none"))
        return
    rows = [{t("causal.col_sentence"): d.sentence[:d.start] + "[" + d.word + "]" + d.sentence[d.end:],
             t("causal.col_word"): d.word, t("causal.col_mlm_p"): f"{d.mlm_probability:.1%}",
             t("causal.col_causal_p"): f"{d.causal_probability:.2%}", t("causal.col_mlm_top"): d.mlm_top,
             t("causal.col_causal_top"): d.causal_top,
             t("causal.col_better"): t("causal.better_mlm") if d.log_ratio > 0 else t("causal.better_causal")}
            for d in found]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{key}_table")


def _layer_head(n_layers: int, n_heads: int, key: str) -> tuple[int, int]:
    left, right = st.columns(2)
    layer = left.slider(t("causal.layer"), 0, n_layers - 1, n_layers - 1, key=f"{key}_layer")
    head = right.slider(t("causal.head"), 0, n_heads - 1, 0, key=f"{key}_head")
    return layer, head


def attention_pair(lm: LoadedModel, text: str, key: str) -> None:
    """The masked model's attention (every token sees every token) beside the causal model's (each token sees
    itself and the tokens to its left: a lower triangle), same sentence, one layer and head chosen for both."""
    causal = causal_or_message()
    if causal is None:
        return
    try:
        mlm = cached_analysis(lm.name, text)
        left = cached_causal_attention(causal.name, text)
    except MLMError as err:
        st.error(error_text(err))
        return
    n_layers = min(mlm.attentions.shape[0], left.attentions.shape[0])
    n_heads = min(mlm.attentions.shape[1], left.attentions.shape[1])
    layer, head = _layer_head(n_layers, n_heads, key)
    mlm_col, causal_col = st.columns(2)
    words = {"from": t("causal.axis_from"), "to": t("causal.axis_to"), "weight": t("causal.axis_weight")}
    with mlm_col:
        show_figure(attention_heatmap(mlm.attentions[layer, head], mlm.tokens, large=large(), texts=words,
                                      title=t("causal.mlm_attention", name=lm.name, layer=layer, head=head)),
                    key=f"{key}_mlm")
    with causal_col:
        show_figure(attention_heatmap(left.attentions[layer, head], left.tokens, large=large(), texts=words,
                                      title=t("causal.causal_attention", name=causal.name, layer=layer, head=head)),
                    key=f"{key}_causal")
    st.caption(t("causal.attention_caption"))


def attention_tab(lm: LoadedModel, text: str) -> None:
    """The Attention page's tab."""
    st.markdown(t("causal.attention_intro"))
    attention_pair(lm, text, key="attn_causal")
