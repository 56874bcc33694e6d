"""Download buttons for figures (PNG, interactive HTML) and data (CSV, JSON)."""
from __future__ import annotations

import io
import json
from typing import Callable

import pandas as pd
import streamlit as st

from mlm_core.viz.export import figure_to_html, figure_to_png


@st.cache_data(show_spinner=False, max_entries=64)
def _png(fig_json: str) -> bytes | None:
    import plotly.io as pio

    return figure_to_png(pio.from_json(fig_json))


def show_figure(fig, key: str, *, on_select=None, selection_mode=("points",)):
    """Plot a figure with PNG and HTML download buttons under it; returns the selection state if asked."""
    event = st.plotly_chart(fig, key=key, on_select=on_select or "ignore", selection_mode=selection_mode,
                            config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}})
    with st.popover("Download figure", icon=":material/download:"):
        st.download_button("Interactive HTML", lambda: figure_to_html(fig),  # built only on click
                           file_name=f"{key}.html", mime="text/html",
                           key=f"{key}_html", help="Interactive figure as a standalone web page")
        if st.button("Render PNG", key=f"{key}_png_make"):
            with st.spinner("Rendering…"):
                png = _png(fig.to_json())
            if png is None:
                st.info("PNG export is unavailable here; use the camera icon on the figure instead.")
            else:
                st.download_button("Save PNG", png, file_name=f"{key}.png", mime="image/png", key=f"{key}_png")
    return event


def _csv(records: list[dict]) -> str:
    buf = io.StringIO()
    pd.DataFrame(records).to_csv(buf, index=False)
    return buf.getvalue()


def data_downloads(records: list[dict] | Callable[[], list[dict]], key: str, label: str = "data") -> None:
    """CSV and JSON buttons for flat records (or a function that makes them), built only when clicked: an
    attention matrix of a long text gives ~100k records, too many to build on every rerun of every session."""
    if not callable(records):
        if not records:
            return
        records = (lambda rows: lambda: rows)(records)
    cols = st.columns([1, 1, 4])
    cols[0].download_button(f"{label} CSV", lambda: _csv(records()), file_name=f"{key}.csv", mime="text/csv",
                            key=f"{key}_csv")
    cols[1].download_button(f"{label} JSON", lambda: json.dumps(records(), indent=1), file_name=f"{key}.json",
                            mime="application/json", key=f"{key}_json")
