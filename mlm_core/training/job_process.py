"""A training job in a child process at a lower CPU priority, its progress mirrored into the caller's `JobState`.

In a server, a training in a thread of the server process takes the cores (and the interpreter lock) from every
page the server draws: thirty students wait for one teacher's run. In a child process with a higher nice value the
training only gets the CPU the pages leave, and it cannot hold the server's interpreter lock.

The child runs `run_job` on a `JobState` that also sends each update, as (method, arguments), to the parent, which
replays it on its own state (`run_job_in_process`); the stop request is a process-shared event, and a child whose
parent has gone stops at its next step, saving a checkpoint as a stop does.
"""
from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
from typing import Callable

from ..threads import threads_from_env, usable_cores
from .jobs import ACTIVE, JobSpec, JobState, JobStatus, run_job

NICE_ENV = "MLM_EXPLORER_TRAINING_NICE"
THREADS_ENV = "MLM_EXPLORER_TRAINING_THREADS"
DEFAULT_NICE = 10
UPDATES = ("set_status", "set_error", "run_started", "run_progress", "seed_history", "run_message", "run_finished",
           "run_failed", "skip_rest", "set_rows")
_DONE = "done"


def _context():
    return multiprocessing.get_context("spawn")  # never fork a server's threads (torch, tokenizers, the web loop)


def new_stop_event():
    """An event that a child process sees: set it to ask the job to stop (it saves a checkpoint first)."""
    return _context().Event()


def training_threads() -> int:
    """Torch threads of the training process (`MLM_EXPLORER_TRAINING_THREADS`; default: the cores this process may
    use, less one, at least one). The core left over draws the pages: their Python runs on one core at a time, and
    a forward pass squeezed between two busy thread pools waits on both."""
    return threads_from_env(THREADS_ENV, usable_cores() - 1)


def training_nice() -> int:
    """How much lower the training's CPU priority is than the server's (`MLM_EXPLORER_TRAINING_NICE`, 0..19)."""
    try:
        return max(0, min(19, int(os.environ.get(NICE_ENV, DEFAULT_NICE))))
    except ValueError:
        return DEFAULT_NICE


class _SendingState(JobState):
    """The child's job state: each update is applied here (run_job reads its own snapshots) and sent on."""

    def __init__(self, spec: JobSpec, updates):
        super().__init__(spec)
        self._updates = updates


def _sending(name: str):
    method = getattr(JobState, name)

    def update(self, *args):
        method(self, *args)
        self._updates.put((name, args))

    update.__name__ = name
    return update


for _name in UPDATES:
    setattr(_SendingState, _name, _sending(_name))


def _child(spec: JobSpec, updates, stop, nice: int, threads: int) -> None:
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
    import torch

    torch.set_num_threads(threads)
    parent = multiprocessing.parent_process()

    def should_stop() -> bool:
        return stop.is_set() or (parent is not None and not parent.is_alive())

    try:
        run_job(spec, _SendingState(spec, updates), should_stop)
    finally:
        updates.put((_DONE, ()))
        updates.close()
        updates.join_thread()
    # Everything is written and sent: leave at once rather than spend a second tearing torch down while the
    # parent waits to free the job's slot.
    os._exit(0)


def run_job_in_process(spec: JobSpec, state: JobState, stop, nice: int | None = None,
                       on_start: Callable[[multiprocessing.Process], None] | None = None,
                       apply_final: bool = True, threads: int | None = None) -> tuple[JobStatus, str | None]:
    """`run_job(spec, state)` in a child process at `nice` (default `training_nice()`) with `threads` torch threads
    (default `training_threads()`); `stop` is an event from
    `new_stop_event`. Blocks until the child has ended and every update has reached `state`; returns the job's
    final (status, error). With `apply_final=False` that final status is left for the caller to set, so a caller
    can end the job and free its slot in one step (a page that shows the results then finds the server free). A
    child that dies without ending its job (killed, out of memory) leaves the job failed with that said."""
    ctx = _context()
    updates = ctx.Queue()
    child = ctx.Process(target=_child, name="mlm-training-job", daemon=True,
                        args=(spec, updates, stop, training_nice() if nice is None else nice,
                              training_threads() if threads is None else threads))
    child.start()
    if on_start is not None:
        on_start(child)
    ended, final = False, None
    while not ended:
        try:
            name, args = updates.get(timeout=0.5)
        except queue_module.Empty:
            if not child.is_alive():
                try:  # the last updates may still be in the pipe
                    name, args = updates.get(timeout=1.0)
                except queue_module.Empty:
                    break
            else:
                continue
        if name == _DONE:
            ended = True
        elif name == "set_status" and args[0] not in ACTIVE:
            final = (args[0], args[1] if len(args) > 1 else None)
        elif name == "set_status" and args[0] == JobStatus.RUNNING and state.snapshot().status == JobStatus.STOPPING:
            continue  # a stop asked for before the child had started: keep showing "stopping"
        elif name in UPDATES:
            getattr(state, name)(*args)
    child.join(30)
    if not ended or final is None:
        code = child.exitcode
        final = (JobStatus.FAILED, "The training process ended unexpectedly"
                 + (f" (exit code {code})." if code is not None else "."))
    if apply_final:
        state.set_status(*final)
    return final
