"""The sidebar shared by every page: model picker, model card, display options.

Every name it loads goes through `get_model`, which keeps 'trained:' names inside the app's models directory and
obeys MLM_EXPLORER_ALLOW_LOCAL_PATHS for typed names (the "A local directory…" choice is only offered when allowed).
"""
from __future__ import annotations

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.model.loading import WELL_KNOWN_MODELS, LoadedModel, local_directory, local_paths_allowed
from mlm_core.model.precision import PRECISION_HELP, PRECISIONS, bf16_supported

from .models import (TRAINED_PREFIX, get_model, model_key, needs_network, offline_message, split_key,
                     trained_models)
from .owner import keep_owner_in_url, owner_id
from .state import bind_widget, init_state, set_persistent, sync_url
from .state import precision as chosen_precision

OTHER_HUB = "Another hub id…"
LOCAL_DIR = "A local directory…"
OFFLINE_MARK = " · needs the network (not downloaded)"


def model_label(option: str) -> str:
    name, precision = split_key(option)
    if precision != "fp32":
        return f"{model_label(name)} · {precision}"
    if option == "bundled":
        return "bundled (offline default)"
    if option.startswith(TRAINED_PREFIX):
        return f"trained here: {option[len(TRAINED_PREFIX):]}"
    return option


def picker_label(option: str) -> str:
    """`model_label`, with the hub models that cannot load now (offline, not downloaded) marked as such."""
    label = model_label(option)
    if option in WELL_KNOWN_MODELS and needs_network(option):
        label += OFFLINE_MARK
    return label


def _is_local_dir(name: str) -> bool:
    """Whether the model name is a local directory (not the bundled model, a trained one or a hub id)."""
    if name == "bundled" or name.startswith(TRAINED_PREFIX):
        return False
    try:
        return local_directory(name) is not None
    except MLMError:
        return False


def picker_index(options: list[str], active: str) -> int:
    """The picker entry of the active model: its own entry, "A local directory…" for a directory (when offered),
    else "Another hub id…"."""
    if active in options:
        return options.index(active)
    if LOCAL_DIR in options and _is_local_dir(active):
        return options.index(LOCAL_DIR)
    return options.index(OTHER_HUB)


def model_options() -> list[str]:
    options = ["bundled"] + [TRAINED_PREFIX + n for n in trained_models()] + WELL_KNOWN_MODELS + [OTHER_HUB]
    if local_paths_allowed():
        options.append(LOCAL_DIR)
    return options


def _try_switch(name: str) -> None:
    name = name.strip()
    if not name or name == st.session_state.get("model_name"):
        return
    if needs_network(name):  # said at once, instead of after a failed download attempt
        st.session_state["model_error"] = f"Could not switch to {name}: {offline_message(name)}"
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
    owner_id()  # this browser's identity: read from the URL before anything rewrites it, created once
    init_state()
    with st.sidebar:
        st.markdown("### Model")
        options = model_options()
        active = st.session_state.get("model_name", "bundled")
        index = picker_index(options, active)
        choice = st.selectbox("Masked language model", options, index=index, format_func=picker_label,
                              key="model_choice")
        if any(needs_network(o) for o in WELL_KNOWN_MODELS):
            st.caption("The Hugging Face hub cannot be reached (offline?): the hub models marked *needs the network* "
                       "are not downloaded and cannot load until it can. The bundled model works offline.")
        if choice == OTHER_HUB:
            typed = st.text_input("Hub id", value="" if active in options or _is_local_dir(active) else active,
                                  placeholder="e.g. bert-large-uncased")
            if st.button("Load", key="load_hub"):
                _try_switch(typed)
        elif choice == LOCAL_DIR:
            typed = st.text_input("Directory written by save_pretrained", value=active if _is_local_dir(active) else "",
                                  placeholder="/path/to/model")
            if st.button("Load", key="load_dir"):
                _try_switch(typed)
        else:
            _try_switch(choice)
        if st.session_state.get("model_error"):
            st.error(st.session_state["model_error"])
        try:
            name = st.session_state.get("model_name", "bundled")
            get_model(name)
        except MLMError as err:
            st.error(f"{err} Falling back to the bundled model.")
            st.session_state["model_name"] = name = "bundled"
        lm = _with_precision(name)
        info = lm.info
        st.caption(
            f"**{model_label(name)}** · family **{info.family}** · {info.layers} layers × {info.heads} heads · "
            f"hidden {info.hidden} · {info.parameters / 1e6:.1f} M parameters · vocabulary {info.vocab_size:,} · "
            f"mask token `{info.mask_token}` · up to {info.max_tokens} tokens"
        )
        _precision_picker()
        st.toggle("Large fonts (projector)", help="Larger text, headings and charts and the full width, for a projector. "
                  "It applies to every page and is part of the shared link.", **bind_widget("large_fonts"))
    sync_url()
    keep_owner_in_url()  # sync_url may have rewritten the query string without it
    return lm


def _precision_picker() -> None:
    """fp32 (exact) by default; bf16 and int8 are opt-in faster copies, used by every page until switched back."""
    st.radio("Precision", PRECISIONS, horizontal=True,
             help="; ".join(f"{p}: {h}" for p, h in PRECISION_HELP.items()) + ". It applies to every page and is part "
                  "of the shared link. Training always uses its own settings.", **bind_widget("precision"))
    precision = chosen_precision()
    if precision != "fp32":
        note = (f"{precision}: {PRECISION_HELP[precision]}. Probabilities can differ from fp32, int8's more than bf16's: "
                "the Fill-mask page can compare the two side by side.")
        if precision == "bf16" and not bf16_supported():
            note += " This CPU has no native bf16, so bf16 may be slower here; int8 is the faster choice."
        st.caption(note)


def _with_precision(name: str) -> LoadedModel:
    """The active model at the chosen precision (its faster copy is made once per server and cached)."""
    precision = chosen_precision()
    if precision == "fp32":
        return get_model(name)
    try:
        with st.spinner(f"Preparing the {precision} copy of {model_label(name)}…"):
            return get_model(model_key(name, precision))
    except Exception as err:  # noqa: BLE001 - an unusual model must not take the app down; fp32 always works
        st.error(f"Could not make a {precision} copy of {model_label(name)} ({err}); using fp32.")
        set_persistent("precision", "fp32")  # the precision radio, drawn after this, shows it
        return get_model(name)
