"""Attention arithmetic for the attention page: head averages, rollout, hiding tokens (pure numpy).

All functions take attention arrays shaped like `Analysis.attentions`, (layers, heads, seq, seq),
or single matrices (seq, seq) whose rows (the "from" / query tokens) sum to 1.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from ..errors import MLMError
from ..tokens import PIECE_MARKERS


def _check_attentions(attentions: np.ndarray) -> np.ndarray:
    a = np.asarray(attentions, dtype=np.float64)
    if a.ndim != 4 or a.shape[2] != a.shape[3]:
        raise MLMError(f"Expected attentions shaped (layers, heads, seq, seq), got shape {a.shape}.")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise MLMError(f"The attentions have no layers or no heads (shape {a.shape}).")
    return a


def _normalise_rows(w: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; rows that sum to 0 stay 0 (nothing left to distribute)."""
    sums = w.sum(axis=-1, keepdims=True)
    return np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)


def check_layer_head(attentions: np.ndarray, layer: int, head: int | None = None) -> None:
    """Raise MLMError naming the valid ranges when `layer` (or `head`, unless None = average) is out of range."""
    a = _check_attentions(attentions)
    n_layers, n_heads = a.shape[:2]
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < n_layers:
        raise MLMError(f"Layer {layer} is out of range: this model has attention layers 0..{n_layers - 1}.")
    if head is not None and (isinstance(head, bool) or not isinstance(head, (int, np.integer))
                             or not 0 <= head < n_heads):
        raise MLMError(f"Head {head} is out of range: each layer has heads 0..{n_heads - 1}.")


def head_average(attentions: np.ndarray, layer: int) -> np.ndarray:
    """The mean over heads of one layer's attention, (seq, seq); rows still sum to 1."""
    check_layer_head(attentions, layer)
    return np.asarray(attentions, dtype=np.float64)[layer].mean(axis=0)


def attention_rollout(attentions: np.ndarray, add_residual: bool = True) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema 2020), (seq, seq).

    Per layer: average the heads, add the identity for the residual connection (when
    `add_residual`) and renormalise the rows, giving A_l = (W_l + I) / 2. Then multiply the
    layers from first to last: R = A_L · … · A_2 · A_1. Row i of R says how much each input
    token flows into position i of the last layer; rows sum to 1.
    """
    a = _check_attentions(attentions)
    seq = a.shape[2]
    eye = np.eye(seq)
    rollout = eye
    for layer in range(a.shape[0]):
        mixed = a[layer].mean(axis=0)
        if add_residual:
            mixed = mixed + eye
        rollout = _normalise_rows(mixed) @ rollout
    return rollout


def is_punctuation(token: str) -> bool:
    """True when the token (word-piece markers stripped) is only punctuation, e.g. ',', '.', '##!', '?!'."""
    text = str(token).strip()
    for marker in PIECE_MARKERS:
        if text.startswith(marker):
            text = text[len(marker):]
    text = text.strip()
    return bool(text) and all(unicodedata.category(ch).startswith("P") for ch in text)


def hide_tokens(weights: np.ndarray, keep_mask) -> tuple[np.ndarray, list[int]]:
    """Drop the rows and columns of hidden tokens and renormalise each remaining row to sum to 1.

    `weights` is (..., seq, seq) (one matrix, per head or per layer and head); `keep_mask` has one
    bool per token. Rows whose whole weight went to hidden tokens become all zero. Returns the
    smaller array and the original indices of the kept tokens.
    """
    w = np.asarray(weights, dtype=np.float64)
    keep = np.asarray(keep_mask, dtype=bool)
    if w.ndim < 2 or w.shape[-1] != w.shape[-2]:
        raise MLMError(f"Expected square attention weights (..., seq, seq), got shape {w.shape}.")
    if keep.ndim != 1 or len(keep) != w.shape[-1]:
        raise MLMError(f"Need one keep flag per token ({w.shape[-1]}), got {keep.size}.")
    kept = np.flatnonzero(keep)
    smaller = w[..., kept, :][..., :, kept]
    return _normalise_rows(smaller), [int(i) for i in kept]


def visible_tokens(tokens: list[str], special: list[bool], mask_token: str) -> list[bool]:
    """Which tokens stay when special tokens and punctuation are hidden (a mask token always stays)."""
    return [not ((sp and tok != mask_token) or is_punctuation(tok)) for tok, sp in zip(tokens, special)]


@dataclass(frozen=True)
class ShownTokens:
    """The tokens an attention figure shows, and the same cut for any weights over all tokens (`of`)."""

    tokens: list[str]
    keep: list[bool] | None  # None: every token is shown
    nothing_left: bool = False  # hiding was asked for, but every token is special or punctuation

    @property
    def hidden(self) -> bool:
        return self.keep is not None

    def of(self, weights: np.ndarray) -> np.ndarray:
        """`weights` (..., seq, seq) with the hidden tokens dropped and rows rescaled (when some are hidden)."""
        return hide_tokens(weights, self.keep)[0] if self.keep is not None else np.asarray(weights, dtype=float)


def shown_tokens(tokens: list[str], special: list[bool], mask_token: str, hide: bool) -> ShownTokens:
    """All tokens, or (with `hide`) those left when special tokens and punctuation are hidden; all of them again
    when nothing would be left."""
    if not hide:
        return ShownTokens(list(tokens), None)
    keep = visible_tokens(tokens, special, mask_token)
    if not any(keep):
        return ShownTokens(list(tokens), None, nothing_left=True)
    return ShownTokens([t for t, k in zip(tokens, keep) if k], keep)


def weight_records(matrix: np.ndarray, tokens: list[str], layer: int, head) -> list[dict]:
    """One row per (from, to) pair of one attention matrix, for the downloads."""
    n = len(tokens)
    return [{"layer": layer, "head": head, "from_index": i, "from": tokens[i], "to_index": j, "to": tokens[j],
             "weight": float(matrix[i, j])} for i in range(n) for j in range(n)]
