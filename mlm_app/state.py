"""Per-user state shared by the pages, mirrored in the URL so a teacher can share a link."""
from __future__ import annotations

import streamlit as st

from mlm_core.fast_modes import PRECISIONS

DEFAULT_TEXT = "I went to the bank to deposit money."
EXAMPLES = [
    "I went to the bank to deposit money.",
    "The river bank was muddy after the rain.",
    "The quick brown fox jumps over the lazy dog.",
    "He sat on the [MASK] of the river.",
    "Paris is the capital of [MASK].",
    "She played the piano while he [MASK] the song.",
]


def init_state() -> None:
    """Read the URL once per session: ?model=...&text=...&masks=3,5&large=1&precision=int8"""
    if st.session_state.get("_state_ready"):
        return
    params = st.query_params
    st.session_state.setdefault("model_name", params.get("model", "bundled"))
    st.session_state.setdefault("text", params.get("text", DEFAULT_TEXT))
    masks = params.get("masks", "")
    st.session_state.setdefault("masked_words", [int(x) for x in masks.split(",") if x.strip().isdigit()])
    st.session_state.setdefault("large_fonts", params.get("large", "0") == "1")
    precision = params.get("precision", "fp32")
    st.session_state.setdefault("precision", precision if precision in PRECISIONS else "fp32")
    st.session_state["_state_ready"] = True


def sync_url() -> None:
    """Write the current model, sentence and masks into the query parameters."""
    wanted = {"model": st.session_state.get("model_name", "bundled"), "text": st.session_state.get("text", "")}
    masks = st.session_state.get("masked_words") or []
    if masks:
        wanted["masks"] = ",".join(str(m) for m in sorted(masks))
    if st.session_state.get("large_fonts"):
        wanted["large"] = "1"
    if st.session_state.get("precision", "fp32") != "fp32":
        wanted["precision"] = st.session_state["precision"]
    current = {k: st.query_params.get(k) for k in ("model", "text", "masks", "large", "precision")}
    if {k: v for k, v in current.items() if v is not None} != wanted:
        st.query_params.from_dict(wanted)


def set_text(text: str) -> None:
    """A new sentence clears the masks chosen for the old one."""
    if text != st.session_state.get("text"):
        st.session_state["text"] = text
        st.session_state["masked_words"] = []


def large() -> bool:
    return bool(st.session_state.get("large_fonts"))
