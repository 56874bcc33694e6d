"""Contextual word vectors: locating the word, batching with padding, layers."""
import numpy as np
import pytest

from mlm_core.embeddings.vectors import locate_word, word_vectors
from mlm_core.errors import MLMError


def test_locate_word_handles_case_punctuation_and_repeats():
    occ = locate_word("The Bank, by the bank.", "bank")
    assert occ.count == 2 and occ.used == 0 and occ.found == "Bank"
    second = locate_word("The Bank, by the bank.", "bank", occurrence=1)
    assert second.start == 17 and second.found == "bank"
    assert locate_word("Riverbanks flood.", "bank") is None  # not inside another word
    assert locate_word("Two banks merged.", "bank").found == "banks"
    assert locate_word("No such word.", "bank") is None


def test_vectors_are_the_mean_of_the_words_pieces(tiny):
    import torch

    v = word_vectors(tiny, ["The hippopotamus sneezed loudly."], "hippopotamus")
    idx = v.occurrences[0].token_indices
    assert len(idx) > 1
    ids = torch.tensor([tiny.tokenizer("The hippopotamus sneezed loudly.")["input_ids"]])
    with torch.no_grad():
        hs = tiny.model.base_model(input_ids=ids, output_hidden_states=True).hidden_states
    expected = hs[-1][0, idx].mean(0).numpy()
    assert np.allclose(v.at_layer(-1)[0], expected, atol=1e-5)
    assert v.vectors.shape == (1, tiny.info.layers + 1, tiny.info.hidden)


def test_batched_with_padding_equals_one_at_a_time(tiny):
    sentences = ["I went to the bank to deposit money.", "The bank.",
                 "After a long and winding walk along the muddy river we sat on the bank and watched the boats.",
                 "Bank holidays are great."]
    batched = word_vectors(tiny, sentences, "bank", batch_size=4)
    single = word_vectors(tiny, sentences, "bank", batch_size=1)
    assert np.allclose(batched.vectors, single.vectors, atol=1e-4)


def test_missing_words_and_bad_layers_are_reported(tiny):
    progress = []
    v = word_vectors(tiny, ["a bank here", "nothing", "", "bank and bank"], "bank", on_progress=lambda d, t: progress.append((d, t)))
    assert v.indices == [0, 3]
    assert [i for i, _ in v.skipped] == [1, 2]
    assert any("occurs 2 times" in n for n in v.notes)
    assert progress[-1] == (2, 2)
    with pytest.raises(MLMError, match="out of range"):
        v.at_layer(99)
    with pytest.raises(MLMError, match="does not occur"):
        word_vectors(tiny, ["nothing here"], "bank")
