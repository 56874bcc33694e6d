"""Attention figures: one matrix as a heatmap, the head view (lines from tokens to tokens), the model view
(every layer and head as small multiples)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import (HEATMAP_SCALE, OKABE_ITO, base_layout, escape_label, font_size, style_figure, token_labels,
                    with_piece)

# The words these figures draw (str.format templates); a page passes `texts` in its own language.
TEXTS = {"weight": "weight", "to": "to (key)", "from": "from (query)", "head": "head {head}", "heads": "head",
         "click": "click to open", "where": "Where {source} attends"}


def _texts(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {**TEXTS, **(texts or {})}


def _check_square(weights: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] != len(tokens):
        raise ValueError(f"weights must be (seq, seq) with seq = {len(tokens)} tokens, got {w.shape}")
    return w


def attention_heatmap(weights: np.ndarray, tokens: list[str], title: str = "", large: bool = False,
                      zmax: float | None = None, texts: Mapping[str, str] | None = None) -> go.Figure:
    """One attention matrix: rows = query ("from") tokens, columns = key ("to") tokens, first token on top.

    Cells sit at numeric positions labelled through tickvals/ticktext, so repeated tokens
    (two "the", two "[PAD]") remain distinct rows and columns. Labels are the tokens' display texts
    (`token_labels`: 'Ġbank' reads 'bank'); the hover adds the raw piece where it differs.
    """
    w = _check_square(weights, tokens)
    words = _texts(texts)
    n = len(tokens)
    texts = token_labels(tokens)
    labels = [escape_label(t) for t in texts]
    hovers = [with_piece(t, str(raw)) for t, raw in zip(texts, tokens)]
    hover = [[f"{hovers[i]} → {hovers[j]}" for j in range(n)] for i in range(n)]
    heatmap = go.Heatmap(
        z=w,
        x=list(range(n)),
        y=list(range(n)),
        text=hover,
        hovertemplate="%{text}: %{z:.3f}<extra></extra>",
        colorscale=HEATMAP_SCALE,
        zmin=0.0,
        zmax=float(zmax) if zmax is not None else (float(w.max()) if w.size else 1.0),
        colorbar=dict(title=words["weight"]),
    )
    ticks = dict(tickmode="array", tickvals=list(range(n)), ticktext=labels, showgrid=False)
    side = max(300, (26 if large else 18) * n + 160)
    layout = base_layout(title, large, height=side,
                         xaxis=dict(title=dict(text=words["to"]), tickangle=-45, **ticks),
                         yaxis=dict(title=dict(text=words["from"]), autorange="reversed", **ticks))
    return go.Figure(data=[heatmap], layout=layout)  # in one go: see `base_layout`


def _opacity_levels(w: np.ndarray, n_levels: int) -> np.ndarray:
    """Bucket weights in (0, 1] into integer levels 1..n_levels (opacity = level / n_levels)."""
    return np.clip(np.ceil(np.clip(w, 0.0, 1.0) * n_levels), 1, n_levels).astype(int)


def head_view(weights: np.ndarray, tokens: list[str], heads: list[int] | None = None, threshold: float = 0.0,
              focus: int | None = None, large: bool = False, title: str = "",
              texts: Mapping[str, str] | None = None) -> go.Figure:
    """The "head view": from-tokens on the left, to-tokens on the right, one line per attention weight.

    Line opacity follows the weight, one Okabe–Ito colour per head. Plotly cannot vary opacity
    along a single trace, so weights are bucketed into 10 opacity levels and each (head, level)
    pair is one trace of segments separated by None. Weights below `threshold` (and zero weights)
    are not drawn; `focus` restricts the lines to those leaving one token. Tokens are shown by their
    display texts (`token_labels`), the raw piece on hover.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim == 2:
        w = w[None]
    if w.ndim != 3 or w.shape[1] != w.shape[2] or w.shape[1] != len(tokens):
        raise ValueError(f"weights must be (heads, seq, seq) or (seq, seq) with seq = {len(tokens)}, got {w.shape}")
    n = len(tokens)
    heads = list(range(w.shape[0])) if heads is None else [int(h) for h in heads]
    for h in heads:
        if not 0 <= h < w.shape[0]:
            raise ValueError(f"head {h} out of range (0..{w.shape[0] - 1})")
    if focus is not None and not 0 <= focus < n:
        raise ValueError(f"focus {focus} out of range (0..{n - 1})")

    n_levels = 10
    words = _texts(texts)
    fig = go.Figure()
    for h in heads:
        color = OKABE_ITO[h % len(OKABE_ITO)]
        group = words["head"].format(head=h)
        # Legend-only trace so every head keeps a full-opacity legend entry even with no lines.
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color=color, width=3),
                                 name=group, legendgroup=group, showlegend=True, hoverinfo="skip",
                                 meta={"kind": "legend", "head": h}))
        hw = w[h]
        mask = (hw >= threshold) & (hw > 0)
        if focus is not None:
            rows_mask = np.zeros(n, dtype=bool)
            rows_mask[focus] = True
            mask &= rows_mask[:, None]
        src, dst = np.nonzero(mask)
        if not len(src):
            continue
        levels = _opacity_levels(hw[src, dst], n_levels)
        for level in np.unique(levels):
            sel = levels == level
            xs: list = []
            ys: list = []
            for i, j in zip(src[sel].tolist(), dst[sel].tolist()):
                xs += [0, 1, None]
                ys += [i, j, None]
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", line=dict(color=color, width=2),
                opacity=float(level) / n_levels, legendgroup=group, showlegend=False, hoverinfo="skip",
                meta={"kind": "attention", "head": h, "level": int(level)},
            ))

    texts = token_labels(tokens)
    labels = [escape_label(t) for t in texts]
    hovers = [f"{i}: {with_piece(t, str(raw))}" for i, (t, raw) in enumerate(zip(texts, tokens))]
    left = [f"<b>{t}</b>" if i == focus else t for i, t in enumerate(labels)]
    fig.add_trace(go.Scatter(x=[0] * n, y=list(range(n)), mode="text", text=left, textposition="middle left",
                             hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
                             showlegend=False, meta={"kind": "tokens", "side": "from"}))
    fig.add_trace(go.Scatter(x=[1] * n, y=list(range(n)), mode="text", text=labels, textposition="middle right",
                             hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
                             showlegend=False, meta={"kind": "tokens", "side": "to"}))
    fig.update_xaxes(visible=False, range=[-0.8, 1.8], fixedrange=True)
    fig.update_yaxes(visible=False, autorange="reversed")
    return style_figure(fig, title, large, height=max(300, (30 if large else 22) * n + 120),
                  legend=dict(title_text=words["heads"]))


def model_view_labels(tokens: Sequence[str]) -> list[str]:
    """The model view's axis categories: "i:piece" with the raw piece, escaped. A page that adds traces on
    the model view's axes must use the same categories (pages/attention.py builds them itself today)."""
    return [f"{i}:{escape_label(t)}" for i, t in enumerate(tokens)]


def model_view(attentions: np.ndarray, tokens: list[str], large: bool = False, title: str = "",
               texts: Mapping[str, str] | None = None) -> go.Figure:
    """Small multiples of every head: layers as rows, heads as columns, one shared colour scale.

    Traces are added layer-major and each carries `name="L{l} H{h}"` and `meta=[l, h]`, so a
    click handler can recover the head from the trace (or from curve_number: divmod(n, heads)).
    Axes use unique labels "i:piece" (`model_view_labels`, the raw pieces: the attention page lays its
    click targets on the same categories) so the hover shows tokens even when strings repeat.
    """
    a = np.asarray(attentions, dtype=float)
    if a.ndim != 4 or a.shape[2] != a.shape[3] or a.shape[2] != len(tokens):
        raise ValueError(f"attentions must be (layers, heads, seq, seq) with seq = {len(tokens)}, got {a.shape}")
    n_layers, n_heads = a.shape[:2]
    fig = make_subplots(
        rows=n_layers, cols=n_heads,
        subplot_titles=[f"L{l} H{h}" for l in range(n_layers) for h in range(n_heads)],
        horizontal_spacing=min(0.02, 0.9 / max(n_heads - 1, 1)),
        vertical_spacing=min(0.3 / n_layers, 0.9 / max(n_layers - 1, 1)),
    )
    labels = model_view_labels(tokens)
    for l in range(n_layers):
        for h in range(n_heads):
            fig.add_trace(go.Heatmap(
                z=a[l, h], x=labels, y=labels, coloraxis="coloraxis",
                name=f"L{l} H{h}", meta=[l, h],
                hovertemplate="L%{meta[0]} H%{meta[1]}<br>%{y} → %{x}: %{z:.3f}<extra></extra>",
            ), row=l + 1, col=h + 1)
    fig.update_xaxes(showticklabels=False, showgrid=False, type="category")
    fig.update_yaxes(showticklabels=False, showgrid=False, type="category", autorange="reversed")
    fig.update_annotations(font_size=max(9, font_size(large) - 4))
    cmax = float(a.max()) if a.size else 1.0
    fig = style_figure(fig, title, large, height=max(300, n_layers * (120 if large else 90) + 80),
                 coloraxis=dict(colorscale=HEATMAP_SCALE, cmin=0.0, cmax=cmax,
                                colorbar=dict(title=_texts(texts)["weight"])))
    return fig


MAX_CLICK_TARGETS = 40_000  # invisible click targets over the model view; above this only the selectors work


def clickable_model_view(attentions: np.ndarray, tokens: list[str], large: bool = False,
                         max_targets: int = MAX_CLICK_TARGETS, texts: Mapping[str, str] | None = None) -> go.Figure:
    """`model_view` plus one invisible marker per cell, so a click anywhere reports that head.

    (Streamlit reports no selection for clicks on heatmaps, but it does for scatter points.) The markers come
    after the heatmaps, in the same layer-major order: `model_view_head` reads the head back from a click."""
    a = np.asarray(attentions, dtype=float)
    fig = model_view(a, tokens, large=large, texts=texts)
    n_layers, n_heads, n = a.shape[:3]
    if n_layers * n_heads * n * n > max_targets:
        return fig
    labels = model_view_labels(tokens)
    xs = [labels[j] for i in range(n) for j in range(n)]
    ys = [labels[i] for i in range(n) for j in range(n)]
    invisible = dict(marker=dict(opacity=0))
    click = escape_label(_texts(texts)["click"])
    for layer in range(n_layers):
        for head in range(n_heads):
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers", marker=dict(opacity=0, size=8), showlegend=False,
                selected=invisible, unselected=invisible, name=f"L{layer} H{head}",
                customdata=a[layer, head].reshape(-1),
                hovertemplate=f"L{layer} H{head}<br>" + "%{y} → %{x}: %{customdata:.3f}<br>" + click
                + "<extra></extra>",
            ), row=layer + 1, col=head + 1)
    return fig


def model_view_head(curve_number, n_layers: int, n_heads: int) -> tuple[int, int] | None:
    """(layer, head) of a trace of `clickable_model_view` (a heatmap or its click targets); None when out of range."""
    if curve_number is None:
        return None
    n_maps = n_layers * n_heads
    curve = int(curve_number)
    if curve >= n_maps:
        curve -= n_maps
    if not 0 <= curve < n_maps:
        return None
    return divmod(curve, n_heads)


def attention_row_bar(row: np.ndarray, tokens: list[str], source: str, large: bool = False,
                      texts: Mapping[str, str] | None = None) -> go.Figure:
    """Where one token attends: one bar per token (its weight), in text order."""
    words = _texts(texts)
    fig = go.Figure(go.Bar(x=model_view_labels(token_labels(tokens)), y=np.asarray(row, dtype=float),
                           marker_color=OKABE_ITO[4], hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    fig.update_xaxes(type="category", tickangle=-45, title_text=words["to"])
    fig.update_yaxes(title_text=words["weight"], rangemode="tozero")
    return style_figure(fig, words["where"].format(source=escape_label(source)), large, height=380 if large else 320)
