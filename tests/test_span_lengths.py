"""Span lengths as SpanBERT defines them: Geometric(0.2) truncated at 10 by renormalising (mean 3.8), the lengths
span masking draws (a large seeded sample against the target) and the figure that sets them side by side."""
import numpy as np
import pytest
import torch

from mlm_core.masking.masker import measure_strategy
from mlm_core.masking.span_lengths import (draw_span_length, mean_span_length, span_length_distribution,
                                           span_length_counts)
from mlm_core.masking.strategies import MaskingStrategy, apply_masking

CHI2_9_DOF_P001 = 27.877  # the 99.9% quantile of chi-square with 9 degrees of freedom


def test_the_target_is_the_truncated_renormalised_geometric():
    probs = span_length_distribution(0.2, 10)
    assert len(probs) == 10 and probs.sum() == pytest.approx(1.0)
    assert probs[0] == pytest.approx(0.2 / (1 - 0.8 ** 10))
    assert np.allclose(probs[1:] / probs[:-1], 0.8)  # geometric all the way to 10: nothing piled up at the end
    assert mean_span_length(0.2, 10) == pytest.approx(3.797, abs=1e-3)
    assert probs[-1] == pytest.approx(0.0301, abs=1e-4)  # clipping would put 13.4% here


def test_the_sampler_draws_the_target():
    gen = torch.Generator().manual_seed(0)
    hist = span_length_counts([draw_span_length(0.2, 10, gen) for _ in range(40_000)])
    _assert_matches_target(hist, 40_000)


def _synthetic_batch(rows: int, seq: int = 128, seed: int = 0):
    """Ids with words of one to three pieces between a cls (0) and a sep (1)."""
    rng = np.random.default_rng(seed)
    word_ids = np.empty((rows, seq), dtype=np.int64)
    for r in range(rows):
        lengths = rng.choice([1, 1, 1, 2, 2, 3], size=seq)
        word_ids[r] = np.repeat(np.arange(seq), lengths)[:seq]
    word_ids[:, 0] = word_ids[:, -1] = -1
    special = torch.from_numpy(word_ids < 0)
    ids = torch.where(special, 0, torch.from_numpy(word_ids) % 50 + 5)
    return ids, special, torch.from_numpy(word_ids)


def _assert_matches_target(hist, at_least: int):
    target = np.asarray(hist.target)
    drawn = np.asarray(hist.drawn, dtype=float)
    n = drawn.sum()
    assert n >= at_least
    assert np.abs(drawn / n - target).max() < 0.01  # every bin within a point (about 4 standard errors)
    assert hist.mean("drawn") == pytest.approx(hist.mean("target"), abs=0.06)
    chi2 = float(((drawn - n * target) ** 2 / (n * target)).sum())
    assert chi2 < CHI2_9_DOF_P001


def test_span_masking_draws_its_lengths_from_the_target():
    ids, special, word_ids = _synthetic_batch(3000)
    result = apply_masking(ids, MaskingStrategy("span", rate=0.15), special_mask=special, mask_token_id=2,
                           random_pool=torch.arange(5, 55), generator=torch.Generator().manual_seed(11),
                           word_ids=word_ids)
    hist = span_length_counts(result.drawn_lengths, result.span_lengths)
    _assert_matches_target(hist, 10_000)
    # placed spans are the drawn ones, shortened only where the token budget or the sentence ends first
    assert len(result.span_lengths) == len(result.drawn_lengths)
    assert all(1 <= p <= d <= 10 for p, d in zip(result.span_lengths, result.drawn_lengths))
    assert 2.5 < hist.mean("placed") < hist.mean("drawn")  # the span that meets the budget keeps the words that fit


def test_the_corpus_measurement_reports_drawn_and_placed_lengths(tokenizer_dir, sample_lines):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    stats = measure_strategy(tok, sample_lines, MaskingStrategy("span"), n_tokens=100_000, seed=0)
    hist = span_length_counts(stats.drawn_span_lengths, stats.span_lengths)
    assert hist.n_spans == sum(stats.span_lengths.values()) > 2000
    assert hist.mean("drawn") == pytest.approx(3.8, abs=0.2)
    assert hist.shares("drawn")[-1] < 0.05


def test_the_figure_shows_drawn_placed_and_target():
    from mlm_core.viz.masking import span_lengths_vs_target

    hist = span_length_counts([1, 1, 2, 3, 10], [1, 1, 2, 2, 4])
    fig = span_lengths_vs_target(hist)
    names = [t.name for t in fig.data]
    assert len(names) == 3 and any("target" in n for n in names)
    target = next(t for t in fig.data if "target" in t.name)
    assert list(target.x) == list(range(1, 11)) and sum(target.y) == pytest.approx(1.0)
    assert any("mean 3.80" in n for n in names)
    empty = span_lengths_vs_target(span_length_counts([]))
    assert len(empty.data) >= 1  # the target alone, before anything was drawn
