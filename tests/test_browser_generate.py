"""Real-browser check of the Generation page: one generation each way in Chromium, both texts and the measures
drawn, then the masked run replayed with Step back and Play, with no exception.

Uses the server and page of tests/test_browser.py (its own server for this module); skipped without Chromium."""
from __future__ import annotations

from tests.test_browser import assert_no_exception, open_page, page, server, wait_idle  # noqa: F401


def test_one_generation_each_way_draws_both_texts_and_the_measures(page, server):
    open_page(page, server, "generate")
    page.get_by_text("Choose the settings and press").wait_for(state="visible", timeout=120_000)
    for label, value in (("Length (tokens, the same for both models)", "8"), ("Steps", "4")):
        box = page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Tab")
    page.get_by_role("button", name="Generate").click()
    wait_idle(page, 1500)
    codes = page.locator("[data-testid='stMainBlockContainer'] [data-testid='stCode']")
    codes.nth(1).wait_for(state="visible", timeout=120_000)
    texts = [codes.nth(i).inner_text().strip() for i in range(codes.count())]
    assert len(texts) == 2 and all(texts), texts
    page.get_by_text("Step 4 of 4:").wait_for(state="visible")
    page.get_by_text("Token 8 of 8:").wait_for(state="visible")
    page.get_by_role("heading", name="Measures of both texts").wait_for(state="visible")
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    assert page.locator("[data-testid='stMainBlockContainer'] .js-plotly-plot").count() >= 2
    # replay: one step back, then Play runs to the last step and stops there
    page.get_by_role("button", name="Step back").first.click()
    page.get_by_text("Step 3 of 4:").wait_for(state="visible", timeout=60_000)
    page.get_by_role("button", name="Play").first.click()
    page.get_by_text("Step 4 of 4:").wait_for(state="visible", timeout=60_000)
    page.get_by_role("button", name="Play").first.wait_for(state="visible", timeout=60_000)  # paused again
    wait_idle(page, 800)
    assert_no_exception(page, "generate_both_ways")
