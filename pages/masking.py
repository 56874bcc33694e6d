"""Masking strategies: one sentence under every strategy, measured proportions over a corpus sample,
and small models trained with different strategies on the same budget, compared."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from mlm_app.cached import cached_analysis
from mlm_app.corpus_picker import corpus_picker
from mlm_app.downloads import data_downloads, show_figure
from mlm_app.models import TRAINED_PREFIX, get_model
from mlm_app.owner import keep_owner_in_url
from mlm_app.shell import finish_page, page_setup
from mlm_app.state import large, set_text
from mlm_app.training_jobs import corpora_root, get_manager, models_root, owner_id
from mlm_core.errors import MLMError
from mlm_core.masking.masker import StrategyStats, mask_text, measure_strategy
from mlm_core.masking.strategies import STRATEGIES, MaskingStrategy
from mlm_core.training.corpus import read_lines
from mlm_core.training.jobs import JobState, JobStatus
from mlm_core.training.metrics import COMPARE_SENTENCE, PPL_SENTENCES, comparison_spec
from mlm_core.training.uploads import SAMPLE_CORPUS
from mlm_core.viz import (action_legend_html, action_share_bar, loss_curves, masked_tokens_html,
                              span_length_histogram, topk_compare)

MEASURE_TOKENS = 100_000
# The default comparison (2 strategies x 150 steps of 16 x 64 tokens, tiny preset) takes about 2 minutes on 2 CPU cores.
DEFAULT_STEPS = 150
COMPARE_BATCH, COMPARE_SEQ, COMPARE_MAX_LINES = 16, 64, 3000
STRATEGY_HELP = {
    "bert": "each token on its own; 80% → [MASK], 10% → random, 10% kept",
    "mask-only": "each token on its own; every selected token → [MASK]",
    "whole-word": "all pieces of a word together (no word is half-hidden)",
    "span": "runs of whole words (SpanBERT), lengths drawn from a geometric distribution",
}


def _sync_text() -> None:
    set_text(st.session_state["masking_text"])


def _reroll() -> None:
    st.session_state["masking_seed"] = int(st.session_state.get("masking_seed", 0)) + 1


@st.cache_data(show_spinner=False, max_entries=4)
def _sample_lines() -> list[str]:
    return read_lines(SAMPLE_CORPUS)


@st.cache_data(show_spinner="Measuring the strategies on the sample corpus…", max_entries=64)
def _measure(model_name: str, name: str, rate: float, mask_prob: float, random_prob: float, seed: int) -> StrategyStats:
    strategy = MaskingStrategy(name, rate=rate, mask_prob=mask_prob, random_prob=random_prob)
    return measure_strategy(get_model(model_name).tokenizer, _sample_lines(), strategy, n_tokens=MEASURE_TOKENS, seed=seed)


def _strategy(name: str, rate: float, mask_prob: float, random_prob: float) -> MaskingStrategy:
    return MaskingStrategy(name, rate=rate, mask_prob=mask_prob, random_prob=random_prob)


def _fmt_s(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "—"
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


lm = page_setup("Masking strategies")
st.title("Masking strategies")
st.markdown(
    "During pre-training a masked language model only learns from the tokens that were **selected**. *How* they "
    "are chosen and hidden is the masking strategy. Below, the same sentence goes through every strategy; then "
    "the strategies are measured on a corpus sample; then small models are trained with them and compared."
)

big = large()

# ---------------------------------------------------------------- settings
with st.container(border=True):
    c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
    rate = c1.slider("Selection rate", 0.05, 0.5, 0.15, 0.01, key="masking_rate",
                     help="Share of (non-special) tokens the model must predict.")
    mask_pct = c2.slider("…of which → [MASK] (%)", 0, 100, 80, 5, key="masking_mask_pct")
    random_pct = c3.slider("…→ random token (%)", 0, 100, 10, 5, key="masking_random_pct",
                           help="The rest are kept unchanged (BERT's 80-10-10 by default). mask-only ignores both.")
    if mask_pct + random_pct > 100:
        st.warning(f"[MASK] + random is {mask_pct + random_pct}%; using {100 - mask_pct}% random so the shares add up to 100%.")
        random_pct = 100 - mask_pct
    with c4:
        st.number_input("Seed", min_value=0, max_value=1_000_000, step=1, key="masking_seed",
                        help="The same seed gives the same masking; re-roll for another draw.")
        st.button("Re-roll", icon=":material/casino:", on_click=_reroll, key="masking_reroll", width="stretch")
    st.caption(f"Kept unchanged: {100 - mask_pct - random_pct}% of the selected tokens.")
mask_prob, random_prob = mask_pct / 100, random_pct / 100
seed = int(st.session_state.get("masking_seed", 0))
try:
    strategies = {name: _strategy(name, rate, mask_prob, random_prob) for name in STRATEGIES}
except MLMError as err:
    st.error(str(err))
    finish_page()
    st.stop()

# ---------------------------------------------------------------- one sentence, every strategy
st.subheader("One sentence, four strategies")
if st.session_state.get("masking_text") != st.session_state.get("text", ""):
    st.session_state["masking_text"] = st.session_state.get("text", "")
st.text_input("Sentence (shared with the other pages)", key="masking_text", on_change=_sync_text)
text = st.session_state.get("text", "")
st.html(action_legend_html(big))

columns = st.columns(len(STRATEGIES))
for col, (name, strategy) in zip(columns, strategies.items()):
    with col:
        st.markdown(f"#### {name}")
        st.caption(STRATEGY_HELP[name])
        try:
            masked = mask_text(lm.tokenizer, text, strategy, seed)
        except MLMError as err:
            st.error(str(err))
            continue
        st.markdown("**What the model sees**")
        st.html(masked_tokens_html(masked.tokens, masked.actions, masked.shown, big))
        st.markdown("**What it must predict**")
        targets = [label if label is not None else "·" for label in masked.labels]
        st.html(masked_tokens_html(targets, masked.actions, None, big))
        n_pred = sum(label is not None for label in masked.labels)
        specials = set(lm.tokenizer.all_special_tokens)
        note = f"{n_pred} of {sum(t not in specials for t in masked.tokens)} tokens predicted"
        if masked.span_lengths:
            note += " · span lengths (words): " + ", ".join(str(n) for n in masked.span_lengths)
        if n_pred == 0:
            note += " · nothing selected this time: re-roll"
        st.caption(note)
st.caption("“·” means no prediction (and no loss) at that position. Every strategy predicts the *original* token, "
           "also where it was kept or replaced by a random one.")

# ---------------------------------------------------------------- measured statistics
st.subheader("Measured on a corpus sample")
st.caption(f"About {MEASURE_TOKENS:,} tokens of the bundled sample corpus (public-domain fiction), tokenized by "
           f"**{lm.name}**, in sequences of 128 tokens, same seed as above.")
try:
    stats = {name: _measure(lm.name, name, rate, mask_prob, random_prob, seed) for name in STRATEGIES}
except MLMError as err:
    st.error(str(err))
    stats = {}
if stats:
    records = []
    for name, s in stats.items():
        spans = sum(s.span_lengths.values())
        records.append({
            "strategy": name, "tokens": s.n_tokens, "selected rate": s.selected_rate,
            "→ [MASK]": s.masked_share, "→ random": s.random_share, "kept": s.kept_share,
            "words split": s.words_split,
            "mean span (words)": (sum(k * v for k, v in s.span_lengths.items()) / spans) if spans else None,
        })
    pct = st.column_config.NumberColumn(format="%.1f%%")
    table = pd.DataFrame(records)
    shown_table = table.copy()
    for c in ("selected rate", "→ [MASK]", "→ random", "kept"):
        shown_table[c] = shown_table[c] * 100
    st.dataframe(shown_table, hide_index=True, width="stretch", key="masking_stats_table",
                 column_config={"selected rate": pct, "→ [MASK]": pct, "→ random": pct, "kept": pct,
                                "tokens": st.column_config.NumberColumn(format="%d"),
                                "mean span (words)": st.column_config.NumberColumn(format="%.2f")})
    st.caption(f"Configured: {rate:.0%} selected. *→ [MASK] / → random / kept* are shares of the selected tokens. "
               "*Words split*: words with some pieces selected and others not — token-level strategies give the "
               "model half a word as a hint; whole-word and span never do.")
    data_downloads(records, "masking_stats", "statistics")
    shares = {name: {"masked": s.selected_rate * s.masked_share, "random": s.selected_rate * s.random_share,
                     "kept": s.selected_rate * s.kept_share, "selected": s.selected_rate} for name, s in stats.items()}
    f1, f2 = st.columns(2)
    with f1:
        show_figure(action_share_bar(shares, big, "What happens to the tokens"), "masking_share_bar")
    with f2:
        lengths = [k for k, v in stats["span"].span_lengths.items() for _ in range(v)]
        show_figure(span_length_histogram(lengths, big, "span: span lengths"), "masking_span_hist")

# ---------------------------------------------------------------- train and compare
st.subheader("Train and compare")
st.markdown(
    "Train one small model per strategy on the **same corpus** with the **same budget** (tiny preset, same steps, "
    "batch, seed and validation data), then compare them. Validation always hides 15% of the tokens with [MASK] "
    "only, so the numbers are comparable whatever the training strategy."
)
manager = get_manager()
me = owner_id()
if st.session_state.get("_cmp_toast"):
    st.toast(st.session_state.pop("_cmp_toast"))
running = manager.running()  # anyone's job; another session's is only said to be running
busy = running is not None
snap: JobState = manager.job_for(me, "compare")  # ours: running, or the last finished (kept until cleared)

with st.container(border=True):
    chosen = st.multiselect("Strategies (2 to 4)", list(STRATEGIES), default=["bert", "span"], max_selections=4,
                            key="cmp_strategies")
    k1, k2 = st.columns(2)
    steps = int(k2.number_input("Steps per model", 5, 2000, DEFAULT_STEPS, 5, key="cmp_steps",
                                help=f"Each step is {COMPARE_BATCH} sequences of {COMPARE_SEQ} tokens."))
    choice = corpus_picker("cmp", "Corpus", radio_container=k1)
    est = len(chosen) * steps * 0.45 + 15 * len(chosen)
    st.caption(f"Budget: {steps} steps × {COMPARE_BATCH} × {COMPARE_SEQ} tokens per model "
               f"({steps * COMPARE_BATCH * COMPARE_SEQ:,} tokens), tiny preset, at most {COMPARE_MAX_LINES:,} lines of text, "
               f"masking as set above ({rate:.0%} selected, {mask_pct}/{random_pct}/{100 - mask_pct - random_pct}). "
               f"Roughly {_fmt_s(est)} on 2 CPU cores. One training runs at a time on this server.")
    problem = None
    if busy and running.owner == me:
        problem = ("Your comparison is running (progress below); a new one can start when it ends." if running.kind == "compare"
                   else "Your training is running (progress on the Train page); a comparison can start when it ends.")
    elif busy:
        problem = "Another session's training is running on this server; a new comparison can start when it ends."
    elif len(chosen) < 2:
        problem = "Choose at least two strategies."
    elif not choice.ready:
        problem = choice.error
    if st.button("Train and compare", icon=":material/play_arrow:", type="primary", disabled=problem is not None, key="cmp_start"):
        def build():  # called by the manager only when the job can start: the upload is written here
            return comparison_spec([strategies[n] for n in chosen], choice.save(corpora_root()), models_root(), owner=me,
                                   steps=steps, batch_size=COMPARE_BATCH, seq_len=COMPARE_SEQ, max_lines=COMPARE_MAX_LINES)

        ok, message = manager.start(build)
        if ok:
            st.session_state["_cmp_toast"] = message
            st.rerun()  # redraw with the job running (button disabled, live progress)
        st.error(message)
    elif problem and busy:
        st.info(problem)

st.session_state["_cmp_seen_busy"] = busy


@st.fragment(run_every=1.0 if busy else None)
def _progress_panel() -> None:
    now = manager.running()
    if now is None and st.session_state.get("_cmp_seen_busy"):
        st.session_state["_cmp_seen_busy"] = False
        st.rerun()  # the server's job just ended: redraw the whole page (results, Start, sidebar models)
    job = manager.job_for(me, "compare")
    if not job.runs:
        return
    status = {JobStatus.RUNNING: "Training", JobStatus.STOPPING: "Stopping", JobStatus.FINISHED: "Finished",
              JobStatus.FAILED: "Failed", JobStatus.INTERRUPTED: "Cancelled"}.get(job.status, job.status)
    st.markdown(f"**{job.title}** — {status}")
    current = job.runs[job.current] if 0 <= job.current < len(job.runs) else None
    text_ = f"{job.fraction_done():.0%}"
    if job.active and current is not None and current.progress is not None:
        p = current.progress
        text_ += (f" · {current.label}: step {p.step}/{p.total_steps} · loss {p.loss:.2f} · "
                  f"{p.tokens_per_s:,.0f} tokens/s · about {_fmt_s(job.eta_s())} left")
    elif job.active and current is not None:
        text_ += f" · {current.label}: preparing the tokenizer and data…"
    st.progress(job.fraction_done(), text=text_)
    st.caption(" · ".join(f"{r.label}: {r.status}" for r in job.runs))
    if job.error:
        st.error(f"Training failed: {job.error}")
    fig = loss_curves(job.loss_curves(), "Training loss (smoothed), all runs", "loss", big)
    if job.active:  # no download buttons while the chart changes every second
        st.plotly_chart(fig, key="cmp_loss_live", config={"displaylogo": False})
    else:
        show_figure(fig, "cmp_loss_curves")
    if job.active:
        if st.button("Cancel", icon=":material/stop:", key="cmp_cancel"):
            manager.cancel(me)
            st.toast("Stopping after the current step…")


_progress_panel()

if snap.kind == "compare" and not snap.active:
    if snap.status == JobStatus.INTERRUPTED:
        st.info("The comparison was cancelled; runs that had not finished were deleted.")
    if snap.rows:
        st.markdown("#### Results")
        table = pd.DataFrame(snap.rows)
        table["val masked-token accuracy"] = table["val masked-token accuracy"] * 100
        st.dataframe(table, hide_index=True, width="stretch", key="cmp_results_table",
                     column_config={"val masked-token accuracy": st.column_config.NumberColumn(format="%.1f%%"),
                                    "val loss": st.column_config.NumberColumn(format="%.3f"),
                                    "pseudo-perplexity": st.column_config.NumberColumn(format="%.1f"),
                                    "train loss": st.column_config.NumberColumn(format="%.3f")})
        st.caption("Validation: 15% of held-out tokens replaced by [MASK] (same positions for every model); "
                   "higher accuracy and lower loss are better. Pseudo-perplexity (lower is better) masks each token "
                   "of these sentences in turn: " + " ".join(f"“{s}”" for s in PPL_SENTENCES))
        st.caption("With the default budget (a couple of minutes of CPU) the models are still very weak: they "
                   "mostly guess frequent words, so differences between strategies are small and partly noise. "
                   "Give more steps (1,000 or more) to see them grow.")
        data_downloads(snap.rows, "comparison", "results")
        val = snap.val_curves()
        if val:
            show_figure(loss_curves(val, "Validation loss (15% mask-only)", "validation loss", big), "cmp_val_curves")
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
            per_model[row["strategy"]] = [(p.token, p.score) for p in analysis.masks[0].predictions]
        if per_model:
            show_figure(topk_compare(per_model, "Top-5 guesses at the first [MASK]", big), "cmp_topk")
        st.caption("The comparison models are kept as trained models: pick them in the sidebar as "
                   + ", ".join(f"“trained here: {row['model']}”" for row in snap.rows) + ".")
    if st.button("Clear results", icon=":material/clear_all:", key="cmp_clear",
                 help="Your results stay here, whoever trains next, until you clear them; the models stay in the sidebar."):
        manager.forget(me, "compare")
        st.rerun()

finish_page()
keep_owner_in_url()  # finish_page may rewrite the query string without it
