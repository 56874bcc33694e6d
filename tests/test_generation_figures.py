"""The Generation page's figures and chips (mlm_core.viz.generation) read against real runs of the bundled masked
model and its causal companion: the grid marks exactly the positions each step revealed, with their confidence;
the chips of a step show what the step did; the causal strip holds each chosen token's probability."""
from __future__ import annotations

import html
import re

import pytest

from mlm_core.generation import Sampling, UnmaskSettings, causal_generate, unmask_generate
from mlm_core.viz.generation import (ChipLabels, causal_step_html, legend_html, prediction_names, probability_strip,
                                     reveal_grid, reveal_grid_data, unmask_step_html, unmask_step_kinds)


@pytest.fixture(scope="module")
def companion():
    from mlm_core.model.causal import load_causal_model

    return load_causal_model("bundled-causal")


RUNS = [UnmaskSettings(length=8, steps=4),
        UnmaskSettings(length=10, per_step=3, order="random", seed=3),
        UnmaskSettings(length=12, steps=6, block=4, temperature=1.0, top_k=20, seed=1)]


@pytest.fixture(scope="module", params=RUNS, ids=["confidence", "random", "blocks-sampled"])
def run(request, bundled):
    return unmask_generate(bundled, request.param)


def _kinds_in(html_text: str) -> list[str]:
    return re.findall(r'class="mlm-gen-chip mlm-gen-(\w+)"', html_text)


def test_the_grid_marks_exactly_the_positions_each_step_revealed(run):
    fig = reveal_grid(run, title="T", x_title="X", y_title="Y")
    heat = fig.data[0]
    assert list(heat.y) == list(range(1, len(run.steps) + 1)) and list(heat.x) == list(range(1, run.settings.length + 1))
    for step, row, words in zip(run.steps, heat.z, heat.text):
        marked = {p for p, v in enumerate(row) if v is not None}
        assert marked == set(step.revealed)
        for p in step.revealed:
            assert row[p] == pytest.approx(step.confidence[p]) and 0 < row[p] <= 1
            assert words[p] == step.texts[p]
    # every position is revealed exactly once over the run
    columns = [[row[p] for row in heat.z] for p in range(run.settings.length)]
    assert all(sum(v is not None for v in col) == 1 for col in columns)
    assert fig.layout.xaxis.title.text == "X" and fig.layout.yaxis.title.text == "Y"


def test_the_grid_up_to_the_current_step_frames_it_and_leaves_the_later_rows_empty(run):
    k = max(1, len(run.steps) // 2)
    fig = reveal_grid(run, current=k, remasked="set aside")
    heat = fig.data[0]
    assert len(heat.z) == len(run.steps)  # the axis keeps every step
    for step, row in zip(run.steps, heat.z):
        marked = {p for p, v in enumerate(row) if v is not None}
        assert marked == (set(step.revealed) if step.index < k else set())
    remasked = {(s.index + 1, p + 1) for s in run.steps[:k] for p in s.remasked}
    circles = [t for t in fig.data if t.name == "set aside"]
    if remasked:
        assert set(zip(circles[0].y, circles[0].x)) == remasked
    else:
        assert circles == []
    frames = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(frames) == 1 and frames[0].y0 == k - 0.5 and frames[0].y1 == k + 0.5
    whole = reveal_grid(run, remasked="set aside")
    assert whole.layout.shapes == ()
    all_remasked = {(s.index + 1, p + 1) for s in run.steps for p in s.remasked}
    assert {(y, x) for t in whole.data if t.name == "set aside" for x, y in zip(t.x, t.y)} == all_remasked
    empty = reveal_grid(run, current=0)
    assert all(v is None for row in empty.data[0].z for v in row)


def test_the_grid_data_follows_the_steps(run):
    z, text = reveal_grid_data(run)
    assert len(z) == len(run.steps) and all(len(row) == run.settings.length for row in z)
    assert [sorted(p for p, w in enumerate(row) if w) for row in text] == \
        [sorted(p for p in s.revealed if s.texts[p]) for s in run.steps]


def test_the_chips_of_a_step_show_what_it_revealed_and_remasked(run, bundled):
    names = prediction_names(run, bundled.tokenizer)
    labels = ChipLabels(revealed="NEW", remasked="AGAIN")
    before = unmask_step_html(run, 0, labels)
    assert _kinds_in(before) == ["masked"] * run.settings.length
    assert before.count("[MASK]") == run.settings.length
    for k, step in enumerate(run.steps, start=1):
        kinds = unmask_step_kinds(run, k)
        chips = unmask_step_html(run, k, labels, names=names)
        assert _kinds_in(chips) == kinds
        assert [p for p, kind in enumerate(kinds) if kind == "revealed"] == sorted(step.revealed)
        assert [p for p, kind in enumerate(kinds) if kind == "remasked"] == sorted(step.remasked)
        masked = [p for p, tok in enumerate(step.tokens) if tok == run.mask_token]
        assert sorted(p for p, kind in enumerate(kinds) if kind in ("masked", "remasked", "outside")) == masked
        start, end = step.block_span
        assert all(start <= p < end for p, kind in enumerate(kinds) if kind in ("masked", "remasked"))
        assert chips.count("NEW") == len(step.revealed) and chips.count("AGAIN") == len(step.remasked)
        for p in step.remasked:  # the prediction set aside is shown, by its text
            assert f"({html.escape(names[step.predicted[p]])}?)" in chips
    assert "mlm-gen-masked" not in unmask_step_html(run, len(run.steps))


def test_the_causal_strip_holds_each_chosen_tokens_probability(companion):
    run = causal_generate(companion, 10, Sampling(1.0, 20), seed=2)
    whole = probability_strip(run, title="T", y_title="P", alternatives="ALT")
    bar = whole.data[0]
    assert list(bar.x) == list(range(1, 11))
    assert list(bar.y) == pytest.approx([s.probability for s in run.steps])
    assert list(bar.text) == [s.text for s in run.steps]
    assert len(set(bar.marker.color)) == 1
    assert all("ALT" in h for h in bar.customdata) and whole.layout.yaxis.title.text == "P"
    upto = probability_strip(run, current=4).data[0]  # the run so far, the 4th token highlighted
    assert list(upto.x) == [1, 2, 3, 4] and list(upto.y) == pytest.approx([s.probability for s in run.steps[:4]])
    colors = list(upto.marker.color)
    assert colors[3] != colors[0] and len(set(colors[:3])) == 1
    assert list(probability_strip(run, current=4).layout.xaxis.range) == [0.5, 10.5]


def test_the_causal_chips_show_the_text_so_far_at_full_length(companion):
    run = causal_generate(companion, 6)
    labels = ChipLabels(pending="LATER")
    for k in range(0, 7):
        kinds = _kinds_in(causal_step_html(run, k, labels))
        assert len(kinds) == 6
        assert kinds[:k] == ["kept"] * (k - 1) + ["revealed"] * (k > 0)
        assert kinds[k:] == ["pending"] * (6 - k)
        assert causal_step_html(run, k, labels).count("LATER") == 6 - k


def test_the_legend_uses_the_labels_given():
    labels = ChipLabels(masked="가려짐", revealed="드러남")
    html_text = legend_html(["masked", "revealed"], labels, samples={"masked": "[MASK]"})
    assert _kinds_in(html_text) == ["masked", "revealed"] and "가려짐" in html_text and "드러남" in html_text


def test_long_titles_wrap_to_the_half_width_columns(run, companion):
    title = "When each position was revealed, and how confident the model was"
    grid = reveal_grid(run, title=title)
    assert "<br>" in grid.layout.title.text and grid.layout.title.text.replace("<br>", " ") == title
    strip = probability_strip(causal_generate(companion, 4), title="The causal model's probability of each token it wrote")
    assert "<br>" in strip.layout.title.text
    assert "<br>" not in reveal_grid(run, title="short").layout.title.text
