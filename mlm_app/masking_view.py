"""The Masking strategies page's sections: the settings, one sentence under every strategy, the strategies measured
on a corpus sample, the experiments that ship with the app (read from their files, nothing trained), and small
models trained with them and compared (form, live progress, results). The numbers come from `mlm_core.masking`
(`masker`, `report`, `span_lengths`), `mlm_core.training.metrics` and `mlm_core.training.experiments`."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.fill_mask_post import prediction_bars
from mlm_core.masking.masker import StrategyStats, mask_text, measure_strategy
from mlm_core.masking.report import action_shares, preview_counts, stats_records, target_labels
from mlm_core.masking.span_lengths import span_length_counts
from mlm_core.masking.strategies import STRATEGIES, MaskingStrategy
from mlm_core.model.loading import LoadedModel
from mlm_core.training.corpus import read_lines
from mlm_core.training.jobs import JobState, JobStatus
from mlm_core.training.experiments import (LIVE, LIVE_METRIC, LIVE_PAIR, ExperimentResult, metric_label,
                                           live_comparison_spec, row_column, shipped_experiments, summary_table)
from mlm_core.training.metrics import COMPARE_SENTENCE, PPL_SENTENCES
from mlm_core.training.uploads import SAMPLE_CORPUS
from mlm_core.viz.fill_mask import topk_compare
from mlm_core.viz.masking import (action_legend_html, action_share_bar, experiment_curves, experiment_final_bars,
                                  masked_tokens_html, span_lengths_vs_target)
from mlm_core.viz.training import loss_curves

from .cached import cached_analysis
from .corpus_picker import corpus_picker
from .downloads import data_downloads, show_figure
from .models import TRAINED_PREFIX, get_model
from .progress_panel import format_duration, loss_chart, seen_busy_key, stop_button
from .state import large
from .training_jobs import corpora_root, get_manager, models_root, owner_id

MEASURE_TOKENS = 100_000
# The live comparison's defaults are the shipped experiments' budget (`experiments.LIVE`: tiny preset, the shipped
# 2,000-token vocabulary, 300 steps of 16 x 64 tokens), so the shipped seed-to-seed spread is the reference for it.
DEFAULT_STEPS = LIVE.steps
COMPARE_BATCH, COMPARE_SEQ = LIVE.batch_size, LIVE.seq_len
SECONDS_PER_STEP, SECONDS_PER_RUN = 0.2, 5  # bench/live_compare.py: 125 s for the default pair on 2 busy CPU cores
STRATEGY_HELP = {
    "bert": "each token on its own; 80% → [MASK], 10% → random, 10% kept",
    "mask-only": "each token on its own; every selected token → [MASK]",
    "whole-word": "all pieces of a word together (no word is half-hidden)",
    "span": "runs of whole words (SpanBERT), lengths drawn from a geometric distribution",
}
STATUS_WORDS = {JobStatus.RUNNING: "Training", JobStatus.STOPPING: "Stopping", JobStatus.FINISHED: "Finished",
                JobStatus.FAILED: "Failed", JobStatus.INTERRUPTED: "Cancelled"}
PCT = st.column_config.NumberColumn(format="%.1f%%")


@dataclass(frozen=True)
class Settings:
    rate: float
    mask_pct: int
    random_pct: int
    seed: int
    strategies: dict[str, MaskingStrategy]

    @property
    def kept_pct(self) -> int:
        return 100 - self.mask_pct - self.random_pct


def _reroll() -> None:
    st.session_state["masking_seed"] = int(st.session_state.get("masking_seed", 0)) + 1


@st.cache_data(show_spinner=False, max_entries=4)
def _sample_lines() -> list[str]:
    return read_lines(SAMPLE_CORPUS)


@st.cache_data(show_spinner="Measuring the strategies on the sample corpus…", max_entries=64)
def _measure(model_name: str, name: str, rate: float, mask_prob: float, random_prob: float, seed: int) -> StrategyStats:
    strategy = MaskingStrategy(name, rate=rate, mask_prob=mask_prob, random_prob=random_prob)
    return measure_strategy(get_model(model_name).tokenizer, _sample_lines(), strategy, n_tokens=MEASURE_TOKENS, seed=seed)


# ---------------------------------------------------------------- settings


def settings() -> Settings | None:
    """Selection rate, the [MASK] / random shares, the seed (and re-roll); None, with an error, when invalid."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
        rate = c1.slider("Selection rate", 0.05, 0.5, 0.15, 0.01, key="masking_rate",
                         help="Share of (non-special) tokens the model must predict.")
        mask_pct = c2.slider("…of which → [MASK] (%)", 0, 100, 80, 5, key="masking_mask_pct")
        random_pct = c3.slider("…→ random token (%)", 0, 100, 10, 5, key="masking_random_pct",
                               help="The rest are kept unchanged (BERT's 80-10-10 by default). mask-only ignores both.")
        if mask_pct + random_pct > 100:
            st.warning(f"[MASK] + random is {mask_pct + random_pct}%; using {100 - mask_pct}% random so the shares add "
                       "up to 100%.")
            random_pct = 100 - mask_pct
        with c4:
            st.number_input("Seed", min_value=0, max_value=1_000_000, step=1, key="masking_seed",
                            help="The same seed gives the same masking; re-roll for another draw.")
            st.button("Re-roll", icon=":material/casino:", on_click=_reroll, key="masking_reroll", width="stretch")
        st.caption(f"Kept unchanged: {100 - mask_pct - random_pct}% of the selected tokens.")
    try:
        strategies = {name: MaskingStrategy(name, rate=rate, mask_prob=mask_pct / 100, random_prob=random_pct / 100)
                      for name in STRATEGIES}
    except MLMError as err:
        st.error(str(err))
        return None
    return Settings(rate, mask_pct, random_pct, int(st.session_state.get("masking_seed", 0)), strategies)


# ---------------------------------------------------------------- one sentence, every strategy


def sentence_preview(lm: LoadedModel, text: str, s: Settings) -> None:
    big = large()
    st.html(action_legend_html(big))
    for col, (name, strategy) in zip(st.columns(len(s.strategies)), s.strategies.items()):
        with col:
            st.markdown(f"#### {name}")
            st.caption(STRATEGY_HELP[name])
            try:
                masked = mask_text(lm.tokenizer, text, strategy, s.seed)
            except MLMError as err:
                st.error(str(err))
                continue
            st.markdown("**What the model sees**")
            st.html(masked_tokens_html(masked.tokens, masked.actions, masked.shown, big))
            st.markdown("**What it must predict**")
            st.html(masked_tokens_html(target_labels(masked), masked.actions, None, big))
            counts = preview_counts(masked, lm.tokenizer.all_special_tokens)
            note = f"{counts.predicted} of {counts.tokens} tokens predicted"
            if counts.span_lengths:
                note += " · span lengths (words): " + ", ".join(str(n) for n in counts.span_lengths)
            if counts.predicted == 0:
                note += " · nothing selected this time: re-roll"
            st.caption(note)
    st.caption("“·” means no prediction (and no loss) at that position. Every strategy predicts the *original* token, "
               "also where it was kept or replaced by a random one.")


# ---------------------------------------------------------------- measured statistics


NO_SPANS = "— (no spans)"


def measured(lm: LoadedModel, s: Settings) -> None:
    st.caption(f"About {MEASURE_TOKENS:,} tokens of the bundled sample corpus (public-domain fiction), tokenized by "
               f"**{lm.name}**, in sequences of 128 tokens, same seed as above.")
    try:
        stats = {name: _measure(lm.name, name, s.rate, s.mask_pct / 100, s.random_pct / 100, s.seed)
                 for name in STRATEGIES}
    except MLMError as err:
        st.error(str(err))
        return
    records = stats_records(stats)
    shown = pd.DataFrame(records)
    for c in ("selected rate", "→ [MASK]", "→ random", "kept"):
        shown[c] = shown[c] * 100
    # only the span strategy places spans: the others say so instead of a bare "None"
    shown["mean span (words)"] = [NO_SPANS if v is None or v != v else f"{v:.2f}" for v in
                                  (r["mean span (words)"] for r in records)]
    st.dataframe(shown, hide_index=True, width="stretch", key="masking_stats_table",
                 column_config={"selected rate": PCT, "→ [MASK]": PCT, "→ random": PCT, "kept": PCT,
                                "tokens": st.column_config.NumberColumn(format="%d"),
                                "mean span (words)": st.column_config.TextColumn(
                                    help="Mean length of the spans placed, in words; only the span strategy "
                                         "places spans.")})
    st.caption(f"Configured: {s.rate:.0%} selected. *→ [MASK] / → random / kept* are shares of the selected tokens. "
               "*Words split*: words with some pieces selected and others not — token-level strategies give the "
               "model half a word as a hint; whole-word and span never do.")
    data_downloads(records, "masking_stats", "statistics")
    f1, f2 = st.columns(2)
    with f1:
        show_figure(action_share_bar(action_shares(stats), large(), "What happens to the tokens"), "masking_share_bar")
    with f2:
        span = stats["span"]
        hist = span_length_counts(span.drawn_span_lengths, span.span_lengths, s.strategies["span"].span_p,
                                  s.strategies["span"].max_span)
        show_figure(span_lengths_vs_target(hist, large(), "span: span lengths drawn, placed and the target"),
                    "masking_span_hist")
    st.caption("Span lengths are drawn from SpanBERT's distribution: Geometric(0.2) truncated at 10 words by "
               "renormalising (mean 3.8). A span that would pass the 15% budget or the end of a sequence is "
               "shortened where it is placed, so placed spans are a little shorter than drawn ones.")


# ---------------------------------------------------------------- shipped experiments


@st.cache_data(show_spinner=False, max_entries=2)
def _shipped() -> dict[str, ExperimentResult]:
    return shipped_experiments()


def shipped_reference() -> ExperimentResult | None:
    """The shipped `strategies` experiment (the live comparison's reference), None when it is missing or unreadable."""
    try:
        return _shipped().get("strategies")
    except MLMError:
        return None


def shipped_section() -> None:
    """The experiments that ship with the app: curves with their seed bands, final values with error bars, the
    reading of the numbers and the command that reproduces them. Read from files; nothing is trained."""
    try:
        shipped = _shipped()
    except MLMError as err:
        st.error(str(err))
        return
    if not shipped:
        st.info("No shipped experiments found (mlm_core/data/experiments/).")
        return
    big = large()
    st.markdown(
        "Tiny models (2 layers × 128, a 2,000-token vocabulary, 300 steps of 16 × 64 tokens of the sample corpus), "
        "**3 seeds per setting**, every run scored the same way on the same held-out text: 15% of the tokens → "
        "[MASK] one by one (*token*), in whole words (*whole-word*) or in spans (*span*), and two scores with no "
        "[MASK] at all: tokens left as they are (*kept*: how the model treats the tokens it sees, as in fine-tuning) "
        "and tokens replaced by a random one (*random*). Bands and error bars run from the lowest to the highest "
        "seed; a difference inside them is **no clear difference**.")
    tabs = st.tabs([r.title for r in shipped.values()])
    for tab, (name, result) in zip(tabs, shipped.items()):
        with tab:
            st.markdown(f"*{result.question}*")
            c1, c2 = st.columns(2)
            with c1:
                metric = result.focus[0]
                show_figure(experiment_curves(result, metric, big, metric_label(metric)), f"exp_{name}_curves")
            with c2:
                show_figure(experiment_final_bars(result, ["token/accuracy", "kept/accuracy", "random/accuracy"], big,
                                                  "After training: top-1 accuracy per evaluation"),
                            f"exp_{name}_accuracy")
            show_figure(experiment_final_bars(result, ["token/loss", "whole-word/loss", "span/loss"], big,
                                              "After training: loss under each [MASK] evaluation (lower is better)"),
                        f"exp_{name}_losses")
            st.markdown("**What the numbers say**")
            st.markdown("\n".join(f"- {line}" for line in result.reading))
            runs_s = result.hardware.get("run_wall_s_total", result.wall_s)
            st.caption(f"Reproduce it (its {sum(len(c.seeds) for c in result.conditions)} runs took "
                       f"{format_duration(runs_s)} of training in all, {result.hardware.get('jobs', 1)} at a time on "
                       f"{result.hardware.get('cpu_count', '?')} CPU cores; made {result.created}):")
            st.code(result.command, language="bash")
            data_downloads(lambda result=result: summary_table(result, result.metrics), f"exp_{name}",
                           "final metrics (mean and spread per setting)")


# ---------------------------------------------------------------- train and compare


def compare_form(s: Settings) -> None:
    """Strategies, steps and corpus of a comparison, and its Start button (one training at a time per server)."""
    manager, me = get_manager(), owner_id()
    if st.session_state.get("_cmp_toast"):
        st.toast(st.session_state.pop("_cmp_toast"))
    running = manager.running()  # anyone's job; another session's is only said to be running
    with st.container(border=True):
        chosen = st.multiselect("Strategies (2 to 4)", list(STRATEGIES), default=list(LIVE_PAIR), max_selections=4,
                                key="cmp_strategies")
        k1, k2 = st.columns(2)
        steps = int(k2.number_input("Steps per model", 5, 2000, DEFAULT_STEPS, 5, key="cmp_steps",
                                    help=f"Each step is {COMPARE_BATCH} sequences of {COMPARE_SEQ} tokens."))
        choice = corpus_picker("cmp", "Corpus", radio_container=k1)
        est = len(chosen) * (steps * SECONDS_PER_STEP + SECONDS_PER_RUN)
        st.caption(f"Budget: {steps} steps × {COMPARE_BATCH} × {COMPARE_SEQ} tokens per model "
                   f"({steps * COMPARE_BATCH * COMPARE_SEQ:,} tokens), tiny preset, "
                   f"masking as set above ({s.rate:.0%} selected, {s.mask_pct}/{s.random_pct}/{s.kept_pct}). "
                   f"Roughly {format_duration(est)} on 2 CPU cores. One training runs at a time on this server.")
        applies = _reference_applies(s, steps, choice.sample)
        st.caption("With these settings the shipped experiment (3 seeds) is the reference: its seed-to-seed spread "
                   "decides whether a difference is clear." if applies else
                   "The shipped experiments' spread is the reference only with the default settings (sample corpus, "
                   f"{LIVE.steps} steps, 15% selected, 80/10/10); with these, the table ranks without a verdict.")
        problem = _why_not(running, me, chosen, choice)
        if st.button("Train and compare", icon=":material/play_arrow:", type="primary", disabled=problem is not None,
                     key="cmp_start"):
            def build():  # called by the manager only when the job can start: the upload is written here
                settings = LIVE if steps == LIVE.steps else replace(LIVE, steps=steps, eval_points=min(5, steps))
                return live_comparison_spec([s.strategies[n] for n in chosen], choice.save(corpora_root()),
                                            models_root(), owner=me, settings=settings,
                                            reference=shipped_reference() if applies else None)

            ok, message = manager.start(build)
            if ok:
                st.session_state["_cmp_toast"] = message
                st.session_state[seen_busy_key("cmp")] = True
                st.rerun()  # redraw with the job running (button disabled, live progress)
            st.error(message)
        elif problem and running is not None:
            st.info(problem)


def _reference_applies(s: Settings, steps: int, sample: bool) -> bool:
    """Whether the shipped experiment was trained like this comparison (same corpus, budget and shares)."""
    return (sample and steps == LIVE.steps and abs(s.rate - 0.15) < 1e-9 and (s.mask_pct, s.random_pct) == (80, 10)
            and shipped_reference() is not None)


def _why_not(running: JobState | None, me: str, chosen: list[str], choice) -> str | None:
    if running is not None and running.owner == me:
        return ("Your comparison is running (progress below); a new one can start when it ends." if running.kind == "compare"
                else "Your training is running (progress on the Train page); a comparison can start when it ends.")
    if running is not None:
        return "Another session's training is running on this server; a new comparison can start when it ends."
    if len(chosen) < 2:
        return "Choose at least two strategies."
    return None if choice.ready else choice.error


def compare_progress(_running: JobState | None, job: JobState) -> None:
    """The body of the live panel (`progress_panel.job_panel`): overall progress, each run, the loss curves."""
    if not job.runs:
        return
    st.markdown(f"**{job.title}** — {STATUS_WORDS.get(job.status, job.status)}")
    current = job.runs[job.current] if 0 <= job.current < len(job.runs) else None
    line = f"{job.fraction_done():.0%}"
    if job.active and current is not None and current.progress is not None:
        p = current.progress
        line += (f" · {current.label}: step {p.step}/{p.total_steps} · loss {p.loss:.2f} · "
                 f"{p.tokens_per_s:,.0f} tokens/s · about {format_duration(job.eta_s())} left")
    elif job.active and current is not None:
        line += f" · {current.label}: preparing the tokenizer and data…"
    st.progress(job.fraction_done(), text=line)
    st.caption(" · ".join(f"{r.label}: {r.status}" for r in job.runs))
    if job.error:
        st.error(f"Training failed: {job.error}")
    loss_chart(loss_curves(job.loss_curves(), "Training loss (smoothed), all runs", "loss", large()), job.active,
               "cmp_loss_curves", "cmp_loss_live")
    if job.active:
        stop_button("Cancel", "cmp_cancel", "Stopping after the current step…")


def compare_results() -> None:
    """This browser's finished comparison: the table, validation curves, each model's guesses; kept until cleared."""
    snap = get_manager().job_for(owner_id(), "compare")
    if snap.kind != "compare" or snap.active:
        return
    if snap.status == JobStatus.INTERRUPTED:
        st.info("The comparison was cancelled; runs that had not finished were deleted.")
    if snap.rows:
        _results_table(snap)
        _guesses(snap)
    if st.button("Clear results", icon=":material/clear_all:", key="cmp_clear",
                 help="Your results stay here, whoever trains next, until you clear them; the models stay in the sidebar."):
        get_manager().forget(owner_id(), "compare")
        st.rerun()


def _results_table(snap: JobState) -> None:
    st.markdown("#### Results")
    table = pd.DataFrame(snap.rows)
    percent = ["val masked-token accuracy"] + [c for c in (row_column("kept/accuracy"), row_column("random/accuracy"))
                                               if c in table]
    for c in percent:
        table[c] = table[c] * 100
    loss_cols = [c for c in table if c.endswith(" loss")]
    verdict = next((c for c in table if c.startswith("verdict")), None)
    front = ["strategy"] + ([verdict] if verdict else []) + [c for c in (row_column(LIVE_METRIC),) if c in table]
    table = table[front + [c for c in table if c not in front]]
    st.dataframe(table, hide_index=True, width="stretch", key="cmp_results_table",
                 column_config={**{c: PCT for c in percent},
                                **{c: st.column_config.NumberColumn(format="%.3f") for c in loss_cols},
                                "pseudo-perplexity": st.column_config.NumberColumn(format="%.1f")})
    reference = shipped_reference() if verdict else None
    if reference is not None:
        spread = reference.spread(LIVE_METRIC)
        st.caption(f"**Verdict** on {metric_label(LIVE_METRIC)}: a difference counts as clear only when it is larger "
                   f"than the seed-to-seed spread of the shipped runs with the same settings ({100 * spread:.1f} "
                   "points); within it the table says *no clear difference* instead of ranking noise. *kept eval "
                   "accuracy*: tokens the model must predict while it sees them unchanged (no [MASK] anywhere), as "
                   "in fine-tuning. At this budget no model has yet learned to use the context for [MASK] (they "
                   "mostly guess frequent tokens), so the [MASK] losses mostly end within the spread.")
    st.caption("Validation and the *token / whole-word / span eval* columns: 15% of held-out tokens replaced by [MASK] "
               "(the same positions for every model), one by one, in whole words or in spans; higher accuracy and "
               "lower loss are better. Pseudo-perplexity (lower is better) masks each token of these sentences in "
               "turn: " + " ".join(f"“{s}”" for s in PPL_SENTENCES))
    data_downloads(snap.rows, "comparison", "results")
    val = snap.val_curves()
    if not val:
        return
    if reference is not None:
        labels = [r["strategy"] for r in snap.rows]
        c1, c2 = st.columns(2)
        with c1:
            show_figure(experiment_curves(reference, "token/loss", large(), "Validation loss: now (×) over the shipped "
                                          "runs' seed bands", labels=labels, live=val), "cmp_val_curves")
        with c2:
            final = {r["strategy"]: ([r["steps"]], [r[row_column(LIVE_METRIC)]]) for r in snap.rows}
            show_figure(experiment_curves(reference, LIVE_METRIC, large(), f"{metric_label(LIVE_METRIC)}: now (×) "
                                          "and the shipped runs", labels=labels, live=final), "cmp_kept_curves")
    else:
        show_figure(loss_curves(val, "Validation loss (15% mask-only)", "validation loss", large()), "cmp_val_curves")


def _guesses(snap: JobState) -> None:
    st.markdown("#### Each model's guesses for the same masked sentence")
    probe = st.text_input("Sentence with one [MASK]", COMPARE_SENTENCE, key="cmp_probe")
    per_model = {}
    for row in snap.rows:
        try:
            analysis = cached_analysis(TRAINED_PREFIX + row["model"], probe, (), 5)
        except MLMError as err:
            st.warning(f"{row['strategy']}: {err}")
            continue
        if not analysis.masks:
            st.warning("Write [MASK] in the sentence to see the models' guesses.")
            break
        per_model[row["strategy"]] = prediction_bars(analysis, analysis.masks[0].index)
    if per_model:
        show_figure(topk_compare(per_model, "Top-5 guesses at the first [MASK]", large()), "cmp_topk")
    st.caption("The comparison models are kept as trained models: pick them in the sidebar as "
               + ", ".join(f"“trained here: {row['model']}”" for row in snap.rows) + ".")
