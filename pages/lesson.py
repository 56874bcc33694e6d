"""Lesson: the study note's walk through masked language models, one step at a time with Next / Back, each step a
live widget on the active model; the step is part of the shared link (?step=4)."""
from __future__ import annotations

import streamlit as st

from mlm_app import lesson_steps as steps
from mlm_app import lesson_view as view
from mlm_app.i18n import t
from mlm_app.shell import finish_page, page_setup

STEPS = {"fill": steps.fill_in_the_blank, "masking": steps.masking, "attention": steps.attention, "bank": steps.bank,
         "predictions": steps.predictions, "generation": steps.generation}  # the last step: the questions


def main() -> None:
    lm = page_setup("nav.lesson")
    st.title(t("lesson.title"))
    st.caption(t("lesson.intro"))
    step = view.current_step()
    view.navigation(step, "top")
    view.intro(step)
    draw = STEPS.get(view.step_name(step))
    if draw is None:
        view.questions()
    else:
        draw(lm)
    st.divider()
    view.navigation(step, "bottom")
    view.scroll_to_top()


main()
finish_page()
