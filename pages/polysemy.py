"""Polysemy: the vectors of one word in many sentences, projected and measured layer by layer."""
from __future__ import annotations

import hashlib
import html
import re

import numpy as np
import pandas as pd
import streamlit as st

from mlm_app.downloads import data_downloads, show_figure
from mlm_app.models import get_model
from mlm_app.shell import finish_page, page_setup
from mlm_app.state import bind_widget, large, persistent, set_persistent
from mlm_core.embeddings.polysemy_data import items_for, polysemy_words
from mlm_core.embeddings.projection import ProjectionResult, project
from mlm_core.embeddings.senses import nearest_neighbours, separation_by_layer
from mlm_core.embeddings.vectors import WordVectors, word_vectors
from mlm_core.errors import MLMError
from mlm_core.viz import layer_metrics_chart, projection_scatter

CUSTOM = "✏️ your own word…"
METHODS = {"PCA": "pca", "t-SNE": "tsne", "UMAP": "umap"}
AXIS_NAMES = {"pca": "PC", "tsne": "t-SNE", "umap": "UMAP"}  # axis titles: PC 1, PC 2, ...
UNLABELLED = "unlabelled"
EDITED = "edited sentence"
HOVER_WIDTH = 60  # characters per hover line
LAYER = "poly_layer_value"  # the layer drawn (mlm_app.state.persistent); the Layer slider's own key is "poly_layer"
LAYER_BY_HAND = "poly_layer_by_hand"  # the user has moved the Layer slider


@st.cache_data(max_entries=32, show_spinner=False)
def _word_vectors(model_name: str, word: str, sentences: tuple[str, ...]) -> WordVectors:
    """Vectors of `word` at every layer, one forward pass per batch; cached per model, word and sentences.

    The progress bar is created inside the cached function, so Streamlit can replay it on a cache hit.
    """
    bar = st.progress(0.0, text=f"Reading {len(sentences)} sentence(s)…")

    def on_progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Computing the vectors of '{word}': {done}/{total} sentences")

    try:
        return word_vectors(get_model(model_name), list(sentences), word, on_progress=on_progress)
    finally:
        bar.empty()


@st.cache_data(max_entries=64, show_spinner=False)
def _projection(vectors: np.ndarray, method: str, dims: int, perplexity: float | None, n_neighbors: int,
                min_dist: float) -> ProjectionResult:
    return project(vectors, method, dims, seed=0, perplexity=perplexity, n_neighbors=n_neighbors, min_dist=min_dist)


def _parse_pasted(text: str) -> list[dict]:
    """Lines of `sense<TAB>sentence` (or `word<TAB>sense<TAB>sentence`, or `sense: sentence`)."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t")]
        if [f.lower() for f in fields] in (["sense", "sentence"], ["word", "sense", "sentence"]):
            continue  # a header row copied from a spreadsheet
        if len(fields) >= 2:
            sense, sentence = fields[-2], fields[-1]
        elif ":" in line:
            sense, sentence = (f.strip() for f in line.split(":", 1))
        else:
            sense, sentence = "", line.strip()
        rows.append({"sentence": sentence, "sense": sense})
    return rows


def _clean_rows(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Sentences and sense labels from the edited table; empty sentences are dropped."""
    sentences, senses = [], []
    for sentence, sense in table[["sentence", "sense"]].itertuples(index=False):
        sentence = "" if sentence is None or pd.isna(sentence) else str(sentence).strip()
        sense = "" if sense is None or pd.isna(sense) else str(sense).strip()
        if sentence:
            sentences.append(sentence)
            senses.append(sense or UNLABELLED)
    return sentences, senses


def _hover(sentence: str, start: int, end: int, sense: str) -> str:
    """The sentence, HTML-escaped, with the word in <b>…</b>, wrapped for the hover box."""
    lines, line, width = [], "", 0
    for m in re.finditer(r"\S+", sentence):
        a, b = m.span()
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            piece = (html.escape(sentence[a:lo]) + "<b>" + html.escape(sentence[lo:hi]) + "</b>"
                     + html.escape(sentence[hi:b]))
        else:
            piece = html.escape(sentence[a:b])
        if width and width + 1 + (b - a) > HOVER_WIDTH:
            lines.append(line)
            line, width = piece, b - a
        else:
            line, width = (f"{line} {piece}" if width else piece), width + (1 if width else 0) + (b - a)
    lines.append(line)
    return "<br>".join(lines) + f"<br><i>sense: {html.escape(sense)}</i>"


def _layer_by_hand() -> None:
    st.session_state[LAYER_BY_HAND] = True


def _digest(rows: list[dict]) -> str:
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:10]


def _chance(labels: list[str]) -> float:
    """Expected leave-one-out 1-NN accuracy when the neighbour is a random other sentence."""
    n = len(labels)
    counts = pd.Series(labels).value_counts().to_numpy()
    return float((counts * (counts - 1)).sum() / (n * (n - 1))) if n > 1 else 0.0


lm = page_setup("Polysemy")
st.title("Polysemy: one word, many contexts")
st.markdown("A static embedding gives **bank** one vector; a contextual model gives it a different vector in "
            "every sentence. Do the vectors of *river bank* and *money bank* drift apart, and at which layer?")

big = large()

# ---- the word and its labelled sentences ---------------------------------------------------------------------
words = polysemy_words()
c1, c2 = st.columns([1, 2])
choice = c1.selectbox("Word", words + [CUSTOM], key="poly_word",
                      help="Preset words come with labelled sentences; edit them below or use your own word.")
if choice == CUSTOM:
    word = c2.text_input("Your word", key="poly_custom_word", placeholder="e.g. light").strip()
    pasted = st.text_area("Paste sentences, one per line: `sense<TAB>sentence` (copied from a spreadsheet) or "
                          "`sense: sentence`", key="poly_paste", height=120)
    base_rows = _parse_pasted(pasted) or [{"sentence": "", "sense": ""}]
    if not word:
        st.info("Type the word to follow, then add sentences that use it (with a sense label each).")
        st.stop()
else:
    word = choice
    base_rows = [{"sentence": item.sentence, "sense": item.sense} for item in items_for(word)]
    c2.caption(f"{len(base_rows)} labelled sentences for **{word}**. Edit them, change sense labels or add rows "
               "in the table.")

with st.expander("Sentences and sense labels (editable)", expanded=choice == CUSTOM):
    table = st.data_editor(
        pd.DataFrame(base_rows, columns=["sentence", "sense"]), num_rows="dynamic", hide_index=True,
        key=f"poly_editor_{_digest([choice, base_rows])}", width="stretch",
        column_config={"sentence": st.column_config.TextColumn("sentence", width="large", required=True),
                       "sense": st.column_config.TextColumn("sense", width="small")},
    )
sentences, senses = _clean_rows(table)
if not sentences:
    st.info(f"Add sentences that use '{word}' to the table.")
    st.stop()

try:
    wv = _word_vectors(lm.name, word, tuple(sentences))
except MLMError as err:
    st.warning(str(err))
    st.stop()

if wv.skipped:
    st.warning(f"{len(wv.skipped)} sentence(s) skipped:\n"
               + "\n".join(f"- row {i + 1}: “{sentences[i]}” ({reason})" for i, reason in wv.skipped))
if wv.notes:
    with st.expander(f"Notes on {len(wv.notes)} sentence(s)"):
        st.markdown("\n".join(f"- {note}" for note in wv.notes))

labels = [senses[i] for i in wv.indices]
n_states = wv.vectors.shape[1]  # layers + 1 (0 = the static input embeddings)
top_layer = n_states - 1

# ---- controls --------------------------------------------------------------------------------------------------
# The layer is kept under a key of its own (not the slider's): the page stops before the slider while a custom word
# has no sentences yet, Streamlit then drops the slider's state, and a slider drawn again must show the layer that
# the heading and the plot use (the model's top layer by default), not its own default 0.
# Until the user moves the slider, the layer follows the model's top layer (another model can have more layers).
kept = persistent(LAYER, top_layer)
if not st.session_state.get(LAYER_BY_HAND) or not isinstance(kept, int) or not 0 <= kept <= top_layer:
    set_persistent(LAYER, top_layer)
c1, c2, c3 = st.columns([2, 1, 1])
layer = c1.slider("Layer", 0, top_layer, help="0 = the static input embedding (no context yet); higher layers have "
                  "mixed in more context.", **bind_widget(LAYER, widget_key="poly_layer", on_change=_layer_by_hand))
method_label = c2.radio("Projection", list(METHODS), key="poly_method", horizontal=True,
                        help="PCA is linear (Euclidean); t-SNE and UMAP keep cosine neighbourhoods and can "
                             "distort distances between clusters.")
dims = 3 if c3.radio("Dimensions", ["2-D", "3-D"], key="poly_dims", horizontal=True) == "3-D" else 2
method = METHODS[method_label]
perplexity, n_neighbors, min_dist = None, 15, 0.1
if method == "tsne":
    perplexity = st.slider("t-SNE perplexity (about how many neighbours each point keeps close)", 2.0, 50.0, 10.0,
                           1.0, key="poly_perplexity", help="Capped below the number of points.")
elif method == "umap":
    p1, p2 = st.columns(2)
    n_neighbors = p1.slider("UMAP n_neighbors (local ↔ global structure)", 2, 50, 15, key="poly_neighbors")
    min_dist = p2.slider("UMAP min_dist (how tightly points pack)", 0.0, 0.99, 0.1, 0.01, key="poly_min_dist")

# ---- "edit one context word" -----------------------------------------------------------------------------------
edit_key = f"poly_edit_{_digest([choice])}"
if edit_key not in st.session_state:
    st.session_state[edit_key] = wv.sentences[0]


def _reset_edit() -> None:
    st.session_state[edit_key] = wv.sentences[0]


e1, e2 = st.columns([5, 1], vertical_alignment="bottom")
edited = e1.text_input(f"Edit one context word: change a word of a sentence (e.g. 'money' → 'river') and see where "
                       f"its '{word}' lands", key=edit_key).strip()
e2.button("Reset", key="poly_edit_reset", on_click=_reset_edit, help="Back to the first sentence of the table.")
extra: WordVectors | None = None
if edited and edited not in wv.sentences:
    try:
        extra = _word_vectors(lm.name, word, (edited,))
    except MLMError:
        extra = None
    if extra is None or not len(extra.sentences):
        st.warning(f"The edited sentence must still contain '{word}' (and fit the model); it is not shown.")
        extra = None

all_vectors = wv.vectors if extra is None else np.concatenate([wv.vectors, extra.vectors])
point_labels = labels + ([EDITED] if extra is not None else [])
point_sentences = list(wv.sentences) + (list(extra.sentences) if extra is not None else [])
point_occ = list(wv.occurrences) + (list(extra.occurrences) if extra is not None else [])
hovers = [_hover(s, o.start, o.end, lab) for s, o, lab in zip(point_sentences, point_occ, point_labels)]
layer_vectors = all_vectors[:, layer]
if extra is not None and method in ("tsne", "umap"):
    st.caption(f"{method_label} is recomputed with the new sentence included, so the other points can move too: "
               "compare neighbourhoods, not absolute positions.")

# ---- projection ------------------------------------------------------------------------------------------------
st.subheader(f"'{word}' at layer {layer}" + (" (static embedding)" if layer == 0 else ""))
proj = None
spinner = {"umap": "Running UMAP (its first run compiles code and may take a few seconds)…",
           "tsne": "Running t-SNE…"}.get(method, "Projecting…")
try:
    with st.spinner(spinner):
        proj = _projection(layer_vectors, method, dims, perplexity, n_neighbors, min_dist)
except MLMError as err:
    st.warning(str(err))

selected = None
if proj is not None:
    if proj.note:
        st.caption(proj.note)
    rows = [int(i) for i in proj.indices]
    highlight = [k for k, i in enumerate(rows) if point_labels[i] == EDITED]
    fig = projection_scatter(proj.coords, [point_labels[i] for i in rows], [hovers[i] for i in rows],
                             title=f"{method_label}, {dims}-D, layer {layer}", large=big, highlight=highlight,
                             axis_titles=[f"{AXIS_NAMES[method]} {d}" for d in range(1, dims + 1)])
    fig.data = tuple(trace for trace in fig.data if len(trace.x))  # the edited point's own (empty) sense trace
    event = show_figure(fig, key="polysemy_projection", on_select="rerun")
    try:
        points = event["selection"]["points"] if event else []
    except (KeyError, TypeError):
        points = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if data is not None and 0 <= int(data) < len(rows):
            selected = rows[int(data)]
            break
    st.caption("Colour (and marker shape) = sense. Hover for the sentence; click a point to list its nearest "
               "neighbours (cosine similarity in the full vector space, not in the picture).")

# ---- nearest neighbours ----------------------------------------------------------------------------------------
if st.session_state.get("poly_neighbour_of") not in [None] + list(range(len(point_sentences))):
    st.session_state["poly_neighbour_of"] = None
pick = st.selectbox("Nearest neighbours of", [None] + list(range(len(point_sentences))), key="poly_neighbour_of",
                    format_func=lambda i: "— click a point or pick a sentence —" if i is None
                    else f"{i + 1}. [{point_labels[i]}] {point_sentences[i][:90]}")
if selected is None:
    selected = pick
if selected is not None and len(point_sentences) > 1:
    k = min(5, len(point_sentences) - 1)
    st.markdown(f"**Nearest to:** “{point_sentences[selected]}” ({point_labels[selected]})")
    st.dataframe(pd.DataFrame([{"sentence": point_sentences[i], "sense": point_labels[i], "cosine": round(cos, 4)}
                               for i, cos in nearest_neighbours(layer_vectors, selected, k)]),
                 hide_index=True, width="stretch", key="poly_neighbours_table")

# ---- sense separation per layer ------------------------------------------------------------------------------
st.subheader("Sense separation by layer")
st.caption("Silhouette (−1…1: do same-sense vectors sit closer than other-sense ones?) and leave-one-out 1-NN "
           "accuracy (does the most similar other sentence have the same sense?), on cosine similarity. "
           "Layer 0 is the static-embedding baseline, before any attention: the word's vector there carries no "
           "context (at most a position embedding), so any separation it shows is not about meaning.")
metrics_records: list[dict] = []
try:
    separation = separation_by_layer(wv.vectors, labels)
except MLMError as err:
    st.info(str(err))
    separation = []
if separation:
    show_figure(layer_metrics_chart([s.layer for s in separation], [s.silhouette for s in separation],
                                    [s.knn_accuracy for s in separation], large=big, chance=_chance(labels),
                                    title=f"How well the senses of '{word}' separate"), key="polysemy_metrics")
    metrics_records = [{"layer": s.layer, "layer name": "0 (static embedding)" if s.layer == 0 else str(s.layer),
                        "silhouette": round(s.silhouette, 4), "1-NN accuracy": round(s.knn_accuracy, 4),
                        "within-sense cosine": round(s.within_cosine, 4),
                        "between-sense cosine": round(s.between_cosine, 4)} for s in separation]
    st.dataframe(pd.DataFrame(metrics_records), hide_index=True, width="stretch", key="poly_metrics_table")
    st.caption("Dashed line: the 1-NN accuracy expected by chance with these sense proportions.")

# ---- downloads -------------------------------------------------------------------------------------------------
st.subheader("Downloads")
coords = {}
if proj is not None:
    coords = {int(i): proj.coords[k] for k, i in enumerate(proj.indices)}
records = []
for i, (sentence, sense) in enumerate(zip(point_sentences, point_labels)):
    record = {"word": word, "sentence": sentence, "sense": sense, "layer": layer, "projection": method_label}
    if i in coords:
        record.update({axis: float(v) for axis, v in zip("xyz", coords[i])})
    record.update({f"v{d}": float(v) for d, v in enumerate(layer_vectors[i])})
    records.append(record)
data_downloads(records, key=f"polysemy_{word}_layer{layer}", label="Vectors")
data_downloads(metrics_records, key=f"polysemy_{word}_metrics", label="Metrics")
finish_page()
