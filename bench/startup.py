"""Workload 'startup': app cold start and widget latency, measured in headless Chromium with Playwright.

  cold start   start `streamlit run app.py --server.headless true --server.port <free port>` in a subprocess and
               poll with Playwright until the home page's "MLM Explorer" title is visible, then until the page is
               complete (the sidebar's model card, shown once the model has loaded, and the links to every page);
               seconds after Popen, the browser already open, as a user's would be. Target ≤ 5 s.
  widget       on /fill_mask (opened with "bank" masked, so a prediction chart is showing), click a word chip and
               time, inside the browser, from the click to the moment the prediction charts change
               (performance.now() at pointerdown → first DOM mutation that changes the charts). Chips are clicked on
               (a new mask, computed) and off again (the cached single-mask analysis). Target ≤ 0.3 s (median).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

from common import ROOT, Stats, WorkloadResult, log, wait_quiet

COLD_TARGET = 5.0
WIDGET_TARGET = 0.3
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SENTENCE = "I went to the bank to deposit money."
CHART = '[data-testid="stPlotlyChart"]'

# In-page instrumentation: the time of the click and of the first mutation that changes the charts.
WATCH_JS = """() => {
  // only charts plotly has drawn (an empty placeholder does not count as a re-render)
  const sig = () => Array.from(document.querySelectorAll('%s')).map(e => e.textContent).filter(t => t.trim()).join('|');
  window.__sig0 = sig(); window.__tclick = null; window.__tchange = null;
  if (window.__obs) window.__obs.disconnect();
  window.__obs = new MutationObserver(() => {
    if (window.__tclick !== null && window.__tchange === null && sig() !== window.__sig0) window.__tchange = performance.now();
  });
  window.__obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  document.addEventListener('pointerdown', () => { if (window.__tclick === null) window.__tclick = performance.now(); },
                            {capture: true, once: true});
}""" % CHART

IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]') &&
  !document.querySelector('[data-stale="true"]')"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """`streamlit run app.py` in its own process group, stopped by its own pid."""

    def __init__(self, data_dir: str):
        self.port = free_port()
        env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", MLM_EXPLORER_DATA_DIR=data_dir)
        env.pop("MLM_BENCH_THREADS", None)
        # stderr to a file: a pipe read only when the server dies would fill up and block a server that logs.
        self._err = tempfile.TemporaryFile()
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self._err, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def wait_for_home(page, app: App, timeout: float = 120.0) -> tuple[float, float]:
    """Seconds from Popen until the home page's title 'MLM Explorer' is visible, and until the page is complete
    (the sidebar's model card, drawn once the bundled model has loaded, and the links to every page)."""
    deadline = app.t0 + timeout
    while True:
        if app.proc.poll() is not None:
            app._err.seek(0)
            raise RuntimeError("streamlit exited: " + app._err.read().decode(errors="replace")[-2000:])
        try:
            page.goto(app.url, wait_until="commit", timeout=2000)
            break
        except Exception:  # noqa: BLE001 - connection refused until the server listens
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.05)
    def visible(locator) -> float:
        locator.first.wait_for(state="visible", timeout=max(1000, (deadline - time.perf_counter()) * 1000))
        return time.perf_counter() - app.t0

    title = visible(page.get_by_role("heading", name=re.compile("MLM Explorer")))
    visible(page.get_by_text(re.compile(r"M parameters")))
    return title, visible(page.get_by_role("link", name=re.compile("Train: your own")))


def wait_idle(page, timeout_ms: int = 60000) -> None:
    page.wait_for_timeout(150)
    page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling=50)


def widget_latencies(page, app: App, n_words: int) -> tuple[list[float], list[float]]:
    """(latencies of clicks that add a mask, of clicks that remove it again), in seconds."""
    from urllib.parse import quote

    page.goto(f"{app.url}/fill_mask?model=bundled&text={quote(SENTENCE)}&masks=4")
    page.locator(CHART).first.wait_for(state="visible", timeout=120000)
    wait_idle(page)
    chips = page.locator('[data-testid="stButtonGroup"]').filter(has_text="deposit").first.locator("button")
    labels = [chips.nth(i).inner_text().strip() for i in range(chips.count())]
    if not labels:
        raise RuntimeError("no word chips found on /fill_mask")
    others = [i for i, t in enumerate(labels) if t.lower() != "bank"][:n_words]
    added, removed = [], []
    for i in others:
        for bucket in (added, removed):  # click on (new mask), then off again
            wait_quiet(15)
            page.evaluate(WATCH_JS)
            chips.nth(i).click()
            page.wait_for_function("() => window.__tchange !== null", timeout=60000, polling="raf")
            bucket.append(page.evaluate("() => (window.__tchange - window.__tclick) / 1000"))
            wait_idle(page)
    return added, removed


def run(quick: bool = False) -> WorkloadResult:
    from playwright.sync_api import sync_playwright

    res = WorkloadResult("startup", quick=quick)
    cold_rounds = 1 if quick else 3
    n_words = 2 if quick else 5
    colds: list[float] = []
    completes: list[float] = []
    added: list[float] = []
    removed: list[float] = []
    widget_error = None
    with tempfile.TemporaryDirectory() as data_dir, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for r in range(cold_rounds):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                wait_quiet()
                app = App(data_dir)
                try:
                    title, complete = wait_for_home(page, app)
                    colds.append(title)
                    completes.append(complete)
                    log(f"startup: cold start {r + 1}/{cold_rounds}: title {title:.2f} s, complete {complete:.2f} s")
                    if r == cold_rounds - 1:
                        try:
                            added, removed = widget_latencies(page, app, n_words)
                        except Exception as err:  # noqa: BLE001 - report, do not crash the suite
                            widget_error = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
                            log(f"startup: widget measurement failed: {widget_error}")
                finally:
                    context.close()
                    app.stop()
        finally:
            browser.close()
    cold, complete = Stats.of(colds), Stats.of(completes)
    res.add("cold start: `streamlit run app.py` → home page title and introduction visible", cold.fmt(" s"),
            f"≤ {COLD_TARGET} s", cold.median <= COLD_TARGET,
            f"{len(colds)} fresh server processes; browser already open; the introduction is drawn before torch is imported",
            key=True)
    res.add("cold start: `streamlit run app.py` → home page complete (model loaded: sidebar model card and page links)",
            complete.fmt(" s"), f"≤ {COLD_TARGET} s", complete.median <= COLD_TARGET,
            "same runs; the page is usable from this moment", key=True)
    both = Stats.of(added + removed)
    if widget_error or not (added or removed):
        res.add("widget change on /fill_mask → prediction chart re-rendered", "not measured", f"≤ {WIDGET_TARGET} s", False,
                widget_error or "no measurement", key=True)
    else:
        res.add("widget change on /fill_mask → prediction chart re-rendered (median)", both.fmt(" s"), f"≤ {WIDGET_TARGET} s",
                both.median <= WIDGET_TARGET,
                f"click a word chip to add a mask (new analysis): {Stats.of(added).fmt(' s')}; click it off again "
                f"(cached analysis): {Stats.of(removed).fmt(' s')}; bundled model, {len(added) + len(removed)} changes",
                key=True)
    res.extra.update(cold=colds, complete=completes, widget_added=added, widget_removed=removed)
    res.ratio, res.ratio_target = complete.median, COLD_TARGET
    res.notes.append("RATIO startup = cold-start seconds until the home page is complete (lower is better); target 5 s.")
    return res
