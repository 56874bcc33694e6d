"""Workload 'research': the views of issue 13 on the bundled model, against absolute targets (seconds).

  lens          lens_of_text on a 32-token sentence with one mask (the analysis pass + the head at every layer)
  ablation      ablate_heads with one head off, on that sentence's analysis (one pass)
  pll original  sentence_score(..., "original") on a 32-token sentence (31 masked copies, one batch)
  pll word-l2r  sentence_score(..., "word-l2r") on the same sentence
  head roles    head_roles over 200 sample sentences, first call (cache emptied) and cached
Reported without a target: the corpus baseline of the geometry (200 sentences), word_geometry of 'bank' on the
polysemy set, attention flow (one row and the whole matrix) beside rollout at 32 tokens.
"""
from __future__ import annotations

from common import Stats, WorkloadResult, interleaved, log, timed

ONE_PASS_TARGET = 0.5
ROLES_TARGET = 10.0
TOKENS = 32


def run(quick: bool = False) -> WorkloadResult:
    from analysis import sentence_with_tokens

    from mlm_core.embeddings import geometry
    from mlm_core.embeddings.polysemy_data import load_polysemy
    from mlm_core.inference import heads
    from mlm_core.inference.analysis import analyze
    from mlm_core.inference.attention_flow import attention_flow
    from mlm_core.inference.attention_tools import attention_rollout
    from mlm_core.inference.lens import lens_of_text
    from mlm_core.inference.scoring import sentence_score
    from mlm_core.model.loading import load_model
    from mlm_core.sentences import sample_sentences

    res = WorkloadResult("research")
    lm = load_model("bundled")
    masked = sentence_with_tokens(lm.tokenizer, TOKENS)
    plain = masked.replace(lm.tokenizer.mask_token, "river")
    n_plain = len(lm.tokenizer(plain)["input_ids"])
    a = analyze(lm, masked)
    repeats = 3 if quick else 15
    fns = {
        "lens": lambda: lens_of_text(lm, masked),
        "ablation": lambda: heads.ablate_heads(lm, a, [(lm.info.layers - 1, 0)]),
        "pll original": lambda: sentence_score(lm, plain, "original"),
        "pll word-l2r": lambda: sentence_score(lm, plain, "word-l2r"),
    }
    log(f"one-pass views, {TOKENS} tokens, {repeats} rounds")
    times = interleaved(fns, repeats, state="after-other")
    worst = 0.0
    for name, values in times.items():
        s = Stats.of(values)
        worst = max(worst, s.median / ONE_PASS_TARGET)
        res.add(f"{name}, {TOKENS if name in ('lens', 'ablation') else n_plain}-token sentence", s.fmt(" s"),
                f"≤ {ONE_PASS_TARGET} s", s.median <= ONE_PASS_TARGET, key=True)
    sentences = sample_sentences(50 if quick else 200)
    firsts, cached = [], []
    for _ in range(1 if quick else 3):
        heads._CACHE.clear()
        dt, roles = timed(lambda: heads.head_roles(lm, sentences))
        firsts.append(dt)
        cached.append(timed(lambda: heads.head_roles(lm, sentences))[0])
    s = Stats.of(firsts)
    worst = max(worst, s.median / ROLES_TARGET)
    res.add(f"head roles over {len(sentences)} sentences ({roles.tokens} tokens), first call", s.fmt(" s"),
            f"≤ {ROLES_TARGET} s", s.median <= ROLES_TARGET, key=True)
    res.add("head roles, cached call", Stats.of(cached).fmt(" s"), "reported")
    geometry._CACHE.clear()
    dt, base = timed(lambda: geometry.corpus_baseline(lm))
    res.add(f"geometry: corpus baseline ({base.sentences} sentences, {base.words} words), first call", f"{dt:.3g} s",
            "reported")
    bank = [it.sentence for it in load_polysemy() if it.word == "bank"]
    dt, _ = timed(lambda: geometry.word_geometry(lm, "bank", bank, baseline=base))
    res.add(f"geometry: word_geometry of 'bank' ({len(bank)} sentences)", f"{dt:.3g} s", "reported")
    att = a.attentions
    res.add(f"attention rollout, {TOKENS} tokens", f"{timed(lambda: attention_rollout(att))[0]:.3g} s", "reported")
    res.add(f"attention flow to one position, {TOKENS} tokens",
            f"{timed(lambda: attention_flow(att, positions=[a.mask_positions[0]]))[0]:.3g} s", "reported")
    if not quick:
        res.add(f"attention flow, whole matrix, {TOKENS} tokens", f"{timed(lambda: attention_flow(att))[0]:.3g} s",
                "reported", detail="seq² max-flow problems: the app computes the row of the chosen token")
    res.ratio, res.ratio_target = 1.0 / worst, 1.0
    res.notes.append("RATIO: the smallest target / measured over the targeted rows (≥ 1: every target met).")
    return res
