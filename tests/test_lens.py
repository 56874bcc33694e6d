"""The logit lens: the model's own head read at every layer, checked against models cut after each layer."""
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze
from mlm_core.inference.lens import check_mask_index, layer_logits, lens_of_text, logit_lens
from mlm_core.tokens import never_offered
from tests.family_tools import all_kinds, model_of, truncated

KINDS = all_kinds()


def _text(lm):
    return f"The cat sat on the {lm.tokenizer.mask_token} of the river and ate a [MASK]."


@pytest.mark.parametrize("kind", KINDS)
def test_each_layer_equals_the_model_cut_after_that_layer(kind, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    a = analyze(lm, _text(lm), top_k=5)
    lens = layer_logits(lm, a, a.mask_positions)  # (layers + 1, masks, outputs)
    assert lens.shape[:2] == (lm.info.layers + 1, 2)
    ids = torch.tensor([a.token_ids])
    for n in range(lm.info.layers + 1):
        with torch.no_grad():
            full = truncated(lm, n)(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0, a.mask_positions]
        scale = max(1.0, float(full.abs().max()))
        assert float((lens[n] - full).abs().max()) <= 1e-4 * scale, (kind, n)


@pytest.mark.parametrize("kind", KINDS)
def test_top_k_ranks_and_final_answer_recomputed_by_hand(kind, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    a = analyze(lm, _text(lm), top_k=4)
    result = logit_lens(lm, a, top_k=4)
    ids = torch.tensor([a.token_ids])
    banned = never_offered(lm.tokenizer, lm.model.get_output_embeddings().out_features)
    for j, m in enumerate(result.masks):
        assert m.index == a.masks[j].index
        assert [p.token_id for p in m.layers[-1].predictions] == [p.token_id for p in a.masks[j].predictions]
        assert m.final.token_id == a.masks[j].predictions[0].token_id
        for n, layer in enumerate(m.layers):
            with torch.no_grad():
                logits = truncated(lm, n)(input_ids=ids).logits[0, m.index]
            probs = torch.softmax(logits, -1).tolist()
            offered = sorted((i for i in range(len(probs)) if not banned[i]), key=lambda i: -probs[i])
            assert [p.token_id for p in layer.predictions] == offered[:4] or \
                [round(p.score, 6) for p in layer.predictions] == [round(probs[i], 6) for i in offered[:4]]
            for p in layer.predictions:
                assert p.score == pytest.approx(probs[p.token_id], abs=1e-5)
            final = m.final.token_id
            assert layer.final_score == pytest.approx(probs[final], abs=1e-5)
            higher = sum(1 for i in offered if probs[i] > layer.final_score + 1e-7)
            assert abs(layer.final_rank - (higher + 1)) <= 1 and (n < len(m.layers) - 1 or layer.final_rank == 1)


def test_padded_and_special_ids_are_never_ranked(padded_model):
    lm = padded_model
    result = lens_of_text(lm, "The cat sat on the <mask> of the river.", top_k=30)
    specials = set(lm.tokenizer.all_special_ids)
    for layer in result.masks[0].layers:
        ids = [p.token_id for p in layer.predictions]
        assert len(ids) == 30 and all(i < len(lm.tokenizer) and i not in specials for i in ids)


def test_the_lens_uses_no_extra_encoder_pass(bundled):
    a = analyze(bundled, "He sat on the [MASK] of the river.")
    logit_lens(bundled, a)  # the first lens on a model checks its head once, with one pass
    calls = []
    handle = bundled.model.base_model.register_forward_hook(lambda *args: calls.append(1))
    try:
        logit_lens(bundled, a)
        logit_lens(bundled, a)
    finally:
        handle.remove()
    assert calls == []


def test_bundled_lens_ends_on_the_fill_and_carries_its_note(bundled):
    text = "He sat on the [MASK] of the river."
    a = analyze(bundled, text, top_k=5)
    result = lens_of_text(bundled, text, top_k=5)
    assert len(result.masks[0].layers) == bundled.info.layers + 1
    last = result.masks[0].layers[-1]
    assert [p.text for p in last.predictions] == [p.text for p in a.masks[0].predictions]
    assert [p.score for p in last.predictions] == pytest.approx([p.score for p in a.masks[0].predictions], abs=1e-6)
    assert last.final_rank == 1 and "lens" in result.note and "not" in result.note


def test_bad_input_is_a_clear_message(tiny):
    with pytest.raises(MLMError, match="no mask"):
        lens_of_text(tiny, "The cat sat on the mat.")
    with pytest.raises(MLMError, match="top-k"):
        lens_of_text(tiny, "The [MASK] sat.", top_k=0)
    result = lens_of_text(tiny, "The [MASK] sat on the [MASK].")
    assert check_mask_index(result, 1) == result.masks[1].index
    with pytest.raises(MLMError, match=r"no mask number 2: the text has 2 mask\(s\), numbered 0..1"):
        check_mask_index(result, 2)
    with pytest.raises(MLMError, match="no mask number -1"):
        check_mask_index(result, -1)
