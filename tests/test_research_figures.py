"""Figure builders of the lens, head roles, ablation, geometry and sentence scores."""
import numpy as np
import pytest

from mlm_core.viz.geometry import geometry_chart
from mlm_core.viz.heads import ROLE_COLOURS, ablation_bars, head_roles_map
from mlm_core.viz.lens import lens_figure
from mlm_core.viz.scores import token_scores_figure


def test_lens_figure_cells_and_final_curve():
    fig = lens_figure([0, 1, 2], [["a", "b"], ["c", "<s>"], ["bank", "shore"]], [[0.1, 0.05], [0.2, 0.1], [0.6, 0.2]],
                      [0.01, 0.1, 0.6], [40, 3, 1], "bank", title="lens")
    heat, curve = fig.data
    assert heat.type == "heatmap" and list(heat.y) == [0, 1, 2] and list(heat.x) == [1, 2]
    assert heat.text[1][1] == "&lt;s&gt;"  # escaped, so plotly does not read it as markup
    assert list(curve.x) == [0.01, 0.1, 0.6] and list(curve.text) == ["#40", "#3", "#1"]
    with pytest.raises(ValueError, match="one entry per layer"):
        lens_figure([0, 1], [["a"]], [[0.1]], [0.1], [1], "a")


def test_head_roles_map_colours_by_dominant_role():
    dominant = [["previous", "mixed"], ["sep", "cls"]]
    roles = {r: np.full((2, 2), 0.1) for r in ("cls", "sep", "punctuation", "previous", "next", "self")}
    fig = head_roles_map(dominant, roles, np.ones((2, 2)), labels={"cls": "[CLS]", "sep": "[SEP]"})
    heat = fig.data[0]
    assert np.asarray(heat.z).tolist() == [[3, 6], [1, 0]]
    assert list(heat.customdata[1][0]) == [1, 0] and "[SEP]" in heat.text[1][0] and "entropy" in heat.text[0][0]
    legend = [t.name for t in fig.data[1:]]
    assert legend[:2] == ["[CLS]", "[SEP]"] and len(legend) == len(ROLE_COLOURS)
    with pytest.raises(ValueError, match="dominant must be"):
        head_roles_map([["cls"]], roles, np.ones((2, 2)))


def test_ablation_bars_side_by_side():
    fig = ablation_bars([("bank", 0.5, "bank"), ("shore", 0.2, "shore")], [("shore", 0.4, "shore")], "L1 H0")
    assert len(fig.data) == 2 and "without L1 H0" in [a.text for a in fig.layout.annotations]


def test_geometry_chart_three_lines():
    fig = geometry_chart([0, 1, 2], [0.1, 0.5, 0.4], [1.0, 0.9, 0.8], [1.0, 0.92, 0.85], "bank", centred=True)
    assert len(fig.data) == 3 and "bank" in fig.data[1].name and "centred" in fig.layout.yaxis.title.text
    with pytest.raises(ValueError, match="same length"):
        geometry_chart([0, 1], [0.1], [1.0], [1.0], "bank")


def test_token_scores_one_row_per_sentence_with_totals():
    fig = token_scores_figure([("A", ["The", "keys", "are"], [-1.0, -2.0, -0.5]),
                               ("B", ["The", "keys", "is"], [-1.0, -2.0, -3.0])])
    assert len(fig.data) == 2 and list(fig.data[1].y) == [-1.0, -2.0, -3.0]
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["A: total -3.50 nats", "B: total -6.00 nats"]
