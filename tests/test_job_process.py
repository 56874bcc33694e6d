"""A training job in a child process (`job_process.run_job_in_process`): the parent's state follows the child's
progress to the end, the child runs at a lower CPU priority, a stop saves a checkpoint, and a child that is killed
leaves the job failed with that said. Real (tiny) trainings."""
from __future__ import annotations

import os
import signal
import threading
import time

from mlm_core.training import checkpoints
from mlm_core.training.job_process import new_stop_event, run_job_in_process
from mlm_core.training.jobs import JobState, JobStatus, single_run_spec
from mlm_core.training.loop import TrainConfig
from tests.conftest import SAMPLE

SMALL = dict(preset="tiny", batch_size=8, seq_len=32, val_batches=2, vocab_size=1000, max_lines=300)


def _spec(out, steps: int, save_every: int = 1000):
    config = TrainConfig(corpus=[str(SAMPLE)], out_dir=str(out), steps=steps, eval_every=4, save_every=save_every,
                         **SMALL)
    return single_run_spec(config, out.name, owner="teacher")


def _in_background(spec, state, stop, **kw):
    children = []
    thread = threading.Thread(target=run_job_in_process, args=(spec, state, stop),
                              kwargs=dict(on_start=children.append, **kw))
    thread.start()
    return thread, children


def _wait_for(condition, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_parent_sees_every_step_and_the_result(tmp_path):
    spec = _spec(tmp_path / "run", steps=8)
    state = JobState(spec)
    run_job_in_process(spec, state, new_stop_event(), nice=0)
    snap = state.snapshot()
    assert snap.status == JobStatus.FINISHED, snap.error
    run = snap.runs[0]
    assert run.status == JobStatus.FINISHED and run.steps[-1] == 8 and len(run.losses) == len(run.steps)
    assert run.val_steps and run.result is not None and run.result.steps_done == 8
    assert (tmp_path / "run" / "model.safetensors").exists()


def test_the_child_runs_at_a_lower_priority_and_a_stop_keeps_a_checkpoint(tmp_path):
    spec = _spec(tmp_path / "run", steps=100_000, save_every=100_000)
    state, stop = JobState(spec), new_stop_event()
    thread, children = _in_background(spec, state, stop, nice=7)
    _wait_for(lambda: children and state.snapshot().runs[0].steps and state.snapshot().runs[0].steps[-1] >= 3)
    assert os.getpriority(os.PRIO_PROCESS, children[0].pid) == os.getpriority(os.PRIO_PROCESS, 0) + 7
    stop.set()
    thread.join(240)
    snap = state.snapshot()
    assert snap.status == JobStatus.INTERRUPTED and snap.runs[0].status == JobStatus.INTERRUPTED
    assert checkpoints.latest_step(tmp_path / "run") >= 3
    assert not children[0].is_alive()


def test_a_killed_child_leaves_the_job_failed_and_says_so(tmp_path):
    spec = _spec(tmp_path / "run", steps=100_000, save_every=100_000)
    state = JobState(spec)
    thread, children = _in_background(spec, state, new_stop_event(), nice=0)
    _wait_for(lambda: children and state.snapshot().runs[0].steps)
    os.kill(children[0].pid, signal.SIGKILL)
    thread.join(60)
    assert not thread.is_alive()
    snap = state.snapshot()
    assert snap.status == JobStatus.FAILED and "ended unexpectedly (exit code -9)" in snap.error
