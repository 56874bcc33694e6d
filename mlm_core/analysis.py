"""One forward pass per text: top-k at every mask, attentions and hidden states together.

Also the joint fill of several masks by iterative decoding, scoring of given target words
(several-piece words by the chain rule) and pseudo-log-likelihood (Salazar et al. 2020).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from .errors import MLMError
from .loading import LoadedModel


@dataclass
class Prediction:
    token: str
    token_id: int
    score: float


@dataclass
class Word:
    index: int
    text: str
    token_indices: list[int]
    start: int
    end: int


@dataclass
class MaskPrediction:
    """Independent distribution at one masked position (the other masks stay masked)."""

    index: int
    word_index: int | None
    original: str | None  # the token that was masked, when it came from the text
    predictions: list[Prediction]


@dataclass
class Analysis:
    model_name: str
    text: str
    tokens: list[str]
    token_ids: list[int]
    original_tokens: list[str]
    offsets: list[tuple[int, int]]
    word_ids: list[int | None]
    special: list[bool]
    words: list[Word]
    masks: list[MaskPrediction]
    attentions: np.ndarray  # (layers, heads, seq, seq)
    hidden_states: np.ndarray  # (layers + 1, seq, hidden)

    @property
    def mask_positions(self) -> list[int]:
        return [m.index for m in self.masks]


@dataclass
class FillStep:
    position: int
    token: str
    score: float
    tokens: list[str]  # the whole sequence after this step


@dataclass
class JointFill:
    steps: list[FillStep]
    tokens: list[str]
    text: str


@dataclass
class TargetScore:
    word: str
    pieces: list[str]
    log_prob: float
    method: str

    @property
    def prob(self) -> float:
        return math.exp(self.log_prob)


@dataclass
class PseudoLikelihood:
    tokens: list[str]
    token_log_probs: list[float]
    total: float
    pseudo_perplexity: float = field(default=float("nan"))


def _special_ids(tokenizer) -> set[int]:
    return set(tokenizer.all_special_ids)


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


def _words(text: str, enc) -> list[Word]:
    groups: dict[int, list[int]] = {}
    for i, w in enumerate(enc.word_ids()):
        if w is not None:
            groups.setdefault(w, []).append(i)
    words = []
    for k, (w, idx) in enumerate(sorted(groups.items())):
        start, end = enc["offset_mapping"][idx[0]][0], enc["offset_mapping"][idx[-1]][1]
        words.append(Word(k, text[start:end], idx, start, end))
    return words


def forward_at(lm: LoadedModel, input_ids: torch.Tensor, positions: list[tuple[int, int]], *,
               attention_mask: torch.Tensor | None = None, with_internals: bool = False):
    """Run the model once; return (logits at `positions` (M, vocab), attentions, hidden states).

    The LM head runs only at the requested positions: a hook on the base model hands the
    head those rows of the last hidden state. Any family whose head is position-wise works;
    if a model's head needs more, we fall back to full logits.
    """
    model = lm.model
    b_idx = torch.tensor([p[0] for p in positions], dtype=torch.long)
    s_idx = torch.tensor([p[1] for p in positions], dtype=torch.long)
    kwargs = dict(input_ids=input_ids, attention_mask=attention_mask if attention_mask is not None else torch.ones_like(input_ids))
    if with_internals:
        kwargs.update(output_attentions=True, output_hidden_states=True)

    def select(_module, _args, output):
        output.last_hidden_state = output.last_hidden_state[b_idx, s_idx][None]
        return output

    with torch.no_grad():
        handle = model.base_model.register_forward_hook(select)
        try:
            out = model(**kwargs)
            logits = out.logits[0]
        except Exception:
            handle.remove()
            handle = None
            out = model(**kwargs)
            logits = out.logits[b_idx, s_idx]
        finally:
            if handle is not None:
                handle.remove()
    return logits.float(), out.attentions if with_internals else None, out.hidden_states if with_internals else None


def _top_k(lm: LoadedModel, logits: torch.Tensor, k: int) -> list[list[Prediction]]:
    probs = torch.softmax(logits.float(), dim=-1)
    banned = [i for i in _special_ids(lm.tokenizer) if i < probs.shape[-1]]
    ranked = probs.clone()
    ranked[:, banned] = -1.0  # never offer [CLS], [SEP], [PAD]... as a fill
    top = torch.topk(ranked, k, dim=-1)
    out = []
    for row_scores, row_ids in zip(top.values.tolist(), top.indices.tolist()):
        toks = lm.tokenizer.convert_ids_to_tokens(row_ids)
        out.append([Prediction(t, i, s) for t, i, s in zip(toks, row_ids, row_scores)])
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
    masks = [MaskPrediction(p, word_ids[p], original[p] if original[p] != lm.tokenizer.mask_token else None, preds)
             for p, preds in zip(positions, tops)]
    att = torch.stack([a[0] for a in attentions]).float().numpy() if attentions else np.zeros((0, 0, len(ids), len(ids)), np.float32)
    hs = torch.stack([h[0] for h in hidden]).float().numpy()
    return Analysis(lm.name, text, lm.tokenizer.convert_ids_to_tokens(ids), ids, original,
                    [tuple(o) for o in enc["offset_mapping"]], list(word_ids), special, _words(text, enc), masks, att, hs)


def iterative_fill(lm: LoadedModel, token_ids: list[int], order: str = "confidence") -> JointFill:
    """Fill every mask one at a time: each step re-reads the sequence and fixes the most confident
    mask (order='confidence') or the leftmost one (order='left-to-right')."""
    if order not in ("confidence", "left-to-right"):
        raise MLMError("order must be 'confidence' or 'left-to-right'.")
    mask_id = lm.tokenizer.mask_token_id
    ids = list(token_ids)
    steps: list[FillStep] = []
    banned = [i for i in _special_ids(lm.tokenizer)]
    while mask_id in ids:
        positions = [i for i, t in enumerate(ids) if t == mask_id]
        logits, _, _ = forward_at(lm, torch.tensor([ids]), [(0, p) for p in positions])
        probs = torch.softmax(logits, dim=-1)
        probs[:, [b for b in banned if b < probs.shape[-1]]] = 0.0
        best_scores, best_ids = probs.max(dim=-1)
        k = 0 if order == "left-to-right" else int(best_scores.argmax())
        ids[positions[k]] = int(best_ids[k])
        tokens = lm.tokenizer.convert_ids_to_tokens(ids)
        steps.append(FillStep(positions[k], tokens[positions[k]], float(best_scores[k]), tokens))
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
    for m in analysis.masks:
        if slots and m.original is not None and slots[-1][-1] == m.index - 1 and analysis.word_ids[m.index - 1] == m.word_index:
            slots[-1].append(m.index)
        else:
            slots.append([m.index])
    return slots


def score_targets(lm: LoadedModel, analysis: Analysis, slot: list[int], targets: list[str]) -> list[TargetScore]:
    """Log-probability of each target word filling one mask slot.

    A target of one token reads its probability off the slot's distribution. A target the
    tokenizer splits into n pieces replaces the slot with n masks and is scored by the chain
    rule left to right: log p(w) = sum_i log p(piece_i | pieces before i, later pieces masked).
    Other masks in the text stay masked throughout.
    """
    if not slot or any(p not in analysis.mask_positions for p in slot):
        raise MLMError("Pick a masked position to score target words at.")
    start, end = analysis.offsets[slot[0]][0], analysis.offsets[slot[-1]][1]
    results = []
    for raw in targets:
        word = raw.strip()
        if not word:
            continue
        substituted = analysis.text[:start] + word + analysis.text[end:]
        enc = lm.tokenizer(substituted, return_offsets_mapping=True)
        piece_pos = [i for i, (a, b) in enumerate(enc["offset_mapping"]) if b > a and a >= start and b <= start + len(word)]
        if not piece_pos:
            raise MLMError(f"'{word}' gives no tokens at this position.")
        pieces = [enc["input_ids"][i] for i in piece_pos]
        ids = analysis.token_ids[: slot[0]] + [lm.tokenizer.mask_token_id] * len(pieces) + analysis.token_ids[slot[-1] + 1:]
        first = slot[0]
        log_prob = 0.0
        for j, piece in enumerate(pieces):
            logits, _, _ = forward_at(lm, torch.tensor([ids]), [(0, first + j)])
            log_prob += float(torch.log_softmax(logits[0], dim=-1)[piece])
            ids[first + j] = piece
        names = lm.tokenizer.convert_ids_to_tokens(pieces)
        method = "single token: probability at the mask" if len(pieces) == 1 else \
            f"{len(pieces)} pieces: chain rule left to right, later pieces masked"
        results.append(TargetScore(word, names, log_prob, method))
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
    return PseudoLikelihood(tokens, scores, total, math.exp(-total / len(scores)))
