"""Figures as files for the download buttons: standalone HTML (works offline) and PNG."""
from __future__ import annotations

import plotly.graph_objects as go


def figure_to_html(fig: go.Figure) -> str:
    """Standalone HTML page with plotly.js inlined, so the download works offline."""
    return fig.to_html(include_plotlyjs=True, full_html=True)


def figure_to_png(fig: go.Figure, scale: float = 2.0) -> bytes | None:
    """PNG bytes via kaleido, or None when static export is unavailable (no kaleido or no Chrome)."""
    try:
        return fig.to_image(format="png", scale=scale)
    except Exception:  # noqa: BLE001 - any export failure just means "no PNG button"
        return None
