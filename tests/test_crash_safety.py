"""Nothing lost: a real training process killed at each point of a save, then resumed; damaged caches; full disk."""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from mlm_core.errors import MLMError
from mlm_core.model.loading import load_model
from mlm_core.training import checkpoints
from mlm_core.training.loop import TrainConfig, final_model_complete, train_mlm
from tests.conftest import ROOT, SAMPLE

STEPS = 12


def _cmd(out, *extra):
    return [sys.executable, "-m", "mlm_core", "train", "--corpus", str(SAMPLE), "--out", str(out), "--preset", "tiny",
            "--steps", str(STEPS), "--batch-size", "8", "--seq-len", "32", "--vocab-size", "1000", "--save-every", "4",
            "--eval-every", "6", "--precision", "fp32", *extra]


def _train(out, *extra, fault=None):
    env = dict(os.environ, OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    env.pop("MLM_EXPLORER_FAULT_AT", None)
    if fault:
        env["MLM_EXPLORER_FAULT_AT"] = fault
    return subprocess.run(_cmd(out, *extra), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A run directory with its tokenizer and data cached and no checkpoint (killed in its first save)."""
    base = tmp_path_factory.mktemp("base")
    first = _train(base, fault="checkpoint-written")
    assert first.returncode == -9, first.stderr
    for leftover in base.glob("checkpoint*"):
        shutil.rmtree(leftover)
    assert (base / "data" / "train.npy").exists() and (base / "tokenizer" / "tokenizer.json").exists()
    return base


# checkpoint points: killed in the second save (step 8), when the step-4 checkpoint exists; final points: at the end.
# A checkpoint whose files were all written is complete even before its marker: a killed process loses no written data.
KILL_POINTS = {"checkpoint-written:2": 8, "checkpoint-moved-aside": 8, "checkpoint-renamed:2": 8,
               "final-staged": STEPS, "final-config-moved": STEPS}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_kill_at_any_point_of_a_save_is_recovered_by_resume(tmp_path, prepared, point):
    out = tmp_path / "run"
    shutil.copytree(prepared, out)
    killed = _train(out, fault=point)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert not final_model_complete(out)  # never listed as a finished model after a kill
    assert checkpoints.latest_step(out) == KILL_POINTS[point]
    resumed = _train(out, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert final_model_complete(out)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("checkpoint")) == ["checkpoint"]
    assert not (out / ".final.tmp").exists()
    lm = load_model(str(out))
    assert lm.info.vocab_size == len(lm.tokenizer)
    steps = [json.loads(line)["step"] for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert steps == sorted(set(steps)) and steps[-1] == STEPS


def test_a_half_written_checkpoint_is_never_picked(tmp_path):
    train_mlm(_cfg(tmp_path, steps=3))
    good = tmp_path / "checkpoint"
    half = tmp_path / "checkpoint.tmp"
    shutil.copytree(good, half)
    (half / "COMPLETE").unlink()
    state = (half / "training_state.pt").read_bytes()
    (half / "training_state.pt").write_bytes(state[: len(state) // 3])
    assert checkpoints.recover(tmp_path) == good
    assert checkpoints.latest_step(tmp_path) == 3 and not half.exists()


def _cfg(out, **kw):
    base = dict(corpus=[str(SAMPLE)], out_dir=str(out), preset="tiny", steps=6, batch_size=8, seq_len=32,
                eval_every=3, save_every=3, vocab_size=1000, precision="fp32", max_lines=400)
    base.update(kw)
    return TrainConfig(**base)


@pytest.mark.parametrize("damage", ["truncated-train", "missing-valid"])
def test_a_damaged_data_cache_is_rebuilt(tmp_path, damage):
    first = train_mlm(_cfg(tmp_path, steps=3))
    assert first.steps_done == 3
    data = tmp_path / "data"
    if damage == "truncated-train":
        raw = (data / "train.npy").read_bytes()
        (data / "train.npy").write_bytes(raw[: len(raw) // 2])
    else:
        (data / "valid.npy").unlink()
    messages = []
    resumed = train_mlm(_cfg(tmp_path, steps=6, resume=True), log=messages.append)
    assert resumed.steps_done == 6 and final_model_complete(tmp_path)
    assert any("tokenizing again" in m for m in messages)
    assert np.load(data / "train.npy").shape[1] == 32


def test_a_full_disk_during_a_save_is_one_clear_message_and_keeps_the_last_checkpoint(tmp_path, monkeypatch):
    train_mlm(_cfg(tmp_path, steps=3))  # checkpoint at step 3
    shutil.rmtree(tmp_path / "config.json", ignore_errors=True)
    import torch

    real_save = torch.save

    def full_disk(obj, f, *args, **kwargs):  # the OS boundary: the disk fills up while the optimizer state is written
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(torch, "save", full_disk)
    with pytest.raises(MLMError, match="disk is full"):
        train_mlm(_cfg(tmp_path, steps=6, resume=True, save_every=1))
    monkeypatch.setattr(torch, "save", real_save)
    assert checkpoints.latest_step(tmp_path) == 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("checkpoint")) == ["checkpoint"]
    resumed = train_mlm(_cfg(tmp_path, steps=6, resume=True))
    assert resumed.steps_done == 6


def test_a_finished_model_is_listed_only_when_complete(tmp_path):
    train_mlm(_cfg(tmp_path, steps=3))
    assert final_model_complete(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    assert not final_model_complete(tmp_path)
    again = train_mlm(_cfg(tmp_path, steps=3, resume=True))  # at the last step: the final model is written again
    assert again.steps_done == 3 and final_model_complete(tmp_path)
    assert load_model(str(tmp_path)).info.family == "modernbert"


def test_zero_eval_or_save_interval_is_refused(tmp_path):
    with pytest.raises(MLMError, match="at least 1"):
        train_mlm(_cfg(tmp_path, eval_every=0))
    with pytest.raises(MLMError, match="at least 1"):
        train_mlm(_cfg(tmp_path, save_every=0))
