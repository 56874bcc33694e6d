"""The Lesson page's frame: the steps in the study note's order, the step indicator with Back / Next (the step is the
display option "lesson_step", so it goes into the shared link as ?step=N), the class's sentence and its blank, and
the three closing questions with answers revealed on click. The live widgets of the steps are in `lesson_steps`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.fill_mask_post import Reading, word_chips
from mlm_core.model.loading import LoadedModel

from .cached import cached_reading
from .i18n import error_text, t
from .sentence_box import sentence_box
from .state import bind_widget, persistent, set_persistent

# The study note's order; each name is also the strings prefix of its step ("lesson.fill.title", ...).
STEPS = ("fill", "masking", "attention", "bank", "predictions", "generation", "questions")
QUESTIONS = (1, 2, 3)
BLANK = "lesson_blank"  # {"for": sentence, "word": word index}: the word the class hides, kept across steps
REVEALED = "lesson_revealed"  # the numbers of the questions whose answers are shown
SCROLL = "_lesson_moves"  # counts the presses of Back / Next: the new step starts at the top of the page
SCROLL_DONE = "_lesson_scrolled"  # the press whose scroll script was sent
DEFAULT_BLANK = "bank"
_HAS_LETTER = re.compile(r"\w")


# ---------------------------------------------------------------- the step and the navigation


def current_step() -> int:
    """The step shown (1-based), clamped to the lesson's steps (a link may ask for any step the URL allows)."""
    try:
        step = int(persistent("lesson_step"))
    except (TypeError, ValueError):
        step = 1
    clamped = max(1, min(len(STEPS), step))
    if clamped != persistent("lesson_step"):
        set_persistent("lesson_step", clamped)
    return clamped


def step_name(step: int) -> str:
    return STEPS[step - 1]


def step_title(step: int) -> str:
    return t(f"lesson.{step_name(step)}.title")


def _go(step: int) -> None:
    set_persistent("lesson_step", max(1, min(len(STEPS), step)))
    st.session_state[SCROLL] = st.session_state.get(SCROLL, 0) + 1  # a new number: a new script, run again


def navigation(step: int, where: str) -> None:
    """Back, the step picker (top only) and Next; then, at the top, the progress bar with "Step n of N"."""
    total = len(STEPS)
    back, middle, forward = st.columns([1, 3, 1], vertical_alignment="bottom")
    back.button(t("lesson.back"), key=f"lesson_back_{where}", icon=":material/arrow_back:", on_click=_go,
                args=(step - 1,), disabled=step <= 1, width="stretch")
    forward.button(t("lesson.next"), key=f"lesson_next_{where}", icon=":material/arrow_forward:",
                   icon_position="right", on_click=_go, args=(step + 1,), disabled=step >= total, type="primary",
                   width="stretch")
    if where == "top":
        labels = {k: f"{k}. {step_title(k)}" for k in range(1, total + 1)}  # made here, in the session's language
        middle.selectbox(t("lesson.jump"), list(labels), label_visibility="collapsed", format_func=labels.get,
                         **bind_widget("lesson_step"))
        st.progress(step / total, text=t("lesson.step_of", n=step, total=total))
    else:
        middle.caption(t("lesson.step_of", n=step, total=total))


def scroll_to_top() -> None:
    """After Back / Next the new step starts at its top, also when the button pressed was the one at the bottom.
    Each press numbers its script, so the browser runs it again rather than keeping the last one's element."""
    count = st.session_state.get(SCROLL, 0)
    if count and st.session_state.get(SCROLL_DONE) != count:
        st.session_state[SCROLL_DONE] = count
        st.html(f"<script>/* {count} */ for (const el of [window, document.querySelector('[data-testid=\"stMain\"]')]) "
                "{ if (el) el.scrollTo({top: 0}); }</script>", unsafe_allow_javascript=True)


def intro(step: int) -> None:
    """The step's heading and its short explanation, tied to the study note's point."""
    name = step_name(step)
    st.header(f"{step}. {step_title(step)}")
    st.markdown(t(f"lesson.{name}.explain"))


# ---------------------------------------------------------------- the class's sentence and its blank


@dataclass(frozen=True)
class Blanked:
    """The class's sentence with its blank: the text the model reads, and the hidden word (None: a typed mask)."""

    text: str  # the sentence as the model reads it (the shared one)
    masked: str  # with the blank as the model's mask token
    word: str | None
    positions: tuple[int, ...] = ()  # the hidden word's token positions in `text` (none for a typed mask)


def plain_sentence(lm: LoadedModel) -> Reading | None:
    """The class's sentence (the shared one, also in the link), as the model reads it; None after an error."""
    text = sentence_box("lesson_text", t("lesson.sentence_label"))  # with the "type English" note in Korean
    try:
        return cached_reading(lm.name, text)
    except MLMError as err:
        st.error(error_text(err))
        return None


def _words(reading: Reading) -> dict[int, str]:
    """Word index -> text, for the words a class can hide (punctuation left out)."""
    return {c.key: c.text for c in word_chips(reading) if _HAS_LETTER.search(c.text)}


def default_blank(words: dict[int, str]) -> int | None:
    """'bank' when the sentence has it (the lesson's example), else its longest word."""
    for index, text in words.items():
        if text.lower() == DEFAULT_BLANK:
            return index
    return max(words, key=lambda i: len(words[i]), default=None)


def _keep_blank(text: str) -> None:
    choice = st.session_state.get("lesson_blank_pick")
    if choice is not None:  # clicking the chosen word again keeps it: the lesson always has a blank
        st.session_state[BLANK] = {"for": text, "word": choice}


def blanked_sentence(lm: LoadedModel) -> Blanked | None:
    """The class's sentence and the word to hide (chips; 'bank' first), or the [MASK]s typed in it."""
    reading = plain_sentence(lm)
    if reading is None:
        return None
    if reading.typed_masks:
        st.caption(t("lesson.typed_mask_note"))
        return Blanked(reading.text, reading.text, None)
    words = _words(reading)
    if not words:
        st.info(t("lesson.no_words"))
        return None
    stored = st.session_state.get(BLANK) or {}
    chosen = stored.get("word") if stored.get("for") == reading.raw_text else None
    if chosen not in words:
        chosen = default_blank(words)
    st.session_state["lesson_blank_pick"] = chosen
    st.pills(t("lesson.pick_blank"), list(words), format_func=words.get, key="lesson_blank_pick",
             on_change=_keep_blank, args=(reading.raw_text,))
    word = next(w for w in reading.words if w.index == chosen)
    hidden = " ".join([lm.tokenizer.mask_token] * len(word.token_indices))  # one mask per piece, as the model reads it
    masked = reading.text[:word.start] + hidden + reading.text[word.end:]
    return Blanked(reading.text, masked, word.text, tuple(word.token_indices))


# ---------------------------------------------------------------- the three questions


def _reveal(numbers) -> None:
    st.session_state[REVEALED] = sorted(set(st.session_state.get(REVEALED, [])) | set(numbers))


def _hide(number: int) -> None:
    st.session_state[REVEALED] = [n for n in st.session_state.get(REVEALED, []) if n != number]


def revealed() -> list[int]:
    return list(st.session_state.get(REVEALED, []))


def questions() -> None:
    """Each question with its answer hidden until the class asks for it."""
    shown = revealed()
    for n in QUESTIONS:
        with st.container(border=True):
            st.subheader(t(f"lesson.questions.q{n}"))
            if n in shown:
                st.success(t(f"lesson.questions.a{n}"), icon=":material/lightbulb:")
                st.button(t("lesson.questions.hide"), key=f"lesson_hide_{n}", on_click=_hide, args=(n,))
            else:
                st.button(t("lesson.questions.show"), key=f"lesson_show_{n}", on_click=_reveal, args=([n],),
                          icon=":material/visibility:")
    if len(shown) < len(QUESTIONS):
        st.button(t("lesson.questions.show_all"), key="lesson_show_all", on_click=_reveal, args=(QUESTIONS,))
