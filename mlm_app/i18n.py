"""The interface language: `t(key)` for every string a page shows, the language switch, and error messages in the
chosen language. The strings themselves live in `strings/` (one folder per language).

The language is a display option (`state.OPTIONS["lang"]`): kept across pages and carried in the shared link as
`?lang=ko`. The models stay English whatever the interface language.
"""
from __future__ import annotations

import re
from functools import lru_cache

import streamlit as st

from .state import bind_widget, persistent
from .strings import DEFAULT_LANGUAGE, LANGUAGES, error_patterns, table


_last_run_language = [DEFAULT_LANGUAGE]  # see `lang`


def lang() -> str:
    """The session's language. Outside a script run (streamlit.testing calls a widget's format_func between runs,
    where there is no session) it is the language of the last run; a served page always runs inside one."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return _last_run_language[0]
    value = persistent("lang")
    value = value if value in LANGUAGES else DEFAULT_LANGUAGE
    _last_run_language[0] = value
    return value


def text_in(language: str, key: str, **values) -> str:
    """The string `key` in `language`, English where that language lacks it, the key itself where both do."""
    template = table(language).get(key)
    if template is None:
        template = table(DEFAULT_LANGUAGE).get(key, key)
    return template.format(**values) if values else template


def t(key: str, **values) -> str:
    """The string `key` in the session's language, filled with `values` (str.format)."""
    return text_in(lang(), key, **values)


@lru_cache(maxsize=None)
def _compiled(language: str) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(p, re.DOTALL), template) for p, template in error_patterns(language)]


def message_in(language: str, message: str) -> str:
    """A core message (English, complete sentences) in `language`: each sentence that a pattern of that language
    matches is replaced by its template; the rest stays as written (the models and the core speak English)."""
    if language == DEFAULT_LANGUAGE or not message:
        return message
    out = message
    for pattern, template in _compiled(language):
        out = pattern.sub(lambda m: template.format(**m.groupdict()), out)
    return out


def error_text(err: BaseException | str) -> str:
    """An error (or message) from the core, in the session's language."""
    return message_in(lang(), str(err))


def language_switch() -> None:
    """English / 한국어, at the top of the sidebar; part of the shared link."""
    st.radio("Language · 언어", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True,
             **bind_widget("lang"))


def label_words():
    """The words of the core's labels (chart titles, slots, blanks, target methods) in the session's language."""
    from mlm_core.inference.fill_mask_post import LabelWords

    return LabelWords(**{name: t(f"fill_mask.label_{name}") for name in LabelWords.__dataclass_fields__})
