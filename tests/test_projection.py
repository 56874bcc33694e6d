"""Projections: shapes, determinism, the t-SNE cap and one real UMAP fit."""

import threading

import numpy as np
import pytest

from mlm_core.embeddings import projection
from mlm_core.embeddings.projection import exact_knn, project
from mlm_core.errors import MLMError


def two_clusters(n_per=40, d=16, seed=0):
    rng = np.random.default_rng(seed)
    centre = np.zeros(d)
    centre[0] = 6.0
    return np.vstack([rng.normal(size=(n_per, d)) + centre, rng.normal(size=(n_per, d)) - centre])


def clusters_apart(coords, n_per):
    """Every point is closer to its own cluster's centroid than to the other one."""
    a, b = coords[:n_per], coords[n_per:]
    ca, cb = a.mean(axis=0), b.mean(axis=0)
    near_a = np.linalg.norm(coords - ca, axis=1) < np.linalg.norm(coords - cb, axis=1)
    return near_a[:n_per].all() and not near_a[n_per:].any()


@pytest.mark.parametrize("method", ["pca", "tsne", "PCA", "t-SNE"])
@pytest.mark.parametrize("dims", [2, 3])
def test_shapes(method, dims):
    vectors = two_clusters(n_per=15)
    result = project(vectors, method, dims)
    assert result.coords.shape == (30, dims)
    assert result.dims == dims
    assert result.method in ("pca", "tsne")
    assert result.note is None
    assert np.array_equal(result.indices, np.arange(30))
    assert np.isfinite(result.coords).all()
    assert clusters_apart(result.coords, 15)


def test_tsne_is_deterministic_for_a_seed():
    vectors = two_clusters(n_per=10)
    assert np.allclose(project(vectors, "tsne", seed=3).coords, project(vectors, "tsne", seed=3).coords)


def test_tsne_subsamples_above_the_cap(monkeypatch):
    monkeypatch.setattr(projection, "MAX_TSNE_POINTS", 50)
    vectors = two_clusters(n_per=40)
    result = project(vectors, "tsne", seed=1)
    assert result.coords.shape == (50, 2)
    assert len(result.indices) == 50 and len(set(result.indices.tolist())) == 50
    assert np.all(np.diff(result.indices) > 0) and result.indices.max() < 80
    assert "50" in result.note and "80" in result.note
    again = project(vectors, "tsne", seed=1)
    assert np.array_equal(again.indices, result.indices)


def test_tsne_with_tiny_input_and_large_perplexity():
    vectors = np.random.default_rng(0).normal(size=(4, 5))
    assert project(vectors, "tsne", perplexity=50).coords.shape == (4, 2)


def test_pca_matches_first_principal_axis():
    rng = np.random.default_rng(0)
    vectors = np.outer(np.linspace(-5, 5, 20), [3.0, 4.0, 0.0]) + rng.normal(scale=0.01, size=(20, 3))
    coords = project(vectors, "pca").coords
    assert np.ptp(coords[:, 0]) > 100 * np.ptp(coords[:, 1])


def test_pca_pads_when_data_has_too_few_dimensions():
    vectors = np.random.default_rng(0).normal(size=(10, 2))
    result = project(vectors, "pca", 3)
    assert result.coords.shape == (10, 3)
    assert np.all(result.coords[:, 2] == 0) and result.note


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_identical_points(method):
    result = project(np.ones((8, 4)), method)
    assert result.coords.shape == (8, 2) and np.all(result.coords == 0) and result.note


def test_validation_errors():
    vectors = two_clusters(n_per=5)
    with pytest.raises(MLMError, match="pca, tsne, umap"):
        project(vectors, "isomap")
    with pytest.raises(MLMError, match="2-D or 3-D"):
        project(vectors, "pca", dims=4)
    with pytest.raises(MLMError, match="at least 3 points"):
        project(vectors[:2], "pca")
    with pytest.raises(MLMError):
        project(np.full((5, 3), np.nan), "pca")


def test_exact_knn_puts_each_point_first_even_with_duplicates():
    vectors = np.vstack([np.ones((6, 3)), np.random.default_rng(0).normal(size=(4, 3))])
    indices, dists = exact_knn(vectors, 4)
    assert indices.shape == dists.shape == (10, 4)
    assert np.array_equal(indices[:, 0], np.arange(10))
    assert np.all(dists[:, 0] == 0) and np.all(dists >= 0)
    assert all(len(set(row)) == 4 for row in indices.tolist())
    assert np.all(np.diff(dists, axis=1) >= -1e-6)


def test_umap_keeps_two_clusters_apart():
    pytest.importorskip("umap")
    vectors = two_clusters(n_per=40)
    result = project(vectors, "umap", seed=0, n_neighbors=100)  # clipped to n - 1
    assert result.coords.shape == (80, 2)
    assert np.isfinite(result.coords).all()
    assert clusters_apart(result.coords, 40)


def test_umap_warmup_starts_one_daemon_thread(monkeypatch):
    calls = []
    monkeypatch.setattr(projection, "_warmup_thread", None)
    monkeypatch.setattr(projection, "warm_up_umap", lambda: calls.append(1))
    first = projection.start_umap_warmup()
    second = projection.start_umap_warmup()
    first.join(timeout=5)
    assert first is second and first.daemon
    assert calls == [1]


def test_umap_warmup_failure_is_swallowed(monkeypatch):
    monkeypatch.setattr(projection, "_warmup_thread", None)
    monkeypatch.setattr(projection, "warm_up_umap", lambda: 1 / 0)
    thread = projection.start_umap_warmup()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_umap_warmup_waits_until_the_server_is_quiet(monkeypatch):
    calls, quiet = [], threading.Event()
    monkeypatch.setattr(projection, "_warmup_thread", None)
    monkeypatch.setattr(projection, "warm_up_umap", lambda: calls.append(1))
    thread = projection.start_umap_warmup(delay_s=0.0, quiet=quiet.is_set)
    thread.join(timeout=2.5)
    assert thread.is_alive() and calls == []  # pages keep starting: no compiling under them
    quiet.set()
    thread.join(timeout=5)
    assert not thread.is_alive() and calls == [1]
