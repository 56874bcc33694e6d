"""The Fill-mask page's sections: Streamlit glue around `mlm_core.inference.fill_mask_post`.

The core reads the sentence (tokenizer only), post-processes the one forward pass into charts, slots and blanks,
and maps masks between two models; this module draws them, keeps the chip and classroom state of a session and
caches the calls that cost a forward pass per step (joint fill, target scores, pseudo-log-likelihood).

Every string shown is `t("fill_mask....")` (strings/en|ko/fill_mask.py); the core's labels get the same words
(`label_words`), the tables' columns are renamed for display only (downloads keep the core's column names), and the
core's errors go through `error_text`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference import fill_mask_post as post
from mlm_core.inference.analysis import (Analysis, JointFill, PseudoLikelihood, TargetScore, coverage, iterative_fill,
                                         pseudo_log_likelihood, score_targets)
from mlm_core.model.loading import LoadedModel
from mlm_core.viz.fill_mask import topk_bar, topk_compare

from .cached import cached_analysis, cached_reading
from .downloads import data_downloads, show_figure
from .i18n import error_text, label_words, t
from .models import get_model, needs_network, offline_message
from .selection import keep_valid
from .sidebar import LOCAL_DIR, OTHER_HUB, model_label, model_options, picker_label
from .state import large

CHARTS_PER_ROW = 3
_ZWSP = "\u200b"  # invisible: makes repeated words ("to ... to") distinct chip labels
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$])")
REVEALED = "fm_revealed"  # {"for": (model, text), "keys": [blank keys shown]}
GENERATE_PAGE = "pages/generate.py"  # step-by-step generation (it used to be the last section of this page)


def plural(key: str, n: int, **values) -> str:
    """`key + "_one"` for one, `key + "_many"` for more (English needs both; Korean writes them alike)."""
    return t(f"{key}_{'many' if n > 1 else 'one'}", n=n, **values)


def shown_table(rows: list[dict], key: str, **formats) -> None:
    """A table of core rows with its column names in the session's language; `formats` (column -> number format)
    use the core's names."""
    df = pd.DataFrame(rows)
    names = {c: t(f"fill_mask.col_{c}") for c in df.columns}
    config = {names.get(c, c): st.column_config.NumberColumn(format=f) for c, f in formats.items()}
    st.dataframe(df.rename(columns=names), hide_index=True, width="stretch", key=key, column_config=config or None)


# ---------------------------------------------------------------- chips


def chip_text(text: str) -> str:
    """A word or piece as literal text in a chip (markdown characters escaped)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text.startswith("#"):
        text = "\\" + text
    return text or "␣"


def unique_labels(labels: list[str]) -> list[str]:
    """Chip labels must be unique (the selection travels as labels); repeats get invisible suffixes."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(label + _ZWSP * n)
    return out


def chip_options(chips: list[post.Chip], hidden: dict[int, int] | None = None) -> dict[int, str]:
    """chip key -> label; a chip over a hidden word reads 'blank n' (classroom mode)."""
    hidden = hidden or {}
    labels = [t("fill_mask.chip_blank", n=hidden[c.key]) if c.key in hidden else chip_text(c.text) for c in chips]
    return dict(zip([c.key for c in chips], unique_labels(labels)))


def word_chip_options(text) -> dict[int, str]:
    """word index -> chip label of a `Reading` or an `Analysis`, for the words that can be clicked."""
    return chip_options(post.word_chips(text))


# Chart titles and blank labels are made in the core (English by default; pass `label_words()` for the session's
# language); the names stay here for the sections that import them here.
mask_label, mask_blank_labels = post.mask_label, post.mask_blank_labels


def _on_word_chips() -> None:
    st.session_state["masked_words"] = sorted(st.session_state.get("fm_word_chips") or [])


def _on_piece_chips(signature: tuple) -> None:
    st.session_state["masked_pieces"] = {"for": signature, "positions": sorted(st.session_state.get("fm_piece_chips") or [])}


def chosen_positions(reading: post.Reading, pieces: bool, signature: tuple) -> tuple[int, ...]:
    """The token positions the session's chips mask (words, or pieces of this model and text), still valid."""
    if pieces:
        stored = st.session_state.get("masked_pieces") or {}
        valid = {c.key for c in post.piece_chips(reading)}
        return tuple(sorted(p for p in (stored.get("positions", []) if stored.get("for") == signature else [])
                            if p in valid))
    valid = {c.key for c in post.word_chips(reading)}
    return post.word_positions(reading, [w for w in st.session_state.get("masked_words") or [] if w in valid])


@dataclass(frozen=True)
class Masks:
    """The masks of this run, known before the forward pass: where they are, their blanks and, in classroom mode,
    which blanks are revealed."""

    reading: post.Reading
    pieces: bool  # the chips are pieces, not words
    chips_for: tuple  # (model without precision, text): a choice of pieces belongs to it
    reveal_for: tuple  # (model, text): revealed blanks belong to it
    positions: tuple[int, ...]
    blanks: list[post.Blank]
    shown: list[str]  # keys of the blanks whose answers are shown

    @classmethod
    def of(cls, lm: LoadedModel, reading: post.Reading, pieces: bool, classroom: bool) -> "Masks":
        chips_for = (st.session_state.get("model_name", "bundled"), reading.raw_text)
        positions = chosen_positions(reading, pieces, chips_for)
        blanks = post.blanks_of(reading, positions)
        reveal_for = (lm.name, reading.raw_text)
        shown = revealed_keys(reveal_for, blanks) if classroom else [b.key for b in blanks]
        return cls(reading, pieces, chips_for, reveal_for, positions, blanks, shown)

    @property
    def waiting(self) -> bool:
        """Some answers are still hidden (classroom mode)."""
        return len(self.shown) < len(self.blanks)

    @property
    def hidden_words(self) -> list[post.Blank]:
        """The blanks whose words are hidden from the text and the chips (typed masks hide no word)."""
        return [b for b in self.blanks if b.key not in self.shown and not b.typed]

    def blanked_text(self) -> str | None:
        """The sentence with its hidden words blanked; None when no word is hidden."""
        return post.blanked_text(self.reading, self.blanks, self.shown) if self.hidden_words else None


def mask_chips(masks: Masks) -> None:
    """Clickable words (or pieces); the chips of hidden words read 'blank n'."""
    reading, signature, hidden = masks.reading, masks.chips_for, hidden_chips(masks.hidden_words, masks.pieces)
    if masks.pieces:
        options = chip_options(post.piece_chips(reading), hidden)
        stored = st.session_state.get("masked_pieces") or {}
        keep_valid("fm_piece_chips", stored.get("positions", []) if stored.get("for") == signature else [], options)
        st.pills(t("fill_mask.piece_chips"), list(options), selection_mode="multi", format_func=options.get,
                 key="fm_piece_chips", on_change=_on_piece_chips, args=(signature,))
    else:
        options = chip_options(post.word_chips(reading), hidden)
        valid = keep_valid("fm_word_chips", st.session_state.get("masked_words") or [], options)
        if st.session_state.get("masked_words") != valid:
            st.session_state["masked_words"] = valid
        st.pills(t("fill_mask.word_chips"), list(options), selection_mode="multi", format_func=options.get,
                 key="fm_word_chips", on_change=_on_word_chips)
    if reading.typed_masks:
        n = len(reading.typed_masks)
        st.caption(plural("fill_mask.typed_masks", n))


def split_notes(masks: Masks) -> None:
    """A warning for each masked word the tokenizer splits (without naming it while it is a hidden blank)."""
    hidden_words = {b.word_index for b in masks.hidden_words}
    for word, pieces in post.split_words(masks.reading, masks.positions):
        if word.index in hidden_words:
            st.warning(t("fill_mask.split_hidden", n=len(pieces)))
            continue
        shown = " · ".join(f"`{p}`" for p in pieces)
        st.warning(t("fill_mask.split_word", word=word.text, n=len(pieces), pieces=shown))


# ---------------------------------------------------------------- reading and predicting


def read_sentence(lm: LoadedModel, text: str, messages) -> post.Reading | None:
    """The sentence as the tokenizer reads it (no forward pass), with a note when the vocabulary barely covers it;
    None (and an error in `messages`) when the model cannot read it."""
    try:
        reading = cached_reading(lm.name, text)
    except MLMError as err:
        messages.error(error_text(err))
        return None
    note = coverage_note(lm, reading)
    if note:
        messages.info(note, icon="🔤")
    return reading


def predict(model_name: str, masks: Masks, top_k: int) -> tuple[Analysis, post.FillMaskResult] | None:
    """The one forward pass with the masks in place, post-processed; None when nothing is masked."""
    reading, positions = masks.reading, masks.positions
    if not positions and not reading.typed_masks:
        return None
    try:
        with st.spinner(t("fill_mask.predicting")):
            analysis = cached_analysis(model_name, reading.raw_text, tuple(positions), top_k)
    except MLMError as err:
        st.error(error_text(err))
        return None
    return analysis, post.postprocess(analysis, reading.raw_text, reading.mask_token, label_words())


def coverage_note(lm: LoadedModel, text) -> str | None:
    """A short note when the vocabulary barely covers the text (e.g. Korean typed into the English-only
    bundled model, split into jamo or bytes or read as [UNK]); None when the text reads normally.
    `text` is a `Reading` or an `Analysis`."""
    cov = coverage(lm, text)
    if not cov.poor:
        return None
    bad = cov.unknown + cov.fragments
    unk = lm.tokenizer.unk_token or "[UNK]"
    what = t("fill_mask.coverage_what", bad=bad, pieces=cov.pieces, unk=unk)
    return t("fill_mask.coverage_bundled" if lm.source == "bundled" else "fill_mask.coverage_other", what=what)


# ---------------------------------------------------------------- classroom mode


def hidden_chips(hidden: list[post.Blank], pieces: bool) -> dict[int, int]:
    """Chip key (word index, or token position in pieces mode) -> blank number, for the chips of hidden words."""
    if pieces:
        return {p: b.number for b in hidden for p in b.positions}
    return {b.word_index: b.number for b in hidden if b.word_index is not None}


def revealed_keys(signature: tuple, blanks: list[post.Blank]) -> list[str]:
    """The blanks this session has revealed for this model and text (a new text hides everything again)."""
    stored = st.session_state.get(REVEALED) or {}
    keys = stored.get("keys", []) if stored.get("for") == signature else []
    return [b.key for b in blanks if b.key in keys]


def _reveal(signature: tuple, keys: list[str]) -> None:
    stored = st.session_state.get(REVEALED) or {}
    before = stored.get("keys", []) if stored.get("for") == signature else []
    st.session_state[REVEALED] = {"for": signature, "keys": sorted(set(before) | set(keys))}


def classroom_panel(masks: Masks) -> None:
    """How many words are hidden (one per word, whatever its pieces), a Reveal button per word and one for all."""
    blanks, signature = masks.blanks, masks.reveal_for
    hidden = [b for b in blanks if b.key not in masks.shown]
    n = len(hidden)
    st.info(plural("fill_mask.hidden_blanks", n))
    cols = st.columns(min(len(hidden), 5) + 1)
    for col, b in zip(cols, hidden):
        col.button(t("fill_mask.reveal_blank", n=b.number), key=f"fm_reveal_{b.key.replace(' ', '_')}",
                   on_click=_reveal, args=(signature, [b.key]))
    cols[-1].button(t("fill_mask.reveal_all"), key="fm_reveal", type="primary", on_click=_reveal,
                    args=(signature, [b.key for b in blanks]))


# ---------------------------------------------------------------- predictions


def prediction_charts(result: post.FillMaskResult, charts: list[post.MaskChart] | None = None) -> None:
    charts = result.charts if charts is None else charts
    if len(result.charts) > 1:
        st.caption(t("fill_mask.independent"))
    for row_start in range(0, len(charts), CHARTS_PER_ROW):
        cols = st.columns(CHARTS_PER_ROW)
        for col, chart in zip(cols, charts[row_start:row_start + CHARTS_PER_ROW]):
            with col:
                fig = topk_bar(chart.bars, title=chart.title, large=large(), axis_title=t("fill_mask.axis_probability"),
                               empty_text=t("fill_mask.no_predictions"))
                show_figure(fig, key=f"fm_bar_{chart.number}")
    if len(charts) == len(result.charts):
        with st.expander(t("fill_mask.table_expander")):
            shown_table(result.records, "fm_pred_table")
        data_downloads(result.records, key="fill_mask_predictions", label=t("fill_mask.downloads"))


def joint_fill(analysis: Analysis, result: post.FillMaskResult, model_name: str) -> None:
    if len(result.charts) < 2:
        return
    st.subheader(t("fill_mask.joint_title"))
    st.markdown(t("fill_mask.joint_intro"))
    try:
        with st.spinner(t("fill_mask.joint_spinner")):
            joint = cached_joint_fill(model_name, tuple(analysis.token_ids), "confidence")
    except MLMError as err:
        st.warning(error_text(err))
        return
    shown_table(post.fill_step_rows(joint, result.blank_labels, label_words()), "fm_joint_steps")
    st.success(t("fill_mask.joint_result", text=joint.text))


def target_scoring(analysis: Analysis, result: post.FillMaskResult, model_name: str) -> None:
    slots = result.slots
    with st.expander(t("fill_mask.targets_expander")):
        choice = st.selectbox(t("fill_mask.slot"), list(range(len(slots))), format_func=lambda k: slots[k].label,
                              key="fm_slot")
        targets = post.parse_targets(st.text_input(t("fill_mask.targets"), key="fm_targets",
                                                   placeholder=t("fill_mask.targets_placeholder")))
        if not targets:
            st.caption(t("fill_mask.targets_hint"))
            return
        slot = slots[choice if choice is not None and choice < len(slots) else 0].positions
        try:
            with st.spinner(t("fill_mask.scoring")):
                scores = cached_target_scores(model_name, analysis.text, tuple(analysis.mask_positions), slot, targets,
                                              analysis)
        except MLMError as err:
            st.warning(error_text(err))
            return
        shown_table(post.target_rows(scores, label_words()), "fm_target_table", probability="%.4f")


def compare_models(result: post.FillMaskResult, model_name: str, raw_text: str, top_k: int) -> None:
    """A second model on the same words: its own tokenization, the same characters masked, bars side by side."""
    if not st.toggle(t("fill_mask.compare_toggle"), key="fm_compare_on"):
        return
    options = [o for o in model_options() if o not in (model_name, OTHER_HUB, LOCAL_DIR)]
    names = {o: picker_label(o) for o in options}  # named now, in this run's language (AppTest formats later)
    other = st.selectbox(t("fill_mask.compare_model"), options, index=None, format_func=names.get,
                         key="fm_compare_model", placeholder=t("fill_mask.compare_placeholder"))
    if other is None:
        return
    label = model_label(other)
    if needs_network(other):
        st.error(t("fill_mask.compare_load_failed", model=label, error=error_text(offline_message(other))))
        return
    try:
        with st.spinner(t("fill_mask.compare_loading", model=label)):
            get_model(other)
    except MLMError as err:
        st.error(t("fill_mask.compare_load_failed", model=label, error=error_text(err)))
        return
    except Exception as err:  # noqa: BLE001 - a comparison must never show a traceback
        st.error(t("fill_mask.compare_load_crashed", model=label, kind=type(err).__name__, error=err))
        return
    st.caption(t("fill_mask.compare_by_word"))
    try:
        with st.spinner(t("fill_mask.compare_running", model=label)):
            reading2 = cached_reading(other, raw_text)
            analysis2 = cached_analysis(other, raw_text, post.mapped_positions(result.slots, reading2), top_k)
    except MLMError as err:
        st.warning(t("fill_mask.compare_failed", model=label, error=error_text(err)))
        return
    second = post.postprocess(analysis2, raw_text, reading2.mask_token, label_words())
    name1, name2 = model_label(model_name), model_label(other)
    if name1 == name2:
        name2 += " (2)"
    for slot, slot2 in post.pair_slots(result, second):
        if slot2 is None:
            st.info(t("fill_mask.compare_no_token", slot=slot.label, model=name2))
            continue
        if len(slot.positions) != len(slot2.positions):
            n1, n2 = len(slot.positions), len(slot2.positions)
            st.info(plural("fill_mask.compare_split", n1, slot=slot.label, first=name1, second=name2, n2=n2))
        fig = topk_compare({name1: slot.bars, name2: slot2.bars}, title=slot.label, large=large(),
                           empty_text=t("fill_mask.no_models"))
        show_figure(fig, key=f"fm_compare_{slot.number}")


def pseudo_likelihood(model_name: str, text: str, hidden: bool) -> None:
    with st.expander(t("fill_mask.pll_expander")):
        st.markdown(t("fill_mask.pll_intro"))
        if hidden:
            st.caption(t("fill_mask.pll_waits"))
            return
        signature = (model_name, text)
        if st.button(t("fill_mask.pll_button"), key="fm_pll_go"):
            st.session_state["fm_pll_for"] = signature
        if st.session_state.get("fm_pll_for") != signature:
            return
        try:
            with st.spinner(t("fill_mask.pll_spinner")):
                pll = cached_pll(model_name, text)
        except MLMError as err:
            st.warning(error_text(err))
            return
        a, b = st.columns(2)
        a.metric(t("fill_mask.pll_metric"), f"{pll.total:.2f}")
        b.metric(t("fill_mask.ppl_metric"), f"{pll.pseudo_perplexity:.1f}")
        shown_table(post.pll_rows(pll), "fm_pll_table")


def generation_link() -> None:
    """Where step-by-step generation from masks went: its own page, beside a left-to-right model."""
    st.divider()
    st.caption(t("fill_mask.generation_moved"))
    st.page_link(GENERATE_PAGE, label=t("fill_mask.generation_link"), icon=":material/auto_awesome:")


# ---------------------------------------------------------------- cached computations


@st.cache_data(max_entries=128, show_spinner=False)
def cached_joint_fill(model_name: str, token_ids: tuple[int, ...], order: str = "confidence") -> JointFill:
    """Iterative decoding: one forward pass per mask."""
    return iterative_fill(get_model(model_name), list(token_ids), order=order)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_pll(model_name: str, text: str) -> PseudoLikelihood:
    """Pseudo-log-likelihood: one masked copy of the sentence per token."""
    return pseudo_log_likelihood(get_model(model_name), text)


@st.cache_data(max_entries=128, show_spinner=False)
def cached_target_scores(model_name: str, text: str, positions: tuple[int, ...], slot: tuple[int, ...],
                         targets: tuple[str, ...], _analysis: Analysis) -> list[TargetScore]:
    """Scores of typed words at one slot; `_analysis` is the analysis of (model_name, text, positions)."""
    return score_targets(get_model(model_name), _analysis, list(slot), list(targets))
