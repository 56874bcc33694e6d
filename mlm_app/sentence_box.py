"""The sentence every page shares: one text box helper for the Fill-mask, Attention and Masking pages.

The sentence lives under the session's "text" (mirrored in the URL, see `state`); each page draws its own box
(`key`), seeded from it on every run and copied back on every edit (`state.set_text`, which also clears the
masks chosen for the old sentence). In classroom mode the Fill-mask page shows the sentence with blanks instead,
in a box that cannot be edited (`shown_as`).

The models read English: where the interface language is not English, a note under the box says so
(`common.models_speak_english`, empty in English).
"""
from __future__ import annotations

import streamlit as st

from .i18n import t
from .state import set_text


def shared_text() -> str:
    return st.session_state.get("text", "")


def _copy_text(key: str) -> None:
    set_text(st.session_state[key])


def _pick_example(key: str) -> None:
    choice = st.session_state.get(key)
    if choice:
        set_text(choice)
    st.session_state[key] = None


def example_picker(key: str, examples: list[str]) -> None:
    """A selectbox of example sentences; picking one makes it the shared sentence."""
    st.selectbox(t("sentence.examples"), examples, index=None, key=key, on_change=_pick_example, args=(key,),
                 placeholder=t("sentence.examples_placeholder"))


def english_note() -> None:
    """Under a box where a sentence is typed: the models read English (said only in other interface languages)."""
    note = t("common.models_speak_english")
    if note:
        st.caption(note)


def sentence_box(key: str, label: str | None = None, *, multiline: bool = False,
                 height: int | None = None, help: str | None = None, shown_as: str | None = None,
                 shown_help: str | None = None) -> str:
    """Draw the page's box for the shared sentence and return the sentence.

    With `shown_as`, the box shows that text instead (the sentence with its hidden words blanked) and cannot be
    edited; the sentence itself is unchanged. `label` defaults to "Sentence (shared with the other pages)"."""
    box = st.text_area if multiline else st.text_input
    label = label or t("sentence.label")
    size = {"height": height} if multiline and height else {}
    if shown_as is not None:
        st.session_state[f"{key}_shown"] = shown_as
        box(label, key=f"{key}_shown", disabled=True, help=shown_help, **size)
        return shared_text()
    if st.session_state.get(key) != shared_text():
        st.session_state[key] = shared_text()
    box(label, key=key, on_change=_copy_text, args=(key,), help=help, **size)
    english_note()
    return shared_text()
