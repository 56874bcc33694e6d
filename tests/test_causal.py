"""The causal companion: trained by the project's own command (--objective causal), resumed, evaluated, loaded safely."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from mlm_core.errors import MLMError
from mlm_core.model.causal import is_causal, load_causal_model
from mlm_core.model.loading import load_model
from mlm_core.training.loop import TrainConfig, train_mlm
from tests.conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def causal_run(tmp_path_factory, tokenizer_dir):
    """A tiny causal model trained 30 steps by `python -m mlm_core train --objective causal`, on the WordPiece
    tokenizer of `tokenizer_dir` (--tokenizer-from), saved in fp16."""
    out = tmp_path_factory.mktemp("causal") / "run"
    cmd = [sys.executable, "-m", "mlm_core", "train", "--objective", "causal", "--tokenizer-from", str(tokenizer_dir),
           "--corpus", str(SAMPLE), "--out", str(out), "--preset", "tiny", "--steps", "30", "--batch-size", "8",
           "--seq-len", "32", "--lr", "3e-3", "--eval-every", "10", "--save-every", "10", "--precision", "fp32",
           "--fp16-weights", "--json"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, json.loads(proc.stdout.strip().splitlines()[-1]), cmd


def _log(out):
    return [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]


def test_the_train_command_trains_a_causal_model_that_lowers_its_loss(causal_run, tokenizer_dir):
    out, result, _ = causal_run
    log = _log(out)
    assert result["steps"] == 30 and not result["interrupted"]
    vocab = len(load_causal_model(str(out)).tokenizer)
    assert log[0]["step"] == 1 and log[0]["loss"] > math.log(vocab) - 0.5  # starts near a uniform guess
    assert result["val_loss"] < log[0]["loss"] - 1.0  # held-out next-token loss well below where it started
    assert 0.0 < result["val_accuracy"] < 1.0
    summary = json.loads((out / "training_summary.json").read_text())
    assert summary["config"]["objective"] == "causal" and summary["steps"] == 30
    from safetensors import safe_open

    with safe_open(str(out / "model.safetensors"), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.float16}
    config = json.loads((out / "config.json").read_text())
    assert config["architectures"] == ["ModernBertDecoderForCausalLM"]
    # the same vocabulary as the tokenizer it was told to reuse, piece for piece
    from transformers import AutoTokenizer

    assert AutoTokenizer.from_pretrained(out).get_vocab() == AutoTokenizer.from_pretrained(tokenizer_dir).get_vocab()


def test_the_trained_model_loads_as_causal_and_predicts_left_to_right(causal_run):
    out, _, _ = causal_run
    clm = load_causal_model(str(out))
    assert is_causal(clm) and clm.info.family == "modernbert-decoder" and clm.model.training is False
    ids = torch.tensor([clm.tokenizer("the old man walked to the river")["input_ids"][:-1]])
    with torch.no_grad():
        full = clm.model(input_ids=ids).logits
        cut = clm.model(input_ids=ids[:, :4]).logits
    assert torch.allclose(full[0, :4], cut[0], atol=1e-4)  # later tokens never change an earlier prediction


def test_resume_continues_from_the_checkpoint(causal_run):
    out, _, cmd = causal_run
    state = torch.load(out / "checkpoint" / "training_state.pt", weights_only=True)
    assert state["step"] == 30  # the run ends with a checkpoint beside its final model
    proc = subprocess.run(cmd[:cmd.index("--steps")] + ["--steps", "36", "--resume"] + cmd[cmd.index("--steps") + 2:],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["steps"] == 36
    steps = [r["step"] for r in _log(out)]
    assert steps == sorted(set(steps)) and steps[-1] == 36 and 30 in steps and 31 in steps


def _cfg(out, tokenizer_dir, **kw):
    base = dict(corpus=[str(SAMPLE)], out_dir=str(out), preset="tiny", steps=12, batch_size=8, seq_len=32,
                eval_every=6, save_every=6, precision="fp32", max_lines=400, objective="causal",
                tokenizer_from=str(tokenizer_dir))
    base.update(kw)
    return TrainConfig(**base)


def test_an_interrupted_causal_run_resumes_to_the_same_weights(tmp_path, tokenizer_dir):
    train_mlm(_cfg(tmp_path / "a", tokenizer_dir))

    def stop_at_5(p):
        if p.step == 5:
            raise KeyboardInterrupt

    part = train_mlm(_cfg(tmp_path / "b", tokenizer_dir), on_progress=stop_at_5)
    assert part.interrupted and part.steps_done == 5
    with pytest.raises(MLMError, match="--objective causal"):
        train_mlm(_cfg(tmp_path / "b", tokenizer_dir, objective="mlm", resume=True))
    resumed = train_mlm(_cfg(tmp_path / "b", tokenizer_dir, resume=True))
    assert resumed.steps_done == 12 and not resumed.interrupted
    a = load_causal_model(str(tmp_path / "a")).model.state_dict()
    b = load_causal_model(str(tmp_path / "b")).model.state_dict()
    for k in a:
        assert torch.allclose(a[k], b[k], atol=1e-5), k


def test_evaluate_on_a_file_gives_perplexity_and_next_token_accuracy_by_hand(causal_run, tmp_path):
    from mlm_core.tokens import boundary_ids, encode_stream, never_offered, windows
    from mlm_core.training.corpus import read_lines
    from mlm_core.training.evaluation import evaluate_causal_file

    out, _, _ = causal_run
    text = tmp_path / "eval.txt"
    text.write_text("\n".join(read_lines(SAMPLE)[-60:]) + "\n")
    proc = subprocess.run([sys.executable, "-m", "mlm_core", "evaluate", "--model", str(out), "--corpus", str(text),
                           "--max-tokens", "600", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["objective"] == "causal"  # recognised from the model's config
    clm = load_causal_model(str(out))
    assert evaluate_causal_file(clm, str(text), max_tokens=600).perplexity == pytest.approx(got["perplexity"], rel=1e-5)
    # by hand: every text token of every 128-token window, predicted from the tokens before it
    tok = clm.tokenizer
    stream = encode_stream(tok, [line for line in read_lines(text) if line.strip()])[:600]
    rows = torch.from_numpy(windows(stream, min(128, clm.info.max_tokens), *boundary_ids(tok)).astype(np.int64))
    nll, hits, n = 0.0, 0, 0
    banned = never_offered(tok, clm.model.config.vocab_size)
    with torch.no_grad():
        logits = clm.model(input_ids=rows).logits
    for r in range(rows.shape[0]):
        for t in range(1, rows.shape[1] - 1):  # targets: the text tokens, not [CLS] or the closing [SEP]
            row = logits[r, t - 1]
            nll -= float(torch.log_softmax(row, -1)[rows[r, t]])
            hits += int(int(row.masked_fill(banned, float("-inf")).argmax()) == int(rows[r, t]))
            n += 1
    assert got["n"] == n
    assert got["perplexity"] == pytest.approx(math.exp(nll / n), rel=1e-4)
    assert got["top1"] == pytest.approx(hits / n)
    assert got["perplexity"] < len(tok)  # better than a uniform guess over the vocabulary


def test_a_masked_model_is_refused_as_causal_and_a_causal_one_as_masked(tiny_dir, causal_run):
    out, _, _ = causal_run
    with pytest.raises(MLMError) as err:
        load_causal_model(str(tiny_dir))
    assert "masked language model" in str(err.value) and "causal" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(MLMError, match="not a masked language model"):
        load_model(str(out))


def test_loading_a_causal_model_follows_the_local_path_lockdown(causal_run, monkeypatch):
    from mlm_core.model.loading import LOCAL_PATHS_OFF

    out, _, _ = causal_run
    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "0")
    with pytest.raises(MLMError, match=LOCAL_PATHS_OFF):
        load_causal_model(str(out))
    assert is_causal(load_causal_model(str(out), allow_local=True))  # a directory the app wrote itself


def test_a_causal_model_is_never_built_from_remote_code(causal_run, tmp_path):
    """A config that asks for remote code is not run: the loader refuses or ignores it, it never imports it."""
    import shutil

    out, _, _ = causal_run
    bad = tmp_path / "remote"
    shutil.copytree(out, bad, ignore=shutil.ignore_patterns("checkpoint*", "data", "tokenizer"))
    config = json.loads((bad / "config.json").read_text())
    config["auto_map"] = {"AutoModelForCausalLM": "evil.EvilModel"}
    (bad / "config.json").write_text(json.dumps(config))
    (bad / "evil.py").write_text("raise SystemExit('remote code ran')\n")
    try:
        lm = load_causal_model(str(bad))
    except MLMError as err:
        assert "remote code ran" not in str(err)
    else:
        assert type(lm.model).__name__ == "ModernBertDecoderForCausalLM"
