"""Switching attention heads off, safe for many threads sharing one model.

No family in transformers 5 takes a `head_mask` any more, so a head is switched off at the input of its
layer's attention output projection (BERT's `attention.output.dense`, ModernBERT's `attn.Wo`, DistilBERT's
`attention.out_lin`, ALBERT's `attention.dense`): there the heads' outputs sit side by side, head h in
features h*d .. (h+1)*d - 1 of the concatenation, and zeroing them removes that head's contribution (the
projection's bias stays, as with a head mask). One forward pre-hook per projection is installed once per
model; which heads are off is a per-call value in a `ContextVar`, so concurrent calls never see each
other's choice. The hooks count the projections' calls within a pass, so the k-th call is layer k even
where layers share one module (ALBERT).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar

import torch

from ..errors import MLMError

OUTPUT_PROJECTIONS = ("attention.output.dense", "attention.out_lin", "attention.dense", "attn.Wo",
                      "attention.out_proj", "self_attn.out_proj", "attn.o_proj", "self_attn.o_proj")
_OFF: ContextVar[dict | None] = ContextVar("mlm_explorer_heads_off", default=None)
_HOOKED = "_mlm_explorer_head_hooks"
_LOCK = threading.Lock()


def output_projections(model: torch.nn.Module) -> list[torch.nn.Module]:
    """The attention output projections of the model's encoder, in module order."""
    return [m for name, m in model.base_model.named_modules()
            if name.endswith(OUTPUT_PROJECTIONS) and hasattr(m, "in_features")]


def _pre_hook(_module, args):
    state = _OFF.get()
    if state is None:
        return None
    layer = state["calls"]
    state["calls"] += 1
    heads = state["heads"].get(layer)
    if not heads:
        return None
    x = args[0].clone()
    d = x.shape[-1] // state["n_heads"]
    for h in heads:
        x[..., h * d:(h + 1) * d] = 0
    return (x,) + tuple(args[1:])


def install_head_hooks(model: torch.nn.Module) -> int:
    """Install the pre-hook on every projection that lacks it (a deep copy keeps them; a projection replaced
    later, as by int8 quantization, gets its own); the number of projections found."""
    with _LOCK:
        found = output_projections(model)
        for m in found:
            if not getattr(m, _HOOKED, False):
                m.register_forward_pre_hook(_pre_hook)
                setattr(m, _HOOKED, True)
    return len(found)


@contextmanager
def heads_off(model: torch.nn.Module, heads: dict[int, set[int]], n_heads: int, n_layers: int):
    """Within the block, passes on this thread run with `heads` ({layer: {head, ...}}) switched off.

    Raises MLMError after a pass that did not call one output projection per layer (a family this
    module does not know)."""
    if not install_head_hooks(model):
        raise MLMError(f"Head ablation is not available for {type(model).__name__}: its attention output "
                       "projections were not found.")
    state = {"heads": heads, "calls": 0, "n_heads": n_heads}
    token = _OFF.set(state)
    try:
        yield state
    finally:
        _OFF.reset(token)
    if state["calls"] != n_layers:
        raise MLMError(f"Head ablation is not available for {type(model).__name__}: the pass called "
                       f"{state['calls']} attention output projections for {n_layers} layers.")
