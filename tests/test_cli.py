"""The command line: JSON contracts of every subcommand and one-line errors without tracebacks."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLE


def run(*args, ok=True):
    proc = subprocess.run([sys.executable, "-m", "mlm_core", *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"})
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_fill_json_contract(tiny_dir):
    out = json.loads(run("fill", "The [MASK] sat on the <mask>.", "--top-k", "4", "--model", str(tiny_dir), "--json").stdout)
    assert out["model"] == str(tiny_dir)
    assert out["tokens"][0] == "[CLS]" and out["tokens"].count("[MASK]") == 2
    assert [m["index"] for m in out["masks"]] == [i for i, t in enumerate(out["tokens"]) if t == "[MASK]"]
    for m in out["masks"]:
        scores = [p["score"] for p in m["predictions"]]
        assert len(scores) == 4 and scores == sorted(scores, reverse=True) and all(isinstance(p["token"], str) for p in m["predictions"])


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_fill_at_a_faster_precision_is_close_to_fp32(precision):
    text = "She went to the [MASK] to buy some bread."
    exact = json.loads(run("fill", text, "--top-k", "10", "--json").stdout)
    fast = json.loads(run("fill", text, "--top-k", "10", "--precision", precision, "--json").stdout)
    assert fast["model"] == f"bundled ({precision})" and exact["model"] == "bundled"
    top = [[p["token"] for p in out["masks"][0]["predictions"]] for out in (exact, fast)]
    assert len(set(top[0]) & set(top[1])) >= 7
    assert [p["score"] for p in fast["masks"][0]["predictions"]] != [p["score"] for p in exact["masks"][0]["predictions"]]


def test_embed_json_contract_with_labels(tiny_dir, tmp_path):
    sentences = ["I went to the bank to deposit money.", "The river bank was muddy.", "The bank gave me a loan.", "We fished from the bank."]
    (tmp_path / "s.txt").write_text("\n".join(sentences))
    (tmp_path / "l.txt").write_text("finance\nriver\nfinance\nriver\n")
    out = json.loads(run("embed", "--word", "bank", "--sentences-file", str(tmp_path / "s.txt"), "--labels-file",
                         str(tmp_path / "l.txt"), "--model", str(tiny_dir), "--json").stdout)
    assert out["word"] == "bank" and out["layer"] == 2
    assert [i["sentence"] for i in out["items"]] == sentences and len(out["items"][0]["vector"]) == 64
    assert [r["layer"] for r in out["per_layer"]] == [0, 1, 2]
    assert all(0.0 <= r["knn_accuracy"] <= 1.0 and -1.0 <= r["silhouette"] <= 1.0 for r in out["per_layer"])
    layer0 = json.loads(run("embed", "--word", "bank", *sentences[:2], "--layer", "0", "--model", str(tiny_dir), "--json").stdout)
    assert layer0["layer"] == 0 and len(layer0["items"]) == 2


def test_attention_json_contract(tiny_dir):
    out = json.loads(run("attention", "The cat sat.", "--model", str(tiny_dir), "--json").stdout)
    n = len(out["tokens"])
    att = out["attentions"]
    assert len(att) == 2 and len(att[0]) == 2 and len(att[0][0]) == n and len(att[0][0][0]) == n
    assert abs(sum(att[1][1][0]) - 1.0) < 1e-3


def test_mask_json_contract(tiny_dir):
    out = json.loads(run("mask", "The quick brown fox jumps over the lazy dog", "--strategy", "whole-word", "--rate", "0.5",
                         "--seed", "3", "--model", str(tiny_dir), "--json").stdout)
    assert len(out["tokens"]) == len(out["masked_tokens"]) == len(out["actions"]) == len(out["labels"])
    assert set(out["actions"]) <= {"untouched", "masked", "random", "kept"} and "masked" in out["actions"]
    assert out["actions"][0] == "untouched" and out["actions"][-1] == "untouched"


def test_evaluate_json_contract(tiny_dir):
    out = json.loads(run("evaluate", "--corpus", str(SAMPLE), "--max-tokens", "3000", "--model", str(tiny_dir), "--json").stdout)
    assert set(out) >= {"top1", "top5", "baseline_top1", "baseline_top5", "n"}
    assert 300 < out["n"] < 600  # about 15% of 3000 tokens
    assert 0 <= out["top1"] <= out["top5"] <= 1 and 0 < out["baseline_top1"] <= out["baseline_top5"] <= 1


def test_train_json(tmp_path):
    out = json.loads(run("train", "--corpus", str(SAMPLE), "--out", str(tmp_path / "m"), "--preset", "tiny", "--steps", "3",
                         "--batch-size", "4", "--seq-len", "32", "--vocab-size", "1000", "--json").stdout.strip().splitlines()[-1])
    assert out["steps"] == 3 and not out["interrupted"]


@pytest.mark.parametrize("args,message", [
    (["fill", "No mask here."], "no mask"),
    (["fill", ""], "empty"),
    (["fill", "x [MASK]", "--top-k", "0"], "top-k"),
    (["fill", "x [MASK]", "--model", "no-such-org/no-such-model"], "bundled"),
    (["embed", "--word", "bank", "a bank", "--layer", "9"], "out of range"),
    (["embed", "--word", "bank"], "sentences"),
    (["mask", "some text", "--strategy", "bogus"], "Unknown masking strategy"),
    (["evaluate"], "--corpus"),
    (["train", "--corpus", "/nonexistent.txt", "--out", "/tmp/mlm-cli-never"], "does not exist"),
])
def test_errors_are_one_line_without_traceback(tiny_dir, args, message):
    if "--model" not in args:
        args = args + ["--model", str(tiny_dir)]
    proc = run(*args, ok=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0], proc.stderr
