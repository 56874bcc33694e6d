"""The sections of the Generation page: the settings form, the two runs side by side (each replayed step by step
with Play / Pause / Step), the measures of both texts, and the note on why masked models struggle to generate.

Both runs are computed once, when Generate is pressed, with every step kept (`mlm_core.generation`), and stored in
the session; replaying them only redraws. Playing advances one step per rerun of a fragment (`st.fragment` with
`run_every`), so the rest of the page is not rerun while the animation plays.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.generation import (CausalRun, Sampling, TextMeasures, UnmaskRun, UnmaskSettings, causal_generate,
                                 text_measures, unmask_generate)
from mlm_core.generation.left_to_right import check_length
from mlm_core.generation.left_to_right import max_length as causal_max_length
from mlm_core.generation.sampling import check_sampling
from mlm_core.generation.unmask import check_settings
from mlm_core.generation.unmask import max_length as masked_max_length
from mlm_core.model.loading import LoadedModel
from mlm_core.viz.generation import (ChipLabels, causal_step_html, legend_html, prediction_names, probability_strip,
                                     reveal_grid, unmask_step_html)

from .i18n import error_text, t
from .models import get_causal_model
from .state import large

PLAY_INTERVAL = 0.5  # seconds between two frames while playing
RESULT = "gen_result"
SIDES = ("mlm", "causal")
DECODINGS = ("greedy", "temperature", "top_k")
# LLaDA's semi-autoregressive default: blocks left to right. On a small model one block fills every position with
# its most confident token (a comma) and the text is all commas; blocks of 4 give words, and still show repetition.
DEFAULT_BLOCK = 4


@dataclass(frozen=True)
class Request:
    """What the form asks for: the same length for both models, each model's own choice rule and seed."""

    length: int
    unmask: UnmaskSettings
    causal_sampling: Sampling
    causal_seed: int


@dataclass
class Generated:
    mlm_name: str
    causal_name: str | None
    unmask: UnmaskRun
    causal: CausalRun | None
    names: dict[int, str]  # display texts of every token the unmasking run predicted
    measures: dict[str, TextMeasures | None]  # "mlm" / "causal"
    notes: list[str] = field(default_factory=list)  # why a measure is missing (in the session's language)


# ---------------------------------------------------------------- the models and their limits


def causal_model() -> LoadedModel | None:
    """The left-to-right companion, or None (with the reason shown) when it cannot load: the masked side works
    without it."""
    try:
        return get_causal_model()
    except MLMError as err:
        st.warning(t("generate.no_causal", reason=error_text(err)))
        return None


def length_limit(lm: LoadedModel, causal: LoadedModel | None) -> int:
    """The longest length both models can generate."""
    limit = masked_max_length(lm)
    return min(limit, causal_max_length(causal)) if causal is not None else limit


# ---------------------------------------------------------------- settings


def _labelled(group: str, options) -> Callable[[str], str]:
    """A format_func whose labels are translated now, while the page runs: Streamlit (and AppTest) may call it
    later, outside the run, where the session's language is not known."""
    labels = {o: t(f"generate.{group}_{o}") for o in options}
    return labels.get


def _sampling(decoding: str, temperature: float, top_k: int) -> Sampling:
    if decoding == "greedy":
        return Sampling()
    return Sampling(float(temperature), int(top_k) if decoding == "top_k" else None)


def _decoding_widgets(side: str) -> Sampling:
    decoding = st.radio(t("generate.decoding"), DECODINGS, format_func=_labelled("decoding", DECODINGS),
                        key=f"gen_{side}_decoding", horizontal=True)
    a, b = st.columns(2)
    temperature = a.slider(t("generate.temperature"), 0.1, 2.0, 1.0, 0.1, key=f"gen_{side}_temperature",
                           help=t("generate.temperature_help"))
    top_k = b.number_input(t("generate.top_k"), min_value=1, value=10, step=1, key=f"gen_{side}_top_k",
                           help=t("generate.top_k_help"))
    return _sampling(decoding, temperature, top_k)


def settings_form(lm: LoadedModel, causal: LoadedModel | None) -> Request | None:
    """The settings of both runs in one form (nothing reruns while they change); the request when Generate is
    pressed, else None. The widgets' bounds are loose on purpose: the core checks every value and says why."""
    limit = length_limit(lm, causal)
    with st.form("gen_form"):
        length = st.number_input(t("generate.length"), min_value=0, value=16, step=1, key="gen_length",
                                 help=t("generate.length_help", limit=limit))
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('generate.mlm_settings')}**")
            schedule = st.radio(t("generate.schedule"), ("steps", "per_step"),
                                format_func=_labelled("schedule", ("steps", "per_step")), key="gen_schedule",
                                horizontal=True)
            a, b = st.columns(2)
            steps = a.number_input(t("generate.steps"), min_value=1, value=16, step=1, key="gen_steps",
                                   help=t("generate.steps_help"))
            per_step = b.number_input(t("generate.per_step"), min_value=1, value=2, step=1, key="gen_per_step",
                                      help=t("generate.per_step_help"))
            order = st.radio(t("generate.order"), ("confidence", "random"),
                             format_func=_labelled("order", ("confidence", "random")), key="gen_order",
                             help=t("generate.order_help"))
            block = st.number_input(t("generate.block"), min_value=0, value=DEFAULT_BLOCK, step=1, key="gen_block",
                                    help=t("generate.block_help"))
            mlm_sampling = _decoding_widgets("mlm")
            mlm_seed = st.number_input(t("generate.seed"), min_value=0, value=0, step=1, key="gen_mlm_seed")
        with right:
            st.markdown(f"**{t('generate.causal_settings')}**")
            if causal is None:
                st.caption(t("generate.causal_missing"))
            causal_sampling = _decoding_widgets("causal")
            causal_seed = st.number_input(t("generate.seed"), min_value=0, value=0, step=1, key="gen_causal_seed")
        pressed = st.form_submit_button(t("generate.generate"), type="primary")
    if not pressed:
        return None
    length = int(length)
    unmask = UnmaskSettings(length=length, steps=int(steps) if schedule == "steps" else None,
                            per_step=int(per_step) if schedule == "per_step" else None, order=order,
                            block=int(block) or None, temperature=mlm_sampling.temperature, top_k=mlm_sampling.top_k,
                            seed=int(mlm_seed))
    return Request(length, unmask, causal_sampling, int(causal_seed))


# ---------------------------------------------------------------- running


def _measures(text: str, lm: LoadedModel, causal: LoadedModel | None, notes: list[str]) -> TextMeasures | None:
    """Every measure of one text; a measure the models cannot give is left out with the reason in `notes`."""
    if not text.strip():
        notes.append(t("generate.empty_text"))
        return None
    try:
        return text_measures(text, lm, causal)
    except MLMError as err:
        notes.append(error_text(err))
    try:
        return text_measures(text, lm, None)
    except MLMError as err:
        notes.append(error_text(err))
        return None


def _reset_players(result: Generated) -> None:
    """A new result starts at its last step (the whole text), paused."""
    st.session_state["gen_mlm_step"] = len(result.unmask.steps)
    st.session_state["gen_causal_step"] = result.causal.length if result.causal is not None else 0
    for side in SIDES:
        st.session_state[f"gen_{side}_playing"] = False


def generate(lm: LoadedModel, causal: LoadedModel | None, request: Request) -> None:
    """Check every setting, then run both generators and measure both texts; the result goes to the session.
    A setting the models cannot meet gets its message and nothing runs (the last result is dropped, so what the
    page shows never disagrees with the settings)."""
    st.session_state.pop(RESULT, None)
    try:
        check_settings(lm, request.unmask)
        if causal is not None:
            check_length(causal, request.length)
            check_sampling(request.causal_sampling, causal.info.vocab_size)
    except MLMError as err:
        st.error(error_text(err))
        return
    try:
        with st.spinner(t("generate.running")):
            unmask = unmask_generate(lm, request.unmask)
            run = causal_generate(causal, request.length, request.causal_sampling, request.causal_seed) \
                if causal is not None else None
            notes: list[str] = []
            measures = {"mlm": _measures(unmask.text, lm, causal, notes),
                        "causal": _measures(run.text, lm, causal, notes) if run is not None else None}
    except MLMError as err:
        st.error(error_text(err))
        return
    result = Generated(lm.name, causal.name if causal is not None else None, unmask, run,
                       prediction_names(unmask, lm.tokenizer), measures, notes)
    st.session_state[RESULT] = result
    _reset_players(result)


# ---------------------------------------------------------------- replaying


def _labels(side: str = "causal") -> ChipLabels:
    return ChipLabels(masked=t("generate.chip_masked"), revealed=t("generate.chip_revealed"),
                      remasked=t("generate.chip_remasked"), outside=t("generate.chip_outside"),
                      kept=t(f"generate.chip_kept_{side}"), pending=t("generate.chip_pending"),
                      probability=t("generate.probability"))


def _toggle(side: str, last: int) -> None:
    key, step = f"gen_{side}_playing", f"gen_{side}_step"
    playing = not st.session_state.get(key, False)
    if playing and st.session_state.get(step, 0) >= last:
        st.session_state[step] = 0  # Play at the end replays from the start
    st.session_state[key] = playing


def _move(side: str, delta: int, last: int) -> None:
    key = f"gen_{side}_step"
    st.session_state[key] = max(0, min(last, st.session_state.get(key, last) + delta))
    st.session_state[f"gen_{side}_playing"] = False


def _pause(side: str) -> None:
    st.session_state[f"gen_{side}_playing"] = False


def player(side: str, last: int, draw) -> None:
    """Step controls (Step back, Play / Pause, Step forward, a step slider) over `draw(step)`, 0..last.

    The frame is a fragment that reruns every PLAY_INTERVAL while playing and advances one step each time,
    pausing at the last. `run_every` is fixed when the fragment is defined (a whole-page run), so when Play or
    Pause changes the state inside the fragment, it asks for a whole-page run to define it anew."""
    playing, step = f"gen_{side}_playing", f"gen_{side}_step"
    st.session_state.setdefault(playing, False)
    st.session_state.setdefault(step, last)
    st.session_state[step] = max(0, min(last, st.session_state[step]))
    defined_playing = st.session_state[playing]

    def frame() -> None:
        if st.session_state[playing] != defined_playing:
            st.rerun()
        if st.session_state[playing]:
            st.session_state[step] = min(last, st.session_state[step] + 1)
            if st.session_state[step] >= last:
                st.session_state[playing] = False
        is_playing = st.session_state[playing]
        back, play, forward = st.columns(3)
        back.button(t("generate.step_back"), icon=":material/skip_previous:", key=f"gen_{side}_back",
                    on_click=_move, args=(side, -1, last), disabled=st.session_state[step] <= 0,
                    width="stretch")
        play.button(t("generate.pause") if is_playing else t("generate.play"),
                    icon=":material/pause:" if is_playing else ":material/play_arrow:", key=f"gen_{side}_play",
                    on_click=_toggle, args=(side, last), width="stretch")
        forward.button(t("generate.step_forward"), icon=":material/skip_next:", key=f"gen_{side}_forward",
                       on_click=_move, args=(side, 1, last), disabled=st.session_state[step] >= last,
                       width="stretch")
        st.slider(t("generate.step"), 0, last, key=step, on_change=_pause, args=(side,))
        draw(st.session_state[step])
        if defined_playing and not st.session_state[playing]:
            st.rerun()  # the last frame was drawn: define the fragment again, without its timer

    st.fragment(frame, run_every=PLAY_INTERVAL if defined_playing else None, key=f"gen_{side}_player")()


def _draw_unmask(result: Generated, k: int) -> None:
    run, big, labels = result.unmask, large(), _labels("mlm")
    n = len(run.steps)
    if k == 0:
        st.markdown(t("generate.mlm_step_zero", n=n))
    else:
        s = run.steps[k - 1]
        st.markdown(t("generate.mlm_step", k=k, n=n, revealed=len(s.revealed), remasked=len(s.remasked),
                      block=s.block + 1, start=s.block_span[0] + 1, end=s.block_span[1]))
    st.html(unmask_step_html(run, k, labels, big, result.names))
    st.plotly_chart(reveal_grid(run, current=k, title=t("generate.grid_title"),
                                x_title=t("generate.position"), y_title=t("generate.step_axis"),
                                confidence=t("generate.confidence"), revealed=t("generate.chip_revealed"),
                                remasked=t("generate.chip_remasked"), large=big),
                    key="gen_grid", config={"displayModeBar": False})


def _draw_causal(result: Generated, k: int) -> None:
    run, big, labels = result.causal, large(), _labels()
    if k == 0:
        st.markdown(t("generate.causal_step_zero", n=run.length))
    else:
        s = run.steps[k - 1]
        st.markdown(t("generate.causal_step", k=k, n=run.length, token=s.text, p=s.probability))
    st.html(causal_step_html(run, k, labels, big))
    st.plotly_chart(probability_strip(run, current=k, title=t("generate.strip_title"),
                                      x_title=t("generate.position"), y_title=t("generate.probability"),
                                      alternatives=t("generate.alternatives"), large=big),
                    key="gen_strip", config={"displayModeBar": False})


def results() -> None:
    """The two runs side by side, at the same length, each with its own step controls and its final text."""
    result: Generated | None = st.session_state.get(RESULT)
    if result is None:
        st.info(t("generate.press_generate"))
        return
    big = large()
    st.caption(t("generate.made_by", mlm=result.mlm_name, causal=result.causal_name or "—",
                 length=result.unmask.settings.length))
    left, right = st.columns(2)
    with left:
        st.markdown(f"#### {t('generate.mlm_heading')}")
        word = result.unmask.texts[0] if result.unmask.texts else "·"
        mask = result.unmask.mask_token
        kinds = ["masked", "revealed", "remasked"] + (["outside"] if result.unmask.settings.block else []) + ["kept"]
        st.html(legend_html(kinds, _labels("mlm"), big,
                            samples={"masked": mask, "revealed": word, "remasked": mask, "outside": mask,
                                     "kept": word}))
        player("mlm", len(result.unmask.steps), lambda k: _draw_unmask(result, k))
        st.markdown(f"**{t('generate.final_text')}**")
        st.code(result.unmask.text, language=None, wrap_lines=True)
    with right:
        st.markdown(f"#### {t('generate.causal_heading')}")
        if result.causal is None:
            st.warning(t("generate.causal_missing"))
            return
        word = result.causal.texts[0] if result.causal.texts else "·"
        st.html(legend_html(["kept", "revealed", "pending"], _labels("causal"), big,
                            samples={"kept": word, "revealed": word, "pending": "·"}))
        player("causal", result.causal.length, lambda k: _draw_causal(result, k))
        st.markdown(f"**{t('generate.final_text')}**")
        st.code(result.causal.text, language=None, wrap_lines=True)


# ---------------------------------------------------------------- measures and the note


def _number(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def measures_rows(result: Generated) -> list[dict]:
    """One row per text: its causal perplexity, pseudo-log-likelihood, pseudo-perplexity and repetition rate."""
    rows = []
    for side in SIDES:
        m = result.measures.get(side)
        if m is None:
            continue
        rows.append({t("generate.col_output"): t(f"generate.row_{side}"), t("generate.col_text"): m.text,
                     t("generate.col_perplexity"): _number(m.causal_perplexity),
                     t("generate.col_pll"): _number(m.pseudo_log_likelihood),
                     t("generate.col_pseudo_perplexity"): _number(m.pseudo_perplexity),
                     t("generate.col_repetition"): m.repetition_rate})
    return rows


def measures() -> None:
    """The measures of both texts, with what each says and which way is better."""
    result: Generated | None = st.session_state.get(RESULT)
    if result is None:
        return
    st.subheader(t("generate.measures_heading"))
    rows = measures_rows(result)
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="gen_measures",
                     column_config={t("generate.col_perplexity"): st.column_config.NumberColumn(format="%.1f"),
                                    t("generate.col_pll"): st.column_config.NumberColumn(format="%.2f"),
                                    t("generate.col_pseudo_perplexity"): st.column_config.NumberColumn(format="%.1f"),
                                    t("generate.col_repetition"): st.column_config.NumberColumn(format="%.3f")})
    for note in result.notes:
        st.warning(note)
    st.markdown("\n".join(f"- {t(key)}" for key in ("generate.explain_perplexity", "generate.explain_pll",
                                                       "generate.explain_repetition")))


def why_note() -> None:
    st.subheader(t("generate.why_heading"))
    st.markdown(t("generate.why_text"))
