"""Workload 'classroom': one `streamlit run app.py` server, N students at once, a training in the background.

    python bench/classroom.py [--sessions 30] [--duration-s 180] [--no-training] [--browsers 0]
                              [--out bench/out/classroom.json]
    python bench/run.py classroom          # the same with the defaults (not part of the full `run.py` suite)

What it does
  1. Starts `streamlit run app.py` on 127.0.0.1 on a free port (headless, file watcher off, a temporary
     MLM_EXPLORER_DATA_DIR) and samples the RSS and CPU time of the server process and its children every second.
  2. The class arrives: every session connects at about the same time (spread over --arrive-s) and loads its
     first page, so the server's first model load happens under concurrency. Session k opens
     /fill_mask?text=<its own sentence>; every sentence holds a noun no other session uses.
  3. Unless --no-training: one extra session (the teacher) opens /train, sets Steps to --train-steps (default
     100,000, far more than the run lasts) and presses "Start training" on the bundled sample corpus (the
     page's defaults: tiny preset). It keeps the page open, so its progress fragment reruns every second, as in
     a browser. The students start once the training has made its first steps (at most --train-ready-s).
  4. For --duration-s every student repeats: think (--think-s, ±50%); click one word chip (mask it) and time
     click → arrival of *that* mask's prediction chart ("mask 1: <word>"); think; open the Attention page
     (sidebar link) and time click → the heatmap; go back to Fill-mask; click the chip off again. When its
     sentence's words are used up it types its next sentence (every sentence of a session holds its noun).
     Every wait has a timeout (--action-timeout-s); the whole run has a hard limit (--max-total-s).
  5. Reports p50/p95/max latency of the fill-mask clicks and the attention views (and, apart, first loads and
     the other steps), every error (exception boxes, st.error text, timeouts, dropped connections) with its
     exact text, whether every session saw only its own results, the server RSS (start, peak, end, and the
     whole series in the JSON), the training's progress, and the CPU the clients themselves used.

How 30 sessions are driven on a 2-core machine (the design, and why)
  Each session is a protocol-level client (bench/st_protocol.py): an asyncio task that speaks Streamlit's own
  websocket protocol (/_stcore/stream, protobuf BackMsg/ForwardMsg from streamlit.proto), as the frontend
  does. It drives the real widgets: widget ids come from the ForwardMsg deltas, and every rerun carries what
  Chromium sends -- the states of all widgets on the page (with their formatted values), the page's script
  hash and query string, the message-cache hashes -- and it follows page links and `run_every` fragments the
  same way. Checked, not assumed: frames captured from Chromium for the same clicks match these messages, and
  `--browsers N` runs N real Chromium pages (Playwright, one browser, one context, no screenshots) beside the
  protocol sessions, doing the same loop through the DOM; every BackMsg those browsers send is compared with
  what the protocol model, fed the very frames the browser received, would have sent ("parity" in the report).
  Why not 30 Chromium pages: measured here (2 cores), one headless Chromium page spends about 1.3 CPU s per
  action (drawing a ~10 kB prediction chart, or the attention page's ~100 kB of plotly figures), more than the
  server spends computing it (about 0.7 CPU s per action, a few sessions, no training) and ~50x what a protocol
  client spends (about 0.01-0.03 CPU s per action). 30 pages, each acting every few seconds, would need more
  than the machine's 2 cores for the browsers alone: the benchmark would measure Chromium, not the server. The
  report repeats these figures on every run with --browsers (CPU seconds per action of the Chromium processes,
  of this client process and of the server).
  What the protocol clients do not include: the browser's own rendering time after a message arrives, which
  the --browsers sessions do include in their latencies (in-page, pointerdown → figure drawn).

Own results only
  Live, for every click: the chart that arrives must be titled with the session's own word and be the only
  prediction chart; the word chips must be the words of the session's own sentence; the attention heatmap's
  tokens must hold the session's noun and a mask; after going back, the chip must still be selected. After
  the run (server stopped), every chart and heatmap a session was shown is compared with a reference computed
  here with mlm_core on that session's sentence and mask: the same top tokens and probabilities (±2e-3), the
  same attention weights (±2e-3). A result from another session's sentence fails both.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT_DIR, ROOT, WorkloadResult, log  # noqa: E402
from st_protocol import BackMsg, PageModel, StreamlitClient, compare_backmsg, plotly_spec  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Nouns that the bundled tokenizer keeps as one piece; one per session, and in no template.
NOUNS = ("violin tiger river lantern window candle basket hammer mirror cabbage bridge castle harbor tower cottage "
         "forest compass whistle apple potato boat horse dog cat bird fish chair bottle glass cup plate knife bread "
         "cheese butter milk coffee tea sugar salt book letter pen clock watch ring hat coat shirt boot bag box key "
         "door roof floor kitchen bedroom field hill mountain lake sea island ship train car road street town city "
         "church school hospital shop bank farm cow pig sheep wolf fox bear lion snake frog piano guitar drum bell "
         "lamp bed desk map flag sword shield crown stone rock tree flower rose grass leaf wood fire rain snow wind "
         "cloud star moon sun").split()
TEMPLATES = (
    "My sister found an old {w} behind our house last winter.",
    "Everyone in the village talked about the {w} for weeks.",
    "He carried a heavy {w} slowly up the narrow stairs.",
    "We painted a small {w} on the front of the card.",
)
WORD_RE = re.compile(r"^[A-Za-z]+$")
FILL_KEY, CHIPS_KEY, TEXT_KEY, HEATMAP_KEY = "fm_bar_1", "fm_word_chips", "fm_text", "attention_heatmap"
TOP_K = 10
TOLERANCE = 2e-3
TIMED = ("fill_mask", "attention")
OTHER_ACTIONS = ("first_load", "back_to_fill_mask", "unmask", "new_sentence")


@dataclass
class Config:
    sessions: int = 30
    duration_s: float = 180.0
    training: bool = True
    browsers: int = 0
    think_s: float = 2.0
    arrive_s: float = 3.0
    action_timeout_s: float = 120.0
    first_load_timeout_s: float = 240.0
    train_ready_s: float = 300.0
    train_steps: int = 100_000
    max_total_s: float | None = None
    seed: int = 0
    out: str = str(OUT_DIR / "classroom.json")
    keep_log: bool = False

    def hard_limit(self) -> float:
        return self.max_total_s or (self.duration_s + 900.0)


def sentences_for(session: int) -> list[str]:
    noun = NOUNS[session]
    k = session % len(TEMPLATES)
    return [t.format(w=noun) for t in TEMPLATES[k:] + TEMPLATES[:k]]


def clickable(labels: list[str]) -> list[str]:
    """Chip labels that are plain words and occur once in the sentence (so a label names one word; the app marks
    repeats with invisible suffixes)."""
    lower = [lab.replace("\u200b", "").lower() for lab in labels]
    return [lab for lab in labels if WORD_RE.match(lab) and lower.count(lab.lower()) == 1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))  # nearest rank
    return s[k]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values) if values else float("nan"), "mean": sum(values) / len(values) if values else float("nan")}


def decode_array(v):
    """A plotly array: a plain list, or {'dtype', 'bdata' (base64), 'shape'} as plotly.py 6+ writes numpy arrays."""
    if isinstance(v, dict) and "bdata" in v:
        import numpy as np

        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        if v.get("shape"):
            arr = arr.reshape([int(x) for x in str(v["shape"]).split(",")])
        return arr.tolist()
    return v


# ====================================================================================== server and sampling


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` in its own process group; stderr/stdout to a log file; stopped by its own pid."""

    def __init__(self, data_dir: str, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", MLM_EXPLORER_DATA_DIR=data_dir)
        env.pop("MLM_BENCH_THREADS", None)
        self._log = open(log_path, "wb")
        self.returncode: int | None = None
        self.exited_before_stop: int | None = None
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}: {self.log_tail(2000)}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.t0
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the server did not answer /_stcore/health within {timeout:.0f} s")
            time.sleep(0.2)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        self.exited_before_stop = self.proc.poll()
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        self.returncode = self.proc.returncode
        self._log.close()


class Sampler(threading.Thread):
    """Every `interval` s: RSS and CPU time of the server and its children, of Chromium, of this process, and
    the machine's busy cores."""

    def __init__(self, server_pid: int, interval: float = 1.0):
        super().__init__(name="rss-sampler", daemon=True)
        import psutil

        self.psutil = psutil
        self.server = psutil.Process(server_pid)
        self.me = psutil.Process()
        self.interval = interval
        self.t0 = time.perf_counter()
        self.series: list[dict] = []
        self.marks: dict[str, float] = {}
        self.failures = 0
        self._cpu: dict[str, dict] = {}
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def mark(self, name: str) -> None:
        self.marks[name] = round(time.perf_counter() - self.t0, 2)

    def _tree(self, proc) -> list:
        try:
            return [proc] + proc.children(recursive=True)
        except self.psutil.Error:
            return []

    def _cpu_rss(self, group: str, procs) -> tuple[float, int]:
        """CPU seconds (monotonic: a process that has exited keeps its last reading) and current RSS of a group."""
        seen = self._cpu.setdefault(group, {})
        rss = 0
        for p in procs:
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    seen[(p.pid, p.create_time())] = t.user + t.system
                    rss += p.memory_info().rss
            except self.psutil.Error:
                pass
        return sum(seen.values()), rss

    def sample(self) -> dict:
        server_procs = self._tree(self.server)
        server_pids = {p.pid for p in server_procs}
        mine = [p for p in self._tree(self.me)[1:] if p.pid not in server_pids]
        chrome = [p for p in mine if "chrom" in self._proc_name(p)]
        s_cpu, s_rss = self._cpu_rss("server", server_procs)
        c_cpu, c_rss = self._cpu_rss("chromium", chrome)
        d_cpu, _ = self._cpu_rss("driver", [p for p in mine if p not in chrome])  # e.g. Playwright's node driver
        m = self.me.cpu_times()
        sys_t = self.psutil.cpu_times()
        try:
            nice = self.server.nice()
        except self.psutil.Error:
            nice = None
        return {"t": round(time.perf_counter() - self.t0, 2), "server_rss_mb": round(s_rss / 2**20, 1),
                "server_procs": len(server_procs), "server_cpu_s": round(s_cpu, 2), "chromium_rss_mb": round(c_rss / 2**20, 1),
                "chromium_cpu_s": round(c_cpu, 2), "driver_cpu_s": round(d_cpu, 2),
                "client_cpu_s": round(m.user + m.system, 2), "server_nice": nice,
                "machine_busy_s": round(sum(sys_t) - sys_t.idle - getattr(sys_t, "iowait", 0), 2)}

    @staticmethod
    def _proc_name(p) -> str:
        try:
            return p.name().lower()
        except Exception:  # noqa: BLE001
            return ""

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                s = self.sample()
                with self._lock:
                    self.series.append(s)
            except Exception as err:  # noqa: BLE001 - the server may be gone at the very end
                self.failures += 1
                if self.failures <= 3:
                    log(f"classroom: sampling failed: {type(err).__name__}: {err}")
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def at(self, mark: str) -> dict | None:
        t = self.marks.get(mark)
        if t is None:
            return None
        with self._lock:
            after = [s for s in self.series if s["t"] >= t]
        return after[0] if after else (self.series[-1] if self.series else None)


# ====================================================================================== recording


@dataclass
class Action:
    session: str
    kind: str
    t: float  # seconds since the start of the load phase
    latency_s: float | None  # click -> the awaited element (None when it never came)
    run_s: float | None  # click -> the script run finished
    ok: bool
    fresh: bool | None = None  # fill-mask: first time this (sentence, mask) was asked on the server
    word: str = ""
    error: str = ""


@dataclass
class Recorder:
    t0: float = 0.0
    load_start: float | None = None
    load_end: float | None = None
    actions: list[Action] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)
    live_checks: int = 0
    asked: set = field(default_factory=set)
    parity: list[dict] = field(default_factory=list)
    training: dict = field(default_factory=dict)

    def now(self) -> float:
        return time.perf_counter() - (self.load_start or self.t0)

    def error(self, session: str, kind: str, text: str, action: str = "") -> None:
        self.errors.append({"session": session, "kind": kind, "action": action, "t": round(self.now(), 2),
                            "text": text[:4000]})
        log(f"classroom: ERROR {session} {action}: {kind}: {text.splitlines()[0][:300] if text else ''}")

    def problems(self, session: str, action: str, problems) -> int:
        n = 0
        for p in problems:
            if p.kind == "warning":
                self.warnings.append({"session": session, "action": action, "text": p.text[:1000]})
            else:
                self.error(session, p.kind, p.text, action)
                n += 1
        return n

    def violation(self, session: str, what: str, detail: str) -> None:
        self.violations.append({"session": session, "what": what, "detail": detail[:2000], "t": round(self.now(), 2)})
        log(f"classroom: NOT OWN RESULT {session}: {what}: {detail[:300]}")

    def add(self, a: Action) -> None:
        self.actions.append(a)


def chart_title(spec: dict) -> str:
    title = spec.get("layout", {}).get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title or "")


def title_matches(title: str, word: str) -> bool:
    return title == f"mask 1: {word}" or title.startswith(f"mask 1: {word}, piece 1 of")


# ====================================================================================== protocol sessions


class Student:
    """One student over the websocket protocol."""

    def __init__(self, index: int, base_url: str, cfg: Config, rec: Recorder):
        self.index = index
        self.name = f"s{index:02d}"
        self.cfg = cfg
        self.rec = rec
        self.rng = random.Random(cfg.seed * 100_003 + index)
        self.sentences = sentences_for(index)
        self.noun = NOUNS[index]
        self.sentence_no = 0
        self.client = StreamlitClient(base_url, self.name)
        self.words: list[str] = []
        self.labels: list[str] = []
        self.alive = True
        self.shown_errors = 0
        self.stopped_early = False
        self._full0 = 0

    @property
    def sentence(self) -> str:
        return self.sentences[self.sentence_no % len(self.sentences)]

    async def think(self, scale: float = 1.0) -> None:
        if self.cfg.think_s > 0:
            await asyncio.sleep(self.cfg.think_s * scale * self.rng.uniform(0.5, 1.5))

    def _chips(self, after_seq: int):
        seen = self.client.element(CHIPS_KEY, after_seq)
        return [o.content for o in seen.el.options] if seen is not None else None

    def _check_chips(self, labels: list[str] | None, action: str) -> bool:
        self.rec.live_checks += 1
        if labels is None:
            self.rec.violation(self.name, f"{action}: no word chips on /fill_mask", f"sentence {self.sentence!r}")
            return False
        words = [lab.replace("\u200b", "") for lab in labels]
        if self.noun not in [w.lower() for w in words] or "".join(words).replace(" ", "") != \
                re.sub(r"\s+", "", self.sentence):
            self.rec.violation(self.name, f"{action}: the word chips are not this session's sentence",
                               f"chips {words} for sentence {self.sentence!r}")
            return False
        return True

    async def _finish(self, sent, action: str) -> float | None:
        """Wait for the run to end; record the problems it showed. Returns the run time or None (timed out)."""
        try:
            t = await self.client.wait_run(sent, self.cfg.action_timeout_s)
        except (asyncio.TimeoutError, TimeoutError):
            self.rec.error(self.name, "timeout", f"the script run did not finish within {self.cfg.action_timeout_s:.0f} s",
                           action)
            return None
        self.shown_errors = self.rec.problems(self.name, action, self.client.problems_since(sent))
        return t - sent.t

    async def arrive(self, delay: float) -> None:
        await asyncio.sleep(delay)
        t0 = time.perf_counter()
        try:
            await self.client.connect(30)
            sent = await self.client.open("fill_mask", urlencode({"text": self.sentence}), 30)
            sent.t = t0
            try:
                t, _ = await self.client.wait_for(lambda: self._chips(sent.seq), self.cfg.first_load_timeout_s)
                latency = t - t0
            except (asyncio.TimeoutError, TimeoutError):
                latency = None
                self.rec.error(self.name, "timeout", "no word chips within the first-load timeout", "first_load")
            run = await self._finish(sent, "first_load")
            labels = self._chips(sent.seq)
            ok = latency is not None and run is not None and self._check_chips(labels, "first load")
            self.rec.add(Action(self.name, "first_load", self.rec.now(), latency, run, ok))
            self.labels = labels or []
        except Exception as err:  # noqa: BLE001 - a session that cannot start is an error, not a crash
            self.rec.error(self.name, "session", f"{type(err).__name__}: {err}", "first_load")
            self.alive = False

    def _next_words(self) -> None:
        self.words = clickable(self.labels)
        self.rng.shuffle(self.words)

    async def new_sentence(self) -> bool:
        self.sentence_no += 1
        sent = await self.client.set_widget(TEXT_KEY, self.sentence, self.cfg.action_timeout_s)
        try:
            t, _ = await self.client.wait_for(lambda: self._chips(sent.seq), self.cfg.action_timeout_s)
            latency = t - sent.t
        except (asyncio.TimeoutError, TimeoutError):
            latency = None
            self.rec.error(self.name, "timeout", "no word chips for the new sentence", "new_sentence")
        run = await self._finish(sent, "new_sentence")
        labels = self._chips(sent.seq)
        ok = latency is not None and run is not None and self._check_chips(labels, "new sentence")
        self.rec.add(Action(self.name, "new_sentence", self.rec.now(), latency, run, ok))
        self.labels = labels or []
        self._next_words()
        return bool(self.words) and run is not None

    def _fill_chart(self, after_seq: int):
        seen = self.client.element(FILL_KEY, after_seq)
        if seen is not None:
            return seen
        return "finished" if self.client.model.full_finishes > self._full0 else None

    async def fill_mask(self, word: str) -> bool:
        key = (self.sentence, word)
        fresh = key not in self.rec.asked
        self.rec.asked.add(key)
        sent = await self.client.set_widget(CHIPS_KEY, [word], self.cfg.action_timeout_s)
        self._full0 = sent.full
        latency, ok, error, seen, t = None, False, "", None, 0.0
        try:
            t, seen = await self.client.wait_for(lambda: self._fill_chart(sent.seq), self.cfg.action_timeout_s)
        except (asyncio.TimeoutError, TimeoutError):
            error = f"no prediction chart within {self.cfg.action_timeout_s:.0f} s"
            self.rec.error(self.name, "timeout", error, "fill_mask")
        run = await self._finish(sent, "fill_mask")
        if seen == "finished":
            seen, error = None, "the run finished without a prediction chart"
            if not self.shown_errors:  # else the exception or error text it showed is the error
                self.rec.error(self.name, "missing", error, "fill_mask")
        if seen is not None:
            spec = plotly_spec(seen)
            title = chart_title(spec)
            self.rec.live_checks += 1
            extra = [k for k in ("fm_bar_2", "fm_bar_3") if self.client.element(k, sent.seq)]
            if not title_matches(title, word) or extra:
                self.rec.violation(self.name, "fill-mask chart for another mask",
                                   f"clicked {word!r} in {self.sentence!r}, got chart {title!r}"
                                   + (f" and charts {extra}" if extra else ""))
            else:
                ok = True
                latency = t - sent.t
                trace = spec["data"][0]
                self.rec.observations.append({"session": self.name, "kind": "fill_mask", "sentence": self.sentence,
                                              "word": word, "tokens": list(decode_array(trace.get("customdata", []))),
                                              "probs": list(decode_array(trace.get("x", [])))})
        ok = ok and run is not None
        self.rec.add(Action(self.name, "fill_mask", self.rec.now(), latency, run, ok, fresh, word, error))
        return run is not None

    def _heatmap(self, after_seq: int):
        seen = self.client.element(HEATMAP_KEY, after_seq)
        if seen is not None:
            return seen
        return "finished" if self.client.model.full_finishes > self._full0 else None

    async def attention(self, word: str) -> bool:
        sent = await self.client.navigate("attention", self.cfg.action_timeout_s)
        self._full0 = sent.full
        latency, ok, error, seen, t = None, False, "", None, 0.0
        try:
            t, seen = await self.client.wait_for(lambda: self._heatmap(sent.seq), self.cfg.action_timeout_s)
        except (asyncio.TimeoutError, TimeoutError):
            error = f"no attention heatmap within {self.cfg.action_timeout_s:.0f} s"
            self.rec.error(self.name, "timeout", error, "attention")
        run = await self._finish(sent, "attention")
        if seen == "finished":
            seen, error = None, "the run finished without an attention heatmap"
            if not self.shown_errors:
                self.rec.error(self.name, "missing", error, "attention")
        if seen is not None:
            spec = plotly_spec(seen)
            labels = list(decode_array(spec.get("layout", {}).get("yaxis", {}).get("ticktext", [])))
            self.rec.live_checks += 1
            lowered = [str(x).lower() for x in labels]
            if self.noun not in lowered and word.lower() != self.noun:
                self.rec.violation(self.name, "attention heatmap of another sentence",
                                   f"tokens {labels} for sentence {self.sentence!r}")
            elif not any("mask" in x for x in lowered):
                self.rec.violation(self.name, "attention heatmap without this session's mask",
                                   f"tokens {labels}, masked {word!r} in {self.sentence!r}")
            else:
                ok = True
                latency = t - sent.t
                self.rec.observations.append({"session": self.name, "kind": "attention", "sentence": self.sentence,
                                              "word": word, "tokens": labels,
                                              "z": decode_array(spec["data"][0].get("z", []))})
        ok = ok and run is not None
        self.rec.add(Action(self.name, "attention", self.rec.now(), latency, run, ok, None, word, error))
        return run is not None

    async def back(self, word: str) -> bool:
        sent = await self.client.navigate("fill_mask", self.cfg.action_timeout_s)
        try:
            t, _ = await self.client.wait_for(lambda: self._chips(sent.seq), self.cfg.action_timeout_s)
            latency = t - sent.t
        except (asyncio.TimeoutError, TimeoutError):
            latency = None
            self.rec.error(self.name, "timeout", "no word chips after going back to /fill_mask", "back_to_fill_mask")
        run = await self._finish(sent, "back_to_fill_mask")
        labels = self._chips(sent.seq)
        ok = latency is not None and run is not None and self._check_chips(labels, "back to fill-mask")
        chips = self.client.model.widgets.get(self.client.model.widget_id(CHIPS_KEY) or "")
        if ok and chips is not None and list(chips.string_array_value.data) != [word]:
            self.rec.violation(self.name, "the mask did not survive the page change",
                               f"chips selected {list(chips.string_array_value.data)}, expected [{word!r}]")
        self.rec.add(Action(self.name, "back_to_fill_mask", self.rec.now(), latency, run, ok, None, word))
        return run is not None

    async def unmask(self, word: str) -> bool:
        sent = await self.client.set_widget(CHIPS_KEY, [], self.cfg.action_timeout_s)
        run = await self._finish(sent, "unmask")
        self.rec.add(Action(self.name, "unmask", self.rec.now(), run, run, run is not None, None, word))
        return run is not None

    async def loop(self, start: asyncio.Event, deadline: float) -> None:
        if not self.alive:
            return
        await start.wait()
        self._next_words()
        try:
            while time.perf_counter() < deadline:
                if not self.words and not await self.new_sentence():
                    break
                if not self.words:
                    break
                word = self.words.pop()
                await self.think()
                if time.perf_counter() >= deadline or not await self.fill_mask(word):
                    break
                await self.think()
                if time.perf_counter() >= deadline or not await self.attention(word):
                    break
                await self.think(0.3)
                if not await self.back(word):
                    break
                await self.think(0.3)
                if not await self.unmask(word):
                    break
        except Exception as err:  # noqa: BLE001 - a broken session is reported, the others go on
            self.rec.error(self.name, "session", f"{type(err).__name__}: {err}", "loop")
        self.stopped_early = time.perf_counter() < deadline
        self.alive = False


class Teacher:
    """The extra session that starts the training on the Train page and keeps the page open."""

    def __init__(self, base_url: str, cfg: Config, rec: Recorder):
        self.cfg = cfg
        self.rec = rec
        self.client = StreamlitClient(base_url, "teacher")
        self.ready = asyncio.Event()
        self.progress: list[tuple[float, int, int]] = []

    def _progress(self) -> tuple[int, int] | None:
        for s in self.client.elements("progress"):
            m = re.search(r"step ([\d,]+) / ([\d,]+)", s.el.text)
            if m:
                return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        return None

    def _metric(self, label: str) -> str | None:
        for s in self.client.elements("metric"):
            if s.el.label == label:
                return s.el.body
        return None

    async def start(self, delay: float) -> None:
        t0 = time.perf_counter()
        info = self.rec.training
        info.update(requested_steps=self.cfg.train_steps, started=False)
        try:
            await asyncio.sleep(delay)
            await self.client.connect(30)
            sent = await self.client.open("train", "", 30)
            await self.client.wait_run(sent, self.cfg.first_load_timeout_s)
            self.rec.problems("teacher", "open /train", self.client.problems_since(sent))
            info["page_s"] = round(time.perf_counter() - t0, 2)
            if self.client.element("train_start") is None:
                raise RuntimeError("no 'Start training' button on /train")
            sent = await self.client.set_widget("train_steps", self.cfg.train_steps, self.cfg.action_timeout_s)
            await self.client.wait_run(sent, self.cfg.action_timeout_s)
            sent = await self.client.set_widget("train_start", True, self.cfg.action_timeout_s)
            await self.client.wait_run(sent, self.cfg.action_timeout_s)
            problems = self.client.problems_since(sent)
            self.rec.problems("teacher", "start training", problems)
            if problems:  # e.g. "Another training is running on this server"
                raise RuntimeError("pressing Start training showed: " + " | ".join(p.text for p in problems)[:1000])
            info["started"] = True
            info["start_clicked_s"] = round(time.perf_counter() - t0, 2)
            t, (step, total) = await self.client.wait_for(self._progress, self.cfg.train_ready_s)
            info.update(first_step_s=round(t - t0, 2), total_steps=total)
            log(f"classroom: training is running (step {step} of {total}, {t - t0:.0f} s after the teacher arrived)")
        except (asyncio.TimeoutError, TimeoutError):
            self.rec.error("teacher", "timeout", "the training did not start or make a first step in time", "training")
        except Exception as err:  # noqa: BLE001
            self.rec.error("teacher", "session", f"{type(err).__name__}: {err}", "training")
        finally:
            self.ready.set()

    async def watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            p = self._progress()
            if p and (not self.progress or self.progress[-1][1] != p[0]):
                self.progress.append((round(self.rec.now(), 1), p[0], p[1]))
            failed = [s.el.body for s in self.client.elements("alert") if s.el.body.startswith("Training failed")]
            if failed and not self.rec.training.get("failed"):
                self.rec.training["failed"] = failed[0]
                self.rec.error("teacher", "error", failed[0], "training")
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except (asyncio.TimeoutError, TimeoutError):
                pass

    def finish(self) -> None:
        info = self.rec.training
        info["progress"] = self.progress
        info["tokens_per_s_shown"] = self._metric("Tokens / s")
        info["auto_reruns_sent"] = self.client.stats.auto_reruns_sent
        load = [(t, s) for t, s, _ in self.progress if t >= 0]
        if len(load) >= 2:
            (t0, s0), (t1, s1) = load[0], load[-1]
            info.update(steps_during_load=s1 - s0, steps_per_s=round((s1 - s0) / max(t1 - t0, 1e-9), 2))
        if self.progress:
            info["last_step"] = self.progress[-1][1]
            info["finished_before_end"] = self.progress[-1][1] >= self.progress[-1][2]


# ====================================================================================== real browsers


ERRORS_JS = """() => Array.from(document.querySelectorAll(
  '[data-testid="stException"], [data-testid="stAlertContentError"]')).map(e => e.innerText.slice(0, 2000))"""
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]') &&
  !document.querySelector('[data-stale="true"]')"""
ARM_JS = """() => { window.__t0 = null; window.__t1 = null;
  document.addEventListener('pointerdown', () => { if (window.__t0 === null) window.__t0 = performance.now(); },
                            {capture: true, once: true}); }"""
CHART_JS = """(title) => { for (const el of document.querySelectorAll('.js-plotly-plot')) {
    const t = (el.layout && el.layout.title ? (el.layout.title.text || '') : '').replace(/<[^>]*>/g, '');
    if (t === title || t.startsWith(title + ', piece 1 of')) {
      if (window.__t1 === null) window.__t1 = performance.now(); return true; } }
  return false; }"""
CHART_DATA_JS = """(title) => {
  const plain = (v) => {  // a plotly array: plain, typed, nested, or {dtype, bdata, shape} as sent
    if (v == null) return null;
    if (v.bdata !== undefined) return {dtype: v.dtype, bdata: v.bdata, shape: v.shape};
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (Array.isArray(v)) return v.map(r => (r != null && (Array.isArray(r) || ArrayBuffer.isView(r))) ? Array.from(r) : r);
    return null; };
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    const t = (el.layout && el.layout.title ? (el.layout.title.text || '') : '').replace(/<[^>]*>/g, '');
    if (t === title || t.startsWith(title + ', piece 1 of')) {
      const d = el.data[0];
      return {tokens: plain(d.customdata) || [], probs: plain(d.x) || [],
              ticktext: Array.from((el.layout.yaxis || {}).ticktext || []),
              z: plain(d.z)}; } }
  return null; }"""


TITLES_JS = """() => ({url: location.pathname, charts: Array.from(document.querySelectorAll('.js-plotly-plot'),
  el => el.layout && el.layout.title ? el.layout.title.text : null),
  alerts: Array.from(document.querySelectorAll('[data-testid="stAlertContainer"]'), e => e.innerText.slice(0, 200)),
  running: !!document.querySelector('[data-testid="stStatusWidget"]')})"""


class BrowserStudent:
    """A real Chromium page doing the students' loop through the DOM, and a parity check of what it sends."""

    def __init__(self, index: int, page, base_url: str, cfg: Config, rec: Recorder):
        self.index = index
        self.name = f"b{index:02d}"
        self.page = page
        self.base_url = base_url
        self.cfg = cfg
        self.rec = rec
        self.rng = random.Random(cfg.seed * 100_003 + index)
        self.sentence = sentences_for(index)[0]
        self.noun = NOUNS[index]
        self.model = PageModel()
        self.expect: set[str] = set()
        self.sent_count = 0
        page.on("websocket", self._on_ws)
        page.set_default_timeout(cfg.action_timeout_s * 1000)

    # -- parity: what the browser sends vs what the protocol model would send, fed the same frames
    def _on_ws(self, ws) -> None:
        if "_stcore/stream" not in ws.url:
            return
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:
        try:
            self.model.feed(payload if isinstance(payload, bytes) else payload.encode("latin-1"))
        except Exception as err:  # noqa: BLE001
            self.rec.parity.append({"session": self.name, "ok": False, "detail": f"cannot decode a ForwardMsg: {err}"})

    def _sent(self, payload) -> None:
        try:
            msg = BackMsg()
            msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("latin-1"))
        except Exception as err:  # noqa: BLE001
            self.rec.parity.append({"session": self.name, "ok": False, "detail": f"cannot decode a BackMsg: {err}"})
            return
        if msg.WhichOneof("type") != "rerun_script":
            return
        self.sent_count += 1
        diff = compare_backmsg(msg, self.model)
        unexpected = sorted(set(diff["differs"]) - self.expect)
        ok = not unexpected and not diff["missing"] and not diff["extra"] and diff["page_hash_ok"] and diff["query_ok"]
        self.rec.parity.append({"session": self.name, "kind": diff["kind"], "ok": ok,
                                "changed": sorted(diff["differs"]),
                                "detail": "" if ok else json.dumps({k: v for k, v in diff.items()}, default=str)[:1500]})
        if diff["kind"] == "navigate":
            self.model.widgets = {}
        else:
            for ws in msg.rerun_script.widget_states.widgets:
                if ws.WhichOneof("value") != "trigger_value":
                    self.model.widgets[ws.id] = ws

    async def think(self, scale: float = 1.0) -> None:
        if self.cfg.think_s > 0:
            await asyncio.sleep(self.cfg.think_s * scale * self.rng.uniform(0.5, 1.5))

    async def idle(self) -> None:
        await self.page.wait_for_timeout(150)
        await self.page.wait_for_function(IDLE_JS, timeout=self.cfg.action_timeout_s * 1000, polling=100)

    async def check_errors(self, action: str) -> None:
        for text in await self.page.evaluate(ERRORS_JS):
            self.rec.error(self.name, "browser", text, action)

    def chips(self):
        return self.page.locator('[data-testid="stButtonGroup"]').filter(has_text=self.noun).first

    async def arrive(self, delay: float) -> None:
        self.words: list[str] = []
        try:
            await asyncio.sleep(delay)
            t0 = time.perf_counter()
            await self.page.goto(f"{self.base_url}/fill_mask?{urlencode({'text': self.sentence})}", wait_until="commit")
            await self.chips().locator("button").first.wait_for(state="visible",
                                                                  timeout=self.cfg.first_load_timeout_s * 1000)
            latency = time.perf_counter() - t0
            await self.idle()
            await self.check_errors("first_load")
            labels = [t.strip() for t in await self.chips().locator("button").all_inner_texts()]
            self.rec.add(Action(self.name, "first_load", self.rec.now(), latency, time.perf_counter() - t0, True))
            self.words = clickable(labels)
        except Exception as err:  # noqa: BLE001
            kind = "timeout" if "Timeout" in type(err).__name__ else "browser"
            self.rec.error(self.name, kind, f"{type(err).__name__}: {str(err)[:500]}", "first_load")

    async def timed(self, click, title: str) -> tuple[float, dict | None]:
        await self.page.evaluate(ARM_JS)
        await click()
        await self.page.wait_for_function(CHART_JS, arg=title, timeout=self.cfg.action_timeout_s * 1000, polling="raf")
        latency = await self.page.evaluate("() => (window.__t1 - window.__t0) / 1000")
        data = await self.page.evaluate(CHART_DATA_JS, title)
        return latency, data

    async def loop(self, start: asyncio.Event, deadline: float) -> None:
        await start.wait()
        words = self.words
        if not words:
            return
        queue: list[str] = []
        while time.perf_counter() < deadline:
            if not queue:
                queue = list(words)
                self.rng.shuffle(queue)
            word = queue.pop()
            action = "fill_mask"
            try:
                await self.think()
                key = (self.sentence, word)
                fresh = key not in self.rec.asked
                self.rec.asked.add(key)
                button = self.chips().locator("button").filter(has_text=re.compile(f"^{re.escape(word)}$")).first
                self.expect = {CHIPS_KEY}
                t0 = time.perf_counter()
                latency, data = await self.timed(button.click, f"mask 1: {word}")
                await self.idle()
                run = time.perf_counter() - t0
                await self.check_errors(action)
                self.rec.add(Action(self.name, action, self.rec.now(), latency, run, True, fresh, word))
                if data:
                    self.rec.observations.append({"session": self.name, "kind": "fill_mask", "sentence": self.sentence,
                                                  "word": word, "tokens": decode_array(data["tokens"]),
                                                  "probs": decode_array(data["probs"])})
                if time.perf_counter() >= deadline:
                    break
                action = "attention"
                await self.think()
                self.expect = set()
                link = self.page.get_by_role("link", name="Attention", exact=True).first
                t0 = time.perf_counter()
                latency, data = await self.timed(link.click, "Layer 0, head 0")
                await self.idle()
                run = time.perf_counter() - t0
                await self.check_errors(action)
                self.rec.add(Action(self.name, action, self.rec.now(), latency, run, True, None, word))
                if data:
                    self.rec.observations.append({"session": self.name, "kind": "attention", "sentence": self.sentence,
                                                  "word": word, "tokens": decode_array(data["ticktext"]),
                                                  "z": decode_array(data["z"])})
                action = "back_to_fill_mask"
                await self.think(0.3)
                t0 = time.perf_counter()
                await self.page.get_by_role("link", name="Fill-mask", exact=True).first.click()
                await self.chips().locator("button").first.wait_for(state="visible")
                await self.idle()
                await self.check_errors(action)
                self.rec.add(Action(self.name, action, self.rec.now(), time.perf_counter() - t0,
                                    time.perf_counter() - t0, True, None, word))
                action = "unmask"
                await self.think(0.3)
                self.expect = {CHIPS_KEY}
                t0 = time.perf_counter()
                await button.click()
                await self.page.get_by_text("Nothing is masked yet").first.wait_for(state="visible")
                await self.idle()
                await self.check_errors(action)
                self.rec.add(Action(self.name, action, self.rec.now(), time.perf_counter() - t0,
                                    time.perf_counter() - t0, True, None, word))
            except Exception as err:  # noqa: BLE001 - a timeout or a broken page: record it and stop this page
                kind = "timeout" if "Timeout" in type(err).__name__ else "browser"
                try:
                    seen = await asyncio.wait_for(self.page.evaluate(TITLES_JS), 10)
                except Exception:  # noqa: BLE001
                    seen = "?"
                self.rec.error(self.name, kind, f"{type(err).__name__}: {str(err)[:800]} (word {word!r}; on the page: "
                               f"{seen})", action)
                self.rec.add(Action(self.name, action, self.rec.now(), None, None, False, None, word, str(err)[:200]))
                break


# ====================================================================================== the run


async def classroom(cfg: Config, server: Server, sampler: Sampler, rec: Recorder, hard_deadline: float) -> dict:
    rec.t0 = time.perf_counter()
    students = [Student(i, server.url, cfg, rec) for i in range(cfg.sessions)]
    teacher = Teacher(server.url, cfg, rec) if cfg.training else None
    rng = random.Random(cfg.seed)
    start = asyncio.Event()
    stop_watch = asyncio.Event()
    info: dict = {}
    pw_cm = browser = None
    browsers: list[BrowserStudent] = []

    try:
        if cfg.browsers:
            from playwright.async_api import async_playwright

            pw_cm = async_playwright()
            pw = await pw_cm.__aenter__()
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            for j in range(cfg.browsers):
                page = await context.new_page()
                browsers.append(BrowserStudent(cfg.sessions + j, page, server.url, cfg, rec))

        sampler.mark("arrival")
        log(f"classroom: {cfg.sessions} protocol session(s){f', {cfg.browsers} browser page(s)' if cfg.browsers else ''}"
            f"{' and the teacher' if teacher else ''} arrive")
        arrivals = [s.arrive(rng.uniform(0, cfg.arrive_s)) for s in students]
        arrivals += [b.arrive(rng.uniform(0, cfg.arrive_s)) for b in browsers]
        if teacher:
            arrivals.append(teacher.start(rng.uniform(0, cfg.arrive_s)))
        budget = max(10.0, hard_deadline - time.perf_counter() - cfg.duration_s - 60)
        await asyncio.wait_for(asyncio.gather(*arrivals), budget)
        if teacher:
            await teacher.ready.wait()
        sampler.mark("load_start")
        rec.load_start = time.perf_counter()
        for a in rec.actions:  # arrival actions: times relative to the load phase (negative)
            a.t = round(a.t - (rec.load_start - rec.t0), 2)
        deadline = rec.load_start + cfg.duration_s
        log(f"classroom: load phase: {cfg.duration_s:.0f} s, {sum(s.alive for s in students)} live protocol session(s)")
        watch = asyncio.create_task(teacher.watch(stop_watch)) if teacher else None
        start.set()
        loops = [asyncio.create_task(s.loop(start, deadline)) for s in students + browsers]
        if not loops:  # only the training: watch it for the duration
            loops = [asyncio.create_task(asyncio.sleep(max(0.0, deadline - time.perf_counter())))]
        remaining = max(10.0, hard_deadline - time.perf_counter() - 30)
        done, pending = await asyncio.wait(loops, timeout=remaining)
        for t in pending:
            t.cancel()
            rec.error("runner", "timeout", "a session was still running at the hard time limit and was cancelled", "loop")
        rec.load_end = time.perf_counter()
        sampler.mark("load_end")
        stop_watch.set()
        if watch:
            await asyncio.wait_for(watch, 10)
            teacher.finish()
        info["protocol_bytes_in"] = sum(s.client.model.bytes_in for s in students)
        info["protocol_messages_in"] = sum(s.client.model.messages_in for s in students)
        info["protocol_messages_out"] = sum(s.client.stats.sent for s in students)
        info["cache_hits"] = sum(s.client.model.cache_hits for s in students)
        info["browser_backmsgs"] = sum(b.sent_count for b in browsers)
        info["sessions_stopped_early"] = [s.name for s in students if s.stopped_early or not s.client.model.messages_in]
    finally:
        closers = [s.client.close() for s in students] + ([teacher.client.close()] if teacher else [])
        try:
            await asyncio.wait_for(asyncio.gather(*closers, return_exceptions=True), 20)
        except (asyncio.TimeoutError, TimeoutError):
            pass
        if browser is not None:
            try:
                await asyncio.wait_for(browser.close(), 20)
            except Exception:  # noqa: BLE001
                pass
        if pw_cm is not None:
            try:
                await asyncio.wait_for(pw_cm.__aexit__(None, None, None), 20)
            except Exception:  # noqa: BLE001
                pass
    return info


# ====================================================================================== checks after the run


def reference_check(rec: Recorder) -> dict:
    """Compare every chart and heatmap a session was shown with mlm_core's results for its sentence and mask."""
    out = {"checked": 0, "failed": 0, "unavailable": None, "fill_mask": 0, "attention": 0}
    if not rec.observations:
        return out
    try:
        import numpy as np

        from mlm_core.inference.analysis import analyze
        from mlm_core.model.loading import load_model
        from mlm_core.viz.style import escape_label as _label

        lm = load_model("bundled")
    except Exception as err:  # noqa: BLE001 - the live checks still stand
        out["unavailable"] = f"{type(err).__name__}: {err}"
        return out
    refs: dict = {}
    bases: dict = {}

    def ref(sentence: str, word: str):
        key = (sentence, word)
        if key not in refs:
            base = bases.get(sentence) or bases.setdefault(sentence, analyze(lm, sentence, top_k=TOP_K))
            matches = [w for w in base.words if w.text == word]
            if len(matches) != 1:
                refs[key] = None
            else:
                refs[key] = analyze(lm, sentence, top_k=TOP_K, mask_positions=list(matches[0].token_indices))
        return refs[key]

    for obs in rec.observations:
        a = ref(obs["sentence"], obs["word"])
        out["checked"] += 1
        out[obs["kind"]] += 1
        problem = ""
        if a is None:
            problem = "the word is not one word of the sentence"
        elif obs["kind"] == "fill_mask":
            preds = sorted(((p.token, p.score) for p in a.masks[0].predictions), key=lambda tp: -tp[1])
            want_tokens = [_label(t) for t, _ in preds]
            want_probs = [p for _, p in preds]
            got = dict(zip(obs["tokens"], obs["probs"]))
            if len(obs["tokens"]) != len(want_tokens):
                problem = f"{len(obs['tokens'])} bars, expected {len(want_tokens)}"
            else:
                for tok, p in zip(want_tokens, want_probs):
                    q = got.get(tok)
                    if q is None and p > want_probs[-1] + TOLERANCE:  # a token clearly inside the top-k is missing
                        problem = f"token {tok!r} ({p:.4f}) missing"
                        break
                    if q is not None and abs(q - p) > TOLERANCE:
                        problem = f"token {tok!r}: shown {q:.4f}, expected {p:.4f}"
                        break
            if problem:
                problem += f"; shown {list(zip(obs['tokens'], [round(x, 4) for x in obs['probs']]))[:5]}, " \
                           f"expected {list(zip(want_tokens, [round(x, 4) for x in want_probs]))[:5]}"
        else:
            want_tokens = [_label(t) for t in a.tokens]
            if list(obs["tokens"]) != want_tokens:
                problem = f"tokens {obs['tokens']}, expected {want_tokens}"
            else:
                z = np.asarray(obs["z"], dtype=float)
                want = np.asarray(a.attentions[0, 0], dtype=float)
                if z.shape != want.shape:
                    problem = f"heatmap shape {z.shape}, expected {want.shape}"
                elif float(np.abs(z - want).max()) > TOLERANCE:
                    problem = f"attention weights differ by up to {float(np.abs(z - want).max()):.4f}"
        if problem:
            out["failed"] += 1
            rec.violation(obs["session"], f"{obs['kind']} result differs from the reference for its own sentence",
                          f"{obs['sentence']!r}, mask {obs['word']!r}: {problem}")
    return out


def server_log_errors(text: str) -> list[str]:
    """Tracebacks and error lines the server printed (each block up to 3000 characters)."""
    blocks, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("Traceback") or re.search(r"\b(ERROR|Error|Exception)\b", line) and not line.startswith(" "):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t", "Traceback", "During handling", "The above"))
                                      or not lines[j].strip()):
                j += 1
            if j < len(lines):
                j += 1  # the exception line itself
            blocks.append("\n".join(lines[i:j])[:3000])
            i = j
        else:
            i += 1
    return blocks


# ====================================================================================== report


def build_result(cfg: Config, rec: Recorder, sampler: Sampler, info: dict, ref: dict, server_log: str,
                 startup_s: float | None, wall_s: float, aborted: str = "") -> WorkloadResult:
    res = WorkloadResult("classroom")
    by_kind: dict[str, list[Action]] = {}
    for a in rec.actions:
        by_kind.setdefault(a.kind, []).append(a)
    latencies = {k: [round(a.latency_s, 4) for a in v if a.latency_s is not None and a.ok] for k, v in by_kind.items()}
    proto = {k: [a.latency_s for a in v if a.latency_s is not None and a.ok and a.session.startswith("s")]
             for k, v in by_kind.items()}
    brows = {k: [a.latency_s for a in v if a.latency_s is not None and a.ok and a.session.startswith("b")]
             for k, v in by_kind.items()}
    stats = {k: summary(v) for k, v in proto.items()}
    bstats = {k: summary(v) for k, v in brows.items() if v}
    fresh = [a.latency_s for a in by_kind.get("fill_mask", []) if a.ok and a.fresh and a.session.startswith("s")]
    cached = [a.latency_s for a in by_kind.get("fill_mask", []) if a.ok and a.fresh is False and a.session.startswith("s")]
    hard_errors = [e for e in rec.errors]
    kinds: dict[str, int] = {}
    for e in hard_errors:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    distinct: dict[str, int] = {}
    for e in hard_errors:
        first = (e["kind"] + ": " + (e["text"].strip().splitlines() or [""])[-1])[:300]
        distinct[first] = distinct.get(first, 0) + 1
    log_errors = server_log_errors(server_log)

    series = sampler.series
    rss_load = [s["server_rss_mb"] for s in series if sampler.marks.get("load_start", 0) <= s["t"]
                <= sampler.marks.get("load_end", float("inf"))]
    start_s, load_s, end_s = sampler.at("server_up"), sampler.at("load_start"), sampler.at("load_end")
    rss = {"at_server_up_mb": start_s and start_s["server_rss_mb"], "at_load_start_mb": load_s and load_s["server_rss_mb"],
           "peak_mb": max((s["server_rss_mb"] for s in series), default=None),
           "peak_during_load_mb": max(rss_load, default=None),
           "at_load_end_mb": end_s and end_s["server_rss_mb"], "series": series, "marks": sampler.marks}

    cpu = {}
    if load_s and end_s:
        dt = max(end_s["t"] - load_s["t"], 1e-9)
        n_proto = sum(1 for a in rec.actions if a.session.startswith("s") and a.t >= 0)
        n_brow = sum(1 for a in rec.actions if a.session.startswith("b") and a.t >= 0)
        d = {k: end_s[k] - load_s[k] for k in ("server_cpu_s", "chromium_cpu_s", "driver_cpu_s", "client_cpu_s",
                                               "machine_busy_s")}
        cpu = {"load_phase_s": round(dt, 1),
               "server_cores": round(d["server_cpu_s"] / dt, 2), "client_cores": round(d["client_cpu_s"] / dt, 2),
               "chromium_cores": round(d["chromium_cpu_s"] / dt, 2), "driver_cores": round(d["driver_cpu_s"] / dt, 2),
               "machine_busy_cores": round(d["machine_busy_s"] / dt, 2),
               "other_processes_cores": round((d["machine_busy_s"] - d["server_cpu_s"] - d["client_cpu_s"]
                                               - d["chromium_cpu_s"] - d["driver_cpu_s"]) / dt, 2),
               "actions_protocol": n_proto, "actions_browser": n_brow,
               "server_cpu_s_per_action": round(d["server_cpu_s"] / max(n_proto + n_brow, 1), 4),
               "client_cpu_s_per_protocol_action": round(d["client_cpu_s"] / max(n_proto, 1), 4) if n_proto else None,
               "chromium_cpu_s_per_browser_action": round(d["chromium_cpu_s"] / n_brow, 4) if n_brow else None}

    own_ok = not rec.violations
    parity_bad = [p for p in rec.parity if not p["ok"]]
    n_err = len(hard_errors)
    fm, at = stats.get("fill_mask", summary([])), stats.get("attention", summary([]))

    def f(x):
        return "n/a" if x is None or x != x else f"{x:.3f} s"

    def row(name: str, s: dict) -> str:
        return f"p50 {f(s['p50'])}, p95 {f(s['p95'])}, max {f(s['max'])} (n={s['n']})"

    what = f"{cfg.sessions} sessions{', training running' if cfg.training else ', no training'}, {cfg.duration_s:.0f} s"
    res.add(f"fill-mask click → that mask's prediction chart ({what})", row("fill", fm), "—", None,
            f"first time asked on the server: {row('', summary(fresh))}; asked before: {row('', summary(cached))}",
            key=True)
    res.add(f"attention page opened → heatmap ({what})", row("att", at), "—", None, "", key=True)
    for k in OTHER_ACTIONS:
        if k in stats:
            res.add(f"{k.replace('_', ' ')} (latency to the page's key element)", row(k, stats[k]))
    for k, s in bstats.items():
        res.add(f"real Chromium pages (--browsers {cfg.browsers}): {k.replace('_', ' ')}", row(k, s), "—", None,
                "in-page: pointerdown → plotly figure drawn (includes rendering)")
    res.add("errors (exception boxes, st.error text, timeouts, dropped sessions)", str(n_err), "0", n_err == 0,
            "; ".join(f"{c}× {t}" for t, c in list(distinct.items())[:6]), key=True)
    res.add("every session saw only its own results", "yes" if own_ok else f"no ({len(rec.violations)} violations)",
            "yes", own_ok,
            f"{rec.live_checks} live checks; {ref['checked']} shown results compared with mlm_core's reference "
            f"({ref['failed']} differ)" + (f"; reference unavailable: {ref['unavailable']}" if ref.get("unavailable") else ""),
            key=True)
    res.add("server RSS (server process and children): at load start / peak / at the end",
            f"{rss['at_load_start_mb']} / {rss['peak_mb']} / {rss['at_load_end_mb']} MB", "—", None,
            f"{rss['at_server_up_mb']} MB when the server first answered; sampled every second ({len(series)} samples)",
            key=True)
    if cfg.training:
        t = rec.training
        res.add("background training (started from the Train page)",
                f"step {t.get('last_step', '—')} of {t.get('total_steps', '—')}" if t.get("started") else "not started",
                "running throughout", bool(t.get("started")) and not t.get("failed") and not t.get("finished_before_end"),
                f"{t.get('steps_per_s', '—')} steps/s during the load phase; first step {t.get('first_step_s', '—')} s "
                f"after the teacher arrived; tokens/s shown: {t.get('tokens_per_s_shown')}")
    if cfg.browsers:
        res.add("browser parity: BackMsgs sent by real Chromium = what the protocol model predicts",
                f"{len(rec.parity) - len(parity_bad)}/{len(rec.parity)} match", "all", not parity_bad and bool(rec.parity),
                parity_bad[0]["detail"][:500] if parity_bad else "")
    if cpu:
        res.add("CPU during the load phase (cores)",
                f"server {cpu['server_cores']}, clients {cpu['client_cores']}, chromium {cpu['chromium_cores']}, "
                f"other processes {cpu['other_processes_cores']}", "—", None,
                f"CPU s per action: server {cpu['server_cpu_s_per_action']}, protocol client "
                f"{cpu['client_cpu_s_per_protocol_action']}, chromium {cpu['chromium_cpu_s_per_browser_action']}")
    res.ratio, res.ratio_target = float(n_err + len(rec.violations)), 0.0
    res.notes.append("RATIO classroom = errors + results not the session's own (target 0); latencies are reported, "
                     "without targets.")
    res.notes.append("Latencies are measured by the protocol clients from sending the click's BackMsg to receiving "
                     "the chart's ForwardMsg; a browser adds its rendering (see the --browsers rows).")
    if aborted:
        res.notes.append(f"ABORTED: {aborted}")
    nices = sorted({s.get("server_nice") for s in series if s.get("server_nice") is not None})
    if cpu and cpu["other_processes_cores"] > 0.3:
        res.notes.append(f"The machine was not quiet: other processes kept {cpu['other_processes_cores']} cores busy "
                         f"during the load phase{f' and the server ran at nice {nices}' if nices != [os.nice(0)] else ''}"
                         "; latencies are pessimistic.")
    exit_info = info.get("server_exit", {})
    if exit_info.get("returncode_after_sigterm") not in (0, None, -signal.SIGTERM):
        tail = [ln for ln in server_log.strip().splitlines()[-3:] if ln.strip()]
        res.notes.append(f"At the end the server, stopped with SIGTERM, exited with code "
                         f"{exit_info['returncode_after_sigterm']}" + (f" ({tail[-1][:200]})" if tail else "")
                         + (" while the training thread was running" if cfg.training else "") + ".")
    if log_errors:
        res.notes.append(f"The server printed {len(log_errors)} error block(s); the first: "
                         + log_errors[0].replace("\n", " | ")[:600])
    res.extra.update(
        config=asdict(cfg), startup_s=startup_s, wall_s=round(wall_s, 1), aborted=aborted,
        latency_stats=stats, browser_latency_stats=bstats,
        fill_mask_fresh=summary(fresh), fill_mask_cached=summary(cached), latencies=latencies,
        actions=[asdict(a) for a in rec.actions], errors=rec.errors, error_kinds=kinds, distinct_errors=distinct,
        warnings_count=len(rec.warnings), warnings_distinct=sorted({w["text"][:200] for w in rec.warnings})[:20],
        own_results={"ok": own_ok, "live_checks": rec.live_checks, "reference": ref, "violations": rec.violations},
        rss=rss, cpu=cpu, training=rec.training, parity={"checked": len(rec.parity), "mismatches": parity_bad[:50],
                                                         "kinds": _count(p.get("kind", "?") for p in rec.parity)},
        protocol=info, server_log_errors=log_errors[:30])
    return res


def _count(items) -> dict:
    out: dict = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


def print_table(res: WorkloadResult) -> None:
    e = res.extra
    cfg = e["config"]
    pages = f" + {cfg['browsers']} Chromium pages" if cfg["browsers"] else ""
    print(f"\n== classroom: {cfg['sessions']} protocol sessions{pages}"
          f"{' + 1 teacher training in the background' if cfg['training'] else ''}, load phase {cfg['duration_s']:.0f} s"
          f" (wall {e['wall_s']:.0f} s){' — ABORTED: ' + e['aborted'] if e['aborted'] else ''} ==")
    print(f"  {'action':<34}{'n':>5}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    rows = [("fill-mask click → chart", e["latency_stats"].get("fill_mask")),
            ("  first time asked", e["fill_mask_fresh"]), ("  asked before", e["fill_mask_cached"]),
            ("attention open → heatmap", e["latency_stats"].get("attention"))]
    rows += [(k.replace("_", " "), e["latency_stats"].get(k)) for k in OTHER_ACTIONS]
    rows += [(f"chromium: {k.replace('_', ' ')}", s) for k, s in e["browser_latency_stats"].items()]
    for name, s in rows:
        if s and s["n"]:
            print(f"  {name:<34}{s['n']:>5}{s['p50']:>9.3f}{s['p95']:>9.3f}{s['max']:>9.3f}")
    n_err = len(e["errors"])
    print(f"  errors: {n_err}" + (" (" + ", ".join(f"{k} {v}" for k, v in e["error_kinds"].items()) + ")" if n_err else "")
          + "  [target 0]")
    for text, c in list(e["distinct_errors"].items())[:8]:
        print(f"    {c}× {text}")
    early = e["protocol"].get("sessions_stopped_early")
    if early:
        print(f"  sessions that stopped before the end (after an error): {len(early)}: {' '.join(early)}")
    own = e["own_results"]
    print(f"  own results only: {'yes' if own['ok'] else 'NO'} ({own['live_checks']} live checks, "
          f"{own['reference']['checked']} results vs the mlm_core reference, {own['reference']['failed']} differ"
          f"{', reference unavailable: ' + own['reference']['unavailable'] if own['reference'].get('unavailable') else ''})")
    for v in own["violations"][:5]:
        print(f"    {v['session']}: {v['what']}: {v['detail'][:200]}")
    r = e["rss"]
    print(f"  server RSS: {r['at_server_up_mb']} MB when up, {r['at_load_start_mb']} MB at load start, "
          f"peak {r['peak_mb']} MB, {r['at_load_end_mb']} MB at the end ({len(r['series'])} samples in the JSON)")
    if cfg["training"]:
        t = e["training"]
        print(f"  training: {'started' if t.get('started') else 'NOT started'}, step {t.get('last_step', '—')} of "
              f"{t.get('total_steps', '—')}, {t.get('steps_per_s', '—')} steps/s during the load"
              f"{', FAILED: ' + t['failed'] if t.get('failed') else ''}")
    if e["cpu"]:
        c = e["cpu"]
        print(f"  CPU (cores, load phase): server {c['server_cores']}, protocol clients {c['client_cores']}, chromium "
              f"{c['chromium_cores']}, other processes {c['other_processes_cores']}; CPU s/action: server "
              f"{c['server_cpu_s_per_action']}, client {c['client_cpu_s_per_protocol_action']}, chromium "
              f"{c['chromium_cpu_s_per_browser_action']}")
    if cfg["browsers"]:
        p = e["parity"]
        print(f"  browser parity: {p['checked'] - len(p['mismatches'])}/{p['checked']} BackMsgs as the protocol model "
              f"predicts ({p['kinds']})")
    if e["warnings_count"]:
        print(f"  warnings shown (not errors): {e['warnings_count']}, e.g. {e['warnings_distinct'][:2]}")
    if e["server_log_errors"]:
        print(f"  server log: {len(e['server_log_errors'])} error block(s), first: "
              f"{e['server_log_errors'][0].splitlines()[-1][:200]}")
    for note in res.notes:
        if note.startswith(("At the end", "The server printed", "ABORTED", "The machine was not quiet")):
            print(f"  note: {note}")
    print(res.ratio_line(), flush=True)


# ====================================================================================== entry points


def measure(cfg: Config) -> WorkloadResult:
    if cfg.sessions + cfg.browsers > len(NOUNS):
        raise SystemExit(f"at most {len(NOUNS)} sessions (one noun each)")
    t_start = time.perf_counter()
    hard_deadline = t_start + cfg.hard_limit()
    rec = Recorder()
    state: dict = {"server": None, "sampler": None}
    aborted = {"why": ""}

    def watchdog() -> None:  # the last resort: the asyncio timeouts should end the run well before this
        aborted["why"] = f"hard time limit of {cfg.hard_limit():.0f} s reached"
        log(f"classroom: {aborted['why']}; stopping the server and exiting")
        try:
            if state["server"] is not None:
                state["server"].stop()
        finally:
            os._exit(3)

    timer = threading.Timer(cfg.hard_limit() + 60, watchdog)
    timer.daemon = True
    timer.start()
    info: dict = {}
    startup = None
    with tempfile.TemporaryDirectory(prefix="mlm-classroom-") as tmp:
        log_path = Path(tmp) / "server.log"
        server = Server(str(Path(tmp) / "appdata"), log_path)
        state["server"] = server
        sampler = None
        try:
            sampler = Sampler(server.proc.pid)
            sampler.start()
            startup = server.wait_healthy(min(180.0, cfg.hard_limit() / 3))
            sampler.mark("server_up")
            log(f"classroom: server up on {server.url} after {startup:.1f} s (pid {server.proc.pid})")
            remaining = hard_deadline - time.perf_counter()
            info = asyncio.run(asyncio.wait_for(classroom(cfg, server, sampler, rec, hard_deadline), remaining))
        except (asyncio.TimeoutError, TimeoutError) as err:
            aborted["why"] = f"time limit reached ({err or 'overall'})"
            rec.error("runner", "timeout", aborted["why"], "run")
        except Exception as err:  # noqa: BLE001 - report what was measured
            aborted["why"] = f"{type(err).__name__}: {err}"
            rec.error("runner", "crash", aborted["why"], "run")
        finally:
            try:
                if sampler is not None:
                    sampler.mark("stop")
                    time.sleep(1.1)
                    sampler.stop()
            finally:
                server.stop()
            server_log = server.log_tail(200_000)
            if cfg.keep_log:
                keep = Path(cfg.out).with_suffix(".server.log")
                keep.parent.mkdir(parents=True, exist_ok=True)
                keep.write_text(server_log)
    log("classroom: comparing the results shown with mlm_core's reference")
    ref = reference_check(rec)
    timer.cancel()
    info["server_exit"] = {"died_during_run_with": server.exited_before_stop, "returncode_after_sigterm": server.returncode}
    if server.exited_before_stop is not None:
        rec.error("server", "crash", f"the server exited during the run with code {server.exited_before_stop}: "
                  + server_log[-1500:], "run")
    return build_result(cfg, rec, sampler, info, ref, server_log, startup, time.perf_counter() - t_start, aborted["why"])


def save(res: WorkloadResult, out: str) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(res), indent=1, default=str))
    return path


def run(quick: bool = False) -> WorkloadResult:
    """For bench/run.py: 30 sessions for 180 s with a training; --quick: 3 sessions for 45 s."""
    cfg = Config(sessions=3, duration_s=45.0) if quick else Config()
    res = measure(cfg)
    print_table(res)
    return res


def parse_args(argv: list[str] | None = None) -> Config:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    d = Config()
    p.add_argument("--sessions", type=int, default=d.sessions, help="concurrent student sessions (protocol clients)")
    p.add_argument("--duration-s", type=float, default=d.duration_s, help="length of the load phase")
    p.add_argument("--no-training", action="store_true", help="no training in the background")
    p.add_argument("--browsers", type=int, default=d.browsers,
                   help="also run this many real Chromium pages doing the same loop (sanity and parity check)")
    p.add_argument("--think-s", type=float, default=d.think_s, help="mean pause before each click (±50%%)")
    p.add_argument("--arrive-s", type=float, default=d.arrive_s, help="the class arrives within this many seconds")
    p.add_argument("--action-timeout-s", type=float, default=d.action_timeout_s, help="timeout of every wait")
    p.add_argument("--train-steps", type=int, default=d.train_steps, help="Steps typed on the Train page")
    p.add_argument("--train-ready-s", type=float, default=d.train_ready_s,
                   help="how long to wait for the training's first step")
    p.add_argument("--max-total-s", type=float, default=None,
                   help="hard limit of the whole run (default: duration + 900 s)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--keep-server-log", action="store_true", help="write the server's log next to --out")
    p.add_argument("--out", default=d.out, help="JSON output")
    a = p.parse_args(argv)
    if a.sessions < 0 or a.browsers < 0 or (a.sessions + a.browsers < 1 and a.no_training):
        p.error("nothing to run: give --sessions or --browsers, or leave the training on")
    return Config(sessions=a.sessions, duration_s=a.duration_s, training=not a.no_training, browsers=a.browsers,
                  think_s=a.think_s, arrive_s=a.arrive_s, action_timeout_s=a.action_timeout_s,
                  train_steps=a.train_steps, train_ready_s=a.train_ready_s, max_total_s=a.max_total_s, seed=a.seed,
                  out=a.out, keep_log=a.keep_server_log)


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    res = measure(cfg)
    res.seconds = res.extra["wall_s"]
    print_table(res)
    path = save(res, cfg.out)
    log(f"classroom: wrote {path}")
    return 0 if not res.extra["aborted"] else 1


if __name__ == "__main__":
    sys.exit(main())
