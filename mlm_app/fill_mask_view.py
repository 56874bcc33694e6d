"""Helpers for the Fill-mask page: chip labels, table rows, mask mapping between models, cached calls.

Pure functions take `mlm_core` results and return plain data, so the page only lays out widgets.
"""
from __future__ import annotations

import re

import streamlit as st

from mlm_core.inference.analysis import (Analysis, JointFill, PseudoLikelihood, TargetScore, Word, coverage, iterative_fill,
                               mask_slots, pseudo_log_likelihood, score_targets)
from mlm_core.inference.token_text import display_tokens
from mlm_core.model.loading import MASK_SPELLINGS, LoadedModel

from .models import get_model

_ZWSP = "\u200b"  # invisible: makes repeated words ("to ... to") distinct chip labels
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$])")


# ---------------------------------------------------------------- chips


def chip_text(text: str) -> str:
    """A word or piece as literal text in a chip (markdown characters escaped)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text.startswith("#"):
        text = "\\" + text
    return text or "␣"


def unique_labels(labels: list[str]) -> list[str]:
    """Chip labels must be unique (the selection travels as labels); repeats get invisible suffixes."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(label + _ZWSP * n)
    return out


def written_mask_positions(analysis: Analysis) -> set[int]:
    """Token positions of mask tokens typed in the text ([MASK] / <mask>)."""
    return {m.index for m in analysis.masks if m.original is None}


def word_chip_options(analysis: Analysis) -> dict[int, str]:
    """word index -> chip label, for the words that can be clicked (typed masks are always masked)."""
    written = written_mask_positions(analysis)
    words = [w for w in analysis.words if not set(w.token_indices) & written]
    return dict(zip([w.index for w in words], unique_labels([chip_text(w.text) for w in words])))


def piece_chip_options(analysis: Analysis) -> dict[int, str]:
    """token position -> chip label, for every non-special token that is not a typed mask."""
    written = written_mask_positions(analysis)
    positions = [i for i, s in enumerate(analysis.special) if not s and i not in written]
    return dict(zip(positions, unique_labels([chip_text(_original_text(analysis, i)) for i in positions])))


def _original_text(analysis: Analysis, position: int) -> str:
    """Display text of the piece that was at `position` before masking ('Ġbank' -> 'bank')."""
    texts = analysis.original_texts
    return texts[position] if position < len(texts) else display_tokens([analysis.original_tokens[position]])[0]


# ---------------------------------------------------------------- masks, labels, rows


def word_at(analysis: Analysis, position: int) -> Word | None:
    for w in analysis.words:
        if position in w.token_indices:
            return w
    return None


def split_words(analysis: Analysis, positions: tuple[int, ...] | list[int]) -> list[tuple[str, list[str]]]:
    """(word, its pieces) for every masked word that the tokenizer splits into several pieces."""
    out, done = [], set()
    for p in positions:
        w = word_at(analysis, p)
        if w is None or w.index in done or len(w.token_indices) < 2:
            continue
        done.add(w.index)
        out.append((w.text, [_original_text(analysis, i) for i in w.token_indices]))
    return out


def split_message(word: str, pieces: list[str]) -> str:
    shown = " · ".join(f"`{p}`" for p in pieces)
    return (f"'{word}' is split into {len(pieces)} pieces; each piece is predicted independently, so every chart "
            f"below shows one piece ({shown}), never the whole word.")


def mask_label(analysis: Analysis, position: int, number: int) -> str:
    """'mask 2: bank' / 'mask 3: hippopotamus, piece 2 of 3 (##opotam)' / 'mask 1: typed [MASK]'."""
    mask = next((m for m in analysis.masks if m.index == position), None)
    if mask is None or mask.original is None:
        return f"mask {number}: typed mask"
    w = word_at(analysis, position)
    piece = _original_text(analysis, position)
    if w is None:
        return f"mask {number}: {piece}"
    if len(w.token_indices) == 1:
        return f"mask {number}: {w.text}"
    k = w.token_indices.index(position) + 1
    return f"mask {number}: {w.text}, piece {k} of {len(w.token_indices)} ({piece})"


def prediction_pairs(analysis: Analysis, position: int) -> list[tuple[str, float, str]]:
    """(display text, probability, raw piece) of one mask's predictions, for the bar charts."""
    mask = next(m for m in analysis.masks if m.index == position)
    return [(p.text or p.token, p.score, p.token) for p in mask.predictions]


def prediction_records(analysis: Analysis) -> list[dict]:
    """One row per (mask, rank): mask_index (token position), original (its text), rank, token (display text),
    piece (the raw piece, e.g. 'ĠAward'), probability."""
    rows = []
    for m in analysis.masks:
        original = _original_text(analysis, m.index) if m.original is not None else analysis.tokens[m.index]  # '<mask>' ...
        for rank, p in enumerate(m.predictions, start=1):
            rows.append({"mask_index": m.index, "original": original, "rank": rank, "token": p.text or p.token,
                         "piece": p.token, "probability": round(float(p.score), 6)})
    return rows


def fill_step_rows(joint: JointFill, blanks: dict[int, str] | None = None) -> list[dict]:
    """One row per step: which blank was filled (its label, not a token index), the token, its confidence.

    `blanks` maps token positions to labels ('mask 2: bank', 'blank 3 of 8'); see `mask_blank_labels` and
    `generation_blank_labels`."""
    blanks = blanks or {}
    return [{"step": k, "blank": blanks.get(s.position, f"blank {k}"), "token": s.text or s.token, "piece": s.token,
             "confidence": round(s.score, 4)} for k, s in enumerate(joint.steps, start=1)]


def mask_blank_labels(analysis: Analysis) -> dict[int, str]:
    """Token position -> 'mask 2: bank' for every mask of the analysis (the charts' titles)."""
    return {m.index: mask_label(analysis, m.index, k) for k, m in enumerate(analysis.masks, start=1)}


def generation_blank_labels(token_ids: list[int], mask_id: int) -> dict[int, str]:
    """Token position -> 'blank 3 of 8' for the masks of an all-mask sequence."""
    positions = [i for i, t in enumerate(token_ids) if t == mask_id]
    return {p: f"blank {k} of {len(positions)}" for k, p in enumerate(positions, start=1)}


def sequence_text(tokenizer, tokens: list[str]) -> str:
    """A token sequence as readable text: special tokens dropped, masks kept visible."""
    mask = tokenizer.mask_token
    skip = set(tokenizer.all_special_tokens) - {mask}
    kept = [t for t in tokens if t not in skip]
    parts, run = [], []
    for t in kept + [None]:
        if t is None or t == mask:
            if run:
                parts.append(tokenizer.convert_tokens_to_string(run).strip())
                run = []
            if t == mask:
                parts.append("▢")
        else:
            run.append(t)
    return " ".join(p for p in parts if p)


def target_rows(scores: list[TargetScore]) -> list[dict]:
    return [{"word": s.word, "probability": s.prob, "log_prob": round(s.log_prob, 4),
             "pieces": " · ".join(s.piece_texts or s.pieces), "method": s.method} for s in scores]


def pll_rows(pll: PseudoLikelihood) -> list[dict]:
    texts = pll.texts or pll.tokens
    return [{"token": x, "piece": t, "log_prob": round(lp, 4)} for x, t, lp in zip(texts, pll.tokens, pll.token_log_probs)]


def coverage_note(lm: LoadedModel, analysis: Analysis) -> str | None:
    """A short note when the vocabulary barely covers the text (e.g. Korean typed into the English-only
    bundled model, split into jamo or bytes or read as [UNK]); None when the text reads normally."""
    cov = coverage(lm, analysis)
    if not cov.poor:
        return None
    bad = cov.unknown + cov.fragments
    unk = lm.tokenizer.unk_token or "[UNK]"
    what = (f"{bad} of the {cov.pieces} pieces of this text are {unk} or single characters (or parts of characters) "
            "of a script its vocabulary lacks, so its predictions here say little.")
    if lm.source == "bundled":
        return "The model is English-only; " + what
    return "This model's vocabulary hardly covers this text; " + what


def parse_targets(raw: str) -> tuple[str, ...]:
    out = []
    for part in (raw or "").split(","):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return tuple(out)


# ---------------------------------------------------------------- mapping masks between two models


def raw_index_map(raw_text: str, mask_token: str) -> list[int]:
    """For each character index of the model-normalised text (masks respelled as `mask_token`, stripped),
    the index in the stripped user text; one extra entry for the end."""
    raw = (raw_text or "").strip()
    out: list[int] = []
    pos = 0
    for m in MASK_SPELLINGS.finditer(raw):
        out.extend(range(pos, m.start()))
        out.extend([m.start()] * len(mask_token))
        pos = m.end()
    out.extend(range(pos, len(raw)))
    out.append(len(raw))
    return out


def _raw_span(analysis: Analysis, index_map: list[int], position: int) -> tuple[int, int]:
    a, b = analysis.offsets[position]
    a, b = min(a, len(index_map) - 1), min(b, len(index_map) - 1)
    return index_map[a], index_map[b]


def _overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def slot_spans(analysis: Analysis, raw_text: str, mask_token: str) -> list[tuple[list[int], tuple[int, int]]]:
    """Each mask slot of `analysis` with its character span in the user's text."""
    index_map = raw_index_map(raw_text, mask_token)
    out = []
    for slot in mask_slots(analysis):
        spans = [_raw_span(analysis, index_map, p) for p in slot]
        out.append((slot, (min(s[0] for s in spans), max(s[1] for s in spans))))
    return out


def mapped_positions(spans: list[tuple[list[int], tuple[int, int]]], other_base: Analysis, raw_text: str,
                     other_mask_token: str) -> tuple[int, ...]:
    """Token positions of the other model's (unmasked) analysis covering the same words as `spans`.

    Typed masks need no mapping: the other model reads them as its own mask token."""
    index_map = raw_index_map(raw_text, other_mask_token)
    written = written_mask_positions(other_base)
    out = []
    for p, special in enumerate(other_base.special):
        if special or p in written:
            continue
        span = _raw_span(other_base, index_map, p)
        if span[1] > span[0] and any(_overlaps(span, s) for _, s in spans):
            out.append(p)
    return tuple(out)


def pair_slots(spans: list[tuple[list[int], tuple[int, int]]], other: Analysis, raw_text: str,
               other_mask_token: str) -> list[tuple[list[int], list[int] | None]]:
    """Each slot of the first model with the other model's slot over the same characters (or None)."""
    other_spans = slot_spans(other, raw_text, other_mask_token)
    pairs = []
    for slot, span in spans:
        match = next((s for s, sp in other_spans if _overlaps(span, sp) or span == sp), None)
        pairs.append((slot, match))
    return pairs


# ---------------------------------------------------------------- cached computations


@st.cache_data(max_entries=128, show_spinner=False)
def cached_joint_fill(model_name: str, token_ids: tuple[int, ...], order: str = "confidence") -> JointFill:
    """Iterative decoding: one forward pass per mask."""
    return iterative_fill(get_model(model_name), list(token_ids), order=order)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_pll(model_name: str, text: str) -> PseudoLikelihood:
    """Pseudo-log-likelihood: one masked copy of the sentence per token."""
    return pseudo_log_likelihood(get_model(model_name), text)


@st.cache_data(max_entries=128, show_spinner=False)
def cached_target_scores(model_name: str, text: str, positions: tuple[int, ...], slot: tuple[int, ...],
                         targets: tuple[str, ...], _analysis: Analysis) -> list[TargetScore]:
    """Scores of typed words at one slot; `_analysis` is the analysis of (model_name, text, positions)."""
    return score_targets(get_model(model_name), _analysis, list(slot), list(targets))
