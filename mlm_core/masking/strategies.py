"""Masking strategies as pure functions of token ids and an explicit random generator.

Every strategy returns the ids the model sees, the labels it must predict (-100 where
nothing is predicted) and a per-token action a page can colour.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from ..errors import MLMError
from .span_lengths import draw_span_length

UNTOUCHED, MASKED, RANDOM, KEPT = 0, 1, 2, 3
ACTION_NAMES = {UNTOUCHED: "untouched", MASKED: "masked", RANDOM: "random", KEPT: "kept"}
STRATEGIES = ("bert", "mask-only", "whole-word", "span")


@dataclass(frozen=True)
class MaskingStrategy:
    """What to select and what to do with the selected tokens.

    name: bert (token-level, 80/10/10), mask-only (every selected token becomes the mask),
    whole-word (all pieces of a selected word together), span (SpanBERT: contiguous runs of
    whole words, lengths from Geometric(span_p) truncated at max_span, see `span_lengths`).
    `rate` is the share of non-special tokens selected, strictly between 0 and 1; of those
    `mask_prob` become the mask token, `random_prob` a random token, the rest are kept
    (`from_shares` takes all three and checks that they make 100%).
    """

    name: str = "bert"
    rate: float = 0.15
    mask_prob: float = 0.8
    random_prob: float = 0.1
    span_p: float = 0.2
    max_span: int = 10

    def __post_init__(self):
        if self.name not in STRATEGIES:
            raise MLMError(f"Unknown masking strategy '{self.name}'. Choose one of: {', '.join(STRATEGIES)}.")
        if not 0.0 < self.rate < 1.0:
            raise MLMError(f"A masking rate of {self.rate:g} cannot train: at 0 nothing is selected to predict, at 1 "
                           "nothing is left to predict it from. Choose a rate between 0 and 1 (BERT uses 0.15).")
        if self.mask_prob < 0 or self.random_prob < 0 or self.mask_prob + self.random_prob > 1.0 + 1e-9:
            raise MLMError(f"The [MASK] and random shares ({self.mask_prob:.0%} and {self.random_prob:.0%}) must be "
                           "non-negative and add up to at most 100%; the kept share is the rest.")
        if not 0.0 < self.span_p < 1.0 or self.max_span < 1:
            raise MLMError("span_p must be in (0, 1) and max_span at least 1.")

    @classmethod
    def from_shares(cls, name: str, rate: float, mask: float, random: float, keep: float, **kw) -> "MaskingStrategy":
        """A strategy from the three shares of the selected tokens (fractions: [MASK], random, kept), refused with a
        clear message unless each is in [0, 1] and together they make 100%."""
        shares = {"[MASK]": mask, "random": random, "kept": keep}
        if any(not 0.0 <= v <= 1.0 for v in shares.values()) or abs(mask + random + keep - 1.0) > 1e-6:
            parts = " + ".join(f"{k} {v:.0%}" for k, v in shares.items())
            raise MLMError(f"The shares of the selected tokens must each be between 0% and 100% and add up to 100%: "
                           f"{parts} = {mask + random + keep:.0%}.")
        return cls(name, rate=rate, mask_prob=mask, random_prob=random, **kw)

    @property
    def keep_prob(self) -> float:
        return 0.0 if self.name == "mask-only" else max(0.0, 1.0 - self.mask_prob - self.random_prob)

    def replacement_probs(self) -> tuple[float, float, float]:
        """(mask, random, keep) probabilities for a selected unit."""
        if self.name == "mask-only":
            return 1.0, 0.0, 0.0
        return self.mask_prob, self.random_prob, self.keep_prob

    def describe(self) -> str:
        m, r, k = self.replacement_probs()
        base = f"{self.name}: {self.rate:.0%} selected; {m:.0%} mask / {r:.0%} random / {k:.0%} kept"
        if self.name == "span":
            base += f"; span lengths ~ Geometric({self.span_p}) truncated at {self.max_span} words"
        return base


@dataclass
class MaskingResult:
    input_ids: torch.Tensor  # (batch, seq) what the model sees
    labels: torch.Tensor  # (batch, seq) original id where predicted, -100 elsewhere
    actions: torch.Tensor  # (batch, seq) UNTOUCHED / MASKED / RANDOM / KEPT
    span_lengths: list[int] = field(default_factory=list)  # in words as placed, span strategy only
    drawn_lengths: list[int] = field(default_factory=list)  # in words as drawn (span_lengths.draw_span_length)


def select_tokens(shape, rate: float, special_mask: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Token-level selection: each position with probability `rate` (one uniform per position), never a special one."""
    return (torch.rand(shape, generator=generator) < rate) & ~special_mask


def _replace(input_ids, selected_units, unit_of_token, strategy, mask_token_id, random_pool, generator):
    """Apply the mask/random/keep choice per selected unit (token, word or span)."""
    m, r, _ = strategy.replacement_probs()
    n_units = selected_units.shape[-1]
    draw = torch.rand(selected_units.shape, generator=generator)
    unit_action = torch.full(selected_units.shape, UNTOUCHED, dtype=torch.long)
    unit_action[selected_units & (draw < m)] = MASKED
    unit_action[selected_units & (draw >= m) & (draw < m + r)] = RANDOM
    unit_action[selected_units & (draw >= m + r)] = KEPT
    valid = unit_of_token >= 0
    actions = torch.gather(unit_action, 1, unit_of_token.clamp(0, max(n_units - 1, 0)))
    actions = torch.where(valid, actions, torch.full_like(actions, UNTOUCHED))
    masked_ids = input_ids.clone()
    masked_ids[actions == MASKED] = mask_token_id
    n_random = int((actions == RANDOM).sum())
    if n_random:
        picks = torch.randint(0, len(random_pool), (n_random,), generator=generator)
        masked_ids[actions == RANDOM] = random_pool[picks]
    labels = torch.where(actions != UNTOUCHED, input_ids, torch.full_like(input_ids, -100))
    return masked_ids, labels, actions


def _place(taken: torch.Tensor, length: int, generator) -> tuple[int, int]:
    """(start, room): a start drawn uniformly among the places where `length` free words follow; where there is
    none, the start of the longest free run (room < length). room is 0 when every word is taken."""
    n = len(taken)
    length = min(length, n)
    before = torch.zeros(n + 1, dtype=torch.long)
    before[1:] = torch.cumsum(taken.long(), 0)
    fits = torch.nonzero(before[length:] - before[:n - length + 1] == 0).flatten()
    if len(fits):
        return int(fits[int(torch.randint(0, len(fits), (1,), generator=generator))]), length
    best, run, start = (0, 0), 0, 0
    for i, is_taken in enumerate(taken.tolist()):
        run, start = (0, i + 1) if is_taken else (run + 1, start)
        best = max(best, (run, -start))
    return -best[1], best[0]


def _span_selection(word_ids_row: torch.Tensor, strategy: MaskingStrategy, generator) -> list[tuple[int, int, int]]:
    """Pick whole-word spans until the token budget is used; (start word, placed length, drawn length) per span.

    Each span draws its length from the target distribution and a start among the places with that many free
    words (`_place`); the span that reaches the budget keeps the whole words that fit."""
    valid = word_ids_row >= 0
    if not bool(valid.any()):
        return []
    n_words = int(word_ids_row.max()) + 1
    taken = torch.zeros(n_words, dtype=torch.bool)
    tokens_per_word = torch.bincount(word_ids_row[valid], minlength=n_words)
    exact = strategy.rate * int(valid.sum())
    budget = math.floor(exact) + int(torch.rand((), generator=generator) < (exact - math.floor(exact)))
    used, spans, tries = 0, [], 0
    while used < budget and tries < 10 * n_words + 20:
        tries += 1
        drawn = draw_span_length(strategy.span_p, strategy.max_span, generator)
        start, room = _place(taken, drawn, generator)
        if room == 0:
            break
        cost = tokens_per_word[start:start + room].cumsum(0)
        fits = int((cost <= budget - used).sum())
        if fits == 0:
            if used == 0 or tries > 5 * n_words:
                fits = 1  # one word always allowed so short texts still get a prediction
            else:
                continue
        taken[start:start + fits] = True
        used += int(cost[fits - 1])
        spans.append((start, fits, drawn))
    return spans


def apply_masking(
    input_ids: torch.Tensor,
    strategy: MaskingStrategy,
    *,
    special_mask: torch.Tensor,
    mask_token_id: int,
    random_pool: torch.Tensor,
    generator: torch.Generator,
    word_ids: torch.Tensor | None = None,
) -> MaskingResult:
    """Mask a batch of ids (batch, seq). Special tokens are never selected.

    word_ids (batch, seq; -1 on specials) is required for whole-word and span.
    random_pool holds the ids a 'random' replacement may draw from (no special tokens).
    """
    if input_ids.dim() == 1:
        input_ids, special_mask = input_ids[None], special_mask[None]
        word_ids = None if word_ids is None else word_ids[None]
    special_mask = special_mask.bool()
    if strategy.name in ("bert", "mask-only"):
        selected = select_tokens(input_ids.shape, strategy.rate, special_mask, generator)
        unit_of_token = torch.where(special_mask, -1, torch.arange(input_ids.shape[1]).expand_as(input_ids))
        ids, labels, actions = _replace(input_ids, selected, unit_of_token, strategy, mask_token_id, random_pool, generator)
        return MaskingResult(ids, labels, actions)
    if word_ids is None:
        raise MLMError(f"The '{strategy.name}' strategy needs word boundaries (word_ids).")
    word_ids = torch.where(special_mask, torch.full_like(word_ids, -1), word_ids.long())
    n_words = int(word_ids.max()) + 1 if bool((word_ids >= 0).any()) else 1
    if strategy.name == "whole-word":
        selected = torch.rand((input_ids.shape[0], n_words), generator=generator) < strategy.rate
        ids, labels, actions = _replace(input_ids, selected, word_ids, strategy, mask_token_id, random_pool, generator)
        return MaskingResult(ids, labels, actions)
    # span: choose whole-word spans per row, then one mask/random/keep decision per span
    span_of_word = torch.full((input_ids.shape[0], n_words), -1, dtype=torch.long)
    all_lengths: list[int] = []
    drawn_lengths: list[int] = []
    max_spans = 1
    for row in range(input_ids.shape[0]):
        spans = _span_selection(word_ids[row], strategy, generator)
        for k, (start, length, drawn) in enumerate(spans):
            span_of_word[row, start:start + length] = k
            all_lengths.append(length)
            drawn_lengths.append(drawn)
        max_spans = max(max_spans, len(spans))
    selected_spans = torch.zeros((input_ids.shape[0], max_spans), dtype=torch.bool)
    for row in range(input_ids.shape[0]):
        used = span_of_word[row][span_of_word[row] >= 0].unique()
        selected_spans[row, used] = True
    token_span = torch.where(word_ids >= 0, torch.gather(span_of_word, 1, word_ids.clamp(min=0)), torch.full_like(word_ids, -1))
    ids, labels, actions = _replace(input_ids, selected_spans, token_span, strategy, mask_token_id, random_pool, generator)
    return MaskingResult(ids, labels, actions, all_lengths, drawn_lengths)
