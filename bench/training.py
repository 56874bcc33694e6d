"""Workload 'training': tokens/s of mlm_core.training.loop.train_mlm vs HF Trainer, same model and data.

Model: the "small" preset (4 layers, hidden 256, ModernBERT), seq 128, batch 32, trained from the same
seed on the bundled sample corpus (mlm_core/data/sample_corpus.txt), tokenized once by train_mlm's own
data preparation (its WordPiece tokenizer and 128-token sequences) and shared by both.

  baseline  transformers.Trainer + DataCollatorForLanguageModeling (15 %, 80/10/10), ModernBertForMaskedLM with
            the same config but sparse_prediction=False (logits at every position, as Trainer users get),
            default fp32, the same optimiser settings (AdamW 1e-3, betas 0.9/0.98, eps 1e-6, wd 0.01,
            5 % linear warm-up then linear decay, grad-norm clip 1.0)
  project   train_mlm(TrainConfig(preset="small", ...)): sparse prediction, bf16 autocast where the CPU supports it

Every run is a fresh process (accelerate keeps global state), runs alternate B, P, B, P, ... Tokens/s is
measured between optimizer steps, after the first two. Quality check: after the same number of tokens,
both models are evaluated in fp32 on the same held-out batches, masked once with a fixed seed (15 %, all
[MASK]); the project's validation loss must be within 5 % of the baseline's.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Stats, WorkloadResult, log, paired_ratios, wait_quiet

TARGET = 3.0
LOSS_TOLERANCE = 0.05
SKIP = 2  # warm-up steps excluded from tokens/s
SEQ, BATCH = 128, 32
SAMPLE = ROOT / "mlm_core" / "data" / "sample_corpus.txt"


def _config(out_dir: str, steps: int):
    from mlm_core.training.loop import TrainConfig

    return TrainConfig(corpus=[str(SAMPLE)], out_dir=out_dir, preset="small", steps=steps, batch_size=BATCH, seq_len=SEQ,
                       eval_every=10**9, save_every=10**9, seed=0)


def prepare(prep_dir: Path) -> None:
    """train_mlm's own data preparation (tokenizer + sequences), done once and copied into every run."""
    from mlm_core.training.loop import _prepare_data

    _prepare_data(_config(str(prep_dir), 1), prep_dir, prep_dir / "tokenizer", lambda m: log(f"training: {m}"))


def validation_batches(tokenizer, valid, max_batches: int = 8):
    """Held-out batches masked once with a fixed seed: (input_ids, labels) pairs shared by both runs."""
    import numpy as np
    import torch

    from mlm_core.masking.masker import TokenizerMasker
    from mlm_core.training.loop import VALIDATION_STRATEGY

    masker = TokenizerMasker(tokenizer)
    gen = torch.Generator().manual_seed(1234)
    out = []
    for i in range(0, min(len(valid), max_batches * BATCH), BATCH):
        ids = torch.from_numpy(valid[i:i + BATCH].astype(np.int64))
        m = masker(ids, VALIDATION_STRATEGY, gen)
        out.append((m.input_ids, m.labels))
    return out


def evaluate(model, batches) -> float:
    """Mean cross-entropy over the masked positions, fp32, logits only where labels are set."""
    import torch

    model = model.float().eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for ids, labels in batches:
            hidden = model.base_model(input_ids=ids).last_hidden_state
            sel = labels != -100
            logits = model.get_output_embeddings()(model.head(hidden[sel]))
            total += float(torch.nn.functional.cross_entropy(logits.float(), labels[sel], reduction="sum"))
            count += int(sel.sum())
    return total / max(count, 1)


def tokens_per_s(stamps: list[float]) -> float:
    """stamps[k] = time at the end of optimizer step k+1. Rate over steps SKIP+1 .. N-1 (the last may include a final eval)."""
    if len(stamps) < SKIP + 3:
        return (len(stamps) - 1) * BATCH * SEQ / max(stamps[-1] - stamps[0], 1e-9)
    a, b = SKIP - 1, len(stamps) - 2
    return (b - a) * BATCH * SEQ / (stamps[b] - stamps[a])


# --------------------------------------------------------------------------- child processes

def child_project(prep: Path, work: Path, steps: int) -> dict:
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    from mlm_core.training.loop import train_mlm

    out = work / "project"
    out.mkdir(parents=True)
    shutil.copytree(prep / "tokenizer", out / "tokenizer")
    shutil.copytree(prep / "data", out / "data")
    stamps: list[float] = []
    result = train_mlm(_config(str(out), steps), on_progress=lambda p: stamps.append(time.perf_counter()))
    summary = json.loads((out / "training_summary.json").read_text())
    import numpy as np

    tokenizer = AutoTokenizer.from_pretrained(out / "tokenizer")
    model = AutoModelForMaskedLM.from_pretrained(out)
    val = evaluate(model, validation_batches(tokenizer, np.load(prep / "data" / "valid.npy")))
    train_losses = [h["loss"] for h in result.log if "loss" in h]
    return {"stamps": stamps, "val_loss": val, "precision": summary["precision"], "steps": result.steps_done,
            "train_loss_last": train_losses[-3:]}


def child_baseline(prep: Path, work: Path, steps: int) -> dict:
    import numpy as np
    import torch
    from transformers import (AutoTokenizer, DataCollatorForLanguageModeling, Trainer, TrainerCallback,
                              TrainingArguments)

    from mlm_core.training.loop import _build_model

    tokenizer = AutoTokenizer.from_pretrained(prep / "tokenizer")
    seqs = np.load(prep / "data" / "train.npy")
    model = _build_model(tokenizer, _config(str(work), steps))  # same config and seed as train_mlm's model
    model.config.sparse_prediction = False
    model.sparse_prediction = False

    class Seqs(torch.utils.data.Dataset):
        def __len__(self):
            return len(seqs)

        def __getitem__(self, i):
            return {"input_ids": seqs[i].astype(np.int64).tolist()}

    stamps: list[float] = []
    losses: list[float] = []

    class Stamp(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            stamps.append(time.perf_counter())

        def on_log(self, args, state, control, logs=None, **kw):
            if logs and "loss" in logs:
                losses.append(float(logs["loss"]))

    args = TrainingArguments(
        output_dir=str(work / "baseline"), per_device_train_batch_size=BATCH, max_steps=steps, learning_rate=1e-3,
        weight_decay=0.01, adam_beta1=0.9, adam_beta2=0.98, adam_epsilon=1e-6, lr_scheduler_type="linear",
        warmup_steps=max(1, int(0.05 * steps)), max_grad_norm=1.0, logging_steps=10, save_strategy="no",
        report_to=[], seed=0, data_seed=0, dataloader_num_workers=0, use_cpu=True, disable_tqdm=True,
    )
    collator = DataCollatorForLanguageModeling(tokenizer=tokenizer, mlm=True, mlm_probability=0.15)
    trainer = Trainer(model=model, args=args, train_dataset=Seqs(), data_collator=collator, callbacks=[Stamp()])
    trainer.train()
    val = evaluate(trainer.model, validation_batches(tokenizer, np.load(prep / "data" / "valid.npy")))
    return {"stamps": stamps, "val_loss": val, "precision": "fp32", "steps": len(stamps), "train_loss_last": losses[-3:]}


def _spawn(kind: str, prep: Path, steps: int) -> dict:
    wait_quiet()
    with tempfile.TemporaryDirectory() as work:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(prep), work, str(steps)]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1200)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"{kind} training run failed (exit {out.returncode}): {out.stderr[-3000:]}")


def run(quick: bool = False) -> WorkloadResult:
    res = WorkloadResult("training", quick=quick)
    rounds = 1 if quick else 2
    steps = 8 if quick else 60
    with tempfile.TemporaryDirectory() as tmp:
        prep = Path(tmp) / "prep"
        prep.mkdir()
        prepare(prep)
        runs: dict[str, list[dict]] = {"baseline": [], "project": []}
        for r in range(rounds):
            for kind in ("baseline", "project"):
                log(f"training: round {r + 1}/{rounds}: {kind}, {steps} steps")
                runs[kind].append(_spawn(kind, prep, steps))
    base_tps = [tokens_per_s(x["stamps"]) for x in runs["baseline"]]
    proj_tps = [tokens_per_s(x["stamps"]) for x in runs["project"]]
    ratio = Stats.of(paired_ratios(proj_tps, base_tps))
    bt, pt = Stats.of(base_tps), Stats.of(proj_tps)
    precision = runs["project"][0]["precision"]
    res.add("train_mlm tokens/s over HF Trainer (small preset, seq 128, batch 32)", ratio.fmt("×"), f"≥ {TARGET}×",
            ratio.median >= TARGET,
            f"train_mlm {pt.fmt(' tok/s', 4)} ({precision}), Trainer {bt.fmt(' tok/s', 4)} (fp32, full logits); "
            f"{steps} steps per run", key=True)
    bl = Stats.of([x["val_loss"] for x in runs["baseline"]])
    pl = Stats.of([x["val_loss"] for x in runs["project"]])
    rel = [p["val_loss"] / b["val_loss"] - 1 for p, b in zip(runs["project"], runs["baseline"])]
    worst = max(rel, key=abs)
    res.add(f"validation loss after {steps * BATCH * SEQ:,} tokens, train_mlm vs Trainer", f"{worst:+.1%} (worst round)",
            f"within ±{LOSS_TOLERANCE:.0%}", abs(worst) <= LOSS_TOLERANCE,
            f"train_mlm {pl.fmt('', 4)}, Trainer {bl.fmt('', 4)}; fp32 evaluation on {8 * BATCH} held-out sequences "
            f"masked once (15 %, seed 1234); last logged training losses: train_mlm "
            f"{runs['project'][-1]['train_loss_last']}, Trainer {runs['baseline'][-1]['train_loss_last']}", key=True,
            baseline="Trainer's validation loss after the same tokens")
    res.extra.update(runs={k: [{kk: vv for kk, vv in x.items() if kk != "stamps"} for x in v] for k, v in runs.items()},
                     tokens_per_s={"baseline": base_tps, "project": proj_tps})
    res.ratio, res.ratio_target = ratio.median, TARGET
    res.notes.append(f"RATIO training = train_mlm tokens/s / Trainer tokens/s (median of {rounds} interleaved pairs of fresh "
                     f"processes; steps {SKIP + 1}..N-1 of each run).")
    return res


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--child":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    threads = os.environ.get("MLM_BENCH_THREADS")
    if threads:
        import torch

        torch.set_num_threads(int(threads))
    kind, prep_dir, work_dir, n_steps = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
    fn = child_project if kind == "project" else child_baseline
    print("RESULT " + json.dumps(fn(prep_dir, work_dir, n_steps)), flush=True)
