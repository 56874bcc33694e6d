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
from .models import get_model
from .state import large

VARIANT_LABELS = {"original": "original (Salazar et al. 2020)", "word-l2r": "word-l2r (Kauf & Ivanova 2023)"}
EXAMPLE_PAIR = "The keys to the cabinet are on the table.\nThe keys to the cabinet is on the table."
SINGLE, PAIR = "This sentence", "Minimal pair"
EXPLAIN = (
    "An MLM gives no probability for a whole sentence, but masking **each token in turn** and adding up the "
    "log-probabilities of the real tokens gives a **pseudo-log-likelihood** (PLL, Salazar et al. 2020; natural "
    "logs, in nats: closer to 0 = more natural to the model). The **original** variant lets a word split into "
    "pieces predict each piece from its own later pieces, which rates long, rare words far too likely; "
    "**word-l2r** (Kauf & Ivanova 2023) also masks the later pieces of the same word. The two agree on words of "
    "one piece. Pseudo-perplexity = exp(−PLL / tokens). Each costs one pass per token.")


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
        st.info("Type a sentence to score.")
        return None
    try:
        with st.spinner("Masking each token in turn, in both variants…"):
            scores = [cached_score(lm.name, text, v) for v in VARIANTS]
    except MLMError as err:
        st.info(str(err))
        return None
    cols = st.columns(len(scores))
    for col, s in zip(cols, scores):
        col.metric(f"PLL, {VARIANT_LABELS[s.variant]}", f"{s.total:.2f} nats",
                   help=f"pseudo-perplexity {s.pseudo_perplexity:.2f} over {len(s.token_log_probs)} tokens")
    diff = scores[0].total - scores[1].total
    if abs(diff) < 1e-9:
        st.caption("Both variants agree: no scored word is split into several pieces.")
    else:
        st.caption(f"The original variant rates the sentence {diff:.2f} nats more likely than word-l2r: the pieces of "
                   "split words predict each other there.")
    fig = token_scores_figure([(VARIANT_LABELS[s.variant], s.texts or s.tokens, s.token_log_probs) for s in scores],
                              title="log p of each token, the token masked (and, for word-l2r, its word's later pieces)",
                              large=large())
    show_figure(fig, key=f"{key}_bars")
    rows = score_rows(scores)
    with st.expander("Token scores as a table"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}_table")
    data_downloads(rows, key=f"{key}_tokens", label="Token scores")
    return scores


def _pair(lm: LoadedModel, sentences: list[str], key: str) -> dict[str, PairComparison] | None:
    if len(sentences) != 2:
        st.info(f"A minimal pair is two sentences, one per line; got {len(sentences)}. Give two versions of a "
                "sentence that differ in one place, e.g. 'are' / 'is'.")
        return None
    variant = st.radio("Variant", list(VARIANTS), format_func=VARIANT_LABELS.get, horizontal=True, key=f"{key}_variant")
    try:
        with st.spinner("Scoring both sentences…"):
            pairs = {v: cached_pair(lm.name, sentences[0], sentences[1], v) for v in VARIANTS}
    except MLMError as err:
        st.info(str(err))
        return None
    c = pairs[variant]
    better = c.first if c.preferred == 0 else c.second
    if abs(c.difference) < 1e-9:
        st.info("The model scores both sentences the same.")
    else:
        st.success(f"The model prefers **sentence {c.preferred + 1}** (“{better.text}”) by **{abs(c.difference):.2f} "
                   f"nats**: about {c.odds:,.1f} times as likely under the pseudo-likelihood ({variant}).")
    others = [v for v in VARIANTS if v != variant and pairs[v].preferred != c.preferred]
    if others:
        st.warning(f"The {others[0]} variant prefers the other sentence: the verdict depends on how split words are "
                   "scored.")
    fig = token_scores_figure([(f"sentence {i + 1}", s.texts or s.tokens, s.token_log_probs)
                               for i, s in enumerate((c.first, c.second))],
                              title=f"log p of each token ({VARIANT_LABELS[variant]})", large=large())
    show_figure(fig, key=f"{key}_pair_bars")
    rows = pair_rows(pairs)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}_pair_table")
    data_downloads(rows, key=f"{key}_pair", label="Pair scores")
    return pairs


def scores_section(lm: LoadedModel, text: str, key: str = "scores", pair: list[str] | None = None,
                   run: bool | None = None, hidden: bool = False):
    """Sentence scores of `text` (both variants, per token), or a minimal pair. `pair` given: minimal-pair mode with
    those sentences. `run` None: compute on a button press (a pass per token is costly on big models); True: at
    once. `hidden` (classroom mode hides words): this sentence's token table waits; minimal pairs still work.
    Returns the scores (a list, or a dict of comparisons per variant), or None."""
    st.subheader("Sentence scores: pseudo-log-likelihood, fair to long words")
    st.markdown(EXPLAIN)
    mode_key = f"{key}_mode"
    if pair is not None:
        st.session_state[mode_key] = PAIR
    mode = st.radio("Score", [SINGLE, PAIR], horizontal=True, key=mode_key,
                    help="A minimal pair: two sentences that differ in one place; which one does the model prefer?")
    if mode == PAIR:
        box = f"{key}_pair_text"
        if pair is not None:
            st.session_state[box] = "\n".join(pair)
        elif box not in st.session_state:
            st.session_state[box] = EXAMPLE_PAIR
        raw = st.text_area("Two sentences, one per line", key=box, height=90)
        sentences = split_pair(raw)
        signature = (lm.name, PAIR, tuple(sentences))
    elif hidden:
        st.caption("Its bars list every word of the sentence, so they wait until the hidden words are revealed.")
        return None
    else:
        shown = (text or "").strip()
        st.caption(f"Scores the sentence as typed (clicked masks are not applied): “{shown}”" if shown else
                   "Type a sentence above to score it.")
        signature = (lm.name, SINGLE, shown)
    done_key = f"{key}_for"
    if run is None:
        if st.button("Score" if mode == SINGLE else "Compare", key=f"{key}_go", type="primary"):
            st.session_state[done_key] = signature
        if st.session_state.get(done_key) != signature:
            st.caption("Press the button to score (one pass per token).")
            return None
    elif not run:
        return None
    if mode == PAIR:
        return _pair(lm, sentences, key)
    return _single(lm, text, key)
