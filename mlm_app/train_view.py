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
from .i18n import error_text, t
from .models import TRAINED_PREFIX, app_data_dir, trained_model_dir, trained_models
from .progress_panel import curve_texts, format_duration, loss_chart, run_status, seen_busy_key, stop_button
from .sidebar import model_label
from .state import large
from .training_jobs import corpora_root, get_manager, models_root, owner_id

PRESET_CHOICES = ["tiny", "small"]


def _zip_bytes(path: str) -> bytes:
    return model_zip(path, relative_to=app_data_dir())  # the summary's paths relative to the data directory


def _busy_note(running: JobState | None, me: str) -> str | None:
    """What the settings box says while the server trains (someone else's job: only that it runs)."""
    if running is None or (running.owner == me and running.kind == "train"):
        return None
    if running.owner == me:
        return t("train.busy_own_compare")
    return t("train.busy_other")


def describe(strategy: MaskingStrategy) -> str:
    """`MaskingStrategy.describe` in the session's language: 'bert: 15% selected; 80% mask / 10% random / 10% kept'."""
    mask, random, kept = strategy.replacement_probs()
    text = t("train.describe", name=strategy.name, rate=strategy.rate, mask=mask, random=random, kept=kept)
    if strategy.name == "span":
        text += t("train.describe_span", p=strategy.span_p, longest=strategy.max_span)
    return text


def _preset_label(name: str) -> str:
    return t("train.preset", name=name, layers=PRESETS[name].layers, hidden=PRESETS[name].hidden)


def settings_form() -> None:
    """Corpus, name, size, strategy, steps, batch and sequence length, and the Start button."""
    manager, me = get_manager(), owner_id()
    if st.session_state.get("_train_toast"):
        st.toast(error_text(st.session_state.pop("_train_toast")))
    running = manager.running()  # anyone's job: only that one runs is shown when it is not ours
    with st.container(border=True):
        choice = corpus_picker("train", t("train.corpus"))
        c1, c2, c3 = st.columns(3)
        name = c1.text_input(t("train.name"), "my-model", key="train_name", max_chars=60, help=t("train.name_help"))
        presets = {p: _preset_label(p) for p in PRESET_CHOICES}  # named now: AppTest formats outside the run
        preset = c2.selectbox(t("train.size"), list(presets), key="train_preset",
                              format_func=lambda p: presets.get(p, p))
        strategy = MaskingStrategy(c3.selectbox(t("train.strategy"), list(STRATEGIES), key="train_strategy"))
        c4, c5, c6 = st.columns(3)
        steps = int(c4.number_input(t("train.steps"), 1, 100_000, 300, 50, key="train_steps"))
        batch_size = int(c5.selectbox(t("train.batch"), [8, 16, 32, 64], index=1, key="train_batch"))
        seq_len = int(c6.selectbox(t("train.seq"), [64, 128], key="train_seq"))
        st.caption(t("train.budget", strategy=describe(strategy), steps=steps, batch=batch_size, seq=seq_len,
                     tokens=steps * batch_size * seq_len))
        safe_name = sanitize_name(name)
        if safe_name != name.strip():
            st.caption(t("train.saved_as", name=safe_name))
        if note := _busy_note(running, me):
            st.info(note)
        if st.button(t("train.start"), icon=":material/play_arrow:", type="primary", key="train_start",
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
            st.error(error_text(message))


def _others_progress(job: JobState) -> None:
    """Another session's job: that it runs and how long to wait, nothing more."""
    eta = job.eta_s()
    st.progress(job.fraction_done(), text=t("train.others", done=job.fraction_done())
                + (t("train.others_left", left=format_duration(eta)) if eta is not None else ""))


def _resume(out_dir, key: str, label: str, disabled: bool, seen: bool = False) -> None:
    """A button that resumes one of this browser's stopped runs."""
    if st.button(label, icon=":material/resume:", key=key, disabled=disabled):
        me = owner_id()
        ok, message = get_manager().start(lambda: resume_spec(out_dir, owner=me))  # its errors come back as (False, why)
        (st.toast if ok else st.error)(error_text(message))
        if seen:
            st.session_state[seen_busy_key("train")] = ok
        st.rerun()


def _metrics(run, active: bool) -> None:
    p = run.progress
    m = st.columns(5)
    m[0].metric(t("train.loss_smoothed"), f"{p.loss:.3f}")
    m[1].metric(t("train.speed"), f"{p.tokens_per_s:,.0f}")
    m[2].metric(t("train.elapsed"), format_duration(p.elapsed_s))
    m[3].metric(t("train.eta"), format_duration(p.eta_s) if active else "—")
    if run.val_losses:
        m[4].metric(t("train.val_accuracy"), f"{run.val_accuracies[-1]:.1%}",
                    help=t("train.val_help", loss=run.val_losses[-1]))


def run_progress(running: JobState | None, job: JobState) -> None:
    """The body of the live panel (`progress_panel.job_panel`): this browser's run, or that another one runs."""
    if running is not None and running.owner != owner_id():
        _others_progress(running)
    if not job.runs:
        return
    run = job.runs[0]
    st.subheader(run.name)
    st.markdown(t("train.run_line", status=run_status("train.status_", job.status), strategy=run.strategy,
                  steps=run.total_steps))
    p = run.progress
    if p is None:
        st.progress(0.0, text=t("train.preparing") if job.active else "")
    else:
        st.progress(min(1.0, p.step / max(p.total_steps, 1)), text=t("train.step", step=p.step, total=p.total_steps))
        _metrics(run, job.active)
    curves = {t("train.curve_train"): (run.steps, run.losses)}
    if run.val_steps:
        curves[t("train.curve_val")] = (run.val_steps, run.val_losses)
    loss_chart(loss_curves(curves if run.steps else {}, t("train.loss_title"), t("train.loss_axis"), large(),
                           curve_texts()),
               job.active, "train_loss", "train_loss_live")
    if job.error:
        st.error(t("train.failed", error=error_text(job.error)))
    if job.active:
        stop_button(t("train.stop"), "train_stop", t("train.stopping"), help=t("train.stop_help"))
        return
    if job.status == JobStatus.INTERRUPTED:
        done = run.result.steps_done if run.result else (p.step if p else 0)
        st.warning(t("train.stopped", done=done, total=run.total_steps))
        _resume(run.out_dir, "train_resume", t("train.resume"), get_manager().busy(), seen=True)
    if job.status == JobStatus.FINISHED and (Path(run.out_dir) / "model.safetensors").exists():
        st.success(t("train.ready", name=run.name, label=model_label(TRAINED_PREFIX + run.name)))
    if st.button(t("train.clear"), icon=":material/clear_all:", key="train_clear", help=t("train.clear_help")):
        get_manager().forget(owner_id(), "train")
        st.rerun()


def stopped_runs() -> None:
    """This browser's stopped runs that can be resumed (also after a server restart), except the one in the panel."""
    manager, me = get_manager(), owner_id()
    mine = manager.job_for(me, "train")
    in_panel = mine.runs[0].out_dir if mine.runs and (mine.status in ACTIVE or mine.status == JobStatus.INTERRUPTED) else None
    unfinished = [n for n in resumable_runs(models_root(), owner=me) if str(models_root() / n) != in_panel]
    if unfinished:
        with st.expander(t("train.stopped_runs", n=len(unfinished))):
            pick = st.selectbox(t("train.run"), unfinished, key="train_resume_pick")
            _resume(models_root() / pick, "train_resume_other", t("train.resume_this"), manager.running() is not None)


def download() -> None:
    """A trained model as a zip; the one that just finished is offered first."""
    models = trained_models()
    if not models:
        return
    mine = get_manager().job_for(owner_id(), "train")
    st.subheader(t("train.download"))
    newest = mine.runs[0].name if mine.kind == "train" and mine.runs and mine.runs[0].name in models else None
    if newest and st.session_state.get("_train_download_newest") != newest:  # a training just finished: offer it
        st.session_state["_train_download_newest"] = newest
        st.session_state["train_download_pick"] = newest
    if st.session_state.get("train_download_pick") not in models:
        st.session_state["train_download_pick"] = newest or models[0]
    chosen = st.selectbox(t("train.trained_model"), models, key="train_download_pick")
    try:
        path = trained_model_dir(chosen)
    except MLMError as err:  # removed since the list was read
        st.error(error_text(err))
        return
    st.download_button(f"{chosen}.zip", data=functools.partial(_zip_bytes, str(path)), file_name=f"{chosen}.zip",
                       mime="application/zip", key="train_download", on_click="ignore", icon=":material/download:",
                       help=t("train.download_help"))
