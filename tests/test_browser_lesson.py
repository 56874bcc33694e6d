"""The Lesson page in a real browser: the whole lesson walked with Next in English and in Korean, and with the
projector's large fonts, each step drawn (its charts, table or questions) with no exception, the step in the
address bar, and no step wider than the window.

Uses the server and page of tests/test_browser.py (one server for this module); skipped without Chromium."""
from __future__ import annotations

from tests.test_browser import assert_no_exception, open_page, page, server, wait_idle  # noqa: F401

STEPS = 7
CHARTS = "[data-testid='stMainBlockContainer'] .js-plotly-plot"
TABLES = "[data-testid='stMainBlockContainer'] [data-testid='stDataFrame']"
STEP_SHOWN_JS = """(prefix) => [...document.querySelectorAll("[data-testid='stMainBlockContainer'] h2")]
    .some((h) => h.innerText.startsWith(prefix))"""
SCROLLED_JS = "() => document.querySelector(\"[data-testid='stMain']\").scrollTop"
WIDER_THAN_WINDOW_JS = "() => document.documentElement.scrollWidth > window.innerWidth + 1"
# The step's own element: charts on steps 1-5 (the masking step's experiment chart is in its first tab), the table
# of both generated texts on step 6, the three questions on step 7.
DRAWN = {1: (CHARTS, 1), 2: (CHARTS, 1), 3: (CHARTS, 2), 4: (CHARTS, 1), 5: (CHARTS, 2), 6: (TABLES, 1)}


def _main_button(page, label: str):
    return page.locator("[data-testid='stMainBlockContainer'] [data-testid='stButton'] button", has_text=label)


def _check_step(page, step: int, show: str, name: str) -> None:
    page.wait_for_function(STEP_SHOWN_JS, arg=f"{step}. ", timeout=120_000)
    wait_idle(page, 300)
    if step in DRAWN:
        selector, count = DRAWN[step]
        page.wait_for_function(f"() => document.querySelectorAll(\"{selector}\").length >= {count}", timeout=120_000)
    else:
        questions = page.locator(".st-key-lesson_show_1, .st-key-lesson_show_2, .st-key-lesson_show_3")
        assert questions.count() == 3 and all(show in text for text in questions.all_inner_texts())
    assert (f"step={step}" in page.url) == (step > 1), page.url
    assert not page.evaluate(WIDER_THAN_WINDOW_JS), f"{name}: the page is wider than the window"
    assert_no_exception(page, name)


def _walk(page, server, query: str, next_label: str, show: str, name: str) -> None:
    open_page(page, server, f"lesson?{query}")
    for step in range(1, STEPS + 1):
        _check_step(page, step, show, f"{name}_{step}")
        if step < STEPS:
            _main_button(page, next_label).last.click()  # the one under the step
            page.wait_for_function(STEP_SHOWN_JS, arg=f"{step + 1}. ", timeout=120_000)
            wait_idle(page, 800)
            assert page.evaluate(SCROLLED_JS) == 0, f"step {step + 1} should start at its top"
    assert _main_button(page, next_label).first.is_disabled()


def test_the_whole_lesson_in_english(page, server):
    _walk(page, server, "step=1", "Next", "Show the answer", "lesson_en")
    _main_button(page, "Show the answer").first.click()
    wait_idle(page, 500)
    page.locator("[data-testid='stAlert']", has_text="understanding").first.wait_for(state="visible")
    assert_no_exception(page, "lesson_en_answer")


def test_the_whole_lesson_in_korean(page, server):
    _walk(page, server, "lang=ko", "다음", "답 보기", "lesson_ko")
    assert page.locator("h1", has_text="수업").count() == 1


def test_the_whole_lesson_with_large_fonts(page, server):
    _walk(page, server, "large=1", "Next", "Show the answer", "lesson_large")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") > 16
