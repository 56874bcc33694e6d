"""Masking figures: tokens as chips styled by masking action, the measured shares of each action per strategy,
span lengths (counted, and drawn against SpanBERT's target distribution), and the shipped experiments
(`training.experiments`): curves with the seed-to-seed band, final values with error bars."""
from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from ..masking.strategies import ACTION_NAMES
from .style import OKABE_ITO, empty_figure, escape_label, font_size, style_figure, token_labels, wrapped_title

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

# The words these figures and chips draw (str.format templates; plotly's own %{...} placeholders are filled in as
# {x} / {y}); a page passes `texts` in its own language. Action names, descriptions and cues: "action_<name>",
# "desc_<name>", "cue_<name>".
TEXTS = {
    "no_spans": "no spans", "no_strategies": "no strategies", "no_runs": "no runs",
    "span_length": "span length (words)", "count": "count", "share_of_spans": "share of spans",
    "share_of_tokens": "share of tokens", "hover_count": "length {x}: {y}",
    "drawn": "drawn (mean {mean})", "placed": "placed (mean {mean})",
    "target": "target: Geometric({p}) truncated at {max} (mean {mean})",
    "hover_drawn": "length {x}: {y} of spans drawn", "hover_placed": "length {x}: {y} of spans placed",
    "hover_target": "length {x}: {y} expected",
    "step": "step", "evaluation": "evaluation", "axis": "{kind}, {evaluation} evaluation",
    "kind_accuracy": "top-1 accuracy", "kind_loss": "loss",
    "seed_range": "{name} seed range", "shipped": "{name} (shipped, {n} seeds)",
    "hover_mean": "{name} step {x}: mean {y} (seeds {low}–{high})", "now": "{name} (now)",
    "hover_now": "{name} now, step {x}: {y}", "hover_final": "{name}, {x} evaluation: mean {y}",
    **{f"action_{a}": a for a in ("masked", "random", "kept", "untouched", "selected")},
    **{f"desc_{a}": d for a, d in ACTION_DESCRIPTIONS.items()},
    **{f"cue_{a}": st["cue"] for a, st in ACTION_STYLES.items()},
}


def _texts(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {**TEXTS, **(texts or {})}


def _action_word(words: Mapping[str, str], action: str) -> str:
    return words.get(f"action_{action}", action)


def span_length_histogram(lengths: list[int], large: bool = False, title: str = "",
                          texts: Mapping[str, str] | None = None) -> go.Figure:
    """Counts of span lengths, one bar per integer length (no gaps, no fractional bins)."""
    words = _texts(texts)
    lengths = [int(x) for x in lengths]
    if not lengths:
        return empty_figure(words["no_spans"], title, large)
    lo, hi = min(lengths), max(lengths)
    counts = np.bincount(np.asarray(lengths) - lo, minlength=hi - lo + 1)
    fig = go.Figure(go.Bar(x=list(range(lo, hi + 1)), y=counts.tolist(), marker_color=OKABE_ITO[4],
                           hovertemplate=words["hover_count"].format(x="%{x}", y="%{y}") + "<extra></extra>"))
    fig.update_xaxes(title_text=words["span_length"], tickmode="linear", dtick=1)
    fig.update_yaxes(title_text=words["count"])
    return style_figure(fig, title, large, bargap=0.1, height=400 if large else 320)


def span_lengths_vs_target(hist, large: bool = False, title: str = "",
                           texts: Mapping[str, str] | None = None) -> go.Figure:
    """Span lengths against their target (a `masking.span_lengths.SpanLengthHistogram`): per length, the share of
    spans that drew it (bars) and that were placed with it (hatched bars: the budget shortens the last span of a
    sequence), and the target distribution (dashed line); the legend gives each mean."""
    words = _texts(texts)
    share = dict(x="%{x}", y="%{y:.1%}")
    fig = go.Figure()
    x = list(hist.lengths)
    if hist.n_spans:
        fig.add_trace(go.Bar(x=x, y=hist.shares("drawn"), name=words["drawn"].format(mean=f"{hist.mean('drawn'):.2f}"),
                             marker_color=OKABE_ITO[4],
                             hovertemplate=words["hover_drawn"].format(**share) + "<extra></extra>"))
    if sum(hist.placed):
        fig.add_trace(go.Bar(x=x, y=hist.shares("placed"), name=words["placed"].format(mean=f"{hist.mean('placed'):.2f}"),
                             marker=dict(color=OKABE_ITO[0], pattern=dict(shape="/")),
                             hovertemplate=words["hover_placed"].format(**share) + "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=list(hist.target), mode="lines+markers", line=dict(color=OKABE_ITO[7], dash="dash"),
        marker=dict(symbol="diamond", size=9 if large else 7),
        name=words["target"].format(p=f"{hist.p:g}", max=x[-1], mean=f"{hist.mean('target'):.2f}"),
        hovertemplate=words["hover_target"].format(**share) + "<extra></extra>"))
    fig.update_xaxes(title_text=words["span_length"], tickmode="linear", dtick=1)
    fig.update_yaxes(title_text=words["share_of_spans"], tickformat=".0%", rangemode="tozero")
    return style_figure(fig, title, large, barmode="group", bargap=0.15, height=420 if large else 340)


def action_share_bar(shares: dict[str, dict[str, float]], large: bool = False, title: str = "",
                     texts: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped bars: per strategy, the share of tokens masked / random / kept / selected."""
    words = _texts(texts)
    if not shares:
        return empty_figure(words["no_strategies"], title, large)
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
            x=[escape_label(s) for s in strategies], y=values, name=_action_word(words, action),
            marker=dict(color=color, pattern=dict(shape=_SHARE_PATTERNS.get(action, ""))),
            # upright labels are wider than the 16 grouped bars, so plotly would shrink them to ~5 px: turned along
            # the bar, a label needs only a line's height of width, and it keeps its size (constraintext none)
            text=[f"{v:.1%}" for v in values], textposition="outside", textangle=-90, cliponaxis=False,
            constraintext="none", outsidetextfont=dict(size=font_size(large) - 2),
            hovertemplate=f"{_action_word(words, action)}: " + "%{y:.1%}<extra>%{x}</extra>",
        ))
    top = max((float(v) for sh in shares.values() for v in sh.values()), default=0.0)
    fig.update_yaxes(tickformat=".0%", title_text=words["share_of_tokens"], range=[0, max(0.05, top * 1.3)])
    fig = style_figure(fig, title, large, barmode="group", height=450 if large else 380)
    # the legend above the plot, so the bars get the whole width
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
                      margin_t=(110 if large else 90) if title else 50)
    return fig


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
                       large: bool = False, texts: Mapping[str, str] | None = None) -> str:
    """Inline HTML "chips", one per token, styled by masking action.

    Colour is doubled by a text cue (bold + dotted border = masked, wavy underline = random,
    double underline = kept) so it reads without colour vision. Where the model sees a different
    token, the chip shows "shown (original)". Chips show the tokens' display texts (`token_labels`),
    the tooltip the raw pieces; text is HTML-escaped. Actions may be the names or the integer codes of
    `mlm_core.masking.strategies` (`ACTION_NAMES`). `texts` gives the action names of the tooltips (`TEXTS`).
    """
    words = _texts(texts)
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
            tip = f"{_action_word(words, action)}: {orig} → {seen}"
        else:
            content = f"<b>{html.escape(orig_text)}</b>" if action == "masked" else html.escape(orig_text)
            tip = f"{_action_word(words, action)}: {orig}"
        chips.append(_chip(content, action, tip, large))
    size = font_size(large)
    return f'<div class="mlm-chips" style="font-size:{size}px;line-height:2.2">{"".join(chips)}</div>'


def action_legend_html(large: bool = False, texts: Mapping[str, str] | None = None) -> str:
    """A one-line legend for the chips of `masked_tokens_html`: each action's chip, cue and description."""
    words = _texts(texts)
    items = []
    for action in ACTION_STYLES:
        name = _action_word(words, action)
        chip = _chip(html.escape(name), action, f"{name}: {words[f'cue_{action}']}", large)
        items.append(f'<span style="margin-right:12px">{chip} '
                     f'<span style="font-size:0.85em">{html.escape(words[f"desc_{action}"])}</span></span>')
    return f'<div class="mlm-chip-legend" style="font-size:{font_size(large)}px;line-height:2.2">{"".join(items)}</div>'


# ---------------------------------------------------------------- shipped experiments (training.experiments)

_DASHES = ["solid", "dash", "dot", "dashdot"]


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def _axis_title(metric: str, words: Mapping[str, str]) -> tuple[str, str, str | None]:
    """(y-axis title, the kind of value alone, tick format) of an experiment metric such as 'token/loss' or
    'kept/accuracy'."""
    evaluation, kind = metric.split("/")
    name = words.get(f"kind_{kind}", kind)
    return words["axis"].format(kind=name, evaluation=evaluation), name, ".0%" if kind == "accuracy" else None


def experiment_curves(result, metric: str, large: bool = False, title: str = "", labels: list[str] | None = None,
                      live: dict[str, tuple[list[int], list[float]]] | None = None,
                      texts: Mapping[str, str] | None = None) -> go.Figure:
    """One experiment's curves of `metric` (a `training.experiments.ExperimentResult`): per condition, the mean over
    the seeds (line) inside the band from the lowest to the highest seed (shaded), so a difference can be judged
    against the seed-to-seed spread. `labels` picks conditions; `live` adds runs trained now (step -> value),
    drawn as thick dotted lines with markers over the shipped bands of the same labels."""
    words = _texts(texts)
    conditions = [c for c in result.conditions if labels is None or c.label in labels]
    if not conditions and not live:
        return empty_figure(words["no_runs"], title, large)
    fig = go.Figure()
    colour = {c.label: OKABE_ITO[k % len(OKABE_ITO)] for k, c in enumerate(result.conditions)}
    for k, c in enumerate(conditions):
        mean, low, high = c.band(metric)
        col = colour[c.label]
        name = escape_label(c.label)
        fig.add_trace(go.Scatter(x=c.steps + c.steps[::-1], y=high + low[::-1], fill="toself", mode="lines",
                                 fillcolor=_rgba(col, 0.22), line=dict(width=0), hoverinfo="skip",
                                 legendgroup=name, showlegend=False, name=words["seed_range"].format(name=name)))
        fig.add_trace(go.Scatter(
            x=c.steps, y=mean, mode="lines+markers", name=words["shipped"].format(name=name, n=len(c.seeds)),
            legendgroup=name, line=dict(color=col, width=2.5, dash=_DASHES[k % len(_DASHES)]),
            customdata=np.stack([low, high], axis=1),
            hovertemplate=words["hover_mean"].format(name=name, x="%{x}", y="%{y:.4g}", low="%{customdata[0]:.4g}",
                                                     high="%{customdata[1]:.4g}") + "<extra></extra>"))
    for k, (label, (steps, values)) in enumerate((live or {}).items()):
        col = colour.get(label, OKABE_ITO[(len(colour) + k) % len(OKABE_ITO)])
        fig.add_trace(go.Scatter(x=list(steps), y=list(values), mode="lines+markers",
                                 name=words["now"].format(name=escape_label(label)),
                                 line=dict(color=col, width=4, dash="dot"), marker=dict(symbol="x", size=10),
                                 hovertemplate=words["hover_now"].format(name=escape_label(label), x="%{x}", y="%{y:.4g}")
                                 + "<extra></extra>"))
    ytitle, _, fmt = _axis_title(metric, words)
    fig.update_xaxes(title_text=words["step"])
    fig.update_yaxes(title_text=ytitle, tickformat=fmt)
    fig = style_figure(fig, title, large, height=450 if large else 380, hovermode="x unified")
    return wrapped_title(fig, title, 30 if large else 45)  # the page draws it in half its width


def experiment_final_bars(result, metrics: list[str], large: bool = False, title: str = "",
                          texts: Mapping[str, str] | None = None) -> go.Figure:
    """Final values after training: per metric (groups on the x axis) one bar per condition, the mean over the
    seeds, with error bars from the lowest to the highest seed. Metrics should share a unit (all losses or all
    accuracies)."""
    words = _texts(texts)
    if not result.conditions or not metrics:
        return empty_figure(words["no_runs"], title, large)
    fig = go.Figure()
    patterns = ["", "/", "x", ".", "\\", "+", "-"]
    x = [m.split("/")[0] for m in metrics]
    for k, c in enumerate(result.conditions):
        means = [c.mean(m) for m in metrics]
        lows = [mean - min(c.final(m)) for mean, m in zip(means, metrics)]
        highs = [max(c.final(m)) - mean for mean, m in zip(means, metrics)]
        fig.add_trace(go.Bar(
            x=x, y=means, name=escape_label(c.label),
            marker=dict(color=OKABE_ITO[k % len(OKABE_ITO)], pattern=dict(shape=patterns[k % len(patterns)])),
            error_y=dict(type="data", symmetric=False, array=highs, arrayminus=lows, thickness=2, width=6),
            hovertemplate=words["hover_final"].format(name=escape_label(c.label), x="%{x}", y="%{y:.4g}")
            + "<extra></extra>"))
    _, kind, fmt = _axis_title(metrics[0], words)
    fig.update_xaxes(title_text=words["evaluation"])
    fig.update_yaxes(title_text=kind, tickformat=fmt, rangemode="normal" if fmt is None else "tozero")
    if fmt is None:  # losses: start the axis near the values, so the differences show
        lo = min(min(c.final(m)) for c in result.conditions for m in metrics)
        hi = max(max(c.final(m)) for c in result.conditions for m in metrics)
        pad = max(0.05, 0.15 * (hi - lo))
        fig.update_yaxes(range=[lo - pad, hi + pad])
    fig = style_figure(fig, title, large, barmode="group", height=450 if large else 380)
    # the legend above the plot, so the bars get the whole width
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
                      margin_t=(110 if large else 90) if title else 50)
    return fig
