"""Sentence-score figure: per-token log-probabilities as bars, one row per sentence (two for a minimal pair)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import OKABE_ITO, empty_figure, escape_label, font_size, style_figure

# The words this figure draws (str.format templates); a page passes `texts` in its own language.
TEXTS = {"empty": "no sentences", "total": "{label}: total {total:.2f} nats", "log_p": "log p"}


def token_scores_figure(sentences: Sequence[tuple[str, Sequence[str], Sequence[float]]], title: str = "",
                        large: bool = False, texts: Mapping[str, str] | None = None) -> go.Figure:
    """`sentences`: (label, token display texts, log-probabilities). Bars point down from 0 (a log-probability
    is never above 0): the longer the bar, the more surprising the token. Each row's title gives its total."""
    words = {**TEXTS, **(texts or {})}
    if not sentences:
        return empty_figure(words["empty"], title, large)
    rows = len(sentences)
    totals = [sum(float(v) for v in scores) for _, _, scores in sentences]
    fig = make_subplots(rows=rows, cols=1, vertical_spacing=min(0.25, 0.5 / rows),
                        subplot_titles=[words["total"].format(label=escape_label(label), total=t)
                                        for (label, _, _), t in zip(sentences, totals)])
    low = min([0.0] + [float(v) for _, _, s in sentences for v in s])
    for r, (label, tokens, scores) in enumerate(sentences):
        labels = [escape_label(t) for t in tokens]
        fig.add_trace(go.Bar(x=list(range(len(tokens))), y=[float(v) for v in scores], showlegend=False,
                             marker_color=OKABE_ITO[(4 + r) % len(OKABE_ITO)], customdata=labels,
                             hovertemplate="%{customdata}: %{y:.2f} nats<extra></extra>"), row=r + 1, col=1)
        fig.update_xaxes(tickmode="array", tickvals=list(range(len(tokens))), ticktext=labels, tickangle=-45,
                         row=r + 1, col=1)
        fig.update_yaxes(title_text=words["log_p"], range=[1.05 * low - 0.1, 0.1], row=r + 1, col=1)
    fig.update_annotations(font_size=font_size(large))
    return style_figure(fig, title, large, height=max(300, rows * (300 if large else 240) + 60))
