"""What the Masking strategies page shows of a masking, as plain data: the counts under one sentence's preview,
the table and shares of the strategies measured on a corpus sample (`masker.measure_strategy`), and the span
lengths drawn."""
from __future__ import annotations

from dataclasses import dataclass

from .masker import MaskedText, StrategyStats

NO_TARGET = "·"  # where a position has no prediction (and no loss)


@dataclass(frozen=True)
class PreviewCounts:
    predicted: int  # tokens the model must predict
    tokens: int  # tokens of the sentence, special tokens left out
    span_lengths: list[int]  # spans placed, in words (span masking)


def preview_counts(masked: MaskedText, special_tokens) -> PreviewCounts:
    specials = set(special_tokens)
    return PreviewCounts(sum(label is not None for label in masked.labels),
                         sum(t not in specials for t in masked.tokens), list(masked.span_lengths))


def target_labels(masked: MaskedText) -> list[str]:
    """What must be predicted at each position, `NO_TARGET` where nothing is."""
    return [label if label is not None else NO_TARGET for label in masked.labels]


def mean_span(stats: StrategyStats) -> float | None:
    """Mean span length in words, None when the strategy placed no spans."""
    spans = sum(stats.span_lengths.values())
    return sum(k * v for k, v in stats.span_lengths.items()) / spans if spans else None


def stats_records(stats: dict[str, StrategyStats]) -> list[dict]:
    """One row per strategy: tokens, selected rate and the shares of [MASK] / random / kept (fractions), words split,
    mean span."""
    return [{"strategy": name, "tokens": s.n_tokens, "selected rate": s.selected_rate, "→ [MASK]": s.masked_share,
             "→ random": s.random_share, "kept": s.kept_share, "words split": s.words_split,
             "mean span (words)": mean_span(s)} for name, s in stats.items()]


def action_shares(stats: dict[str, StrategyStats]) -> dict[str, dict[str, float]]:
    """Per strategy, the share of all tokens masked, replaced, kept, and selected in all (for `action_share_bar`)."""
    return {name: {"masked": s.selected_rate * s.masked_share, "random": s.selected_rate * s.random_share,
                   "kept": s.selected_rate * s.kept_share, "selected": s.selected_rate} for name, s in stats.items()}
