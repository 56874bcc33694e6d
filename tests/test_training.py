"""Training from scratch: learning happens, checkpoints load, interruption and resume, bad corpora."""
import json
import signal
import subprocess
import sys
import time

import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.masking.strategies import MaskingStrategy
from mlm_core.model.loading import load_model
from mlm_core.training.loop import TrainConfig, train_mlm
from tests.conftest import ROOT, SAMPLE


def _cfg(out, **kw):
    base = dict(corpus=[str(SAMPLE)], out_dir=str(out), preset="tiny", steps=40, batch_size=16, seq_len=64,
                eval_every=20, save_every=10, vocab_size=2000, precision="fp32", max_lines=600)
    base.update(kw)
    return TrainConfig(**base)


def test_training_lowers_loss_and_writes_a_loadable_model(tmp_path):
    progress = []
    result = train_mlm(_cfg(tmp_path, strategy=MaskingStrategy("span"), steps=60, lr=2e-3), on_progress=progress.append)
    assert not result.interrupted and result.steps_done == 60
    import math

    assert result.log[0]["step"] == 1
    assert result.log[-1]["val_loss"] < result.log[0]["loss"] - 1.0
    assert result.log[-1]["val_loss"] < math.log(2000) - 1.0  # well below a uniform guess
    assert [p.step for p in progress] == list(range(1, 61))
    assert all(p.tokens_per_s > 0 and p.eta_s >= 0 for p in progress)
    lm = load_model(str(tmp_path))
    assert lm.info.family == "modernbert" and lm.info.vocab_size == len(lm.tokenizer) > 1000
    from mlm_core.inference.analysis import analyze

    assert len(analyze(lm, "The [MASK] was here.").masks[0].predictions) == 5
    summary = json.loads((tmp_path / "training_summary.json").read_text())
    assert summary["steps"] == 60 and summary["config"]["strategy"]["name"] == "span"


def test_interrupted_run_resumes_to_the_same_weights(tmp_path):
    import shutil

    straight = train_mlm(_cfg(tmp_path / "a", steps=20))
    for cached in ("tokenizer", "data"):  # same tokenizer and data, so only resuming can make a difference
        shutil.copytree(tmp_path / "a" / cached, tmp_path / "b" / cached)

    def stop_at_12(p):
        if p.step == 12:
            raise KeyboardInterrupt

    part = train_mlm(_cfg(tmp_path / "b", steps=20), on_progress=stop_at_12)
    assert part.interrupted and part.steps_done == 12
    state = torch.load(tmp_path / "b" / "checkpoint" / "training_state.pt", weights_only=True)
    assert state["step"] == 12
    resumed = train_mlm(_cfg(tmp_path / "b", steps=20, resume=True))
    assert resumed.steps_done == 20 and not resumed.interrupted
    logged = [json.loads(line)["step"] for line in (tmp_path / "b" / "train_log.jsonl").read_text().splitlines()]
    assert logged == sorted(set(logged)) and logged[-1] == 20
    a = load_model(str(tmp_path / "a")).model.state_dict()
    b = load_model(str(tmp_path / "b")).model.state_dict()
    for k in a:
        assert torch.allclose(a[k], b[k], atol=1e-5), k
    assert straight.steps_done == 20


def test_stop_request_keeps_a_checkpoint(tmp_path):
    seen = []
    result = train_mlm(_cfg(tmp_path, steps=30), on_progress=seen.append, should_stop=lambda: len(seen) >= 3)
    assert result.interrupted and result.steps_done == 3
    assert (tmp_path / "checkpoint" / "model.safetensors").exists()


def test_training_masks_by_the_word_starts_it_keeps_and_an_older_cache_still_trains(tmp_path, monkeypatch):
    import shutil

    import numpy as np

    from mlm_core.masking.masker import TokenizerMasker

    given = []
    original = TokenizerMasker.__call__

    def record(self, ids, strategy, generator, word_ids=None, word_starts=None):
        if strategy.name == "whole-word":
            given.append(word_starts is not None and word_starts.shape == ids.shape)
        return original(self, ids, strategy, generator, word_ids=word_ids, word_starts=word_starts)

    monkeypatch.setattr(TokenizerMasker, "__call__", record)
    train_mlm(_cfg(tmp_path / "a", strategy=MaskingStrategy("whole-word"), steps=3))
    assert given == [True] * 3  # every step masked by the words of the encodings, not guessed from the ids
    data = tmp_path / "a" / "data"
    train, starts = np.load(data / "train.npy"), np.load(data / "train_words.npy")
    assert starts.shape == train.shape and starts.dtype == bool and 0.5 < starts[:, 1:-1].mean() < 1.0
    for sub in ("data", "tokenizer"):  # a cache written before word starts were kept: words judged from the ids
        shutil.copytree(tmp_path / "a" / sub, tmp_path / "b" / sub)
    for path in (tmp_path / "b" / "data").glob("*_words.npy"):
        path.unlink()
    given.clear()
    assert train_mlm(_cfg(tmp_path / "b", strategy=MaskingStrategy("whole-word"), steps=2)).steps_done == 2
    assert given == [False] * 2


def test_existing_run_needs_resume_and_resume_needs_a_run(tmp_path):
    train_mlm(_cfg(tmp_path, steps=5))
    with pytest.raises(MLMError, match="--resume"):
        train_mlm(_cfg(tmp_path, steps=5))
    with pytest.raises(MLMError, match="Nothing to resume"):
        train_mlm(_cfg(tmp_path / "fresh", resume=True))
    with pytest.raises(MLMError, match="already at step 5"):
        train_mlm(_cfg(tmp_path, steps=5, resume=True))


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00" * 100, "binary"),
    ("caf\u00e9 ".encode("latin-1") * 100, "not UTF-8"),
    (b"Only a couple of short lines.\nNot enough for a batch.\n", "too small for these settings: one batch"),
    (b"A line of plain text, long enough in bytes for a batch of tokens.\n" * 16, r"only \d+ training sequences"),
])
def test_bad_corpora_are_refused_clearly(tmp_path, content, message):
    corpus = tmp_path / "corpus.txt"
    corpus.write_bytes(content)
    with pytest.raises(MLMError, match=message):
        train_mlm(_cfg(tmp_path / "out", corpus=[str(corpus)], max_lines=None, vocab_size=200))


def test_missing_corpus_file(tmp_path):
    with pytest.raises(MLMError, match="does not exist"):
        train_mlm(_cfg(tmp_path / "out", corpus=[str(tmp_path / "missing.txt")]))


def test_ctrl_c_on_the_command_line_keeps_the_last_checkpoint_and_resume_continues(tmp_path):
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "mlm_core", "train", "--corpus", str(SAMPLE), "--out", str(out), "--preset", "tiny",
           "--steps", "100000", "--batch-size", "8", "--seq-len", "64", "--vocab-size", "2000", "--save-every", "100000",
           "--precision", "fp32"]
    # Output to a file, not a pipe: nothing reads a pipe while the test waits, and a full one would stop the run.
    stderr = tmp_path / "stderr.txt"
    with open(stderr, "w") as err_file:
        # SIGINT as at a terminal: a test run started in the background (`pytest &`) ignores it, and its children too
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err_file, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        log = out / "train_log.jsonl"
        deadline = time.time() + 240
        while time.time() < deadline and not (log.exists() and len(log.read_text().splitlines()) >= 2):
            time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    err = stderr.read_text()
    assert proc.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    step = torch.load(out / "checkpoint" / "training_state.pt", weights_only=True)["step"]
    assert step >= 10
    again = subprocess.run(cmd[:cmd.index("--steps")] + ["--steps", str(step + 5), "--resume", "--json"] + cmd[cmd.index("--steps") + 2:],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1])["steps"] == step + 5


def test_the_same_command_trains_with_two_processes_under_torchrun(tmp_path):
    out = tmp_path / "ddp"
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "-m", "mlm_core", "train", "--corpus",
         str(SAMPLE), "--out", str(out), "--preset", "tiny", "--steps", "4", "--batch-size", "4", "--seq-len", "32",
         "--vocab-size", "1000", "--precision", "fp32", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((out / "training_summary.json").read_text())
    assert summary["hardware"]["processes"] == 2
    assert summary["tokens_seen"] == 4 * 4 * 32 * 2  # each process took its own share of every step
    assert len([line for line in proc.stdout.splitlines() if line.startswith("{")]) == 1  # only rank 0 reports


def test_wsd_schedule_holds_the_peak_and_a_resume_can_move_the_end(tmp_path):
    lrs = {}

    def record(p):
        lrs[p.step] = p.lr
        if p.step == 8:
            raise KeyboardInterrupt

    cfg = dict(steps=40, schedule="wsd", decay_steps=10, warmup_steps=2, lr=1e-3, save_every=100)
    part = train_mlm(_cfg(tmp_path, **cfg), on_progress=record)
    assert part.interrupted and part.steps_done == 8
    assert all(lrs[s] == pytest.approx(1e-3) for s in range(2, 9))  # stable phase
    # the end is brought forward: 16 steps in all, the last 6 decaying; the LR stays at the peak until then
    train_mlm(_cfg(tmp_path, **dict(cfg, steps=16, decay_steps=6, resume=True)), on_progress=lambda p: lrs.update({p.step: p.lr}))
    assert all(lrs[s] == pytest.approx(1e-3) for s in range(9, 11))
    decay = [lrs[s] for s in range(11, 17)]
    assert decay == sorted(decay, reverse=True) and decay[-1] == pytest.approx(0.0, abs=1e-9)


def test_the_smoothed_loss_continues_across_a_resume(tmp_path):
    """After Stop and Resume the smoothed curve goes on from where it was, not from the next raw loss."""
    seen = {}

    def stop_at_12(p):
        seen[p.step] = p.loss
        if p.step == 12:
            raise KeyboardInterrupt

    train_mlm(_cfg(tmp_path, steps=20), on_progress=stop_at_12)
    resumed = train_mlm(_cfg(tmp_path, steps=20, resume=True))
    first = next(r for r in resumed.log if r["step"] == 13)
    assert first["loss_ema"] == pytest.approx(0.95 * seen[12] + 0.05 * first["loss"], rel=1e-6)
