"""Word boundaries for whole-word and span masking, for every tokenizer family.

A word is the tokenizer's own pre-tokenizer word, the unit `word_ids()` numbers: WordPiece splits at spaces and
punctuation ("bank", "'", "s"); byte-level BPE follows GPT-2's pattern ("bank" and "'s"; "São" is one word);
SentencePiece splits at spaces only ("bank's" is one word). Training and the corpus measurements take the words
from the encodings of the original lines (`tokens.encode_windows`), so they are exact for every family.

From ids alone (`continuation_lookup`, for callers that have nothing else) a piece continues the word before it
when it is a WordPiece '##' piece, or a byte-level BPE / SentencePiece piece without the 'Ġ' / '▁' that starts a
word. That never splits a word; it joins some (with BPE "bank" + "'s"; in a stream of lines, a line's first word
with the previous line's last). Either way a word begins after every special token.
"""
from __future__ import annotations

import torch

from ..tokens import BPE_SPACE, SENTENCEPIECE_SPACE, WORDPIECE_PREFIX


def continuation_lookup(tokenizer) -> torch.Tensor:
    """Bool per vocabulary id: does this piece continue the previous word (judged from the piece alone)?"""
    pieces = [p or "" for p in tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))]
    for marker, continues in ((WORDPIECE_PREFIX, True), (BPE_SPACE, False), (SENTENCEPIECE_SPACE, False)):
        if sum(p.startswith(marker) for p in pieces) > 0.05 * len(pieces):
            return torch.tensor([p.startswith(marker) == continues for p in pieces], dtype=torch.bool)
    return torch.zeros(len(pieces), dtype=torch.bool)  # no known marker: every piece is a word


def word_ids_from_starts(starts: torch.Tensor, special_mask: torch.Tensor) -> torch.Tensor:
    """Word index per token, (batch, seq), -1 on special tokens. A word begins where `starts` is True, at the start
    of a row and after every special token."""
    special = special_mask.bool()
    after_special = torch.ones_like(special)
    after_special[:, 1:] = special[:, :-1]
    begins = (starts.bool() | after_special) & ~special
    word_ids = torch.cumsum(begins.long(), dim=1) - 1
    return torch.where(special | (word_ids < 0), torch.full_like(word_ids, -1), word_ids)


def word_ids_from_continuation(input_ids: torch.Tensor, is_continuation: torch.Tensor,
                               special_mask: torch.Tensor) -> torch.Tensor:
    """Word index per token from the ids alone (`continuation_lookup`); -1 on special tokens."""
    return word_ids_from_starts(~is_continuation[input_ids], special_mask)
