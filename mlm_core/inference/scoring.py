"""Sentence scores: pseudo-log-likelihood in two variants, per token, and minimal pairs.

* 'original' (Salazar et al. 2020): mask each token in turn and add up log p(token | the rest).
* 'word-l2r' (`within_word_l2r`, Kauf & Ivanova 2023): when scoring a piece, also mask the later pieces
  of the same word, so a long word split into pieces cannot predict itself from its own later pieces
  (the original variant rates long, rare words far too likely). Words are the tokenizer's words
  (`word_ids`), as in minicons.

Scored tokens are every token but the start, end and padding tokens, as minicons' MaskedLMScorer scores
them; log-probabilities are natural logs over the whole output layer. One batched pass per 64 tokens.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from ..errors import MLMError
from ..model.loading import LoadedModel
from .analysis import encode, forward_at
from .token_text import display_tokens

VARIANTS = ("original", "word-l2r")
_ALIASES = {"within_word_l2r": "word-l2r", "word_l2r": "word-l2r", "l2r": "word-l2r"}


@dataclass
class SentenceScore:
    text: str
    variant: str
    tokens: list[str]  # raw pieces scored
    positions: list[int]  # their positions in the encoded text
    token_log_probs: list[float]
    total: float  # sum of token_log_probs, nats
    pseudo_perplexity: float
    texts: list[str] = field(default_factory=list)  # display texts of `tokens`
    masked_with: list[list[int]] = field(default_factory=list)  # per scored token, every position masked for it


@dataclass
class PairComparison:
    first: SentenceScore
    second: SentenceScore
    preferred: int  # 0: the first sentence scores higher, 1: the second
    difference: float  # first.total - second.total, nats

    @property
    def odds(self) -> float:
        """How many times more likely the preferred sentence is under the pseudo-likelihood."""
        return math.exp(abs(self.difference))


def check_variant(variant: str) -> str:
    v = _ALIASES.get(str(variant).strip().lower(), str(variant).strip().lower())
    if v not in VARIANTS:
        raise MLMError(f"Unknown scoring variant '{variant}'.", f"Choose one of: {', '.join(VARIANTS)}.")
    return v


def mask_sets(word_ids: list[int | None], positions: list[int], variant: str) -> list[list[int]]:
    """For each scored position, the positions masked while scoring it."""
    if variant == "original":
        return [[p] for p in positions]
    last = positions[-1] if positions else -1
    return [[p] + ([j for j in range(p + 1, last + 1) if word_ids[j] == word_ids[p]] if word_ids[p] is not None else [])
            for p in positions]


def sentence_score(lm: LoadedModel, text: str, variant: str = "original", batch_size: int = 64) -> SentenceScore:
    """Pseudo-log-likelihood of a complete sentence, per token and in total (see the module docstring)."""
    variant = check_variant(variant)
    text, enc = encode(lm, text)
    ids = list(enc["input_ids"])
    tok = lm.tokenizer
    if tok.mask_token_id in ids:
        raise MLMError("A sentence score needs a complete sentence: remove the masks first.")
    skip = {tok.cls_token_id, tok.sep_token_id, tok.pad_token_id} - {None}
    positions = [i for i, t in enumerate(ids) if t not in skip]
    if not positions:
        raise MLMError("The text has no tokens to score.")
    sets = mask_sets(enc.word_ids(), positions, variant)
    scores: list[float] = []
    for start in range(0, len(positions), batch_size):
        chunk = list(zip(positions[start:start + batch_size], sets[start:start + batch_size]))
        batch = torch.tensor([ids] * len(chunk))
        for row, (_, masked) in enumerate(chunk):
            batch[row, masked] = tok.mask_token_id
        logits, _, _ = forward_at(lm, batch, [(row, p) for row, (p, _) in enumerate(chunk)])
        logp = torch.log_softmax(logits, dim=-1)
        scores.extend(float(logp[row, ids[p]]) for row, (p, _) in enumerate(chunk))
    total = float(sum(scores))
    pieces = tok.convert_ids_to_tokens([ids[p] for p in positions])
    return SentenceScore(text, variant, pieces, positions, scores, total, math.exp(-total / len(scores)),
                         display_tokens(pieces, tok), sets)


def score_sentences(lm: LoadedModel, texts: list[str], variant: str = "original") -> list[SentenceScore]:
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        raise MLMError("Give at least one sentence to score.")
    return [sentence_score(lm, t, variant) for t in texts]


def compare_pair(lm: LoadedModel, sentences: list[str], variant: str = "original") -> PairComparison:
    """Which of two sentences (a minimal pair) the model prefers, and by how many nats."""
    texts = [t for t in sentences if t and t.strip()]
    if len(texts) != 2:
        raise MLMError(f"A minimal pair is two sentences; got {len(texts)}.",
                       "Give two versions of a sentence that differ in one place.")
    first, second = (sentence_score(lm, t, variant) for t in texts)
    diff = first.total - second.total
    return PairComparison(first, second, 0 if diff >= 0 else 1, diff)
