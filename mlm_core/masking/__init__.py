"""Masking strategies: `strategies` (BERT 80/10/10, mask-only, whole-word, span, as pure functions of ids and a
seeded generator) and `masker` (a strategy applied through a tokenizer: training batches, evaluation, the preview of
one sentence, measured proportions over a corpus)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.strategies: ACTION_NAMES STRATEGIES MaskingResult MaskingStrategy apply_masking
.masker: MaskedText StrategyStats TokenizerMasker mask_text measure_strategy
""")
