"""The Train page's sections: the settings and Start button, the live progress of this browser's run (the body of
`progress_panel.job_panel`), its stopped runs that can be resumed, and the download of a trained model."""
from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.masking.strategies import STRATEGIES, MaskingStrategy
from mlm_core.training.jobs import ACTIVE, JobState, JobStatus, resume_spec, single_run_spec
from mlm_core.training.loop import TrainConfig
from mlm_core.training.presets import PRESETS
from mlm_core.training.run_dirs import model_zip, resumable_runs, sanitize_name, unique_model_dir
from mlm_core.viz.training import loss_curves

from .corpus_picker import corpus_picker
from .models import app_data_dir, trained_model_dir, trained_models
from .progress_panel import format_duration, loss_chart, seen_busy_key, stop_button
from .state import large
from .training_jobs import corpora_root, get_manager, models_root, owner_id

PRESET_CHOICES = ["tiny", "small"]
STATUS_WORDS = {JobStatus.RUNNING: "Training", JobStatus.STOPPING: "Stopping (saving a checkpoint)…",
                JobStatus.FINISHED: "Finished", JobStatus.FAILED: "Failed", JobStatus.INTERRUPTED: "Stopped"}


def _zip_bytes(path: str) -> bytes:
    return model_zip(path, relative_to=app_data_dir())  # the summary's paths relative to the data directory


def _busy_note(running: JobState | None, me: str) -> str | None:
    """What the settings box says while the server trains (someone else's job: only that it runs)."""
    if running is None or (running.owner == me and running.kind == "train"):
        return None
    if running.owner == me:
        return ("Your strategy comparison is running (its progress is on the Masking strategies page); start a "
                "training when it has finished.")
    return ("Another session's training is running on this server. You can keep using the other pages; start "
            "yours when it has finished.")


def settings_form() -> None:
    """Corpus, name, size, strategy, steps, batch and sequence length, and the Start button."""
    manager, me = get_manager(), owner_id()
    if st.session_state.get("_train_toast"):
        st.toast(st.session_state.pop("_train_toast"))
    running = manager.running()  # anyone's job: only that one runs is shown when it is not ours
    with st.container(border=True):
        choice = corpus_picker("train", "Text to train on")
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("Model name", "my-model", key="train_name", max_chars=60,
                             help="Letters, digits, - and _; a timestamp is added if the name is taken.")
        preset = c2.selectbox("Size", PRESET_CHOICES, key="train_preset",
                              format_func=lambda p: f"{p} ({PRESETS[p].layers} layers, hidden {PRESETS[p].hidden})")
        strategy = MaskingStrategy(c3.selectbox("Masking strategy", list(STRATEGIES), key="train_strategy"))
        c4, c5, c6 = st.columns(3)
        steps = int(c4.number_input("Steps", 1, 100_000, 300, 50, key="train_steps"))
        batch_size = int(c5.selectbox("Batch size", [8, 16, 32, 64], index=1, key="train_batch"))
        seq_len = int(c6.selectbox("Sequence length (tokens)", [64, 128], key="train_seq"))
        st.caption(f"{strategy.describe()}. {steps:,} steps × {batch_size} × {seq_len} = "
                   f"{steps * batch_size * seq_len:,} tokens. The speed depends on the CPU: on two cores the small size "
                   "trained at 4,000 to 12,000 tokens per second on the machines we measured, the tiny one several "
                   "times faster. Once it starts, the panel below shows the real speed and the time left.")
        safe_name = sanitize_name(name)
        if safe_name != name.strip():
            st.caption(f"The model will be saved as **{safe_name}**.")
        if note := _busy_note(running, me):
            st.info(note)
        if st.button("Start training", icon=":material/play_arrow:", type="primary", key="train_start",
                     disabled=running is not None or not choice.ready):
            def build():  # called by the manager only when the job can start: the upload is written here
                out = unique_model_dir(models_root(), name)
                config = TrainConfig(corpus=[str(choice.save(corpora_root()))], out_dir=str(out), preset=preset,
                                     strategy=strategy, steps=steps, batch_size=batch_size, seq_len=seq_len,
                                     eval_every=max(5, steps // 10), save_every=max(50, steps // 5), val_batches=8)
                return single_run_spec(config, out.name, owner=me)

            ok, message = manager.start(build)
            if ok:
                st.session_state["_train_toast"] = message
                st.rerun()  # redraw with the job running (button disabled, live progress)
            st.error(message)


def _others_progress(job: JobState) -> None:
    """Another session's job: that it runs and how long to wait, nothing more."""
    eta = job.eta_s()
    st.progress(job.fraction_done(), text=f"Another session's training: {job.fraction_done():.0%} done"
                + (f", about {format_duration(eta)} left" if eta is not None else ""))


def _resume(out_dir, key: str, label: str, disabled: bool, seen: bool = False) -> None:
    """A button that resumes one of this browser's stopped runs."""
    if st.button(label, icon=":material/resume:", key=key, disabled=disabled):
        me = owner_id()
        ok, message = get_manager().start(lambda: resume_spec(out_dir, owner=me))  # its errors come back as (False, why)
        (st.toast if ok else st.error)(message)
        if seen:
            st.session_state[seen_busy_key("train")] = ok
        st.rerun()


def _metrics(run, active: bool) -> None:
    p = run.progress
    m = st.columns(5)
    m[0].metric("Loss (smoothed)", f"{p.loss:.3f}")
    m[1].metric("Tokens / s", f"{p.tokens_per_s:,.0f}")
    m[2].metric("Elapsed", format_duration(p.elapsed_s))
    m[3].metric("ETA", format_duration(p.eta_s) if active else "—")
    if run.val_losses:
        m[4].metric("Validation accuracy", f"{run.val_accuracies[-1]:.1%}",
                    help=f"15% of held-out tokens masked; validation loss {run.val_losses[-1]:.3f}")


def run_progress(running: JobState | None, job: JobState) -> None:
    """The body of the live panel (`progress_panel.job_panel`): this browser's run, or that another one runs."""
    if running is not None and running.owner != owner_id():
        _others_progress(running)
    if not job.runs:
        return
    run = job.runs[0]
    st.subheader(run.name)
    st.markdown(f"**{STATUS_WORDS.get(job.status, job.status)}** · {run.strategy} masking · {run.total_steps:,} steps")
    p = run.progress
    if p is None:
        st.progress(0.0, text="Preparing: learning the vocabulary and tokenizing the text…" if job.active else "")
    else:
        st.progress(min(1.0, p.step / max(p.total_steps, 1)), text=f"step {p.step:,} / {p.total_steps:,}")
        _metrics(run, job.active)
    curves = {"training loss (smoothed)": (run.steps, run.losses)}
    if run.val_steps:
        curves["validation loss"] = (run.val_steps, run.val_losses)
    loss_chart(loss_curves(curves if run.steps else {}, "Loss", "loss", large()), job.active, "train_loss",
               "train_loss_live")
    if job.error:
        st.error(f"Training failed: {job.error}")
    if job.active:
        stop_button("Stop", "train_stop", "Stopping after the current step; the checkpoint is kept.",
                    help="Stops after the current step and keeps a checkpoint.")
        return
    if job.status == JobStatus.INTERRUPTED:
        done = run.result.steps_done if run.result else (p.step if p else 0)
        st.warning(f"Stopped at step {done:,} of {run.total_steps:,}. The checkpoint is kept: resume to continue.")
        _resume(run.out_dir, "train_resume", "Resume", get_manager().busy(), seen=True)
    if job.status == JobStatus.FINISHED and (Path(run.out_dir) / "model.safetensors").exists():
        st.success(f"**{run.name}** is ready: pick “trained here: {run.name}” in the sidebar's model picker.")
    if st.button("Clear", icon=":material/clear_all:", key="train_clear",
                 help="Hide this run's progress here; the model (or its checkpoint) stays."):
        get_manager().forget(owner_id(), "train")
        st.rerun()


def stopped_runs() -> None:
    """This browser's stopped runs that can be resumed (also after a server restart), except the one in the panel."""
    manager, me = get_manager(), owner_id()
    mine = manager.job_for(me, "train")
    in_panel = mine.runs[0].out_dir if mine.runs and (mine.status in ACTIVE or mine.status == JobStatus.INTERRUPTED) else None
    unfinished = [n for n in resumable_runs(models_root(), owner=me) if str(models_root() / n) != in_panel]
    if unfinished:
        with st.expander(f"Your stopped runs that can be resumed ({len(unfinished)})"):
            pick = st.selectbox("Run", unfinished, key="train_resume_pick")
            _resume(models_root() / pick, "train_resume_other", "Resume this run", manager.running() is not None)


def download() -> None:
    """A trained model as a zip; the one that just finished is offered first."""
    models = trained_models()
    if not models:
        return
    mine = get_manager().job_for(owner_id(), "train")
    st.subheader("Download a trained model")
    newest = mine.runs[0].name if mine.kind == "train" and mine.runs and mine.runs[0].name in models else None
    if newest and st.session_state.get("_train_download_newest") != newest:  # a training just finished: offer it
        st.session_state["_train_download_newest"] = newest
        st.session_state["train_download_pick"] = newest
    if st.session_state.get("train_download_pick") not in models:
        st.session_state["train_download_pick"] = newest or models[0]
    chosen = st.selectbox("Trained model", models, key="train_download_pick")
    try:
        path = trained_model_dir(chosen)
    except MLMError as err:  # removed since the list was read
        st.error(str(err))
        return
    st.download_button(f"{chosen}.zip", data=functools.partial(_zip_bytes, str(path)), file_name=f"{chosen}.zip",
                       mime="application/zip", key="train_download", on_click="ignore", icon=":material/download:",
                       help="config.json, model.safetensors and the tokenizer files (a save_pretrained directory; "
                            "load it with AutoModelForMaskedLM.from_pretrained). Checkpoint and tokenized data "
                            "are left out; the training summary names files relative to the app's data folder.")
