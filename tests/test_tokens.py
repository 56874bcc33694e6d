"""mlm_core.tokens: windows of a stream, padded batches, special ids (the plumbing every stage shares)."""
import numpy as np
import torch

from mlm_core.tokens import encode_stream, pad_batch, special_lookup, trim_offsets, windows


def test_windows_cut_the_stream_with_boundaries_and_drop_the_tail():
    w = windows(np.arange(10), 5, -1, -2)  # bodies of 3
    assert w.tolist() == [[-1, 0, 1, 2, -2], [-1, 3, 4, 5, -2], [-1, 6, 7, 8, -2]]
    assert windows(np.arange(10), 5, -1, -2, max_windows=1).shape == (1, 5)
    assert windows(np.arange(2), 5, -1, -2).shape == (0, 5)
    assert windows(np.arange(2), 5, -1, -2, at_least_one=True).tolist() == [[-1, 0, 1, -2]]


def test_pad_batch_pads_and_masks():
    ids, mask = pad_batch([[5, 6, 7], [8]], pad=0)
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]] and mask.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert ids.dtype == mask.dtype == torch.long


def test_stream_and_special_ids_of_a_real_tokenizer(tiny):
    tok = tiny.tokenizer
    stream = encode_stream(tok, ["the cat sat", "on the mat"])
    assert stream.tolist() == tok("the cat sat on the mat", add_special_tokens=False)["input_ids"]
    assert len(encode_stream(tok, ["the cat sat", "on the mat"], stop_after=1)) == len(tok("the cat sat", add_special_tokens=False)["input_ids"])
    lookup = special_lookup(tok)
    assert lookup[tok.cls_token_id] and lookup[tok.mask_token_id] and not lookup[stream[0]]


def test_trim_offsets_drops_surrounding_whitespace():
    assert trim_offsets("a cat", [(0, 1), (1, 5), (1, 2)]) == [(0, 1), (2, 5), (2, 2)]
