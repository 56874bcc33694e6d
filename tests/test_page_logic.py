"""The logic the pages used to hold, now in the core (and the selection reading in mlm_app), tested without Streamlit:
the Polysemy page's points and tables, the Masking page's counts and shares, the Attention page's hidden tokens,
click targets and focus bar."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from mlm_app.selection import point_row, selected_points
from mlm_core.embeddings.senses import LayerSeparation
from mlm_core.embeddings.vectors import Occurrence, WordVectors
from mlm_core.embeddings.word_points import (EDITED, UNLABELLED, chance_accuracy, clean_rows, hover_text,
                                             neighbour_records, parse_pasted, separation_records, vector_records,
                                             word_points)
from mlm_core.inference.attention_tools import shown_tokens, visible_tokens, weight_records
from mlm_core.masking.masker import StrategyStats, mask_text
from mlm_core.masking.report import (NO_TARGET, action_shares, mean_span, preview_counts,
                                     stats_records, target_labels)
from mlm_core.masking.strategies import MaskingStrategy
from mlm_core.viz.attention import attention_row_bar, clickable_model_view, model_view_head


# ---------------------------------------------------------------- polysemy


def test_pasted_lines_become_rows_in_every_accepted_form():
    pasted = "sense\tsentence\nriver\tThe bank was muddy.\nbank\tmoney\tShe robbed the bank.\nverb: Bank on it.\n\nNo label here."
    assert parse_pasted(pasted) == [{"sentence": "The bank was muddy.", "sense": "river"},
                                    {"sentence": "She robbed the bank.", "sense": "money"},
                                    {"sentence": "Bank on it.", "sense": "verb"},
                                    {"sentence": "No label here.", "sense": ""}]
    assert parse_pasted("") == []


def test_clean_rows_drop_empty_sentences_and_label_the_unlabelled():
    table = pd.DataFrame([{"sentence": " A bank. ", "sense": "money"}, {"sentence": None, "sense": "x"},
                          {"sentence": "B bank.", "sense": None}, {"sentence": float("nan"), "sense": ""},
                          {"sentence": "C bank.", "sense": "  "}])
    assert clean_rows(table[["sentence", "sense"]].itertuples(index=False)) == (
        ["A bank.", "B bank.", "C bank."], ["money", UNLABELLED, UNLABELLED])


def test_hover_text_bolds_the_word_escapes_and_wraps():
    sentence = "The <b>old</b> bank " + "word " * 20 + "end."
    start = sentence.index("bank")
    hover = hover_text(sentence, start, start + 4, "river & co")
    assert "<b>bank</b>" in hover and "&lt;b&gt;old&lt;/b&gt;" in hover and hover.endswith("<i>sense: river &amp; co</i>")
    assert all(len(line) <= 80 for line in hover.split("<br>")[:-1]) and hover.count("<br>") >= 2


def test_chance_accuracy_of_a_random_neighbour():
    assert chance_accuracy(["a", "a", "b", "b"]) == 1 / 3  # each point: 1 of the 3 others shares its sense
    assert chance_accuracy(["a"]) == 0.0
    assert math.isclose(chance_accuracy(["a"] * 3 + ["b"]), 6 / 12)


def _vectors(sentences: list[str], indices: list[int], layers: int = 3) -> WordVectors:
    rng = np.random.default_rng(len(sentences))
    occ = [Occurrence(s.index("bank"), s.index("bank") + 4, "bank", 1, 0) for s in sentences]
    return WordVectors("bank", sentences, indices, rng.normal(size=(len(sentences), layers, 4)), occ, [], [])


def test_word_points_join_the_edited_sentence_and_give_the_tables():
    table = ["A river bank.", "skipped", "A money bank.", "The bank lends."]
    wv = _vectors([table[0], table[2], table[3]], [0, 2, 3])
    extra = _vectors(["A muddy bank."], [0])
    points = word_points(wv, ["river", "x", "money", "money"], extra)
    assert points.labels == ["river", "money", "money", EDITED] and points.edited == [3]
    assert points.sentences[-1] == "A muddy bank." and len(points) == 4 and points.vectors.shape == (4, 3, 4)
    assert "<b>bank</b>" in points.hovers[0] and points.hovers[3].endswith(f"sense: {EDITED}</i>")
    near = neighbour_records(points, 2, 0)
    assert len(near) == 3 and {r["sentence"] for r in near} == set(points.sentences[1:])
    records = vector_records(points, "bank", 2, "PCA", {0: np.array([1.0, 2.0])})
    assert records[0]["x"] == 1.0 and "x" not in records[1] and records[1]["v3"] == float(points.vectors[1, 2, 3])
    sep = separation_records([LayerSeparation(0, 0.123456, 0.5, 0.9, 0.8)])
    assert sep == [{"layer": 0, "layer name": "0 (static embedding)", "silhouette": 0.1235, "1-NN accuracy": 0.5,
                    "within-sense cosine": 0.9, "between-sense cosine": 0.8}]
    assert word_points(wv, ["river", "x", "money", "money"]).edited == []


# ---------------------------------------------------------------- masking


def test_preview_counts_and_targets(bundled):
    masked = mask_text(bundled.tokenizer, "The quick brown fox jumps over the lazy dog.", MaskingStrategy("span", rate=0.3),
                       seed=1)
    counts = preview_counts(masked, bundled.tokenizer.all_special_tokens)
    assert counts.tokens == len(masked.tokens) - 2 and counts.predicted == sum(x is not None for x in masked.labels)
    assert counts.span_lengths == masked.span_lengths
    labels = target_labels(masked)
    assert labels[0] == NO_TARGET and [x for x in labels if x != NO_TARGET] == [x for x in masked.labels if x]


def test_stats_records_shares_and_span_lengths():
    span = StrategyStats(1000, 0.15, 0.8, 0.1, 0.1, Counter({1: 3, 2: 1}), 0)
    bert = StrategyStats(1000, 0.2, 0.5, 0.25, 0.25, Counter(), 7)
    rows = stats_records({"span": span, "bert": bert})
    assert [r["strategy"] for r in rows] == ["span", "bert"] and rows[1]["words split"] == 7
    assert rows[0]["mean span (words)"] == 5 / 4 and rows[1]["mean span (words)"] is None and mean_span(bert) is None
    shares = action_shares({"bert": bert})["bert"]
    assert shares == {"masked": 0.1, "random": 0.05, "kept": 0.05, "selected": 0.2}


# ---------------------------------------------------------------- attention


def test_shown_tokens_hide_specials_and_punctuation_but_never_everything():
    tokens, special = ["[CLS]", "the", "[MASK]", ".", "[SEP]"], [True, False, False, False, True]
    assert visible_tokens(tokens, special, "[MASK]") == [False, True, True, False, False]
    shown = shown_tokens(tokens, special, "[MASK]", hide=True)
    assert shown.tokens == ["the", "[MASK]"] and shown.hidden
    w = np.full((5, 5), 0.2)
    np.testing.assert_allclose(shown.of(w), np.full((2, 2), 0.5))
    everything = shown_tokens(["[CLS]", "."], [True, False], "[MASK]", hide=True)
    assert everything.nothing_left and not everything.hidden and everything.of(np.eye(2)).shape == (2, 2)
    assert shown_tokens(tokens, special, "[MASK]", hide=False).tokens == tokens
    rows = weight_records(np.eye(2), ["a", "b"], 1, "average")
    assert rows[1] == {"layer": 1, "head": "average", "from_index": 0, "from": "a", "to_index": 1, "to": "b", "weight": 0.0}


def test_clickable_model_view_and_the_head_a_click_names():
    att = np.random.default_rng(0).dirichlet(np.ones(3), size=(2, 2, 3))
    fig = clickable_model_view(att, ["[CLS]", "Ġbank", "[SEP]"])
    kinds = [t.type for t in fig.data]
    assert kinds == ["heatmap"] * 4 + ["scatter"] * 4
    assert [model_view_head(c, 2, 2) for c in (0, 3, 4, 7)] == [(0, 0), (1, 1), (0, 0), (1, 1)]
    assert model_view_head(None, 2, 2) is None and model_view_head(9, 2, 2) is None
    assert len(clickable_model_view(att, ["a", "b", "c"], max_targets=10).data) == 4  # too many: no click targets
    bar = attention_row_bar(att[0, 0, 1], ["[CLS]", "Ġbank", "[SEP]"], "'bank'")
    assert list(bar.data[0].x) == ["0:[CLS]", "1:bank", "2:[SEP]"] and "bank" in bar.layout.title.text


def test_selected_points_and_the_row_they_name():
    event = {"selection": {"points": [{"customdata": [7]}, {"customdata": 2}]}}
    assert len(selected_points(event)) == 2 and selected_points(None) == [] and selected_points({"x": 1}) == []
    assert point_row(event, 5) == 2 and point_row(event, 10) == 7 and point_row({"selection": {"points": []}}, 3) is None
