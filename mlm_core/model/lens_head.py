"""The model's own prediction head applied to any hidden states: what the logit lens needs.

`head_logits(model, rows)` runs the masked LM's own `forward` code with its encoder replaced by a stand-in
that returns `rows` as the last hidden state, so whatever the family puts between the encoder and the
logits (BERT's transform + LayerNorm + decoder, ModernBERT's head + decoder, DistilBERT's vocab_transform,
activation, vocab_layer_norm and vocab_projector, ELECTRA's generator head...) runs exactly as the model
runs it. Nothing on the shared model changes: the stand-in lives on a proxy object for one call.

`final_norm(model)` is the norm some encoders apply after their last layer (ModernBERT's `final_norm`):
a norm module of the encoder that is neither in the embeddings nor in a list of layers. The model's
hidden states already include it at the last layer; the lens applies it at the earlier ones.
"""
from __future__ import annotations

import threading
import weakref

import torch
from transformers.modeling_outputs import BaseModelOutput

from ..errors import MLMError

CHECK_TOLERANCE = 1e-4
_CACHE: "weakref.WeakKeyDictionary[torch.nn.Module, dict]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


class _Encoder:
    """Stands in for the encoder for one call: returns the given rows as the last hidden state."""

    def __init__(self, rows: torch.Tensor):
        self.rows = rows

    def __call__(self, *args, **kwargs):
        return BaseModelOutput(last_hidden_state=self.rows)


class _Proxy:
    """The masked LM with its encoder attribute answered by `_Encoder`; every other attribute is the model's."""

    def __init__(self, model: torch.nn.Module, rows: torch.Tensor):
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_encoder", _Encoder(rows))
        object.__setattr__(self, "_prefix", model.base_model_prefix)

    def __getattr__(self, name):
        if name == self._prefix:
            return self._encoder
        return getattr(self._model, name)


def head_logits(model: torch.nn.Module, rows: torch.Tensor) -> torch.Tensor:
    """Logits (..., outputs) of the model's own head on hidden states `rows` (batch, seq, hidden)."""
    if rows.ndim == 2:
        rows = rows[None]
    dtype = next(model.parameters()).dtype
    rows = rows.to(dtype if dtype.is_floating_point else torch.float32)
    dummy = torch.zeros(rows.shape[:2], dtype=torch.long)
    with torch.no_grad():
        out = type(model).forward(_Proxy(model, rows), input_ids=dummy, attention_mask=torch.ones_like(dummy))
    logits = out.logits if hasattr(out, "logits") else out[0]
    return logits.float()


def _inside(name: str, prefixes: list[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def final_norm(model: torch.nn.Module) -> torch.nn.Module | None:
    """The norm the encoder applies after its last layer, or None (post-LN encoders such as BERT have none)."""
    base = model.base_model
    named = dict(base.named_modules())
    lists = [n for n, m in named.items() if isinstance(m, torch.nn.ModuleList)]
    embeds = [n for n in named if n and "embed" in n.split(".")[-1].lower()]
    found = [m for n, m in named.items() if n and "norm" in type(m).__name__.lower()
             and not _inside(n, lists) and not _inside(n, embeds)]
    if len(found) > 1:
        raise MLMError(f"{type(model).__name__} has several norms outside its layers; the logit lens cannot tell "
                       "which one follows the last layer.")
    return found[0] if found else None


def lens_head_check(model: torch.nn.Module, input_ids: torch.Tensor) -> None:
    """Check once per model that the head on the last hidden state gives the model's logits; raise MLMError if not."""
    with _LOCK:
        facts = _CACHE.get(model)
    if facts is not None:
        if not facts["ok"]:
            raise MLMError(facts["why"])
        return
    ok, why = True, ""
    try:
        with torch.no_grad():
            out = model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), output_hidden_states=True)
        mine = head_logits(model, out.hidden_states[-1])
        full = out.logits.float()
        if mine.shape != full.shape:
            raise ValueError(f"shape {tuple(mine.shape)} against {tuple(full.shape)}")
        scale = max(float(full.abs().max()), 1.0)
        if float((mine - full).abs().max()) > CHECK_TOLERANCE * scale:
            raise ValueError("different values")
        final_norm(model)
    except MLMError as err:
        ok, why = False, str(err)
    except (RuntimeError, ValueError, TypeError, AttributeError, IndexError) as err:
        ok, why = False, f"The logit lens cannot run this model's head on its own ({type(err).__name__}: {err})."
    with _LOCK:
        _CACHE[model] = {"ok": ok, "why": why}
    if not ok:
        raise MLMError(why)
