"""Contextual vectors of one word across many sentences, at every layer, batched."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from ..errors import MLMError
from ..model.loading import LoadedModel
from ..tokens import pad_batch, pad_id, trim_offsets


@dataclass
class Occurrence:
    start: int
    end: int
    found: str  # the text matched, e.g. "Bank" or "banks"
    count: int  # how many times the word occurs in the sentence
    used: int  # which occurrence (0-based) the vector comes from
    token_indices: list[int] = field(default_factory=list)


@dataclass
class WordVectors:
    word: str
    sentences: list[str]  # the sentences that contributed a vector, in input order
    indices: list[int]  # their positions in the input list
    vectors: np.ndarray  # (n, layers + 1, hidden): mean of the word's pieces
    occurrences: list[Occurrence]
    skipped: list[tuple[int, str]]  # (input index, reason)
    notes: list[str]

    def at_layer(self, layer: int) -> np.ndarray:
        n_layers = self.vectors.shape[1]
        if not -n_layers <= layer < n_layers:
            raise MLMError(f"Layer {layer} is out of range: this model has layers 0..{n_layers - 1} (0 = embeddings).")
        return self.vectors[:, layer]


def locate_word(sentence: str, word: str, occurrence: int = 0) -> Occurrence | None:
    """Find `word` as a whole word, ignoring case and punctuation around it; fall back to a plural or
    possessive form ('banks', "bank's"). Several occurrences: use the `occurrence`-th (0-based)."""
    word = word.strip()
    if not word:
        raise MLMError("Give a word to look for.")
    core = re.escape(word)
    for pattern in (rf"(?<!\w){core}(?!\w)", rf"(?<!\w){core}(?:s|es|'s|’s)(?!\w)"):
        hits = list(re.finditer(pattern, sentence, flags=re.IGNORECASE))
        if hits:
            used = min(occurrence, len(hits) - 1)
            m = hits[used]
            return Occurrence(m.start(), m.end(), m.group(0), len(hits), used)
    return None


def word_vectors(lm: LoadedModel, sentences: list[str], word: str, *, occurrence: int = 0, batch_size: int = 32,
                 on_progress: Callable[[int, int], None] | None = None) -> WordVectors:
    """Vectors of `word` in each sentence at every layer (mean of its pieces).

    Sentences are sorted by length and batched so padding stays small; sentences without the
    word or too long for the model are skipped and reported, never silently dropped.
    """
    if not sentences:
        raise MLMError("Give at least one sentence.")
    notes, skipped, jobs = [], [], []
    for i, s in enumerate(sentences):
        s = (s or "").strip()
        if not s:
            skipped.append((i, "empty sentence"))
            continue
        occ = locate_word(s, word, occurrence)
        if occ is None:
            skipped.append((i, f"'{word}' not found"))
            continue
        if occ.count > 1:
            notes.append(f"sentence {i + 1}: '{word}' occurs {occ.count} times; using occurrence {occ.used + 1}")
        if occ.found.lower() != word.lower():
            notes.append(f"sentence {i + 1}: matched '{occ.found}' for '{word}'")
        jobs.append((i, s, occ))
    if not jobs:
        raise MLMError(f"'{word}' does not occur in any of the sentences.")
    tok = lm.tokenizer
    encs = tok([s for _, s, _ in jobs], return_offsets_mapping=True, return_special_tokens_mask=True, truncation=False)
    keep = []
    for j, (i, s, occ) in enumerate(jobs):
        ids = encs["input_ids"][j]
        if len(ids) > lm.info.max_tokens:
            skipped.append((i, f"too long ({len(ids)} tokens; the model reads {lm.info.max_tokens})"))
            continue
        spans = trim_offsets(s, encs["offset_mapping"][j])  # some tokenizers' offsets include the space before a word
        occ.token_indices = [t for t, ((a, b), sp) in enumerate(zip(spans, encs["special_tokens_mask"][j]))
                             if not sp and b > a and a < occ.end and b > occ.start]
        if not occ.token_indices:
            skipped.append((i, "the word's tokens could not be located"))
            continue
        keep.append(j)
    if not keep:
        raise MLMError(f"No usable sentence for '{word}': " + "; ".join(r for _, r in skipped[:3]))
    order = sorted(keep, key=lambda j: len(encs["input_ids"][j]))
    pad = pad_id(tok)
    result: dict[int, np.ndarray] = {}
    done = 0
    for b in range(0, len(order), batch_size):
        batch = order[b:b + batch_size]
        ids, mask = pad_batch([encs["input_ids"][j] for j in batch], pad)
        with torch.inference_mode():
            out = lm.model.base_model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        hidden = torch.stack(out.hidden_states, dim=1)  # (batch, layers+1, seq, hidden)
        for r, j in enumerate(batch):
            result[j] = hidden[r][:, jobs[j][2].token_indices].mean(dim=1).float().numpy()
        done += len(batch)
        if on_progress is not None:
            on_progress(done, len(order))
    kept = sorted(keep)
    return WordVectors(
        word=word, sentences=[jobs[j][1] for j in kept], indices=[jobs[j][0] for j in kept],
        vectors=np.stack([result[j] for j in kept]), occurrences=[jobs[j][2] for j in kept],
        skipped=sorted(skipped), notes=notes,
    )
