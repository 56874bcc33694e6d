"""Plotly figure builders for the MLM Explorer pages.

Every builder takes plain data (lists, numpy arrays) and returns a `plotly.graph_objects.Figure`
(or an HTML string for the token chips), so pages stay thin and the figures can be tested and
exported without Streamlit. Colours come from colour-blind-safe palettes (Okabe–Ito for
categories, a sequential scale for heatmaps) and every builder takes `large=True` to raise font
sizes for classroom projectors.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .token_text import display_tokens

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
HEATMAP_SCALE = "Blues"
FONT_SIZE, FONT_SIZE_LARGE = 14, 22

# Masking actions: colour plus a non-colour cue (border / underline style) for each.
ACTION_STYLES = {
    "masked": {"color": "#0072B2", "bg": "#CCE3F2", "css": "font-weight:700;border:2px dotted #0072B2;",
               "cue": "bold, dotted border"},
    "random": {"color": "#D55E00", "bg": "#F7D9C4",
               "css": "text-decoration:underline wavy #D55E00;text-decoration-thickness:2px;"
                      "text-underline-offset:3px;",
               "cue": "wavy underline"},
    "kept": {"color": "#009E73", "bg": "#C7EBDF",
             "css": "text-decoration:underline double #009E73;text-underline-offset:3px;",
             "cue": "double underline"},
    "untouched": {"color": "#666666", "bg": "transparent", "css": "border:1px solid #BBBBBB;", "cue": "plain"},
}
ACTION_DESCRIPTIONS = {
    "masked": "replaced by the mask token",
    "random": "replaced by a random token",
    "kept": "selected but left unchanged",
    "untouched": "not selected (no loss)",
}
_ACTION_CODES = {0: "untouched", 1: "masked", 2: "random", 3: "kept"}
_SHARE_PATTERNS = {"masked": "", "random": "/", "kept": "x", "selected": "."}


def _font(large: bool) -> int:
    return FONT_SIZE_LARGE if large else FONT_SIZE


def _style(fig: go.Figure, title: str, large: bool, **layout) -> go.Figure:
    """Apply the shared font, title and margins."""
    size = _font(large)
    fig.update_layout(
        font=dict(size=size),
        title=dict(text=title, font=dict(size=size + 4)) if title else None,
        margin=dict(l=10, r=10, t=60 if title else 30, b=10),
        template="plotly_white",
        **layout,
    )
    return fig


def _label(token: str) -> str:
    """Token text safe for plotly's pseudo-HTML labels (so '<s>' shows as '<s>', not strikethrough)."""
    return html.escape(str(token), quote=False)


def token_labels(tokens: Sequence[str]) -> list[str]:
    """Display texts of raw pieces ('ĠAward' -> 'Award', '▁take' -> 'take', '##s' and '[CLS]' / '<s>' kept),
    by the rules of `mlm_core.token_text`; the figure builders clean their labels with it themselves."""
    return display_tokens([str(t) for t in tokens])


def _with_piece(text: str, raw: str) -> str:
    """Hover text: the display text, and the raw piece when it differs ('Award (piece ĠAward)'), escaped."""
    return _label(text) if text == raw else f"{_label(text)} (piece {_label(raw)})"


def _empty(message: str, title: str, large: bool) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title, large)


def _sorted_predictions(predictions: Sequence[tuple]) -> list[tuple[str, float, str]]:
    """(label, probability, raw piece), most probable first.

    Items are (label, probability, raw piece), e.g. from `Prediction.text / .score / .token`, or
    (raw piece, probability), whose labels are then cleaned here (`token_labels`)."""
    items = list(predictions)
    if items and all(len(item) == 2 for item in items):
        labels = token_labels([t for t, _ in items])
        items = [(label, p, str(t)) for label, (t, p) in zip(labels, items)]
    return sorted(((str(t), float(p), str(raw)) for t, p, raw in items), key=lambda tp: -tp[1])


def _bar_trace(predictions: list[tuple[str, float, str]], color: str, name: str = "") -> go.Bar:
    """Horizontal bars at numeric positions 0..k-1, so duplicate token strings stay separate bars."""
    return go.Bar(
        x=[p for _, p, _ in predictions],
        y=list(range(len(predictions))),
        orientation="h",
        marker_color=color,
        text=[f"{p:.1%}" for _, p, _ in predictions],
        textposition="auto",
        customdata=[_with_piece(t, raw) for t, _, raw in predictions],
        hovertemplate="%{customdata}: %{x:.2%}<extra></extra>",
        name=name,
        showlegend=False,
    )


def probability_axis_max(values: Sequence[float]) -> float:
    """Upper end of a probability axis: room for the largest bar and its label, never above 1."""
    top = max(values, default=0.0)
    return min(1.0, max(0.05, 1.3 * top))


def _bar_axes(fig: go.Figure, predictions: list[tuple[str, float, str]], rows: int, row=None, col=None,
              x_max: float | None = None) -> None:
    """Token tick labels; a fixed reversed range (first on top) keeps bar heights equal across subplots.

    The x axis stops a little past the largest probability so small probabilities stay visible.
    """
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(predictions))),
        ticktext=[_label(t) for t, _, _ in predictions],
        range=[rows - 0.5, -0.5],
        row=row,
        col=col,
    )
    if x_max is None:
        x_max = probability_axis_max([p for _, p, _ in predictions])
    fig.update_xaxes(range=[0, x_max], tickformat=".0%" if x_max >= 0.1 else ".1%", row=row, col=col)


def topk_bar(predictions: list[tuple], title: str = "", large: bool = False) -> go.Figure:
    """Top-k predictions as horizontal bars, most probable on top, probabilities as percentages.

    Items are (label, probability, raw piece) or (raw piece, probability); the hover shows the raw piece."""
    preds = _sorted_predictions(predictions)
    if not preds:
        return _empty("no predictions", title, large)
    fig = go.Figure(_bar_trace(preds, OKABE_ITO[4]))
    _bar_axes(fig, preds, len(preds))
    fig.update_xaxes(title_text="probability")
    return _style(fig, title, large, height=max(250, (34 if large else 26) * len(preds) + 110))


def topk_compare(per_model: dict[str, list[tuple]], title: str = "", large: bool = False) -> go.Figure:
    """Top-k bars of several models side by side, one subplot per model, same x range."""
    if not per_model:
        return _empty("no models", title, large)
    names = list(per_model)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[_label(n) for n in names],
                        horizontal_spacing=min(0.2, 0.6 / len(names)))
    all_preds = [_sorted_predictions(per_model[name]) for name in names]
    longest = max(1, *(len(p) for p in all_preds))
    x_max = probability_axis_max([p for preds in all_preds for _, p, _ in preds])  # one scale for every model
    for k, (name, preds) in enumerate(zip(names, all_preds)):
        fig.add_trace(_bar_trace(preds, OKABE_ITO[(4 + k) % len(OKABE_ITO)], name=name), row=1, col=k + 1)
        _bar_axes(fig, preds, longest, row=1, col=k + 1, x_max=x_max)
    fig.update_annotations(font_size=_font(large))
    fig = _style(fig, title, large, height=max(250, (34 if large else 26) * longest + 130))
    if title:
        fig.update_layout(margin_t=90 if large else 80)
    return fig


def _check_square(weights: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] != len(tokens):
        raise ValueError(f"weights must be (seq, seq) with seq = {len(tokens)} tokens, got {w.shape}")
    return w


def attention_heatmap(weights: np.ndarray, tokens: list[str], title: str = "", large: bool = False,
                      zmax: float | None = None) -> go.Figure:
    """One attention matrix: rows = query ("from") tokens, columns = key ("to") tokens, first token on top.

    Cells sit at numeric positions labelled through tickvals/ticktext, so repeated tokens
    (two "the", two "[PAD]") remain distinct rows and columns. Labels are the tokens' display texts
    (`token_labels`: 'Ġbank' reads 'bank'); the hover adds the raw piece where it differs.
    """
    w = _check_square(weights, tokens)
    n = len(tokens)
    texts = token_labels(tokens)
    labels = [_label(t) for t in texts]
    hovers = [_with_piece(t, str(raw)) for t, raw in zip(texts, tokens)]
    hover = [[f"{hovers[i]} → {hovers[j]}" for j in range(n)] for i in range(n)]
    fig = go.Figure(go.Heatmap(
        z=w,
        x=list(range(n)),
        y=list(range(n)),
        text=hover,
        hovertemplate="%{text}: %{z:.3f}<extra></extra>",
        colorscale=HEATMAP_SCALE,
        zmin=0.0,
        zmax=float(zmax) if zmax is not None else (float(w.max()) if w.size else 1.0),
        colorbar=dict(title="weight"),
    ))
    ticks = dict(tickmode="array", tickvals=list(range(n)), ticktext=labels, showgrid=False)
    fig.update_xaxes(title_text="to (key)", tickangle=-45, **ticks)
    fig.update_yaxes(title_text="from (query)", autorange="reversed", **ticks)
    side = max(300, (26 if large else 18) * n + 160)
    return _style(fig, title, large, height=side)


def _opacity_levels(w: np.ndarray, n_levels: int) -> np.ndarray:
    """Bucket weights in (0, 1] into integer levels 1..n_levels (opacity = level / n_levels)."""
    return np.clip(np.ceil(np.clip(w, 0.0, 1.0) * n_levels), 1, n_levels).astype(int)


def head_view(weights: np.ndarray, tokens: list[str], heads: list[int] | None = None, threshold: float = 0.0,
              focus: int | None = None, large: bool = False, title: str = "") -> go.Figure:
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
    fig = go.Figure()
    for h in heads:
        color = OKABE_ITO[h % len(OKABE_ITO)]
        group = f"head {h}"
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
    labels = [_label(t) for t in texts]
    hovers = [f"{i}: {_with_piece(t, str(raw))}" for i, (t, raw) in enumerate(zip(texts, tokens))]
    left = [f"<b>{t}</b>" if i == focus else t for i, t in enumerate(labels)]
    fig.add_trace(go.Scatter(x=[0] * n, y=list(range(n)), mode="text", text=left, textposition="middle left",
                             hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
                             showlegend=False, meta={"kind": "tokens", "side": "from"}))
    fig.add_trace(go.Scatter(x=[1] * n, y=list(range(n)), mode="text", text=labels, textposition="middle right",
                             hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
                             showlegend=False, meta={"kind": "tokens", "side": "to"}))
    fig.update_xaxes(visible=False, range=[-0.8, 1.8], fixedrange=True)
    fig.update_yaxes(visible=False, autorange="reversed")
    return _style(fig, title, large, height=max(300, (30 if large else 22) * n + 120),
                  legend=dict(title_text="head"))


def model_view_labels(tokens: Sequence[str]) -> list[str]:
    """The model view's axis categories: "i:piece" with the raw piece, escaped. A page that adds traces on
    the model view's axes must use the same categories (pages/attention.py builds them itself today)."""
    return [f"{i}:{_label(t)}" for i, t in enumerate(tokens)]


def model_view(attentions: np.ndarray, tokens: list[str], large: bool = False, title: str = "") -> go.Figure:
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
    fig.update_annotations(font_size=max(9, _font(large) - 4))
    cmax = float(a.max()) if a.size else 1.0
    fig = _style(fig, title, large, height=max(300, n_layers * (120 if large else 90) + 80),
                 coloraxis=dict(colorscale=HEATMAP_SCALE, cmin=0.0, cmax=cmax, colorbar=dict(title="weight")))
    return fig


def projection_scatter(coords: np.ndarray, labels: list[str], hover_texts: list[str], title: str = "",
                       large: bool = False, highlight: list[int] | None = None,
                       axis_titles: Sequence[str] | None = None) -> go.Figure:
    """2-D or 3-D projection of embeddings, one coloured trace per label (sense).

    `customdata` holds each point's original row index so selection events map back to the data.
    `hover_texts` are shown as given (plotly's <b>/<i>/<br> markup works; escape user text first).
    Points listed in `highlight` move to their own trace "edited" with larger outlined markers.
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
        fig.add_trace(scatter(idx, name=_label(sense), legendgroup=sense, marker=dict(
            color=color_of[sense], size=base_size, symbol=symbols[k % len(symbols)], opacity=0.85)))
    if highlighted:
        fig.add_trace(scatter(highlighted, name="edited", marker=dict(
            color=[color_of[str(labels[i])] for i in highlighted], size=base_size * 2.2,
            symbol="diamond" if is3d else "star", line=dict(color="#000000", width=2))))
    names = list(axis_titles) if axis_titles else [f"dimension {d + 1}" for d in range(c.shape[1])]
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
    fig = _style(fig, title, large, height=650 if large else 520, legend=dict(title_text="sense"))
    if is3d:
        fig.update_layout(margin=dict(l=0, r=0, b=0))
    return fig


def layer_metrics_chart(layers: list[int], silhouette: list[float], knn_accuracy: list[float],
                        large: bool = False, chance: float | None = None, title: str = "") -> go.Figure:
    """How well senses separate per layer: silhouette and k-NN accuracy against layer index."""
    if not (len(layers) == len(silhouette) == len(knn_accuracy)):
        raise ValueError("layers, silhouette and knn_accuracy must have the same length")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(layers), y=list(silhouette), mode="lines+markers", name="silhouette",
                             line=dict(color=OKABE_ITO[4], width=3), marker=dict(symbol="circle", size=9)))
    fig.add_trace(go.Scatter(x=list(layers), y=list(knn_accuracy), mode="lines+markers", name="k-NN accuracy",
                             line=dict(color=OKABE_ITO[5], width=3, dash="dot"), marker=dict(symbol="square", size=9)))
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color="#555555", dash="dash"), annotation_text="chance",
                      annotation_position="top left")
    values = [float(v) for v in list(silhouette) + list(knn_accuracy) if v is not None and np.isfinite(v)]
    low = min([-0.2] + [v - 0.05 for v in values])
    fig.update_xaxes(title_text="layer", tickmode="array", tickvals=list(layers),
                     ticktext=["0 (static)" if int(l) == 0 else str(l) for l in layers])
    fig.update_yaxes(range=[low, 1.05], zeroline=True)
    return _style(fig, title, large, height=450 if large else 380)


def loss_curves(curves: dict[str, tuple[list[int], list[float]]], title: str = "Training loss",
                ylabel: str = "loss", large: bool = False) -> go.Figure:
    """One line per run (step → value); dash styles repeat the distinction when colours cycle."""
    if not curves:
        return _empty("no runs yet", title, large)
    dashes = ["solid", "dash", "dot", "dashdot"]
    fig = go.Figure()
    for k, (name, (steps, values)) in enumerate(curves.items()):
        fig.add_trace(go.Scatter(
            x=list(steps), y=list(values), mode="lines", name=_label(name),
            line=dict(color=OKABE_ITO[k % len(OKABE_ITO)], width=2.5, dash=dashes[(k // len(OKABE_ITO)) % 4]),
        ))
    fig.update_xaxes(title_text="step")
    fig.update_yaxes(title_text=ylabel)
    return _style(fig, title, large, height=450 if large else 380)


def span_length_histogram(lengths: list[int], large: bool = False, title: str = "") -> go.Figure:
    """Counts of span lengths, one bar per integer length (no gaps, no fractional bins)."""
    lengths = [int(x) for x in lengths]
    if not lengths:
        return _empty("no spans", title, large)
    lo, hi = min(lengths), max(lengths)
    counts = np.bincount(np.asarray(lengths) - lo, minlength=hi - lo + 1)
    fig = go.Figure(go.Bar(x=list(range(lo, hi + 1)), y=counts.tolist(), marker_color=OKABE_ITO[4],
                           hovertemplate="length %{x}: %{y}<extra></extra>"))
    fig.update_xaxes(title_text="span length (words)", tickmode="linear", dtick=1)
    fig.update_yaxes(title_text="count")
    return _style(fig, title, large, bargap=0.1, height=400 if large else 320)


def action_share_bar(shares: dict[str, dict[str, float]], large: bool = False, title: str = "") -> go.Figure:
    """Grouped bars: per strategy, the share of tokens masked / random / kept / selected."""
    if not shares:
        return _empty("no strategies", title, large)
    strategies = list(shares)
    actions = [a for a in ("masked", "random", "kept", "selected") if any(a in shares[s] for s in strategies)]
    actions += [a for s in strategies for a in shares[s] if a not in actions]
    actions = list(dict.fromkeys(actions))
    fig = go.Figure()
    for k, action in enumerate(actions):
        color = ACTION_STYLES.get(action, {}).get("color") or ("#CC79A7" if action == "selected"
                                                                else OKABE_ITO[k % len(OKABE_ITO)])
        values = [float(shares[s].get(action, 0.0)) for s in strategies]
        fig.add_trace(go.Bar(
            x=[_label(s) for s in strategies], y=values, name=action,
            marker=dict(color=color, pattern=dict(shape=_SHARE_PATTERNS.get(action, ""))),
            text=[f"{v:.1%}" for v in values], textposition="outside",
            hovertemplate=f"{action}: " + "%{y:.1%}<extra>%{x}</extra>",
        ))
    fig.update_yaxes(tickformat=".0%", title_text="share of tokens", rangemode="tozero")
    return _style(fig, title, large, barmode="group", height=450 if large else 380)


def _chip(content: str, action: str, tip: str, large: bool) -> str:
    st = ACTION_STYLES[action]
    pad = "3px 8px" if large else "2px 6px"
    style = (f"display:inline-block;margin:3px 2px;padding:{pad};border-radius:6px;white-space:pre;"
             f"background:{st['bg']};color:inherit;{st['css']}")
    if st["bg"] != "transparent":
        style += "color:#111111;"
    return f'<span class="mlm-chip mlm-{action}" title="{html.escape(tip)}" style="{style}">{content}</span>'


def _action_name(action) -> str:
    name = _ACTION_CODES.get(action, action) if isinstance(action, (int, np.integer)) else str(action)
    if name not in ACTION_STYLES:
        raise ValueError(f"unknown action {action!r}; expected one of {list(ACTION_STYLES)}")
    return name


def masked_tokens_html(tokens: list[str], actions: list[str], shown: list[str] | None = None,
                       large: bool = False) -> str:
    """Inline HTML "chips", one per token, styled by masking action.

    Colour is doubled by a text cue (bold + dotted border = masked, wavy underline = random,
    double underline = kept) so it reads without colour vision. Where the model sees a different
    token, the chip shows "shown (original)". Chips show the tokens' display texts (`token_labels`),
    the tooltip the raw pieces; text is HTML-escaped. Actions may be the names or the integer codes of
    `mlm_core.masking`.
    """
    if len(actions) != len(tokens) or (shown is not None and len(shown) != len(tokens)):
        raise ValueError("tokens, actions (and shown) must have the same length")
    raw_tokens = [str(t) for t in tokens]
    raw_shown = [str(t) for t in shown] if shown is not None else raw_tokens
    texts = token_labels(raw_tokens + raw_shown)  # one guess of the tokenizer kind for both rows
    orig_texts, seen_texts = texts[:len(raw_tokens)], texts[len(raw_tokens):]
    chips = []
    for i, act in enumerate(actions):
        action = _action_name(act)
        orig, seen = raw_tokens[i], raw_shown[i]
        orig_text, seen_text = orig_texts[i], seen_texts[i]
        if seen != orig:
            content = (f"<b>{html.escape(seen_text)}</b> "
                       f'<span style="opacity:0.75;font-size:0.85em">({html.escape(orig_text)})</span>')
            tip = f"{action}: {orig} → {seen}"
        else:
            content = f"<b>{html.escape(orig_text)}</b>" if action == "masked" else html.escape(orig_text)
            tip = f"{action}: {orig}"
        chips.append(_chip(content, action, tip, large))
    size = _font(large)
    return f'<div class="mlm-chips" style="font-size:{size}px;line-height:2.2">{"".join(chips)}</div>'


def action_legend_html(large: bool = False) -> str:
    """A one-line legend for the chips of `masked_tokens_html`."""
    items = []
    for action, st in ACTION_STYLES.items():
        chip = _chip(html.escape(action), action, f"{action}: {st['cue']}", large)
        items.append(f'<span style="margin-right:12px">{chip} '
                     f'<span style="font-size:0.85em">{html.escape(ACTION_DESCRIPTIONS[action])}</span></span>')
    return f'<div class="mlm-chip-legend" style="font-size:{_font(large)}px;line-height:2.2">{"".join(items)}</div>'


def figure_to_html(fig: go.Figure) -> str:
    """Standalone HTML page with plotly.js inlined, so the download works offline."""
    return fig.to_html(include_plotlyjs=True, full_html=True)


def figure_to_png(fig: go.Figure, scale: float = 2.0) -> bytes | None:
    """PNG bytes via kaleido, or None when static export is unavailable (no kaleido or no Chrome)."""
    try:
        return fig.to_image(format="png", scale=scale)
    except Exception:  # noqa: BLE001 - any export failure just means "no PNG button"
        return None
