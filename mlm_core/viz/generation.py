"""Generation figures: one unmasking step as token chips (masked, revealed at this step, predicted but remasked),
one left-to-right step the same way, the step x position grid of an unmasking run (when each position was revealed,
with what confidence, and which predictions were remasked), and the per-token probability strip of a causal run.

Builders take the runs of `mlm_core.generation` and labels already in the reader's language (mlm_core speaks
English; the app passes translated words), and return HTML strings or plotly figures. A step index counts from 0
(before anything was generated) to the number of steps (everything generated).
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import plotly.graph_objects as go

from ..generation.left_to_right import CausalRun
from ..generation.unmask import UnmaskRun
from ..inference.token_text import display_tokens
from .style import OKABE_ITO, empty_figure, escape_label, font_size, style_figure, wrapped_title

# The page draws these figures in half-width columns: titles longer than this many characters wrap.
TITLE_WIDTH, TITLE_WIDTH_LARGE = 44, 30

# Chip styles: colour doubled by a cue that reads without colour vision (border style, weight).
CHIP_STYLES = {
    "masked": "color:#555555;background:#EEEEEE;border:1px solid #BBBBBB;",
    "revealed": "color:#000000;background:#F7D9C4;border:2px solid #D55E00;font-weight:700;",
    "remasked": "color:#555555;background:#EEEEEE;border:2px dashed #0072B2;",
    "outside": "color:#999999;background:transparent;border:1px dotted #CCCCCC;",
    "pending": "color:#999999;background:transparent;border:1px dotted #CCCCCC;",
    "kept": "color:#000000;background:transparent;border:1px solid #BBBBBB;",
}


@dataclass(frozen=True)
class ChipLabels:
    """The words a chip's tooltip and the legend use, in the reader's language."""

    masked: str = "still masked"
    revealed: str = "revealed at this step"
    remasked: str = "predicted at this step, then masked again"
    outside: str = "outside the current block"
    kept: str = "fixed earlier"
    pending: str = "not generated yet"
    probability: str = "probability"


def _chip(content: str, kind: str, tip: str, large: bool) -> str:
    pad = "4px 9px" if large else "2px 6px"
    return (f'<span class="mlm-gen-chip mlm-gen-{kind}" title="{html.escape(tip, quote=True)}" '
            f'style="display:inline-block;margin:2px;padding:{pad};border-radius:6px;{CHIP_STYLES[kind]}">'
            f"{content}</span>")


def _chips(chips: list[str], large: bool) -> str:
    return f'<div class="mlm-gen-chips" style="font-size:{font_size(large)}px;line-height:2.2">{"".join(chips)}</div>'


def unmask_step_kinds(run: UnmaskRun, k: int) -> list[str]:
    """Per position, what it is after step k: 'revealed' (at step k), 'remasked' (predicted at step k, left masked),
    'masked' (still masked in the block step k worked on), 'outside' (masked, in a later block) or 'kept'."""
    n = run.settings.length
    if k <= 0:
        return ["masked"] * n
    step = run.steps[k - 1]
    revealed, remasked = set(step.revealed), set(step.remasked)
    start, end = step.block_span
    kinds = []
    for p in range(n):
        if p in revealed:
            kinds.append("revealed")
        elif p in remasked:
            kinds.append("remasked")
        elif step.tokens[p] == run.mask_token:
            kinds.append("masked" if start <= p < end else "outside")
        else:
            kinds.append("kept")
    return kinds


def prediction_names(run: UnmaskRun, tokenizer) -> dict[int, str]:
    """Display text of every token id any step of the run predicted (remasked predictions are in no sequence the
    run keeps, so their text comes from the tokenizer)."""
    ids = sorted({i for s in run.steps for i in s.predicted if i is not None})
    return dict(zip(ids, display_tokens(tokenizer.convert_ids_to_tokens(ids), tokenizer)))


def unmask_step_html(run: UnmaskRun, k: int, labels: ChipLabels = ChipLabels(), large: bool = False,
                     names: dict[int, str] | None = None) -> str:
    """The sequence after step k of an unmasking run as chips: [MASK] where still masked, the tokens revealed at
    this step highlighted with their confidence in the tooltip, the remasked positions marked with the prediction
    the step set aside (its text from `names`, `prediction_names`; its id without)."""
    kinds = unmask_step_kinds(run, k)
    step = run.steps[k - 1] if k > 0 else None
    names = names or {}
    chips = []
    for p, kind in enumerate(kinds):
        content = html.escape(run.mask_token if step is None else step.texts[p])
        tip = f"{p + 1}: {getattr(labels, kind)}"
        if step is not None and kind in ("revealed", "remasked"):
            token_id = step.predicted[p]
            predicted = step.texts[p] if kind == "revealed" else names.get(token_id, f"#{token_id}")
            tip += f" ({predicted}, {labels.probability} {step.confidence[p]:.2f})"
            if kind == "remasked":
                content += f' <span style="opacity:0.7;font-size:0.8em">({html.escape(predicted)}?)</span>'
        chips.append(_chip(content, kind, tip, large))
    return _chips(chips, large)


def causal_step_html(run: CausalRun, k: int, labels: ChipLabels = ChipLabels(), large: bool = False) -> str:
    """The text after k left-to-right steps, at the run's full length: the tokens so far, the one added at step k
    highlighted with its probability in the tooltip, and a placeholder for each position not generated yet."""
    chips = []
    for p in range(run.length):
        if p < k:
            s = run.steps[p]
            kind = "revealed" if p == k - 1 else "kept"
            tip = f"{p + 1}: {getattr(labels, kind)} ({labels.probability} {s.probability:.2f})"
            chips.append(_chip(html.escape(s.text), kind, tip, large))
        else:
            chips.append(_chip("·", "pending", f"{p + 1}: {labels.pending}", large))
    return _chips(chips, large)


def legend_html(kinds: list[str], labels: ChipLabels = ChipLabels(), large: bool = False,
                samples: dict[str, str] | None = None) -> str:
    """One line explaining the chips of the kinds given (in that order)."""
    samples = samples or {}
    items = []
    for kind in kinds:
        label = getattr(labels, kind)
        chip = _chip(html.escape(samples.get(kind, "·")), kind, label, large)
        items.append(f'<span style="margin-right:12px">{chip} <span style="font-size:0.85em">'
                     f"{html.escape(label)}</span></span>")
    return (f'<div class="mlm-gen-legend" style="font-size:{font_size(large)}px;line-height:2.2">'
            f'{"".join(items)}</div>')


# ---------------------------------------------------------------- figures


def reveal_grid_data(run: UnmaskRun, upto: int | None = None) -> tuple[list[list[float | None]], list[list[str]]]:
    """(confidence, text) per step (rows, step 1 first) and position (columns): the confidence and display text of
    the token revealed there at that step, None / '' everywhere else, and in every row after step `upto`."""
    n = run.settings.length
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for step in run.steps:
        row: list[float | None] = [None] * n
        words = [""] * n
        if upto is None or step.index < upto:
            for p in step.revealed:
                row[p] = step.confidence[p]
                words[p] = step.texts[p]
        z.append(row)
        text.append(words)
    return z, text


# light to dark blue: the least confident cells stay visible on white
GRID_SCALE = [[0.0, "#DCEBF7"], [0.5, "#6BAED6"], [1.0, "#08306B"]]


def reveal_grid(run: UnmaskRun, current: int | None = None, title: str = "", x_title: str = "position",
                y_title: str = "step", confidence: str = "confidence", revealed: str = "revealed",
                remasked: str = "remasked", large: bool = False) -> go.Figure:
    """Step x position grid of an unmasking run: a coloured cell (the token's text on it) where a position was
    revealed, shaded by the model's confidence in it; an open circle where a step predicted a position and left it
    masked. With `current` (1-based) the grid shows the run up to that step, framed, and the later rows empty, so
    it fills in as the run is replayed. Rows run top to bottom from step 1."""
    if not run.steps:
        return empty_figure("—", title, large)
    n, n_steps = run.settings.length, len(run.steps)
    upto = None if current is None else max(0, min(current, n_steps))
    z, words = reveal_grid_data(run, upto)
    steps_y = list(range(1, n_steps + 1))
    positions = list(range(1, n + 1))
    hover = [[(f"{y_title} {s}, {x_title} {p + 1}: {escape_label(words[s - 1][p])}<br>{revealed}, "
               f"{confidence} {z[s - 1][p]:.2f}") if z[s - 1][p] is not None else ""
              for p in range(n)] for s in steps_y]
    fig = go.Figure(go.Heatmap(
        z=z, x=positions, y=steps_y, text=[[escape_label(w) for w in row] for row in words], texttemplate="%{text}",
        customdata=hover, hovertemplate="%{customdata}<extra></extra>", colorscale=GRID_SCALE, zmin=0, zmax=1,
        xgap=2, ygap=2, hoverongaps=False, name=revealed,
        colorbar=dict(title=dict(text=confidence, side="right"), thickness=12)))
    rx, ry, rtext = [], [], []
    for step in run.steps[:upto]:
        for p in step.remasked:
            rx.append(p + 1)
            ry.append(step.index + 1)
            rtext.append(f"{y_title} {step.index + 1}, {x_title} {p + 1}: {remasked}, "
                         f"{confidence} {step.confidence[p]:.2f}")
    if rx:
        fig.add_trace(go.Scatter(x=rx, y=ry, mode="markers", name=remasked, text=rtext,
                                 hovertemplate="%{text}<extra></extra>",
                                 marker=dict(symbol="circle-open", size=9 if not large else 13, color=OKABE_ITO[5],
                                             line=dict(width=2))))
    if upto:
        fig.add_shape(type="rect", x0=0.5, x1=n + 0.5, y0=upto - 0.5, y1=upto + 0.5,
                      line=dict(color=OKABE_ITO[7], width=2), fillcolor="rgba(0,0,0,0)")
    fig.update_xaxes(title_text=x_title, tickmode="linear", dtick=1 if n <= 32 else max(1, n // 16),
                     range=[0.5, n + 0.5])
    fig.update_yaxes(title_text=y_title, autorange="reversed", tickmode="linear",
                     dtick=1 if n_steps <= 32 else max(1, n_steps // 16), range=[0.5, n_steps + 0.5])
    height = min(900, 170 + (28 if not large else 40) * n_steps)
    fig = wrapped_title(style_figure(fig, title, large, height=height, showlegend=bool(rx)), title,
                        TITLE_WIDTH_LARGE if large else TITLE_WIDTH)
    height = fig.layout.height
    bottom = 90 if large else 75  # room under the axis title for the legend
    fig.update_layout(margin_b=bottom, legend=dict(orientation="h", x=0, xanchor="left", yanchor="top",
                                                   y=-(bottom - 15) / max(60, height - fig.layout.margin.t - bottom)))
    return fig


def probability_strip(run: CausalRun, current: int | None = None, title: str = "", x_title: str = "position",
                      y_title: str = "probability", alternatives: str = "most likely", large: bool = False) -> go.Figure:
    """The causal model's probability of each token it chose, one bar per position (the token's text on it), the
    most likely alternatives in the hover. With `current` (1-based) the strip shows the run up to that token, the
    token itself highlighted, and the later positions empty (the axis keeps the whole length)."""
    if not run.steps:
        return empty_figure("—", title, large)
    shown = [s for s in run.steps if current is None or s.index < current]
    x = [s.index + 1 for s in shown]
    y = [s.probability for s in shown]
    colors = [OKABE_ITO[5] if current is not None and s.index + 1 == current else OKABE_ITO[4] for s in shown]
    hover = [f"{escape_label(s.text)}: {s.probability:.2f}<br>{alternatives}: "
             + ", ".join(f"{escape_label(a)} {p:.2f}" for a, p in s.alternatives) for s in shown]
    fig = go.Figure(go.Bar(x=x, y=y, marker_color=colors, customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                           text=[escape_label(s.text) for s in shown], textposition="outside", cliponaxis=False))
    n = run.length
    fig.update_xaxes(title_text=x_title, tickmode="linear", dtick=1 if n <= 32 else max(1, n // 16),
                     range=[0.5, n + 0.5])
    fig.update_yaxes(title_text=y_title, range=[0, 1.15])
    return wrapped_title(style_figure(fig, title, large, height=360 if large else 280, bargap=0.15), title,
                         TITLE_WIDTH_LARGE if large else TITLE_WIDTH)
