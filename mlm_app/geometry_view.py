"""Sections of the Polysemy page: how crowded the vector space is (Ethayarajh 2019), and centring the vectors.

* `centring_control(lm, wv)`: a choice to centre the vectors before the projection and the separation numbers —
  subtract each layer's mean vector estimated on a corpus sample (or the word's own mean). It returns a
  `Centring` whose `apply` the page runs on every vector array it projects or measures.
* `geometry_section(lm, word, sentences, wv)`: per layer, the anisotropy (mean cosine between random words in
  random contexts), the word's self-similarity across its sentences and the share of its variance a single static
  vector explains, on raw or centred vectors.

The corpus sample's layer means are computed once per model (200 sentences of the bundled sample, 1000 words).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from mlm_core.embeddings.geometry import CorpusBaseline, Geometry, corpus_baseline, word_geometry
from mlm_core.embeddings.vectors import WordVectors, word_vectors
from mlm_core.errors import MLMError
from mlm_core.model.loading import LoadedModel
from mlm_core.viz import geometry_chart

from .downloads import data_downloads, show_figure
from .models import get_model
from .state import large

CENTRING_LABELS = {"none": "raw vectors", "corpus": "centre on the corpus mean", "word": "centre on the word's own mean"}
CENTRING_HELP = ("Contextual vectors share a common direction, so almost every cosine between them is high and "
                 "the difference between senses hides in the third decimal. **Corpus mean**: subtract each layer's "
                 "mean vector, estimated on 1000 words of a corpus sample (Ethayarajh 2019's anisotropy removed). "
                 "**Word's own mean**: subtract the mean of this word's vectors, which leaves only what differs "
                 "between its sentences (cosines between senses turn negative). The projection, the nearest "
                 "neighbours and the separation numbers all use the chosen vectors.")


@dataclass
class Centring:
    mode: str  # 'none', 'corpus' or 'word'
    means: np.ndarray | None  # (layers + 1, hidden) subtracted from every vector; None for 'none'

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """(n, layers + 1, hidden) or (n, hidden) vectors of the word, centred the chosen way."""
        vectors = np.asarray(vectors)
        if self.means is None:
            return vectors
        if vectors.ndim == 3:
            return vectors - self.means[None]
        raise MLMError(f"Centre the (n, layers + 1, hidden) vectors, not an array of shape {vectors.shape}.")

    def word_vectors(self, wv: WordVectors) -> WordVectors:
        """A copy of `wv` with centred vectors (the same object when nothing is subtracted)."""
        return wv if self.means is None else dataclasses.replace(wv, vectors=self.apply(wv.vectors))

    def points(self, points):
        """A copy of a page's points (any dataclass with a `vectors` field) with centred vectors."""
        return points if self.means is None else dataclasses.replace(points, vectors=self.apply(points.vectors))

    @property
    def label(self) -> str:
        return CENTRING_LABELS.get(self.mode, self.mode)


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_baseline(model_name: str) -> CorpusBaseline:
    """Each layer's mean word vector and 1000 random word occurrences of the bundled sample; once per model.

    A resource (shared, not copied): its sample is (1000, layers + 1, hidden) floats."""
    base = corpus_baseline(get_model(model_name))
    for array in (base.means, base.sample, base.sample_sentence):
        array.flags.writeable = False
    return base


@st.cache_data(max_entries=32, show_spinner=False)
def cached_word_vectors(model_name: str, word: str, sentences: tuple[str, ...]) -> WordVectors:
    return word_vectors(get_model(model_name), list(sentences), word)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_geometry(model_name: str, word: str, sentences: tuple[str, ...], centred: bool,
                    _wv: WordVectors) -> Geometry:
    """The word's geometry per layer; `_wv` are its vectors in `sentences` on `model_name`."""
    lm = get_model(model_name)
    return word_geometry(lm, word, list(sentences), centred=centred, baseline=cached_baseline(model_name), vectors=_wv)


def centring_control(lm: LoadedModel, wv: WordVectors | None = None, key: str = "geo_centring") -> Centring:
    """The centring choice; returns what to subtract. 'word' needs `wv` (falls back to none without it)."""
    modes = list(CENTRING_LABELS)
    if st.session_state.get(key) not in modes:
        st.session_state[key] = "none"
    mode = st.radio("Vectors", modes, format_func=CENTRING_LABELS.get, horizontal=True, key=key, help=CENTRING_HELP)
    if mode == "none":
        return Centring("none", None)
    if mode == "word":
        if wv is None or not len(wv.vectors):
            st.info("There are no vectors of the word yet to take the mean of; showing raw vectors.")
            return Centring("none", None)
        return Centring("word", np.asarray(wv.vectors, dtype=np.float64).mean(axis=0))
    try:
        with st.spinner("Estimating each layer's mean vector on a corpus sample (once per model)…"):
            base = cached_baseline(lm.name)
    except MLMError as err:
        st.warning(f"Could not estimate the corpus mean ({err}); showing raw vectors.")
        return Centring("none", None)
    if wv is not None and base.means.shape != wv.vectors.shape[1:]:
        st.warning("The corpus means do not match these vectors' layers; showing raw vectors.")
        return Centring("none", None)
    st.caption(f"Centred on the mean of {base.words:,} word occurrences in {base.sentences} sentences.")
    return Centring("corpus", base.means)


def geometry_rows(g: Geometry) -> list[dict]:
    return [{"layer": r.layer, "layer name": "0 (static embedding)" if r.layer == 0 else str(r.layer),
             "anisotropy": round(r.anisotropy, 4), "self-similarity": round(r.self_similarity, 4),
             "self-similarity − anisotropy": round(r.self_similarity_adjusted, 4),
             "static share": round(r.static_share, 4)} for r in g.layers]


def geometry_section(lm: LoadedModel, word: str, sentences: list[str], wv: WordVectors | None = None,
                     centred: bool | None = None, key: str = "geo") -> Geometry | None:
    """Anisotropy, self-similarity and static share of `word` per layer. `centred` None offers a toggle."""
    big = large()
    st.subheader("How crowded is the vector space?")
    st.markdown(
        "Ethayarajh (2019), *How Contextual are Contextualized Word Representations?*, per layer: "
        "**anisotropy**, the mean cosine between vectors of random words in random contexts (near 0: directions "
        "spread out; near 1: everything points the same way, so a high cosine between two words means little); "
        f"the **self-similarity** of '{word}', the mean cosine between its vectors in different sentences; and its "
        "**static share**, the share of its vectors' variance that a single static vector could explain.")
    word = (word or "").strip()
    sentences = [s for s in (sentences or []) if s and s.strip()]
    if not word:
        st.info("Choose a word to measure.")
        return None
    if centred is None:
        centred = st.toggle("Centre the vectors first (subtract each layer's corpus mean)", key=f"{key}_centred",
                            help="Removes the direction every vector shares; the anisotropy drops to about 0.")
    try:
        if wv is None:
            wv = cached_word_vectors(lm.name, word, tuple(sentences))
        if len(wv.sentences) < 2:
            missing = len(sentences) - len(wv.sentences)
            raise MLMError(f"'{word}' was found in {len(wv.sentences)} of the {len(sentences)} sentence(s)"
                           + (f" ({missing} do not contain it or could not be read)" if missing else "")
                           + "; self-similarity needs it in at least two.")
        with st.spinner("Measuring the vector space (the corpus sample is read once per model)…"):
            cached_baseline(lm.name)
            g = cached_geometry(lm.name, word, tuple(wv.sentences), bool(centred), wv)
    except MLMError as err:
        st.info(str(err))
        return None
    show_figure(geometry_chart([r.layer for r in g.layers], [r.anisotropy for r in g.layers],
                               [r.self_similarity for r in g.layers], [r.static_share for r in g.layers], word,
                               centred=g.centred, large=big,
                               title=f"'{word}' in {g.sentences} sentences" + (", centred vectors" if g.centred else "")),
                key=f"{key}_chart")
    rows = geometry_rows(g)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}_table")
    st.caption("Layer 0 is the static input embedding: the same word gets (almost) the same vector in every "
               "sentence there, so its self-similarity and static share are near 1. Self-similarity well above "
               "the anisotropy means the word's vectors stay alike across contexts; a falling static share means "
               "context matters more.")
    data_downloads(rows, key=f"{key}_{word}_geometry", label="Geometry")
    return g
