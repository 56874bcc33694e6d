"""Masking figures: tokens as chips styled by masking action, the measured shares of each action per strategy,
span lengths (counted, and drawn against SpanBERT's target distribution)."""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from ..masking.strategies import ACTION_NAMES
from .style import OKABE_ITO, empty_figure, escape_label, font_size, style_figure, token_labels

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
_SHARE_PATTERNS = {"masked": "", "random": "/", "kept": "x", "selected": "."}


def span_length_histogram(lengths: list[int], large: bool = False, title: str = "") -> go.Figure:
    """Counts of span lengths, one bar per integer length (no gaps, no fractional bins)."""
    lengths = [int(x) for x in lengths]
    if not lengths:
        return empty_figure("no spans", title, large)
    lo, hi = min(lengths), max(lengths)
    counts = np.bincount(np.asarray(lengths) - lo, minlength=hi - lo + 1)
    fig = go.Figure(go.Bar(x=list(range(lo, hi + 1)), y=counts.tolist(), marker_color=OKABE_ITO[4],
                           hovertemplate="length %{x}: %{y}<extra></extra>"))
    fig.update_xaxes(title_text="span length (words)", tickmode="linear", dtick=1)
    fig.update_yaxes(title_text="count")
    return style_figure(fig, title, large, bargap=0.1, height=400 if large else 320)


def span_lengths_vs_target(hist, large: bool = False, title: str = "") -> go.Figure:
    """Span lengths against their target (a `masking.span_lengths.SpanLengthHistogram`): per length, the share of
    spans that drew it (bars) and that were placed with it (hatched bars: the budget shortens the last span of a
    sequence), and the target distribution (dashed line); the legend gives each mean."""
    fig = go.Figure()
    x = list(hist.lengths)
    if hist.n_spans:
        fig.add_trace(go.Bar(x=x, y=hist.shares("drawn"), name=f"drawn (mean {hist.mean('drawn'):.2f})",
                             marker_color=OKABE_ITO[4], hovertemplate="length %{x}: %{y:.1%} of spans drawn<extra></extra>"))
    if sum(hist.placed):
        fig.add_trace(go.Bar(x=x, y=hist.shares("placed"), name=f"placed (mean {hist.mean('placed'):.2f})",
                             marker=dict(color=OKABE_ITO[0], pattern=dict(shape="/")),
                             hovertemplate="length %{x}: %{y:.1%} of spans placed<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=list(hist.target), mode="lines+markers", line=dict(color=OKABE_ITO[7], dash="dash"),
        marker=dict(symbol="diamond", size=9 if large else 7),
        name=f"target: Geometric({hist.p:g}) truncated at {x[-1]} (mean {hist.mean('target'):.2f})",
        hovertemplate="length %{x}: %{y:.1%} expected<extra></extra>"))
    fig.update_xaxes(title_text="span length (words)", tickmode="linear", dtick=1)
    fig.update_yaxes(title_text="share of spans", tickformat=".0%", rangemode="tozero")
    return style_figure(fig, title, large, barmode="group", bargap=0.15, height=420 if large else 340)


def action_share_bar(shares: dict[str, dict[str, float]], large: bool = False, title: str = "") -> go.Figure:
    """Grouped bars: per strategy, the share of tokens masked / random / kept / selected."""
    if not shares:
        return empty_figure("no strategies", title, large)
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
            x=[escape_label(s) for s in strategies], y=values, name=action,
            marker=dict(color=color, pattern=dict(shape=_SHARE_PATTERNS.get(action, ""))),
            text=[f"{v:.1%}" for v in values], textposition="outside",
            hovertemplate=f"{action}: " + "%{y:.1%}<extra>%{x}</extra>",
        ))
    fig.update_yaxes(tickformat=".0%", title_text="share of tokens", rangemode="tozero")
    return style_figure(fig, title, large, barmode="group", height=450 if large else 380)


def _chip(content: str, action: str, tip: str, large: bool) -> str:
    st = ACTION_STYLES[action]
    pad = "3px 8px" if large else "2px 6px"
    style = (f"display:inline-block;margin:3px 2px;padding:{pad};border-radius:6px;white-space:pre;"
             f"background:{st['bg']};color:inherit;{st['css']}")
    if st["bg"] != "transparent":
        style += "color:#111111;"
    return f'<span class="mlm-chip mlm-{action}" title="{html.escape(tip)}" style="{style}">{content}</span>'


def _action_name(action) -> str:
    name = ACTION_NAMES.get(int(action), action) if isinstance(action, (int, np.integer)) else str(action)
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
    `mlm_core.masking.strategies` (`ACTION_NAMES`).
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
    size = font_size(large)
    return f'<div class="mlm-chips" style="font-size:{size}px;line-height:2.2">{"".join(chips)}</div>'


def action_legend_html(large: bool = False) -> str:
    """A one-line legend for the chips of `masked_tokens_html`."""
    items = []
    for action, st in ACTION_STYLES.items():
        chip = _chip(html.escape(action), action, f"{action}: {st['cue']}", large)
        items.append(f'<span style="margin-right:12px">{chip} '
                     f'<span style="font-size:0.85em">{html.escape(ACTION_DESCRIPTIONS[action])}</span></span>')
    return f'<div class="mlm-chip-legend" style="font-size:{font_size(large)}px;line-height:2.2">{"".join(items)}</div>'
