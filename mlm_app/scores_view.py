"""Sentence scores that are fair to long words, and minimal pairs: a section of the Fill-mask page.

`scores_section(lm, text)` shows the pseudo-log-likelihood of a sentence per token in both variants — 'original'
(Salazar et al. 2020: mask each token in turn) and 'word-l2r' (Kauf & Ivanova 2023: when scoring a piece, also mask
the later pieces of its word) — and a minimal-pair mode: two sentences, which one the model prefers and by how much.
Scores are cached per (model, sentence, variant).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.scoring import VARIANTS, PairComparison, SentenceScore, compare_pair, sentence_score
from mlm_core.model.loading import LoadedModel
from mlm_core.viz import token_scores_figure

from .downloads import data_downloads, show_figure
from .i18n import error_text, t
from .models import get_model
from .state import large

EXAMPLE_PAIR = "The keys to the cabinet are on the table.\nThe keys to the cabinet is on the table."
SINGLE, PAIR = "This sentence", "Minimal pair"  # the mode radio's values (shown through `mode_label`)
VARIANT_KEYS = {"original": "scores.variant_original", "word-l2r": "scores.variant_word_l2r"}
COLUMNS = {"variant": "scores.col_variant", "position": "scores.col_position", "token": "scores.col_token",
           "piece": "scores.col_piece", "log_prob": "scores.col_log_prob", "masked": "scores.col_masked",
           "sentence 1 (nats)": "scores.col_first", "sentence 2 (nats)": "scores.col_second",
           "difference (1 − 2)": "scores.col_difference", "prefers": "scores.col_prefers",
           "times as likely": "scores.col_odds"}


def variant_label(variant: str) -> str:
    return t(VARIANT_KEYS[variant]) if variant in VARIANT_KEYS else variant


def mode_label(mode: str) -> str:
    return t("scores.mode_single") if mode == SINGLE else t("scores.mode_pair")


def _table(rows: list[dict], key: str) -> None:
    """Rows as a table, the columns named in the session's language (the downloads keep the English names)."""
    headers = {name: t(COLUMNS[name]) for name in (rows[0] if rows else {}) if name in COLUMNS}
    st.dataframe(pd.DataFrame(rows).rename(columns=headers), hide_index=True, width="stretch", key=key)


def figure_texts() -> dict[str, str]:
    """The words of `mlm_core.viz.scores`'s figure, in the session's language."""
    return {name: t(f"scores.fig_{name}") for name in ("empty", "total", "log_p")}


@st.cache_data(max_entries=256, show_spinner=False)
def cached_score(model_name: str, text: str, variant: str) -> SentenceScore:
    return sentence_score(get_model(model_name), text, variant)


@st.cache_data(max_entries=128, show_spinner=False)
def cached_pair(model_name: str, first: str, second: str, variant: str) -> PairComparison:
    return compare_pair(get_model(model_name), [first, second], variant)


def split_pair(raw: str) -> list[str]:
    """The non-empty lines of a minimal-pair box."""
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


def score_rows(scores: list[SentenceScore]) -> list[dict]:
    """One row per (variant, scored token)."""
    return [{"variant": s.variant, "position": p, "token": t, "piece": raw, "log_prob": round(lp, 4),
             "masked": len(m)} for s in scores
            for p, t, raw, lp, m in zip(s.positions, s.texts or s.tokens, s.tokens, s.token_log_probs,
                                        s.masked_with or [[p] for p in s.positions])]


def pair_rows(pairs: dict[str, PairComparison]) -> list[dict]:
    """One row per variant: both totals, the difference and the sentence preferred."""
    return [{"variant": v, "sentence 1 (nats)": round(c.first.total, 4), "sentence 2 (nats)": round(c.second.total, 4),
             "difference (1 − 2)": round(c.difference, 4), "prefers": f"sentence {c.preferred + 1}",
             "times as likely": round(c.odds, 2)} for v, c in pairs.items()]


def _single(lm: LoadedModel, text: str, key: str) -> list[SentenceScore] | None:
    if not (text or "").strip():
        st.info(t("scores.type_sentence"))
        return None
    try:
        with st.spinner(t("scores.single_spinner")):
            scores = [cached_score(lm.name, text, v) for v in VARIANTS]
    except MLMError as err:
        st.info(error_text(err))
        return None
    cols = st.columns(len(scores))
    for col, s in zip(cols, scores):
        col.metric(f"PLL, {variant_label(s.variant)}", f"{s.total:.2f} nats",
                   help=t("scores.metric_help", ppl=s.pseudo_perplexity, n=len(s.token_log_probs)))
    diff = scores[0].total - scores[1].total
    if abs(diff) < 1e-9:
        st.caption(t("scores.variants_agree"))
    else:
        st.caption(t("scores.variants_differ", diff=diff))
    fig = token_scores_figure([(variant_label(s.variant), s.texts or s.tokens, s.token_log_probs) for s in scores],
                              title=t("scores.single_figure_title"), large=large(), texts=figure_texts())
    show_figure(fig, key=f"{key}_bars")
    rows = score_rows(scores)
    with st.expander(t("scores.token_table")):
        _table(rows, f"{key}_table")
    data_downloads(rows, key=f"{key}_tokens", label=t("scores.token_download"))
    return scores


def _pair(lm: LoadedModel, sentences: list[str], key: str) -> dict[str, PairComparison] | None:
    if len(sentences) != 2:
        st.info(t("scores.need_two", n=len(sentences)))
        return None
    variant = st.radio(t("scores.variant"), list(VARIANTS), format_func={v: variant_label(v) for v in VARIANTS}.get,
                       horizontal=True,
                       key=f"{key}_variant")
    try:
        with st.spinner(t("scores.pair_spinner")):
            pairs = {v: cached_pair(lm.name, sentences[0], sentences[1], v) for v in VARIANTS}
    except MLMError as err:
        st.info(error_text(err))
        return None
    c = pairs[variant]
    better = c.first if c.preferred == 0 else c.second
    if abs(c.difference) < 1e-9:
        st.info(t("scores.same"))
    else:
        st.success(t("scores.prefers", n=c.preferred + 1, text=better.text, diff=abs(c.difference), odds=c.odds,
                     variant=variant))
    others = [v for v in VARIANTS if v != variant and pairs[v].preferred != c.preferred]
    if others:
        st.warning(t("scores.other_variant", variant=others[0]))
    fig = token_scores_figure([(t("scores.sentence_n", n=i + 1), s.texts or s.tokens, s.token_log_probs)
                               for i, s in enumerate((c.first, c.second))],
                              title=t("scores.pair_figure_title", variant=variant_label(variant)), large=large(),
                              texts=figure_texts())
    show_figure(fig, key=f"{key}_pair_bars")
    rows = pair_rows(pairs)
    _table(rows, f"{key}_pair_table")
    data_downloads(rows, key=f"{key}_pair", label=t("scores.pair_download"))
    return pairs


def scores_section(lm: LoadedModel, text: str, key: str = "scores", pair: list[str] | None = None,
                   run: bool | None = None, hidden: bool = False):
    """Sentence scores of `text` (both variants, per token), or a minimal pair. `pair` given: minimal-pair mode with
    those sentences. `run` None: compute on a button press (a pass per token is costly on big models); True: at
    once. `hidden` (classroom mode hides words): this sentence's token table waits; minimal pairs still work.
    Returns the scores (a list, or a dict of comparisons per variant), or None."""
    st.subheader(t("scores.title"))
    st.markdown(t("scores.explain"))
    mode_key = f"{key}_mode"
    if pair is not None:
        st.session_state[mode_key] = PAIR
    mode = st.radio(t("scores.mode"), [SINGLE, PAIR], format_func={m: mode_label(m) for m in (SINGLE, PAIR)}.get,
                    horizontal=True, key=mode_key,
                    help=t("scores.mode_help"))
    if mode == PAIR:
        box = f"{key}_pair_text"
        if pair is not None:
            st.session_state[box] = "\n".join(pair)
        elif box not in st.session_state:
            st.session_state[box] = EXAMPLE_PAIR
        raw = st.text_area(t("scores.pair_box"), key=box, height=90)
        sentences = split_pair(raw)
        signature = (lm.name, PAIR, tuple(sentences))
    elif hidden:
        st.caption(t("scores.hidden"))
        return None
    else:
        shown = (text or "").strip()
        st.caption(t("scores.as_typed", text=shown) if shown else t("scores.type_above"))
        signature = (lm.name, SINGLE, shown)
    done_key = f"{key}_for"
    if run is None:
        if st.button(t("scores.go_single") if mode == SINGLE else t("scores.go_pair"), key=f"{key}_go",
                     type="primary"):
            st.session_state[done_key] = signature
        if st.session_state.get(done_key) != signature:
            st.caption(t("scores.press"))
            return None
    elif not run:
        return None
    if mode == PAIR:
        return _pair(lm, sentences, key)
    return _single(lm, text, key)
