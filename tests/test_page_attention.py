"""The attention page driven through its widgets with Streamlit's AppTest (bundled 4-layer, 4-head model)."""
import base64
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.app_helpers import open_tab  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CAVEAT = "attention is not an explanation"
HEAD_VIEW, MODEL_VIEW, ROLLOUT = "Head view & token focus", "Model view", "Head average, rollout & flow"


def open_attention() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/attention.py")
    at.run()
    assert not at.exception
    return at


def charts(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def z_of(spec: dict) -> np.ndarray:
    """The first trace's z, decoding plotly's base64 typed arrays."""
    z = spec["data"][0]["z"]
    if isinstance(z, dict):
        shape = [int(s) for s in str(z["shape"]).split(",")]
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)
    return np.asarray(z, dtype=float)


def test_page_shows_caveat_heatmap_and_all_views():
    at = open_attention()
    assert any(CAVEAT in box.value for box in at.info)
    figs = charts(at)
    assert set(figs) == {"attention_heatmap"}  # only the open tab is computed
    for tab in (HEAD_VIEW, MODEL_VIEW, ROLLOUT):
        figs.update(charts(open_tab(at, tab)))
    assert {"attention_heatmap", "attention_head_view", "attention_model_view", "attention_average",
            "attention_rollout"} <= set(figs)
    assert "attention_heatmap" not in charts(at)  # the heatmap's tab is closed now
    heat = figs["attention_heatmap"]
    tokens = heat["layout"]["yaxis"]["ticktext"]
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    z = z_of(heat)
    assert z.shape == (len(tokens), len(tokens))
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-4)
    # Model view: 4 layers x 4 heads of heatmaps, named in layer order.
    names = [t.get("name") for t in figs["attention_model_view"]["data"] if t["type"] == "heatmap"]
    assert names[:5] == ["L0 H0", "L0 H1", "L0 H2", "L0 H3", "L1 H0"] and len(names) == 16
    np.testing.assert_allclose(z_of(figs["attention_rollout"]).sum(axis=1), 1.0, atol=1e-4)


def test_switching_layer_changes_heatmap():
    at = open_attention()
    before = z_of(charts(at)["attention_heatmap"])
    at.selectbox(key="attn_layer").set_value(3).run()
    assert not at.exception
    heat = charts(at)["attention_heatmap"]
    assert heat["layout"]["title"]["text"].startswith("Layer 3")
    after = z_of(heat)
    assert after.shape == before.shape and not np.allclose(after, before)
    at.selectbox(key="attn_head").set_value("average").run()
    assert not at.exception
    assert "average" in charts(at)["attention_heatmap"]["layout"]["title"]["text"]


def test_hiding_special_tokens_and_punctuation():
    at = open_attention()
    assert "[CLS]" in charts(at)["attention_heatmap"]["layout"]["xaxis"]["ticktext"]
    at.checkbox(key="attn_hide").check().run()
    assert not at.exception
    shown = charts(at)
    shown.update(charts(open_tab(at, ROLLOUT)))
    for key in ("attention_heatmap", "attention_average", "attention_rollout"):
        spec = shown[key]
        ticks = spec["layout"]["xaxis"]["ticktext"]
        assert "[CLS]" not in ticks and "[SEP]" not in ticks and "." not in ticks
        assert "bank" in ticks
        z = z_of(spec)
        assert z.shape == (len(ticks), len(ticks))
        np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-4)  # rows renormalised


def test_selectors_offer_only_valid_layers_and_heads_and_token_focus():
    at = open_attention()
    assert at.selectbox(key="attn_layer").options == ["0", "1", "2", "3"]
    assert at.selectbox(key="attn_head").options == ["average of all heads", "head 0", "head 1", "head 2", "head 3"]
    open_tab(at, HEAD_VIEW)
    assert at.multiselect(key="attn_view_heads").options == ["head 0", "head 1", "head 2", "head 3"]
    at.multiselect(key="attn_view_heads").set_value([0, 2]).run()
    assert not at.exception
    legend = [t["name"] for t in charts(at)["attention_head_view"]["data"] if t.get("showlegend")]
    assert legend == ["head 0", "head 2"]
    tokens = at.button_group(key="attn_focus").options
    at.button_group(key="attn_focus").set_value(tokens.index("bank")).run()
    assert not at.exception
    bar = charts(at)["attention_focus_bar"]
    assert "bank" in bar["layout"]["title"]["text"]
    assert abs(sum(z_of_bar(bar)) - 1.0) < 1e-4


def z_of_bar(spec: dict) -> list[float]:
    y = spec["data"][0]["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return list(y)


def test_bad_input_is_a_warning_and_text_is_shared():
    at = open_attention()
    at.text_input(key="attn_text").input("").run()
    assert not at.exception
    assert any("empty" in w.value for w in at.warning)
    at.text_input(key="attn_text").input("word " * 600).run()
    assert not at.exception
    assert any("at most" in w.value for w in at.warning)
    at.text_input(key="attn_text").input("The cat sat on the mat.").run()
    assert not at.exception and not at.warning
    assert at.session_state["text"] == "The cat sat on the mat."
    assert "cat" in charts(at)["attention_heatmap"]["layout"]["xaxis"]["ticktext"]


def head_view_legend(at: AppTest) -> list[str]:
    return [t["name"] for t in charts(at)["attention_head_view"]["data"] if t.get("showlegend")]


def test_heads_to_draw_follow_the_head_selector_until_picked_by_hand():
    at = open_tab(open_attention(), HEAD_VIEW)
    assert at.multiselect(key="attn_view_heads").value == [0]
    at.selectbox(key="attn_head").set_value(2).run()
    assert not at.exception
    assert at.multiselect(key="attn_view_heads").value == [2]
    assert head_view_legend(at) == ["head 2"]
    at.selectbox(key="attn_head").set_value("average").run()
    assert at.multiselect(key="attn_view_heads").value == [0, 1, 2, 3]
    at.multiselect(key="attn_view_heads").set_value([1, 3]).run()  # picked by hand
    at.selectbox(key="attn_head").set_value(0).run()
    assert not at.exception
    assert at.multiselect(key="attn_view_heads").value == [1, 3] and head_view_legend(at) == ["head 1", "head 3"]
    at.button(key="attn_heads_follow").click().run()
    assert not at.exception
    assert at.multiselect(key="attn_view_heads").value == [0] and head_view_legend(at) == ["head 0"]
    at.selectbox(key="attn_head").set_value(3).run()
    assert at.multiselect(key="attn_view_heads").value == [3]


def test_threshold_slider_sits_in_the_head_view_tab():
    at = open_tab(open_attention(), HEAD_VIEW)
    tabs = {t.label: t for t in at.tabs}
    assert [s.key for s in tabs["Head view & token focus"].slider] == ["attn_threshold"]
    others = [s.key for label, t in tabs.items() if label != "Head view & token focus" for s in t.slider]
    assert "attn_threshold" not in others
    outside = [s.key for s in at.main.slider if not any(s.key == x.key for t in at.tabs for x in t.slider)]
    assert "attn_threshold" not in outside
    heads_before = json.dumps(charts(at)["attention_head_view"]["data"])
    heat_before = charts(open_tab(at, "Heatmap"))["attention_heatmap"]
    open_tab(at, HEAD_VIEW)
    at.slider(key="attn_threshold").set_value(0.3).run()
    assert not at.exception
    assert json.dumps(charts(at)["attention_head_view"]["data"]) != heads_before  # fewer lines drawn
    assert charts(open_tab(at, "Heatmap"))["attention_heatmap"] == heat_before  # the heatmap does not depend on it
