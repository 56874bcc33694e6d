"""Training figures: loss curves, one line per run."""
from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from .style import OKABE_ITO, empty_figure, escape_label, style_figure

# The words these figures draw; a page passes `texts` in its own language.
TEXTS = {"no_runs": "no runs yet", "step": "step"}


def loss_curves(curves: dict[str, tuple[list[int], list[float]]], title: str = "Training loss",
                ylabel: str = "loss", large: bool = False, texts: Mapping[str, str] | None = None) -> go.Figure:
    """One line per run (step → value); dash styles repeat the distinction when colours cycle."""
    words = {**TEXTS, **(texts or {})}
    if not curves:
        return empty_figure(words["no_runs"], title, large)
    dashes = ["solid", "dash", "dot", "dashdot"]
    fig = go.Figure()
    for k, (name, (steps, values)) in enumerate(curves.items()):
        fig.add_trace(go.Scatter(
            x=list(steps), y=list(values), mode="lines", name=escape_label(name),
            line=dict(color=OKABE_ITO[k % len(OKABE_ITO)], width=2.5, dash=dashes[(k // len(OKABE_ITO)) % 4]),
        ))
    fig.update_xaxes(title_text=words["step"])
    fig.update_yaxes(title_text=ylabel)
    return style_figure(fig, title, large, height=450 if large else 380)
