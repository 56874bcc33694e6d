"""Vector-space geometry per layer: anisotropy, the word's self-similarity and the share a static vector explains."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from .style import OKABE_ITO, escape_label, style_figure

# The words this figure draws (str.format templates); a page passes `texts` in its own language.
TEXTS = {"anisotropy": "anisotropy (random words)", "self_similarity": "self-similarity of '{word}'",
         "static_share": "static share of '{word}'", "layer": "layer", "static": "0 (static)",
         "y": "cosine / share", "y_centred": "cosine / share (centred vectors)"}


def geometry_chart(layers: Sequence[int], anisotropy: Sequence[float], self_similarity: Sequence[float],
                   static_share: Sequence[float], word: str, centred: bool = False, title: str = "",
                   large: bool = False, texts: Mapping[str, str] | None = None) -> go.Figure:
    """Three lines against the layer: anisotropy (random words), the word's self-similarity and its static share."""
    if not (len(layers) == len(anisotropy) == len(self_similarity) == len(static_share)):
        raise ValueError("layers, anisotropy, self_similarity and static_share must have the same length")
    w = escape_label(word)
    words = {**TEXTS, **(texts or {})}
    fig = go.Figure()
    for values, name, colour, dash, symbol in (
            (anisotropy, words["anisotropy"], OKABE_ITO[7], "dash", "x"),
            (self_similarity, words["self_similarity"].format(word=w), OKABE_ITO[4], "solid", "circle"),
            (static_share, words["static_share"].format(word=w), OKABE_ITO[5], "dot", "square")):
        fig.add_trace(go.Scatter(x=list(layers), y=list(values), mode="lines+markers", name=name,
                                 line=dict(color=colour, width=3, dash=dash), marker=dict(symbol=symbol, size=9),
                                 hovertemplate=words["layer"] + " %{x}: %{y:.3f}<extra>" + name + "</extra>"))
    fig.update_xaxes(title_text=words["layer"], tickmode="array", tickvals=list(layers),
                     ticktext=[words["static"] if int(l) == 0 else str(l) for l in layers])
    low = min([0.0] + [float(v) - 0.05 for v in list(anisotropy) + list(self_similarity)])
    fig.update_yaxes(title_text=words["y_centred" if centred else "y"], range=[low, 1.05])
    return style_figure(fig, title, large, height=450 if large else 380)
