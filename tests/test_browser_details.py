"""Real-browser checks of details: the chart titles of a split word fit their charts (normal and large fonts), a
rejected binary upload on the Train page says why (AppTest cannot upload files), and the value labels of the Masking
page's bars keep a readable size.

Uses the server and page of tests/test_browser.py (its own server for this module); skipped without Chromium."""
from __future__ import annotations

from tests.conftest import ROOT
from tests.test_browser import assert_no_exception, open_page, page, server, wait_idle  # noqa: F401

# For every chart in the main column: the title's box, the figure's box and the top of the plotting area.
TITLES_JS = """() => [...document.querySelectorAll("[data-testid='stMainBlockContainer'] .js-plotly-plot")]
  .map((gd) => {
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const title = gd.querySelector('.gtitle');
    const r = title ? title.getBoundingClientRect() : null;
    return {
        text: title ? ([...title.querySelectorAll('tspan.line')].map((t) => t.textContent).join(' ')
                       || title.textContent) : '',
        left: r && r.left, right: r && r.right, top: r && r.top, bottom: r && r.bottom,
        svgLeft: svg.left, svgRight: svg.right, svgTop: svg.top, plotTop: svg.top + gd._fullLayout._size.t,
    };
})"""

HIPPO = "fill_mask?text=The+hippopotamus+swam+in+the+river.&masks=1"  # word 1: 3 pieces, 3 charts


def _check_titles(page, name: str) -> None:
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .gtitle').length >= 3", timeout=120_000)
    wait_idle(page, 1000)
    titles = [t for t in page.evaluate(TITLES_JS) if t["text"].startswith("mask")]
    page.screenshot(path=str(ROOT / "tests" / "screenshots" / f"{name}.png"), full_page=True)
    assert [t["text"] for t in titles] == [f"mask {k}: hippopotamus, piece {k} of 3 ({p})"
                                           for k, p in ((1, "hipp"), (2, "##opotam"), (3, "##us"))], titles
    for t in titles:  # the whole title inside its figure, above the bars
        assert t["left"] >= t["svgLeft"] - 1 and t["right"] <= t["svgRight"] + 1, t
        assert t["top"] >= t["svgTop"] - 1 and t["bottom"] <= t["plotTop"] + 1, t
    assert_no_exception(page, name)


def test_split_word_chart_titles_fit_their_charts(page, server):
    open_page(page, server, HIPPO)
    _check_titles(page, "09_fill_mask_split_titles")


def test_split_word_chart_titles_fit_with_large_fonts(page, server):
    open_page(page, server, HIPPO + "&large=1")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") > 16
    _check_titles(page, "10_fill_mask_split_titles_large")


def test_a_binary_upload_on_the_train_page_says_it_looks_binary(page, server):
    open_page(page, server, "train")
    radio = page.locator("[data-testid='stRadio']", has_text="Text to train on").first
    radio.get_by_text("Upload a text file", exact=True).click()
    wait_idle(page, 800)
    weights = (ROOT / "mlm_core" / "bundled_model" / "model.safetensors").read_bytes()[:64 * 1024]
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        files=[{"name": "weights.bin", "mimeType": "application/octet-stream", "buffer": weights}])
    wait_idle(page, 1500)
    alert = page.locator("[data-testid='stAlert']", has_text="weights.bin")
    alert.first.wait_for(state="visible", timeout=60_000)
    message = alert.first.inner_text()
    assert "looks binary (it contains NUL bytes); give a plain UTF-8 text file." in message, message
    # the file is listed without Streamlit's own red refusal ("... files are not allowed")
    assert page.get_by_text("not allowed").count() == 0
    assert_no_exception(page, "11_train_binary_upload")


# The rendered size of every value label of a chart: plotly shrinks a label that does not fit its bar with a
# transform, so the drawn box (its smaller side, whatever the angle) is what a reader sees.
BAR_LABELS_JS = """(key) => {
    const chart = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!chart) return null;
    return [...chart.querySelectorAll('.bartext')].filter((t) => t.textContent.trim()).map((t) => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, size: Math.min(r.width, r.height)};
    });
}"""


def test_masking_page_bar_labels_are_readable(page, server):
    open_page(page, server, "masking?text=The+quick+brown+fox+jumps+over+the+lazy+dog.")
    page.wait_for_function(f"() => ({BAR_LABELS_JS})('masking_share_bar')", timeout=180_000)
    chart = page.locator(".st-key-masking_share_bar").first
    chart.scroll_into_view_if_needed()
    wait_idle(page, 1500)
    labels = page.evaluate(BAR_LABELS_JS, "masking_share_bar")
    chart.screenshot(path=str(ROOT / "tests" / "screenshots" / "12_masking_share_bar.png"))
    assert labels and all(lab["size"] >= 10 for lab in labels), labels  # 14 px text, not shrunk to ~5 px
    assert_no_exception(page, "12_masking_measured")
