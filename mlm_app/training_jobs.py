"""One training job per server, in a background thread, readable by every session.

The job logic (running the sequence of runs, progress, comparison rows) is in
`mlm_core.compare`; this module only adds the thread, the cancel event, the one-at-a-time
rule and the Streamlit-wide singleton (`get_manager`).
"""
from __future__ import annotations

import threading
import uuid

import streamlit as st

from mlm_core.compare import ACTIVE, IDLE, STOPPING, JobSpec, JobState, run_job

from .models import app_data_dir


class TrainingManager:
    """Holds the current (or last) job. `start` refuses while one is running; `snapshot` is a safe copy."""

    def __init__(self):
        self._lock = threading.Lock()
        self._state = JobState()
        self._spec: JobSpec | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, spec: JobSpec) -> tuple[bool, str]:
        """Start a job in the background; (False, why) when another job is still running."""
        with self._lock:
            if self.busy():
                snap = self._state.snapshot()
                return False, f"Another training is running on this server ({snap.title}); wait for it to finish."
            self._stop = threading.Event()
            self._spec = spec
            self._state = JobState(spec)
            self._state.set_status("running")
            self._thread = threading.Thread(target=run_job, args=(spec, self._state, self._stop.is_set),
                                            name="mlm-training-job", daemon=True)
            self._thread.start()
            return True, f"Started: {spec.title}."

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def cancel(self, owner: str | None = None) -> bool:
        """Ask the running job to stop (it saves a checkpoint first); only its owner may, when owner is given."""
        with self._lock:
            if not self.busy() or (owner is not None and self._state.owner and owner != self._state.owner):
                return False
            self._stop.set()
            self._state.set_status(STOPPING)
            return True

    def snapshot(self) -> JobState:
        snap = self._state.snapshot()
        if snap.status in ACTIVE and not self.busy():  # the thread died without reporting (should not happen)
            snap.status = "failed"
            snap.error = snap.error or "The training thread ended unexpectedly."
        return snap

    def spec(self) -> JobSpec | None:
        return self._spec

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def forget(self, owner: str) -> None:
        """Clear a finished job's results (only its owner; never while running)."""
        with self._lock:
            if not self.busy() and self._state.owner == owner:
                self._state = JobState()
                self._spec = None


@st.cache_resource(show_spinner=False)
def get_manager() -> TrainingManager:
    """The server-wide training manager (shared by every session)."""
    return TrainingManager()


def session_id() -> str:
    """A stable id for this browser session (the owner of the jobs it starts)."""
    if "_session_uid" not in st.session_state:
        st.session_state["_session_uid"] = uuid.uuid4().hex
    return st.session_state["_session_uid"]


def models_root():
    root = app_data_dir() / "models"
    root.mkdir(parents=True, exist_ok=True)
    return root


def corpora_root():
    return app_data_dir() / "corpora"


__all__ = ["IDLE", "TrainingManager", "corpora_root", "get_manager", "models_root", "session_id"]
