"""The Attention and Polysemy pages (with their research sections) in Korean (?lang=ko) and in English (the default),
driven with AppTest on the bundled model; and the Korean error patterns of the attention, heads, lens, scores,
polysemy and geometry areas on real messages from the core (each produced by calling the core with the bad input)."""
from __future__ import annotations

import json
import os
import re

os.environ["HF_HUB_OFFLINE"] = "1"

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from mlm_app.i18n import message_in, text_in  # noqa: E402
from mlm_core.errors import MLMError  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

from tests.app_helpers import open_app_page, open_tab  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _open(page: str, language: str | None) -> AppTest:
    """A fresh session on `page`, with `?lang=` when a language is given."""
    return open_app_page(page, 300, **({"lang": language} if language else {}))


def _charts(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def _title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def _tab_labels(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


# ---------------------------------------------------------------- the Attention page


def _check_attention(at: AppTest, lang: str) -> None:
    assert at.title[0].value == text_in(lang, "attention.title")
    assert any(box.value == text_in(lang, "attention.caveat") for box in at.info)
    assert at.selectbox(key="attn_layer").label == text_in(lang, "attention.layer")
    assert at.selectbox(key="attn_head").label == text_in(lang, "attention.head")
    assert at.checkbox(key="attn_hide").label == text_in(lang, "attention.hide", specials="[CLS] / [SEP]")
    assert _tab_labels(at)[:5] == [text_in(lang, k) for k in (
        "attention.tab_heatmap", "attention.tab_head_view", "attention.tab_model_view", "attention.tab_rollout",
        "attention.tab_roles")]
    figs = _charts(at)
    open_tab(at, text_in(lang, "attention.tab_head_view"))
    assert at.multiselect(key="attn_view_heads").label == text_in(lang, "attention.heads_to_draw")
    assert at.slider(key="attn_threshold").label == text_in(lang, "attention.threshold")
    open_tab(at, text_in(lang, "attention.tab_rollout"))
    assert at.checkbox(key="attn_residual").label == text_in(lang, "attention.residual")
    assert at.selectbox(key="flow_target").label == text_in(lang, "heads.flow_target")
    open_tab(at, text_in(lang, "attention.tab_roles"))
    figs.update(_charts(at))
    subheaders = [s.value for s in at.subheader]
    assert text_in(lang, "heads.roles_title") in subheaders and text_in(lang, "heads.ablation_title") in subheaders
    assert at.selectbox(key="heads_open").label == text_in(lang, "heads.open_head")
    assert at.multiselect(key="ablate_heads").label == text_in(lang, "heads.heads_off")
    assert at.text_input(key="ablate_typed").label == text_in(lang, "heads.typed")
    heat = figs["attention_heatmap"]
    head = text_in(lang, "attention.head_n", head=0)
    assert _title(heat) == text_in(lang, "attention.heatmap_title", layer=0, head=head, note="")
    assert heat["layout"]["xaxis"]["title"]["text"] == text_in(lang, "attention.fig_to")
    roles = figs["heads_roles_map"]
    assert roles["layout"]["legend"]["title"]["text"] == text_in(lang, "heads.fig_legend")
    legend = {t.get("name") for t in roles["data"]}
    assert text_in(lang, "heads.role_previous") in legend and "[CLS]" in legend  # the model's own token names stay


def test_attention_page_in_korean_with_a_research_section_opened():
    at = _open("pages/attention.py", "ko")
    _check_attention(at, "ko")
    assert HANGUL.search(at.title[0].value)
    # open one head of the roles map: its bar chart and its lines on the sentence, in Korean
    at.selectbox(key="heads_open").set_value(5).run()
    assert not at.exception, [e.value for e in at.exception]
    figs = _charts(at)
    bar = figs["heads_role_bar"]
    assert _title(bar) == text_in("ko", "heads.role_bar_title", layer=1, head=1)
    assert text_in("ko", "heads.role_self") in bar["data"][0]["x"]
    assert _title(figs["heads_head_view"]) == text_in("ko", "heads.head_view_title", layer=1, head=1)
    assert text_in("ko", "heads.head_view_caption") in [c.value for c in at.caption]
    # a head written wrongly: the core's message, in Korean, and the page goes on
    at.text_input(key="ablate_typed").input("x.1").run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert shown and all(HANGUL.search(v) for v in shown) and not any("is not a head" in v for v in shown)


# ---------------------------------------------------------------- the Polysemy page


def _check_polysemy(at: AppTest, lang: str) -> None:
    assert at.title[0].value == text_in(lang, "polysemy.title")
    assert at.markdown[0].value == text_in(lang, "polysemy.intro")
    word = at.selectbox(key="poly_word")
    assert word.label == text_in(lang, "polysemy.word") and text_in(lang, "polysemy.custom") in word.options
    assert at.slider(key="poly_layer").label == text_in(lang, "polysemy.layer")
    assert at.radio(key="poly_method").label == text_in(lang, "polysemy.projection")
    dims = at.radio(key="poly_dims")
    assert dims.label == text_in(lang, "polysemy.dimensions")
    assert dims.options == [text_in(lang, "polysemy.dims_2"), text_in(lang, "polysemy.dims_3")]
    assert at.radio(key="geo_centring").label == text_in(lang, "geometry.vectors")
    assert at.toggle(key="geo_centred").label == text_in(lang, "geometry.centre_toggle")
    subheaders = [s.value for s in at.subheader]
    assert text_in(lang, "polysemy.separation_heading") in subheaders
    assert text_in(lang, "geometry.title") in subheaders
    layer = at.slider(key="poly_layer").value
    projection = _charts(at)["polysemy_projection"]
    assert _title(projection) == text_in(lang, "polysemy.projection_title", method="PCA", dims=2, layer=layer)


def test_polysemy_page_in_korean_with_the_geometry_centred():
    at = _open("pages/polysemy.py", "ko")
    _check_polysemy(at, "ko")
    tables = [d.value for d in at.dataframe]
    assert any(text_in("ko", "polysemy.col_silhouette") in t.columns for t in tables)
    # the geometry section, centred: its chart and table in Korean
    at.toggle(key="geo_centred").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    chart = _charts(at)["geo_chart"]
    assert chart["layout"]["yaxis"]["title"]["text"] == text_in("ko", "geometry.fig_y_centred")
    assert text_in("ko", "geometry.chart_centred") in _title(chart)
    geometry = [t for t in (d.value for d in at.dataframe) if text_in("ko", "geometry.col_anisotropy") in t.columns]
    assert geometry and geometry[0][text_in("ko", "geometry.col_layer_name")][0] == text_in("ko",
                                                                                            "geometry.static_layer")


def test_without_a_language_both_pages_stay_english():
    at = _open("pages/attention.py", None)
    _check_attention(at, "en")
    assert at.title[0].value == "Attention" and at.selectbox(key="attn_layer").label == "Layer"
    at.switch_page("pages/polysemy.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    _check_polysemy(at, "en")
    assert at.title[0].value == "Polysemy: one word, many contexts"


# ---------------------------------------------------------------- the core's messages in Korean


@pytest.fixture(scope="module")
def lm():
    from mlm_core.model.loading import load_model

    return load_model("bundled")


def _raised(call) -> str:
    with pytest.raises(MLMError) as caught:
        call()
    return str(caught.value)


def _analysis(lm, text: str):
    from mlm_core.inference.analysis import analyze

    return analyze(lm, text, top_k=5)


def _lens_without_mask(lm):
    from mlm_core.inference.lens import logit_lens

    return logit_lens(lm, _analysis(lm, "He sat on the bank of the river."))


def _ablation_without_mask(lm):
    from mlm_core.inference.heads import ablate_heads

    return ablate_heads(lm, _analysis(lm, "He sat on the bank of the river."), [(0, 0)])


def _parse(spec: str):
    from mlm_core.inference.heads import parse_heads

    return lambda lm: parse_heads(spec)


def _check_heads(heads):
    from mlm_core.inference.heads import check_heads

    return lambda lm: check_heads(lm, heads)


def _attention_layer_head(layer, head):
    from mlm_core.inference.attention_tools import check_layer_head

    return lambda lm: check_layer_head(_analysis(lm, "He sat on the bank.").attentions, layer, head)


def _mask_number(lm):
    from mlm_core.inference.lens import check_mask_index, lens_of_text

    return check_mask_index(lens_of_text(lm, "He sat on the [MASK] of the river."), 3)


def _word_not_in_sentences(lm):
    from mlm_core.embeddings.vectors import word_vectors

    return word_vectors(lm, ["The cat sat on the mat.", "It rained all day."], "bank")


def _flow_too_long(lm):
    from mlm_core.inference.attention_flow import MAX_FLOW_TOKENS, attention_flow

    analysis = _analysis(lm, " ".join(["the cat sat on the mat ."] * (MAX_FLOW_TOKENS // 7 + 2)))
    assert len(analysis.tokens) > MAX_FLOW_TOKENS
    return attention_flow(np.asarray(analysis.attentions))


def _one_sentence_pair(lm):
    from mlm_core.inference.scoring import compare_pair

    return compare_pair(lm, ["The keys to the cabinet are on the table."])


def _too_long(lm):
    return _analysis(lm, "bank " * (lm.info.max_tokens + 10))


def _empty(lm):
    return _analysis(lm, "   ")


def _one_sense(lm):
    from mlm_core.embeddings.senses import separation_by_layer
    from mlm_core.embeddings.vectors import word_vectors

    wv = word_vectors(lm, ["I went to the bank.", "The bank was closed."], "bank")
    return separation_by_layer(wv.vectors, ["money", "money"])


def _two_points(lm):
    from mlm_core.embeddings.projection import project

    return project(np.random.default_rng(0).normal(size=(2, 8)), "pca", 2)


def _one_sentence_geometry(lm):
    from mlm_core.embeddings.geometry import word_geometry

    return word_geometry(lm, "bank", ["I went to the bank.", "The cat sat."])


def _masked_score(lm):
    from mlm_core.inference.scoring import sentence_score

    return sentence_score(lm, "He sat on the [MASK] of the river.")


CASES = {
    "lens without a mask": _lens_without_mask,
    "ablation without a mask": _ablation_without_mask,
    "a head written wrongly": _parse("x.1"),
    "no head typed": _parse(" , "),
    "a layer out of range": _check_heads([(9, 0)]),
    "a head out of range": _check_heads([(0, 9)]),
    "an attention layer out of range": _attention_layer_head(9, None),
    "an attention head out of range": _attention_layer_head(0, 9),
    "no such mask": _mask_number,
    "a word not in the sentences": _word_not_in_sentences,
    "attention flow limited": _flow_too_long,
    "a minimal pair of one sentence": _one_sentence_pair,
    "a text too long for the model": _too_long,
    "an empty text": _empty,
    "one sense only": _one_sense,
    "too few points to project": _two_points,
    "a word in one sentence only": _one_sentence_geometry,
    "a sentence score with a mask": _masked_score,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_core_messages_read_in_korean(lm, case):
    english = _raised(lambda: CASES[case](lm))
    korean = message_in("ko", english)
    assert HANGUL.search(korean), (case, english)
    for sentence in re.split(r"(?<=\.) ", english):
        assert sentence not in korean, (case, sentence, korean)
    assert message_in("en", english) == english


def test_notes_and_reasons_of_the_vectors_read_in_korean(lm):
    """The reasons a sentence is skipped and the notes on the matches (shown on the Polysemy page)."""
    from mlm_core.embeddings.vectors import word_vectors

    wv = word_vectors(lm, ["The bank by the bank.", "", "No such word here.", "Two banks closed.",
                           "The bank " + "cat " * (lm.info.max_tokens + 5)], "bank")
    reasons = [reason for _, reason in wv.skipped]
    assert len(reasons) == 3 and len(wv.notes) == 2
    for text in reasons + wv.notes:
        korean = message_in("ko", text)
        assert HANGUL.search(korean) and korean != text, text


def test_the_sense_layer_reason_reads_in_korean(lm):
    reason = lm.info.sense_layer.reason()
    korean = message_in("ko", reason)
    assert HANGUL.search(korean) and "separates word senses best" not in korean
    assert f"{lm.info.sense_layer.layer}" in korean
