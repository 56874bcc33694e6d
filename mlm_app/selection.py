"""Selections a user makes in a figure or among chips, read the same way on every page.

* `selected_points`: the points of a plotly selection event (`st.plotly_chart(..., on_select="rerun")`), or [].
* `new_point`: the first selected point only the first time it is seen, so a selection acts once (opening a head
  from the model view) and clicking the same point again after clearing works.
* `point_row`: the row a selected point stands for, read from its customdata.
* `keep_valid`: a chip (pills / multiselect) selection kept to the options that still exist, written to the
  widget's key before it is drawn.
"""
from __future__ import annotations

from typing import Any

import streamlit as st


def selected_points(event: Any) -> list[dict]:
    """The selected points of a plotly chart's selection state; [] when there is none (or it is malformed)."""
    try:
        points = event["selection"]["points"] if event else []
    except (KeyError, TypeError):
        return []
    return list(points or [])


def new_point(event: Any, seen_key: str) -> dict | None:
    """The first selected point when it differs from the one handled last (kept under `seen_key`), else None."""
    points = selected_points(event)
    if not points:
        st.session_state.pop(seen_key, None)  # so selecting the same point again works
        return None
    point = points[0]
    signature = (point.get("curve_number"), point.get("point_index"), point.get("point_number"))
    if st.session_state.get(seen_key) == signature:
        return None
    st.session_state[seen_key] = signature
    return point


def point_row(event: Any, n_rows: int) -> int | None:
    """The row (customdata, or its first item) of the first selected point that names one in range."""
    for point in selected_points(event):
        data = point.get("customdata")
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        try:
            row = int(data)
        except (TypeError, ValueError):
            continue
        if 0 <= row < n_rows:
            return row
    return None


def keep_valid(widget_key: str, chosen, options) -> list:
    """`chosen` without the values that are no longer `options`, set as the widget's selection; returns it."""
    valid = [c for c in (chosen or []) if c in options]
    if st.session_state.get(widget_key) != valid:
        st.session_state[widget_key] = valid
    return valid
