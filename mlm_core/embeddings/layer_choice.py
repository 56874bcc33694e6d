"""Choose the layer a model separates word senses best at, once, on labelled natural sentences (not the demo set:
a layer picked on a handful of hand-written sentences does not carry over to real text).

For every word, leave-one-out 1-NN sense accuracy at each layer; the layer with the best mean over words wins
(ties: the better sentence-weighted mean, then the lower layer). `model.sense_layer` stores the result.
"""
from __future__ import annotations

import csv
import io
from typing import Callable

import numpy as np

from ..errors import MLMError
from ..model.sense_layer import SenseLayer
from .senses import separation_by_layer


def read_sense_table(text: str, source: str = "the table") -> dict[str, list[tuple[str, str]]]:
    """word -> [(sense, sentence)] from a tab-separated table with the columns word, sense, sentence."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = {"word", "sense", "sentence"} - set(reader.fieldnames or [])
    if missing:
        raise MLMError(f"{source} lacks the column(s) {', '.join(sorted(missing))}; "
                       "give a tab-separated table with a header line: word, sense, sentence.")
    by_word: dict[str, list[tuple[str, str]]] = {}
    for row in reader:
        if row["word"] and row["sentence"]:
            by_word.setdefault(row["word"].strip(), []).append((row["sense"].strip(), row["sentence"]))
    if not by_word:
        raise MLMError(f"{source} has no rows.")
    return by_word


def choose_sense_layer(lm, by_word: dict[str, list[tuple[str, str]]], chosen_on: str,
                       on_word: Callable[[str], None] | None = None) -> SenseLayer:
    """Pick the layer with the best mean 1-NN sense accuracy over the words (each needs two senses)."""
    from .vectors import word_vectors

    per_word, sizes = [], []
    for word, rows in by_word.items():
        if on_word:
            on_word(word)
        vecs = word_vectors(lm, [sentence for _, sentence in rows], word)
        labels = [rows[i][0] for i in vecs.indices]
        if len(set(labels)) < 2:
            continue
        per_word.append([r.knn_accuracy for r in separation_by_layer(vecs.vectors, labels)])
        sizes.append(len(labels))
    if not per_word:
        raise MLMError("No word has sentences of two senses that the model could embed; nothing to choose from.")
    acc = np.asarray(per_word)
    macro = acc.mean(axis=0)
    micro = (acc * np.asarray(sizes)[:, None]).sum(axis=0) / sum(sizes)
    layer = max(range(acc.shape[1]), key=lambda layer: (round(macro[layer], 9), round(micro[layer], 9), -layer))
    return SenseLayer(layer, chosen_on, len(per_word), int(sum(sizes)), [float(x) for x in macro])
