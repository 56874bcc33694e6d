"""Workload 'embeddings': vectors of one word in 200 sentences of ~20 tokens, bert-base shape.

  baseline  the naive loop a notebook would write: for each sentence, tokenizer + base-model forward with
            output_hidden_states, mean of the word's pieces at every layer (torch.no_grad, batch of one)
  project   mlm_core.embeddings.vectors.word_vectors(lm, sentences, word)  (length-sorted batches of 32)
Both return (n, layers + 1, hidden) arrays; the benchmark checks they agree. Target: ≥ 2.5× faster.
"""
from __future__ import annotations

import random

import numpy as np

from common import ROOT, Stats, WorkloadResult, interleaved, log, matmul_rate, paired_ratios
from models import forward_flops, load_shape

TARGET = 2.5
WORD = "bank"


def make_sentences(tokenizer, n: int, word: str = WORD, tokens: tuple[int, int] = (18, 22), seed: int = 0) -> list[str]:
    """n sentences of 18–22 tokens (specials included), each with `word` once, cut from the sample corpus."""
    from mlm_core.training.corpus import read_lines

    rng = random.Random(seed)
    words = " ".join(read_lines(ROOT / "mlm_core" / "data" / "sample_corpus.txt")).split()
    words = [w for w in words if word not in w.lower()]
    out = []
    while len(out) < n:
        start = rng.randrange(0, len(words) - 40)
        length = rng.randint(10, 18)
        chunk = words[start:start + length]
        chunk.insert(rng.randrange(1, len(chunk)), word)
        sentence = " ".join(chunk)
        if tokens[0] <= len(tokenizer(sentence)["input_ids"]) <= tokens[1]:
            out.append(sentence)
    return out


def naive_word_vectors(lm, sentences: list[str], word: str) -> np.ndarray:
    """One sentence at a time: what a user without mlm_core would write."""
    import torch

    from mlm_core.embeddings.vectors import locate_word

    vectors = []
    for s in sentences:
        occ = locate_word(s, word)
        enc = lm.tokenizer(s, return_offsets_mapping=True, return_tensors="pt")
        pieces = [t for t, (a, b) in enumerate(enc["offset_mapping"][0].tolist()) if b > a and a < occ.end and b > occ.start]
        with torch.no_grad():
            out = lm.model.base_model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                                      output_hidden_states=True)
        hidden = torch.stack(out.hidden_states)[:, 0]  # (layers + 1, seq, hidden)
        vectors.append(hidden[:, pieces].mean(dim=1).numpy())
    return np.stack(vectors)


def cosine_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Smallest cosine similarity between matching vectors (every sentence, every layer)."""
    a, b = a.reshape(-1, a.shape[-1]).astype(np.float64), b.reshape(-1, b.shape[-1]).astype(np.float64)
    cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1) + 1e-12)
    return float(cos.min())


def run(quick: bool = False) -> WorkloadResult:
    from mlm_core.embeddings.vectors import word_vectors
    from mlm_core.model.precision import prepare_fast

    res = WorkloadResult("embeddings", quick=quick)
    n = 40 if quick else 200
    repeats = 2 if quick else 5
    log("embeddings: loading bert-base shape")
    lm = load_shape("bert-base")
    sentences = make_sentences(lm.tokenizer, n)
    lengths = [len(lm.tokenizer(s)["input_ids"]) for s in sentences]
    progress: list[int] = []
    fns = {"naive loop": lambda: naive_word_vectors(lm, sentences, WORD),
           "word_vectors": lambda: word_vectors(lm, sentences, WORD, on_progress=lambda d, t: progress.append(d)).vectors}
    fast = {m: prepare_fast(lm, m) for m in ("bf16", "int8")}
    for m, f in fast.items():
        fns[f"word_vectors {m}"] = (lambda f: (lambda: word_vectors(f, sentences, WORD).vectors))(f)
    ref, got = fns["naive loop"](), fns["word_vectors"]()
    diff = float(np.abs(ref - got).max())
    cos = {m: cosine_agreement(got, fns[f"word_vectors {m}"]()) for m in fast}
    times = interleaved(fns, repeats, warmup=0, state="plain", gate_each=True)
    ratio = Stats.of(paired_ratios(times["naive loop"], times["word_vectors"]))
    base, proj = Stats.of(times["naive loop"]), Stats.of(times["word_vectors"])
    res.add(f"word_vectors speed-up over the naive loop (bert-base shape, {n} sentences)", ratio.fmt("×"), f"≥ {TARGET}×",
            ratio.median >= TARGET,
            f"naive {base.median:.2f} s ({base.median / n * 1e3:.1f} ms/sentence), word_vectors {proj.median:.2f} s "
            f"({proj.median / n * 1e3:.1f} ms/sentence); {min(lengths)}–{max(lengths)} tokens (mean {np.mean(lengths):.1f}); "
            f"max |difference| of the vectors {diff:.1e}", key=True)
    rate = matmul_rate("float32", 1024, seconds=0.3 if quick else 1.5)
    floor = sum(forward_flops(lm, t, 0) for t in lengths) / rate
    res.add("fp32 compute floor for these sentences (encoder FLOPs / measured matmul rate)",
            f"{floor:.2f} s: word_vectors at {proj.median / floor:.2f}×, naive loop at {base.median / floor:.2f}×", "reported", None,
            f"word_vectors at {proj.median / floor:.2f}× the floor, the naive loop at {base.median / floor:.2f}×: in fp32 the "
            f"speed-up cannot exceed ≈{base.median / floor:.1f}× here ({rate / 1e9:.0f} GFLOP/s, "
            f"{sum(forward_flops(lm, t, 0) for t in lengths) / 1e9:.0f} GFLOP)", key=True, baseline="torch.matmul on this machine")
    if not progress or progress[-1] != len(sentences):
        res.notes.append(f"WARNING: the progress callback reported {progress[-1:] or 'nothing'} for {len(sentences)} sentences.")
    for m in fast:
        r = Stats.of(paired_ratios(times["naive loop"], times[f"word_vectors {m}"]))
        res.add(f"word_vectors on the opt-in {m} copy (prepare_fast) over the naive fp32 loop", r.fmt("×"), f"≥ {TARGET}×",
                r.median >= TARGET, f"{Stats.of(times[f'word_vectors {m}']).median:.2f} s; lowest cosine similarity to the "
                f"fp32 vectors over all sentences and layers {cos[m]:.4f}")
    res.extra["times"] = times
    res.ratio, res.ratio_target = ratio.median, TARGET
    res.notes.append(f"RATIO embeddings = naive-loop time / word_vectors time (median of {repeats} interleaved rounds).")
    if diff > 1e-3:
        res.notes.append(f"WARNING: the two methods' vectors differ by up to {diff:.2e}.")
    return res
