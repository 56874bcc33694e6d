"""Logit-lens figure: the top-k at one mask after every layer, beside the final answer's probability per layer."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import HEATMAP_SCALE, OKABE_ITO, empty_figure, escape_label, font_size, style_figure

# The words this figure draws (str.format templates); a page passes `texts` in its own language. "rank" and
# "layer_axis" also go into plotly's hover templates (%{...}), so there they are concatenated, not formatted.
TEXTS = {"empty": "no layers", "layer": "layer {layer}", "embeddings": " (embeddings)",
         "top": "top predictions of the lens", "rank": "rank", "probability": "probability",
         "layer_axis": "layer"}


def lens_figure(layers: Sequence[int], tokens: Sequence[Sequence[str]], scores: Sequence[Sequence[float]],
                final_scores: Sequence[float], final_ranks: Sequence[int], final_label: str, title: str = "",
                large: bool = False, texts: Mapping[str, str] | None = None) -> go.Figure:
    """Left: layers (bottom = embeddings) × rank 1..k, each cell the token the lens ranks there, coloured by its
    probability. Right: the probability of the final answer `final_label` at each layer, its rank on hover.

    `tokens[i]` / `scores[i]` are layer `layers[i]`'s top-k display texts and probabilities."""
    words = {**TEXTS, **(texts or {})}
    if not layers:
        return empty_figure(words["empty"], title, large)
    if not (len(layers) == len(tokens) == len(scores) == len(final_scores) == len(final_ranks)):
        raise ValueError("layers, tokens, scores, final_scores and final_ranks must have one entry per layer")
    k = max(len(row) for row in tokens)
    z = [[row[j] if j < len(row) else None for j in range(k)] for row in scores]
    text = [[escape_label(row[j]) if j < len(row) else "" for j in range(k)] for row in tokens]
    names = [words["layer"].format(layer=l) + (words["embeddings"] if l == 0 else "") for l in layers]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.72, 0.28], shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[words["top"], f"p({escape_label(final_label)})"])
    fig.add_trace(go.Heatmap(z=z, x=list(range(1, k + 1)), y=list(layers), text=text, texttemplate="%{text}",
                             customdata=[[n] * k for n in names], colorscale=HEATMAP_SCALE, zmin=0.0,
                             zmax=max(0.05, max((v for row in scores for v in row), default=0.0)),
                             hovertemplate="%{customdata}, " + words["rank"]
                             + " %{x}: %{text} %{z:.1%}<extra></extra>",
                             colorbar=dict(title=words["probability"], x=0.7),
                             textfont=dict(size=font_size(large) - 2)),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=list(final_scores), y=list(layers), mode="lines+markers+text",
                             text=[f"#{r}" for r in final_ranks], textposition="middle right",
                             line=dict(color=OKABE_ITO[5], width=3), marker=dict(size=9), showlegend=False,
                             customdata=list(final_ranks),
                             hovertemplate=words["layer_axis"] + " %{y}: %{x:.1%} (" + words["rank"]
                             + " %{customdata})<extra></extra>"), row=1, col=2)
    fig.update_xaxes(title_text=words["rank"], tickmode="array", tickvals=list(range(1, k + 1)), row=1, col=1)
    fig.update_xaxes(title_text=words["probability"], range=[0, min(1.0, 1.35 * max(max(final_scores), 0.05))],
                     tickformat=".0%", row=1, col=2)
    fig.update_yaxes(title_text=words["layer_axis"], tickmode="array", tickvals=list(layers), row=1, col=1)
    fig.update_annotations(font_size=font_size(large))
    return style_figure(fig, title, large, height=max(300, (44 if large else 34) * len(layers) + 140))
