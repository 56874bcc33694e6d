"""The sense layer stored with a model: chosen on labelled sentences, read at load, used by `embed` by default."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from mlm_core.embeddings.layer_choice import choose_sense_layer, read_sense_table
from mlm_core.embeddings.vectors import word_vectors
from mlm_core.errors import MLMError
from mlm_core.model.loading import BUNDLED_DIR, load_model
from mlm_core.model.sense_layer import SENSE_LAYER_FILE, read_sense_layer
from tests.test_cli import run

TABLE = BUNDLED_DIR.parent / "data" / "polysemy.tsv"


def _knn_by_hand(vectors: np.ndarray, labels: list[str]) -> float:
    """Leave-one-out 1-NN by cosine, written out independently of `senses`."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    return float(np.mean([labels[int(np.argmax(row))] == labels[i] for i, row in enumerate(sims)]))


def test_bundled_model_carries_its_sense_layer(bundled):
    stored = read_sense_layer(BUNDLED_DIR)
    assert stored is not None and bundled.info.sense_layer == stored
    assert bundled.info.default_sense_layer == stored.layer
    assert stored.n_words == 20 and stored.n_sentences > 300  # chosen on the natural sentences, not the demo set
    assert stored.layer == int(np.argmax(stored.knn_by_layer))
    assert f"layer {stored.layer}" in stored.reason()


def test_choice_is_the_best_mean_layer_by_independent_recomputation(bundled):
    table = read_sense_table(TABLE.read_text(encoding="utf-8"))
    table = {w: table[w][:8] + table[w][-8:] for w in ("bank", "bat", "crane")}  # both senses of each word
    choice = choose_sense_layer(bundled, table, "test")
    by_hand = []
    for word, rows in table.items():
        vecs = word_vectors(bundled, [s for _, s in rows], word)
        labels = [rows[i][0] for i in vecs.indices]
        by_hand.append([_knn_by_hand(vecs.vectors[:, layer].astype(np.float64), labels)
                        for layer in range(vecs.vectors.shape[1])])
    mean = np.mean(by_hand, axis=0)
    np.testing.assert_allclose(choice.knn_by_layer, mean, atol=1e-9)
    assert choice.knn_by_layer[choice.layer] == pytest.approx(mean.max())
    assert (choice.n_words, choice.n_sentences) == (3, 48)


def test_a_model_without_or_with_a_broken_file_uses_its_last_layer(tmp_path, tiny_dir):
    copy = tmp_path / "model"
    shutil.copytree(tiny_dir, copy)
    lm = load_model(str(copy))
    assert lm.info.sense_layer is None and lm.info.default_sense_layer == lm.info.layers
    (copy / SENSE_LAYER_FILE).write_text("{not json", encoding="utf-8")
    assert read_sense_layer(copy) is None
    (copy / SENSE_LAYER_FILE).write_text(json.dumps({"layer": 99, "chosen_on": "x", "n_words": 1, "n_sentences": 2,
                                                     "knn_by_layer": [0.5, 0.6]}), encoding="utf-8")
    assert read_sense_layer(copy) is None  # a layer the model does not have


def test_cli_writes_the_choice_and_embed_follows_it(tmp_path, tiny_dir):
    copy = tmp_path / "model"
    shutil.copytree(tiny_dir, copy)
    table = tmp_path / "senses.tsv"
    rows = TABLE.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([rows[0]] + [r for r in rows[1:] if r.startswith("bank\t")]) + "\n", encoding="utf-8")
    payload = json.loads(run("sense-layer", "--model", str(copy), "--senses-file", str(table), "--write", "--json").stdout)
    stored = read_sense_layer(copy)
    assert stored is not None and stored.layer == payload["layer"] and payload["n_words"] == 1
    proc = run("embed", "--model", str(copy), "--word", "bank", "The bank was closed.", "--json")
    assert json.loads(proc.stdout)["layer"] == stored.layer and f"layer {stored.layer} separates" in proc.stderr


def test_a_table_without_the_columns_is_refused_clearly(tmp_path):
    with pytest.raises(MLMError, match="lacks the column"):
        read_sense_table("word\tsentence\nbank\tThe bank.\n", "senses.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    proc = run("sense-layer", "--senses-file", str(bad), ok=False)
    assert proc.returncode == 2 and proc.stderr.startswith("error:") and "column" in proc.stderr
    assert "Traceback" not in proc.stderr
