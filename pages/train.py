"""Train: a small masked LM of your own, on your own text or the bundled sample, in the background."""
from __future__ import annotations

import functools
import math
from pathlib import Path

import streamlit as st

from mlm_app.corpus_picker import corpus_picker
from mlm_app.downloads import show_figure
from mlm_app.models import trained_model_dir, trained_models
from mlm_app.shell import finish_page, page_setup
from mlm_app.state import large
from mlm_app.training_jobs import get_manager, models_root, session_id
from mlm_core.compare import (JobState, model_zip, resumable_runs, resume_spec, sanitize_name, single_run_spec,
                              unique_model_dir)
from mlm_core.errors import MLMError
from mlm_core.figures import loss_curves
from mlm_core.masking import STRATEGIES, MaskingStrategy
from mlm_core.presets import PRESETS
from mlm_core.training import TrainConfig

PRESET_CHOICES = ["tiny", "small"]
STATUS_WORDS = {"running": "Training", "stopping": "Stopping (saving a checkpoint)…", "finished": "Finished",
                "failed": "Failed", "interrupted": "Stopped"}


def _fmt_s(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "—"
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def _zip_bytes(path: str) -> bytes:
    return model_zip(path)


page_setup("Train")
st.title("Train your own MLM")
st.markdown(
    "Train a small masked language model from scratch on **your own text** (or the bundled sample corpus). "
    "A WordPiece vocabulary is learned from the text first, then the model learns to fill in the masked tokens. "
    "The finished model appears in the sidebar's model picker, so every page can use it. One training runs at a "
    "time on this server; the others can watch its progress."
)

manager = get_manager()
me = session_id()
if st.session_state.get("_train_toast"):
    st.toast(st.session_state.pop("_train_toast"))
snap: JobState = manager.snapshot()
busy = snap.active

# ---------------------------------------------------------------- settings
with st.container(border=True):
    corpus_path, corpus_error = corpus_picker("train", "Text to train on")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Model name", "my-model", key="train_name", max_chars=60,
                         help="Letters, digits, - and _; a timestamp is added if the name is taken.")
    preset = c2.selectbox("Size", PRESET_CHOICES, key="train_preset",
                          format_func=lambda p: f"{p} ({PRESETS[p].layers} layers, hidden {PRESETS[p].hidden})")
    strategy_name = c3.selectbox("Masking strategy", list(STRATEGIES), key="train_strategy")
    c4, c5, c6 = st.columns(3)
    steps = int(c4.number_input("Steps", 1, 100_000, 300, 50, key="train_steps"))
    batch_size = int(c5.selectbox("Batch size", [8, 16, 32, 64], index=1, key="train_batch"))
    seq_len = int(c6.selectbox("Sequence length (tokens)", [64, 128], key="train_seq"))
    strategy = MaskingStrategy(strategy_name)
    st.caption(f"{strategy.describe()}. {steps:,} steps × {batch_size} × {seq_len} = "
               f"{steps * batch_size * seq_len:,} tokens. On 2 free CPU cores the tiny size trains about 25,000 "
               "tokens per second and the small one about 12,000 (less while other work shares the cores).")
    safe_name = sanitize_name(name)
    if safe_name != name.strip():
        st.caption(f"The model will be saved as **{safe_name}**.")
    if busy:
        who = "this session" if snap.owner == me else "another session"
        st.info(f"A training started by {who} is running on this server ({snap.title}). You can keep using the "
                "other pages; start yours when it has finished.")
    start = st.button("Start training", icon=":material/play_arrow:", type="primary", key="train_start",
                      disabled=busy or corpus_path is None)
    if start:
        out = unique_model_dir(models_root(), name)
        config = TrainConfig(corpus=[str(corpus_path)], out_dir=str(out), preset=preset, strategy=strategy, steps=steps,
                             batch_size=batch_size, seq_len=seq_len, eval_every=max(5, steps // 10),
                             save_every=max(50, steps // 5), val_batches=8)
        ok, message = manager.start(single_run_spec(config, out.name, owner=me))
        if ok:
            st.session_state["_train_toast"] = message
            st.rerun()  # redraw with the job running (button disabled, live progress)
        st.warning(message)

st.session_state["_train_seen_active"] = busy and snap.kind == "train"


@st.fragment(run_every=1.0 if busy else None)
def _progress_panel() -> None:
    job = manager.snapshot()
    if job.kind != "train":
        if job.active:
            st.info(f"The server is busy with a strategy comparison ({job.title}); its progress is on the "
                    "Masking strategies page.")
        return
    if not job.active and st.session_state.get("_train_seen_active"):
        st.session_state["_train_seen_active"] = False
        st.rerun()  # training just ended: redraw the page, so the sidebar lists the new model
    run = job.runs[0]
    mine = job.owner == me
    st.subheader(f"{run.name}" + ("" if mine else " (another session's training)"))
    st.markdown(f"**{STATUS_WORDS.get(job.status, job.status)}** · {run.strategy} masking · {run.total_steps:,} steps")
    p = run.progress
    if p is None:
        st.progress(0.0, text="Preparing: learning the vocabulary and tokenizing the text…" if job.active else "")
    else:
        st.progress(min(1.0, p.step / max(p.total_steps, 1)), text=f"step {p.step:,} / {p.total_steps:,}")
        m = st.columns(5)
        m[0].metric("Loss (smoothed)", f"{p.loss:.3f}")
        m[1].metric("Tokens / s", f"{p.tokens_per_s:,.0f}")
        m[2].metric("Elapsed", _fmt_s(p.elapsed_s))
        m[3].metric("ETA", _fmt_s(p.eta_s) if job.active else "—")
        if run.val_losses:
            m[4].metric("Validation accuracy", f"{run.val_accuracies[-1]:.1%}",
                        help=f"15% of held-out tokens masked; validation loss {run.val_losses[-1]:.3f}")
    curves = {"training loss (smoothed)": (run.steps, run.losses)}
    if run.val_steps:
        curves["validation loss"] = (run.val_steps, run.val_losses)
    fig = loss_curves(curves if run.steps else {}, "Loss", "loss", large())
    if job.active:
        st.plotly_chart(fig, key="train_loss_live", config={"displaylogo": False})
    else:
        show_figure(fig, "train_loss")
    if job.error:
        st.error(f"Training failed: {job.error}")
    if job.active and mine:
        if st.button("Stop", icon=":material/stop:", key="train_stop", help="Stops after the current step and keeps a checkpoint."):
            manager.cancel(me)
            st.toast("Stopping after the current step; the checkpoint is kept.")
    if job.status == "interrupted":
        done = run.result.steps_done if run.result else (p.step if p else 0)
        st.warning(f"Stopped at step {done:,} of {run.total_steps:,}. The checkpoint is kept: resume to continue.")
        if mine and st.button("Resume", icon=":material/resume:", key="train_resume", disabled=manager.busy()):
            try:
                ok, message = manager.start(resume_spec(run.out_dir, owner=me))
            except MLMError as err:
                ok, message = False, str(err)
            (st.toast if ok else st.error)(message)
            st.session_state["_train_seen_active"] = ok
            st.rerun()
    if job.status == "finished" and (Path(run.out_dir) / "model.safetensors").exists():
        st.success(f"**{run.name}** is ready: pick “trained here: {run.name}” in the sidebar's model picker.")


_progress_panel()

# ---------------------------------------------------------------- stopped runs (also after a server restart)
current_dir = snap.runs[0].out_dir if snap.kind == "train" and snap.runs else None
shown_above = busy or snap.owner == me  # that run has its own Resume button in the panel above
unfinished = [n for n in resumable_runs(models_root()) if not (shown_above and str(models_root() / n) == current_dir)]
if unfinished:
    with st.expander(f"Stopped runs that can be resumed ({len(unfinished)})"):
        pick = st.selectbox("Run", unfinished, key="train_resume_pick")
        if st.button("Resume this run", icon=":material/resume:", key="train_resume_other", disabled=busy):
            try:
                ok, message = manager.start(resume_spec(models_root() / pick, owner=me))
            except MLMError as err:
                ok, message = False, str(err)
            (st.toast if ok else st.error)(message)
            st.rerun()

# ---------------------------------------------------------------- download
models = trained_models()
if models:
    st.subheader("Download a trained model")
    newest = snap.runs[0].name if snap.kind == "train" and snap.runs and snap.runs[0].name in models else None
    if newest and st.session_state.get("_train_download_newest") != newest:  # a training just finished: offer it
        st.session_state["_train_download_newest"] = newest
        st.session_state["train_download_pick"] = newest
    if st.session_state.get("train_download_pick") not in models:
        st.session_state["train_download_pick"] = newest or models[0]
    chosen = st.selectbox("Trained model", models, key="train_download_pick")
    path = trained_model_dir(chosen)
    st.download_button(f"{chosen}.zip", data=functools.partial(_zip_bytes, str(path)), file_name=f"{chosen}.zip",
                       mime="application/zip", key="train_download", on_click="ignore", icon=":material/download:",
                       help="config.json, model.safetensors and the tokenizer files (a save_pretrained directory; "
                            "load it with AutoModelForMaskedLM.from_pretrained). Checkpoint and tokenized data "
                            "are left out.")

finish_page()
