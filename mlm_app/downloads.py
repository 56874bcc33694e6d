"""Download buttons for figures (PNG, interactive HTML) and data (CSV, JSON), labelled in the session's language."""
from __future__ import annotations

import io
import json
from typing import Callable

import pandas as pd
import streamlit as st

from mlm_core.viz.export import figure_to_html, figure_to_png

from .i18n import t


@st.cache_data(show_spinner=False, max_entries=64)
def _png(fig_json: str) -> bytes | None:
    import plotly.io as pio

    return figure_to_png(pio.from_json(fig_json))


def show_figure(fig, key: str, *, on_select=None, selection_mode=("points",)):
    """Plot a figure with PNG and HTML download buttons under it; returns the selection state if asked."""
    event = st.plotly_chart(fig, key=key, on_select=on_select or "ignore", selection_mode=selection_mode,
                            config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}})
    with st.popover(t("train.download_figure"), icon=":material/download:"):
        st.download_button(t("train.html"), lambda: figure_to_html(fig),  # built only on click
                           file_name=f"{key}.html", mime="text/html",
                           key=f"{key}_html", help=t("train.html_help"))
        if st.button(t("train.render_png"), key=f"{key}_png_make"):
            with st.spinner(t("train.rendering")):
                png = _png(fig.to_json())
            if png is None:
                st.info(t("train.no_png"))
            else:
                st.download_button(t("train.save_png"), png, file_name=f"{key}.png", mime="image/png",
                                   key=f"{key}_png")
    return event


def _csv(records: list[dict]) -> str:
    buf = io.StringIO()
    pd.DataFrame(records).to_csv(buf, index=False)
    return buf.getvalue()


def data_downloads(records: list[dict] | Callable[[], list[dict]], key: str, label: str | None = None) -> None:
    """CSV and JSON buttons for flat records (or a function that makes them), built only when clicked: an
    attention matrix of a long text gives ~100k records, too many to build on every rerun of every session.
    `label` (already in the page's language) names the data on the buttons; "data" by default."""
    label = label or t("train.data")
    if not callable(records):
        if not records:
            return
        records = (lambda rows: lambda: rows)(records)
    cols = st.columns([1, 1, 4])
    cols[0].download_button(t("train.csv", label=label), lambda: _csv(records()), file_name=f"{key}.csv",
                            mime="text/csv", key=f"{key}_csv")
    cols[1].download_button(t("train.json", label=label), lambda: json.dumps(records(), indent=1),
                            file_name=f"{key}.json",
                            mime="application/json", key=f"{key}_json")
