"""The masked-LM head at chosen positions only, safe for many threads sharing one model.

A masked LM's head is position-wise, so the logits at a few masks only need those rows of the
encoder's last hidden state. One forward hook, installed once per model when it is loaded, hands
the head just those rows. Which rows is a per-call value kept in a `ContextVar`, so concurrent
calls on the same shared model (sessions of a classroom, each in its own thread) never see each
other's positions, and no call adds or removes anything on the shared module.

Whether a family's head really is position-wise is decided once, at load time, by comparing the
gathered path against full logits on a short input (`rows_head_works`); a model that fails that
check computes full logits and gathers the rows afterwards.
"""
from __future__ import annotations

from contextvars import ContextVar

import torch

_ROWS: ContextVar[tuple[torch.Tensor, torch.Tensor] | None] = ContextVar("mlm_explorer_rows", default=None)
_HOOKED = "_mlm_explorer_rows_hook"
CHECK_TOLERANCE = 1e-4


def _select_rows(_module, _args, output):
    rows = _ROWS.get()
    if rows is None:
        return output
    b_idx, s_idx = rows
    output.last_hidden_state = output.last_hidden_state[b_idx, s_idx][None]
    return output


def install_rows_hook(model: torch.nn.Module) -> None:
    """Install the row-selecting hook on the model's encoder (once; a deep copy keeps it)."""
    base = model.base_model
    if not getattr(base, _HOOKED, False):
        base.register_forward_hook(_select_rows)
        setattr(base, _HOOKED, True)


def logits_at(model: torch.nn.Module, kwargs: dict, b_idx: torch.Tensor, s_idx: torch.Tensor, rows_head: bool):
    """(model outputs, logits at the (b_idx, s_idx) positions as an (M, vocab) tensor) from one forward pass."""
    if not rows_head:
        out = model(**kwargs)
        return out, out.logits[b_idx, s_idx]
    token = _ROWS.set((b_idx, s_idx))
    try:
        out = model(**kwargs)
    finally:
        _ROWS.reset(token)
    return out, out.logits[0]


@torch.no_grad()
def rows_head_works(model: torch.nn.Module, input_ids: torch.Tensor) -> bool:
    """Whether the head on gathered rows gives the full model's logits at those rows (checked once per model)."""
    install_rows_hook(model)
    n = input_ids.shape[1]
    b_idx = torch.zeros(2, dtype=torch.long)
    s_idx = torch.tensor([1 % n, (n - 2) % n], dtype=torch.long)
    kwargs = dict(input_ids=input_ids, attention_mask=torch.ones_like(input_ids))
    try:
        _, gathered = logits_at(model, kwargs, b_idx, s_idx, rows_head=True)
        _, full = logits_at(model, kwargs, b_idx, s_idx, rows_head=False)
    except (RuntimeError, IndexError, ValueError, TypeError, AttributeError):
        return False  # the head needs more than the rows of the last hidden state
    if gathered.shape != full.shape:
        return False
    scale = max(float(full.abs().max()), 1.0)
    return float((gathered.float() - full.float()).abs().max()) <= CHECK_TOLERANCE * scale
