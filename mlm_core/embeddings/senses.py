"""How well contextual vectors separate the senses of an ambiguous word.

All similarities are cosine similarities. A zero vector has similarity 0 to everything
(itself included), so it neither attracts nor repels any sense.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import silhouette_score

from ..errors import MLMError

# Similarities this close to a row's best count as a tie for the nearest neighbour,
# so float noise in the matrix product cannot decide between identical vectors.
TIE_TOLERANCE = 1e-9


@dataclass
class LayerSeparation:
    """Sense-separation numbers for one layer (0 = embeddings)."""

    layer: int
    silhouette: float
    knn_accuracy: float
    within_cosine: float
    between_cosine: float


def sense_separation(vectors: np.ndarray, labels: list[str]) -> tuple[float, float, float, float]:
    """(silhouette, 1-NN accuracy, mean within-sense cosine, mean between-sense cosine).

    - silhouette: sklearn's silhouette score on cosine distance; 0.0 when every
      distance is zero (all vectors identical), where it is undefined.
    - 1-NN accuracy: leave-one-out, each point's most cosine-similar *other* point
      votes for its sense; ties go to the lowest index, so the result is deterministic.
    - within / between: mean cosine over pairs of distinct points with the same /
      a different sense.
    """
    sims = cosine_similarity_matrix(vectors)
    codes = _label_codes(labels, len(sims))
    return (_silhouette(sims, codes), _knn_accuracy(sims, codes), *_within_between(sims, codes))


def separation_by_layer(all_layers: np.ndarray, labels: list[str]) -> list[LayerSeparation]:
    """`sense_separation` for every layer of an (n, layers + 1, d) array."""
    all_layers = np.asarray(all_layers, dtype=np.float64)
    if all_layers.ndim != 3:
        raise MLMError(f"Expected vectors shaped (sentences, layers, dims), got shape {all_layers.shape}.")
    return [LayerSeparation(layer, *sense_separation(all_layers[:, layer, :], labels))
            for layer in range(all_layers.shape[1])]


def nearest_neighbours(vectors: np.ndarray, index: int, k: int = 5) -> list[tuple[int, float]]:
    """The k rows most cosine-similar to row `index` (itself excluded), best first, ties by lowest index."""
    unit = _unit_rows(vectors)
    if not 0 <= index < len(unit):
        raise MLMError(f"Point index {index} is out of range for {len(unit)} points.")
    if k < 1:
        raise MLMError(f"The number of neighbours must be at least 1, got {k}.")
    sims = np.clip(unit @ unit[index], -1.0, 1.0)
    order = [int(i) for i in np.argsort(-sims, kind="stable") if i != index][:k]
    return [(i, float(sims[i])) for i in order]


def cosine_similarity_matrix(vectors: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarities of the rows; zero rows get similarity 0."""
    unit = _unit_rows(vectors)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) == 0:
        raise MLMError(f"Expected a non-empty (points, dims) array of vectors, got shape {vectors.shape}.")
    if not np.isfinite(vectors).all():
        raise MLMError("The vectors contain NaN or infinite values.")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _label_codes(labels: list[str], n: int) -> np.ndarray:
    if len(labels) != n:
        raise MLMError(f"Got {len(labels)} sense labels for {n} vectors; they must match one to one.")
    _, codes, counts = np.unique(np.asarray(labels, dtype=object).astype(str),
                                 return_inverse=True, return_counts=True)
    if len(counts) < 2 or counts.max() < 2:
        raise MLMError("Sense-separation metrics need at least two senses with at least two "
                       f"sentences in one of them; got {len(counts)} sense(s) for {n} sentence(s).")
    return codes


def _silhouette(sims: np.ndarray, codes: np.ndarray) -> float:
    distances = 1.0 - sims
    np.fill_diagonal(distances, 0.0)
    if not distances.any():
        return 0.0
    return float(silhouette_score(distances, codes, metric="precomputed"))


def _knn_accuracy(sims: np.ndarray, codes: np.ndarray) -> float:
    others = sims.copy()
    np.fill_diagonal(others, -np.inf)
    best = others.max(axis=1, keepdims=True)
    # argmax of a boolean row is the first True: the lowest index among the tied best.
    nearest = np.argmax(others >= best - TIE_TOLERANCE, axis=1)
    return float(np.mean(codes[nearest] == codes))


def _within_between(sims: np.ndarray, codes: np.ndarray) -> tuple[float, float]:
    same = codes[:, None] == codes[None, :]
    not_self = ~np.eye(len(codes), dtype=bool)
    return float(sims[same & not_self].mean()), float(sims[~same].mean())
