"""Embedding figures: a 2-D / 3-D projection of a word's vectors coloured by sense, and sense separation per layer."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .style import OKABE_ITO, escape_label, style_figure

# The words these figures draw (str.format templates); a page passes `texts` in its own language.
TEXTS = {"edited": "edited", "dimension": "dimension {n}", "sense": "sense", "silhouette": "silhouette",
         "knn": "k-NN accuracy", "chance": "chance", "layer": "layer", "static": "0 (static)"}


def _texts(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {**TEXTS, **(texts or {})}


def projection_scatter(coords: np.ndarray, labels: list[str], hover_texts: list[str], title: str = "",
                       large: bool = False, highlight: list[int] | None = None,
                       axis_titles: Sequence[str] | None = None, texts: Mapping[str, str] | None = None) -> go.Figure:
    """2-D or 3-D projection of embeddings, one coloured trace per label (sense).

    `customdata` holds each point's original row index so selection events map back to the data.
    `hover_texts` are shown as given (plotly's <b>/<i>/<br> markup works; escape user text first).
    Points listed in `highlight` move to their own trace "edited" with larger outlined markers (a sense left with
    no other point gets no trace of its own).
    `axis_titles` name the axes (e.g. "PC 1", "PC 2"); by default "dimension 1", "dimension 2"(, "dimension 3").
    """
    c = np.asarray(coords, dtype=float)
    if c.ndim != 2 or c.shape[1] not in (2, 3):
        raise ValueError(f"coords must be (n, 2) or (n, 3), got {c.shape}")
    n = c.shape[0]
    if len(labels) != n or len(hover_texts) != n:
        raise ValueError(f"need one label and one hover text per point ({n}), got {len(labels)} and {len(hover_texts)}")
    highlighted = sorted({int(i) for i in (highlight or [])})
    if any(not 0 <= i < n for i in highlighted):
        raise ValueError(f"highlight indices must be in 0..{n - 1}")
    is3d = c.shape[1] == 3
    words = _texts(texts)
    base_size = (9 if large else 6) if is3d else (12 if large else 9)

    senses = list(dict.fromkeys(str(lab) for lab in labels))
    color_of = {s: OKABE_ITO[k % len(OKABE_ITO)] for k, s in enumerate(senses)}
    # A second cue besides colour when there are few senses (3-D supports fewer symbols).
    symbols = ["circle", "square", "diamond", "cross", "x"] if is3d else \
        ["circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "pentagon"]
    hl = set(highlighted)

    def scatter(idx: list[int], **kw):
        xyz = dict(x=c[idx, 0], y=c[idx, 1])
        if is3d:
            xyz["z"] = c[idx, 2]
        return (go.Scatter3d if is3d else go.Scatter)(
            **xyz, mode="markers", customdata=idx, hovertext=[hover_texts[i] for i in idx],
            hovertemplate="%{hovertext}<extra>%{fullData.name}</extra>", **kw)

    fig = go.Figure()
    for k, sense in enumerate(senses):
        idx = [i for i in range(n) if str(labels[i]) == sense and i not in hl]
        if not idx:  # a sense whose only points are highlighted (the edited sentence's own): no empty trace
            continue
        fig.add_trace(scatter(idx, name=escape_label(sense), legendgroup=sense, marker=dict(
            color=color_of[sense], size=base_size, symbol=symbols[k % len(symbols)], opacity=0.85)))
    if highlighted:
        fig.add_trace(scatter(highlighted, name=words["edited"], marker=dict(
            color=[color_of[str(labels[i])] for i in highlighted], size=base_size * 2.2,
            symbol="diamond" if is3d else "star", line=dict(color="#000000", width=2))))
    names = list(axis_titles) if axis_titles else [words["dimension"].format(n=d + 1) for d in range(c.shape[1])]
    if len(names) != c.shape[1]:
        raise ValueError(f"need one axis title per dimension ({c.shape[1]}), got {len(names)}")
    if is3d:
        # The default camera (eye 1.25, 1.25, 1.25) puts the cube's near corner and its tick labels outside the
        # plot area; from further away, with a cube aspect, the whole scene fits.
        # Tick values are hidden as in 2-D: projected coordinates have no units worth reading.
        fig.update_layout(scene=dict(xaxis=dict(title_text=names[0], showticklabels=False),
                                     yaxis=dict(title_text=names[1], showticklabels=False),
                                     zaxis=dict(title_text=names[2], showticklabels=False),
                                     aspectmode="cube", camera=dict(eye=dict(x=1.45, y=1.45, z=1.05))))
    else:
        fig.update_xaxes(showticklabels=False, title_text=names[0])
        fig.update_yaxes(showticklabels=False, title_text=names[1])
    fig = style_figure(fig, title, large, height=650 if large else 520, legend=dict(title_text=words["sense"]))
    if is3d:
        fig.update_layout(margin=dict(l=0, r=0, b=0))
    return fig


def layer_metrics_chart(layers: list[int], silhouette: list[float], knn_accuracy: list[float],
                        large: bool = False, chance: float | None = None, title: str = "",
                        texts: Mapping[str, str] | None = None) -> go.Figure:
    """How well senses separate per layer: silhouette and k-NN accuracy against layer index."""
    if not (len(layers) == len(silhouette) == len(knn_accuracy)):
        raise ValueError("layers, silhouette and knn_accuracy must have the same length")
    words = _texts(texts)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(layers), y=list(silhouette), mode="lines+markers", name=words["silhouette"],
                             line=dict(color=OKABE_ITO[4], width=3), marker=dict(symbol="circle", size=9)))
    fig.add_trace(go.Scatter(x=list(layers), y=list(knn_accuracy), mode="lines+markers", name=words["knn"],
                             line=dict(color=OKABE_ITO[5], width=3, dash="dot"), marker=dict(symbol="square", size=9)))
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color="#555555", dash="dash"), annotation_text=words["chance"],
                      annotation_position="top left")
    values = [float(v) for v in list(silhouette) + list(knn_accuracy) if v is not None and np.isfinite(v)]
    low = min([-0.2] + [v - 0.05 for v in values])
    fig.update_xaxes(title_text=words["layer"], tickmode="array", tickvals=list(layers),
                     ticktext=[words["static"] if int(l) == 0 else str(l) for l in layers])
    fig.update_yaxes(range=[low, 1.05], zeroline=True)
    return style_figure(fig, title, large, height=450 if large else 380)
