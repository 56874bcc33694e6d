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
