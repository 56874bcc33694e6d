"""Vector-space geometry per layer: anisotropy, the word's self-similarity and the share a static vector explains."""
from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from .style import OKABE_ITO, escape_label, style_figure


def geometry_chart(layers: Sequence[int], anisotropy: Sequence[float], self_similarity: Sequence[float],
                   static_share: Sequence[float], word: str, centred: bool = False, title: str = "",
                   large: bool = False) -> go.Figure:
    """Three lines against the layer: anisotropy (random words), the word's self-similarity and its static share."""
    if not (len(layers) == len(anisotropy) == len(self_similarity) == len(static_share)):
        raise ValueError("layers, anisotropy, self_similarity and static_share must have the same length")
    w = escape_label(word)
    fig = go.Figure()
    for values, name, colour, dash, symbol in (
            (anisotropy, "anisotropy (random words)", OKABE_ITO[7], "dash", "x"),
            (self_similarity, f"self-similarity of '{w}'", OKABE_ITO[4], "solid", "circle"),
            (static_share, f"static share of '{w}'", OKABE_ITO[5], "dot", "square")):
        fig.add_trace(go.Scatter(x=list(layers), y=list(values), mode="lines+markers", name=name,
                                 line=dict(color=colour, width=3, dash=dash), marker=dict(symbol=symbol, size=9),
                                 hovertemplate="layer %{x}: %{y:.3f}<extra>" + name + "</extra>"))
    fig.update_xaxes(title_text="layer", tickmode="array", tickvals=list(layers),
                     ticktext=["0 (static)" if int(l) == 0 else str(l) for l in layers])
    low = min([0.0] + [float(v) - 0.05 for v in list(anisotropy) + list(self_similarity)])
    fig.update_yaxes(title_text="cosine / share" + (" (centred vectors)" if centred else ""), range=[low, 1.05])
    return style_figure(fig, title, large, height=450 if large else 380)
