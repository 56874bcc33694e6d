"""The Polysemy page's sections: the word and its labelled sentences, the vectors (cached, with progress), the
layer and projection controls, the "edit one context word" box, the projection, nearest neighbours, the sense
separation by layer and the downloads. Points, tables and metrics come from `mlm_core.embeddings`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from mlm_core.embeddings.polysemy_data import items_for, polysemy_words
from mlm_core.embeddings.projection import ProjectionResult, project
from mlm_core.embeddings.senses import separation_by_layer
from mlm_core.embeddings.vectors import WordVectors, word_vectors
from mlm_core.embeddings.word_points import (WordPoints, chance_accuracy, clean_rows, neighbour_records, parse_pasted,
                                             separation_records, vector_records, word_points)
from mlm_core.errors import MLMError
from mlm_core.model.sense_layer import SenseLayer
from mlm_core.viz.embeddings import layer_metrics_chart, projection_scatter

from .downloads import data_downloads, show_figure
from .i18n import error_text, t
from .models import get_model
from .selection import point_row
from .state import bind_widget, large, persistent, set_persistent

CUSTOM = "✏️ your own word…"  # the Word selector's value for a word of one's own (shown through `word_label`)
METHODS = {"PCA": "pca", "t-SNE": "tsne", "UMAP": "umap"}
AXIS_NAMES = {"pca": "PC", "tsne": "t-SNE", "umap": "UMAP"}  # axis titles: PC 1, PC 2, ...
LAYER = "poly_layer_value"  # the layer drawn (mlm_app.state.persistent); the Layer slider's own key is "poly_layer"
LAYER_BY_HAND = "poly_layer_by_hand"  # the user has moved the Layer slider
DIMS = ("2-D", "3-D")
COLUMNS = {"sentence": "polysemy.col_sentence", "sense": "polysemy.col_sense", "cosine": "polysemy.col_cosine",
           "layer": "polysemy.col_layer", "layer name": "polysemy.col_layer_name",
           "silhouette": "polysemy.col_silhouette", "1-NN accuracy": "polysemy.col_knn",
           "within-sense cosine": "polysemy.col_within", "between-sense cosine": "polysemy.col_between"}


@dataclass(frozen=True)
class Sentences:
    word: str
    choice: str  # the preset word, or CUSTOM
    sentences: list[str]
    senses: list[str]


@dataclass(frozen=True)
class View:
    layer: int
    method_label: str
    dims: int
    perplexity: float | None
    n_neighbors: int
    min_dist: float

    @property
    def method(self) -> str:
        return METHODS[self.method_label]


@st.cache_data(max_entries=32, show_spinner=False)
def _word_vectors(model_name: str, word: str, sentences: tuple[str, ...]) -> WordVectors:
    """Vectors of `word` at every layer, one forward pass per batch; cached per model, word and sentences.

    The progress bar is created inside the cached function, so Streamlit can replay it on a cache hit.
    """
    bar = st.progress(0.0, text=t("polysemy.reading", n=len(sentences)))

    def on_progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=t("polysemy.computing", word=word, done=done, total=total))

    try:
        return word_vectors(get_model(model_name), list(sentences), word, on_progress=on_progress)
    finally:
        bar.empty()


@st.cache_data(max_entries=64, show_spinner=False)
def _projection(vectors: np.ndarray, method: str, dims: int, perplexity: float | None, n_neighbors: int,
                min_dist: float) -> ProjectionResult:
    return project(vectors, method, dims, seed=0, perplexity=perplexity, n_neighbors=n_neighbors, min_dist=min_dist)


def _digest(rows) -> str:
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:10]


def word_label(choice: str) -> str:
    return t("polysemy.custom") if choice == CUSTOM else choice


def _table(records: list[dict], key: str) -> None:
    """Records as a table, the columns named in the session's language (the downloads keep the English names)."""
    names = {name: t(k) for name, k in COLUMNS.items()}
    st.dataframe(pd.DataFrame(records).rename(columns=names), hide_index=True, width="stretch", key=key)


def figure_texts() -> dict[str, str]:
    """The words of `mlm_core.viz.embeddings`'s figures, in the session's language."""
    return {name: t(f"polysemy.fig_{name}") for name in ("edited", "dimension", "sense", "silhouette", "knn",
                                                          "chance", "layer", "static")}


# ---------------------------------------------------------------- the word and its sentences


def word_and_sentences() -> Sentences | None:
    """A preset word with its labelled sentences, or the user's own word with pasted sentences; both editable."""
    c1, c2 = st.columns([1, 2])
    words = polysemy_words() + [CUSTOM]
    choice = c1.selectbox(t("polysemy.word"), words, key="poly_word", format_func={w: word_label(w) for w in words}.get,
                          help=t("polysemy.word_help"))
    if choice == CUSTOM:
        word = c2.text_input(t("polysemy.your_word"), key="poly_custom_word",
                             placeholder=t("polysemy.your_word_placeholder")).strip()
        pasted = st.text_area(t("polysemy.paste"), key="poly_paste", height=120)
        base_rows = parse_pasted(pasted) or [{"sentence": "", "sense": ""}]
        if not word:
            st.info(t("polysemy.type_word"))
            return None
    else:
        word = choice
        base_rows = [{"sentence": item.sentence, "sense": item.sense} for item in items_for(word)]
        c2.caption(t("polysemy.preset_caption", n=len(base_rows), word=word))
    with st.expander(t("polysemy.editor"), expanded=choice == CUSTOM):
        table = st.data_editor(
            pd.DataFrame(base_rows, columns=["sentence", "sense"]), num_rows="dynamic", hide_index=True,
            key=f"poly_editor_{_digest([choice, base_rows])}", width="stretch",
            column_config={"sentence": st.column_config.TextColumn(t("polysemy.col_sentence"), width="large",
                                                                   required=True),
                           "sense": st.column_config.TextColumn(t("polysemy.col_sense"), width="small")})
    sentences, senses = clean_rows(table[["sentence", "sense"]].itertuples(index=False))
    if not sentences:
        st.info(t("polysemy.add_sentences", word=word))
        return None
    return Sentences(word, choice, sentences, senses)


def vectors(model_name: str, s: Sentences) -> WordVectors | None:
    """The word's vectors in every sentence, with the sentences skipped and the notes listed."""
    try:
        wv = _word_vectors(model_name, s.word, tuple(s.sentences))
    except MLMError as err:
        st.warning(error_text(err))
        return None
    if wv.skipped:
        st.warning(t("polysemy.skipped", n=len(wv.skipped)) + "\n"
                   + "\n".join(t("polysemy.skipped_row", row=i + 1, sentence=s.sentences[i], reason=error_text(reason))
                               for i, reason in wv.skipped))
    if wv.notes:
        with st.expander(t("polysemy.notes", n=len(wv.notes))):
            st.markdown("\n".join(f"- {error_text(note)}" for note in wv.notes))
    return wv


# ---------------------------------------------------------------- controls


def _layer_by_hand() -> None:
    st.session_state[LAYER_BY_HAND] = True


def controls(top_layer: int, sense_layer: SenseLayer | None = None) -> View:
    """Layer, projection method, dimensions and the method's own parameters. The layer starts at the model's sense
    layer (chosen on natural sentences and stored with it), else at its top layer, and the page says which and why."""
    # The layer is kept under a key of its own (not the slider's): the page stops before the slider while a custom
    # word has no sentences yet, Streamlit then drops the slider's state, and a slider drawn again must show the layer
    # that the heading and the plot use, not its own default 0.
    # Until the user moves the slider, the layer follows the model's default (another model can have more layers).
    used = sense_layer if sense_layer is not None and sense_layer.layer <= top_layer else None
    default = used.layer if used else top_layer
    kept = persistent(LAYER, default)
    if not st.session_state.get(LAYER_BY_HAND) or not isinstance(kept, int) or not 0 <= kept <= top_layer:
        set_persistent(LAYER, default)
    c1, c2, c3 = st.columns([2, 1, 1])
    layer = c1.slider(t("polysemy.layer"), 0, top_layer, help=t("polysemy.layer_help"),
                      **bind_widget(LAYER, widget_key="poly_layer", on_change=_layer_by_hand))
    method_label = c2.radio(t("polysemy.projection"), list(METHODS), key="poly_method", horizontal=True,
                            help=t("polysemy.projection_help"))
    dims = 3 if c3.radio(t("polysemy.dimensions"), DIMS, key="poly_dims", horizontal=True,
                         format_func={d: t(f"polysemy.dims_{d[0]}") for d in DIMS}.get) == "3-D" else 2
    perplexity, n_neighbors, min_dist = None, 15, 0.1
    if METHODS[method_label] == "tsne":
        perplexity = st.slider(t("polysemy.perplexity"), 2.0, 50.0, 10.0, 1.0, key="poly_perplexity",
                               help=t("polysemy.perplexity_help"))
    elif METHODS[method_label] == "umap":
        p1, p2 = st.columns(2)
        n_neighbors = p1.slider(t("polysemy.n_neighbors"), 2, 50, 15, key="poly_neighbors")
        min_dist = p2.slider(t("polysemy.min_dist"), 0.0, 0.99, 0.1, 0.01, key="poly_min_dist")
    if not st.session_state.get(LAYER_BY_HAND):
        st.caption(t("polysemy.shown_first", reason=error_text(used.reason())) if used
                   else t("polysemy.shown_first_top", layer=top_layer))
    return View(layer, method_label, dims, perplexity, n_neighbors, min_dist)


def edited_sentence(model_name: str, s: Sentences, wv: WordVectors, view: View) -> WordPoints:
    """"Edit one context word": a changed copy of a sentence joins the points (when it still holds the word)."""
    edit_key = f"poly_edit_{_digest([s.choice])}"
    if edit_key not in st.session_state:
        st.session_state[edit_key] = wv.sentences[0]

    def reset() -> None:
        st.session_state[edit_key] = wv.sentences[0]

    e1, e2 = st.columns([5, 1], vertical_alignment="bottom")
    edited = e1.text_input(t("polysemy.edit", word=s.word), key=edit_key).strip()
    e2.button(t("polysemy.reset"), key="poly_edit_reset", on_click=reset, help=t("polysemy.reset_help"))
    extra = None
    if edited and edited not in wv.sentences:
        try:
            extra = _word_vectors(model_name, s.word, (edited,))
        except MLMError:
            extra = None
        if extra is None or not len(extra.sentences):
            st.warning(t("polysemy.edit_missing", word=s.word))
            extra = None
    if extra is not None and view.method in ("tsne", "umap"):
        st.caption(t("polysemy.edit_recomputed", method=view.method_label))
    return word_points(wv, s.senses, extra)


# ---------------------------------------------------------------- projection and neighbours


def projection(points: WordPoints, view: View) -> tuple[ProjectionResult | None, int | None]:
    """The projected points (click one to list its neighbours); (projection, the row clicked)."""
    try:
        with st.spinner(t(f"polysemy.spinner_{view.method}")):
            proj = _projection(points.vectors[:, view.layer], view.method, view.dims, view.perplexity,
                               view.n_neighbors, view.min_dist)
    except MLMError as err:
        st.warning(error_text(err))
        return None, None
    if proj.note:
        st.caption(error_text(proj.note))
    rows = [int(i) for i in proj.indices]
    edited = set(points.edited)
    fig = projection_scatter(proj.coords, [points.labels[i] for i in rows], [points.hovers[i] for i in rows],
                             title=t("polysemy.projection_title", method=view.method_label, dims=view.dims,
                                     layer=view.layer), large=large(), texts=figure_texts(),
                             highlight=[k for k, i in enumerate(rows) if i in edited],
                             axis_titles=[f"{AXIS_NAMES[view.method]} {d}" for d in range(1, view.dims + 1)])
    event = show_figure(fig, key="polysemy_projection", on_select="rerun")
    st.caption(t("polysemy.projection_caption"))
    k = point_row(event, len(rows))
    return proj, (rows[k] if k is not None else None)


def neighbours(points: WordPoints, layer: int, clicked: int | None) -> None:
    options = [None] + list(range(len(points)))
    if st.session_state.get("poly_neighbour_of") not in options:
        st.session_state["poly_neighbour_of"] = None
    pick = st.selectbox(t("polysemy.neighbours_of"), options, key="poly_neighbour_of",
                        format_func={i: t("polysemy.neighbours_none") if i is None
                                     else f"{i + 1}. [{points.labels[i]}] {points.sentences[i][:90]}"
                                     for i in options}.get)
    selected = clicked if clicked is not None else pick
    if selected is None or len(points) < 2:
        return
    st.markdown(t("polysemy.nearest_to", sentence=points.sentences[selected], sense=points.labels[selected]))
    _table(neighbour_records(points, layer, selected), "poly_neighbours_table")


# ---------------------------------------------------------------- separation and downloads


def separation(word: str, wv: WordVectors, senses: list[str]) -> list[dict]:
    """Silhouette and 1-NN accuracy per layer (chart and table); returns the table's rows."""
    st.caption(t("polysemy.separation_caption"))
    labels = [senses[i] for i in wv.indices]
    try:
        by_layer = separation_by_layer(wv.vectors, labels)
    except MLMError as err:
        st.info(error_text(err))
        return []
    if not by_layer:
        return []
    show_figure(layer_metrics_chart([s.layer for s in by_layer], [s.silhouette for s in by_layer],
                                    [s.knn_accuracy for s in by_layer], large=large(), chance=chance_accuracy(labels),
                                    title=t("polysemy.separation_title", word=word), texts=figure_texts()),
                key="polysemy_metrics")
    records = separation_records(by_layer)
    _table(records, "poly_metrics_table")
    st.caption(t("polysemy.chance_caption"))
    return records


def downloads(points: WordPoints, word: str, view: View, proj: ProjectionResult | None, metrics: list[dict]) -> None:
    coords = {int(i): proj.coords[k] for k, i in enumerate(proj.indices)} if proj is not None else {}
    data_downloads(vector_records(points, word, view.layer, view.method_label, coords),
                   key=f"polysemy_{word}_layer{view.layer}", label=t("polysemy.vectors_download"))
    data_downloads(metrics, key=f"polysemy_{word}_metrics", label=t("polysemy.metrics_download"))
