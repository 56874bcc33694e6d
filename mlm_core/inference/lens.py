"""The logit lens at each mask (nostalgebraist 2020): the model's own head read at every layer.

The hidden state at a masked position after each layer goes through what the model puts after its last
layer: the encoder's final norm where it has one (ModernBERT), then the prediction head (see
`model.lens_head`). No extra encoder pass: the rows come from the analysis's hidden states, so the last
layer gives exactly the analysis's predictions. Rankings leave out the ids no fill may offer, as the fill
does (`analysis.offerable`). Intermediate layers were never trained to be read by the head: early layers
often rank frequent or copied tokens first, which says as much about the head as about the layer.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from ..errors import MLMError
from ..model.lens_head import final_norm, head_logits, lens_head_check
from ..model.loading import LoadedModel
from .analysis import Analysis, Prediction, _top_k, analyze, check_top_k, offerable

LENS_NOTE = ("A lens: the model's own output head applied to each layer's hidden state at the mask. Only the last "
             "layer was trained for the head, so earlier layers are read through a head that was not made for them.")


@dataclass
class LensLayer:
    layer: int  # 0 = embeddings
    predictions: list[Prediction]
    final_rank: int  # rank of the final answer among the offerable ids at this layer (1 = first)
    final_score: float  # its probability at this layer


@dataclass
class MaskLens:
    index: int  # token position of the mask
    final: Prediction  # the last layer's first prediction: the model's answer
    layers: list[LensLayer]


@dataclass
class LogitLens:
    model_name: str
    tokens: list[str]
    masks: list[MaskLens]
    note: str = LENS_NOTE


def layer_logits(lm: LoadedModel, analysis: Analysis, positions: list[int]) -> torch.Tensor:
    """Logits (layers + 1, len(positions), outputs) of the head read at every layer at `positions`."""
    lens_head_check(lm.model, torch.tensor([analysis.token_ids]))
    rows = torch.from_numpy(analysis.hidden_states[:, positions].copy())  # (layers + 1, M, hidden)
    norm = final_norm(lm.model)
    if norm is not None and len(rows) > 1:  # the last layer's hidden state already went through it
        dtype = next(norm.parameters(), rows).dtype
        with torch.no_grad():
            rows[:-1] = norm(rows[:-1].to(dtype)).float()
    n_layers, m, hidden = rows.shape
    return head_logits(lm.model, rows.reshape(1, n_layers * m, hidden)).reshape(n_layers, m, -1)


def logit_lens(lm: LoadedModel, analysis: Analysis, top_k: int = 5) -> LogitLens:
    """Top-k at every layer for every mask of `analysis`, with the rank and probability of the final answer."""
    check_top_k(lm, top_k)
    positions = analysis.mask_positions
    if not positions:
        raise MLMError("The text has no mask: write [MASK] (or <mask>) or click a word to see the lens.")
    logits = layer_logits(lm, analysis, positions)  # (layers + 1, M, outputs)
    probs = torch.softmax(logits, dim=-1)
    ranked = offerable(lm, probs, -1.0)
    masks = []
    for j, p in enumerate(positions):
        per_layer = _top_k(lm, logits[:, j], top_k)
        final_id = int(ranked[-1, j].argmax())
        final_scores = ranked[:, j, final_id]
        ranks = (ranked[:, j] > final_scores[:, None]).sum(dim=-1) + 1
        layers = [LensLayer(layer, preds, int(ranks[layer]), float(final_scores[layer]))
                  for layer, preds in enumerate(per_layer)]
        masks.append(MaskLens(p, per_layer[-1][0], layers))
    return LogitLens(lm.name, analysis.tokens, masks)


def lens_of_text(lm: LoadedModel, text: str, top_k: int = 5, mask_positions: list[int] | None = None) -> LogitLens:
    """`logit_lens` of a text: one analysis pass, then the head at every layer."""
    return logit_lens(lm, analyze(lm, text, top_k=top_k, mask_positions=mask_positions), top_k)


def check_mask_index(lens_or_analysis, index: int) -> int:
    """The position of mask number `index` (0-based, in text order); MLMError naming the range if there is none."""
    positions = [m.index for m in lens_or_analysis.masks]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(positions):
        raise MLMError(f"There is no mask number {index}: the text has {len(positions)} mask(s)"
                       + (f", numbered 0..{len(positions) - 1}." if positions else "."))
    return positions[index]
