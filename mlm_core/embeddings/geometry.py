"""How crowded the vector space is (Ethayarajh 2019, "How Contextual are Contextualized Word Representations?").

Per layer (0 = embeddings), with the same word vectors as `word_vectors` (mean of a word's pieces):

* anisotropy: the mean cosine between vectors of random words in random contexts (pairs from different
  sentences of a corpus sample). Near 0 the directions are spread out; near 1 every vector points the
  same way, and a high cosine between two words means little.
* self-similarity: the mean cosine between the chosen word's vectors across its sentences (pairs of
  different sentences); `self_similarity_adjusted` subtracts the anisotropy.
* static share: the share of the variance of the word's vectors that their first principal direction
  explains (σ1² / Σσi² of the uncentred occurrence matrix, the paper's "maximum explainable variance"):
  how much of the word a single static vector could stand for.

`corpus_baseline` estimates the anisotropy and each layer's mean vector on a corpus sample (cached per
model); `centre` subtracts the means, which removes the common direction that makes every cosine high.
With `centred=True` every number above is computed on centred vectors. `centred_word_vectors` also offers
centring on the word's own mean, which is what makes two senses' cosines differ in sign (see its docstring).
"""
from __future__ import annotations

import hashlib
import random
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
import torch

from ..errors import MLMError
from ..model.loading import LoadedModel
from ..sentences import sample_sentences
from ..tokens import pad_batch, pad_id
from .vectors import WordVectors, word_vectors

BASELINE_WORDS = 1000  # random word occurrences for the anisotropy
CENTRING = ("none", "corpus", "word")
_CACHE: "weakref.WeakKeyDictionary[torch.nn.Module, dict]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclass
class CorpusBaseline:
    means: np.ndarray  # (layers + 1, hidden): mean word vector per layer
    sample: np.ndarray  # (n, layers + 1, hidden): the random word occurrences
    sample_sentence: np.ndarray  # (n,): the sentence each occurrence comes from
    sentences: int
    words: int  # word occurrences the means average over


@dataclass
class LayerGeometry:
    layer: int
    anisotropy: float
    self_similarity: float
    self_similarity_adjusted: float
    static_share: float


@dataclass
class Geometry:
    word: str
    sentences: int  # sentences that gave a vector of the word
    centred: bool
    layers: list[LayerGeometry]
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _word_spans(word_ids: list[int | None], special: list[int], text: str, offsets) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for t, (w, sp) in enumerate(zip(word_ids, special)):
        if w is not None and not sp:
            groups.setdefault(w, []).append(t)
    return [idx for _, idx in sorted(groups.items())
            if any(ch.isalnum() for ch in text[offsets[idx[0]][0]:offsets[idx[-1]][1]])]


def corpus_baseline(lm: LoadedModel, sentences: list[str] | None = None, n_words: int = BASELINE_WORDS,
                    seed: int = 0, batch_size: int = 32) -> CorpusBaseline:
    """Per-layer mean word vector and `n_words` random word occurrences of a corpus sample; cached per model."""
    sentences = sample_sentences(200, seed) if sentences is None else [s.strip() for s in sentences if s.strip()]
    key = hashlib.sha1(("\n".join(sentences) + f"|{n_words}|{seed}").encode("utf-8")).hexdigest()
    with _LOCK:
        cached = _CACHE.get(lm.model, {}).get(key)
    if cached is not None:
        return cached
    tok = lm.tokenizer
    enc = tok(sentences, truncation=False, return_offsets_mapping=True, return_special_tokens_mask=True)
    usable = sorted((i for i, ids in enumerate(enc["input_ids"]) if len(ids) <= lm.info.max_tokens),
                    key=lambda i: len(enc["input_ids"][i]))  # by length: little padding
    if len(usable) < 2:
        raise MLMError("The corpus sample needs at least two sentences the model can read.")
    all_vecs, owners = [], []
    for start in range(0, len(usable), batch_size):
        batch = usable[start:start + batch_size]
        ids, mask = pad_batch([enc["input_ids"][i] for i in batch], pad_id(tok))
        with torch.inference_mode():
            out = lm.model.base_model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        hidden = torch.stack(out.hidden_states, dim=1).float()  # (B, layers + 1, seq, hidden)
        for r, i in enumerate(batch):
            for idx in _word_spans(enc.word_ids(i), enc["special_tokens_mask"][i], sentences[i], enc["offset_mapping"][i]):
                all_vecs.append(hidden[r][:, idx].mean(dim=1).numpy())
                owners.append(i)
    vecs, owners = np.stack(all_vecs), np.asarray(owners)
    pick = np.sort(np.asarray(random.Random(seed).sample(range(len(vecs)), min(n_words, len(vecs)))))
    result = CorpusBaseline(vecs.mean(axis=0), vecs[pick], owners[pick], len(usable), len(vecs))
    with _LOCK:
        _CACHE.setdefault(lm.model, {})[key] = result
    return result


def centre(vectors: np.ndarray, means: np.ndarray) -> np.ndarray:
    """(n, layers + 1, hidden) vectors minus each layer's mean vector (layers + 1, hidden)."""
    vectors, means = np.asarray(vectors), np.asarray(means)
    if vectors.ndim != 3 or vectors.shape[1:] != means.shape:
        raise MLMError(f"Cannot centre vectors of shape {vectors.shape} with layer means of shape {means.shape}.")
    return vectors - means[None]


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)


def mean_cosine(vectors: np.ndarray, groups: np.ndarray) -> float:
    """Mean cosine over pairs of rows that belong to different groups (e.g. sentences)."""
    unit = _unit(vectors)
    sims = unit @ unit.T
    apart = np.asarray(groups)[:, None] != np.asarray(groups)[None, :]
    return float(sims[apart].mean()) if apart.any() else float("nan")


def static_share(vectors: np.ndarray) -> float:
    """σ1² / Σσi² of the (uncentred) occurrence matrix: the variance one static vector can explain."""
    s = np.linalg.svd(np.asarray(vectors, dtype=np.float64), compute_uv=False)
    total = float((s ** 2).sum())
    return float(s[0] ** 2 / total) if total > 0 else 0.0


def word_geometry(lm: LoadedModel, word: str, sentences: list[str], centred: bool = False,
                  baseline: CorpusBaseline | None = None, vectors: WordVectors | None = None) -> Geometry:
    """Anisotropy, self-similarity and static share of `word` at every layer (see the module docstring)."""
    wv = vectors if vectors is not None else word_vectors(lm, sentences, word)
    if len(wv.sentences) < 2:
        raise MLMError(f"'{word}' was found in {len(wv.sentences)} sentence(s); self-similarity needs at least two.")
    base = baseline if baseline is not None else corpus_baseline(lm)
    word_vecs, sample = wv.vectors, base.sample
    if centred:
        word_vecs, sample = centre(word_vecs, base.means), centre(sample, base.means)
    own = np.arange(len(word_vecs))
    rows = []
    for layer in range(word_vecs.shape[1]):
        aniso = mean_cosine(sample[:, layer], base.sample_sentence)
        selfsim = mean_cosine(word_vecs[:, layer], own)
        rows.append(LayerGeometry(layer, aniso, selfsim, selfsim - aniso, static_share(word_vecs[:, layer])))
    return Geometry(word, len(wv.sentences), centred, rows, list(wv.skipped))


def centred_word_vectors(lm: LoadedModel, wv: WordVectors, baseline: CorpusBaseline | None = None,
                         mode: str = "corpus") -> np.ndarray:
    """The (n, layers + 1, hidden) vectors of `wv`, centred for the projection and the separation numbers.

    mode 'corpus': minus each layer's mean over a corpus sample (removes the direction every vector shares);
    'word': minus the mean of the word's own vectors (leaves only what differs between its sentences, so
    cosines between senses turn negative); 'none': unchanged."""
    if mode not in CENTRING:
        raise MLMError(f"Unknown centring '{mode}'.", f"Choose one of: {', '.join(CENTRING)}.")
    if mode == "none":
        return wv.vectors
    if mode == "word":
        return wv.vectors - wv.vectors.mean(axis=0, keepdims=True)
    base = baseline if baseline is not None else corpus_baseline(lm)
    return centre(wv.vectors, base.means)
