"""Generation both ways: iterative unmasking (steps, remasking order, blocks, seeds), left to right, and the measures."""
import json
from dataclasses import asdict

import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.generation import (Sampling, UnmaskSettings, causal_generate, causal_score, repetition_rate,
                                 reveal_schedule, text_measures, unmask_generate)
from mlm_core.tokens import never_offered


@pytest.fixture(scope="module")
def causal_dir(tmp_path_factory, tokenizer_dir):
    """A tiny random companion decoder (model.causal.build_causal_lm) with the WordPiece of `tokenizer_dir`; its
    embeddings are scaled up so its predictions are decisive rather than near-uniform."""
    from transformers import AutoTokenizer

    from mlm_core.model.causal import build_causal_lm
    from mlm_core.training.presets import SizePreset

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    tok.model_max_length = 128
    model = build_causal_lm(tok, SizePreset(layers=2, hidden=64, heads=2, intermediate=128, vocab_size=len(tok)), 128, 0)
    with torch.no_grad():
        model.get_input_embeddings().weight.mul_(20.0)
    out = tmp_path_factory.mktemp("causal-tiny")
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def clm(causal_dir):
    from mlm_core.model.causal import load_causal_model

    return load_causal_model(str(causal_dir))


def _masked_sequence(lm, content):
    from mlm_core.tokens import boundary_ids

    start, end = boundary_ids(lm.tokenizer)
    return torch.tensor([[start] + list(content) + [end]])


def _by_hand(lm, content):
    """Full forward pass: (best id, its probability) at every position of `content`, over the ids a fill may offer."""
    with torch.no_grad():
        logits = lm.model(input_ids=_masked_sequence(lm, content)).logits[0, 1:-1].float()
    logits = logits.masked_fill(never_offered(lm.tokenizer, logits.shape[-1]), float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    return probs.argmax(-1).tolist(), probs.max(-1).values.tolist()


# ---------------------------------------------------------------- the plan


def test_the_schedule_spreads_the_tokens_evenly_over_the_steps_and_blocks():
    assert [s.reveal for s in reveal_schedule(10, steps=4)] == [3, 3, 2, 2]
    assert [s.reveal for s in reveal_schedule(5)] == [1] * 5  # default: one token a step
    plan = reveal_schedule(10, steps=4, block=4)  # blocks 0-4, 4-8, 8-10
    assert [(s.block, s.start, s.end, s.reveal) for s in plan] == [(0, 0, 4, 2), (0, 0, 4, 2), (1, 4, 8, 4), (2, 8, 10, 2)]
    assert [(s.block, s.reveal) for s in reveal_schedule(10, block=4, per_step=3)] == [(0, 3), (0, 1), (1, 3), (1, 1), (2, 2)]
    assert [s.reveal for s in reveal_schedule(8, steps=4, block=4)] == [2, 2, 2, 2]  # LLaDA's steps / blocks
    assert [s.reveal for s in reveal_schedule(6, block=100, per_step=4)] == [4, 2]  # a block past the end: one block


@pytest.mark.parametrize("kwargs, message", [
    (dict(length=0), "at least 1 token"),
    (dict(length=6, steps=7), "at most 6 steps"),
    (dict(length=6, steps=0), "at least 1"),
    (dict(length=10, steps=2, block=3), "at least 4 steps"),
    (dict(length=6, block=0), "block length"),
    (dict(length=6, per_step=0), "at least 1 token"),
    (dict(length=6, steps=5, per_step=2), "not both"),
])
def test_impossible_plans_are_refused_in_one_line(kwargs, message):
    with pytest.raises(MLMError, match=message) as err:
        reveal_schedule(**kwargs)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------- unmasking


@pytest.mark.parametrize("settings", [
    UnmaskSettings(length=10, steps=4),
    UnmaskSettings(length=9, per_step=2, order="random", seed=3),
    UnmaskSettings(length=12, steps=6, block=4),
    UnmaskSettings(length=7, steps=3, temperature=1.0, top_k=20, seed=1),
])
def test_each_step_reveals_the_promised_number_of_tokens_and_never_changes_one(bundled, settings):
    run = unmask_generate(bundled, settings)
    mask = bundled.tokenizer.mask_token_id
    plan = reveal_schedule(settings.length, settings.steps, settings.block, settings.per_step)
    assert [len(s.revealed) for s in run.steps] == [p.reveal for p in plan]
    fixed: dict[int, int] = {}
    for step in run.steps:
        candidates = [p for p in range(*step.block_span) if p not in fixed]
        assert sorted(step.revealed + step.remasked) == candidates  # predicted: exactly the masked ones of the block
        for p in step.revealed:
            assert step.token_ids[p] == step.predicted[p] != mask
            fixed[p] = step.token_ids[p]
        assert all(step.token_ids[p] == t for p, t in fixed.items())  # a revealed token is never changed again
        assert [p for p, t in enumerate(step.token_ids) if t == mask] == sorted(set(range(settings.length)) - set(fixed))
    assert run.token_ids == run.steps[-1].token_ids and mask not in run.token_ids and len(run.token_ids) == settings.length
    assert not never_offered(bundled.tokenizer, bundled.model.config.vocab_size)[run.token_ids].any()


def test_low_confidence_remasking_reveals_the_most_confident_positions_first(bundled):
    length, per_step = 8, 3
    run = unmask_generate(bundled, UnmaskSettings(length=length, per_step=per_step))
    mask = bundled.tokenizer.mask_token_id
    content = [mask] * length
    for step in run.steps[:2]:
        best, confidence = _by_hand(bundled, content)
        masked = [p for p in range(length) if content[p] == mask]
        expected = sorted(masked, key=lambda p: -confidence[p])[:len(step.revealed)]
        assert step.revealed == expected
        for p in masked:
            assert step.predicted[p] == best[p]
            assert step.confidence[p] == pytest.approx(confidence[p], rel=1e-3, abs=1e-6)
        worst_kept = min(confidence[p] for p in step.revealed)
        assert all(confidence[p] <= worst_kept for p in step.remasked)
        content = step.token_ids


def test_block_wise_decoding_never_reveals_outside_the_current_block(bundled):
    length, block = 12, 4
    for order in ("confidence", "random"):
        run = unmask_generate(bundled, UnmaskSettings(length=length, steps=6, block=block, order=order, seed=5))
        mask = bundled.tokenizer.mask_token_id
        blocks_seen = [s.block for s in run.steps]
        assert blocks_seen == sorted(blocks_seen) and set(blocks_seen) == {0, 1, 2}
        for step in run.steps:
            lo, hi = step.block_span
            assert (lo, hi) == (step.block * block, step.block * block + block)
            assert all(lo <= p < hi for p in step.revealed + step.remasked)
            assert all(t == mask for t in step.token_ids[hi:])  # later blocks untouched
            assert mask not in step.token_ids[:lo]  # earlier blocks finished
            assert all(step.predicted[p] is None for p in range(length) if not lo <= p < hi)


def test_seeds_reproduce_a_run_and_other_seeds_differ(bundled):
    settings = dict(length=10, steps=5, order="random", temperature=1.0, top_k=50)
    a = unmask_generate(bundled, UnmaskSettings(**settings, seed=11))
    b = unmask_generate(bundled, UnmaskSettings(**settings, seed=11))
    assert json.dumps(asdict(a)) == json.dumps(asdict(b))
    others = [unmask_generate(bundled, UnmaskSettings(**settings, seed=s)) for s in (12, 13)]
    assert any([s.revealed for s in o.steps] != [s.revealed for s in a.steps] or o.token_ids != a.token_ids
               for o in others)


def test_unmasking_refuses_bad_settings_and_a_causal_model(bundled, clm):
    for settings, message in [(UnmaskSettings(length=0), "between 1 and 510"),
                              (UnmaskSettings(length=511), "between 1 and 510"),
                              (UnmaskSettings(length=5, steps=6), "at most 5 steps"),
                              (UnmaskSettings(length=5, order="sideways"), "Unknown unmasking order"),
                              (UnmaskSettings(length=5, temperature=-1.0), "temperature")]:
        with pytest.raises(MLMError, match=message) as err:
            unmask_generate(bundled, settings)
        assert "\n" not in str(err.value)
    with pytest.raises(MLMError, match="not a masked language model"):
        unmask_generate(clm, UnmaskSettings(length=4))


# ---------------------------------------------------------------- left to right


def test_greedy_causal_generation_is_the_argmax_of_a_hand_loop_of_forward_passes(clm):
    length = 12
    run = causal_generate(clm, length)
    start = clm.tokenizer.cls_token_id
    ids = [start]
    banned = never_offered(clm.tokenizer, clm.model.config.vocab_size)
    for _ in range(length):  # no cache: the whole sequence again every step
        with torch.no_grad():
            logits = clm.model(input_ids=torch.tensor([ids])).logits[0, -1]
        ids.append(int(logits.masked_fill(banned, float("-inf")).argmax()))
    assert run.token_ids == ids[1:]
    assert len(run.steps) == length and [s.token_id for s in run.steps] == run.token_ids
    assert len(set(run.token_ids)) > 1  # the decisive fixture does not just repeat one token
    assert all(s.alternatives[0][1] == pytest.approx(s.probability) for s in run.steps)  # greedy: the top one


def test_causal_sampling_is_seeded_and_top_1_sampling_is_greedy(clm):
    greedy = causal_generate(clm, 10)
    assert causal_generate(clm, 10, Sampling(temperature=1.5, top_k=1), seed=4).token_ids == greedy.token_ids
    a = causal_generate(clm, 10, Sampling(temperature=2.0, top_k=200), seed=7)
    assert causal_generate(clm, 10, Sampling(temperature=2.0, top_k=200), seed=7).token_ids == a.token_ids
    assert any(causal_generate(clm, 10, Sampling(temperature=2.0, top_k=200), seed=s).token_ids != a.token_ids
               for s in (8, 9))
    assert len(a.token_ids) == 10


def test_causal_generation_refuses_bad_lengths_and_a_masked_model(clm, bundled):
    for length in (0, 128):
        with pytest.raises(MLMError, match="between 1 and 127"):
            causal_generate(clm, length)
    with pytest.raises(MLMError, match="causal"):
        causal_generate(bundled, 5)
    with pytest.raises(MLMError, match="top-k"):
        causal_generate(clm, 5, Sampling(temperature=1.0, top_k=0))


# ---------------------------------------------------------------- measures


@pytest.mark.parametrize("text, n, rate", [
    ("the cat the cat the cat", 2, 0.6),  # 5 bigrams, 2 distinct
    ("a b c d e", 2, 0.0),
    ("The cat. the cat.", 2, 0.4),  # the cat . the cat . : 5 bigrams, 3 distinct
    ("a a a b", 1, 0.5),
    ("hello", 2, 0.0),  # no bigram at all
    ("", 3, 0.0),
    ("x y z x y z", 3, 0.25),  # 4 trigrams: xyz yzx zxy xyz
])
def test_the_repetition_rate_on_hand_made_texts(text, n, rate):
    assert repetition_rate(text, n) == pytest.approx(rate)


def test_the_measures_of_a_text_equal_their_hand_computations(bundled, clm):
    from mlm_core.inference.scoring import sentence_score

    text = "the river was quiet and the boat was slow"
    score = causal_score(clm, text)
    ids = [clm.tokenizer.cls_token_id] + clm.tokenizer(text, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logp = torch.log_softmax(clm.model(input_ids=torch.tensor([ids])).logits[0], -1)
    total = sum(float(logp[t - 1, ids[t]]) for t in range(1, len(ids)))
    assert score.total == pytest.approx(total, rel=1e-5)
    assert score.perplexity == pytest.approx(torch.exp(torch.tensor(-total / (len(ids) - 1))).item(), rel=1e-5)
    m = text_measures(text, bundled, clm)
    assert m.pseudo_log_likelihood == pytest.approx(sentence_score(bundled, text).total)
    assert m.causal_perplexity == pytest.approx(score.perplexity)
    assert m.repetition_rate == pytest.approx(repetition_rate(text, 2)) and m.repetition_n == 2


# ---------------------------------------------------------------- the command


def test_the_generate_command_runs_both_ways_at_the_same_length(tiny_dir, causal_dir, capsys):
    from mlm_core.cli import main

    code = main(["generate", "--mlm", str(tiny_dir), "--causal", str(causal_dir), "--length", "6", "--steps", "3",
                 "--block", "3", "--seed", "2", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["mlm"]["tokens"]) == len(out["causal"]["tokens"]) == 6
    assert [len(s["revealed"]) for s in out["mlm"]["steps"]] == [2, 1, 3]
    assert set(out["measures"]) == {"mlm", "causal"}
    assert all(m["causal_perplexity"] > 0 and m["pseudo_log_likelihood"] < 0 for m in out["measures"].values())


@pytest.mark.parametrize("extra, message", [
    (["--length", "0"], "at least 1 token"),
    (["--length", "200"], "between 1 and"),
    (["--length", "4", "--steps", "5"], "at most 4 steps"),
    (["--length", "4", "--order", "sideways"], "Unknown unmasking order"),
])
def test_the_generate_command_answers_bad_input_in_one_line(tiny_dir, causal_dir, capsys, extra, message):
    from mlm_core.cli import main

    assert main(["generate", "--mlm", str(tiny_dir), "--causal", str(causal_dir)] + extra) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err


def test_the_generate_command_refuses_a_model_of_the_wrong_kind(tiny_dir, causal_dir, capsys):
    from mlm_core.cli import main

    assert main(["generate", "--mlm", str(tiny_dir), "--causal", str(tiny_dir), "--length", "4"]) == 2
    err = capsys.readouterr().err.strip()
    assert "masked language model" in err and "causal" in err and "\n" not in err
    assert main(["generate", "--mlm", str(causal_dir), "--causal", str(causal_dir), "--length", "4"]) == 2
    assert "not a masked language model" in capsys.readouterr().err
