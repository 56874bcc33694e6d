"""Reading what an AppTest run drew: plotly arrays from the figure JSON, and tables by column."""
from __future__ import annotations

import base64

import numpy as np


def plotly_array(data) -> np.ndarray:
    """A plotly array from the figure JSON: a list, or plotly's typed array ({'dtype', 'bdata', 'shape'})."""
    if isinstance(data, dict) and "bdata" in data:
        values = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        return values.reshape([int(n) for n in str(data["shape"]).split(",")]) if "shape" in data else values
    return np.asarray(data, dtype=float)


def table_with(at, column: str):
    """The first table shown with this column (AppTest gives dataframes no key)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a '{column}' column (tables: {[list(d.value.columns) for d in at.dataframe]})")


def open_app_page(page: str, timeout: int = 240, **params):
    """A fresh AppTest session started at the home page (as a browser is) with these query parameters, then
    switched to `page`; fails on any exception."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at, label: str, key: str = "attn_tab"):
    """Open a lazy tab (`st.tabs(..., key=key, on_change="rerun")`) as a click on it does, and rerun: only the open
    tab's content runs. Fails on any exception."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
