"""Attention arithmetic: head averages, rollout, hiding tokens, range checks."""
import numpy as np
import pytest

from mlm_core.errors import MLMError
from mlm_core.inference.attention_tools import (attention_rollout, check_layer_head, head_average, hide_tokens,
                                      is_punctuation)


def random_attentions(layers=3, heads=2, seq=5, seed=0):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(layers, heads, seq, seq))
    e = np.exp(logits)
    return e / e.sum(-1, keepdims=True)


def test_head_average_is_mean_of_heads_and_rows_sum_to_one():
    a = random_attentions()
    avg = head_average(a, 1)
    assert avg.shape == (5, 5)
    np.testing.assert_allclose(avg, (a[1, 0] + a[1, 1]) / 2)
    np.testing.assert_allclose(avg.sum(-1), 1.0)


def test_rollout_rows_sum_to_one_with_and_without_residual():
    a = random_attentions(layers=4, heads=3, seq=6)
    for residual in (True, False):
        r = attention_rollout(a, add_residual=residual)
        assert r.shape == (6, 6)
        assert (r >= 0).all()
        np.testing.assert_allclose(r.sum(-1), 1.0)


def test_rollout_of_identity_attention_is_identity():
    a = np.broadcast_to(np.eye(4), (3, 2, 4, 4)).copy()
    np.testing.assert_allclose(attention_rollout(a), np.eye(4))
    np.testing.assert_allclose(attention_rollout(a, add_residual=False), np.eye(4))


def test_rollout_two_layer_example_by_hand():
    # Layer 0: heads [[1,0],[0,1]] and [[1,0],[1,0]] average to W0 = [[1,0],[.5,.5]].
    # Layer 1: one matrix [[0,1],[1,0]] in both heads, W1 = [[0,1],[1,0]].
    a = np.array([
        [[[1, 0], [0, 1]], [[1, 0], [1, 0]]],
        [[[0, 1], [1, 0]], [[0, 1], [1, 0]]],
    ], dtype=float)
    # With the residual: A0 = (W0 + I)/2 = [[1,0],[.25,.75]], A1 = [[.5,.5],[.5,.5]];
    # rollout = A1 @ A0 = [[.625,.375],[.625,.375]] (the other order would give all 0.5).
    np.testing.assert_allclose(attention_rollout(a), [[0.625, 0.375], [0.625, 0.375]])
    # Without: W1 @ W0 = [[.5,.5],[1,0]].
    np.testing.assert_allclose(attention_rollout(a, add_residual=False), [[0.5, 0.5], [1.0, 0.0]])


def test_hide_tokens_drops_rows_and_columns_and_renormalises():
    w = np.array([
        [0.5, 0.25, 0.25, 0.0],
        [0.1, 0.6, 0.2, 0.1],
        [0.0, 0.3, 0.3, 0.4],
        [1.0, 0.0, 0.0, 0.0],
    ])
    keep = [False, True, True, False]
    out, kept = hide_tokens(w, keep)
    assert kept == [1, 2]
    np.testing.assert_allclose(out, [[0.75, 0.25], [0.5, 0.5]])
    np.testing.assert_allclose(out.sum(-1), 1.0)
    # Stacked weights (layers, heads, seq, seq) are handled the same way, matrix by matrix.
    stacked, kept2 = hide_tokens(random_attentions(), [True, False, True, True, False])
    assert kept2 == [0, 2, 3] and stacked.shape == (3, 2, 3, 3)
    np.testing.assert_allclose(stacked.sum(-1), 1.0)


def test_hide_tokens_row_with_all_weight_on_hidden_tokens_becomes_zero():
    w = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    out, kept = hide_tokens(w, [True, False, True])
    assert kept == [0, 2]
    np.testing.assert_allclose(out, [[0.0, 0.0], [2 / 7, 5 / 7]])
    with pytest.raises(MLMError):
        hide_tokens(w, [True, False])


@pytest.mark.parametrize("token,expected", [
    (",", True), (".", True), ("##!", True), ("?!", True), ("Ġ,", True), ("...", True), ("'", True),
    ("bank", False), ("[CLS]", False), ("##s", False), ("", False), ("Ġ", False), ("1.5", False),
])
def test_is_punctuation(token, expected):
    assert is_punctuation(token) is expected


def test_check_layer_head_ranges():
    a = random_attentions(layers=4, heads=4)
    check_layer_head(a, 0, 0)
    check_layer_head(a, 3, 3)
    check_layer_head(a, 2, None)  # None = the head average
    with pytest.raises(MLMError, match=r"0\.\.3"):
        check_layer_head(a, 4, 0)
    with pytest.raises(MLMError, match=r"Layer -1"):
        check_layer_head(a, -1, 0)
    with pytest.raises(MLMError, match=r"Head 4 .*0\.\.3"):
        check_layer_head(a, 0, 4)
    with pytest.raises(MLMError):
        head_average(a, 9)
    with pytest.raises(MLMError):
        attention_rollout(np.ones((2, 2)))
