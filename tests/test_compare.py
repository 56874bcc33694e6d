"""Training jobs without Streamlit: a real (tiny) two-strategy comparison, cancelling, names, uploads, zips."""
import errno
import io
import json
import math
import os
import zipfile

import pytest

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import analyze
from mlm_core.masking.strategies import MaskingStrategy
from mlm_core.model.loading import load_model
from mlm_core.training.jobs import JobState, JobStatus, resume_spec, run_job, single_run_spec
from mlm_core.training.loop import TrainConfig
from mlm_core.training.metrics import COMPARE_SENTENCE, comparison_spec
from mlm_core.training.run_dirs import model_zip, portable_summary, resumable_runs, sanitize_name, unique_model_dir
from mlm_core.training.uploads import check_upload, save_corpus
from tests.conftest import SAMPLE

TINY = dict(steps=10, max_lines=400, val_batches=2, vocab_size=1000)


def test_two_strategy_comparison_gives_one_row_per_strategy(tmp_path):
    spec = comparison_spec([MaskingStrategy("bert"), MaskingStrategy("span")], SAMPLE, tmp_path, **TINY)
    state = run_job(spec, JobState(spec))
    assert state.status == JobStatus.FINISHED and state.error is None
    assert [r.status for r in state.runs] == ["finished", "finished"]
    assert [r.strategy for r in state.runs] == ["bert", "span"]
    assert all(r.steps == list(range(1, 11)) and len(r.losses) == 10 for r in state.runs)
    assert [row["strategy"] for row in state.rows] == ["bert", "span"]
    for row in state.rows:
        assert 0.0 <= row["val masked-token accuracy"] <= 1.0
        assert math.isfinite(row["val loss"])
        assert math.isfinite(row["pseudo-perplexity"]) and row["pseudo-perplexity"] > 1.0
        assert row["steps"] == 10
    # finished comparison models are kept as loadable models, without their checkpoint and data
    for run in state.runs:
        out = tmp_path / run.name
        assert (out / "config.json").exists() and (out / "model.safetensors").exists()
        assert not (out / "checkpoint").exists() and not (out / "data").exists()
    # each comparison model guesses at the mask of the probe sentence (the Masking page asks each of them)
    preds = {}
    for r in state.runs:
        lm = load_model(r.out_dir, allow_local=True)
        preds[r.label] = analyze(lm, lm.normalise_masks(COMPARE_SENTENCE), top_k=3).masks[0].predictions
    assert list(preds) == ["bert", "span"] and all(len(p) == 3 for p in preds.values())
    snap = state.snapshot()
    assert snap.rows == state.rows and snap.fraction_done() == 1.0
    assert set(snap.loss_curves()) == {"bert", "span"}


def test_cancel_midway_marks_the_job_interrupted(tmp_path):
    spec = comparison_spec([MaskingStrategy("bert"), MaskingStrategy("whole-word")], SAMPLE, tmp_path,
                           **{**TINY, "steps": 30})
    state = JobState(spec)
    stop = {"now": False}
    original = state.run_progress

    def progress(i, p):
        original(i, p)
        if p.step >= 4:
            stop["now"] = True

    state.run_progress = progress
    run_job(spec, state, should_stop=lambda: stop["now"])
    assert state.status == JobStatus.INTERRUPTED
    assert state.runs[0].status == "interrupted" and state.runs[0].result.steps_done == 4
    assert state.runs[1].status == "skipped"
    assert state.rows == []  # nothing finished, nothing to compare
    assert not any(tmp_path.iterdir())  # unfinished comparison runs are cleaned up


def test_single_run_stop_and_resume(tmp_path):
    cfg = TrainConfig(corpus=[str(SAMPLE)], out_dir=str(tmp_path / "mine"), preset="tiny", steps=12, batch_size=8,
                      seq_len=32, val_batches=2, vocab_size=1000, max_lines=300, eval_every=6, save_every=100)
    spec = single_run_spec(cfg, "mine")
    state = JobState(spec)
    seen = []
    original = state.run_progress
    state.run_progress = lambda i, p: (original(i, p), seen.append(p.step))
    run_job(spec, state, should_stop=lambda: len(seen) >= 5)
    assert state.status == JobStatus.INTERRUPTED and resumable_runs(tmp_path) == ["mine"]
    again = resume_spec(tmp_path / "mine")
    state2 = run_job(again, JobState(again))
    assert state2.status == JobStatus.FINISHED and state2.runs[0].result.steps_done == 12
    steps = state2.runs[0].steps
    assert steps == [1] + list(range(6, 13))  # the logged curve before the stop, then continued from step 6
    assert state2.runs[0].progress.step == 12 and state2.runs[0].val_steps[-1] == 12
    assert resumable_runs(tmp_path) == []
    names = zipfile.ZipFile(io.BytesIO(model_zip(tmp_path / "mine"))).namelist()
    assert "mine/config.json" in names and "mine/model.safetensors" in names and "mine/tokenizer.json" in names
    assert not any("/checkpoint/" in n or "/data/" in n or n.endswith("app_job.json") for n in names)


def test_a_corpus_too_small_for_the_settings_is_refused_before_anything_starts(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("one line only\n" * 3)
    with pytest.raises(MLMError, match="too small for these settings: one batch of 16 sequences of 64 tokens"):
        comparison_spec([MaskingStrategy("bert")], bad, tmp_path / "models", **TINY)
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_a_failing_run_reports_the_message(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("A line of plain text that is long enough for the first check.\n" * 20)  # too few tokens
    spec = comparison_spec([MaskingStrategy("bert")], bad, tmp_path / "models", **TINY)
    state = run_job(spec, JobState(spec))
    assert state.status == "failed" and "too small for these settings" in state.error and "Traceback" not in state.error


def test_names_and_uploads(tmp_path):
    assert sanitize_name("My model!/../x y") == "My-model-x-y"
    assert sanitize_name("   ") == "model"
    (tmp_path / "a").mkdir()
    assert unique_model_dir(tmp_path, "a").name.startswith("a-") and unique_model_dir(tmp_path, "b").name == "b"
    with pytest.raises(MLMError, match="binary"):
        check_upload(b"\x00\x01PK\x03\x04" * 100, "x.txt")
    with pytest.raises(MLMError, match="UTF-8"):
        check_upload("caf\u00e9\n".encode("latin-1") * 10, "x.txt")
    with pytest.raises(MLMError, match="empty"):
        check_upload(b"  \n", "x.txt")
    with pytest.raises(MLMError, match="limit"):
        check_upload(b"a" * 101, "x.txt", max_bytes=100)
    assert check_upload(b"line\n" * 10, "x.txt").startswith("line")


def test_save_corpus_writes_once_and_reuses_the_file(tmp_path):
    text = "A line of text here.\n" * 50
    path = save_corpus(text, tmp_path / "corpora", "my notes.txt")
    assert path.parent == tmp_path / "corpora" and path.name.startswith("my-notes-") and path.read_text() == text
    assert save_corpus(text, tmp_path / "corpora", "other.txt").read_text() == text
    assert sorted(p.name for p in (tmp_path / "corpora").iterdir()) == sorted({path.name, f"other-{path.name[9:]}"})


def test_a_full_disk_during_an_upload_gives_a_message_and_leaves_no_partial_file(tmp_path, monkeypatch):
    root = tmp_path / "corpora"
    text = "A line of text, long enough to need several writes.\n" * 60_000  # about 3 MB: more than one write
    real_write, writes = os.write, []

    def full_after_the_first_write(fd, data):  # the OS boundary: the first chunk really lands on disk
        if writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        writes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_after_the_first_write)
    with pytest.raises(MLMError) as err:
        save_corpus(text, root, "big.txt")
    assert str(err.value).startswith("The server's disk is full: could not save the upload (No space left on device).")
    assert writes and str(tmp_path) not in str(err.value)
    assert list(root.iterdir()) == []  # neither the .tmp nor a half-written .txt


def test_an_unwritable_corpora_directory_gives_a_message(tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    with pytest.raises(MLMError, match=r"^The server could not save the upload \(") as err:
        save_corpus("A line of text here.\n" * 50, tmp_path / "a-file" / "corpora", "x.txt")
    assert str(tmp_path) not in str(err.value)


def test_the_zipped_summary_holds_no_absolute_server_paths(tmp_path, sample_lines):
    data = tmp_path / "app_data"
    corpus = save_corpus("\n".join(sample_lines[:300]) + "\n", data / "corpora", "mine.txt")
    valid = tmp_path / "elsewhere" / "valid.txt"
    valid.parent.mkdir()
    valid.write_text("\n".join(sample_lines[300:400]) + "\n")
    cfg = TrainConfig(corpus=[str(corpus)], valid=[str(valid)], out_dir=str(data / "models" / "m"), preset="tiny",
                      steps=2, batch_size=8, seq_len=32, val_batches=2, vocab_size=1000, eval_every=2, save_every=100)
    spec = single_run_spec(cfg, "m", owner="alice")
    state = run_job(spec, JobState(spec))
    assert state.status == JobStatus.FINISHED, state.error
    with zipfile.ZipFile(io.BytesIO(model_zip(data / "models" / "m", relative_to=data))) as zf:
        raw = zf.read("m/training_summary.json").decode()
    summary = json.loads(raw)["config"]
    assert summary["corpus"] == [f"corpora/{corpus.name}"] and summary["out_dir"] == "models/m"
    assert summary["valid"] == ["valid.txt"]  # outside the data directory: the file name only
    assert str(tmp_path) not in raw and "alice" not in raw
    on_disk = json.loads((data / "models" / "m" / "training_summary.json").read_text())["config"]
    assert on_disk["out_dir"] == str(data / "models" / "m")  # the run directory itself is left as it was


def test_portable_summary_keeps_hub_ids_and_strips_other_paths(tmp_path):
    summary = {"config": {"corpus": ["/srv/x/a.txt", "rel/b.txt"], "valid": [], "out_dir": str(tmp_path / "models" / "m"),
                          "init_from": "google/electra-small-generator"}, "steps": 3}
    out = portable_summary(summary, tmp_path)
    assert out["config"] == {"corpus": ["a.txt", "b.txt"], "valid": [], "out_dir": "models/m",
                             "init_from": "google/electra-small-generator"}
    assert portable_summary({"config": {"init_from": "/srv/base"}}, tmp_path)["config"]["init_from"] == "base"
    assert portable_summary(summary)["config"]["out_dir"] == "m" and summary["config"]["corpus"][0] == "/srv/x/a.txt"
