"""The live widgets of the Lesson's steps, each on the active model: the blank filled, BERT's masking of the class's
sentence (and what the shipped experiments say about it), full vs causal attention, 'bank' in two contexts and in
a projection, the two models at the same blank, and both ways of generating. The numbers come from `mlm_core`; the
attention and blank comparisons are `causal_view`'s."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from mlm_core.embeddings.polysemy_data import items_for
from mlm_core.embeddings.projection import project
from mlm_core.embeddings.vectors import WordVectors, word_vectors
from mlm_core.embeddings.word_points import hover_text
from mlm_core.errors import MLMError
from mlm_core.generation import Sampling, UnmaskSettings, causal_generate, text_measures, unmask_generate
from mlm_core.inference.analysis import Analysis
from mlm_core.inference.fill_mask_post import FillMaskResult, LabelWords, postprocess
from mlm_core.masking.masker import StrategyStats, mask_text, measure_strategy
from mlm_core.masking.report import preview_counts, target_labels
from mlm_core.masking.strategies import MaskingStrategy
from mlm_core.model.loading import LoadedModel
from mlm_core.training.experiments import ExperimentResult, clear_difference, shipped_experiments
from mlm_core.viz.embeddings import projection_scatter
from mlm_core.viz.fill_mask import topk_bar
from mlm_core.viz.masking import experiment_final_bars, masked_tokens_html

from .cached import cached_analysis
from .causal_view import attention_pair, causal_or_message, compare_blanks
from .generate_view import DEFAULT_BLOCK
from .i18n import error_text, t
from .lesson_view import Blanked, blanked_sentence, plain_sentence
from .models import get_causal_model, get_model
from .state import large, persistent, set_persistent

CHARTS_PER_ROW = 3
DRAWS = 500  # copies of the class's sentence masked at once for the shares over many draws
BANK_A = "I went to the bank to deposit money."
BANK_B = "The river bank was muddy after the rain."
BANK_WORD = "bank"
PER_SENSE = 8  # sentences of each sense from the polysemy set in the projection
GEN_LENGTH = 12
SAMPLED = Sampling(temperature=0.8, top_k=40)
_MD = re.compile(r"([\\`*_\[\]<>~|#$])")


def chart(fig, key: str) -> None:
    """A figure at the column's width (it grows with the projector display), without the download menu."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False})


def markdown_text(text: str) -> str:
    """A model's text shown as literal characters in markdown."""
    return _MD.sub(r"\\\1", text)


def page_link(page: str, key: str, icon: str) -> None:
    st.page_link(page, label=t(key), icon=icon)


# ---------------------------------------------------------------- 1. fill in the blank


def label_words() -> LabelWords:
    """The lesson's words for the core's chart titles ('blank 1: bank', not the Fill-mask page's 'mask 1: bank'),
    in the session's language."""
    return LabelWords(mask=t("lesson.label_mask"), piece=t("lesson.label_piece"), typed=t("lesson.label_typed"))


def blank_analysis(lm: LoadedModel, blanked: Blanked, top_k: int) -> tuple[Analysis, FillMaskResult] | None:
    """The one forward pass at the class's blank (a clicked word masked by position, or the typed [MASK]s) and its
    charts; None after an error."""
    text, positions = (blanked.text, blanked.positions) if blanked.positions else (blanked.masked, ())
    try:
        with st.spinner(t("lesson.fill.spinner")):
            analysis = cached_analysis(lm.name, text, positions, top_k)
    except MLMError as err:
        st.error(error_text(err))
        return None
    return analysis, postprocess(analysis, text, lm.tokenizer.mask_token, words=label_words())


def fill_in_the_blank(lm: LoadedModel) -> None:
    blanked = blanked_sentence(lm)
    if blanked is None:
        return
    top_k = int(persistent("top_k"))
    st.markdown(t("lesson.fill.reads", text=blanked.masked.replace("`", "'")))  # shown in a code span, as typed
    found = blank_analysis(lm, blanked, top_k)
    if found is None:
        return
    charts = found[1].charts
    for start in range(0, len(charts), CHARTS_PER_ROW):
        row = charts[start:start + CHARTS_PER_ROW]
        for col, c in zip(st.columns(len(row)) if len(charts) > 1 else [st.container()], row):
            with col:
                chart(topk_bar(c.bars, title=c.title, large=large()), key=f"lesson_fill_{c.number}")
    if blanked.word is not None and len(blanked.positions) > 1:
        st.caption(t("lesson.fill.split", word=blanked.word, n=len(blanked.positions)))
    elif blanked.word is not None and charts:
        bars = charts[0].bars
        rank = next((k for k, (text, _, _) in enumerate(bars, start=1) if text.lower() == blanked.word.lower()), None)
        if rank is None:
            st.caption(t("lesson.fill.not_in_top", word=blanked.word, k=top_k))
        else:
            st.caption(t("lesson.fill.rank", word=blanked.word, rank=rank, p=f"{bars[rank - 1][1]:.1%}"))
    page_link("pages/fill_mask.py", "lesson.fill.more", ":material/edit_note:")


# ---------------------------------------------------------------- 2. 15% and 80/10/10


def _draw_again() -> None:
    set_persistent("lesson_seed", int(persistent("lesson_seed", 0)) + 1)


@st.cache_data(max_entries=64, show_spinner=False)
def _many_draws(model_name: str, text: str, seed: int) -> StrategyStats:
    """BERT's masking over many copies of one sentence: the shares a single short sentence only hints at."""
    return measure_strategy(get_model(model_name).tokenizer, [text] * DRAWS, MaskingStrategy("bert"),
                            n_tokens=10**7, seed=seed)


def _legend() -> None:
    st.caption(t("lesson.masking.legend"))


def masking(lm: LoadedModel) -> None:
    reading = plain_sentence(lm)
    if reading is None:
        return
    seed = int(persistent("lesson_seed", 0))
    try:
        masked = mask_text(lm.tokenizer, reading.text, MaskingStrategy("bert"), seed)
        many = _many_draws(lm.name, reading.text, seed)
    except MLMError as err:
        st.error(error_text(err))
        return
    big = large()
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        st.markdown(f"**{t('lesson.masking.sees')}**")
        st.html(masked_tokens_html(masked.tokens, masked.actions, masked.shown, big))
        st.markdown(f"**{t('lesson.masking.predicts')}**")
        st.html(masked_tokens_html(target_labels(masked), masked.actions, None, big))
    right.button(t("lesson.masking.draw_again"), key="lesson_draw_again", icon=":material/casino:",
                 on_click=_draw_again, width="stretch")
    _legend()
    counts = preview_counts(masked, lm.tokenizer.all_special_tokens)
    actions = masked.actions
    st.markdown(t("lesson.masking.counts", selected=counts.predicted, tokens=counts.tokens,
                  masked=actions.count("masked"), random=actions.count("random"), kept=actions.count("kept"))
                + (" " + t("lesson.masking.none_selected") if counts.predicted == 0 else ""))
    st.markdown(f"**{t('lesson.masking.many_title', draws=DRAWS)}**")
    shares = {t("lesson.masking.col_selected"): many.selected_rate, t("lesson.masking.col_mask"): many.masked_share,
              t("lesson.masking.col_random"): many.random_share, t("lesson.masking.col_kept"): many.kept_share}
    st.dataframe(pd.DataFrame([{k: f"{v:.1%}" for k, v in shares.items()}]), hide_index=True,
                 key="lesson_masking_shares")
    st.caption(t("lesson.masking.many_caption"))
    shipped_experiments_section()
    page_link("pages/masking.py", "lesson.masking.more", ":material/casino:")


@st.cache_data(show_spinner=False, max_entries=2)
def _shipped() -> dict[str, ExperimentResult]:
    return shipped_experiments()


def _points(value: float) -> str:
    return t("lesson.exp.points", value=f"{100 * value:.1f}")


def _verdict(result: ExperimentResult, metric: str, a: str, b: str) -> str:
    """Whether two settings differ by more than the experiment's seed-to-seed spread, in words."""
    spread = result.spread(metric)
    shown = _points(spread) if metric.endswith("accuracy") else f"{spread:.3f}"
    clear = clear_difference(result.condition(a).mean(metric), result.condition(b).mean(metric), spread)
    return t("lesson.exp.clear" if clear else "lesson.exp.unclear", spread=shown)


def _ablation(result: ExperimentResult) -> None:
    """Why 80/10/10: accuracy where no [MASK] is shown, per setting, and what the numbers say."""
    labels = {c.label for c in result.conditions}
    if not {"100/0/0", "80/10/10", "80/0/20"} <= labels:
        return
    fig = experiment_final_bars(result, ["kept/accuracy", "random/accuracy"], large(), t("lesson.exp.chart_title"))
    fig.update_xaxes(title_text=t("lesson.exp.axis_evaluation"), tickvals=["kept", "random"],
                     ticktext=[t("lesson.exp.eval_kept"), t("lesson.exp.eval_random")])
    fig.update_yaxes(title_text=t("lesson.exp.axis_accuracy"))
    fig.update_layout(legend_title_text=t("lesson.exp.legend"))
    chart(fig, key="lesson_exp_ablation")

    def mean(label: str, metric: str) -> str:
        return f"{result.condition(label).mean(metric):.1%}"

    lines = [t("lesson.exp.kept", mask_only=mean("100/0/0", "kept/accuracy"), bert=mean("80/10/10", "kept/accuracy"),
               no_random=mean("80/0/20", "kept/accuracy"),
               verdict=_verdict(result, "kept/accuracy", "100/0/0", "80/10/10")),
             t("lesson.exp.random", no_random=mean("80/0/20", "random/accuracy"),
               bert=mean("80/10/10", "random/accuracy"),
               verdict=_verdict(result, "random/accuracy", "80/0/20", "80/10/10"))]
    if "token/accuracy" in result.baseline:  # where the models stand against guessing the most frequent token
        best = max(c.mean("token/accuracy") for c in result.conditions)
        lines.append(t("lesson.exp.baseline", best=f"{best:.1%}", unigram=f"{result.baseline['token/accuracy']:.1%}"))
    st.markdown("\n".join(f"- {line}" for line in lines))


def _mask_rate(result: ExperimentResult) -> None:
    """Why 15%: the [MASK] loss and accuracies per rate, and whether 15% is clearly beaten."""
    if not any(c.label == "15%" for c in result.conditions):
        return
    rows = [{t("lesson.exp.col_rate"): c.label, t("lesson.exp.col_loss"): round(c.mean("token/loss"), 3),
             t("lesson.exp.col_accuracy"): f"{c.mean('token/accuracy'):.1%}",
             t("lesson.exp.col_kept"): f"{c.mean('kept/accuracy'):.1%}"} for c in result.conditions]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="lesson_exp_rate")
    best = min(result.conditions, key=lambda c: c.mean("token/loss"))
    if best.label == "15%":
        st.markdown(t("lesson.exp.rate_best_15"))
    else:
        st.markdown(t("lesson.exp.rate", best=best.label, best_loss=f"{best.mean('token/loss'):.3f}",
                      loss_15=f"{result.condition('15%').mean('token/loss'):.3f}",
                      verdict=_verdict(result, "token/loss", best.label, "15%")))
    st.caption(t("lesson.exp.rate_note"))


def shipped_experiments_section() -> None:
    """What the experiments shipped with the app measured about 80/10/10 and 15% (read from files, nothing
    trained): short, in the session's language, with the full reading of the numbers (English) folded away."""
    st.subheader(t("lesson.exp.title"))
    try:
        shipped = _shipped()
    except MLMError as err:
        st.error(error_text(err))
        return
    found = [(name, shipped[name]) for name in ("ablation", "mask-rate") if name in shipped]
    if not found:
        st.info(t("lesson.exp.missing"))
        return
    st.markdown(t("lesson.exp.intro"))
    tabs = st.tabs([t("lesson.exp.tab_ablation" if name == "ablation" else "lesson.exp.tab_rate") for name, _ in found])
    for tab, (name, result) in zip(tabs, found):
        with tab:
            (_ablation if name == "ablation" else _mask_rate)(result)
            with st.expander(t("lesson.exp.reading")):
                st.markdown("\n".join(f"- {line}" for line in result.reading))


# ---------------------------------------------------------------- 3. full vs causal attention


def attention(lm: LoadedModel) -> None:
    reading = plain_sentence(lm)
    if reading is None:
        return
    attention_pair(lm, reading.text, key="lesson_attention")
    page_link("pages/attention.py", "lesson.attention.more", ":material/hub:")


# ---------------------------------------------------------------- 4. 'bank' in two sentences and a projection


@st.cache_data(max_entries=32, show_spinner=False)
def _vectors(model_name: str, word: str, sentences: tuple[str, ...]) -> WordVectors:
    return word_vectors(get_model(model_name), list(sentences), word)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


def _sense_layer(lm: LoadedModel, top: int) -> tuple[int, bool]:
    """The model's stored sense layer, else its top layer; and whether it was stored."""
    sense = lm.info.sense_layer
    return (sense.layer, True) if sense is not None and 0 <= sense.layer <= top else (top, False)


def bank(lm: LoadedModel) -> None:
    c1, c2 = st.columns(2)
    first = c1.text_input(t("lesson.bank.sentence_a"), BANK_A, key="lesson_bank_a").strip()
    second = c2.text_input(t("lesson.bank.sentence_b"), BANK_B, key="lesson_bank_b").strip()
    data = [item for sense in ("finance", "river") for item in
            [i for i in items_for(BANK_WORD) if i.sense == sense][:PER_SENSE]]
    sentences = (first, second) + tuple(i.sentence for i in data)
    try:
        with st.spinner(t("lesson.bank.spinner")):
            wv = _vectors(lm.name, BANK_WORD, sentences)
    except MLMError as err:
        st.error(error_text(err))
        return
    missing = [name for index, name in ((0, "A"), (1, "B")) if index not in wv.indices]
    if missing:
        st.warning(t("lesson.bank.missing", word=BANK_WORD, which=", ".join(missing)))
        return
    top = wv.vectors.shape[1] - 1
    layer, stored = _sense_layer(lm, top)
    row_a, row_b = wv.indices.index(0), wv.indices.index(1)
    by_layer = [_cosine(wv.vectors[row_a, k], wv.vectors[row_b, k]) for k in range(top + 1)]
    m1, m2 = st.columns(2)
    m1.metric(t("lesson.bank.cosine_static"), f"{by_layer[0]:.2f}")
    m2.metric(t("lesson.bank.cosine_layer", layer=layer), f"{by_layer[layer]:.2f}")
    st.caption(t("lesson.bank.layer_stored" if stored else "lesson.bank.layer_top", layer=layer) + " "
               + t("lesson.bank.by_layer", values=" · ".join(f"{k}: {c:.2f}" for k, c in enumerate(by_layer))))
    _projection(wv, data, layer)
    page_link("pages/polysemy.py", "lesson.bank.more", ":material/scatter_plot:")


def _projection(wv: WordVectors, data, layer: int) -> None:
    ours = {0: t("lesson.bank.point_a"), 1: t("lesson.bank.point_b")}
    labels = [ours.get(i) or data[i - 2].sense for i in wv.indices]
    try:
        proj = project(wv.vectors[:, layer], "pca", 2)
    except MLMError as err:
        st.warning(error_text(err))
        return
    rows = [int(i) for i in proj.indices]
    sense_word = t("lesson.bank.sense")
    hovers = [hover_text(wv.sentences[r], wv.occurrences[r].start, wv.occurrences[r].end, labels[r])
              .replace("<i>sense: ", f"<i>{sense_word}: ") for r in rows]
    fig = projection_scatter(proj.coords, [labels[r] for r in rows], hovers, large=large(),
                             title=t("lesson.bank.projection_title", word=BANK_WORD, layer=layer, n=len(rows)),
                             axis_titles=["PC 1", "PC 2"])
    fig.update_layout(legend_title_text=sense_word)
    for name in ours.values():  # the class's two sentences stand out from the data set's
        fig.update_traces(selector=dict(name=name), marker=dict(size=22 if large() else 17,
                                                                line=dict(color="#000000", width=2)))
    chart(fig, key="lesson_bank_projection")
    st.caption(t("lesson.bank.projection_caption", word=BANK_WORD))


# ---------------------------------------------------------------- 5. the two models at the same blank


def predictions(lm: LoadedModel) -> None:
    """Both models at the class's blank; a clicked word is masked by position, so both say how likely the hidden
    word was (a typed [MASK] hides no word)."""
    blanked = blanked_sentence(lm)
    if blanked is None:
        return
    top_k = int(persistent("top_k"))
    found = blank_analysis(lm, blanked, top_k)
    if found is not None:
        compare_blanks(lm, *found, top_k, key="lesson_blank", intro=False)


# ---------------------------------------------------------------- 6. generation


def _draw_new_text() -> None:
    set_persistent("lesson_gen_seed", int(persistent("lesson_gen_seed", 0)) + 1)


@st.cache_data(max_entries=32, show_spinner=False)
def _generate(mlm_name: str, causal_name: str | None, length: int, sampled: bool, seed: int) -> list[dict]:
    """Both generators at the same length and choice rule, and the measures of both texts (plain rows)."""
    mlm = get_model(mlm_name)
    causal = get_causal_model(causal_name) if causal_name else None
    sampling = SAMPLED if sampled else Sampling()
    runs = [("mlm", unmask_generate(mlm, UnmaskSettings(length=length, temperature=sampling.temperature,
                                                         top_k=sampling.top_k, seed=seed,
                                                         block=DEFAULT_BLOCK)).text)]
    if causal is not None:
        runs.append(("causal", causal_generate(causal, length, sampling, seed).text))
    out = []
    for side, text in runs:
        m = text_measures(text, mlm, causal)
        out.append({"side": side, "text": text, "causal": m.causal_perplexity, "pseudo": m.pseudo_perplexity,
                    "repetition": m.repetition_rate})
    return out


def generation(lm: LoadedModel) -> None:
    causal = causal_or_message()
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    length = c1.slider(t("lesson.generation.length"), 6, 24, GEN_LENGTH, key="lesson_gen_length")
    sampled = c2.radio(t("lesson.generation.choice"), [False, True], horizontal=True, key="lesson_gen_sampled",
                       format_func=lambda s: t("lesson.generation.sampled" if s else "lesson.generation.greedy"))
    c3.button(t("lesson.generation.again"), key="lesson_gen_again", icon=":material/casino:",
              on_click=_draw_new_text, disabled=not sampled, width="stretch")
    seed = int(persistent("lesson_gen_seed", 0)) if sampled else 0
    try:
        with st.spinner(t("lesson.generation.spinner")):
            rows = _generate(lm.name, causal.name if causal is not None else None, length, sampled, seed)
    except MLMError as err:
        st.error(error_text(err))
        return
    columns = st.columns(len(rows))
    for col, row in zip(columns, rows):
        with col, st.container(border=True):
            st.markdown(f"**{t('lesson.generation.' + row['side'])}**")
            st.markdown(f"### {markdown_text(row['text'])}")
    table = [{t("lesson.generation.col_model"): t("lesson.generation." + r["side"]),
              t("lesson.generation.col_causal"): r["causal"], t("lesson.generation.col_pseudo"): r["pseudo"],
              t("lesson.generation.col_repetition"): r["repetition"]} for r in rows]
    number = st.column_config.NumberColumn
    st.dataframe(pd.DataFrame(table), hide_index=True, key="lesson_gen_table",
                 column_config={t("lesson.generation.col_causal"): number(format="%.1f"),
                                t("lesson.generation.col_pseudo"): number(format="%.1f"),
                                t("lesson.generation.col_repetition"): number(format="percent")})
    st.caption(t("lesson.generation.caption"))
    page_link("pages/generate.py", "lesson.generation.more", ":material/auto_awesome:")
