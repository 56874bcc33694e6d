"""The Train page (pages/train.py, mlm_app.train_view) and what it shares with the Masking page: the corpus choice,
the live progress panel, the download buttons of figures and data."""
STRINGS = {
    # the page
    "train.title": "Train your own MLM",
    "train.intro": "Train a small masked language model from scratch on **your own text** (or the bundled sample "
                   "corpus). A WordPiece vocabulary is learned from the text first, then the model learns to fill in "
                   "the masked tokens. The finished model appears in the sidebar's model picker, so every page can use "
                   "it. One training runs at a time on this server; the others wait for it. Only the session that "
                   "starts a training can stop, resume or clear it (reloading the page keeps it yours).",
    # settings
    "train.corpus": "Text to train on",
    "train.name": "Model name",
    "train.name_help": "Letters, digits, - and _; a timestamp is added if the name is taken.",
    "train.size": "Size",
    "train.preset": "{name} ({layers} layers, hidden {hidden})",
    "train.strategy": "Masking strategy",
    "train.steps": "Steps",
    "train.batch": "Batch size",
    "train.seq": "Sequence length (tokens)",
    "train.describe": "{name}: {rate:.0%} selected; {mask:.0%} mask / {random:.0%} random / {kept:.0%} kept",
    "train.describe_span": "; span lengths ~ Geometric({p}) truncated at {longest} words",
    "train.budget": "{strategy}. {steps:,} steps × {batch} × {seq} = {tokens:,} tokens. The speed depends on the CPU: "
                    "on two cores the small size trained at 4,000 to 12,000 tokens per second on the machines we "
                    "measured, the tiny one several times faster. Once it starts, the panel below shows the real speed "
                    "and the time left.",
    "train.saved_as": "The model will be saved as **{name}**.",
    "train.busy_own_compare": "Your strategy comparison is running (its progress is on the Masking strategies page); "
                              "start a training when it has finished.",
    "train.busy_other": "Another session's training is running on this server. You can keep using the other pages; "
                        "start yours when it has finished.",
    "train.start": "Start training",
    # progress
    "train.status_running": "Training",
    "train.status_stopping": "Stopping (saving a checkpoint)…",
    "train.status_finished": "Finished",
    "train.status_failed": "Failed",
    "train.status_interrupted": "Stopped",
    "train.others": "Another session's training: {done:.0%} done",
    "train.others_left": ", about {left} left",
    "train.resume": "Resume",
    "train.resume_this": "Resume this run",
    "train.loss_smoothed": "Loss (smoothed)",
    "train.speed": "Tokens / s",
    "train.elapsed": "Elapsed",
    "train.eta": "ETA",
    "train.val_accuracy": "Validation accuracy",
    "train.val_help": "15% of held-out tokens masked; validation loss {loss:.3f}",
    "train.run_line": "**{status}** · {strategy} masking · {steps:,} steps",
    "train.preparing": "Preparing: learning the vocabulary and tokenizing the text…",
    "train.step": "step {step:,} / {total:,}",
    "train.curve_train": "training loss (smoothed)",
    "train.curve_val": "validation loss",
    "train.loss_title": "Loss",
    "train.loss_axis": "loss",
    "train.failed": "Training failed: {error}",
    "train.stop": "Stop",
    "train.stopping": "Stopping after the current step; the checkpoint is kept.",
    "train.stop_help": "Stops after the current step and keeps a checkpoint.",
    "train.stopped": "Stopped at step {done:,} of {total:,}. The checkpoint is kept: resume to continue.",
    "train.ready": "**{name}** is ready: pick “{label}” in the sidebar's model picker.",
    "train.clear": "Clear",
    "train.clear_help": "Hide this run's progress here; the model (or its checkpoint) stays.",
    "train.stopped_runs": "Your stopped runs that can be resumed ({n})",
    "train.run": "Run",
    "train.duration_h": "{h} h {m:02d} min",
    "train.duration_m": "{m} min {s:02d} s",
    "train.duration_s": "{s} s",
    # download
    "train.download": "Download a trained model",
    "train.trained_model": "Trained model",
    "train.download_help": "config.json, model.safetensors and the tokenizer files (a save_pretrained directory; load "
                           "it with AutoModelForMaskedLM.from_pretrained). Checkpoint and tokenized data are left out; "
                           "the training summary names files relative to the app's data folder.",
    # the corpus choice (mlm_app.corpus_picker)
    "train.sample": "Bundled sample corpus",
    "train.upload": "Upload a text file",
    "train.sample_caption": "About 570 KB of public-domain fiction: *Three Men in a Boat* (Jerome K. Jerome) and "
                            "*The Wonderful Wizard of Oz* (L. Frank Baum).",
    "train.upload_label": "Plain UTF-8 text (.txt), at most {mb} MB",
    "train.upload_first": "Upload a text file first (or use the bundled sample corpus).",
    "train.upload_info": "{name}: {chars:,} characters, {lines:,} non-blank lines.",
    # figure and data downloads (mlm_app.downloads, every page)
    "train.download_figure": "Download figure",
    "train.html": "Interactive HTML",
    "train.html_help": "Interactive figure as a standalone web page",
    "train.render_png": "Render PNG",
    "train.rendering": "Rendering…",
    "train.no_png": "PNG export is unavailable here; use the camera icon on the figure instead.",
    "train.save_png": "Save PNG",
    "train.data": "data",
    "train.csv": "{label} CSV",
    "train.json": "{label} JSON",
    # loss-curve words (mlm_core.viz.training.TEXTS)
    "train.fig_no_runs": "no runs yet",
    "train.fig_step": "step",
}
