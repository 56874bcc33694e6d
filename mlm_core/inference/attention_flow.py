"""Attention flow (Abnar & Zuidema 2020) beside rollout, and attentions in the form bertviz takes.

Attention flow treats the layers as a flow network: node (l, t) is token t after layer l (l = 0: the
input), and the edge from (l - 1, j) to (l, i) has capacity A_l[i, j], where A_l is the layer's
head-averaged attention with the identity added for the residual connection, rows renormalised (the
same matrices as `attention_rollout`). The flow from input token j to position i of the last layer is
the maximum flow between those two nodes. Rollout multiplies the matrices (every path counts); flow
takes the bottleneck (a path is only as wide as its narrowest edge), so flow values are larger and
flatter. Capacities are scaled to integers (FLOW_SCALE) for scipy's max-flow solver.
"""
from __future__ import annotations

import numpy as np

from ..errors import MLMError
from .attention_tools import _check_attentions, _normalise_rows

FLOW_SCALE = 1_000_000
MAX_FLOW_TOKENS = 128  # seq^2 max-flow problems: beyond this it stops being interactive


def flow_capacities(attentions: np.ndarray, add_residual: bool = True) -> np.ndarray:
    """The per-layer matrices A_l (layers, seq, seq) whose entries are the flow network's capacities."""
    a = _check_attentions(attentions)
    mixed = a.mean(axis=1)
    if add_residual:
        mixed = mixed + np.eye(a.shape[2])[None]
    return _normalise_rows(mixed)


def attention_flow(attentions: np.ndarray, add_residual: bool = True, positions: list[int] | None = None) -> np.ndarray:
    """(seq, seq): row i, the maximum flow from each input token j to position i of the last layer.

    `positions` limits the rows computed (the others stay 0)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    caps = flow_capacities(attentions, add_residual)
    n_layers, seq = caps.shape[0], caps.shape[1]
    if seq > MAX_FLOW_TOKENS:
        raise MLMError(f"Attention flow is limited to {MAX_FLOW_TOKENS} tokens (this text has {seq}); use rollout.")
    rows = list(range(seq)) if positions is None else list(positions)
    if any(not 0 <= p < seq for p in rows):
        raise MLMError(f"Positions must be between 0 and {seq - 1}.")
    src, dst, cap = [], [], []
    for layer in range(n_layers):  # edge (layer, j) -> (layer + 1, i) with capacity A[i, j]
        i, j = np.nonzero(caps[layer] > 0)
        src.append(layer * seq + j)
        dst.append((layer + 1) * seq + i)
        cap.append(np.rint(caps[layer][i, j] * FLOW_SCALE))
    n_nodes = (n_layers + 1) * seq
    graph = csr_matrix((np.concatenate(cap).astype(np.int32), (np.concatenate(src), np.concatenate(dst))),
                       shape=(n_nodes, n_nodes))
    out = np.zeros((seq, seq))
    sink_base = n_layers * seq
    for i in rows:
        for j in range(seq):
            out[i, j] = maximum_flow(graph, j, sink_base + i).flow_value / FLOW_SCALE
    return out


def attentions_for_bertviz(attentions: np.ndarray):
    """The tuple of per-layer float tensors (1, heads, seq, seq) that bertviz's head_view / model_view take.

    `attentions` is an analysis's (layers, heads, seq, seq) array (or the CLI's nested lists)."""
    import torch

    a = _check_attentions(attentions)
    return tuple(torch.from_numpy(np.array(layer, dtype=np.float32, copy=True))[None] for layer in a)  # own copies
