"""Masking strategies applied through a tokenizer: to training batches (`TokenizerMasker`, which evaluation's
masking uses too), to one sentence (`mask_text`, the Masking page's preview) and to a corpus sample
(`measure_strategy`). Whole-word and span masking group tokens into the tokenizer's own words (`words`)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import torch

from ..errors import MLMError
from ..tokens import encode_windows, special_lookup
from .strategies import (ACTION_NAMES, KEPT, MASKED, RANDOM, UNTOUCHED, MaskingResult, MaskingStrategy, apply_masking,
                         select_tokens)
from .words import continuation_lookup, word_ids_from_starts


class TokenizerMasker:
    """Applies a masking strategy to batches of one tokenizer's ids."""

    def __init__(self, tokenizer):
        specials = special_lookup(tokenizer)
        if tokenizer.mask_token_id is None:
            raise MLMError("This tokenizer has no mask token.")
        self.special_lookup = specials
        self.random_pool = torch.nonzero(~specials).flatten()
        self.is_continuation = continuation_lookup(tokenizer)
        self.ends_word = specials.clone()  # special tokens end a word, except the unknown token inside one
        if tokenizer.unk_token_id is not None and tokenizer.unk_token_id < len(specials):
            self.ends_word[tokenizer.unk_token_id] = False
        self.mask_token_id = tokenizer.mask_token_id

    def word_ids(self, ids: torch.Tensor, word_starts: torch.Tensor | None = None) -> torch.Tensor:
        """Word index per token of a (batch, seq) batch, -1 on special tokens: from `word_starts` (the encodings'
        words, `tokens.encode_windows`) when given, else judged from the ids alone (`words.continuation_lookup`).
        An unknown token belongs to its word (it is never selected itself, as no special token is)."""
        starts = ~self.is_continuation[ids] if word_starts is None else torch.as_tensor(word_starts, dtype=torch.bool)
        return word_ids_from_starts(starts, self.ends_word[ids])

    def __call__(self, ids: torch.Tensor, strategy: MaskingStrategy, generator: torch.Generator,
                 word_ids: torch.Tensor | None = None, word_starts: torch.Tensor | None = None) -> MaskingResult:
        """Mask a batch; whole-word and span group by `word_ids`, else by the words of `word_starts` or the ids."""
        special = self.special_lookup[ids]
        if word_ids is None and strategy.name in ("whole-word", "span"):
            word_ids = self.word_ids(ids, word_starts)
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
    span_lengths: Counter  # span lengths as placed (in words)
    words_split: int  # words only partly selected (whole-word and span give 0; token-level BERT does not)
    drawn_span_lengths: Counter = field(default_factory=Counter)  # as drawn, before the budget shortened any


def measure_strategy(tokenizer, lines: list[str], strategy: MaskingStrategy, n_tokens: int = 100_000, seed: int = 0,
                     seq_len: int = 128) -> StrategyStats:
    """Measured proportions of a strategy over about n_tokens of text (sequences of seq_len)."""
    if not lines:
        raise MLMError("No text to measure the strategy on.")
    ids, starts = encode_windows(tokenizer, lines, seq_len, stop_after=n_tokens,
                                 max_windows=max(1, n_tokens // (seq_len - 2)), at_least_one=True)
    ids = torch.from_numpy(ids.astype(np.int64))
    n = ids.shape[0]
    masker = TokenizerMasker(tokenizer)
    word_ids = masker.word_ids(ids, torch.from_numpy(starts))
    result = masker(ids, strategy, torch.Generator().manual_seed(seed), word_ids=word_ids)
    actions = result.actions
    content = ~masker.special_lookup[ids]
    selected = actions != UNTOUCHED
    n_sel = max(int(selected.sum()), 1)
    split = 0
    in_word = torch.where(masker.special_lookup[ids], -1, word_ids)  # an unknown token is never selected
    for r in range(n):
        seen: dict[int, set] = {}
        for w, s in zip(in_word[r].tolist(), selected[r].tolist()):
            if w >= 0:
                seen.setdefault(w, set()).add(s)
        split += sum(1 for v in seen.values() if len(v) > 1)
    return StrategyStats(
        n_tokens=int(content.sum()), selected_rate=int(selected.sum()) / max(int(content.sum()), 1),
        masked_share=int((actions == MASKED).sum()) / n_sel, random_share=int((actions == RANDOM).sum()) / n_sel,
        kept_share=int((actions == KEPT).sum()) / n_sel, span_lengths=Counter(result.span_lengths), words_split=split,
        drawn_span_lengths=Counter(result.drawn_lengths),
    )
