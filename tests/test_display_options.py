"""Display options that every page keeps and a shared link carries (mlm_app.state.OPTIONS), driven with AppTest.

Large fonts and precision (sidebar), classroom mode and top-k (Fill-mask) must survive following a link to another
page (Streamlit deletes a widget's state on a page that does not draw it, and a widget drawn on another page is
another widget) and must be written to, and read from, the URL.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from streamlit.testing.v1 import AppTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
LARGE = "Large fonts (projector)"
BANK_WORD = 4  # I(0) went(1) to(2) the(3) bank(4) in the default sentence


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))


def large_toggle(at: AppTest):
    found = [t for t in at.toggle if t.label == LARGE]
    assert len(found) == 1, [t.label for t in at.toggle]
    return found[0]


def classroom_toggle(at: AppTest):
    found = [t for t in at.toggle if t.label.startswith("Classroom mode")]
    assert len(found) == 1, [t.label for t in at.toggle]
    return found[0]


def top_k_slider(at: AppTest):
    found = [s for s in at.slider if s.label.startswith("Predictions per mask")]
    assert len(found) == 1, [s.label for s in at.slider]
    return found[0]


def shown(widget):
    """What a browser shows for a widget it mounts now: the value the server sets, else the widget's default."""
    proto = widget.proto
    value = proto.value if proto.set_value else proto.default
    return value if isinstance(value, (bool, int, float, str)) else list(value)


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def bar_count(at: AppTest) -> list[int]:
    return [len(json.loads(c.proto.spec)["data"][0]["y"]) for c in at.get("plotly_chart") if c.key.startswith("fm_bar")]


def bar_charts(at: AppTest) -> list:
    return [c for c in at.get("plotly_chart") if c.key.startswith("fm_bar")]


def test_large_fonts_and_precision_survive_page_links_and_stay_in_the_url():
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    large_toggle(at).set_value(True).run()
    at.radio(key="precision").set_value("int8").run()
    assert not at.exception
    assert at.query_params["large"] == "1" and at.query_params["precision"] == "int8"
    for page in ("pages/attention.py", "pages/fill_mask.py", "app.py", "pages/masking.py"):
        go(at, page)
        assert large_toggle(at).value is True, page
        assert shown(large_toggle(at)) is True, page  # the browser draws the toggle on, not at its default
        assert at.radio(key="precision").value == "int8", page
        assert at.sidebar.caption and any("int8" in c.value for c in at.sidebar.caption), page
        params = {k: at.query_params.get(k) for k in ("large", "precision")}
        assert params == {"large": "1", "precision": "int8"}, (page, dict(at.query_params))
    large_toggle(at).set_value(False).run()
    at.radio(key="precision").set_value("fp32").run()
    go(at, "pages/attention.py")
    assert large_toggle(at).value is False and at.radio(key="precision").value == "fp32"
    assert "large" not in at.query_params and "precision" not in at.query_params


def test_a_shared_link_opens_in_classroom_mode_with_its_top_k():
    """A student opening the teacher's link sees the blanks, not the answers, and the teacher's top-k."""
    at = AppTest.from_file(APP, default_timeout=240)
    for key, value in {"text": "I went to the bank to deposit money.", "masks": str(BANK_WORD), "classroom": "1",
                       "top_k": "5", "large": "1", "precision": "int8"}.items():
        at.query_params[key] = value
    at.switch_page("pages/fill_mask.py")  # the link points at the Fill-mask page of a fresh session
    at.run()
    assert not at.exception
    assert classroom_toggle(at).value is True
    assert top_k_slider(at).value == 5
    assert large_toggle(at).value is True and at.radio(key="precision").value == "int8"
    assert not bar_charts(at), "the predictions must stay hidden until Reveal"
    assert any("hidden" in box.value for box in at.info)
    at.button(key="fm_reveal").click().run()
    assert not at.exception
    assert bar_count(at) == [5]
    for key, value in {"classroom": "1", "top_k": "5", "masks": str(BANK_WORD)}.items():
        assert at.query_params.get(key) == value, dict(at.query_params)


def test_classroom_mode_and_top_k_go_into_the_url_and_survive_other_pages():
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    go(at, "pages/fill_mask.py")
    classroom_toggle(at).set_value(True).run()
    top_k_slider(at).set_value(7).run()
    assert not at.exception
    assert at.query_params.get("classroom") == "1" and at.query_params.get("top_k") == "7"
    go(at, "pages/attention.py")  # neither widget is drawn here
    assert at.query_params.get("classroom") == "1" and at.query_params.get("top_k") == "7"
    go(at, "pages/fill_mask.py")
    assert classroom_toggle(at).value is True and shown(classroom_toggle(at)) is True
    assert top_k_slider(at).value == 7 and shown(top_k_slider(at)) == [7.0]
    classroom_toggle(at).set_value(False).run()
    top_k_slider(at).set_value(10).run()
    assert "classroom" not in at.query_params and "top_k" not in at.query_params  # defaults stay out of the link


def test_invalid_url_values_fall_back_to_the_defaults():
    at = AppTest.from_file(APP, default_timeout=240)
    for key, value in {"large": "yes please", "precision": "fp64", "classroom": "2", "top_k": "999"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert large_toggle(at).value is False and at.radio(key="precision").value == "fp32"
    assert not any(k in at.query_params for k in ("large", "precision", "classroom", "top_k"))


def _bound_script():
    import streamlit as st

    from mlm_app.state import bind_widget, persistent

    if st.checkbox("show the slider", value=True, key="show"):
        st.slider("k", 1, 20, **bind_widget("top_k"))
    st.markdown(f"kept={persistent('top_k')}")


def test_bind_widget_redraws_a_hidden_widget_with_the_kept_value():
    at = AppTest.from_function(_bound_script, default_timeout=60)
    at.run()
    assert at.slider(key="fm_top_k").value == 10 and at.markdown[0].value == "kept=10"
    at.slider(key="fm_top_k").set_value(7).run()
    assert at.markdown[0].value == "kept=7"
    at.checkbox(key="show").uncheck().run()  # Streamlit drops the slider's own state here
    assert at.markdown[0].value == "kept=7"
    at.checkbox(key="show").check().run()
    assert not at.exception
    slider = at.slider(key="fm_top_k")
    assert slider.value == 7 and shown(slider) == [7.0]  # not the slider's default (its minimum, 1)
    assert at.markdown[0].value == "kept=7"
