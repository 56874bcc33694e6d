"""Tests for mlm_core.viz: the figures carry the data they were given, in the promised layout."""

import numpy as np
import plotly.graph_objects as go
import pytest

from mlm_core import viz as F


def _line_points(fig):
    """(from, to) index pairs drawn by head_view's attention traces."""
    pairs = []
    for tr in fig.data:
        if (tr.meta or {}).get("kind") != "attention":
            continue
        ys = list(tr.y)
        xs = list(tr.x)
        for k in range(0, len(ys), 3):
            assert xs[k] == 0 and xs[k + 1] == 1 and ys[k + 2] is None
            pairs.append((ys[k], ys[k + 1], tr.meta["head"], tr.opacity))
    return pairs


def test_topk_bar_highest_on_top_with_inputs():
    preds = [("bank", 0.6), ("river", 0.25), ("the", 0.1)]
    fig = F.topk_bar(list(reversed(preds)), title="Top-3")
    bar = fig.data[0]
    assert isinstance(bar, go.Bar) and bar.orientation == "h"
    assert list(bar.x) == [0.6, 0.25, 0.1]
    assert list(fig.layout.yaxis.ticktext) == ["bank", "river", "the"]
    assert list(fig.layout.yaxis.tickvals) == list(bar.y) == [0, 1, 2]
    assert list(fig.layout.yaxis.range) == [2.5, -0.5]  # reversed: position 0 (highest) drawn on top
    assert list(bar.text) == ["60.0%", "25.0%", "10.0%"]
    assert list(fig.layout.xaxis.range) == [0, pytest.approx(0.78)]  # a little past the largest bar
    assert list(F.topk_bar([("a", 0.01)]).layout.xaxis.range) == [0, 0.05]
    assert list(F.topk_bar([("a", 0.95)]).layout.xaxis.range) == [0, 1.0]


def test_topk_bar_large_fonts_and_duplicates():
    small = F.topk_bar([("a", 0.5), ("a", 0.4)])
    large = F.topk_bar([("a", 0.5), ("a", 0.4)], large=True)
    assert large.layout.font.size > small.layout.font.size
    assert len(set(small.data[0].y)) == 2


def test_topk_compare_one_subplot_per_model():
    fig = F.topk_compare({"bert": [("x", 0.9), ("y", 0.1)], "roberta": [("z", 0.7)]})
    assert [tr.name for tr in fig.data] == ["bert", "roberta"]
    assert fig.data[0].xaxis != fig.data[1].xaxis
    assert list(fig.data[0].x) == [0.9, 0.1] and list(fig.data[1].x) == [0.7]
    assert [a.text for a in fig.layout.annotations] == ["bert", "roberta"]
    assert list(fig.layout.xaxis.range) == list(fig.layout.xaxis2.range) == [0, 1.0]  # shared scale


def test_attention_heatmap_z_and_duplicate_tokens():
    tokens = ["[CLS]", "the", "bank", "the", "<s>"]
    w = np.random.default_rng(0).random((5, 5))
    w /= w.sum(axis=1, keepdims=True)
    fig = F.attention_heatmap(w, tokens, zmax=1.0)
    hm = fig.data[0]
    np.testing.assert_allclose(np.asarray(hm.z), w)
    assert len(set(hm.x)) == len(set(hm.y)) == 5  # both "the" are separate columns/rows
    assert list(fig.layout.xaxis.ticktext) == ["[CLS]", "the", "bank", "the", "&lt;s&gt;"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert hm.zmax == 1.0 and hm.zmin == 0.0
    assert hm.text[2][0] == "bank → [CLS]"  # row = from, column = to
    with pytest.raises(ValueError):
        F.attention_heatmap(w, tokens[:4])


def test_head_view_threshold_and_valid_indices():
    rng = np.random.default_rng(1)
    w = rng.random((3, 4, 4))
    w /= w.sum(axis=-1, keepdims=True)
    tokens = ["a", "b", "a", "c"]
    assert _line_points(F.head_view(w, tokens, threshold=1.1)) == []

    fig = F.head_view(w, tokens, threshold=0.0)
    pairs = _line_points(fig)
    assert len(pairs) == 3 * 4 * 4
    for i, j, h, opacity in pairs:
        assert 0 <= i < 4 and 0 <= j < 4 and 0 <= h < 3
        assert 0 < opacity <= 1
        assert abs(opacity - w[h, i, j]) <= 0.1 + 1e-9  # opacity level tracks the weight
    legend = [tr for tr in fig.data if tr.showlegend]
    assert [tr.name for tr in legend] == ["head 0", "head 1", "head 2"]
    assert len({tr.line.color for tr in legend}) == 3


def test_head_view_focus_heads_and_2d_input():
    w = np.full((2, 3, 3), 1 / 3)
    fig = F.head_view(w, ["x", "y", "z"], heads=[1], focus=2)
    pairs = _line_points(fig)
    assert sorted((i, j) for i, j, _, _ in pairs) == [(2, 0), (2, 1), (2, 2)]
    assert {h for _, _, h, _ in pairs} == {1}
    assert not fig.layout.xaxis.visible and not fig.layout.yaxis.visible
    assert len(_line_points(F.head_view(np.eye(3), ["x", "y", "z"]))) == 3
    with pytest.raises(ValueError):
        F.head_view(w, ["x", "y", "z"], focus=3)


def test_model_view_grid():
    layers, heads, seq = 2, 3, 4
    att = np.random.default_rng(2).random((layers, heads, seq, seq))
    fig = F.model_view(att, ["a", "b", "a", "c"])
    maps = [tr for tr in fig.data if isinstance(tr, go.Heatmap)]
    assert len(maps) == layers * heads
    assert [tr.name for tr in maps[:4]] == ["L0 H0", "L0 H1", "L0 H2", "L1 H0"]
    assert list(maps[4].meta) == [1, 1]
    np.testing.assert_allclose(np.asarray(maps[5].z), att[1, 2])
    assert all(tr.coloraxis == "coloraxis" for tr in maps)
    assert len(set(maps[0].x)) == seq
    assert [a.text for a in fig.layout.annotations][:2] == ["L0 H0", "L0 H1"]
    assert fig.layout.xaxis.showticklabels is False


def test_projection_scatter_3d_traces_and_customdata():
    coords = np.arange(18, dtype=float).reshape(6, 3)
    labels = ["river", "money", "river", "money", "verb", "river"]
    hover = [f"<b>bank</b> #{i}" for i in range(6)]
    fig = F.projection_scatter(coords, labels, hover, highlight=[3])
    assert all(isinstance(tr, go.Scatter3d) for tr in fig.data)
    assert [tr.name for tr in fig.data] == ["river", "money", "verb", "edited"]
    assert list(fig.data[0].customdata) == [0, 2, 5]
    assert list(fig.data[1].customdata) == [1]
    assert list(fig.data[3].customdata) == [3]
    seen = sorted(i for tr in fig.data for i in tr.customdata)
    assert seen == list(range(6))  # every point exactly once
    for tr in fig.data:
        for k, idx in enumerate(tr.customdata):
            assert tr.hovertext[k] == hover[idx]
            assert list(coords[idx]) == [tr.x[k], tr.y[k], tr.z[k]]
    assert len({tr.marker.color for tr in fig.data[:3]}) == 3


def test_projection_scatter_2d():
    fig = F.projection_scatter(np.zeros((3, 2)), ["a", "b", "a"], ["x", "y", "z"], highlight=[0])
    assert all(isinstance(tr, go.Scatter) for tr in fig.data)
    assert fig.data[-1].name == "edited" and fig.data[-1].marker.symbol == "star"
    with pytest.raises(ValueError):
        F.projection_scatter(np.zeros((3, 4)), ["a"] * 3, ["x"] * 3)


def test_layer_metrics_chart():
    fig = F.layer_metrics_chart([0, 1, 2], [0.1, -0.3, 0.5], [0.5, 0.8, 0.9], chance=1 / 3)
    assert [list(tr.y) for tr in fig.data] == [[0.1, -0.3, 0.5], [0.5, 0.8, 0.9]]
    assert fig.layout.xaxis.ticktext[0] == "0 (static)"
    low, high = fig.layout.yaxis.range
    assert low <= -0.35 and high == 1.05
    assert any(s.line.dash == "dash" and s.y0 == pytest.approx(1 / 3) for s in fig.layout.shapes)
    assert F.layer_metrics_chart([0, 1], [0.2, 0.3], [0.4, 0.5]).layout.yaxis.range[0] == -0.2


def test_loss_curves_and_histogram():
    fig = F.loss_curves({"bert": ([0, 10], [5.0, 3.0]), "span": ([0, 10], [5.5, 3.5])})
    assert [tr.name for tr in fig.data] == ["bert", "span"]
    assert list(fig.data[1].y) == [5.5, 3.5]
    hist = F.span_length_histogram([1, 3, 3, 5, 1, 1])
    assert list(hist.data[0].x) == [1, 2, 3, 4, 5]
    assert list(hist.data[0].y) == [3, 0, 2, 0, 1]
    assert len(F.span_length_histogram([]).data) == 0


def test_action_share_bar_grouped():
    shares = {"bert": {"masked": 0.12, "random": 0.015, "kept": 0.015, "selected": 0.15},
              "mask-only": {"masked": 0.15, "selected": 0.15}}
    fig = F.action_share_bar(shares)
    assert fig.layout.barmode == "group"
    assert [tr.name for tr in fig.data] == ["masked", "random", "kept", "selected"]
    assert list(fig.data[1].y) == [0.015, 0.0]
    assert list(fig.data[0].x) == ["bert", "mask-only"]


def test_masked_tokens_html_escapes_and_marks_actions():
    tokens = ["<script>", "bank", "river", "the"]
    actions = ["untouched", "masked", "random", "kept"]
    shown = ["<script>", "[MASK]", "cat", "the"]
    out = F.masked_tokens_html(tokens, actions, shown)
    assert "<script>" not in out and "&lt;script&gt;" in out
    for action in actions:
        assert f"mlm-{action}" in out
    assert "<b>[MASK]</b>" in out and "(bank)" in out and "(river)" in out
    assert "dotted" in out and "wavy" in out and "double" in out
    assert out.count('class="mlm-chip ') == 4
    assert "22px" in F.masked_tokens_html(["a"], [0], large=True)
    with pytest.raises(ValueError):
        F.masked_tokens_html(["a"], ["bogus"])
    legend = F.action_legend_html()
    assert all(f"mlm-{a}" in legend for a in actions)


def test_figure_to_html_standalone():
    page = F.figure_to_html(F.topk_bar([("a", 0.5)]))
    assert "<html>" in page and "plotly" in page.lower()
    assert len(page) > 1_000_000  # plotly.js is inlined, not loaded from a CDN


def test_figure_to_png():
    pytest.importorskip("kaleido")
    png = F.figure_to_png(F.topk_bar([("a", 0.5)]))
    if png is None:
        pytest.skip("static export unavailable (kaleido could not start Chrome)")
    assert png.startswith(b"\x89PNG")


def test_figure_to_png_never_raises():
    assert F.figure_to_png(object()) is None


def test_token_labels_are_display_texts_with_the_raw_piece_on_hover():
    tokens = ["<s>", "ĠThe", "Ġcat", "Ġ", "</s>"]  # byte-level BPE pieces, as RoBERTa writes them
    assert F.token_labels(tokens) == ["<s>", "The", "cat", "␣", "</s>"]
    assert F.token_labels(["[CLS]", "▁take", "##s", "[SEP]"]) == ["[CLS]", "take", "##s", "[SEP]"]
    w = np.full((5, 5), 0.2)
    heat = F.attention_heatmap(w, tokens)
    assert list(heat.layout.xaxis.ticktext) == ["&lt;s&gt;", "The", "cat", "␣", "&lt;/s&gt;"]
    assert heat.data[0].text[2][1] == "cat (piece Ġcat) → The (piece ĠThe)"
    assert heat.data[0].text[0][4] == "&lt;s&gt; → &lt;/s&gt;"
    view = F.head_view(w, tokens)
    text_traces = [tr for tr in view.data if (tr.meta or {}).get("kind") == "tokens"]
    assert [list(tr.text) for tr in text_traces] == [["&lt;s&gt;", "The", "cat", "␣", "&lt;/s&gt;"]] * 2
    assert text_traces[0].hovertext[2] == "2: cat (piece Ġcat)"
    # the model view keeps the raw pieces as its (hidden) axis categories: pages/attention.py adds click targets on them
    mv = F.model_view(np.full((1, 1, 5, 5), 0.2), tokens)
    assert list(mv.data[0].x) == F.model_view_labels(tokens) == ["0:&lt;s&gt;", "1:ĠThe", "2:Ġcat", "3:Ġ", "4:&lt;/s&gt;"]


def test_topk_bars_take_display_text_and_raw_piece():
    fig = F.topk_bar([("Award", 0.2, "ĠAward"), ("take", 0.5, "▁take")])
    assert list(fig.layout.yaxis.ticktext) == ["take", "Award"]
    assert list(fig.data[0].customdata) == ["take (piece ▁take)", "Award (piece ĠAward)"]
    raw = F.topk_bar([("ĠAward", 0.2), ("Ġtake", 0.5)])  # raw pieces only: cleaned by the builder
    assert list(raw.layout.yaxis.ticktext) == ["take", "Award"]
    cmp = F.topk_compare({"roberta": [("Ġbank", 0.4)], "albert": [("▁bank", 0.3)]})
    assert list(cmp.layout.yaxis.ticktext) == list(cmp.layout.yaxis2.ticktext) == ["bank"]


def test_masked_tokens_html_shows_display_text_and_raw_tooltip():
    out = F.masked_tokens_html(["<s>", "ĠThe", "Ġbank", "</s>"], ["untouched", "untouched", "masked", "untouched"],
                               ["<s>", "ĠThe", "<mask>", "</s>"])
    assert ">The</span>" in out and ">Ġ" not in out  # chip text clean, the raw piece only in the tooltip
    assert "<b>&lt;mask&gt;</b>" in out and "(bank)" in out and 'title="masked: Ġbank → &lt;mask&gt;"' in out
