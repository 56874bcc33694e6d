"""Head figures: the layers × heads map coloured by each head's dominant role, and top-k with heads switched off."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .fill_mask import topk_compare
from .style import OKABE_ITO, escape_label, style_figure

ROLE_ORDER = ("cls", "sep", "punctuation", "previous", "next", "self", "mixed")
ROLE_COLOURS = dict(zip(ROLE_ORDER, OKABE_ITO[:6] + ["#DDDDDD"]))
# The words these figures draw (str.format templates); a page passes `texts` in its own language.
TEXTS = {"cell": "layer {layer}, head {head}", "entropy": "entropy: {value:.2f} nats", "head": "head",
         "layer": "layer", "legend": "dominant role", "all": "all heads", "without": "without {removed}"}


def _texts(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {**TEXTS, **(texts or {})}


def head_roles_map(dominant: Sequence[Sequence[str]], roles: dict[str, np.ndarray], entropy: np.ndarray,
                   labels: dict[str, str] | None = None, title: str = "", large: bool = False,
                   texts: Mapping[str, str] | None = None) -> go.Figure:
    """Layers (rows, 0 on top) × heads, each cell coloured by the head's dominant role; the hover lists every
    role's share and the entropy. `customdata` is [layer, head] so a click opens that head."""
    labels = labels or {}
    words = _texts(texts)
    n_layers, n_heads = np.asarray(entropy).shape
    codes = np.array([[ROLE_ORDER.index(r) for r in row] for row in dominant], dtype=float)
    if codes.shape != (n_layers, n_heads):
        raise ValueError(f"dominant must be {n_layers} x {n_heads}, got {codes.shape}")
    n = len(ROLE_ORDER)
    scale = []
    for i, role in enumerate(ROLE_ORDER):  # one flat band per role
        scale += [[i / n, ROLE_COLOURS[role]], [(i + 1) / n, ROLE_COLOURS[role]]]
    names = [escape_label(labels.get(r, r)) for r in ROLE_ORDER]
    hover = [["<br>".join([f"{words['cell'].format(layer=l, head=h)}: <b>{names[int(codes[l, h])]}</b>"]
                          + [f"{escape_label(labels.get(r, r))}: {float(roles[r][l, h]):.0%}" for r in ROLE_ORDER[:-1]]
                          + [words["entropy"].format(value=float(entropy[l, h]))]) for h in range(n_heads)]
             for l in range(n_layers)]
    fig = go.Figure(go.Heatmap(
        z=codes, x=list(range(n_heads)), y=list(range(n_layers)), zmin=-0.5, zmax=n - 0.5, colorscale=scale,
        text=hover, hovertemplate="%{text}<extra></extra>", xgap=2, ygap=2, showscale=False,
        customdata=[[[l, h] for h in range(n_heads)] for l in range(n_layers)]))
    for role, name in zip(ROLE_ORDER, names):  # a legend entry per role
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                 marker=dict(size=12, symbol="square", color=ROLE_COLOURS[role])))
    fig.update_xaxes(title_text=words["head"], tickmode="array", tickvals=list(range(n_heads)))
    fig.update_yaxes(title_text=words["layer"], tickmode="array", tickvals=list(range(n_layers)), autorange="reversed")
    return style_figure(fig, title, large, height=max(300, (40 if large else 30) * n_layers + 160),
                        legend=dict(title_text=words["legend"]))


def ablation_bars(before: list[tuple], after: list[tuple], removed: str, title: str = "",
                  large: bool = False, texts: Mapping[str, str] | None = None) -> go.Figure:
    """The top-k of the full model beside the top-k with heads `removed` (e.g. 'L2 H3') switched off."""
    words = _texts(texts)
    return topk_compare({words["all"]: before, words["without"].format(removed=removed): after}, title=title,
                        large=large)
