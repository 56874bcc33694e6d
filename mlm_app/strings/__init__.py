"""Every string of the interface, one folder per language: `en/` (English, the default and the fallback) and `ko/`
(Korean). Each folder holds one module per area of the app (`common`, `fill_mask`, `lesson`, ...) with a `STRINGS`
dict; every key starts with its module's name and a dot ("fill_mask.title"), so two areas cannot collide. A Korean
module may also hold `ERRORS`: (regular expression over the core's English message, Korean template) pairs, used
by `i18n.error_text`.

Values are `str.format` templates: "{n} tokens". A key missing from a language falls back to English.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"


def _modules(lang: str):
    package = importlib.import_module(f"{__name__}.{lang}")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        yield info.name, importlib.import_module(f"{package.__name__}.{info.name}")


@lru_cache(maxsize=None)
def table(lang: str) -> dict[str, str]:
    """All strings of one language, keyed "area.name"."""
    merged: dict[str, str] = {}
    for area, module in _modules(lang):
        for key, value in getattr(module, "STRINGS", {}).items():
            if not key.startswith(area + "."):
                raise KeyError(f"strings/{lang}/{area}.py holds '{key}', which does not start with '{area}.'")
            merged[key] = value
    return merged


@lru_cache(maxsize=None)
def error_patterns(lang: str) -> list[tuple[str, str]]:
    """The (pattern, template) pairs that turn the core's English error messages into this language."""
    pairs: list[tuple[str, str]] = []
    for _, module in _modules(lang):
        pairs.extend(getattr(module, "ERRORS", []))
    return pairs
