"""What a left-to-right (causal) model makes of the same text as the masked model: its guess at each blank from the
left context alone, its attention, and the words where the two models disagree most.

The two models need not share a tokenizer: blanks and words are given as character spans of the text, and each
model reads the text with its own tokenizer. A causal model has no mask token, so where a blank has earlier blanks
to its left, they are filled with the causal model's own first guesses: what a left-to-right model does when it
writes, and it never sees a hidden word.

A guess is the model's next-token distribution at the blank: for a word of several pieces, its first piece, which
is also what is compared with the masked model (its prediction at the blank's first piece).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from ..errors import MLMError
from ..model.causal import require_causal, require_masked, start_id
from ..model.loading import LoadedModel
from ..tokens import trim_offsets
from .analysis import Prediction, forward_at, group_words, offerable
from .token_text import display_tokens


@dataclass
class LeftGuess:
    """The causal model's guess at one blank."""

    blank: int  # the blank's number, left to right from 0
    start: int  # the blank's span in the text
    end: int
    seen: list[str]  # display text of the tokens it read (its start token first)
    seen_text: str  # the text it read: the words left of the blank, earlier blanks filled with its own guesses
    unseen_text: str  # the text right of the blank, which it cannot see
    predictions: list[Prediction]
    original: str | None = None  # the hidden word, where known
    original_probability: float | None = None  # its probability of the hidden word's first piece


def _pieces(lm: LoadedModel, text: str) -> list[int]:
    return list(lm.tokenizer(text, add_special_tokens=False)["input_ids"])


def _check_fits(lm: LoadedModel, n: int) -> None:
    if n + 1 > lm.info.max_tokens:
        raise MLMError(f"The text is {n} tokens long but {lm.name} reads at most {lm.info.max_tokens - 1} "
                       "after its start token.")


@torch.no_grad()
def _next_token(lm: LoadedModel, ids: list[int]) -> torch.Tensor:
    """Probabilities of the next token after [start] + ids, with special tokens never offered."""
    _check_fits(lm, len(ids))
    logits = lm.model(input_ids=torch.tensor([[start_id(lm)] + ids])).logits[0, -1].float()
    return torch.softmax(offerable(lm, logits, float("-inf")), dim=-1)


def _first_piece_after(lm: LoadedModel, context: str, context_ids: list[int], word: str) -> int | None:
    """The id of `word`'s first piece as the tokenizer writes it after `context` (None where the tokenizer would
    also change the context's own pieces)."""
    ids = _pieces(lm, f"{context} {word}" if context else word)
    if ids[:len(context_ids)] != context_ids or len(ids) == len(context_ids):
        return None
    return ids[len(context_ids)]


def _top(lm: LoadedModel, probs: torch.Tensor, k: int) -> list[Prediction]:
    top = torch.topk(probs, min(k, probs.shape[-1]))
    ids = top.indices.tolist()
    pieces = lm.tokenizer.convert_ids_to_tokens(ids)
    return [Prediction(p, i, float(s), x)
            for p, i, s, x in zip(pieces, ids, top.values.tolist(), display_tokens(pieces, lm.tokenizer))]


def left_context_guesses(causal: LoadedModel, text: str, spans: list[tuple[int, int]],
                         originals: list[str | None] | None = None, top_k: int = 5) -> list[LeftGuess]:
    """The causal model's guess at each blank of `text` (character spans, any order), from the left context only
    (see the module docstring). `originals`: the hidden word of each blank where known, to report the causal
    model's probability of it."""
    require_causal(causal, "the left-to-right model")
    if not 1 <= top_k <= causal.info.vocab_size:
        raise MLMError(f"top-k must be between 1 and {causal.info.vocab_size}, got {top_k}.")
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    originals = list(originals) if originals is not None else [None] * len(spans)
    guesses: dict[int, LeftGuess] = {}
    written, cursor = "", 0
    for number, i in enumerate(order):
        start, end = spans[i]
        if start < cursor or not 0 <= start <= end <= len(text):
            raise MLMError(f"Blank {number + 1} ({start}..{end}) overlaps another blank or lies outside the text.")
        context = (written + text[cursor:start]).rstrip()
        ids = _pieces(causal, context) if context else []
        probs = _next_token(causal, ids)
        predictions = _top(causal, probs, top_k)
        word = originals[i]
        piece = _first_piece_after(causal, context, ids, word) if word else None
        seen = display_tokens(causal.tokenizer.convert_ids_to_tokens([start_id(causal)] + ids), causal.tokenizer)
        guesses[i] = LeftGuess(number, start, end, seen, context, text[end:].strip(), predictions, word,
                               float(probs[piece]) if piece is not None else None)
        filled = causal.tokenizer.decode([predictions[0].token_id]).strip()
        written, cursor = f"{context} {filled}" if context else filled, end
    return [guesses[i] for i in range(len(spans))]


@dataclass
class CausalAttention:
    tokens: list[str]  # display text, the start token first
    attentions: np.ndarray  # (layers, heads, seq, seq); each row attends only to itself and the tokens before it


@torch.no_grad()
def causal_attention(causal: LoadedModel, text: str) -> CausalAttention:
    """The causal model's attention weights over `text` read after its start token, from one forward pass."""
    require_causal(causal, "the left-to-right model")
    text = (text or "").strip()
    if not text:
        raise MLMError("The text is empty: type a sentence first.")
    ids = [start_id(causal)] + _pieces(causal, text)
    _check_fits(causal, len(ids) - 1)
    out = causal.model(input_ids=torch.tensor([ids]), output_attentions=True)
    if not out.attentions:
        raise MLMError(f"{causal.name} returns no attention weights.")
    att = torch.stack([a[0] for a in out.attentions]).float().numpy()
    return CausalAttention(display_tokens(causal.tokenizer.convert_ids_to_tokens(ids), causal.tokenizer), att)


@dataclass
class Disagreement:
    """One word of a sentence, predicted by both models: the masked model with the word masked (both sides seen),
    the causal model from the words before it."""

    sentence: str
    word: str
    start: int
    end: int
    mlm_probability: float  # of the word's first piece
    causal_probability: float
    mlm_top: str  # each model's first guess there
    causal_top: str
    log_ratio: float = field(init=False)  # ln(mlm / causal): > 0 where the right context helps

    def __post_init__(self):
        self.log_ratio = math.log(max(self.mlm_probability, 1e-12)) - math.log(max(self.causal_probability, 1e-12))


def _candidate_words(lm: LoadedModel, sentence: str):
    enc = lm.tokenizer(sentence, return_offsets_mapping=True, truncation=False)
    spans = trim_offsets(sentence, enc["offset_mapping"])
    return enc, [w for w in group_words(sentence, enc.word_ids(), spans) if w.text.isalpha() and len(w.text) >= 3]


@torch.no_grad()
def _mlm_word_scores(mlm: LoadedModel, sentence: str):
    """For each candidate word: (word, MLM probability of its first piece with all its pieces masked, MLM top)."""
    enc, words = _candidate_words(mlm, sentence)
    if not words or len(enc["input_ids"]) > mlm.info.max_tokens:
        return []
    base = torch.tensor(enc["input_ids"])
    batch = base.repeat(len(words), 1)
    for row, w in enumerate(words):
        batch[row, w.token_indices] = mlm.tokenizer.mask_token_id
    logits, _, _ = forward_at(mlm, batch, [(row, w.token_indices[0]) for row, w in enumerate(words)])
    probs = torch.softmax(offerable(mlm, logits, float("-inf")), dim=-1)
    out = []
    for row, w in enumerate(words):
        first = int(base[w.token_indices[0]])
        top = int(probs[row].argmax())
        out.append((w, float(probs[row, first]), display_tokens(mlm.tokenizer.convert_ids_to_tokens([top]), mlm.tokenizer)[0]))
    return out


@torch.no_grad()
def _causal_word_scores(causal: LoadedModel, sentence: str) -> dict[int, tuple[float, str]]:
    """Character start of each word-initial causal token -> (its probability from the left, the causal top there)."""
    enc = causal.tokenizer(sentence, return_offsets_mapping=True, add_special_tokens=False, truncation=False)
    ids = list(enc["input_ids"])
    if not ids or len(ids) + 1 > causal.info.max_tokens:
        return {}
    logits = causal.model(input_ids=torch.tensor([[start_id(causal)] + ids])).logits[0, :-1].float()
    probs = torch.softmax(offerable(causal, logits, float("-inf")), dim=-1)
    tops = display_tokens(causal.tokenizer.convert_ids_to_tokens(probs.argmax(-1).tolist()), causal.tokenizer)
    out = {}
    for j, (a, _) in enumerate(trim_offsets(sentence, enc["offset_mapping"])):
        out.setdefault(a, (float(probs[j, ids[j]]), tops[j]))
    return out


def disagreements(mlm: LoadedModel, causal: LoadedModel, sentences: list[str], limit: int = 5) -> list[Disagreement]:
    """The words of `sentences` where the two models' probabilities of the actual word differ most (one word per
    sentence, preferring words that one of the two models guesses first; the largest |ln ratio| first): the
    examples that show what the context on the right is worth."""
    require_masked(mlm)
    require_causal(causal, "the left-to-right model")
    best: list[Disagreement] = []
    for sentence in dict.fromkeys(s.strip() for s in sentences if s and s.strip()):
        causal_scores = _causal_word_scores(causal, sentence)
        found = [Disagreement(sentence, w.text, w.start, w.end, p, causal_scores[w.start][0], top,
                              causal_scores[w.start][1])
                 for w, p, top in _mlm_word_scores(mlm, sentence) if w.start in causal_scores]
        clear = [d for d in found if d.word.lower() in (d.mlm_top.lower(), d.causal_top.lower())]
        if clear or found:  # a word one of the two models gets right first, where there is one
            best.append(max(clear or found, key=lambda d: abs(d.log_ratio)))
    return sorted(best, key=lambda d: -abs(d.log_ratio))[:limit]
