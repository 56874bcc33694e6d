"""The one look of every MLM Explorer figure: palettes, font sizes (normal and projector), title and margins,
label escaping and the display text of tokens on axes and in hovers.

Colours come from colour-blind-safe palettes (Okabe–Ito for categories, a sequential scale for heatmaps);
every builder takes `large=True` to raise font sizes for classroom projectors (`font_size`) and finishes with
`style_figure`.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio

from ..inference.token_text import display_tokens

# Every figure uses plotly's white template. Set as the default it is attached when a figure is created, which is
# about five times cheaper than `update_layout(template=...)` (that validates a deep copy of the template on
# every figure, most of a prediction chart's build time); the JSON sent to the browser is the same.
TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
HEATMAP_SCALE = "Blues"
FONT_SIZE, FONT_SIZE_LARGE = 14, 22
TITLE_LINE_EM = 1.3  # the height of one title line, in title font sizes


def font_size(large: bool) -> int:
    return FONT_SIZE_LARGE if large else FONT_SIZE


def base_layout(title: str, large: bool, **layout) -> dict:
    """The shared font, title and margins as a layout dict, for a figure built in one go (`go.Figure(data,
    layout)`): several times faster than building it and then updating it, which a page drawn for a whole class
    notices."""
    size = font_size(large)
    return dict(font=dict(size=size), title=dict(text=title, font=dict(size=size + 4)) if title else None,
                margin=dict(l=10, r=10, t=60 if title else 30, b=10), **layout)


def style_figure(fig: go.Figure, title: str, large: bool, **layout) -> go.Figure:
    """Apply the shared font, title and margins."""
    fig.update_layout(**base_layout(title, large, **layout))
    return fig


def escape_label(token: str) -> str:
    """Token text safe for plotly's pseudo-HTML labels (so '<s>' shows as '<s>', not strikethrough)."""
    return html.escape(str(token), quote=False)


def token_labels(tokens: Sequence[str]) -> list[str]:
    """Display texts of raw pieces ('ĠAward' -> 'Award', '▁take' -> 'take', '##s' and '[CLS]' / '<s>' kept),
    by the rules of `mlm_core.inference.token_text`; the figure builders clean their labels with it themselves."""
    return display_tokens([str(t) for t in tokens])


def with_piece(text: str, raw: str, piece: str = "piece") -> str:
    """Hover text: the display text, and the raw piece when it differs ('Award (piece ĠAward)'), escaped; `piece`
    is the word for it in the page's language."""
    return escape_label(text) if text == raw else f"{escape_label(text)} ({escape_label(piece)} {escape_label(raw)})"


def empty_figure(message: str, title: str, large: bool) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style_figure(fig, title, large)


def fit_title(title: str, width: int) -> tuple[list[str], bool]:
    """`title` as lines of at most `width` characters: whole when it fits, else a new line after each comma
    ('mask 3: hippopotamus,' / 'piece 2 of 3 (##opotam)') and breaks at spaces; a single word longer than a line is
    shortened with '…'. Returns (lines, whether a word was shortened)."""
    if len(title) <= width:
        return ([title] if title else []), False
    lines: list[str] = []
    shortened = False
    for clause in title.replace(", ", ",\n").splitlines():
        start = len(lines)
        for word in clause.split():
            if len(word) > width:
                word, shortened = word[:width - 1] + "…", True
            if len(lines) > start and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    return lines, shortened


def wrapped_title(fig: go.Figure, title: str, width: int) -> go.Figure:
    """Break a figure's title into lines of at most `width` characters (`fit_title`) and give the extra lines room
    above the plot; call it after `style_figure`."""
    lines, _ = fit_title(title, width)
    if len(lines) < 2:
        return fig
    extra = round(TITLE_LINE_EM * fig.layout.title.font.size * (len(lines) - 1))
    return fig.update_layout(title_text="<br>".join(escape_label(line) for line in lines),
                             margin_t=fig.layout.margin.t + extra, height=fig.layout.height + extra)
