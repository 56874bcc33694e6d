"""Attention flow against a max-flow written by hand, and the attentions bertviz takes."""
import warnings

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze
from mlm_core.inference.attention_flow import attention_flow, attentions_for_bertviz, flow_capacities
from mlm_core.inference.attention_tools import attention_rollout


def _max_flow_by_hand(caps: np.ndarray, source: int, sink: int) -> float:
    """Edmonds–Karp on the layered graph: node (l, t) = l * seq + t, edge (l, j) -> (l + 1, i) of capacity A_l[i, j]."""
    n_layers, seq = caps.shape[0], caps.shape[1]
    n = (n_layers + 1) * seq
    residual = np.zeros((n, n))
    for l in range(n_layers):
        for i in range(seq):
            for j in range(seq):
                residual[l * seq + j, (l + 1) * seq + i] = caps[l, i, j]
    total = 0.0
    while True:
        parent = {source: None}
        queue = [source]
        while queue and sink not in parent:
            u = queue.pop(0)
            for v in range(n):
                if v not in parent and residual[u, v] > 1e-12:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return total
        path, v = [], sink
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(residual[u, v] for u, v in path)
        for u, v in path:
            residual[u, v] -= push
            residual[v, u] += push
        total += push


def test_flow_equals_a_max_flow_by_hand():
    rng = np.random.default_rng(3)
    att = rng.random((3, 2, 4, 4))
    att /= att.sum(-1, keepdims=True)
    flow = attention_flow(att)
    caps = flow_capacities(att)
    assert np.allclose(caps.sum(-1), 1.0)
    for i in range(4):
        for j in range(4):
            assert flow[i, j] == pytest.approx(_max_flow_by_hand(caps, j, 3 * 4 + i), abs=1e-5)
    assert (flow <= 1.0 + 1e-6).all() and (flow > 0).all()
    assert np.allclose(attention_flow(att, positions=[2])[2], flow[2]) and not attention_flow(att, positions=[2])[0].any()


def test_flow_of_one_layer_is_its_attention():
    """With one layer and no residual the only path from j to i is the edge itself."""
    att = np.array([[[[0.7, 0.3], [0.4, 0.6]]]])
    assert np.allclose(attention_flow(att, add_residual=False), att[0, 0], atol=1e-6)
    assert np.allclose(attention_rollout(att, add_residual=False), att[0, 0])


def test_flow_refuses_bad_positions_and_shapes():
    att = np.full((1, 1, 3, 3), 1 / 3)
    with pytest.raises(MLMError, match="between 0 and 2"):
        attention_flow(att, positions=[3])
    with pytest.raises(MLMError, match="layers, heads, seq, seq"):
        attention_flow(np.zeros((3, 3)))


def test_attentions_for_bertviz_are_per_layer_tensors(tiny):
    a = analyze(tiny, "The cat sat on the mat.")
    att = attentions_for_bertviz(a.attentions)
    assert isinstance(att, tuple) and len(att) == tiny.info.layers
    for layer, t in enumerate(att):
        assert isinstance(t, torch.Tensor) and t.dtype == torch.float32
        assert tuple(t.shape) == (1, tiny.info.heads, len(a.tokens), len(a.tokens))
        assert np.allclose(t[0].numpy(), a.attentions[layer])
    frozen = a.attentions.copy()
    frozen.flags.writeable = False  # as the app's shared cache hands it out
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.equal(attentions_for_bertviz(frozen)[0], att[0])
    from_json = attentions_for_bertviz(a.attentions.round(6).tolist())  # the CLI's JSON lists
    assert len(from_json) == tiny.info.layers and torch.allclose(from_json[0], att[0], atol=1e-6)


def test_bertviz_accepts_them_unchanged(tiny):
    pytest.importorskip("IPython")
    bertviz = pytest.importorskip("bertviz")
    a = analyze(tiny, "The cat sat on the mat.")
    att = attentions_for_bertviz(a.attentions)
    assert "<script" in bertviz.head_view(att, a.tokens, html_action="return").data
    assert "<script" in bertviz.model_view(att, a.tokens, html_action="return").data
