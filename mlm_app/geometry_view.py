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
from .i18n import error_text, t
from .models import get_model
from .state import large

CENTRING_MODES = ("none", "corpus", "word")
COLUMNS = {"layer": "geometry.col_layer", "layer name": "geometry.col_layer_name",
           "anisotropy": "geometry.col_anisotropy", "self-similarity": "geometry.col_self_similarity",
           "self-similarity − anisotropy": "geometry.col_adjusted", "static share": "geometry.col_static_share"}


def centring_label(mode: str) -> str:
    return t(f"geometry.centring_{mode}") if mode in CENTRING_MODES else mode


def figure_texts() -> dict[str, str]:
    """The words of `mlm_core.viz.geometry`'s figure, in the session's language."""
    return {name: t(f"geometry.fig_{name}") for name in ("anisotropy", "self_similarity", "static_share", "layer",
                                                          "static", "y", "y_centred")}


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
        return centring_label(self.mode)


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
    modes = list(CENTRING_MODES)
    if st.session_state.get(key) not in modes:
        st.session_state[key] = "none"
    mode = st.radio(t("geometry.vectors"), modes, format_func={m: centring_label(m) for m in modes}.get,
                    horizontal=True, key=key,
                    help=t("geometry.centring_help"))
    if mode == "none":
        return Centring("none", None)
    if mode == "word":
        if wv is None or not len(wv.vectors):
            st.info(t("geometry.no_word_vectors"))
            return Centring("none", None)
        return Centring("word", np.asarray(wv.vectors, dtype=np.float64).mean(axis=0))
    try:
        with st.spinner(t("geometry.baseline_spinner")):
            base = cached_baseline(lm.name)
    except MLMError as err:
        st.warning(t("geometry.baseline_failed", error=error_text(err)))
        return Centring("none", None)
    if wv is not None and base.means.shape != wv.vectors.shape[1:]:
        st.warning(t("geometry.baseline_mismatch"))
        return Centring("none", None)
    st.caption(t("geometry.centred_on", words=base.words, sentences=base.sentences))
    return Centring("corpus", base.means)


def geometry_rows(g: Geometry, static: str = "0 (static embedding)") -> list[dict]:
    """One row per layer, layer 0 named `static` (the download's rows; the page's table is named in the session's
    language)."""
    return [{"layer": r.layer, "layer name": static if r.layer == 0 else str(r.layer),
             "anisotropy": round(r.anisotropy, 4), "self-similarity": round(r.self_similarity, 4),
             "self-similarity − anisotropy": round(r.self_similarity_adjusted, 4),
             "static share": round(r.static_share, 4)} for r in g.layers]


def geometry_section(lm: LoadedModel, word: str, sentences: list[str], wv: WordVectors | None = None,
                     centred: bool | None = None, key: str = "geo") -> Geometry | None:
    """Anisotropy, self-similarity and static share of `word` per layer. `centred` None offers a toggle."""
    big = large()
    st.subheader(t("geometry.title"))
    st.markdown(t("geometry.intro", word=word))
    word = (word or "").strip()
    sentences = [s for s in (sentences or []) if s and s.strip()]
    if not word:
        st.info(t("geometry.choose_word"))
        return None
    if centred is None:
        centred = st.toggle(t("geometry.centre_toggle"), key=f"{key}_centred", help=t("geometry.centre_toggle_help"))
    try:
        if wv is None:
            wv = cached_word_vectors(lm.name, word, tuple(sentences))
        if len(wv.sentences) < 2:
            missing = len(sentences) - len(wv.sentences)
            st.info(t("geometry.too_few_missing" if missing else "geometry.too_few", word=word,
                      found=len(wv.sentences), n=len(sentences), missing=missing))
            return None
        with st.spinner(t("geometry.spinner")):
            cached_baseline(lm.name)
            g = cached_geometry(lm.name, word, tuple(wv.sentences), bool(centred), wv)
    except MLMError as err:
        st.info(error_text(err))
        return None
    show_figure(geometry_chart([r.layer for r in g.layers], [r.anisotropy for r in g.layers],
                               [r.self_similarity for r in g.layers], [r.static_share for r in g.layers], word,
                               centred=g.centred, large=big, texts=figure_texts(),
                               title=t("geometry.chart_title", word=word, n=g.sentences)
                               + (t("geometry.chart_centred") if g.centred else "")),
                key=f"{key}_chart")
    rows = geometry_rows(g)
    shown = pd.DataFrame(geometry_rows(g, t("geometry.static_layer"))).rename(
        columns={name: t(k) for name, k in COLUMNS.items()})
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_table")
    st.caption(t("geometry.caption"))
    data_downloads(rows, key=f"{key}_{word}_geometry", label=t("geometry.download"))
    return g
