"""One forward pass: predictions, attentions, hidden states; joint fill, target scoring, PLL."""
import math

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import (all_mask_ids, analyze, forward_at, iterative_fill, mask_slots, pseudo_log_likelihood,
                               score_targets)
from mlm_core.model.loading import load_model
from tests.conftest import FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_head_at_masked_positions_equals_full_logits(family_dirs, family):
    lm = load_model(str(family_dirs[family]))
    a = analyze(lm, f"The cat sat on the {lm.tokenizer.mask_token} near the [MASK].", top_k=5)
    assert len(a.masks) == 2
    ids = torch.tensor([a.token_ids])
    with torch.no_grad():
        full = lm.model(input_ids=ids).logits[0]
    probs = torch.softmax(full, -1)
    for m in a.masks:
        for p in m.predictions:
            assert p.score == pytest.approx(float(probs[m.index, p.token_id]), abs=1e-5)
    layers, heads = lm.info.layers, lm.info.heads
    n = len(a.tokens)
    assert a.attentions.shape == (layers, heads, n, n)
    assert np.allclose(a.attentions.sum(-1), 1.0, atol=1e-4)
    assert a.hidden_states.shape[:2] == (layers + 1, n)


def test_everything_comes_from_one_forward_pass(tiny):
    calls = []
    handle = tiny.model.register_forward_hook(lambda *args: calls.append(1))
    try:
        analyze(tiny, "A [MASK] and another [MASK] here.", top_k=3)
    finally:
        handle.remove()
    assert len(calls) == 1


def test_predictions_are_descending_and_exclude_special_tokens(tiny):
    a = analyze(tiny, "The [MASK] was cold.", top_k=20)
    scores = [p.score for p in a.masks[0].predictions]
    assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0 + 1e-6
    specials = set(tiny.tokenizer.all_special_tokens)
    assert not specials & {p.token for p in a.masks[0].predictions}


def test_words_group_their_pieces(tiny):
    a = analyze(tiny, "Unbelievably, the hippopotamus sneezed.")
    words = {w.text: w for w in a.words}
    assert "hippopotamus" in words and "Unbelievably" in words
    assert len(words["hippopotamus"].token_indices) > 1  # split into several pieces
    joined = "".join(a.tokens[i].replace("##", "") for i in words["hippopotamus"].token_indices)
    assert joined == "hippopotamus"


def test_masking_a_word_split_into_pieces_masks_every_piece(tiny):
    a0 = analyze(tiny, "The hippopotamus sneezed.")
    word = next(w for w in a0.words if w.text == "hippopotamus")
    a = analyze(tiny, "The hippopotamus sneezed.", mask_positions=word.token_indices)
    assert a.mask_positions == word.token_indices
    assert [m.original for m in a.masks] == [a0.tokens[i] for i in word.token_indices]
    assert mask_slots(a) == [word.token_indices]


def test_multi_piece_target_is_scored_by_the_chain_rule(tiny):
    a = analyze(tiny, "The [MASK] sneezed.")
    slot = mask_slots(a)[0]
    scores = {s.word: s for s in score_targets(tiny, a, slot, ["hippopotamus", "cat"])}
    hippo = scores["hippopotamus"]
    assert len(hippo.pieces) > 1 and "chain rule" in hippo.method
    # recompute by hand: piece i predicted with pieces < i filled and the rest masked
    tok = tiny.tokenizer
    pieces = tok.convert_tokens_to_ids(hippo.pieces)
    ids = a.token_ids[: slot[0]] + [tok.mask_token_id] * len(pieces) + a.token_ids[slot[0] + 1:]
    total = 0.0
    for j, piece in enumerate(pieces):
        with torch.no_grad():
            logits = tiny.model(input_ids=torch.tensor([ids])).logits[0, slot[0] + j]
        total += float(torch.log_softmax(logits, -1)[piece])
        ids[slot[0] + j] = piece
    assert hippo.log_prob == pytest.approx(total, abs=1e-4)
    cat = scores["cat"]
    assert len(cat.pieces) == 1
    with torch.no_grad():
        p = torch.softmax(tiny.model(input_ids=torch.tensor([a.token_ids])).logits[0, slot[0]], -1)
    assert cat.prob == pytest.approx(float(p[tok.convert_tokens_to_ids("cat")]), rel=1e-4)


def test_pseudo_log_likelihood_matches_one_mask_at_a_time(tiny):
    text = "The river was cold."
    pll = pseudo_log_likelihood(tiny, text, batch_size=2)
    ids = tiny.tokenizer(text)["input_ids"]
    expected = 0.0
    for i in range(1, len(ids) - 1):
        masked = list(ids)
        masked[i] = tiny.tokenizer.mask_token_id
        with torch.no_grad():
            logits = tiny.model(input_ids=torch.tensor([masked])).logits[0, i]
        expected += float(torch.log_softmax(logits, -1)[ids[i]])
    assert pll.total == pytest.approx(expected, abs=1e-3)
    assert pll.pseudo_perplexity == pytest.approx(math.exp(-expected / (len(ids) - 2)), rel=1e-3)
    with pytest.raises(MLMError, match="remove the masks"):
        pseudo_log_likelihood(tiny, "The [MASK] was cold.")


def test_iterative_fill_fills_every_mask_most_confident_first(tiny):
    a = analyze(tiny, "The [MASK] sat on the [MASK] by the [MASK].")
    fill = iterative_fill(tiny, a.token_ids)
    assert len(fill.steps) == 3
    assert sorted(s.position for s in fill.steps) == a.mask_positions
    assert tiny.tokenizer.mask_token not in fill.tokens
    # the first step fixes the position whose best independent prediction is the most confident
    best_first = max(a.masks, key=lambda m: m.predictions[0].score)
    assert fill.steps[0].position == best_first.index
    ltr = iterative_fill(tiny, a.token_ids, order="left-to-right")
    assert [s.position for s in ltr.steps] == a.mask_positions


def test_generation_from_all_masks(tiny):
    ids = all_mask_ids(tiny, 6)
    assert ids.count(tiny.tokenizer.mask_token_id) == 6
    fill = iterative_fill(tiny, ids)
    assert len(fill.steps) == 6 and fill.text
    with pytest.raises(MLMError):
        all_mask_ids(tiny, 0)


@pytest.mark.parametrize("text,message", [("", "empty"), ("   ", "empty")])
def test_empty_text(tiny, text, message):
    with pytest.raises(MLMError, match=message):
        analyze(tiny, text)


def test_too_many_tokens_is_refused_not_truncated(tiny):
    with pytest.raises(MLMError, match=r"tokens long but .* reads at most 128.*refuses"):
        analyze(tiny, "word " * 300 + "[MASK]")


def test_top_k_and_positions_out_of_range(tiny):
    with pytest.raises(MLMError, match="top-k"):
        analyze(tiny, "a [MASK]", top_k=0)
    with pytest.raises(MLMError, match="top-k"):
        analyze(tiny, "a [MASK]", top_k=10**6)
    with pytest.raises(MLMError, match="cannot be masked"):
        analyze(tiny, "a b c", mask_positions=[0])
    with pytest.raises(MLMError, match="cannot be masked"):
        analyze(tiny, "a b c", mask_positions=[99])


def test_forward_at_batches_rows_independently(tiny):
    ids = torch.tensor([tiny.tokenizer("the cat sat")["input_ids"], tiny.tokenizer("a dog ran")["input_ids"]])
    logits, _, _ = forward_at(tiny, ids, [(0, 1), (1, 2)])
    with torch.no_grad():
        full = tiny.model(input_ids=ids).logits
    assert torch.allclose(logits[0], full[0, 1], atol=1e-5) and torch.allclose(logits[1], full[1, 2], atol=1e-5)
