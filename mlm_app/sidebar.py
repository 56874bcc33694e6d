"""The sidebar shared by every page: model picker, model card, display options."""
from __future__ import annotations

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.loading import WELL_KNOWN_MODELS, LoadedModel, local_paths_allowed

from .models import TRAINED_PREFIX, get_model, trained_models
from .state import init_state, sync_url

OTHER_HUB = "Another hub id…"
LOCAL_DIR = "A local directory…"


def _label(option: str) -> str:
    if option == "bundled":
        return "bundled (offline default)"
    if option.startswith(TRAINED_PREFIX):
        return f"trained here: {option[len(TRAINED_PREFIX):]}"
    return option


def model_options() -> list[str]:
    options = ["bundled"] + [TRAINED_PREFIX + n for n in trained_models()] + WELL_KNOWN_MODELS + [OTHER_HUB]
    if local_paths_allowed():
        options.append(LOCAL_DIR)
    return options


def _try_switch(name: str) -> None:
    name = name.strip()
    if not name or name == st.session_state.get("model_name"):
        return
    try:
        with st.spinner(f"Loading {name}…"):
            get_model(name)
    except MLMError as err:
        st.session_state["model_error"] = f"Could not switch to {name}: {err}"
        return
    st.session_state["model_name"] = name
    st.session_state.pop("model_error", None)


def render_sidebar() -> LoadedModel:
    """Draw the picker and return the active model (the previous one stays if a new one fails)."""
    init_state()
    with st.sidebar:
        st.markdown("### Model")
        options = model_options()
        active = st.session_state.get("model_name", "bundled")
        index = options.index(active) if active in options else options.index(OTHER_HUB)
        choice = st.selectbox("Masked language model", options, index=index, format_func=_label, key="model_choice")
        if choice == OTHER_HUB:
            typed = st.text_input("Hub id", value="" if active in options else active, placeholder="e.g. bert-large-uncased")
            if st.button("Load", key="load_hub"):
                _try_switch(typed)
        elif choice == LOCAL_DIR:
            typed = st.text_input("Directory written by save_pretrained", placeholder="/path/to/model")
            if st.button("Load", key="load_dir"):
                _try_switch(typed)
        else:
            _try_switch(choice)
        if st.session_state.get("model_error"):
            st.error(st.session_state["model_error"])
        try:
            lm = get_model(st.session_state.get("model_name", "bundled"))
        except MLMError as err:
            st.error(f"{err} Falling back to the bundled model.")
            st.session_state["model_name"] = "bundled"
            lm = get_model("bundled")
        info = lm.info
        st.caption(
            f"**{_label(lm.name)}** · family **{info.family}** · {info.layers} layers × {info.heads} heads · "
            f"hidden {info.hidden} · {info.parameters / 1e6:.1f} M parameters · vocabulary {info.vocab_size:,} · "
            f"mask token `{info.mask_token}` · up to {info.max_tokens} tokens"
        )
        st.toggle("Large fonts (projector)", key="large_fonts")
    sync_url()
    return lm
