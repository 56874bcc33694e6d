"""Per-user state shared by the pages, mirrored in the URL so a teacher can share a link.

Two kinds of state live here:

- the sentence, its masks and the model (`init_state`, `set_text`, `sync_url`);
- display options that every page keeps (`OPTIONS`: large fonts, precision, classroom mode, top-k).

Streamlit deletes the session state of a widget's key on every run of a page that does not draw that widget, and a
widget drawn on another page is another widget (its id includes the page), so a value kept only under a widget's
key is lost when the user follows a link. Each option's value is therefore kept under a key no widget uses
(`persistent`), and the widget that edits it re-seeds its own key from that value each time it is drawn
(`bind_widget`, which also copies every edit back):

    top_k = st.slider("Predictions per mask (top-k)", 1, 20, **bind_widget("top_k"))
    if persistent("classroom"): ...

The same two helpers work for a page's own widgets (`persistent("poly_layer_value", 4)`, `bind_widget(name,
widget_key=...)`). Every option is written to the URL when it differs from its default (`sync_url`) and read from it
once per session (`init_state`), so a shared link carries it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st


DEFAULT_TEXT = "I went to the bank to deposit money."
EXAMPLES = [
    "I went to the bank to deposit money.",
    "The river bank was muddy after the rain.",
    "The quick brown fox jumps over the lazy dog.",
    "He sat on the [MASK] of the river.",
    "Paris is the capital of [MASK].",
    "She played the piano while he [MASK] the song.",
]
LESSON_STEPS_MAX = 20  # the highest lesson step a URL may ask for (the Lesson page clamps to its own count)
TOP_K_RANGE = (1, 20)  # the Fill-mask slider's range; a URL value outside it is ignored


def _flag(text: str) -> bool | None:
    return {"1": True, "0": False, "true": True, "false": False}.get(text.strip().lower())


def _precision(text: str) -> str | None:
    from mlm_core.model.precision import PRECISIONS

    return text if text in PRECISIONS else None


def _int_between(low: int, high: int) -> Callable[[str], int | None]:
    """A URL parser of whole numbers from low to high (None for anything else)."""
    def parse(text: str) -> int | None:
        try:
            value = int(text)
        except ValueError:
            return None
        return value if low <= value <= high else None
    return parse


def _language(text: str) -> str | None:
    from .strings import LANGUAGES

    return text if text in LANGUAGES else None


def _write_flag(value: Any) -> str:
    return "1" if value else "0"


@dataclass(frozen=True)
class Option:
    """A display option kept across pages and carried in the URL."""

    store: str  # the session-state key of the value: never a widget's key, so it survives page switches
    widget: str  # the key of the widget that edits it (Streamlit deletes this one on pages that do not draw it)
    param: str  # the URL query parameter
    default: Any
    parse: Callable[[str], Any]  # URL text -> value, or None when the text is not valid
    write: Callable[[Any], str] = str  # value -> URL text


OPTIONS: dict[str, Option] = {
    "large_fonts": Option("large_fonts", "large_fonts_toggle", "large", False, _flag, _write_flag),
    "precision": Option("precision_choice", "precision", "precision", "fp32", _precision),
    # "fm_classroom" and "top_k" are the keys the Fill-mask page has always kept these values under
    "classroom": Option("fm_classroom", "fm_classroom_toggle", "classroom", False, _flag, _write_flag),
    "top_k": Option("top_k", "fm_top_k", "top_k", 10, _int_between(*TOP_K_RANGE)),
    "lang": Option("lang", "lang_switch", "lang", "en", _language),
    "lesson_step": Option("lesson_step", "lesson_step_widget", "step", 1, _int_between(1, LESSON_STEPS_MAX)),
}
URL_KEYS = ("model", "text", "masks", *(o.param for o in OPTIONS.values()), "owner")


def _store_key(key: str) -> str:
    return OPTIONS[key].store if key in OPTIONS else key


def persistent(key: str, default: Any = None) -> Any:
    """The value kept under `key` across reruns and pages (set to `default`, or the option's default, the first time).

    `key` is one of OPTIONS (e.g. "top_k", "classroom") or a page's own name; it must not be a widget's key.
    """
    if key in OPTIONS and default is None:
        default = OPTIONS[key].default
    return st.session_state.setdefault(_store_key(key), default)


def set_persistent(key: str, value: Any) -> None:
    """Change a kept value; a widget bound to it shows the new value the next time it is drawn."""
    st.session_state[_store_key(key)] = value


def _copy_edit(key: str, widget_key: str, then: Callable[[], None] | None) -> None:
    """on_change of a bound widget (runs before the script): keep the user's edit."""
    if widget_key in st.session_state:
        set_persistent(key, st.session_state[widget_key])
    if then is not None:
        then()


def bind_widget(key: str, widget_key: str | None = None, on_change: Callable[[], None] | None = None) -> dict:
    """Keyword arguments (key, on_change, args) for the widget that edits the kept value `key`.

    Call it in the widget's own call, so nothing can draw the widget in between:
    `st.toggle("Classroom mode", **bind_widget("classroom"))`. The widget's key is set to the kept value before
    the widget is drawn (so a widget drawn again after a page switch, or after a run that stopped before it, shows
    the value in use rather than its default), and each edit is copied back to the kept value. Do not also pass
    `value=`/`index=`/`default=` to the widget: the kept value is its value. `on_change` is called after the copy.
    """
    widget_key = widget_key or OPTIONS[key].widget
    st.session_state[widget_key] = persistent(key)
    return {"key": widget_key, "on_change": _copy_edit, "args": (key, widget_key, on_change)}


def init_state() -> None:
    """Read the URL once per session: ?model=...&text=...&masks=3,5&large=1&precision=int8&classroom=1&top_k=5"""
    if st.session_state.get("_state_ready"):
        return
    params = st.query_params
    st.session_state.setdefault("model_name", params.get("model", "bundled"))
    st.session_state.setdefault("text", params.get("text", DEFAULT_TEXT))
    masks = params.get("masks", "")
    st.session_state.setdefault("masked_words", [int(x) for x in masks.split(",") if x.strip().isdigit()])
    for key, option in OPTIONS.items():
        raw = params.get(option.param)
        value = option.parse(raw) if raw is not None else None
        persistent(key, option.default if value is None else value)
    st.session_state["_state_ready"] = True


def url_state() -> dict[str, str]:
    """The query parameters that describe this session's state (without the owner token)."""
    wanted = {"model": st.session_state.get("model_name", "bundled"), "text": st.session_state.get("text", "")}
    masks = st.session_state.get("masked_words") or []
    if masks:
        wanted["masks"] = ",".join(str(m) for m in sorted(masks))
    for key, option in OPTIONS.items():
        value = persistent(key)
        if value != option.default:
            wanted[option.param] = option.write(value)
    return wanted


def sync_url() -> None:
    """Write the current model, sentence, masks and display options into the query parameters."""
    wanted = url_state()
    owner = st.query_params.get("owner")
    if owner:
        wanted["owner"] = owner  # this browser's identity (mlm_app.owner) stays in its own address bar
    current = {k: st.query_params.get(k) for k in URL_KEYS}
    if {k: v for k, v in current.items() if v is not None} != wanted:
        st.query_params.from_dict(wanted)


def set_text(text: str) -> None:
    """A new sentence clears the masks chosen for the old one."""
    if text != st.session_state.get("text"):
        st.session_state["text"] = text
        st.session_state["masked_words"] = []


def large() -> bool:
    return bool(persistent("large_fonts"))


def precision() -> str:
    value = persistent("precision")
    from mlm_core.model.precision import PRECISIONS

    return value if value in PRECISIONS else "fp32"
