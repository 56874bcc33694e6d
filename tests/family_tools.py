"""Per-family surgery for the tests that recompute by hand: a model cut after n layers, a layer's attention
output projection and its value projection, written out per family (independently of the core's own search)."""
from __future__ import annotations

import copy

import torch


def family(lm) -> str:
    return lm.info.family


def truncated(lm, n_layers: int) -> torch.nn.Module:
    """A deep copy of the masked LM that runs only its first `n_layers` layers, then whatever follows the last
    layer (ModernBERT's final norm) and the head, exactly as the full model does."""
    model = copy.deepcopy(lm.model)
    base = model.base_model
    kind = family(lm)
    if kind == "albert":
        model.config.num_hidden_layers = n_layers
        return model
    if kind == "modernbert":
        owner, attr = base, "layers"
    else:
        owner, attr = (base.transformer if kind == "distilbert" else base.encoder), "layer"
    setattr(owner, attr, getattr(owner, attr)[:n_layers])
    return model


def _layer(model: torch.nn.Module, kind: str, layer: int):
    base = model.base_model
    if kind == "modernbert":
        return base.layers[layer]
    if kind == "distilbert":
        return base.transformer.layer[layer]
    if kind == "albert":
        return base.encoder.albert_layer_groups[0].albert_layers[0]
    return base.encoder.layer[layer]


def output_projection(model: torch.nn.Module, kind: str, layer: int) -> torch.nn.Linear:
    """The Linear that takes the concatenated heads of `layer` (ALBERT: the one module all layers share)."""
    block = _layer(model, kind, layer)
    if kind == "modernbert":
        return block.attn.Wo
    if kind == "distilbert":
        return block.attention.out_lin
    if kind == "albert":
        return block.attention.dense
    return block.attention.output.dense


def values(model: torch.nn.Module, kind: str, layer: int, layer_input: torch.Tensor, n_heads: int) -> torch.Tensor:
    """The value vectors (heads, seq, head_dim) that `layer` computes from its input (seq, hidden)."""
    block = _layer(model, kind, layer)
    with torch.no_grad():
        if kind == "modernbert":
            qkv = block.attn.Wqkv(block.attn_norm(layer_input))
            v = qkv.view(qkv.shape[0], 3, n_heads, -1)[:, 2]
        elif kind == "distilbert":
            v = block.attention.v_lin(layer_input).view(layer_input.shape[0], n_heads, -1)
        elif kind == "albert":
            v = block.attention.value(layer_input).view(layer_input.shape[0], n_heads, -1)
        else:
            v = block.attention.self.value(layer_input).view(layer_input.shape[0], n_heads, -1)
    return v.transpose(0, 1)


def zero_head_by_hand(lm, heads: list[tuple[int, int]]) -> torch.nn.Module:
    """A deep copy with each (layer, head)'s columns of the output projection's weight set to zero: the head's
    output never reaches the layer (the bias stays, as with a head mask). ALBERT's layers share one projection,
    so there a head goes off in every layer."""
    model = copy.deepcopy(lm.model)
    kind = family(lm)
    with torch.no_grad():
        for layer, head in heads:
            proj = output_projection(model, kind, layer)
            d = proj.in_features // lm.info.heads
            proj.weight[:, head * d:(head + 1) * d] = 0
    return model


def all_kinds() -> list[str]:
    """Every model family of the fixtures: the six sharing one WordPiece tokenizer, and the three with their own."""
    from tests.conftest import FAMILIES, NATIVE_FAMILIES

    return list(FAMILIES) + [f"native-{k}" for k in NATIVE_FAMILIES]


_LOADED: dict[str, object] = {}


def model_of(kind: str, family_dirs, native_models):
    """The loaded fixture model of `kind` (one of `all_kinds()`), loaded once per test session."""
    if kind.startswith("native-"):
        return native_models[kind[len("native-"):]]
    path = str(family_dirs[kind])
    if path not in _LOADED:
        from mlm_core.model.loading import load_model

        _LOADED[path] = load_model(path)
    return _LOADED[path]
