"""One training job per server, in a child process at a lower CPU priority (`mlm_core.training.job_process`, so a
training cannot slow the pages of a whole class), watched by a background thread; each job belongs to the browser
that started it.

The job logic (running the sequence of runs, progress, the summary rows) is in `mlm_core.training.jobs`; this module
adds the watching thread, the cancel event, the one-at-a-time rule, the owner rule (owners come from `mlm_app.owner`), each
owner's finished results, the clean-up of uploaded corpora and the Streamlit-wide singleton (`get_manager`).
"""
from __future__ import annotations

import atexit
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.training.job_process import new_stop_event, run_job_in_process
from mlm_core.training.jobs import JobSpec, JobState, JobStatus
from mlm_core.training.run_dirs import run_owner
from mlm_core.training.uploads import remove_unused_corpora

from .models import app_data_dir
from .owner import owner_id

MAX_FINISHED = 128  # finished jobs kept in memory: the last of each kind per owner, the oldest dropped first
NOT_YOURS = "Only the session that started a training can stop, resume or clear it."


def models_root() -> Path:
    root = app_data_dir() / "models"
    root.mkdir(parents=True, exist_ok=True)
    return root


def corpora_root() -> Path:
    return app_data_dir() / "corpora"


def _stop_at_exit(manager: "TrainingManager") -> None:
    """Run `manager.shut_down` when the interpreter exits, before it joins threads and tears torch down."""
    register = getattr(threading, "_register_atexit", None)  # runs before thread shutdown; atexit runs after it
    try:
        (register or atexit.register)(manager.shut_down)
    except RuntimeError:  # the interpreter is already shutting down
        pass


class TrainingManager:
    """The running job (at most one per server) and each owner's last finished job of each kind.

    Every action names its owner: only a job's owner can stop it, resume its runs or clear its results; the
    others only see that the server is busy. A finished job stays until its owner clears it, whoever trains next.
    Uploaded corpora are written inside `start` (under the lock, see there) and removed when no run needs them.
    """

    def __init__(self, corpora: Callable[[], Path] = corpora_root, models: Callable[[], Path] = models_root):
        self._lock = threading.Lock()
        self._roots = (corpora, models)
        self._running: tuple[JobSpec, JobState, threading.Thread, object] | None = None  # the last: its stop event
        self._finished: OrderedDict[tuple[str, str], JobState] = OrderedDict()
        _stop_at_exit(self)

    # ------------------------------------------------------------ actions
    def start(self, spec: JobSpec | Callable[[], JobSpec]) -> tuple[bool, str]:
        """Start a job in the background; (False, why) when one is running, the spec has no owner, or it resumes
        a run someone else started. `spec` may be a function that builds it (and saves an upload): it is called
        only when the job can start, under the lock, so no clean-up removes the corpus before the job holds it."""
        with self._lock:
            if self._busy():
                return False, "Another training is running on this server; wait for it to finish."
            corpora, models = self._roots[0](), self._roots[1]()
            remove_unused_corpora(corpora, models)  # what a crash or an abandoned start left behind
            try:
                spec = spec() if callable(spec) else spec
                self._check_owner(spec)
            except MLMError as err:
                remove_unused_corpora(corpora, models)
                return False, str(err)
            stop = new_stop_event()
            state = JobState(spec)
            state.set_status(JobStatus.RUNNING)
            thread = threading.Thread(target=self._run, args=(spec, state, stop, corpora, models),
                                      name="mlm-training-job", daemon=True)
            self._running = (spec, state, thread, stop)
            thread.start()
            return True, f"Started: {spec.title}."

    @staticmethod
    def _check_owner(spec: JobSpec) -> None:
        if not spec.owner:
            raise MLMError("A training needs an owner (the session that starts it).")
        for run in spec.runs:
            if run.config.resume and run_owner(run.config.out_dir) != spec.owner:
                raise MLMError(NOT_YOURS)

    def _run(self, spec: JobSpec, state: JobState, stop, corpora: Path, models: Path) -> None:
        final = (JobStatus.FAILED, "The training thread ended unexpectedly.")
        try:
            final = run_job_in_process(spec, state, stop, apply_final=False)
        except Exception as err:  # noqa: BLE001 - e.g. the process could not start; the job must end, said so
            final = (JobStatus.FAILED, f"The training could not start: {err}")
        finally:
            with self._lock:  # ended and the slot freed at once: whoever sees the results finds the server free
                state.set_status(*final)
                self._keep_finished(spec.owner, spec.kind, state)
                self._running = None
                remove_unused_corpora(corpora, models)

    def _keep_finished(self, owner: str, kind: str, state: JobState) -> None:
        self._finished.pop((owner, kind), None)
        self._finished[(owner, kind)] = state
        while len(self._finished) > MAX_FINISHED:
            self._finished.popitem(last=False)

    def cancel(self, owner: str) -> bool:
        """Ask the running job to stop (it saves a checkpoint first); only its owner may."""
        with self._lock:
            if not self._busy() or not owner or self._running[0].owner != owner:
                return False
            return self._stop_locked()

    def stop_running(self) -> bool:
        """Stop the running job whoever owns it: for shutting the server down and for tests, never for a page."""
        with self._lock:
            return self._busy() and self._stop_locked()

    def shut_down(self, timeout: float = 120.0) -> None:
        """Stop the running job and wait for its checkpoint: a server stopped mid-training must not abort inside
        torch (a daemon thread killed at exit does) nor lose the steps since the last save."""
        if self.stop_running():
            self._running[2].join(timeout)

    def _stop_locked(self) -> bool:
        _, state, _, stop = self._running
        stop.set()
        state.set_status(JobStatus.STOPPING)
        return True

    def forget(self, owner: str, kind: str) -> bool:
        """Clear an owner's finished job of this kind (never a running one, never someone else's)."""
        with self._lock:
            return bool(owner) and self._finished.pop((owner, kind), None) is not None

    # ------------------------------------------------------------ reading
    def _busy(self) -> bool:
        return self._running is not None and self._running[2].is_alive()

    def busy(self) -> bool:
        return self._busy()

    def running(self) -> JobState | None:
        """A copy of the running job's state (anyone's), or None when the server is free."""
        current = self._running
        if current is None:
            return None
        snap = current[1].snapshot()
        return snap if snap.active and current[2].is_alive() else None

    def job_for(self, owner: str, kind: str) -> JobState:
        """What `owner`'s page of `kind` shows: their running job of that kind, else their last finished one,
        else an empty (idle) state. Never another owner's job."""
        with self._lock:
            current = self._running
            if current is not None and owner and current[0].owner == owner and current[0].kind == kind:
                return current[1].snapshot()
            done = self._finished.get((owner, kind))
        return done.snapshot() if done is not None else JobState()

    def join(self, timeout: float | None = None) -> None:
        current = self._running
        if current is not None:
            current[2].join(timeout)


@st.cache_resource(show_spinner=False)
def get_manager() -> TrainingManager:
    """The server-wide training manager (shared by every session)."""
    return TrainingManager()


__all__ = ["JobStatus", "TrainingManager", "corpora_root", "get_manager", "models_root", "owner_id"]
