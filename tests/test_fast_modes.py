"""Opt-in fast modes (bf16 weights, int8 dynamic quantization): same analysis, close predictions, original untouched.

No timings here: speed is measured by `python bench/run.py analysis`.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze, forward_at
from mlm_core.model.precision import MODES, prepare_fast, top_k_agreement, with_precision

SENTENCES = [
    "The cat sat on the [MASK] near the door.",
    "She went to the [MASK] to buy some bread.",
    "Paris is the [MASK] of France.",
    "The [MASK] was muddy after the rain.",
    "He played the [MASK] all night long.",
    "They walked along the river and [MASK] a boat.",
]


def _top10(lm, text):
    return [p.token_id for p in analyze(lm, text, top_k=10).masks[0].predictions]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("family", ["modernbert", "bert", "distilbert"])
def test_fast_mode_analysis_is_complete_and_finite(family_dirs, family, mode):
    from mlm_core.model.loading import load_model

    lm = load_model(str(family_dirs[family]))
    fast = prepare_fast(lm, mode)
    text = SENTENCES[0]
    ref, got = analyze(lm, text, top_k=10), analyze(fast, text, top_k=10)
    assert got.tokens == ref.tokens and got.mask_positions == ref.mask_positions
    assert got.attentions.shape == ref.attentions.shape and got.attentions.dtype == np.float32
    assert got.hidden_states.shape == ref.hidden_states.shape and got.hidden_states.dtype == np.float32
    assert np.isfinite(got.attentions).all() and np.isfinite(got.hidden_states).all()
    scores = [p.score for p in got.masks[0].predictions]
    assert all(np.isfinite(scores)) and scores == sorted(scores, reverse=True)
    # attention rows still sum to one
    np.testing.assert_allclose(got.attentions.sum(-1), 1.0, atol=2e-2)
    agree10, _ = top_k_agreement([_top10(lm, s) for s in SENTENCES], [_top10(fast, s) for s in SENTENCES])
    assert agree10 >= 0.8


@pytest.mark.parametrize("mode", MODES)
def test_fast_mode_leaves_the_original_untouched(tiny, mode):
    before = {k: v.clone() for k, v in tiny.model.state_dict().items()}
    fast = prepare_fast(tiny, mode)
    assert fast.model is not tiny.model and fast.tokenizer is tiny.tokenizer and fast.info == tiny.info
    assert mode in fast.name
    assert all(p.dtype == torch.float32 for p in tiny.model.parameters())
    assert all(type(m) is not torch.ao.nn.quantized.dynamic.Linear for m in tiny.model.modules())
    after = tiny.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_int8_quantizes_linear_layers_only(tiny):
    fast = prepare_fast(tiny, "int8")
    assert not [m for m in fast.model.modules() if type(m) is torch.nn.Linear]
    assert [m for m in fast.model.modules() if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)]
    assert fast.model.get_input_embeddings().weight.dtype == torch.float32


def test_fast_mode_works_with_batched_forward(tiny):
    fast = prepare_fast(tiny, "bf16")
    ids = tiny.tokenizer(["a b c [MASK] d", "e f [MASK] g h"], return_tensors="pt")["input_ids"]
    logits, _, _ = forward_at(fast, ids, [(0, 4), (1, 3)])
    assert logits.shape == (2, tiny.model.config.vocab_size)
    assert logits.dtype == torch.float32 and torch.isfinite(logits).all()


def test_unknown_mode_is_refused(tiny):
    with pytest.raises(MLMError, match="fast mode"):
        prepare_fast(tiny, "fp8")


def test_with_precision_picks_the_model_or_a_fast_copy(tiny):
    assert with_precision(tiny, "fp32") is tiny
    for mode in MODES:
        fast = with_precision(tiny, mode.upper())
        assert fast is not tiny and fast.name == f"{tiny.name} ({mode})"
        assert next(fast.model.parameters()).dtype == (torch.bfloat16 if mode == "bf16" else torch.float32)
    with pytest.raises(MLMError, match="Unknown precision 'fp16'"):
        with_precision(tiny, "fp16")


def test_agreement_with_fp32_on_the_bundled_model(bundled):
    ref = [_top10(bundled, s) for s in SENTENCES]
    for mode in MODES:
        agree10, agree1 = top_k_agreement(ref, [_top10(prepare_fast(bundled, mode), s) for s in SENTENCES])
        assert agree10 >= 0.8, mode
        assert agree1 >= 0.8, mode


def test_top_k_agreement():
    assert top_k_agreement([[1, 2, 3]], [[3, 2, 1]]) == (1.0, 0.0)
    assert top_k_agreement([[1, 2], [5, 6]], [[1, 9], [5, 6]]) == (0.75, 1.0)
    with pytest.raises(MLMError):
        top_k_agreement([], [])
