"""Vector-space geometry (Ethayarajh 2019) recomputed by hand from full forward passes, and the centring option."""
import numpy as np
import pytest
import torch

from mlm_core.embeddings.geometry import (centre, centred_word_vectors, corpus_baseline, mean_cosine, static_share,
                                          word_geometry)
from mlm_core.embeddings.senses import separation_by_layer
from mlm_core.errors import MLMError
from tests.family_tools import all_kinds, model_of

KINDS = all_kinds()
CORPUS = ["The old man walked along the road.", "A small boat went down the river, slowly.",
          "Harris said that the weather would change.", "We had tea and then we slept."]
BANK = ["I went to the bank to get money.", "The river bank was muddy.", "The bank raised its rates.",
        "We sat on the bank and fished."]


def _cos(a, b):
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    return float(a @ b / (na * nb)) if na > 0 and nb > 0 else 0.0


def _word_vectors_by_hand(lm, sentence, word):
    """Every word of a sentence (or the first `word`) at every layer: one unpadded full forward pass, mean of the word's pieces."""
    enc = lm.tokenizer(sentence, return_offsets_mapping=True, return_special_tokens_mask=True)
    with torch.no_grad():
        hs = lm.model(input_ids=torch.tensor([enc["input_ids"]]), output_hidden_states=True).hidden_states
    hidden = torch.stack([h[0] for h in hs]).numpy()  # (layers + 1, seq, hidden)
    groups = {}
    for t, w in enumerate(enc.word_ids()):
        if w is not None and not enc["special_tokens_mask"][t]:
            groups.setdefault(w, []).append(t)
    out = []
    for w, idx in groups.items():
        a, b = enc["offset_mapping"][idx[0]][0], enc["offset_mapping"][idx[-1]][1]
        text = sentence[a:b].strip()
        if any(c.isalnum() for c in text):
            out.append((text.lower(), hidden[:, idx].mean(axis=1)))
    return out if word is None else next(v for t, v in out if t == word)


def test_mean_cosine_and_static_share_by_hand():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 7)) + 2.0
    groups = np.array([0, 0, 1, 2, 2])
    pairs = [_cos(x[i], x[j]) for i in range(5) for j in range(5) if groups[i] != groups[j]]
    assert mean_cosine(x, groups) == pytest.approx(np.mean(pairs))
    gram = x.T @ x  # σ1² / Σσ² = largest eigenvalue / trace of XᵀX
    assert static_share(x) == pytest.approx(np.linalg.eigvalsh(gram).max() / np.trace(gram))
    assert static_share(np.tile(x[:1], (4, 1))) == pytest.approx(1.0)  # identical rows: one vector explains all


@pytest.mark.parametrize("kind", KINDS)
def test_baseline_means_and_word_geometry_equal_full_passes_by_hand(kind, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    base = corpus_baseline(lm, CORPUS, n_words=12, seed=1, batch_size=3)  # padded batches
    per_sentence = [_word_vectors_by_hand(lm, s, None) for s in CORPUS]
    every = np.stack([v for words in per_sentence for _, v in words])
    assert base.words == len(every) and base.sentences == len(CORPUS)
    assert np.allclose(base.means, every.mean(axis=0), atol=1e-4)
    assert base.sample.shape == (12,) + every.shape[1:]
    geo = word_geometry(lm, "bank", BANK, baseline=base)
    bank = np.stack([_word_vectors_by_hand(lm, s, "bank") for s in BANK])
    assert geo.sentences == 4 and len(geo.layers) == lm.info.layers + 1
    for layer, row in enumerate(geo.layers):
        selfsim = np.mean([_cos(bank[i, layer], bank[j, layer]) for i in range(4) for j in range(4) if i != j])
        assert row.self_similarity == pytest.approx(selfsim, abs=1e-4)
        s, owner = base.sample[:, layer], base.sample_sentence
        aniso = np.mean([_cos(s[i], s[j]) for i in range(len(s)) for j in range(len(s)) if owner[i] != owner[j]])
        assert row.anisotropy == pytest.approx(aniso, abs=1e-6)
        assert row.self_similarity_adjusted == pytest.approx(selfsim - aniso, abs=1e-4)
        gram = bank[:, layer].T.astype(np.float64) @ bank[:, layer]
        assert row.static_share == pytest.approx(np.linalg.eigvalsh(gram).max() / np.trace(gram), abs=1e-4)


def test_centring_subtracts_the_corpus_means_everywhere(tiny):
    base = corpus_baseline(tiny, CORPUS, n_words=20)
    raw = word_geometry(tiny, "bank", BANK, baseline=base)
    centred = word_geometry(tiny, "bank", BANK, centred=True, baseline=base)
    assert centred.centred and not raw.centred
    from mlm_core.embeddings.vectors import word_vectors

    wv = word_vectors(tiny, BANK, "bank")
    moved = centred_word_vectors(tiny, wv, base)
    assert np.allclose(moved, wv.vectors - base.means[None])
    for layer, row in enumerate(centred.layers):
        v = moved[:, layer]
        assert row.self_similarity == pytest.approx(
            np.mean([_cos(v[i], v[j]) for i in range(4) for j in range(4) if i != j]), abs=1e-6)
    seps = separation_by_layer(moved, ["money", "river", "money", "river"])  # the separation numbers take them as is
    assert len(seps) == tiny.info.layers + 1
    own = centred_word_vectors(tiny, wv, base, mode="word")
    assert np.allclose(own, wv.vectors - wv.vectors.mean(axis=0)) and np.allclose(own.sum(axis=0), 0, atol=1e-4)
    assert centred_word_vectors(tiny, wv, base, mode="none") is wv.vectors
    with pytest.raises(MLMError, match="Unknown centring 'mean'"):
        centred_word_vectors(tiny, wv, base, mode="mean")


def test_the_baseline_is_cached_per_model(tiny):
    first = corpus_baseline(tiny, CORPUS, n_words=10)
    assert corpus_baseline(tiny, list(CORPUS), n_words=10) is first
    assert corpus_baseline(tiny, CORPUS, n_words=11) is not first


def test_bad_input_is_a_clear_message(tiny):
    base = corpus_baseline(tiny, CORPUS, n_words=10)
    with pytest.raises(MLMError, match="does not occur"):
        word_geometry(tiny, "zebra", BANK, baseline=base)
    with pytest.raises(MLMError, match="found in 1 sentence"):
        word_geometry(tiny, "river", BANK, baseline=base)
    with pytest.raises(MLMError, match="at least two sentences"):
        corpus_baseline(tiny, ["Only one sentence here."])
    with pytest.raises(MLMError, match="Cannot centre"):
        centre(np.zeros((2, 3, 4)), np.zeros((2, 4)))
