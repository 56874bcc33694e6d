"""Both PLL variants against minicons' MaskedLMScorer (`python bench/minicons_check.py`; needs `pip install minicons`,
which the project does not require). Prints the worst per-sentence difference in nats and the mean difference
between the variants over 30 sentences of the bundled sample corpus."""
from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TOLERANCE = 1e-4  # nats per sentence


class _Tokenizer:
    """minicons 0.3 calls `batch_encode_plus`, which transformers 5 removed; this forwards it to `__call__`."""

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer

    def __getattr__(self, name):
        return getattr(self._tokenizer, name)

    def __call__(self, *args, **kwargs):
        return self._tokenizer(*args, **kwargs)

    def batch_encode_plus(self, *args, **kwargs):
        return self._tokenizer(*args, **kwargs)


def minicons_scorer(scorer_module, lm):
    scorer = scorer_module.MaskedLMScorer(lm.model, tokenizer=lm.tokenizer, device="cpu")
    scorer.tokenizer = _Tokenizer(lm.tokenizer)
    return scorer


def main() -> int:
    import numpy as np
    from minicons import scorer as scorer_module

    from mlm_core.inference.scoring import sentence_score
    from mlm_core.model.loading import load_model
    from mlm_core.sentences import sample_sentences

    lm = load_model("bundled")
    sentences = sample_sentences(30, seed=0)
    scorer = minicons_scorer(scorer_module, lm)
    totals = {}
    for variant, metric in (("original", "original"), ("word-l2r", "within_word_l2r")):
        mine = np.array([sentence_score(lm, s, variant).total for s in sentences])
        theirs = np.array(scorer.sequence_score(sentences, reduction=lambda x: x.sum(0).item(), PLL_metric=metric))
        worst = float(np.abs(mine - theirs).max())
        print(f"{variant}: worst |mlm_core - minicons| = {worst:.2e} nats over {len(sentences)} sentences"
              f" ({'within' if worst <= TOLERANCE else 'OUTSIDE'} {TOLERANCE:g})")
        totals[variant] = mine
    gap = totals["original"] - totals["word-l2r"]
    print(f"original - word-l2r: mean {gap.mean():.2f} nats, max {gap.max():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
