"""Real-browser smoke test: `streamlit run app.py` in headless Chromium, every page, key interactions.

Screenshots of each page go to tests/screenshots/ (or $MLM_SCREENSHOT_DIR) for a person to look at.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("MLM_SCREENSHOT_DIR", ROOT / "tests" / "screenshots"))
CHROME_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is required for the browser test in CI (apt-get install -y chromium).")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("appdata")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MLM_EXPLORER_DATA_DIR": str(data)}
    # The server's output goes to a file: a pipe that nobody reads fills up, and then the server's next log line
    # blocks the thread that writes it, and every thread that logs after it, for good.
    log = open(data / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(120_000)
        yield pg
        browser.close()


# Streamlit marks a script run in two places: the app root's data-test-script-state ("initial" before the first run,
# "running", "rerunRequested", then "notRunning"), and the status widget at the top right, which holds a running
# icon (its "Running..." is only an aria-label, never text) while a script runs and is removed afterwards.
IDLE_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const state = app && app.getAttribute('data-test-script-state');
    if (!state || ['initial', 'running', 'rerunRequested'].includes(state)) return false;
    return !document.querySelector("[data-testid='stStatusWidget'] [data-testid='stStatusWidgetRunningIcon']");
}"""


def wait_idle(page, extra_ms: int = 300) -> None:
    """Wait until Streamlit has finished running the script (checked twice: one run can start another, e.g. a
    callback, st.rerun or a page link)."""
    page.wait_for_selector("[data-testid='stApp']")
    for _ in range(2):
        page.wait_for_timeout(200)
        page.wait_for_function(IDLE_JS, timeout=180_000)
    page.wait_for_timeout(extra_ms)


def assert_no_exception(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, f"{name}: {errors.first.inner_text()[:500]}"


def open_page(page, server, path: str) -> None:
    page.goto(f"{server}/{path}")
    wait_idle(page, 800)


def test_home_page_renders(page, server):
    open_page(page, server, "")
    page.locator("h1", has_text="MLM Explorer").wait_for(state="visible")
    page.locator("[data-testid='stMarkdownContainer']", has_text="bidirectional context").first.wait_for(state="visible")
    # the introduction comes first; the sidebar's model card and the page links follow once the model has loaded
    page.get_by_text("M parameters").first.wait_for(state="visible", timeout=120_000)
    page.get_by_role("link", name="Train: your own small MLM on your own text").wait_for(state="visible")
    wait_idle(page)
    assert_no_exception(page, "01_home")


def test_fill_mask_click_a_chip_and_see_predictions(page, server):
    open_page(page, server, "fill_mask?text=I+went+to+the+bank+to+deposit+money.")
    page.locator("[data-testid='stButtonGroup'] button", has_text="bank").first.click()
    wait_idle(page, 1500)
    page.wait_for_selector("[data-testid='stPlotlyChart']", timeout=120_000)
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 1
    assert "masks=" in page.url
    assert_no_exception(page, "02_fill_mask")


def test_fill_mask_classroom_link_shows_blanks_and_reveals_word_by_word(page, server):
    """A teacher's classroom link: the sentence shows a blank (not 'bank'), the chip reads 'blank 1', nothing is
    predicted on screen until a Reveal."""
    open_page(page, server, "fill_mask?text=I+went+to+the+bank+to+deposit+money.&masks=4&classroom=1")
    box = page.locator("[data-testid='stTextArea'] textarea").first
    box.wait_for(state="visible")
    assert box.input_value() == "I went to the ＿＿＿ to deposit money." and box.is_disabled()
    chips = page.locator("[data-testid='stButtonGroup']").first
    assert "blank 1" in chips.inner_text() and "bank" not in chips.inner_text().replace("blank", "")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 0
    page.get_by_role("button", name="Reveal blank 1").click()
    wait_idle(page, 1500)
    page.wait_for_selector("[data-testid='stPlotlyChart']", timeout=120_000)
    assert page.locator("[data-testid='stTextArea'] textarea").first.input_value() == "I went to the bank to deposit money."
    assert_no_exception(page, "02b_fill_mask_classroom")


def _choose(page, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSelectbox']", has_text=label).first
    box.click()
    page.locator("[role='option']", has_text=option).first.click()
    wait_idle(page, 1200)


def test_attention_switch_layer_changes_the_heatmap(page, server):
    open_page(page, server, "attention?text=The+cat+sat+on+the+mat+because+it+was+warm.")
    page.wait_for_selector(".js-plotly-plot")
    z_now = "JSON.stringify(document.querySelector('.js-plotly-plot').data[0].z)"
    before = page.evaluate(f"() => (window.__z0 = {z_now})")
    _choose(page, "Layer", "3")
    page.wait_for_function(f"() => {z_now} !== window.__z0", timeout=60_000)
    wait_idle(page, 500)
    assert page.evaluate(f"() => {z_now}") != before
    assert page.locator("[data-testid='stMarkdownContainer'], .gtitle", has_text="Layer 3").count() >= 1
    # the other tabs are computed when opened: the model view's 4 x 4 heads arrive with the click
    page.get_by_role("tab", name="Model view").first.click()
    page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .some((p) => p.data.filter((t) => t.type === 'heatmap').length === 16)""", timeout=120_000)
    wait_idle(page, 500)
    assert_no_exception(page, "03_attention")


def test_polysemy_draws_the_projection(page, server):
    open_page(page, server, "polysemy")
    page.wait_for_selector(".js-plotly-plot", timeout=180_000)
    page.get_by_text("t-SNE", exact=True).first.click()
    page.wait_for_function("() => (document.querySelector('.js-plotly-plot').layout.title.text || '').includes('t-SNE')",
                           timeout=180_000)
    wait_idle(page, 1000)
    points = page.evaluate("() => document.querySelector('.js-plotly-plot').querySelectorAll('.scatterlayer .point').length")
    assert points == 32  # one point per labelled "bank" sentence
    assert_no_exception(page, "04_polysemy")


def test_masking_page_shows_each_strategy(page, server):
    open_page(page, server, "masking?text=The+quick+brown+fox+jumps+over+the+lazy+dog.")
    for strategy in ("bert", "mask-only", "whole-word", "span"):
        page.locator("h4", has_text=strategy).first.wait_for(state="visible")
    page.get_by_text("What the model sees").first.wait_for(state="visible")
    assert_no_exception(page, "05_masking")


def test_masking_page_shows_the_shipped_experiments_without_training(page, server):
    """A fresh server draws every shipped experiment's charts from its data files: no job starts, no model is trained."""
    open_page(page, server, "masking")
    page.locator("h3", has_text="Experiments that ship with the app").first.wait_for(state="visible")
    for title in ("Four masking strategies at 15%", "Masking rate: 15% to 80%", "Why 80/10/10?"):
        page.get_by_role("tab", name=title).first.click()
        panel = page.locator("[role='tabpanel']:visible", has_text="What the numbers say").first
        panel.wait_for(state="visible")
        panel.locator(".js-plotly-plot").nth(2).wait_for(state="visible")  # curves, accuracies, losses
        assert panel.locator("code", has_text="python -m mlm_core experiment").count() >= 1
    assert page.get_by_role("button", name="Cancel").count() == 0  # no comparison runs: nothing was trained to draw them
    assert_no_exception(page, "05b_masking_experiments")


def test_train_page_renders(page, server):
    open_page(page, server, "train")
    radio = page.locator("[data-testid='stRadio']", has_text="Text to train on").first
    radio.wait_for(state="visible")
    assert radio.get_by_text("Bundled sample corpus", exact=True).count() == 1
    assert radio.get_by_text("Upload a text file", exact=True).count() == 1
    page.get_by_text("Start training").first.wait_for(state="visible")
    assert_no_exception(page, "06_train")


def test_wait_idle_waits_until_the_script_has_run(page, server):
    page.goto(f"{server}/polysemy")
    wait_idle(page, 0)
    assert page.evaluate("() => document.querySelector(\"[data-testid='stApp']\").dataset.testScriptState") == "notRunning"
    # the end of the page is there without waiting for it: the run has finished
    assert page.locator("[data-testid='stHeading']", has_text="Downloads").count() == 1
    # the charts came in that run too; the browser draws them a moment later (plotly is a lazily loaded component)
    page.wait_for_function("() => document.querySelectorAll(\"[data-testid='stPlotlyChart']\").length >= 2",
                           timeout=30_000)


# Font sizes of the text itself (a text node's parent), the content width, and text cut short: a label wider than its
# own box (scrollWidth > clientWidth) or than a box that clips it (overflow hidden/clip, or an ellipsis).
MEASURE_JS = """() => {
    const main = document.querySelector("[data-testid='stMainBlockContainer']");
    const sidebar = document.querySelector("section[data-testid='stSidebar']");
    const textSize = (el) => {
        if (!el) return null;
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode())
            if (n.textContent.trim()) return parseFloat(getComputedStyle(n.parentElement).fontSize);
        return null;
    };
    const isIcon = (el) => getComputedStyle(el).fontFamily.includes('Material');
    const body = [...main.querySelectorAll("[data-testid='stMarkdown'] [data-testid='stMarkdownContainer'] p")]
        .find((p) => !p.closest("[data-testid='stCaptionContainer']"));
    const navCut = [];
    for (const link of sidebar.querySelectorAll("[data-testid='stPageLink-NavLink']"))
        for (const el of [link, ...link.querySelectorAll('*')])
            if (!isIcon(el) && el.innerText && el.innerText.trim() && el.scrollWidth > el.clientWidth)
                navCut.push(`${el.innerText.trim()}: ${el.scrollWidth} > ${el.clientWidth}`);
    const clipped = (root) => {
        const out = [];
        const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const text = n.textContent.trim(), el = n.parentElement;
            if (!text || el.closest('svg') || !el.getClientRects().length || isIcon(el)) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            const r = range.getBoundingClientRect();
            if (!r.width) continue;
            for (let a = el; a && a !== root.parentElement; a = a.parentElement) {
                const s = getComputedStyle(a);
                if (['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis') {
                    const box = a.getBoundingClientRect();
                    if (r.right > box.right + 1 || r.left < box.left - 1) { out.push(text.slice(0, 60)); break; }
                }
            }
        }
        return out;
    };
    const style = getComputedStyle(main);
    return {
        root: parseFloat(getComputedStyle(document.documentElement).fontSize),
        h1: textSize(main.querySelector('h1')), heading: textSize(main.querySelector('h2, h3')), body: textSize(body),
        main: main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        navCut, sidebarCut: clipped(sidebar), mainCut: clipped(main),
    };
}"""


def test_projector_mode_scales_everything_uses_the_width_and_stays_on(page, server):
    open_page(page, server, "masking?text=The+quick+brown+fox+jumps+over+the+lazy+dog.")
    page.locator("h3", has_text="One sentence, four strategies").wait_for(state="visible")
    normal = page.evaluate(MEASURE_JS)
    assert normal["h1"] > normal["heading"] > normal["body"], normal
    page.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']", has_text="Large fonts (projector)").click()
    wait_idle(page, 1500)
    assert "large=1" in page.url
    big = page.evaluate(MEASURE_JS)
    page.screenshot(path=str(SHOTS / "07_projector.png"), full_page=True)
    assert big["h1"] > big["heading"] > big["body"] > normal["body"], (normal, big)  # headings stay above the text
    assert big["main"] > normal["main"], (normal, big)  # the content gets the full width
    assert big["navCut"] == [] and big["sidebarCut"] == [], big
    assert big["mainCut"] == [], big
    # Following a sidebar link keeps projector mode on, and in the URL.
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", has_text="Attention").click()
    page.locator("h1", has_text="Attention").wait_for(state="visible")
    wait_idle(page, 1500)
    assert "large=1" in page.url
    again = page.evaluate(MEASURE_JS)
    assert again["root"] == big["root"] > normal["root"] and again["main"] == big["main"], (normal, big, again)
    assert again["navCut"] == [] and again["sidebarCut"] == [], again
    assert_no_exception(page, "08_projector_attention")
