"""Span lengths of span masking as SpanBERT defines them (Joshi et al. 2020): Geometric(p) truncated at `max_span`
words by renormalising, P(k) = p (1-p)^(k-1) / (1 - (1-p)^max_span) for k = 1..max_span (p = 0.2, at most 10:
mean 3.8), not clipped (min(10, Geometric(0.2)) has mean 4.46 and puts 13% of spans at 10).

`span_length_distribution` is the target, `draw_span_length` the sampler span masking uses, and
`span_length_counts` sets the lengths a masking drew (and those it placed, shortened by the token budget or
the room left in a sentence) beside the target, for the Masking page's chart.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch


@lru_cache(maxsize=32)
def _distribution(p: float, max_span: int) -> tuple[float, ...]:
    weights = [p * (1.0 - p) ** (k - 1) for k in range(1, max_span + 1)]
    total = sum(weights)
    return tuple(w / total for w in weights)


def span_length_distribution(p: float = 0.2, max_span: int = 10) -> np.ndarray:
    """P(length = k) for k = 1..max_span (index k - 1): the truncated, renormalised geometric."""
    return np.asarray(_distribution(float(p), int(max_span)))


def mean_span_length(p: float = 0.2, max_span: int = 10) -> float:
    """The target's mean (3.80 words for p = 0.2, max_span = 10)."""
    probs = span_length_distribution(p, max_span)
    return float(np.dot(np.arange(1, len(probs) + 1), probs))


@lru_cache(maxsize=32)
def _cdf(p: float, max_span: int) -> torch.Tensor:
    return torch.tensor(np.cumsum(_distribution(p, max_span)), dtype=torch.float64)


def draw_span_length(p: float, max_span: int, generator: torch.Generator) -> int:
    """One length from the target distribution (inverse CDF of one uniform from `generator`)."""
    cdf = _cdf(float(p), int(max_span))
    u = torch.rand((), generator=generator, dtype=torch.float64)
    return min(int(torch.searchsorted(cdf, u, right=True)) + 1, int(max_span))


@dataclass
class SpanLengthHistogram:
    lengths: list[int]  # 1..max_span
    target: list[float]  # P(length) of the distribution
    drawn: list[int]  # how many spans drew each length
    placed: list[int]  # how many spans were placed with each length (drawn, then shortened where needed)
    p: float = 0.2  # the geometric's parameter

    @property
    def n_spans(self) -> int:
        return sum(self.drawn)

    def shares(self, which: str = "drawn") -> list[float]:
        counts = getattr(self, which)
        total = sum(counts)
        return [c / total if total else 0.0 for c in counts]

    def mean(self, which: str = "drawn") -> float:
        if which == "target":
            return float(np.dot(self.lengths, self.target))
        counts = getattr(self, which)
        return float(np.dot(self.lengths, counts) / sum(counts)) if sum(counts) else float("nan")


def span_length_counts(drawn, placed=(), p: float = 0.2, max_span: int = 10) -> SpanLengthHistogram:
    """The lengths a span masking drew (`MaskingResult.drawn_lengths`, `StrategyStats.drawn_span_lengths`: a list or a
    Counter) and placed (`span_lengths`), counted per length, beside the target distribution."""

    def counts(values) -> list[int]:
        c = values if isinstance(values, Counter) else Counter(int(v) for v in values)
        return [int(c.get(k, 0)) for k in range(1, max_span + 1)]

    return SpanLengthHistogram(list(range(1, max_span + 1)), span_length_distribution(p, max_span).tolist(),
                               counts(drawn), counts(placed), float(p))
