"""The sidebar shared by every page: model picker, model card, display options.

Every name it loads goes through `get_model`, which keeps 'trained:' names inside the app's models directory and
obeys MLM_EXPLORER_ALLOW_LOCAL_PATHS for typed names (the "A local directory…" choice is only offered when allowed).
"""
from __future__ import annotations

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.model.loading import WELL_KNOWN_MODELS, LoadedModel, local_directory, local_paths_allowed
from mlm_core.model.precision import PRECISIONS, bf16_supported

from .i18n import error_text, t
from .models import (TRAINED_PREFIX, get_model, model_key, needs_network, offline_message, split_key,
                     trained_models)
from .owner import keep_owner_in_url, owner_id
from .state import bind_widget, init_state, set_persistent, sync_url
from .state import precision as chosen_precision

# The picker's two entries that open a text box: these values are kept (in the session, in tests), their labels
# are translated (`model_label`).
OTHER_HUB = "Another hub id…"
LOCAL_DIR = "A local directory…"
CHOICE_KEYS = {OTHER_HUB: "sidebar.other_hub", LOCAL_DIR: "sidebar.local_dir"}


def model_label(option: str) -> str:
    """How a model (or a picker entry) is named to the user, in the session's language."""
    name, precision = split_key(option)
    if precision != "fp32":
        return f"{model_label(name)} · {precision}"
    if option == "bundled":
        return t("sidebar.bundled")
    if option.startswith(TRAINED_PREFIX):
        return t("sidebar.trained", name=option[len(TRAINED_PREFIX):])
    return t(CHOICE_KEYS[option]) if option in CHOICE_KEYS else option


def picker_label(option: str) -> str:
    """`model_label`, with the hub models that cannot load now (offline, not downloaded) marked as such."""
    label = model_label(option)
    if option in WELL_KNOWN_MODELS and needs_network(option):
        label += t("sidebar.needs_network")
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
        st.session_state["model_error"] = (name, None)
        return
    try:
        with st.spinner(t("sidebar.loading", name=name)):
            get_model(name)
    except MLMError as err:
        st.session_state["model_error"] = (name, str(err))
        return
    st.session_state["model_name"] = name
    st.session_state.pop("model_error", None)


def _switch_error() -> str | None:
    """Why the last switch failed, in the language shown now (kept as the name and the core's English message)."""
    failed = st.session_state.get("model_error")
    if not failed:
        return None
    name, reason = failed
    reason = offline_message(name) if reason is None else error_text(reason)
    return t("sidebar.could_not_switch", name=name, reason=reason)


def render_sidebar() -> LoadedModel:
    """Draw the picker and return the active model (the previous one stays if a new one fails)."""
    owner_id()  # this browser's identity: read from the URL before anything rewrites it, created once
    init_state()
    with st.sidebar:
        st.markdown(f"### {t('sidebar.model')}")
        options = model_options()
        active = st.session_state.get("model_name", "bundled")
        index = picker_index(options, active)
        # named now, in this run's language: AppTest formats later, outside the run (and may pass a label back)
        labels = {o: picker_label(o) for o in options}
        choice = st.selectbox(t("sidebar.picker"), options, index=index, format_func=lambda o: labels.get(o, o),
                              key="model_choice")
        if any(needs_network(o) for o in WELL_KNOWN_MODELS):
            st.caption(t("sidebar.hub_offline"))
        if choice == OTHER_HUB:
            typed = st.text_input(t("sidebar.hub_id"),
                                  value="" if active in options or _is_local_dir(active) else active,
                                  placeholder=t("sidebar.hub_placeholder"))
            if st.button(t("sidebar.load"), key="load_hub"):
                _try_switch(typed)
        elif choice == LOCAL_DIR:
            typed = st.text_input(t("sidebar.directory"), value=active if _is_local_dir(active) else "",
                                  placeholder=t("sidebar.directory_placeholder"))
            if st.button(t("sidebar.load"), key="load_dir"):
                _try_switch(typed)
        else:
            _try_switch(choice)
        if error := _switch_error():
            st.error(error)
        try:
            name = st.session_state.get("model_name", "bundled")
            get_model(name)
        except MLMError as err:
            st.error(t("sidebar.fallback", reason=error_text(err)))
            st.session_state["model_name"] = name = "bundled"
        lm = _with_precision(name)
        info = lm.info
        st.caption(t("sidebar.card", label=model_label(name), family=info.family, layers=info.layers, heads=info.heads,
                     hidden=info.hidden, parameters=info.parameters / 1e6, vocab=info.vocab_size,
                     mask=info.mask_token, max_tokens=info.max_tokens))
        _precision_picker()
        st.toggle(t("sidebar.large_fonts"), help=t("sidebar.large_fonts_help"), **bind_widget("large_fonts"))
    sync_url()
    keep_owner_in_url()  # sync_url may have rewritten the query string without it
    return lm


def _precision_picker() -> None:
    """fp32 (exact) by default; bf16 and int8 are opt-in faster copies, used by every page until switched back."""
    choices = "; ".join(f"{p}: {t('sidebar.precision_' + p)}" for p in PRECISIONS)
    st.radio(t("sidebar.precision"), PRECISIONS, horizontal=True, help=t("sidebar.precision_help", choices=choices),
             **bind_widget("precision"))
    precision = chosen_precision()
    if precision != "fp32":
        note = t("sidebar.precision_note", precision=precision, help=t("sidebar.precision_" + precision))
        if precision == "bf16" and not bf16_supported():
            note += t("sidebar.no_native_bf16")
        st.caption(note)


def _with_precision(name: str) -> LoadedModel:
    """The active model at the chosen precision (its faster copy is made once per server and cached)."""
    precision = chosen_precision()
    if precision == "fp32":
        return get_model(name)
    try:
        with st.spinner(t("sidebar.preparing_copy", precision=precision, label=model_label(name))):
            return get_model(model_key(name, precision))
    except Exception as err:  # noqa: BLE001 - an unusual model must not take the app down; fp32 always works
        st.error(t("sidebar.copy_failed", precision=precision, label=model_label(name), reason=error_text(err)))
        set_persistent("precision", "fp32")  # the precision radio, drawn after this, shows it
        return get_model(name)
