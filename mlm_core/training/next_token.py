"""The causal objective's batches and held-out scores: next-token prediction on the same windows the masked
objective reads.

A window is `[CLS] + text + [SEP]` (`tokens.windows`). The causal model reads it left to right and is scored on
every text token, each predicted from the tokens before it (the first from [CLS] alone); special tokens are never
targets: the end token only marks where a window was cut, and generation never offers special tokens.
transformers' causal models shift the labels themselves, so the labels are the input ids with the special
tokens set to -100.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from ..tokens import never_offered, special_lookup


@dataclass
class NextTokenBatch:
    input_ids: torch.Tensor
    labels: torch.Tensor  # the input ids, -100 at special tokens (the model shifts them by one)


class NextTokenTargets:
    """Called like `TokenizerMasker` (ids, strategy, generator, word_starts=...) so the training loop treats both
    objectives alike; the masking strategy, the generator and the word starts do not apply and are ignored."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.special = special_lookup(tokenizer)

    def __call__(self, ids: torch.Tensor, strategy=None, generator=None, *, word_starts=None,
                 attention_mask=None) -> NextTokenBatch:
        labels = ids.clone()
        inside = ids < len(self.special)
        special = torch.zeros_like(ids, dtype=torch.bool)
        special[inside] = self.special[ids[inside]]
        labels[special] = -100
        if attention_mask is not None:
            labels[attention_mask == 0] = -100
        return NextTokenBatch(ids, labels)


def next_token_counts(logits: torch.Tensor, labels: torch.Tensor, tokenizer, top: int = 1) -> tuple[float, int, list[int]]:
    """(summed negative log-likelihood in nats, targets scored, hits within the top 1..`top`) of next-token
    predictions: logits (batch, seq, vocab) at position t score labels[t + 1]. The log-likelihood is over the whole
    output layer; the ranking offers only ids a fill may offer (`tokens.never_offered`)."""
    logits, targets = logits[:, :-1].float(), labels[:, 1:].to(logits.device)
    scored = targets != -100
    rows, wanted = logits[scored], targets[scored]
    if not len(wanted):
        return 0.0, 0, [0] * top
    nll = float(torch.nn.functional.cross_entropy(rows, wanted, reduction="sum"))
    banned = never_offered(tokenizer, rows.shape[-1]).to(rows.device)
    ranked = rows.masked_fill(banned, float("-inf")).topk(top, dim=-1).indices
    hits = [int((ranked[:, :k] == wanted[:, None]).any(dim=1).sum()) for k in range(1, top + 1)]
    return nll, int(len(wanted)), hits
