"""Fill-mask figures: the top-k predictions at a mask as bars, one model or several side by side."""
from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import (OKABE_ITO, TITLE_LINE_EM, base_layout, empty_figure, escape_label, fit_title, font_size,
                    style_figure, token_labels, with_piece)


# A chart of the Fill-mask page is a third of the content width (about 300 px, less on a narrow window): its title
# gets this many characters a line, at the title's font size (normal, large fonts). Plotly never wraps a title itself.
TITLE_CHARS, TITLE_CHARS_LARGE = 24, 20


def _sorted_predictions(predictions: Sequence[tuple]) -> list[tuple[str, float, str]]:
    """(label, probability, raw piece), most probable first.

    Items are (label, probability, raw piece), e.g. from `Prediction.text / .score / .token`, or
    (raw piece, probability), whose labels are then cleaned here (`token_labels`)."""
    items = list(predictions)
    if items and all(len(item) == 2 for item in items):
        labels = token_labels([t for t, _ in items])
        items = [(label, p, str(t)) for label, (t, p) in zip(labels, items)]
    return sorted(((str(t), float(p), str(raw)) for t, p, raw in items), key=lambda tp: -tp[1])


def _bar_trace(predictions: list[tuple[str, float, str]], color: str, name: str = "", note: str = "") -> go.Bar:
    """Horizontal bars at numeric positions 0..k-1, so duplicate token strings stay separate bars; `note` (escaped
    text) ends every hover."""
    return go.Bar(
        x=[p for _, p, _ in predictions],
        y=list(range(len(predictions))),
        orientation="h",
        marker_color=color,
        text=[f"{p:.1%}" for _, p, _ in predictions],
        textposition="auto",
        customdata=[with_piece(t, raw) for t, _, raw in predictions],
        hovertemplate="%{customdata}: %{x:.2%}" + (f"<br>{note}" if note else "") + "<extra></extra>",
        name=name,
        showlegend=False,
    )


def probability_axis_max(values: Sequence[float]) -> float:
    """Upper end of a probability axis: room for the largest bar and its label, never above 1."""
    top = max(values, default=0.0)
    return min(1.0, max(0.05, 1.3 * top))


def _y_ticks(predictions: list[tuple[str, float, str]], rows: int) -> dict:
    """Token tick labels; a fixed reversed range (first on top) keeps bar heights equal across subplots."""
    return dict(tickmode="array", tickvals=list(range(len(predictions))),
                ticktext=[escape_label(t) for t, _, _ in predictions], range=[rows - 0.5, -0.5])


def _x_range(predictions: list[tuple[str, float, str]], x_max: float | None = None) -> dict:
    """The x axis stops a little past the largest probability so small probabilities stay visible."""
    if x_max is None:
        x_max = probability_axis_max([p for _, p, _ in predictions])
    return dict(range=[0, x_max], tickformat=".0%" if x_max >= 0.1 else ".1%")


def _bar_axes(fig: go.Figure, predictions: list[tuple[str, float, str]], rows: int, row=None, col=None,
              x_max: float | None = None) -> None:
    """`_y_ticks` and `_x_range` on one subplot of `fig`."""
    fig.update_yaxes(**_y_ticks(predictions, rows), row=row, col=col)
    fig.update_xaxes(**_x_range(predictions, x_max), row=row, col=col)


def topk_bar(predictions: list[tuple], title: str = "", large: bool = False, axis_title: str = "probability",
             empty_text: str = "no predictions") -> go.Figure:
    """Top-k predictions as horizontal bars, most probable on top, probabilities as percentages.

    Items are (label, probability, raw piece) or (raw piece, probability); the hover shows the raw piece.
    The title is wrapped to fit a third of the page (`fit_title`); when a word had to be shortened, every bar's
    hover gives the full title. `axis_title` and `empty_text` are the figure's only words besides the title
    (the app passes them in its interface language)."""
    preds = _sorted_predictions(predictions)
    lines, shortened = fit_title(title, TITLE_CHARS_LARGE if large else TITLE_CHARS)
    shown = "<br>".join(escape_label(line) for line in lines)
    if not preds:
        return empty_figure(empty_text, shown, large)
    extra = 0
    if len(lines) > 1:  # room above the plot for every line, the first at the top of the figure
        line_px = TITLE_LINE_EM * (font_size(large) + 4)
        extra = round(line_px * (len(lines) - 1))
    layout = base_layout(shown, large, height=max(250, (34 if large else 26) * len(preds) + 110) + extra,
                         yaxis=_y_ticks(preds, len(preds)), xaxis=dict(_x_range(preds), title=dict(text=axis_title)))
    if extra:  # the first line at the top (plotly sets a wrapped title a little high: a pad of about a line)
        layout["margin"]["t"] += extra
        layout["title"].update(yref="container", y=1, yanchor="top", pad=dict(t=font_size(large) + 8))
    trace = _bar_trace(preds, OKABE_ITO[4], note=html.escape(title, quote=False) if shortened else "")
    return go.Figure(data=[trace], layout=layout)  # in one go: see `base_layout`


def topk_compare(per_model: dict[str, list[tuple]], title: str = "", large: bool = False,
                 empty_text: str = "no models") -> go.Figure:
    """Top-k bars of several models side by side, one subplot per model (titled by its name), same x range."""
    if not per_model:
        return empty_figure(empty_text, title, large)
    names = list(per_model)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[escape_label(n) for n in names],
                        horizontal_spacing=min(0.2, 0.6 / len(names)))
    all_preds = [_sorted_predictions(per_model[name]) for name in names]
    longest = max(1, *(len(p) for p in all_preds))
    x_max = probability_axis_max([p for preds in all_preds for _, p, _ in preds])  # one scale for every model
    for k, (name, preds) in enumerate(zip(names, all_preds)):
        fig.add_trace(_bar_trace(preds, OKABE_ITO[(4 + k) % len(OKABE_ITO)], name=name), row=1, col=k + 1)
        _bar_axes(fig, preds, longest, row=1, col=k + 1, x_max=x_max)
    fig.update_annotations(font_size=font_size(large))
    fig = style_figure(fig, title, large, height=max(250, (34 if large else 26) * longest + 130))
    if title:
        fig.update_layout(margin_t=90 if large else 80)
    return fig
