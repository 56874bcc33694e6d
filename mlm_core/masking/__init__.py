"""Masking strategies: `strategies` (BERT 80/10/10, mask-only, whole-word, span, as pure functions of ids and a
seeded generator), `masker` (a strategy applied through a tokenizer: training batches, evaluation, the preview of
one sentence, measured proportions over a corpus), `words` (the tokenizer's own words, which whole-word and span
masking never split), `span_lengths` (SpanBERT's span-length distribution, drawn against target) and `report` (what
the Masking page shows of a masking: preview counts, the measured table, action shares, span lengths)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.strategies: ACTION_NAMES STRATEGIES MaskingResult MaskingStrategy apply_masking
.masker: MaskedText StrategyStats TokenizerMasker mask_text measure_strategy
.words: continuation_lookup word_ids_from_starts
.span_lengths: SpanLengthHistogram draw_span_length mean_span_length span_length_counts span_length_distribution
""")
