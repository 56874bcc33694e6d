"""Head roles (Clark et al. 2019) recomputed by hand, and head ablation against a head zeroed by hand."""
import threading

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze
from mlm_core.inference.attention_tools import is_punctuation
from mlm_core.inference.heads import ROLES, HeadRoles, ablate_heads, check_heads, head_roles, parse_heads
from mlm_core.inference.token_text import display_tokens
from mlm_core.tokens import boundary_ids
from tests.family_tools import all_kinds, model_of, output_projection, values, zero_head_by_hand

KINDS = all_kinds()
SENTENCES = ["The cat sat on the mat, and then it slept.", "Rain fell.",
             "George said: we should go up the river tomorrow!"]


def _roles_by_hand(lm, sentences):
    """Per (layer, head): the role shares and entropy, by loops over every query token of every sentence."""
    cls_id, sep_id = boundary_ids(lm.tokenizer)
    n_layers, n_heads = lm.info.layers, lm.info.heads
    sums = {r: np.zeros((n_layers, n_heads)) for r in ROLES + ("entropy",)}
    rows = neighbours = 0
    for s in sentences:
        a = analyze(lm, s)
        att, ids, n = a.attentions.astype(np.float64), a.token_ids, len(a.token_ids)
        texts = display_tokens(a.tokens, lm.tokenizer)
        punct = [is_punctuation(t) and not sp for t, sp in zip(texts, a.special)]
        rows += n
        neighbours += n - 1
        for l in range(n_layers):
            for h in range(n_heads):
                for i in range(n):
                    w = att[l, h, i]
                    sums["cls"][l, h] += sum(w[j] for j in range(n) if ids[j] == cls_id)
                    sums["sep"][l, h] += sum(w[j] for j in range(n) if ids[j] == sep_id)
                    sums["punctuation"][l, h] += sum(w[j] for j in range(n) if punct[j])
                    sums["self"][l, h] += w[i]
                    sums["previous"][l, h] += w[i - 1] if i > 0 else 0.0
                    sums["next"][l, h] += w[i + 1] if i + 1 < n else 0.0
                    sums["entropy"][l, h] -= sum(x * np.log(x) for x in w if x > 0)
    out = {r: sums[r] / (neighbours if r in ("previous", "next") else rows) for r in ROLES}
    return out, sums["entropy"] / rows, rows


@pytest.mark.parametrize("kind", KINDS)
def test_role_shares_and_entropy_equal_a_loop_over_tokens(kind, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    result = head_roles(lm, SENTENCES, batch_size=2)  # two batches, one padded
    shares, entropy, rows = _roles_by_hand(lm, SENTENCES)
    assert (result.layers, result.heads) == (lm.info.layers, lm.info.heads) and result.tokens == rows
    for r in ROLES:
        assert np.allclose(result.roles[r], shares[r], atol=1e-5), r
    assert np.allclose(result.entropy, entropy, atol=1e-4)
    assert result.labels["cls"] == lm.tokenizer.convert_ids_to_tokens(boundary_ids(lm.tokenizer)[0])


def test_punctuation_and_the_models_own_boundary_tokens_are_found(native_models):
    lm = native_models["roberta"]
    result = head_roles(lm, ["Yes, no; maybe."])
    assert result.labels["cls"] == "<s>" and result.labels["sep"] == "</s>"
    assert (result.roles["punctuation"] > 0).all()


def test_dominant_role_and_mixed():
    roles = {r: np.zeros((1, 3)) for r in ROLES}
    roles["previous"][0, 0] = 0.9
    roles["sep"][0, 1], roles["self"][0, 1] = 0.45, 0.3
    roles["cls"][0, 2], roles["next"][0, 2] = 0.2, 0.3
    result = HeadRoles(1, 3, roles, np.zeros((1, 3)), 1, 1)
    assert result.dominant() == [["previous", "sep", "mixed"]]


def test_roles_are_cached_per_model_and_sentences(tiny):
    first = head_roles(tiny, SENTENCES)
    assert head_roles(tiny, list(SENTENCES)) is first
    assert head_roles(tiny, SENTENCES[:2]) is not first


def test_roles_skip_too_long_sentences_and_refuse_none(tiny):
    long = " ".join(["word"] * 300)
    result = head_roles(tiny, [long, "A short one."])
    assert result.sentences == 1 and result.skipped and result.skipped[0][0] == 0
    with pytest.raises(MLMError, match="at least one sentence"):
        head_roles(tiny, ["", "  "])


@pytest.mark.parametrize("kind", KINDS)
def test_the_zeroed_features_are_the_heads_own_output(kind, family_dirs, native_models):
    """What the hook zeroes for head h (features h*d..(h+1)*d of the output projection's input) is A_h @ V_h."""
    lm = model_of(kind, family_dirs, native_models)
    a = analyze(lm, "The cat sat on the [MASK] by the door.")
    ids = torch.tensor([a.token_ids])
    layer = lm.info.layers - 1
    proj = output_projection(lm.model, lm.info.family, layer)
    seen = []
    handle = proj.register_forward_pre_hook(lambda _m, args: seen.append(args[0][0].detach().clone()))
    try:
        with torch.no_grad():
            out = lm.model(input_ids=ids, output_hidden_states=True, output_attentions=True)
    finally:
        handle.remove()
    concatenated = seen[layer] if lm.info.family == "albert" else seen[0]  # ALBERT's layers share the module
    v = values(lm.model, lm.info.family, layer, out.hidden_states[layer][0], lm.info.heads)
    d = concatenated.shape[-1] // lm.info.heads
    for h in range(lm.info.heads):
        by_hand = out.attentions[layer][0, h] @ v[h]
        assert torch.allclose(concatenated[:, h * d:(h + 1) * d], by_hand, atol=1e-5), (kind, h)


@pytest.mark.parametrize("kind", KINDS)
def test_ablation_equals_the_head_zeroed_by_hand(kind, family_dirs, native_models):
    lm = model_of(kind, family_dirs, native_models)
    a = analyze(lm, f"The cat sat on the {lm.tokenizer.mask_token} and ate the [MASK].", top_k=6)
    shared = lm.info.family == "albert"  # one projection for every layer: the head goes off in all of them
    heads = [(l, 1) for l in range(lm.info.layers)] if shared else [(lm.info.layers - 1, 1), (0, 0)]
    result = ablate_heads(lm, a, heads)
    assert result.heads == sorted(heads)
    ids = torch.tensor([a.token_ids])
    with torch.no_grad():
        probs = torch.softmax(zero_head_by_hand(lm, heads)(input_ids=ids).logits[0], -1)
        full = torch.softmax(lm.model(input_ids=ids).logits[0], -1)
    for m in result.masks:
        assert [p.score for p in m.after] == pytest.approx([float(probs[m.index, p.token_id]) for p in m.after], abs=1e-5)
        offered = [p.token_id for p in m.after]
        assert all(float(probs[m.index, i]) <= m.after[-1].score + 1e-6 for i in range(probs.shape[-1])
                   if i not in offered and i < len(lm.tokenizer) and i not in lm.tokenizer.all_special_ids)
        for (text, before, after), p in zip(m.before_after, m.before):
            assert before == pytest.approx(float(full[m.index, p.token_id]), abs=1e-5)
            assert after == pytest.approx(float(probs[m.index, p.token_id]), abs=1e-5)
    assert not torch.allclose(probs, full)  # switching the heads off changed something


def test_ablation_leaves_the_shared_model_untouched_across_threads(bundled):
    a = analyze(bundled, "He sat on the [MASK] of the river and looked at the [MASK].", top_k=5)
    ids = torch.tensor([a.token_ids])
    with torch.no_grad():
        reference = torch.softmax(bundled.model(input_ids=ids).logits[0], -1)
    off = ablate_heads(bundled, a, [(0, 1), (3, 2)])
    errors = []

    def work(k):
        try:
            for _ in range(5):
                if k % 2:
                    again = ablate_heads(bundled, a, [(0, 1), (3, 2)])
                    assert [p.score for p in again.masks[0].after] == pytest.approx([p.score for p in off.masks[0].after])
                else:
                    with torch.no_grad():
                        plain = torch.softmax(bundled.model(input_ids=ids).logits[0], -1)
                    assert torch.allclose(plain, reference, atol=1e-6)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_bad_heads_are_clear_messages(tiny):
    a = analyze(tiny, "The [MASK] sat.")
    with pytest.raises(MLMError, match=r"Layer 2 is out of range: this model has layers 0..1"):
        ablate_heads(tiny, a, [(2, 0)])
    with pytest.raises(MLMError, match=r"Head 5 is out of range: this model has heads 0..1"):
        ablate_heads(tiny, a, [(0, 5)])
    with pytest.raises(MLMError, match="at least one head"):
        check_heads(tiny, [])
    with pytest.raises(MLMError, match="no mask"):
        ablate_heads(tiny, analyze(tiny, "The cat sat."), [(0, 0)])
    assert parse_heads("1.0, 0.1") == [(1, 0), (0, 1)]
    for bad in ("1", "a.b", "1.2.3", ""):
        with pytest.raises(MLMError, match="LAYER.HEAD|at least one head"):
            parse_heads(bad)
