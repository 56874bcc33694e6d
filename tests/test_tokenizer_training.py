"""The WordPiece trainer: the exact size asked, special tokens first, every character of the corpus kept."""
from __future__ import annotations

from mlm_core.training.tokenizer_training import SPECIAL_TOKENS, train_wordpiece


def test_vocabulary_has_the_size_asked_and_keeps_every_character(tmp_path, sample_lines):
    tok = train_wordpiece(sample_lines[:1500], 1200, tmp_path)
    vocab = tok.get_vocab()
    assert len(tok) == 1200
    assert [vocab[t] for t in SPECIAL_TOKENS] == list(range(len(SPECIAL_TOKENS)))
    text = " ".join(sample_lines[:50]).lower()
    ids = tok(text)["input_ids"]
    assert tok.unk_token_id not in ids  # every character of the corpus survives the cut
