"""Masking strategies applied through a tokenizer: to training batches (`TokenizerMasker`, which evaluation's
masking uses too), to one sentence (`mask_text`, the Masking page's preview) and to a corpus sample
(`measure_strategy`)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import torch

from ..errors import MLMError
from ..tokens import BPE_SPACE, SENTENCEPIECE_SPACE, WORDPIECE_PREFIX, boundary_ids, encode_stream, special_lookup, windows
from .strategies import (ACTION_NAMES, KEPT, MASKED, RANDOM, UNTOUCHED, MaskingResult, MaskingStrategy, apply_masking,
                         select_tokens, word_ids_from_continuation)


def continuation_lookup(tokenizer) -> torch.Tensor:
    """Per vocabulary id: does this piece continue the previous word? Knows WordPiece ('##'),
    byte-level BPE ('Ġ' starts a word) and SentencePiece ('▁' starts a word); see `mlm_core.tokens`."""
    pieces = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
    pieces = [p or "" for p in pieces]
    if sum(p.startswith(WORDPIECE_PREFIX) for p in pieces) > 0.05 * len(pieces):
        flags = [p.startswith(WORDPIECE_PREFIX) for p in pieces]
    elif sum(p.startswith(BPE_SPACE) for p in pieces) > 0.05 * len(pieces):
        flags = [not p.startswith(BPE_SPACE) and p.isalnum() for p in pieces]
    elif sum(p.startswith(SENTENCEPIECE_SPACE) for p in pieces) > 0.05 * len(pieces):
        flags = [not p.startswith(SENTENCEPIECE_SPACE) and p.isalnum() for p in pieces]
    else:
        flags = [False] * len(pieces)
    return torch.tensor(flags, dtype=torch.bool)


class TokenizerMasker:
    """Applies a masking strategy to batches of one tokenizer's ids."""

    def __init__(self, tokenizer):
        specials = special_lookup(tokenizer)
        if tokenizer.mask_token_id is None:
            raise MLMError("This tokenizer has no mask token.")
        self.special_lookup = specials
        self.random_pool = torch.nonzero(~specials).flatten()
        self.is_continuation = continuation_lookup(tokenizer)
        self.mask_token_id = tokenizer.mask_token_id

    def __call__(self, ids: torch.Tensor, strategy: MaskingStrategy, generator: torch.Generator, word_ids: torch.Tensor | None = None):
        special = self.special_lookup[ids]
        if word_ids is None and strategy.name in ("whole-word", "span"):
            word_ids = word_ids_from_continuation(ids, self.is_continuation, special)
        return apply_masking(ids, strategy, special_mask=special, mask_token_id=self.mask_token_id,
                             random_pool=self.random_pool, generator=generator, word_ids=word_ids)

    def mask_selected(self, ids: torch.Tensor, rate: float, generator: torch.Generator,
                      attention_mask: torch.Tensor | None = None) -> MaskingResult:
        """Evaluation's masking: each non-special, non-padding token is selected with probability `rate` (the
        selection draw of the token-level strategies, `select_tokens`) and every selected one becomes the mask
        token. Only the selection is drawn, one uniform per position, so a seeded evaluation masks the same
        positions whatever else the strategies draw."""
        special = self.special_lookup[ids]
        if attention_mask is not None:
            special = special | ~attention_mask.bool()
        chosen = select_tokens(ids.shape, rate, special, generator)
        masked = ids.masked_fill(chosen, self.mask_token_id)
        labels = torch.where(chosen, ids, torch.full_like(ids, -100))
        return MaskingResult(masked, labels, chosen.long() * MASKED)


@dataclass
class MaskedText:
    tokens: list[str]  # original pieces
    shown: list[str]  # what the model sees
    actions: list[str]  # untouched / masked / random / kept
    labels: list[str | None]  # what must be predicted, None where nothing is
    span_lengths: list[int]


def mask_text(tokenizer, text: str, strategy: MaskingStrategy, seed: int = 0) -> MaskedText:
    """Apply a strategy to one sentence with a seeded generator (word boundaries from the tokenizer)."""
    text = (text or "").strip()
    if not text:
        raise MLMError("The text is empty: type a sentence first.")
    enc = tokenizer(text, truncation=False)
    ids = torch.tensor([enc["input_ids"]])
    word_ids = torch.tensor([[-1 if w is None else w for w in enc.word_ids()]])
    result = TokenizerMasker(tokenizer)(ids, strategy, torch.Generator().manual_seed(seed), word_ids=word_ids)
    tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"])
    shown = tokenizer.convert_ids_to_tokens(result.input_ids[0].tolist())
    labels = [tokens[i] if int(lab) != -100 else None for i, lab in enumerate(result.labels[0])]
    return MaskedText(tokens, shown, [ACTION_NAMES[int(a)] for a in result.actions[0]], labels, result.span_lengths)


@dataclass
class StrategyStats:
    n_tokens: int
    selected_rate: float
    masked_share: float  # of selected
    random_share: float
    kept_share: float
    span_lengths: Counter
    words_split: int  # words only partly selected (whole-word and span give 0; token-level BERT does not)


def measure_strategy(tokenizer, lines: list[str], strategy: MaskingStrategy, n_tokens: int = 100_000, seed: int = 0,
                     seq_len: int = 128) -> StrategyStats:
    """Measured proportions of a strategy over about n_tokens of text (sequences of seq_len)."""
    if not lines:
        raise MLMError("No text to measure the strategy on.")
    stream = encode_stream(tokenizer, lines, stop_after=n_tokens)
    ids = torch.from_numpy(windows(stream, seq_len, *boundary_ids(tokenizer), max_windows=max(1, n_tokens // (seq_len - 2)),
                                   at_least_one=True).astype(np.int64))
    n = ids.shape[0]
    masker = TokenizerMasker(tokenizer)
    result = masker(ids, strategy, torch.Generator().manual_seed(seed))
    actions = result.actions
    content = ~masker.special_lookup[ids]
    selected = actions != UNTOUCHED
    n_sel = max(int(selected.sum()), 1)
    split = 0
    word_ids = word_ids_from_continuation(ids, masker.is_continuation, masker.special_lookup[ids])
    for r in range(n):
        seen: dict[int, set] = {}
        for w, s in zip(word_ids[r].tolist(), selected[r].tolist()):
            if w >= 0:
                seen.setdefault(w, set()).add(s)
        split += sum(1 for v in seen.values() if len(v) > 1)
    return StrategyStats(
        n_tokens=int(content.sum()), selected_rate=int(selected.sum()) / max(int(content.sum()), 1),
        masked_share=int((actions == MASKED).sum()) / n_sel, random_share=int((actions == RANDOM).sum()) / n_sel,
        kept_share=int((actions == KEPT).sum()) / n_sel, span_lengths=Counter(result.span_lengths), words_split=split,
    )
