"""The interface strings: every key in both languages, the same placeholders, Korean that is Korean, and the core's
common error messages turned into Korean by the patterns (checked on real messages from the core)."""
import re
import string

import pytest

from mlm_app.i18n import message_in, text_in
from mlm_app.strings import LANGUAGES, error_patterns, table
from mlm_app.strings.ko import common as ko_common

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_exists_in_both_languages():
    en, ko = set(table("en")), set(table("ko"))
    assert en - ko == set(), f"keys missing from Korean: {sorted(en - ko)}"
    assert ko - en == set(), f"keys missing from English: {sorted(ko - en)}"
    assert len(en) > 20


@pytest.mark.parametrize("key", sorted(table("en")))
def test_placeholders_match(key):
    assert _fields(table("en")[key]) == _fields(table("ko").get(key, table("en")[key])), key


def test_korean_strings_are_korean():
    ko, en = table("ko"), table("en")
    untranslated = [k for k, v in ko.items() if v and not HANGUL.search(v) and k not in ko_common.UNTRANSLATED]
    assert untranslated == [], f"Korean values without Hangul: {untranslated[:10]}"
    same = [k for k in ko_common.UNTRANSLATED if k in en and ko[k] != en[k]]
    assert same == [], f"listed as untranslated but different: {same}"


def test_missing_key_falls_back_to_english():
    en = table("en")
    en["common.only_in_english_for_this_test"] = "Only {what}"
    try:
        assert text_in("ko", "common.only_in_english_for_this_test", what="English") == "Only English"
    finally:
        del en["common.only_in_english_for_this_test"]
    assert text_in("ko", "common.no_such_key_anywhere") == "common.no_such_key_anywhere"


def test_error_patterns_compile_and_fill():
    pairs = error_patterns("ko")
    assert pairs
    for pattern, template in pairs:
        compiled = re.compile(pattern)
        assert _fields(template) <= set(compiled.groupindex), (pattern, template)
        assert HANGUL.search(template), template


def test_language_names():
    assert LANGUAGES == {"en": "English", "ko": "한국어"}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_bold_marks_close_in_every_string(language):
    """CommonMark (Streamlit's markdown) leaves `**15%**를` as literal asterisks: a closing ** after punctuation must
    be followed by a space or punctuation, so a Korean particle goes inside the bold (`**15%를**`)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    broken = [k for k, v in table(language).items() if "**" in md.render(v.replace("{", "").replace("}", ""))]
    assert broken == [], broken
