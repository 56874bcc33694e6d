"""Copy the newest complete checkpoint of the long run into training/bundled-next/ (fp16), so a later session can
continue it with `--init-from training/bundled-next` when the git-ignored run directory is gone.

Usage: python training/export_wip.py [runs/bundled2]
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlm_core import checkpoints  # noqa: E402
from mlm_core.loading import model_construction  # noqa: E402


def main(run: str = "runs/bundled2") -> None:
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    run_dir = ROOT / run
    ckpt = checkpoints.recover(run_dir)
    if ckpt is None:
        raise SystemExit(f"no complete checkpoint in {run_dir}")
    state = torch.load(ckpt / checkpoints.STATE_FILE, weights_only=True)
    out = ROOT / "training" / "bundled-next"
    shutil.rmtree(out, ignore_errors=True)
    with model_construction():
        model = AutoModelForMaskedLM.from_pretrained(ckpt, dtype=torch.float32)
    model.half().save_pretrained(out, safe_serialization=True)
    AutoTokenizer.from_pretrained(ckpt).save_pretrained(out)
    shutil.copy(run_dir / "train_log.jsonl", out / "train_log.jsonl")
    (out / "wip_state.json").write_text(json.dumps(
        {"run": run, "step": int(state["step"]), "tokens_seen": int(state["tokens_seen"]), "loss_ema": state.get("loss_ema")},
        indent=1))
    print(f"exported step {state['step']} ({state['tokens_seen']:,} tokens) to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
