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
from mlm_core.training.experiments import (EVALUATIONS, LIVE, LIVE_COLUMNS, LIVE_METRIC, LIVE_PAIR, METRIC_NAMES,
                                           ExperimentResult, live_comparison_spec, metric_label, row_column,
                                           shipped_experiments, summary_table)
from mlm_core.training.metrics import COMPARE_SENTENCE, PPL_SENTENCES
from mlm_core.training.uploads import SAMPLE_CORPUS
from mlm_core.viz.fill_mask import topk_compare
from mlm_core.viz.masking import TEXTS as FIGURE_TEXTS
from mlm_core.viz.masking import (action_legend_html, action_share_bar, experiment_curves, experiment_final_bars,
                                  masked_tokens_html, span_lengths_vs_target)
from mlm_core.viz.training import loss_curves

from .cached import cached_analysis
from .corpus_picker import corpus_picker
from .downloads import data_downloads, show_figure
from .i18n import error_text, lang, message_in, t, text_in
from .models import TRAINED_PREFIX, get_model
from .progress_panel import curve_texts, format_duration, loss_chart, run_status, seen_busy_key, stop_button
from .sentence_box import english_note
from .sidebar import model_label
from .state import large
from .training_jobs import corpora_root, get_manager, models_root, owner_id

MEASURE_TOKENS = 100_000
# The live comparison's defaults are the shipped experiments' budget (`experiments.LIVE`: tiny preset, the shipped
# 2,000-token vocabulary, 300 steps of 16 x 64 tokens), so the shipped seed-to-seed spread is the reference for it.
DEFAULT_STEPS = LIVE.steps
COMPARE_BATCH, COMPARE_SEQ = LIVE.batch_size, LIVE.seq_len
SECONDS_PER_STEP, SECONDS_PER_RUN = 0.2, 5  # bench/live_compare.py: 125 s for the default pair on 2 busy CPU cores
PCT = st.column_config.NumberColumn(format="%.1f%%")
# The statistics table's columns (named by `report.stats_records`) and the comparison table's fixed ones (named by
# `metrics.comparison_rows`): their headers in the session's language.
STATS_HEADERS = {"strategy": "masking.col_strategy", "tokens": "masking.col_tokens",
                 "selected rate": "masking.col_selected", "→ [MASK]": "masking.col_masked",
                 "→ random": "masking.col_random", "kept": "masking.col_kept", "words split": "masking.col_split",
                 "mean span (words)": "masking.col_span"}
RESULT_HEADERS = {"strategy": "masking.col_strategy", "model": "masking.col_model", "steps": "masking.col_steps",
                  "val masked-token accuracy": "masking.col_val_accuracy", "val loss": "masking.col_val_loss",
                  "pseudo-perplexity": "masking.col_ppl", "train loss": "masking.col_train_loss",
                  "time (s)": "masking.col_time"}


def _key_part(name: str) -> str:
    """A strategy or evaluation name as part of a strings key ('mask-only' -> 'mask_only')."""
    return name.replace("-", "_")


def strategy_help(name: str) -> str:
    return t(f"masking.strategy_{_key_part(name)}")


def metric_name(metric: str) -> str:
    """`experiments.metric_label` in the session's language: 'kept/accuracy' -> 'top-1 accuracy (15% of ...)'."""
    evaluation, kind = metric.split("/")
    if evaluation not in EVALUATIONS or kind not in METRIC_NAMES:
        return metric_label(metric)
    return t("masking.metric", kind=t(f"masking.metric_{kind}"), evaluation=t(f"masking.eval_{_key_part(evaluation)}"))


def figure_texts() -> dict[str, str]:
    """The words of the masking figures and chips (`viz.masking.TEXTS`) in the session's language."""
    return {k: t(f"masking.fig_{k}") for k in FIGURE_TEXTS}


def experiment_text(result: ExperimentResult, part: str) -> str:
    """A shipped experiment's `title` or `question` in the session's language; as the file says where the app has
    no string for that experiment."""
    key = f"masking.exp_{part}_{_key_part(result.name)}"
    return t(key) if text_in("en", key) != key else getattr(result, part)


def reading_lines(result: ExperimentResult) -> list[str]:
    """The experiment's reading (`experiments.reading`, English sentences) in the session's language: each line
    through the reading patterns, and the metric a ranking line starts with named as `metric_name` does."""
    if lang() == "en":
        return list(result.reading)
    labels = {}
    for evaluation in EVALUATIONS:
        for kind in METRIC_NAMES:
            label = metric_label(f"{evaluation}/{kind}")
            labels[label[0].upper() + label[1:] + ":"] = metric_name(f"{evaluation}/{kind}") + ":"
    out = []
    for line in result.reading:
        line = error_text(line)
        for en, local in labels.items():
            if line.startswith(en):
                line = local + line[len(en):]
                break
        out.append(line)
    return out


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


@st.cache_data(show_spinner=False, max_entries=64)
def _measure(model_name: str, name: str, rate: float, mask_prob: float, random_prob: float, seed: int) -> StrategyStats:
    strategy = MaskingStrategy(name, rate=rate, mask_prob=mask_prob, random_prob=random_prob)
    return measure_strategy(get_model(model_name).tokenizer, _sample_lines(), strategy, n_tokens=MEASURE_TOKENS, seed=seed)


# ---------------------------------------------------------------- settings


def settings() -> Settings | None:
    """Selection rate, the [MASK] / random shares, the seed (and re-roll); None, with an error, when invalid."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
        rate = c1.slider(t("masking.rate"), 0.05, 0.5, 0.15, 0.01, key="masking_rate", help=t("masking.rate_help"))
        mask_pct = c2.slider(t("masking.mask_pct"), 0, 100, 80, 5, key="masking_mask_pct")
        random_pct = c3.slider(t("masking.random_pct"), 0, 100, 10, 5, key="masking_random_pct",
                               help=t("masking.random_help"))
        if mask_pct + random_pct > 100:
            st.warning(t("masking.shares_capped", total=mask_pct + random_pct, random=100 - mask_pct))
            random_pct = 100 - mask_pct
        with c4:
            st.number_input(t("masking.seed"), min_value=0, max_value=1_000_000, step=1, key="masking_seed",
                            help=t("masking.seed_help"))
            st.button(t("masking.reroll"), icon=":material/casino:", on_click=_reroll, key="masking_reroll",
                      width="stretch")
        st.caption(t("masking.kept_note", kept=100 - mask_pct - random_pct))
    try:
        strategies = {name: MaskingStrategy(name, rate=rate, mask_prob=mask_pct / 100, random_prob=random_pct / 100)
                      for name in STRATEGIES}
    except MLMError as err:
        st.error(error_text(err))
        return None
    return Settings(rate, mask_pct, random_pct, int(st.session_state.get("masking_seed", 0)), strategies)


# ---------------------------------------------------------------- one sentence, every strategy


def sentence_preview(lm: LoadedModel, text: str, s: Settings) -> None:
    big = large()
    words = figure_texts()
    st.html(action_legend_html(big, words))
    for col, (name, strategy) in zip(st.columns(len(s.strategies)), s.strategies.items()):
        with col:
            st.markdown(f"#### {name}")
            st.caption(strategy_help(name))
            try:
                masked = mask_text(lm.tokenizer, text, strategy, s.seed)
            except MLMError as err:
                st.error(error_text(err))
                continue
            st.markdown(f"**{t('masking.sees')}**")
            st.html(masked_tokens_html(masked.tokens, masked.actions, masked.shown, big, words))
            st.markdown(f"**{t('masking.predicts')}**")
            st.html(masked_tokens_html(target_labels(masked), masked.actions, None, big, words))
            counts = preview_counts(masked, lm.tokenizer.all_special_tokens)
            note = t("masking.predicted_count", predicted=counts.predicted, tokens=counts.tokens)
            if counts.span_lengths:
                note += t("masking.span_lengths", lengths=", ".join(str(n) for n in counts.span_lengths))
            if counts.predicted == 0:
                note += t("masking.nothing_selected")
            st.caption(note)
    st.caption(t("masking.no_prediction"))


# ---------------------------------------------------------------- measured statistics


PERCENT_STATS = ("selected rate", "→ [MASK]", "→ random", "kept")


def _stats_table(records: list[dict]) -> None:
    """The statistics, one row per strategy: shares in percent, "no spans" where a strategy places none."""
    shown = pd.DataFrame(records)
    for c in PERCENT_STATS:
        shown[c] = shown[c] * 100
    # only the span strategy places spans: the others say so instead of a bare "None"
    shown["mean span (words)"] = [t("masking.no_spans") if v is None or v != v else f"{v:.2f}" for v in
                                  (r["mean span (words)"] for r in records)]
    config = {**{c: PCT for c in PERCENT_STATS}, "tokens": st.column_config.NumberColumn(format="%d"),
              "mean span (words)": st.column_config.TextColumn(help=t("masking.span_help"))}
    headers = {c: t(key) for c, key in STATS_HEADERS.items()}
    st.dataframe(shown.rename(columns=headers), hide_index=True, width="stretch", key="masking_stats_table",
                 column_config={headers[c]: v for c, v in config.items()})


def measured(lm: LoadedModel, s: Settings) -> None:
    st.caption(t("masking.measured_caption", tokens=MEASURE_TOKENS, model=lm.name))
    try:
        with st.spinner(t("masking.measuring")):
            stats = {name: _measure(lm.name, name, s.rate, s.mask_pct / 100, s.random_pct / 100, s.seed)
                     for name in STRATEGIES}
    except MLMError as err:
        st.error(error_text(err))
        return
    records = stats_records(stats)
    _stats_table(records)
    st.caption(t("masking.configured", rate=s.rate))
    data_downloads(records, "masking_stats", t("masking.statistics"))
    f1, f2 = st.columns(2)
    with f1:
        show_figure(action_share_bar(action_shares(stats), large(), t("masking.share_title"), figure_texts()),
                    "masking_share_bar")
    with f2:
        span = stats["span"]
        hist = span_length_counts(span.drawn_span_lengths, span.span_lengths, s.strategies["span"].span_p,
                                  s.strategies["span"].max_span)
        show_figure(span_lengths_vs_target(hist, large(), t("masking.span_title"), figure_texts()), "masking_span_hist")
    st.caption(t("masking.span_caption"))


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
        st.error(error_text(err))
        return
    if not shipped:
        st.info(t("masking.no_shipped"))
        return
    big, words = large(), figure_texts()
    st.markdown(t("masking.shipped_intro"))
    tabs = st.tabs([experiment_text(r, "title") for r in shipped.values()])
    for tab, (name, result) in zip(tabs, shipped.items()):
        with tab:
            st.markdown(f"*{experiment_text(result, 'question')}*")
            c1, c2 = st.columns(2)
            with c1:
                metric = result.focus[0]
                show_figure(experiment_curves(result, metric, big, metric_name(metric), texts=words),
                            f"exp_{name}_curves")
            with c2:
                show_figure(experiment_final_bars(result, ["token/accuracy", "kept/accuracy", "random/accuracy"], big,
                                                  t("masking.accuracy_title"), words), f"exp_{name}_accuracy")
            show_figure(experiment_final_bars(result, ["token/loss", "whole-word/loss", "span/loss"], big,
                                              t("masking.losses_title"), words), f"exp_{name}_losses")
            st.markdown(f"**{t('masking.reading')}**")
            st.markdown("\n".join(f"- {line}" for line in reading_lines(result)))
            runs_s = result.hardware.get("run_wall_s_total", result.wall_s)
            st.caption(t("masking.reproduce", runs=sum(len(c.seeds) for c in result.conditions),
                         duration=format_duration(runs_s), jobs=result.hardware.get("jobs", 1),
                         cpus=result.hardware.get("cpu_count", "?"), created=result.created))
            st.code(result.command, language="bash")
            data_downloads(lambda result=result: summary_table(result, result.metrics), f"exp_{name}",
                           t("masking.final_metrics"))


# ---------------------------------------------------------------- train and compare


def compare_form(s: Settings) -> None:
    """Strategies, steps and corpus of a comparison, and its Start button (one training at a time per server)."""
    manager, me = get_manager(), owner_id()
    if st.session_state.get("_cmp_toast"):
        st.toast(error_text(st.session_state.pop("_cmp_toast")))
    running = manager.running()  # anyone's job; another session's is only said to be running
    with st.container(border=True):
        chosen = st.multiselect(t("masking.strategies"), list(STRATEGIES), default=list(LIVE_PAIR), max_selections=4,
                                key="cmp_strategies")
        k1, k2 = st.columns(2)
        steps = int(k2.number_input(t("masking.steps"), 5, 2000, DEFAULT_STEPS, 5, key="cmp_steps",
                                    help=t("masking.steps_help", batch=COMPARE_BATCH, seq=COMPARE_SEQ)))
        choice = corpus_picker("cmp", t("masking.corpus"), radio_container=k1)
        est = len(chosen) * (steps * SECONDS_PER_STEP + SECONDS_PER_RUN)
        st.caption(t("masking.budget", steps=steps, batch=COMPARE_BATCH, seq=COMPARE_SEQ,
                     tokens=steps * COMPARE_BATCH * COMPARE_SEQ, rate=s.rate, mask=s.mask_pct, random=s.random_pct,
                     kept=s.kept_pct, duration=format_duration(est)))
        applies = _reference_applies(s, steps, choice.sample)
        st.caption(t("masking.reference_applies") if applies else t("masking.reference_not", steps=LIVE.steps))
        problem = _why_not(running, me, chosen, choice)
        if st.button(t("masking.start"), icon=":material/play_arrow:", type="primary", disabled=problem is not None,
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
            st.error(error_text(message))
        elif problem and running is not None:
            st.info(problem)


def _reference_applies(s: Settings, steps: int, sample: bool) -> bool:
    """Whether the shipped experiment was trained like this comparison (same corpus, budget and shares)."""
    return (sample and steps == LIVE.steps and abs(s.rate - 0.15) < 1e-9 and (s.mask_pct, s.random_pct) == (80, 10)
            and shipped_reference() is not None)


def _why_not(running: JobState | None, me: str, chosen: list[str], choice) -> str | None:
    if running is not None and running.owner == me:
        return t("masking.busy_own_compare") if running.kind == "compare" else t("masking.busy_own_train")
    if running is not None:
        return t("masking.busy_other")
    if len(chosen) < 2:
        return t("masking.choose_two")
    return None if choice.ready else choice.error


def compare_progress(_running: JobState | None, job: JobState) -> None:
    """The body of the live panel (`progress_panel.job_panel`): overall progress, each run, the loss curves."""
    if not job.runs:
        return
    title = t("masking.compare_title", names=" vs ".join(r.label for r in job.runs))
    st.markdown(f"**{title}** — {run_status('masking.status_', job.status)}")
    current = job.runs[job.current] if 0 <= job.current < len(job.runs) else None
    line = f"{job.fraction_done():.0%}"
    if job.active and current is not None and current.progress is not None:
        p = current.progress
        line += t("masking.run_step", label=current.label, step=p.step, total=p.total_steps, loss=p.loss,
                  speed=p.tokens_per_s, left=format_duration(job.eta_s()))
    elif job.active and current is not None:
        line += t("masking.run_preparing", label=current.label)
    st.progress(job.fraction_done(), text=line)
    st.caption(" · ".join(f"{r.label}: {run_status('masking.run_', r.status)}" for r in job.runs))
    if job.error:
        st.error(t("train.failed", error=error_text(job.error)))
    loss_chart(loss_curves(job.loss_curves(), t("masking.loss_all_title"), t("train.loss_axis"), large(),
                           curve_texts()), job.active,
               "cmp_loss_curves", "cmp_loss_live")
    if job.active:
        stop_button(t("masking.cancel"), "cmp_cancel", t("masking.cancelling"))


def compare_results() -> None:
    """This browser's finished comparison: the table, validation curves, each model's guesses; kept until cleared."""
    snap = get_manager().job_for(owner_id(), "compare")
    if snap.kind != "compare" or snap.active:
        return
    if snap.status == JobStatus.INTERRUPTED:
        st.info(t("masking.cancelled"))
    if snap.rows:
        _results_table(snap)
        _guesses(snap)
    if st.button(t("masking.clear"), icon=":material/clear_all:", key="cmp_clear", help=t("masking.clear_help")):
        get_manager().forget(owner_id(), "compare")
        st.rerun()


def _result_headers() -> dict[str, str]:
    """The comparison table's headers in the session's language (in English: the columns as the core names them)."""
    names = {c: t(key) for c, key in RESULT_HEADERS.items()}
    for m in LIVE_COLUMNS:
        evaluation, kind = m.split("/")
        names[row_column(m)] = t("masking.col_eval", evaluation=evaluation, kind=t(f"masking.kind_{kind}"))
    column = row_column(LIVE_METRIC)
    names[f"verdict ({column})"] = t("masking.col_verdict", column=names[column])
    return names


def _results_table(snap: JobState) -> None:
    st.markdown(f"#### {t('masking.results')}")
    table = pd.DataFrame(snap.rows)
    percent = ["val masked-token accuracy"] + [c for c in (row_column("kept/accuracy"), row_column("random/accuracy"))
                                               if c in table]
    for c in percent:
        table[c] = table[c] * 100
    loss_cols = [c for c in table if c.endswith(" loss")]
    verdict = next((c for c in table if c.startswith("verdict")), None)
    if verdict:
        table[verdict] = [message_in(lang(), v) for v in table[verdict]]
    front = ["strategy"] + ([verdict] if verdict else []) + [c for c in (row_column(LIVE_METRIC),) if c in table]
    table = table[front + [c for c in table if c not in front]]
    headers = _result_headers()
    config = {**{c: PCT for c in percent}, **{c: st.column_config.NumberColumn(format="%.3f") for c in loss_cols},
              "pseudo-perplexity": st.column_config.NumberColumn(format="%.1f")}
    st.dataframe(table.rename(columns=headers), hide_index=True, width="stretch", key="cmp_results_table",
                 column_config={headers.get(c, c): v for c, v in config.items()})
    reference = shipped_reference() if verdict else None
    if reference is not None:
        st.caption(t("masking.verdict_caption", metric=metric_name(LIVE_METRIC),
                     spread=100 * reference.spread(LIVE_METRIC)))
    st.caption(t("masking.validation_caption", sentences=" ".join(f"“{s}”" for s in PPL_SENTENCES)))
    data_downloads(snap.rows, "comparison", t("masking.results_label"))
    _validation_curves(snap, reference)


def _validation_curves(snap: JobState, reference: ExperimentResult | None) -> None:
    """The runs' validation curves: over the shipped runs' seed bands when they are the reference, else alone."""
    val = snap.val_curves()
    if not val:
        return
    if reference is None:
        show_figure(loss_curves(val, t("masking.val_title"), t("masking.val_axis"), large(), curve_texts()),
                    "cmp_val_curves")
        return
    labels = [r["strategy"] for r in snap.rows]
    c1, c2 = st.columns(2)
    with c1:
        show_figure(experiment_curves(reference, "token/loss", large(), t("masking.val_over_shipped"), labels=labels,
                                      live=val, texts=figure_texts()), "cmp_val_curves")
    with c2:
        final = {r["strategy"]: ([r["steps"]], [r[row_column(LIVE_METRIC)]]) for r in snap.rows}
        show_figure(experiment_curves(reference, LIVE_METRIC, large(),
                                      t("masking.metric_now", metric=metric_name(LIVE_METRIC)), labels=labels,
                                      live=final, texts=figure_texts()), "cmp_kept_curves")


def _guesses(snap: JobState) -> None:
    st.markdown(f"#### {t('masking.guesses')}")
    probe = st.text_input(t("masking.probe"), COMPARE_SENTENCE, key="cmp_probe")
    english_note()
    per_model = {}
    for row in snap.rows:
        try:
            analysis = cached_analysis(TRAINED_PREFIX + row["model"], probe, (), 5)
        except MLMError as err:
            st.warning(f"{row['strategy']}: {error_text(err)}")
            continue
        if not analysis.masks:
            st.warning(t("masking.write_mask"))
            break
        per_model[row["strategy"]] = prediction_bars(analysis, analysis.masks[0].index)
    if per_model:
        show_figure(topk_compare(per_model, t("masking.top5"), large()), "cmp_topk")
    names = ", ".join(f"“{model_label(TRAINED_PREFIX + row['model'])}”" for row in snap.rows)
    st.caption(t("masking.kept_models", names=names))
