"""Evaluation: masked-token accuracy against a unigram baseline, and sense separation per layer."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from .analysis import forward_at, offerable
from .corpus import read_lines
from .errors import MLMError
from .loading import LoadedModel


@dataclass
class MaskedAccuracy:
    top1: float
    top5: float
    baseline_top1: float
    baseline_top5: float
    n: int  # masked positions scored
    tokens: int  # tokens read


def masked_token_accuracy(lm: LoadedModel, lines: list[str], *, rate: float = 0.15, seed: int = 0, seq_len: int = 128,
                          batch_size: int = 16, max_tokens: int | None = None,
                          on_progress: Callable[[int, int], None] | None = None) -> MaskedAccuracy:
    """Top-1/top-5 accuracy at `rate` of the non-special tokens replaced by the mask token (seeded).

    The text is cut into windows of `seq_len` tokens. The baseline always guesses the most
    frequent tokens of the same text under the same tokenizer (a unigram model fitted on the
    evaluated text itself, so it is, if anything, generous).
    """
    tok = lm.tokenizer
    stream: list[int] = []
    for enc in tok.backend_tokenizer.encode_batch([line for line in lines if line.strip()], add_special_tokens=False):
        stream.extend(enc.ids)
    if max_tokens:
        stream = stream[:max_tokens]
    seq_len = min(seq_len, lm.info.max_tokens)
    body = seq_len - 2
    if len(stream) < 10:
        raise MLMError("The evaluation text has fewer than 10 tokens.")
    n_windows = max(1, len(stream) // body)
    cls = tok.cls_token_id if tok.cls_token_id is not None else tok.bos_token_id
    sep = tok.sep_token_id if tok.sep_token_id is not None else tok.eos_token_id
    specials = set(tok.all_special_ids)
    content = [t for t in stream[: n_windows * body] if t not in specials]
    ranking = [t for t, _ in Counter(content).most_common(5)]
    gen = torch.Generator().manual_seed(seed)
    hits1 = hits5 = base1 = base5 = n = 0
    for start in range(0, n_windows, batch_size):
        rows = []
        for w in range(start, min(start + batch_size, n_windows)):
            rows.append([cls] + stream[w * body:(w + 1) * body] + [sep])
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), tok.pad_token_id or 0)
        att = torch.zeros_like(ids)
        for r, row in enumerate(rows):
            ids[r, : len(row)] = torch.tensor(row)
            att[r, : len(row)] = 1
        eligible = att.bool() & ~torch.isin(ids, torch.tensor(sorted(specials)))
        chosen = (torch.rand(ids.shape, generator=gen) < rate) & eligible
        positions = [tuple(p) for p in torch.nonzero(chosen).tolist()]
        if not positions:
            continue
        targets = ids[chosen]
        masked = ids.clone()
        masked[chosen] = tok.mask_token_id
        logits, _, _ = forward_at(lm, masked, positions, attention_mask=att)
        logits = offerable(lm, logits, float("-inf"))  # no special token, no id past the tokenizer (padded vocabularies)
        top5 = logits.topk(5, dim=-1).indices
        hits1 += int((top5[:, 0] == targets).sum())
        hits5 += int((top5 == targets[:, None]).any(dim=1).sum())
        base1 += int((targets == ranking[0]).sum())
        base5 += int(torch.isin(targets, torch.tensor(ranking)).sum())
        n += len(targets)
        if on_progress is not None:
            on_progress(min(start + batch_size, n_windows), n_windows)
    if n == 0:
        raise MLMError("No token was masked: the evaluation text is too short.")
    return MaskedAccuracy(hits1 / n, hits5 / n, base1 / n, base5 / n, n, n_windows * body)


def evaluate_file(lm: LoadedModel, path: str, **kwargs) -> MaskedAccuracy:
    return masked_token_accuracy(lm, read_lines(path), **kwargs)


@dataclass
class WordSenseReport:
    word: str
    n: int
    per_layer: list  # list[senses.LayerSeparation]

    @property
    def best(self):
        return max(self.per_layer, key=lambda r: (r.knn_accuracy, r.silhouette))


def sense_report(lm: LoadedModel, items) -> list[WordSenseReport]:
    """Per word of a labelled polysemy set: sense separation at every layer."""
    from .embeddings import word_vectors
    from .senses import separation_by_layer

    by_word: dict[str, list] = {}
    for it in items:
        by_word.setdefault(it.word, []).append(it)
    reports = []
    for word, group in by_word.items():
        vecs = word_vectors(lm, [g.sentence for g in group], word)
        labels = [group[i].sense for i in vecs.indices]
        reports.append(WordSenseReport(word, len(labels), separation_by_layer(vecs.vectors, labels)))
    return reports


def mean_by_layer(reports: list[WordSenseReport]) -> list[tuple[int, float, float]]:
    """(layer, mean 1-NN accuracy, mean silhouette) across words."""
    n_layers = len(reports[0].per_layer)
    return [(layer, float(np.mean([r.per_layer[layer].knn_accuracy for r in reports])),
             float(np.mean([r.per_layer[layer].silhouette for r in reports]))) for layer in range(n_layers)]
