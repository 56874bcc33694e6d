"""Sentence scores: both PLL variants against a loop of single-masked full forward passes; minimal pairs."""
import math

import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import pseudo_log_likelihood
from mlm_core.inference.scoring import check_variant, compare_pair, score_sentences, sentence_score
from tests.family_tools import all_kinds, model_of

KINDS = all_kinds()
TEXT = "Unbelievably, the hippopotamus sneezed on the riverbank."


def _by_hand(lm, text, variant):
    """One full forward pass per scored token, with the token (and, for word-l2r, the later pieces of its word)
    masked; log-softmax over every output; specials and padding not scored."""
    enc = lm.tokenizer(text)
    ids, words = enc["input_ids"], enc.word_ids()
    tok = lm.tokenizer
    scored = [i for i, t in enumerate(ids) if t not in {tok.cls_token_id, tok.sep_token_id, tok.pad_token_id}]
    out = []
    for p in scored:
        masked = list(ids)
        masked[p] = tok.mask_token_id
        if variant == "word-l2r":
            for j in scored:
                if j > p and words[j] is not None and words[j] == words[p]:
                    masked[j] = tok.mask_token_id
        with torch.no_grad():
            logits = lm.model(input_ids=torch.tensor([masked])).logits[0, p]
        out.append(float(torch.log_softmax(logits, -1)[ids[p]]))
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variant", ["original", "word-l2r"])
def test_scores_equal_single_masked_passes_by_hand(kind, variant, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    result = sentence_score(lm, TEXT, variant, batch_size=4)  # several batches
    by_hand = _by_hand(lm, TEXT, variant)
    assert result.token_log_probs == pytest.approx(by_hand, abs=1e-4)
    assert result.total == pytest.approx(sum(by_hand), abs=1e-3)
    assert result.pseudo_perplexity == pytest.approx(math.exp(-sum(by_hand) / len(by_hand)), rel=1e-4)
    assert len(result.tokens) == len(result.texts) == len(result.positions) == len(by_hand)


@pytest.mark.parametrize("kind", KINDS)
def test_word_l2r_masks_the_later_pieces_of_the_word(kind, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    original, l2r = sentence_score(lm, TEXT, "original"), sentence_score(lm, TEXT, "word-l2r")
    words = lm.tokenizer(TEXT).word_ids()
    long_words = [p for p in l2r.positions if sum(1 for q in l2r.positions if words[q] == words[p]) > 1]
    assert long_words, "the text has a word of several pieces"
    for p, sets in zip(l2r.positions, l2r.masked_with):
        later = [q for q in l2r.positions if q > p and words[q] == words[p]]
        assert sets == [p] + later
    assert all(s == [p] for p, s in zip(original.positions, original.masked_with))
    last_pieces = [i for i, p in enumerate(l2r.positions) if not any(q > p and words[q] == words[p] for q in l2r.positions)]
    for i in last_pieces:  # a word's last piece is masked alone in both variants
        assert l2r.token_log_probs[i] == pytest.approx(original.token_log_probs[i], abs=1e-5)


def test_original_variant_is_the_existing_pll(tiny):
    old = pseudo_log_likelihood(tiny, TEXT)
    new = sentence_score(tiny, TEXT, "original")
    assert new.token_log_probs == pytest.approx(old.token_log_probs, abs=1e-6)
    assert new.tokens == old.tokens


def test_minimal_pair_prefers_the_higher_total(bundled):
    pair = compare_pair(bundled, ["The keys to the cabinet are on the table.", "The keys to the cabinet is on the table."])
    assert pair.difference == pytest.approx(pair.first.total - pair.second.total)
    assert pair.preferred == (0 if pair.difference >= 0 else 1)
    assert pair.odds == pytest.approx(math.exp(abs(pair.difference)))
    l2r = compare_pair(bundled, ["The keys are here.", "The keys is here."], "word-l2r")
    assert l2r.first.variant == "word-l2r"


def test_bad_input_is_a_clear_message(tiny):
    with pytest.raises(MLMError, match="A minimal pair is two sentences; got 1"):
        compare_pair(tiny, ["The keys are here.", " "])
    with pytest.raises(MLMError, match="got 3"):
        compare_pair(tiny, ["a b", "c d", "e f"])
    with pytest.raises(MLMError, match="remove the masks"):
        sentence_score(tiny, "The [MASK] sat.")
    with pytest.raises(MLMError, match="Unknown scoring variant 'best'"):
        sentence_score(tiny, "The cat sat.", "best")
    with pytest.raises(MLMError, match="at least one sentence"):
        score_sentences(tiny, ["", "  "])
    assert check_variant("within_word_l2r") == "word-l2r" and check_variant("Original") == "original"


def test_both_variants_equal_minicons(bundled):
    """minicons' MaskedLMScorer on the same model, to 1e-4 nats per sentence (skipped where minicons is absent)."""
    scorer_module = pytest.importorskip("minicons.scorer")
    from bench.minicons_check import minicons_scorer

    sentences = ["The keys to the cabinet are on the table.", "Unbelievably, the hippopotamus sneezed.",
                 "George and Harris went up the river in a small boat."]
    scorer = minicons_scorer(scorer_module, bundled)
    for variant, metric in (("original", "original"), ("word-l2r", "within_word_l2r")):
        theirs = scorer.sequence_score(sentences, reduction=lambda x: x.sum(0).item(), PLL_metric=metric)
        mine = [sentence_score(bundled, s, variant).total for s in sentences]
        assert mine == pytest.approx(theirs, abs=1e-4), variant
