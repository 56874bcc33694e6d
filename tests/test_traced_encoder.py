"""The fast modes' traced encoder: same outputs as the eager encoder, used only where a trace is valid.

No timings here: speed is measured by `python bench/run.py analysis`.
"""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze, forward_at
from mlm_core.model.loading import load_model
from mlm_core.model.precision import prepare_fast
from mlm_core.model.traced_encoder import TracedEncoder, encoder_of, install_traced_encoder
from tests.conftest import FAMILIES

TRACED_ON = "The old man walked along the [MASK] road to the village."


def encoder(lm) -> TracedEncoder:
    return encoder_of(lm.model)


def eager_analysis(lm, text, **kwargs):
    """The same fast copy with its encoder's trace path switched off."""
    enc = encoder(lm)
    lm.model.base_model.forward = enc.eager
    try:
        return analyze(lm, text, top_k=10, **kwargs)
    finally:
        enc.install()


@pytest.mark.parametrize("family", FAMILIES)
def test_traced_pass_equals_the_eager_pass_on_another_sentence(family_dirs, family):
    lm = load_model(str(family_dirs[family]))
    fast = prepare_fast(lm, "int8")
    plain = TRACED_ON.replace("[MASK]", "muddy")
    n = len(fast.tokenizer(plain)["input_ids"])
    analyze(fast, plain, top_k=10, mask_positions=[2])  # eager; traces this length in the background
    encoder(fast).wait()
    assert encoder(fast).traces.get((n, True, True)) is not None, "the tracer should follow every supported family"
    got = analyze(fast, plain, top_k=10, mask_positions=[n - 3])  # replays the trace on other token ids
    ref = eager_analysis(fast, plain, mask_positions=[n - 3])
    assert [p.token_id for p in got.masks[0].predictions] == [p.token_id for p in ref.masks[0].predictions]
    np.testing.assert_allclose([p.score for p in got.masks[0].predictions],
                               [p.score for p in ref.masks[0].predictions], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got.attentions, ref.attentions, atol=1e-5)
    np.testing.assert_allclose(got.hidden_states, ref.hidden_states, atol=1e-4)


def test_one_trace_per_length_and_outputs_asked_for(tiny):
    fast = prepare_fast(tiny, "bf16")
    enc = encoder(fast)
    plain, short = TRACED_ON.replace("[MASK]", "muddy"), "Paris is the [MASK] of France."
    for positions in ([2], [4], [2, 5]):  # one length, three different inputs
        analyze(fast, plain, mask_positions=positions)
        enc.wait()
    analyze(fast, short)
    enc.wait()
    lengths = {len(tiny.tokenizer(t)["input_ids"]) for t in (plain, short)}
    assert len(lengths) == 2
    assert set(enc.traces) == {(n, True, True) for n in lengths}
    ids = tiny.tokenizer(TRACED_ON, return_tensors="pt")["input_ids"]
    forward_at(fast, ids, [(0, 3)])  # predictions only: no attentions or hidden states asked for
    enc.wait()
    assert (ids.shape[1], False, False) in enc.traces


def test_batches_and_padding_use_the_eager_encoder(tiny):
    fast = prepare_fast(tiny, "int8")
    enc = encoder(fast)
    batch = tiny.tokenizer(["a b c [MASK] d e f", "e f [MASK] g"], padding=True, return_tensors="pt")
    logits, _, _ = forward_at(fast, batch["input_ids"], [(0, 4), (1, 3)], attention_mask=batch["attention_mask"])
    one = tiny.tokenizer(["e f [MASK] g h"], padding="max_length", max_length=12, return_tensors="pt")
    forward_at(fast, one["input_ids"], [(0, 3)], attention_mask=one["attention_mask"])
    assert enc.traces == {} and enc.pending == {} and torch.isfinite(logits).all()


def test_least_recently_used_traces_are_dropped(tiny):
    fast = prepare_fast(tiny, "int8")
    enc = encoder(fast)
    enc.max_traces = 2
    for text in ("a [MASK] b", "a [MASK] b c", "a [MASK] b c d"):
        analyze(fast, text)
        enc.wait()
    assert [k[0] for k in enc.traces] == [len(tiny.tokenizer(t)["input_ids"]) for t in ("a [MASK] b c", "a [MASK] b c d")]


def test_install_is_idempotent_and_copies_get_their_own_encoder(tiny):
    fast = prepare_fast(tiny, "bf16")
    assert encoder_of(tiny.model) is None
    enc = encoder(fast)
    assert install_traced_encoder(fast.model) is enc
    analyze(fast, TRACED_ON)
    enc.wait()
    clone = copy.deepcopy(fast.model)  # a fresh wrapper on the new weights, without the old traces
    assert encoder_of(clone) is not enc and encoder_of(clone).base is clone.base_model and not encoder_of(clone).traces
    ids = tiny.tokenizer(TRACED_ON, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        assert torch.equal(clone(input_ids=ids).logits, fast.model(input_ids=ids).logits)
    encoder_of(clone).wait()
    assert encoder_of(clone).traces


def test_the_first_pass_at_a_new_length_runs_eager_and_traces_in_the_background(tiny):
    fast = prepare_fast(tiny, "int8")
    enc = encoder(fast)
    key = (len(tiny.tokenizer(TRACED_ON)["input_ids"]), True, True)
    first = analyze(fast, TRACED_ON, top_k=10)
    assert key in enc.pending or key in enc.traces  # started, not waited for
    enc.wait()
    assert enc.pending == {} and enc.traces[key] is not None
    again = analyze(fast, TRACED_ON, top_k=10)  # replayed
    assert [p.token_id for p in again.masks[0].predictions] == [p.token_id for p in first.masks[0].predictions]
    np.testing.assert_allclose(again.attentions, first.attentions, atol=1e-6)


def test_synchronous_tracing_is_available(tiny):
    model = copy.deepcopy(tiny.model)
    enc = install_traced_encoder(model, background=False)
    ids = tiny.tokenizer(TRACED_ON, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        model(input_ids=ids)
    assert enc.pending == {} and enc.traces[(ids.shape[1], False, False)] is not None


def test_a_fast_copy_is_not_made_faster_again(tiny):
    with pytest.raises(MLMError, match="already"):
        prepare_fast(prepare_fast(tiny, "bf16"), "int8")
