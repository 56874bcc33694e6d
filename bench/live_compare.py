"""Workload 'live_compare': the Masking page's default live comparison, timed end to end.

What a user gets with the defaults: `training.experiments.live_comparison_spec` with `LIVE_PAIR` (bert and
mask-only) on the bundled sample corpus and the `LIVE` budget (tiny preset, 2,000-token vocabulary, 300 steps of
16 x 64 tokens), run by the same runner the page uses (`jobs.run_job`: tokenizer training, both trainings, the
comparison rows with their pseudo-perplexities, the fixed evaluation of each model and the verdicts against the
shipped `strategies` experiment's seed-to-seed spread). Target: under 3 minutes on 2 CPU cores.

    python bench/live_compare.py [--threads N] [--seed S] [--steps N]

Prints the wall time, the rows and whether the pair separated beyond the shipped spread; writes
bench/out/live_compare.json. `--threads` sets torch's intra-op threads for the run (default: leave torch's own
default, as the app does).
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from common import OUT_DIR, machine_info  # noqa: F401 - sets HF offline and sys.path


def main() -> int:
    import torch

    from mlm_core.masking.strategies import MaskingStrategy
    from mlm_core.training.experiments import (LIVE, LIVE_METRIC, LIVE_PAIR, clear_difference, live_comparison_spec,
                                               row_column, shipped_experiments)
    from mlm_core.training.jobs import JobState, run_job
    from mlm_core.training.uploads import SAMPLE_CORPUS

    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=None)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    settings = LIVE if args.steps is None else replace(LIVE, steps=args.steps)
    reference = shipped_experiments().get("strategies")
    root = Path(tempfile.mkdtemp(prefix="live-compare-"))
    try:
        spec = live_comparison_spec([MaskingStrategy(n) for n in LIVE_PAIR], SAMPLE_CORPUS, root, settings=settings,
                                    seed=args.seed, reference=reference)
        t0 = time.perf_counter()
        state = run_job(spec, JobState(spec))
        wall = time.perf_counter() - t0
        snap = state.snapshot()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if snap.error:
        print("failed:", snap.error)
        return 1
    rows = snap.rows
    column = row_column(LIVE_METRIC)
    spread = reference.spread(LIVE_METRIC) if reference is not None else float("nan")
    a, b = (next(r[column] for r in rows if r["strategy"] == n) for n in LIVE_PAIR)
    separated = clear_difference(a, b, spread)
    print(f"live comparison {' vs '.join(LIVE_PAIR)}, {settings.steps} steps, torch threads {torch.get_num_threads()}: "
          f"{wall:.0f} s wall (target < 180 s)")
    for r in rows:
        print(f"  {r['strategy']:10s} token eval loss {r['token eval loss']:.3f}  kept eval accuracy "
              f"{r['kept eval accuracy']:.1%}  val acc {r['val masked-token accuracy']:.1%}  "
              f"{r.get('verdict (' + column + ')', '')}  ({r['time (s)']} s training)")
    print(f"  {column}: difference {abs(a - b):.4f} vs shipped seed-to-seed spread {spread:.4f}: "
          f"{'separated' if separated else 'no clear difference'}")
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "live_compare.json").write_text(json.dumps({
        "pair": list(LIVE_PAIR), "steps": settings.steps, "seed": args.seed, "threads": torch.get_num_threads(),
        "wall_s": round(wall, 1), "rows": rows, "spread": spread, "difference": abs(a - b), "separated": separated,
        "machine": machine_info()}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
