"""The logit lens at each mask (nostalgebraist 2020), as a section of the Fill-mask page.

`lens_section(lm, analysis, top_k)` draws, for one mask of an analysed text, the layer × top-k chart of what the
model's own output head reads from the hidden state after every layer, and the rank and probability of the final
answer per layer. The lens is cached per (model, tokens, masks, k); the page's analysis is reused, so the lens
costs no extra encoder pass.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import Analysis
from mlm_core.inference.fill_mask_post import mask_label
from mlm_core.inference.lens import LogitLens, MaskLens, check_mask_index, logit_lens
from mlm_core.model.loading import LoadedModel
from mlm_core.viz import lens_figure

from .downloads import data_downloads, show_figure
from .i18n import error_text, label_words, t
from .models import get_model
from .state import large

MAX_LENS_K = 10  # columns of the lens chart; the page's top-k can be 20, too wide to read per layer
MASK_KEY = "lens_mask"


@st.cache_data(max_entries=128, show_spinner=False)
def cached_lens(model_name: str, token_ids: tuple[int, ...], positions: tuple[int, ...], top_k: int,
                _analysis: Analysis) -> LogitLens:
    """The lens of `_analysis` (the analysis of `token_ids` with masks at `positions` on `model_name`)."""
    return logit_lens(get_model(model_name), _analysis, top_k)


def known_from(mask: MaskLens) -> int | None:
    """The first layer from which the final answer stays at rank 1 up to the last layer (None: never before it)."""
    first = None
    for layer in mask.layers:
        if layer.final_rank == 1:
            first = layer.layer if first is None else first
        else:
            first = None
    return first


def lens_rows(mask: MaskLens) -> list[dict]:
    """One row per layer: the lens's top prediction and the final answer's rank and probability there (a table to
    read, named in the session's language; the downloads are `lens_records`)."""
    final = mask.final.text or mask.final.token
    rows = []
    for l in mask.layers:
        top = l.predictions[0] if l.predictions else None
        rows.append({t("lens.col_layer"): l.layer,
                     t("lens.col_layer_name"): t("lens.embeddings_layer") if l.layer == 0 else str(l.layer),
                     t("lens.col_top"): (top.text or top.token) if top else "",
                     t("lens.col_top_probability"): round(float(top.score), 6) if top else None,
                     t("lens.col_rank", answer=final): l.final_rank,
                     f"p('{final}')": round(float(l.final_score), 6)})
    return rows


def figure_texts() -> dict[str, str]:
    """The words of `mlm_core.viz.lens`'s figure, in the session's language."""
    return {name: t(f"lens.fig_{name}") for name in ("empty", "layer", "embeddings", "top", "rank", "probability",
                                                      "layer_axis")}


def lens_records(lens: LogitLens) -> list[dict]:
    """Flat records (mask, layer, rank, token, probability) for the downloads."""
    return [{"mask_index": m.index, "layer": l.layer, "rank": r, "token": p.text or p.token, "piece": p.token,
             "probability": round(float(p.score), 6), "final_answer": m.final.text or m.final.token,
             "final_rank": l.final_rank, "final_probability": round(l.final_score, 6)}
            for m in lens.masks for l in m.layers for r, p in enumerate(l.predictions, start=1)]


def _mask_label(analysis: Analysis, number: int, position: int) -> str:
    return mask_label(analysis, position, number + 1, label_words())


def guarded(what: str, compute):
    """`compute()`, or None after a warning naming `what` when the model cannot do it (never a traceback)."""
    try:
        return compute()
    except MLMError as err:
        st.warning(t("lens.unavailable", what=what, error=error_text(err)))
    except Exception as err:  # noqa: BLE001 - an unusual model must not take the page down
        st.warning(t("lens.unavailable_model", what=what, error=f"{type(err).__name__}: {err}"))
    return None


def lens_section(lm: LoadedModel, analysis: Analysis, top_k: int = 5, mask: int | None = None,
                 key: str = "lens", optional: bool = False) -> LogitLens | None:
    """The logit-lens section for `analysis` (which must have masks). `mask` (0-based, in text order) picks the
    mask to draw; None lets the reader choose. `optional`: drawn only once the reader switches it on (a toggle,
    as for comparing models), so a crowded page stays short. Returns the lens, or None when it was not drawn."""
    if optional and not st.toggle(t("lens.toggle"), key=f"{key}_on", help=t("lens.toggle_help")):
        return None
    st.subheader(t("lens.title"))
    st.markdown(t("lens.explain"))
    if not analysis.masks:
        st.info(t("lens.nothing_masked"))
        return None
    k = max(1, min(int(top_k), MAX_LENS_K))
    with st.spinner(t("lens.spinner")):
        lens = guarded(t("lens.what"), lambda: cached_lens(lm.name, tuple(analysis.token_ids),
                                                           tuple(analysis.mask_positions), k, analysis))
    if lens is None:
        return None
    numbers = list(range(len(lens.masks)))
    if mask is not None:
        try:
            check_mask_index(lens, mask)
        except MLMError as err:
            st.error(error_text(err))
            return lens
        number = mask
    elif len(numbers) == 1:
        number = 0
    else:
        widget = f"{key}_{MASK_KEY}"
        if st.session_state.get(widget) not in numbers:
            st.session_state[widget] = 0  # a mask of an earlier sentence that this one lacks
        number = st.selectbox(t("lens.pick_mask"), numbers, key=widget,
                              format_func=lambda j: _mask_label(analysis, j, lens.masks[j].index))
    m = lens.masks[number]
    final = m.final.text or m.final.token
    layers = [l.layer for l in m.layers]
    fig = lens_figure(layers, [[p.text or p.token for p in l.predictions] for l in m.layers],
                      [[p.score for p in l.predictions] for l in m.layers], [l.final_score for l in m.layers],
                      [l.final_rank for l in m.layers], final, large=large(), texts=figure_texts(),
                      title=t("lens.figure_title", mask=_mask_label(analysis, number, m.index)))
    show_figure(fig, key=f"{key}_figure_{number}")
    first = known_from(m)
    n_top = layers[-1]
    if first is None or first == n_top:
        st.caption(t("lens.known_last", answer=final, top=n_top))
    else:
        st.caption(t("lens.known_from", answer=final, first=first, top=n_top))
    with st.expander(t("lens.table")):
        st.dataframe(pd.DataFrame(lens_rows(m)), hide_index=True, width="stretch", key=f"{key}_table_{number}")
    st.caption(t("lens.note"))
    data_downloads(lens_records(lens), key=f"{key}_records", label=t("lens.download"))
    return lens
