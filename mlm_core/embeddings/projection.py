"""2-D / 3-D projections of contextual vectors for plotting (PCA, t-SNE, UMAP).

t-SNE and UMAP work on cosine distance, the geometry the sense metrics use; PCA is
linear and therefore Euclidean. UMAP is imported lazily: importing it and the first
fit compile numba code for several seconds, so the app warms it up in the background.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..errors import MLMError

METHODS = ("pca", "tsne", "umap")
MAX_TSNE_POINTS = 1000
EXACT_TSNE_POINTS = 300  # exact is quicker on the small labelled sets; Barnes-Hut is ~5x faster at 1,000 points (bench)
DISTANCE_METRIC = "cosine"

log = logging.getLogger(__name__)
_warmup_lock = threading.Lock()
_warmup_thread: threading.Thread | None = None


@dataclass
class ProjectionResult:
    """Projected coordinates; row i of `coords` is input row `indices[i]`."""

    coords: np.ndarray
    method: str
    dims: int
    note: str | None
    indices: np.ndarray


def project(vectors: np.ndarray, method: str = "pca", dims: int = 2, *, seed: int = 0,
            perplexity: float | None = None, n_neighbors: int = 15,
            min_dist: float = 0.1) -> ProjectionResult:
    """Project (n, d) vectors to `dims` (2 or 3) dimensions with "pca", "tsne" or "umap".

    Results are deterministic for a given `seed`. t-SNE above MAX_TSNE_POINTS points
    runs on a seeded random subset, reported in `note` and `indices`.
    """
    vectors = _check_vectors(vectors)
    method = _check_method(method)
    if dims not in (2, 3):
        raise MLMError(f"Projections can be 2-D or 3-D, not {dims}-D.")
    if (vectors == vectors[0]).all():
        # t-SNE's PCA start divides by a zero spread here (and can crash natively).
        note = "All points are identical, so they all sit at the origin."
        return ProjectionResult(np.zeros((len(vectors), dims)), method, dims, note, np.arange(len(vectors)))
    if method == "pca":
        return _pca(vectors, dims)
    if method == "tsne":
        return _tsne(vectors, dims, seed, perplexity)
    return _umap(vectors, dims, seed, n_neighbors, min_dist)


def warm_up_umap() -> None:
    """Fit UMAP once on a tiny random set so numba compiles before a user waits on it."""
    points = np.random.default_rng(0).normal(size=(60, 8))
    project(points, "umap", 2, n_neighbors=10)


def start_umap_warmup(delay_s: float = 3.0, quiet: Callable[[], bool] | None = None) -> threading.Thread:
    """Run `warm_up_umap` in a daemon thread, once per process; returns that thread.

    It waits `delay_s` first, then until `quiet()` says the server is quiet (checked each second): numba compiles
    for seconds holding the interpreter lock, which every page of the server would wait for, all to spare the one
    user who picks UMAP (the pages default to PCA) a wait on their first projection. A server that is never quiet
    never warms up, and that user waits instead."""
    global _warmup_thread
    with _warmup_lock:
        if _warmup_thread is None:
            _warmup_thread = threading.Thread(target=_warm_up_quietly, args=(delay_s, quiet), name="umap-warmup",
                                              daemon=True)
            _warmup_thread.start()
        return _warmup_thread


def _warm_up_quietly(delay_s: float = 0.0, quiet: Callable[[], bool] | None = None) -> None:
    # A failed warm-up must not take the app down; the real call will report the problem.
    time.sleep(delay_s)
    while quiet is not None and not quiet():
        time.sleep(1.0)
    try:
        warm_up_umap()
    except Exception:  # noqa: BLE001
        log.warning("UMAP warm-up failed", exc_info=True)


def _check_vectors(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise MLMError(f"Expected a (points, dims) array of vectors, got shape {vectors.shape}.")
    if len(vectors) < 3:
        raise MLMError(f"A projection needs at least 3 points, got {len(vectors)}.")
    if not np.isfinite(vectors).all():
        raise MLMError("The vectors contain NaN or infinite values.")
    return vectors


def _check_method(method: str) -> str:
    name = str(method).strip().lower().replace("-", "")
    if name not in METHODS:
        raise MLMError(f"Unknown projection method '{method}'.", f"Choose one of: {', '.join(METHODS)}.")
    return name


def _pca(vectors: np.ndarray, dims: int) -> ProjectionResult:
    from sklearn.decomposition import PCA  # lazy, like umap: keeps the app's first page quick

    n, d = vectors.shape
    k = min(dims, n, d)
    with warnings.catch_warnings():
        # Identical points have zero variance; the coordinates (all 0) are still right.
        warnings.simplefilter("ignore", RuntimeWarning)
        coords = PCA(n_components=k).fit_transform(vectors)
    note = None
    if k < dims:
        coords = np.hstack([coords, np.zeros((n, dims - k))])
        note = f"Only {k} independent direction(s) in the data; the remaining axes are zero."
    return ProjectionResult(coords, "pca", dims, note, np.arange(n))


def _tsne(vectors: np.ndarray, dims: int, seed: int, perplexity: float | None) -> ProjectionResult:
    from sklearn.manifold import TSNE

    indices, note = _tsne_subset(len(vectors), seed)
    subset = vectors[indices]
    n = len(subset)
    if perplexity is None:
        perplexity = min(30.0, (n - 1) / 3)
    if perplexity <= 0:
        raise MLMError(f"t-SNE perplexity must be positive, got {perplexity}.")
    perplexity = min(float(perplexity), n - 1.0)  # sklearn requires perplexity < n
    # Exact t-SNE is quicker on small sets and does not stall on duplicate points; Barnes-Hut above that.
    method = "exact" if n <= EXACT_TSNE_POINTS else "barnes_hut"
    tsne = TSNE(n_components=dims, perplexity=perplexity, init="pca", metric=DISTANCE_METRIC,
                method=method, random_state=seed)
    coords = tsne.fit_transform(subset)
    return ProjectionResult(coords, "tsne", dims, note, indices)


def _tsne_subset(n: int, seed: int) -> tuple[np.ndarray, str | None]:
    cap = MAX_TSNE_POINTS  # read at call time so it can be changed per process (and in tests)
    if n <= cap:
        return np.arange(n), None
    indices = np.sort(np.random.default_rng(seed).choice(n, size=cap, replace=False))
    return indices, f"t-SNE is limited to {cap} points: showing a random sample of {cap} of {n}."


def _umap(vectors: np.ndarray, dims: int, seed: int, n_neighbors: int, min_dist: float) -> ProjectionResult:
    import umap  # lazy: slow import, numba compilation on first use

    n = len(vectors)
    if n_neighbors < 2:
        raise MLMError(f"UMAP needs n_neighbors of at least 2, got {n_neighbors}.")
    k = min(int(n_neighbors), n - 1)
    knn_indices, knn_dists = exact_knn(vectors, k)
    reducer = umap.UMAP(
        n_neighbors=k, min_dist=min_dist, n_components=dims, metric=DISTANCE_METRIC,
        random_state=seed, n_jobs=1, precomputed_knn=(knn_indices, knn_dists, None),
        # Spectral initialisation needs more points than dimensions + 1.
        init="spectral" if n > dims + 2 else "random",
    )
    with warnings.catch_warnings():
        # Expected: without a search index UMAP cannot `transform` new points, which we never do.
        warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]")
        coords = reducer.fit_transform(vectors)
    return ProjectionResult(np.asarray(coords, dtype=np.float64), "umap", dims, None, np.arange(n))


def exact_knn(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact k-nearest neighbours in UMAP's precomputed format: each row starts with the point itself.

    Returns (indices int64, distances float32), both (n, k). Duplicated points could
    otherwise push a point out of its own first slot.
    """
    from sklearn.neighbors import NearestNeighbors

    n = len(vectors)
    finder = NearestNeighbors(n_neighbors=k, metric=DISTANCE_METRIC, algorithm="brute").fit(vectors)
    dists, idx = finder.kneighbors(vectors)
    knn_indices = np.empty((n, k), dtype=np.int64)
    knn_dists = np.empty((n, k), dtype=np.float32)
    for row in range(n):
        others = idx[row] != row
        knn_indices[row] = np.concatenate([[row], idx[row][others][: k - 1]])
        knn_dists[row] = np.concatenate([[0.0], np.maximum(dists[row][others][: k - 1], 0.0)])
    return knn_indices, knn_dists
