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
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MLM_EXPLORER_DATA_DIR": str(tmp_path_factory.mktemp("appdata"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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


def wait_idle(page, extra_ms: int = 300) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function("""() => {
        const s = document.querySelector("[data-testid='stStatusWidget']");
        return !s || !s.innerText.includes('Running');
    }""", timeout=180_000)
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


def test_train_page_renders(page, server):
    open_page(page, server, "train")
    radio = page.locator("[data-testid='stRadio']", has_text="Text to train on").first
    radio.wait_for(state="visible")
    assert radio.get_by_text("Bundled sample corpus", exact=True).count() == 1
    assert radio.get_by_text("Upload a text file", exact=True).count() == 1
    page.get_by_text("Start training").first.wait_for(state="visible")
    assert_no_exception(page, "06_train")
