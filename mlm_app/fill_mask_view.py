"""Helpers for the Fill-mask page: chip labels, table rows, mask mapping between models, cached calls.

Pure functions take `mlm_core` results and return plain data, so the page only lays out widgets.
"""
from __future__ import annotations

import re

import streamlit as st

from mlm_core.analysis import (Analysis, JointFill, PseudoLikelihood, TargetScore, Word, iterative_fill, mask_slots,
                               pseudo_log_likelihood, score_targets)
from mlm_core.loading import MASK_SPELLINGS

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
    return dict(zip(positions, unique_labels([chip_text(analysis.original_tokens[i]) for i in positions])))


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
        out.append((w.text, [analysis.original_tokens[i] for i in w.token_indices]))
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
    if w is None:
        return f"mask {number}: {mask.original}"
    if len(w.token_indices) == 1:
        return f"mask {number}: {w.text}"
    k = w.token_indices.index(position) + 1
    return f"mask {number}: {w.text}, piece {k} of {len(w.token_indices)} ({mask.original})"


def prediction_pairs(analysis: Analysis, position: int) -> list[tuple[str, float]]:
    mask = next(m for m in analysis.masks if m.index == position)
    return [(p.token, p.score) for p in mask.predictions]


def prediction_records(analysis: Analysis) -> list[dict]:
    """One row per (mask, rank): mask_index (token position), original, rank, token, probability."""
    rows = []
    for m in analysis.masks:
        for rank, p in enumerate(m.predictions, start=1):
            rows.append({"mask_index": m.index, "original": m.original if m.original is not None else "[MASK]",
                         "rank": rank, "token": p.token, "probability": round(float(p.score), 6)})
    return rows


def fill_step_rows(joint: JointFill) -> list[dict]:
    return [{"step": k, "position": s.position, "token": s.token, "confidence": round(s.score, 4)}
            for k, s in enumerate(joint.steps, start=1)]


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
    return [{"word": s.word, "probability": s.prob, "log_prob": round(s.log_prob, 4), "pieces": " · ".join(s.pieces),
             "method": s.method} for s in scores]


def pll_rows(pll: PseudoLikelihood) -> list[dict]:
    return [{"token": t, "log_prob": round(lp, 4)} for t, lp in zip(pll.tokens, pll.token_log_probs)]


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
