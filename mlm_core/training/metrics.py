"""Comparison metrics of the runs of a masking-strategy comparison, and the comparison job that reports them.

Per finished run: validation masked-token accuracy and loss (always 15% mask-only masking, so runs
with different strategies are comparable) and the pseudo-perplexity of a few fixed sentences.
`comparison_spec` builds the job (same corpus, size, budget and seed for every strategy) and gives the
runner `comparison_rows` as its summary callback, so the runner (`jobs`) never imports these metrics.
"""
from __future__ import annotations

import math
import time
from pathlib import Path

from ..errors import MLMError
from ..masking.strategies import MaskingStrategy
from .jobs import JobSpec, RunSpec, RunState, check_corpus_fits
from .loop import TrainConfig
from .run_dirs import unique_model_dir

# Plain sentences in the style of the bundled corpus, scored by pseudo-perplexity after training.
PPL_SENTENCES = [
    "The old man walked slowly down the road to the river.",
    "She opened the door and looked out into the garden.",
    "We had a long talk about the weather and the boat.",
    "He said that he would come back in the morning.",
]
# A sentence with one mask, for comparing the trained models' guesses side by side.
COMPARE_SENTENCE = "He went down to the [MASK] to look at the boat."


def _load(out_dir: str):
    from ..model.loading import load_model

    return load_model(str(out_dir), allow_local=True)


def pooled_pseudo_perplexity(lm, sentences: list[str]) -> float:
    """exp(-mean log p) over every token of every sentence (each token masked in turn)."""
    from ..inference.analysis import pseudo_log_likelihood

    total, count = 0.0, 0
    for s in sentences:
        pll = pseudo_log_likelihood(lm, s)
        total += pll.total
        count += len(pll.token_log_probs)
    if count == 0:
        raise MLMError("No tokens to score.")
    return math.exp(-total / count)


def comparison_rows(runs: list[RunState], sentences: list[str] = PPL_SENTENCES) -> list[dict]:
    """One row per finished run: validation masked-token accuracy and loss, pseudo-perplexity, budget."""
    rows = []
    for run in runs:
        res = run.result
        try:
            ppl = pooled_pseudo_perplexity(_load(run.out_dir), sentences)
        except MLMError:
            ppl = float("nan")
        rows.append({
            "strategy": run.label,
            "model": run.name,
            "steps": res.steps_done if res else None,
            "val masked-token accuracy": res.val_accuracy if res and res.val_accuracy is not None else float("nan"),
            "val loss": res.val_loss if res and res.val_loss is not None else float("nan"),
            "pseudo-perplexity": ppl,
            "train loss": res.final_loss if res else float("nan"),
            "time (s)": round(res.wall_s, 1) if res else None,
        })
    return rows


def comparison_spec(strategies: list[MaskingStrategy], corpus: str | Path, models_root: str | Path, *, owner: str = "",
                    steps: int = 150, batch_size: int = 16, seq_len: int = 64, preset: str = "tiny", lr: float = 2e-3,
                    max_lines: int | None = 3000, val_batches: int = 8, vocab_size: int | None = None,
                    seed: int = 0, prefix: str = "compare", precision: str = "auto") -> JobSpec:
    """Same corpus, same size, same budget and seed for every strategy; each run gets its own model directory."""
    if not 1 <= len(strategies) <= 4:
        raise MLMError("Choose between 1 and 4 strategies to compare.")
    names = [s.name for s in strategies]
    if len(set(names)) != len(names):
        raise MLMError("Choose each strategy only once.")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs = []
    taken: set[Path] = set()
    for s in strategies:
        out = unique_model_dir(models_root, f"{prefix}-{s.name}-{stamp}")
        while out in taken:
            out = out.with_name(out.name + "-b")
        taken.add(out)
        cfg = TrainConfig(corpus=[str(corpus)], out_dir=str(out), preset=preset, strategy=s, steps=steps,
                          batch_size=batch_size, seq_len=seq_len, lr=lr, eval_every=max(1, steps // 5),
                          save_every=10**9, val_batches=val_batches, seed=seed, vocab_size=vocab_size,
                          max_lines=max_lines, precision=precision)
        runs.append(RunSpec(s.name, cfg))
    check_corpus_fits(runs[0].config)  # the same corpus and batch for every run
    return JobSpec("compare", "Compare " + " vs ".join(names), runs, owner=owner,
                   share_data=True, summarize=comparison_rows, cleanup=True)
