"""One forward pass per text: top-k at every mask, attentions and hidden states together.

Also the joint fill of several masks by iterative decoding, scoring of given target words
(several-piece words by the chain rule) and pseudo-log-likelihood (Salazar et al. 2020).
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import torch

from ..errors import MLMError
from ..model.lm_head import logits_at
from ..model.loading import LoadedModel
from ..tokens import never_offered, trim_offsets
from .token_text import Coverage, display_tokens, script_coverage


@dataclass
class Prediction:
    token: str  # the raw piece, e.g. 'ĠAward'
    token_id: int
    score: float
    text: str = ""  # its display text, e.g. 'Award' (see token_text)


@dataclass
class Word:
    """A clickable word: its text (never with the space before it) and the token positions it covers."""

    index: int
    text: str
    token_indices: list[int]
    start: int
    end: int


@dataclass
class MaskPrediction:
    """Independent distribution at one masked position (the other masks stay masked)."""

    index: int
    word_index: int | None  # index of the Word (in Analysis.words) the position belongs to
    original: str | None  # the token that was masked, when it came from the text
    predictions: list[Prediction]


@dataclass
class Analysis:
    model_name: str
    text: str
    tokens: list[str]
    token_ids: list[int]
    original_tokens: list[str]
    offsets: list[tuple[int, int]]  # character spans in `text`, whitespace around a piece trimmed
    word_ids: list[int | None]  # the tokenizer's word ids
    special: list[bool]
    words: list[Word]
    masks: list[MaskPrediction]
    attentions: np.ndarray  # (layers, heads, seq, seq)
    hidden_states: np.ndarray  # (layers + 1, seq, hidden)
    token_texts: list[str] = field(default_factory=list)  # display text of `tokens`
    original_texts: list[str] = field(default_factory=list)  # display text of `original_tokens`

    @property
    def mask_positions(self) -> list[int]:
        return [m.index for m in self.masks]


@dataclass
class FillStep:
    position: int
    token: str  # the raw piece chosen
    score: float
    tokens: list[str]  # the whole sequence after this step
    text: str = ""  # display text of `token`


@dataclass
class JointFill:
    steps: list[FillStep]
    tokens: list[str]
    text: str


@dataclass
class TargetScore:
    word: str
    pieces: list[str]  # raw pieces, as the tokenizer writes them in the sentence
    log_prob: float
    method: str
    piece_texts: list[str] = field(default_factory=list)  # their display texts

    @property
    def prob(self) -> float:
        return math.exp(self.log_prob)


@dataclass
class PseudoLikelihood:
    tokens: list[str]
    token_log_probs: list[float]
    total: float
    pseudo_perplexity: float = field(default=float("nan"))
    texts: list[str] = field(default_factory=list)  # display text of `tokens`


def encode(lm: LoadedModel, text: str):
    """Tokenize a user text (mask spellings normalised) and enforce the model's length limit."""
    text = lm.normalise_masks((text or "").strip())
    if not text:
        raise MLMError("The text is empty: type a sentence first.")
    enc = lm.tokenizer(text, return_offsets_mapping=True, return_special_tokens_mask=True, truncation=False)
    n, limit = len(enc["input_ids"]), lm.info.max_tokens
    if n > limit:
        raise MLMError(f"The text is {n} tokens long but {lm.name} reads at most {limit}. "
                       "Shorten it: MLM Explorer refuses rather than silently cutting the text.")
    return text, enc


def _is_punctuation(s: str) -> bool:
    return bool(s) and all(unicodedata.category(ch).startswith("P") for ch in s)


def group_words(text: str, word_ids: list[int | None], spans: list[tuple[int, int]]) -> list[Word]:
    """The clickable words: the tokenizer's words, with spans trimmed of whitespace (so no word starts with
    a space, whatever the tokenizer's offsets), punctuation split from letters (SentencePiece tokenizers
    such as ALBERT's count 'sneezed,' as one word; BERT and BPE already split it) and pieces that are
    only whitespace left out."""
    groups: dict[int, list[int]] = {}
    for i, w in enumerate(word_ids):
        if w is not None:
            groups.setdefault(w, []).append(i)
    runs: list[list[int]] = []
    for _, idx in sorted(groups.items()):
        run: list[int] = []
        run_punct: bool | None = None
        for i in idx:
            a, b = spans[i]
            if b <= a:  # whitespace only: stays with the piece before it
                run.append(i)
                continue
            punct = _is_punctuation(text[a:b])
            if run and run_punct is not None and punct != run_punct:
                runs.append(run)
                run = []
            run.append(i)
            run_punct = punct
        if run:
            runs.append(run)
    words = []
    for idx in runs:
        filled = [i for i in idx if spans[i][1] > spans[i][0]]
        if not filled:
            continue
        start, end = spans[filled[0]][0], max(spans[i][1] for i in filled)
        words.append(Word(len(words), text[start:end], idx, start, end))
    return words


def forward_at(lm: LoadedModel, input_ids: torch.Tensor, positions: list[tuple[int, int]], *,
               attention_mask: torch.Tensor | None = None, with_internals: bool = False):
    """Run the model once; return (logits at `positions` (M, vocab), attentions, hidden states).

    The LM head runs only at the requested positions when the model allows it (decided once at load,
    see `model.lm_head`); safe to call from many threads on one shared model.
    """
    b_idx = torch.tensor([p[0] for p in positions], dtype=torch.long)
    s_idx = torch.tensor([p[1] for p in positions], dtype=torch.long)
    kwargs = dict(input_ids=input_ids, attention_mask=attention_mask if attention_mask is not None else torch.ones_like(input_ids))
    if with_internals:
        kwargs.update(output_attentions=True, output_hidden_states=True)
    with torch.no_grad():
        out, logits = logits_at(lm.model, kwargs, b_idx, s_idx, lm.rows_head)
    return logits.float(), out.attentions if with_internals else None, out.hidden_states if with_internals else None


def offerable(lm: LoadedModel, scores: torch.Tensor, fill: float) -> torch.Tensor:
    """`scores` (..., outputs) with every id that may never be offered as a fill set to `fill`: special tokens
    and ids past the tokenizer (see `tokens.never_offered`, the one definition every ranking uses)."""
    return scores.masked_fill(never_offered(lm.tokenizer, scores.shape[-1]), fill)


def _top_k(lm: LoadedModel, logits: torch.Tensor, k: int) -> list[list[Prediction]]:
    probs = torch.softmax(logits.float(), dim=-1)
    ranked = offerable(lm, probs, -1.0)  # never offer [CLS], [SEP], [PAD]... or a padded id as a fill
    top = torch.topk(ranked, min(k, ranked.shape[-1]), dim=-1)
    out = []
    for row_scores, row_ids in zip(top.values.tolist(), top.indices.tolist()):
        kept = [(i, s) for i, s in zip(row_ids, row_scores) if s >= 0.0]
        toks = lm.tokenizer.convert_ids_to_tokens([i for i, _ in kept])
        texts = display_tokens(toks, lm.tokenizer)
        out.append([Prediction(t, i, s, x) for t, (i, s), x in zip(toks, kept, texts)])
    return out


def check_top_k(lm: LoadedModel, top_k: int) -> None:
    if not 1 <= top_k <= min(1000, lm.info.vocab_size):
        raise MLMError(f"top-k must be between 1 and {min(1000, lm.info.vocab_size)}, got {top_k}.")


def analyze(lm: LoadedModel, text: str, top_k: int = 5, mask_positions: list[int] | None = None) -> Analysis:
    """Predictions at every mask, attentions and hidden states from one forward pass.

    Masks are the mask tokens written in the text ([MASK] or <mask>) plus `mask_positions`
    (token indices of the unmasked text, e.g. words clicked in the app).
    """
    check_top_k(lm, top_k)
    text, enc = encode(lm, text)
    ids = list(enc["input_ids"])
    original = lm.tokenizer.convert_ids_to_tokens(ids)
    special = [bool(s) for s in enc["special_tokens_mask"]]
    mask_id = lm.tokenizer.mask_token_id
    for p in mask_positions or []:
        if not 0 <= p < len(ids) or special[p]:
            raise MLMError(f"Token position {p} cannot be masked (the text has {len(ids)} tokens, special tokens excluded).")
        ids[p] = mask_id
    special = [s and i != mask_id for s, i in zip(special, ids)]  # a written mask is special to the tokenizer
    positions = [i for i, t in enumerate(ids) if t == mask_id]
    input_ids = torch.tensor([ids])
    logits, attentions, hidden = forward_at(lm, input_ids, [(0, p) for p in positions], with_internals=True)
    tops = _top_k(lm, logits, top_k) if positions else []
    word_ids = enc.word_ids()
    spans = trim_offsets(text, enc["offset_mapping"])
    words = group_words(text, word_ids, spans)
    word_of = {i: w.index for w in words for i in w.token_indices}
    masks = [MaskPrediction(p, word_of.get(p), original[p] if original[p] != lm.tokenizer.mask_token else None, preds)
             for p, preds in zip(positions, tops)]
    att = torch.stack([a[0] for a in attentions]).float().numpy() if attentions else np.zeros((0, 0, len(ids), len(ids)), np.float32)
    hs = torch.stack([h[0] for h in hidden]).float().numpy()
    tokens = lm.tokenizer.convert_ids_to_tokens(ids)
    return Analysis(lm.name, text, tokens, ids, original, spans, list(word_ids), special, words, masks, att, hs,
                    display_tokens(tokens, lm.tokenizer), display_tokens(original, lm.tokenizer))


def coverage(lm: LoadedModel, analysis: Analysis) -> Coverage:
    """How much of the analysed text the vocabulary covers ([UNK] pieces, non-Latin letters cut apart);
    `coverage(...).poor` asks for a note that the model does not read this script. Masks are not counted."""
    mask_id = lm.tokenizer.mask_token_id
    skip = [s or t == mask_id for s, t in zip(analysis.special, analysis.token_ids)]
    return script_coverage(analysis.text, analysis.offsets, skip, analysis.token_ids, lm.tokenizer.unk_token_id)


def iterative_fill(lm: LoadedModel, token_ids: list[int], order: str = "confidence") -> JointFill:
    """Fill every mask one at a time: each step re-reads the sequence and fixes the most confident
    mask (order='confidence') or the leftmost one (order='left-to-right')."""
    if order not in ("confidence", "left-to-right"):
        raise MLMError("order must be 'confidence' or 'left-to-right'.")
    mask_id = lm.tokenizer.mask_token_id
    ids = list(token_ids)
    steps: list[FillStep] = []
    while mask_id in ids:
        positions = [i for i, t in enumerate(ids) if t == mask_id]
        logits, _, _ = forward_at(lm, torch.tensor([ids]), [(0, p) for p in positions])
        probs = offerable(lm, torch.softmax(logits, dim=-1), 0.0)
        best_scores, best_ids = probs.max(dim=-1)
        k = 0 if order == "left-to-right" else int(best_scores.argmax())
        ids[positions[k]] = int(best_ids[k])
        tokens = lm.tokenizer.convert_ids_to_tokens(ids)
        token = tokens[positions[k]]
        steps.append(FillStep(positions[k], token, float(best_scores[k]), tokens, display_tokens([token], lm.tokenizer)[0]))
    tokens = lm.tokenizer.convert_ids_to_tokens(ids)
    text = lm.tokenizer.decode(ids, skip_special_tokens=True)
    return JointFill(steps, tokens, text)


def all_mask_ids(lm: LoadedModel, n_masks: int) -> list[int]:
    """[CLS] [MASK] x n [SEP] (or the model's equivalents): the start of 'generation' by filling."""
    if not 1 <= n_masks <= lm.info.max_tokens - 2:
        raise MLMError(f"Choose between 1 and {lm.info.max_tokens - 2} masks.")
    ids = list(lm.tokenizer(" ".join([lm.tokenizer.mask_token] * n_masks))["input_ids"])
    if ids.count(lm.tokenizer.mask_token_id) != n_masks:
        raise MLMError("This tokenizer does not keep consecutive mask tokens apart.")
    return ids


def mask_slots(analysis: Analysis) -> list[list[int]]:
    """Group masked positions into slots: adjacent masked pieces of one word form one slot."""
    slots: list[list[int]] = []
    last_word = None
    for m in analysis.masks:
        if (slots and m.original is not None and m.word_index is not None and slots[-1][-1] == m.index - 1
                and last_word == m.word_index):
            slots[-1].append(m.index)
        else:
            slots.append([m.index])
        last_word = m.word_index if m.original is not None else None
    return slots


def target_encoding(lm: LoadedModel, analysis: Analysis, slot: list[int], word: str) -> tuple[list[int], list[int]]:
    """The sentence with `word` in place of the slot, as the tokenizer reads it: (ids, positions of the word's pieces).

    The word is written at the slot's characters and the whole sentence is tokenized again, so the pieces
    are exactly those the tokenizer gives for the word in that context (a leading 'Ġ' or '▁' included).
    The other masks stay masked: typed ones are in the text, clicked ones are masked again over the same
    characters. The pieces themselves are not masked here.
    """
    spans = analysis.offsets
    start, end = spans[slot[0]][0], max(spans[p][1] for p in slot)
    if end <= start:
        start, end = min(spans[p][0] for p in slot), max(spans[p][1] for p in slot)
    text = analysis.text
    substituted = text[:start] + word + text[end:]
    enc = lm.tokenizer(substituted, return_offsets_mapping=True, return_special_tokens_mask=True, truncation=False)
    new_spans = trim_offsets(substituted, enc["offset_mapping"])
    special = enc["special_tokens_mask"]
    stop = start + len(word)
    piece_pos = [i for i, (a, b) in enumerate(new_spans) if not special[i] and b > a and a >= start and b <= stop]
    if not piece_pos:
        raise MLMError(f"'{word}' gives no tokens at this position.")
    ids = list(enc["input_ids"])
    if len(ids) > lm.info.max_tokens:
        raise MLMError(f"With '{word}' in place the text is {len(ids)} tokens long but {lm.name} reads at most "
                       f"{lm.info.max_tokens}.")
    shift = len(word) - (end - start)
    mask_id = lm.tokenizer.mask_token_id
    clicked = [m.index for m in analysis.masks if m.original is not None and m.index not in slot]
    for q in clicked:
        a, b = spans[q]
        if b <= a:
            continue
        if a >= end:
            a, b = a + shift, b + shift
        for i, (x, y) in enumerate(new_spans):
            if i not in piece_pos and not special[i] and y > x and x < b and y > a:
                ids[i] = mask_id
    return ids, piece_pos


def score_targets(lm: LoadedModel, analysis: Analysis, slot: list[int], targets: list[str]) -> list[TargetScore]:
    """Log-probability of each target word filling one mask slot.

    The target's pieces are the tokenizer's own pieces of the sentence with the word in place
    (`target_encoding`). A target of one piece reads its probability off the distribution at that
    position with the piece masked. A target of n pieces is scored by the chain rule left to right:
    log p(w) = sum_i log p(piece_i | pieces before i, later pieces masked). Other masks in the text
    stay masked throughout.
    """
    if not slot or any(p not in analysis.mask_positions for p in slot):
        raise MLMError("Pick a masked position to score target words at.")
    mask_id = lm.tokenizer.mask_token_id
    results = []
    for raw in targets:
        word = raw.strip()
        if not word:
            continue
        ids, piece_pos = target_encoding(lm, analysis, slot, word)
        pieces = [ids[i] for i in piece_pos]
        for i in piece_pos:
            ids[i] = mask_id
        log_prob = 0.0
        for i, piece in zip(piece_pos, pieces):
            logits, _, _ = forward_at(lm, torch.tensor([ids]), [(0, i)])
            log_prob += float(torch.log_softmax(logits[0], dim=-1)[piece])
            ids[i] = piece
        names = lm.tokenizer.convert_ids_to_tokens(pieces)
        method = "single token: probability at the mask" if len(pieces) == 1 else \
            f"{len(pieces)} pieces: chain rule left to right, later pieces masked"
        results.append(TargetScore(word, names, log_prob, method, display_tokens(names, lm.tokenizer)))
    return results


def pseudo_log_likelihood(lm: LoadedModel, text: str, batch_size: int = 64) -> PseudoLikelihood:
    """PLL (Salazar et al. 2020): mask each token in turn, sum log p(original token); batched."""
    text, enc = encode(lm, text)
    ids = enc["input_ids"]
    if lm.tokenizer.mask_token_id in ids:
        raise MLMError("Pseudo-log-likelihood scores a complete sentence: remove the masks first.")
    positions = [i for i, s in enumerate(enc["special_tokens_mask"]) if not s]
    if not positions:
        raise MLMError("The text has no tokens to score.")
    scores: list[float] = []
    for chunk_start in range(0, len(positions), batch_size):
        chunk = positions[chunk_start:chunk_start + batch_size]
        batch = torch.tensor([ids] * len(chunk))
        for row, p in enumerate(chunk):
            batch[row, p] = lm.tokenizer.mask_token_id
        logits, _, _ = forward_at(lm, batch, list(enumerate(chunk)))
        logp = torch.log_softmax(logits, dim=-1)
        scores.extend(float(logp[row, ids[p]]) for row, p in enumerate(chunk))
    total = float(sum(scores))
    tokens = lm.tokenizer.convert_ids_to_tokens([ids[p] for p in positions])
    return PseudoLikelihood(tokens, scores, total, math.exp(-total / len(scores)), display_tokens(tokens, lm.tokenizer))
