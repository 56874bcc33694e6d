"""Many sessions on one server: threads sharing one loaded model, and loads that overlap."""
from __future__ import annotations

import random
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze, iterative_fill, pseudo_log_likelihood
from mlm_core.model.loading import BUNDLED_DIR, load_model
from mlm_core.model.precision import prepare_fast

# Different lengths and 1-3 masks each, so that a call that saw another call's positions would give wrong rows.
TEXTS = [
    ("I went to the [MASK] to deposit money.", []),
    ("The [MASK] sat on the [MASK].", []),
    ("She opened the [MASK] and walked into the [MASK] with a [MASK].", []),
    ("He was born in [MASK] 1990.", []),
    ("The river bank was muddy after the rain.", [2, 5]),
    ("Birds can fly and fish can swim in the deep blue sea.", [3]),
]


def _signature(a):
    return [[(p.token_id, p.score) for p in m.predictions] for m in a.masks], a.attentions.shape, a.hidden_states[-1]


def _hammer(lm, calls: int = 160, workers: int = 8):
    reference = {i: _signature(analyze(lm, t, top_k=5, mask_positions=m)) for i, (t, m) in enumerate(TEXTS)}
    order = [random.Random(k).randrange(len(TEXTS)) for k in range(calls)]
    errors: list[BaseException] = []

    def one(i):
        text, masks = TEXTS[i]
        try:
            return i, _signature(analyze(lm, text, top_k=5, mask_positions=masks))
        except BaseException as err:  # noqa: BLE001 - collected and reported by the test
            errors.append(err)
            return i, None

    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, order))
    assert not errors, f"{len(errors)} calls failed, first: {errors[0]!r}"
    wrong = 0
    for i, sig in results:
        ref_preds, ref_shape, ref_last = reference[i]
        preds, shape, last = sig
        same = shape == ref_shape and [[t for t, _ in row] for row in preds] == [[t for t, _ in row] for row in ref_preds]
        same = same and all(abs(s - rs) <= 1e-4 for row, rrow in zip(preds, ref_preds) for (_, s), (_, rs) in zip(row, rrow))
        same = same and np.allclose(last, ref_last, atol=1e-4)
        wrong += not same
    assert wrong == 0, f"{wrong} of {calls} concurrent calls returned another result than the single-threaded reference"


def test_threads_on_one_shared_model_get_their_own_results(bundled):
    _hammer(bundled)


def test_threads_on_a_shared_fast_copy_get_their_own_results(bundled):
    fast = prepare_fast(bundled, "int8")  # with its background-traced encoder, traces made while others run
    _hammer(fast, calls=120)


def test_threads_mixing_other_entry_points(bundled):
    """Fill, PLL and analysis interleaved on one model: each call still sees only its own positions."""
    ids = bundled.tokenizer("the [MASK] sat on the [MASK] .")["input_ids"]
    ref_fill = iterative_fill(bundled, ids).tokens
    ref_pll = pseudo_log_likelihood(bundled, "The cat sat on the mat.").total

    def one(k):
        if k % 3 == 0:
            return "fill", iterative_fill(bundled, ids).tokens
        if k % 3 == 1:
            return "pll", pseudo_log_likelihood(bundled, "The cat sat on the mat.").total
        return "analyze", _signature(analyze(bundled, TEXTS[k % len(TEXTS)][0], top_k=3))

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(one, range(60)))
    for kind, value in results:
        if kind == "fill":
            assert value == ref_fill
        elif kind == "pll":
            assert value == pytest.approx(ref_pll, abs=1e-3)


def _tied(lm) -> bool:
    out, inp = lm.model.get_output_embeddings(), lm.model.get_input_embeddings()
    return out.weight.data_ptr() == inp.weight.data_ptr()


def test_concurrent_first_loads_all_succeed_and_stay_tied():
    barrier = threading.Barrier(6)

    def load(_):
        barrier.wait()
        return load_model("bundled")

    with ThreadPoolExecutor(6) as pool:
        models = list(pool.map(load, range(6)))
    assert all(_tied(lm) for lm in models)
    first = analyze(models[0], "I went to the [MASK] to deposit money.").masks[0].predictions[0].token_id
    assert all(analyze(lm, "I went to the [MASK] to deposit money.").masks[0].predictions[0].token_id == first
               for lm in models)
    assert _tied(load_model("bundled"))  # and a later load is still right


def test_a_failed_load_does_not_poison_later_ones(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(BUNDLED_DIR, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file" * 100)
    barrier = threading.Barrier(6)

    def load(k):
        barrier.wait()
        try:
            return load_model(str(broken if k % 2 else BUNDLED_DIR))
        except MLMError as err:
            return err

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(load, range(6)))
    assert sum(isinstance(o, MLMError) for o in outcomes) == 3
    assert all(_tied(o) for o in outcomes if not isinstance(o, MLMError))
    assert _tied(load_model("bundled"))


def test_a_class_patch_left_behind_is_put_back():
    """Whatever an interrupted load leaves swapped on PreTrainedModel is restored by the next load."""
    from transformers import PreTrainedModel

    load_model("bundled")  # records the originals
    original = PreTrainedModel.__dict__["tie_weights"]
    PreTrainedModel.tie_weights = lambda *args, **kwargs: None  # what an overlapping load used to leave behind
    try:
        lm = load_model("bundled")
        assert PreTrainedModel.__dict__["tie_weights"] is original
        assert _tied(lm)
    finally:
        PreTrainedModel.tie_weights = original


def test_the_rows_head_decision_is_made_at_load(family_dirs):
    for family, path in family_dirs.items():
        lm = load_model(str(path))
        assert lm.rows_head, family  # every supported family's head is position-wise
        ids = torch.tensor([lm.tokenizer("a b c d e")["input_ids"]])
        with torch.no_grad():
            full = lm.model(input_ids=ids).logits  # no positions set: a plain call is untouched by the hook
        assert full.shape[:2] == ids.shape
