"""Who owns a training: runs on disk carry their owner, the manager lets only the owner stop, resume or clear a
job, finished results stay per owner while others train, and uploaded corpora live only as long as a run needs them.
Real (tiny) trainings; a job that must keep running has far more steps than a test waits for, and is stopped by
its owner."""
import time

import pytest

from mlm_app.owner import OwnerTokens, owner_of
from mlm_app.training_jobs import NOT_YOURS, TrainingManager
from mlm_core.errors import MLMError
from mlm_core.masking.strategies import MaskingStrategy
from mlm_core.training.jobs import JobState, resume_spec, run_job, single_run_spec
from mlm_core.training.loop import TrainConfig
from mlm_core.training.metrics import comparison_spec
from mlm_core.training.run_dirs import resumable_runs, run_owner, write_run_spec
from mlm_core.training.uploads import save_corpus
from tests.conftest import SAMPLE

SMALL = dict(preset="tiny", batch_size=8, seq_len=32, val_batches=2, vocab_size=1000, max_lines=300)
FOREVER = 100_000  # steps no test waits for: such a job runs until its owner stops it


def _config(out, steps, corpus=SAMPLE, **kw) -> TrainConfig:
    return TrainConfig(corpus=[str(corpus)], out_dir=str(out), steps=steps, eval_every=kw.pop("eval_every", 1000),
                       save_every=1000, **{**SMALL, **kw})


@pytest.fixture()
def roots(tmp_path):
    return tmp_path / "corpora", tmp_path / "models"


@pytest.fixture()
def manager(roots):
    corpora, models = roots
    models.mkdir()
    m = TrainingManager(corpora=lambda: corpora, models=lambda: models)
    yield m
    m.stop_running()
    m.join(120)


def _wait_for(condition, what: str, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def _stopped_run(out, owner: str, stop_at: int = 3, steps: int = 12) -> None:
    """A run stopped at step `stop_at` (by step count), as the Stop button leaves it."""
    spec = single_run_spec(_config(out, steps), out.name, owner=owner)
    state = JobState(spec)
    original = state.run_progress
    seen = []
    state.run_progress = lambda i, p: (original(i, p), seen.append(p.step))
    run_job(spec, state, should_stop=lambda: len(seen) >= stop_at)
    assert state.status == "interrupted"


def test_a_stopped_run_is_listed_to_and_resumable_by_its_owner_only(roots):
    _, models = roots
    _stopped_run(models / "alices", owner="alice")
    assert run_owner(models / "alices") == "alice"
    assert resumable_runs(models, owner="alice") == ["alices"]
    assert resumable_runs(models, owner="bob") == []
    assert resumable_runs(models) == ["alices"]  # the command line sees every run
    with pytest.raises(MLMError, match="only the session that started it"):
        resume_spec(models / "alices", owner="bob")
    assert resume_spec(models / "alices", owner="alice").runs[0].config.resume
    # a run saved before owners were recorded belongs to nobody in the app
    _stopped_run(models / "old", owner="")
    write_run_spec(models / "old", "old", resume_spec(models / "old").runs[0].config)
    assert resumable_runs(models, owner="alice") == ["alices"] and "old" in resumable_runs(models)


def test_only_the_owner_may_stop_resume_or_clear(manager, roots):
    _, models = roots
    assert manager.start(single_run_spec(_config(models / "x", 5), "x"))[0] is False  # no owner, no job
    ok, _ = manager.start(single_run_spec(_config(models / "long", FOREVER), "long", owner="alice"))
    assert ok
    ok, message = manager.start(single_run_spec(_config(models / "bobs", 5), "bobs", owner="bob"))
    assert not ok and "Another training is running" in message  # one job per server
    assert manager.running().owner == "alice"
    assert manager.job_for("bob", "train").runs == []  # bob sees that a job runs, not alice's job
    assert not manager.cancel("bob") and not manager.cancel("")
    _wait_for(lambda: manager.job_for("alice", "train").runs[0].progress is not None, "the first step")
    assert manager.running().status == "running"  # bob's cancel did nothing
    assert manager.cancel("alice")
    manager.join(120)
    job = manager.job_for("alice", "train")
    assert job.status == "interrupted" and manager.running() is None
    done = job.runs[0].result.steps_done
    assert not manager.forget("bob", "train") and manager.job_for("alice", "train").runs

    stolen = resume_spec(models / "long", owner="alice", steps=done + 2)
    stolen.owner = "bob"  # a hand-made spec that resumes alice's run
    assert manager.start(stolen) == (False, NOT_YOURS)
    assert resumable_runs(models, owner="alice") == ["long"]
    ok, _ = manager.start(resume_spec(models / "long", owner="alice", steps=done + 2))
    assert ok
    manager.join(120)
    assert manager.job_for("alice", "train").status == "finished"
    assert manager.forget("alice", "train") and manager.job_for("alice", "train").runs == []


def test_finished_comparison_results_survive_another_owners_training(manager, roots):
    _, models = roots
    tiny = dict(steps=5, max_lines=300, val_batches=2, vocab_size=1000)
    ok, _ = manager.start(comparison_spec([MaskingStrategy("bert"), MaskingStrategy("span")], SAMPLE, models,
                                          owner="alice", **tiny))
    assert ok
    manager.join(300)
    rows = manager.job_for("alice", "compare").rows
    assert [r["strategy"] for r in rows] == ["bert", "span"]

    ok, _ = manager.start(single_run_spec(_config(models / "bobs", FOREVER), "bobs", owner="bob"))
    assert ok
    assert manager.job_for("alice", "compare").rows == rows  # still there while bob trains
    assert manager.job_for("bob", "compare").runs == [] and manager.job_for("alice", "train").runs == []
    assert manager.cancel("bob")
    manager.join(120)
    assert manager.job_for("alice", "compare").rows == rows  # and after bob's job ended
    assert manager.job_for("bob", "train").status == "interrupted"
    assert manager.forget("alice", "compare") and manager.job_for("alice", "compare").rows == []


def test_uploads_are_written_at_start_and_removed_when_no_run_needs_them(manager, roots, sample_lines):
    corpora, models = roots
    text = "\n".join(sample_lines[:300]) + "\n"
    (corpora / "leftover").mkdir(parents=True)
    (corpora / ".crashed-upload.tmp").write_text("half a corpus")  # what a crash during a write leaves

    def upload_job(name, steps, owner="alice", upload=text):
        return lambda: single_run_spec(_config(models / name, steps, save_corpus(upload, corpora, "my text.txt")),
                                       name, owner=owner)

    ok, _ = manager.start(upload_job("done", 2))
    assert ok and len(list(corpora.glob("*.txt"))) == 1 and not list(corpora.glob("*.tmp"))
    manager.join(120)
    assert manager.job_for("alice", "train").status == "finished"
    assert not list(corpora.glob("*.txt"))  # a finished model no longer needs its corpus

    ok, _ = manager.start(upload_job("paused", FOREVER))
    assert ok
    _wait_for(lambda: manager.job_for("alice", "train").runs[0].progress is not None, "the first step")
    manager.cancel("alice")
    manager.join(120)
    [kept] = corpora.glob("*.txt")  # a stopped run may need its corpus again
    ok, message = manager.start(upload_job("too-small", 2, upload="A short line of text.\n" * 6))
    assert not ok and "too small for these settings" in message  # refused before anything started
    assert list(corpora.glob("*.txt")) == [kept]  # the refused run's upload is gone, the stopped run's stays
    ok, _ = manager.start(upload_job("few-tokens", 2, upload="A somewhat longer line of plain text for the test.\n" * 6))
    assert ok  # enough bytes for the first check, too few tokens once tokenized
    manager.join(120)
    assert manager.job_for("alice", "train").status == "failed"
    assert list(corpora.glob("*.txt")) == [kept]  # the failed run's upload is gone, the stopped run's stays

    ok, _ = manager.start(resume_spec(models / "paused", owner="alice", steps=_steps_done(models / "paused") + 2))
    assert ok
    manager.join(120)
    assert manager.job_for("alice", "train").status == "finished"
    assert not list(corpora.glob("*.txt"))

    def refused():  # the upload is written, then the spec cannot be made
        save_corpus(text, corpora, "again.txt")
        raise MLMError("Choose each strategy only once.")

    assert manager.start(refused) == (False, "Choose each strategy only once.")
    assert not list(corpora.glob("*.txt"))
    assert (corpora / "leftover").is_dir()  # only corpus files are touched


def _steps_done(run_dir) -> int:
    import torch

    from mlm_core.training.checkpoints import CHECKPOINT_DIR, STATE_FILE

    return int(torch.load(run_dir / CHECKPOINT_DIR / STATE_FILE, weights_only=True)["step"])


def test_an_owner_token_comes_back_on_reload_but_not_to_a_second_live_browser():
    live = {"tab-1"}
    tokens = OwnerTokens(is_live=lambda session: session in live, grace_s=0)
    first = tokens.claim(None, "tab-1")
    assert tokens.claim(first, "tab-1") == first
    assert tokens.claim(first, "tab-2") != first  # a shared link opened while tab-1 is connected
    live.discard("tab-1")  # tab-1 reloads: its old session closes, the new one brings the token
    assert tokens.claim(first, "tab-3") == first
    assert tokens.claim("not-a-token", "tab-4") != "not-a-token"
    assert owner_of(first) != first and len(owner_of(first)) == 32 and owner_of(first) == owner_of(first)
