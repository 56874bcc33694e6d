"""Evaluation: masked-token accuracy against a unigram baseline, and sense separation per layer."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from ..errors import MLMError
from ..inference.analysis import forward_at, offerable
from ..masking.masker import TokenizerMasker
from ..model.loading import LoadedModel
from ..tokens import boundary_ids, encode_stream, windows
from .corpus import read_lines


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

    The text is cut into windows of `seq_len` tokens (`tokens.windows`) and masked by the masker training uses
    (`TokenizerMasker.mask_selected`: only the mask token, never a random or kept one). The baseline always guesses the most
    frequent tokens of the same text under the same tokenizer (a unigram model fitted on the
    evaluated text itself, so it is, if anything, generous).
    """
    tok = lm.tokenizer
    stream = encode_stream(tok, [line for line in lines if line.strip()])
    if max_tokens:
        stream = stream[:max_tokens]
    seq_len = min(seq_len, lm.info.max_tokens)
    body = seq_len - 2
    if len(stream) < 10:
        raise MLMError("The evaluation text has fewer than 10 tokens.")
    rows = windows(stream, seq_len, *boundary_ids(tok), at_least_one=True)  # one shorter window for a short text
    n_windows = len(rows)
    masker = TokenizerMasker(tok)
    content = rows[:, 1:-1].ravel()
    content = content[~masker.special_lookup[torch.from_numpy(content.astype(np.int64))].numpy()]
    ranking = [t for t, _ in Counter(content.tolist()).most_common(5)]
    gen = torch.Generator().manual_seed(seed)
    hits1 = hits5 = base1 = base5 = n = 0
    for start in range(0, n_windows, batch_size):
        ids = torch.from_numpy(rows[start:start + batch_size].astype(np.int64))
        att = torch.ones_like(ids)  # every window of the batch has the same length: nothing to pad
        result = masker.mask_selected(ids, rate, gen, attention_mask=att)
        chosen = result.labels != -100
        positions = [tuple(p) for p in torch.nonzero(chosen).tolist()]
        if not positions:
            continue
        targets = ids[chosen]
        masked = result.input_ids
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
    from ..embeddings.senses import separation_by_layer
    from ..embeddings.vectors import word_vectors

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


@dataclass
class NextTokenScore:
    """A causal model on a text: each text token predicted from the tokens to its left (`training.next_token`)."""

    loss: float  # mean negative log-likelihood per predicted token, nats
    perplexity: float  # exp(loss)
    top1: float
    top5: float
    baseline_top1: float  # always guessing the text's most frequent token
    n: int  # tokens predicted
    tokens: int  # tokens read


def next_token_accuracy(lm: LoadedModel, lines: list[str], *, seq_len: int = 128, batch_size: int = 16,
                        max_tokens: int | None = None,
                        on_progress: Callable[[int, int], None] | None = None) -> NextTokenScore:
    """Perplexity and next-token top-1/top-5 of a causal model on the windows training reads (`tokens.windows`).

    Every text token of a window is scored, the first from the start token alone; the end token, which only marks
    where the window was cut, is not. The unigram baseline guesses the evaluated text's most frequent token."""
    from ..model.causal import require_causal
    from .next_token import NextTokenTargets, next_token_counts

    require_causal(lm, "a next-token evaluation")
    tok = lm.tokenizer
    stream = encode_stream(tok, [line for line in lines if line.strip()])
    if max_tokens:
        stream = stream[:max_tokens]
    if len(stream) < 10:
        raise MLMError("The evaluation text has fewer than 10 tokens.")
    seq_len = min(seq_len, lm.info.max_tokens)
    rows = windows(stream, seq_len, *boundary_ids(tok), at_least_one=True)
    targets = NextTokenTargets(tok)
    content = rows[:, 1:-1].ravel()
    common = Counter(content.tolist()).most_common(1)[0][0]
    nll = 0.0
    n = base1 = 0
    hits = [0] * 5
    for start in range(0, len(rows), batch_size):
        ids = torch.from_numpy(rows[start:start + batch_size].astype(np.int64))
        batch = targets(ids)
        with torch.no_grad():
            logits = lm.model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
        part_nll, part_n, part_hits = next_token_counts(logits, batch.labels, tok, top=5)
        nll, n = nll + part_nll, n + part_n
        hits = [a + b for a, b in zip(hits, part_hits)]
        scored = batch.labels[:, 1:]
        base1 += int((scored == common).sum())
        if on_progress is not None:
            on_progress(min(start + batch_size, len(rows)), len(rows))
    if n == 0:
        raise MLMError("No token was predicted: the evaluation text is too short.")
    loss = nll / n
    return NextTokenScore(loss, float(np.exp(loss)), hits[0] / n, hits[4] / n, base1 / n, n, int(rows.size))


def evaluate_causal_file(lm: LoadedModel, path: str, **kwargs) -> NextTokenScore:
    return next_token_accuracy(lm, read_lines(path), **kwargs)
