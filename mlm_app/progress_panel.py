"""The live progress panel of a training job, shared by the Train and Masking strategies pages.

`job_panel(kind, prefix, body)` draws this browser's job of `kind` in a fragment that redraws every second while
the server trains, and reruns the whole page once when the server's job ends (so its Start button, results and the
sidebar's models come back); `body(running, job)` draws what the page shows of it. `loss_chart` draws a loss chart
(no download buttons while it changes every second), `stop_button` the button that stops the job,
`format_duration` the times and `run_status` a status in words, both in the session's language.
"""
from __future__ import annotations

import math
from typing import Callable

import streamlit as st

from mlm_core.training.jobs import JobState
from mlm_core.viz.training import TEXTS as CURVE_TEXTS

from .downloads import show_figure
from .i18n import t
from .strings import DEFAULT_LANGUAGE, table
from .training_jobs import get_manager, owner_id


def curve_texts() -> dict[str, str]:
    """The words of the loss curves (`viz.training.TEXTS`: "no runs yet", "step") in the session's language."""
    return {k: t(f"train.fig_{k}") for k in CURVE_TEXTS}


def format_duration(seconds: float | None) -> str:
    """'42 s', '3 min 05 s', '1 h 07 min' (in the session's language); '—' when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "—"
    seconds = int(round(seconds))
    if seconds >= 3600:
        return t("train.duration_h", h=seconds // 3600, m=seconds % 3600 // 60)
    if seconds >= 60:
        return t("train.duration_m", m=seconds // 60, s=seconds % 60)
    return t("train.duration_s", s=seconds)


def run_status(prefix: str, status: str) -> str:
    """A job's or run's status in words: the string `prefix + status` ("train.status_" + "running"), or the
    status itself where there is none."""
    key = f"{prefix}{status}"
    return t(key) if key in table(DEFAULT_LANGUAGE) else str(status)


def seen_busy_key(prefix: str) -> str:
    return f"_{prefix}_seen_busy"


def job_panel(kind: str, prefix: str, body: Callable[[JobState | None, JobState], None]) -> None:
    """This browser's job of `kind` ('train', 'compare'), live; `body(running job of anyone, our job)`."""
    manager, me = get_manager(), owner_id()
    seen = seen_busy_key(prefix)
    # Once seen busy, it stays so until the panel has seen the end and redrawn the whole page: a job that ends
    # while this run draws the page (after the Start button was drawn disabled) still gets that redraw.
    st.session_state[seen] = manager.running() is not None or st.session_state.get(seen, False)

    @st.fragment(run_every=1.0 if st.session_state[seen] else None)
    def panel() -> None:
        now = manager.running()
        if now is None and st.session_state.get(seen):
            st.session_state[seen] = False
            st.rerun()  # the server's job just ended: redraw the whole page
        body(now, manager.job_for(me, kind))

    panel()


def loss_chart(fig, active: bool, key: str, live_key: str) -> None:
    """A loss chart: plain while the job runs (it is redrawn every second), with downloads once it has ended."""
    if active:
        st.plotly_chart(fig, key=live_key, config={"displaylogo": False})
    else:
        show_figure(fig, key)


def stop_button(label: str, key: str, toast: str, help: str | None = None) -> None:
    """Ask this browser's running job to stop after the current step."""
    if st.button(label, icon=":material/stop:", key=key, help=help):
        get_manager().cancel(owner_id())
        st.toast(toast)
