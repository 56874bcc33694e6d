"""Sense-separation metrics on synthetic vectors whose answer is known."""

import numpy as np
import pytest

from mlm_core.embeddings.senses import LayerSeparation, nearest_neighbours, sense_separation, separation_by_layer
from mlm_core.errors import MLMError


def two_clusters(n_per=20, d=16, gap=6.0, seed=0):
    rng = np.random.default_rng(seed)
    centre = np.zeros(d)
    centre[0] = gap
    a = rng.normal(size=(n_per, d)) + centre
    b = rng.normal(size=(n_per, d)) - centre
    return np.vstack([a, b]), ["a"] * n_per + ["b"] * n_per


def test_well_separated_clusters_score_high():
    vectors, labels = two_clusters()
    silhouette, knn, within, between = sense_separation(vectors, labels)
    assert knn == 1.0
    assert silhouette > 0.5
    assert within > 0.5 > between
    assert between < 0


def test_random_labels_on_random_data_are_near_chance():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(400, 32))
    labels = list(rng.choice(["x", "y"], size=400))
    silhouette, knn, within, between = sense_separation(vectors, labels)
    assert 0.38 < knn < 0.62
    assert abs(silhouette) < 0.05
    assert abs(within - between) < 0.02


def test_hand_computed_values():
    vectors = np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [0.1, 1.0]])
    labels = ["p", "p", "q", "q"]
    _, knn, within, between = sense_separation(vectors, labels)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = unit @ unit.T
    assert knn == 1.0
    assert within == pytest.approx((sims[0, 1] + sims[2, 3]) / 2)
    assert between == pytest.approx(np.mean([sims[0, 2], sims[0, 3], sims[1, 2], sims[1, 3]]))


def test_identical_vectors_do_not_crash():
    vectors = np.ones((6, 4))
    labels = ["a", "a", "a", "b", "b", "b"]
    silhouette, knn, within, between = sense_separation(vectors, labels)
    assert silhouette == 0.0
    assert within == pytest.approx(1.0)
    assert between == pytest.approx(1.0)
    # Every similarity ties, so each point's neighbour is the lowest other index:
    # point 0 -> 1 (same sense), points 1-5 -> 0 (correct only for points 1 and 2).
    assert knn == pytest.approx(3 / 6)


def test_zero_vectors_count_as_orthogonal():
    vectors = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    silhouette, knn, within, between = sense_separation(vectors, ["z", "z", "o", "o"])
    assert np.isfinite(silhouette)
    assert within == pytest.approx(0.5)  # zero pair 0.0, identical pair 1.0
    assert between == pytest.approx(0.0)


def test_tie_break_is_lowest_index():
    # Point 0 is exactly as similar to point 1 as to point 2; every other point has a
    # clear nearest twin (1 <-> 3, 2 <-> 4), so only point 0's vote depends on the tie.
    vectors = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, -1.0], [1.0, 1.05], [1.0, -1.05]])
    tie_to_same_sense = sense_separation(vectors, ["a", "a", "b", "a", "b"])[1]
    tie_to_other_sense = sense_separation(vectors, ["a", "b", "a", "b", "a"])[1]
    assert tie_to_same_sense == 1.0
    assert tie_to_other_sense == pytest.approx(4 / 5)


@pytest.mark.parametrize("labels", [["a", "a", "a"], ["a", "b"], ["a", "b", "c"]])
def test_too_few_senses_or_points_raise(labels):
    vectors = np.random.default_rng(0).normal(size=(len(labels), 4))
    with pytest.raises(MLMError, match="at least two senses"):
        sense_separation(vectors, labels)


def test_label_count_must_match():
    with pytest.raises(MLMError):
        sense_separation(np.ones((4, 3)), ["a", "b"])


def test_separation_by_layer_covers_every_layer_and_tracks_signal():
    vectors, labels = two_clusters(n_per=10)
    noise = np.random.default_rng(3).normal(size=vectors.shape)
    stacked = np.stack([noise, vectors * 0.5 + noise * 0.5, vectors], axis=1)
    result = separation_by_layer(stacked, labels)
    assert [r.layer for r in result] == [0, 1, 2]
    assert all(isinstance(r, LayerSeparation) for r in result)
    assert result[0].silhouette < result[2].silhouette
    assert result[2].knn_accuracy == 1.0


def test_separation_by_layer_rejects_2d_input():
    with pytest.raises(MLMError):
        separation_by_layer(np.ones((4, 3)), ["a", "a", "b", "b"])


def test_nearest_neighbours_orders_by_cosine_and_skips_self():
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [1.0, 0.5], [-1.0, 0.0]])
    result = nearest_neighbours(vectors, 0, k=3)
    assert [i for i, _ in result] == [1, 3, 2]
    assert result[0][1] == pytest.approx(0.9 / np.hypot(0.9, 0.1))
    assert len(nearest_neighbours(vectors, 0, k=10)) == 4


def test_nearest_neighbours_bad_index():
    with pytest.raises(MLMError):
        nearest_neighbours(np.ones((3, 2)), 3)
