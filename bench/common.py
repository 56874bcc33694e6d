"""Timing helpers shared by the benchmark workloads: interleaved repeats, robust summaries, machine info.

Machines are noisy, so every comparison runs baseline and project alternately
(baseline, project, baseline, project, ...) and reports the median with the min-max range
of the per-pair ratios; what runs just before each timed call is the same for both sides
(see STATES). Timings never go into tests.
"""
from __future__ import annotations

import datetime as _dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"  # git-ignored: per-workload JSON results
TRAINING_MARKER = "out runs/bundled"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- statistics

@dataclass
class Stats:
    median: float
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> "Stats":
        if not values:
            return cls(float("nan"), float("nan"), float("nan"), 0)
        return cls(statistics.median(values), min(values), max(values), len(values))

    def fmt(self, unit: str = "", digits: int = 3) -> str:
        if self.n == 0:
            return "n/a"
        f = f"{{:.{digits}g}}"
        if self.n == 1:
            return f.format(self.median) + unit
        return f"{f.format(self.median)}{unit} ({f.format(self.min)}–{f.format(self.max)})"


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


# --------------------------------------------------------------------------- quiet gate
# The machine is shared: other jobs come and go, and torch's OpenMP threads degrade badly when a core is
# taken. Before each timed round we wait (within a budget) until other processes leave the CPUs idle.

QUIET_THRESHOLD = 0.35  # cores kept busy by other processes
GATE = {"rounds": 0, "quiet": 0, "waited_s": 0.0, "budget_s": float(os.environ.get("MLM_BENCH_WAIT_BUDGET", "120"))}


def _cpu_idle_total() -> tuple[int, int]:
    with open("/proc/stat") as fh:
        vals = [int(v) for v in fh.readline().split()[1:9]]
    return vals[3] + vals[4], sum(vals)


def others_busy(window: float = 0.12) -> float:
    """Cores kept busy by other processes during `window` seconds while this one sleeps."""
    time.sleep(0.05)  # let our own worker threads stop spinning
    i0, t0 = _cpu_idle_total()
    time.sleep(window)
    i1, t1 = _cpu_idle_total()
    return (1 - (i1 - i0) / max(t1 - t0, 1)) * (os.cpu_count() or 1)


def wait_quiet(max_wait: float = 45.0) -> bool:
    """Wait until other processes leave the CPUs (nearly) idle, at most `max_wait` s and within the run's budget.
    Returns whether the round starts quiet; GATE keeps the counts for the report."""
    GATE["rounds"] += 1
    start = time.perf_counter()
    while True:
        busy = others_busy()
        if busy < QUIET_THRESHOLD:
            GATE["quiet"] += 1
            GATE["waited_s"] += time.perf_counter() - start
            return True
        waited = time.perf_counter() - start
        if waited > max_wait or GATE["waited_s"] + waited > GATE["budget_s"]:
            GATE["waited_s"] += waited
            return False
        time.sleep(0.5)


def gate_summary() -> str:
    return (f"{GATE['quiet']}/{GATE['rounds']} timed rounds started with the other processes using < {QUIET_THRESHOLD} "
            f"core (waited {GATE['waited_s']:.0f} s in all)")


STEADY_CALLS = 3
STATES = {
    "steady": f"each timed call right after {STEADY_CALLS} untimed calls of itself (warm caches, as in a loop of calls)",
    "after-other": "timed calls alternate directly, each right after the other side's call (caches hold the other model)",
    "plain": "timed calls alternate; for calls of seconds, where cache state does not matter",
}


def wake_threads() -> None:
    """A few small matmuls on every thread: wakes torch's thread pool after a sleep without touching either side's data."""
    import torch

    a = torch.ones(192, 192)
    for _ in range(10):
        a @ a


def interleaved(fns: dict[str, Callable[[], object]], repeats: int, warmup: int = 1, state: str = "steady",
                gate_each: bool = False) -> dict[str, list[float]]:
    """Run each callable `warmup` times (untimed), then `repeats` rounds of all of them in the given order
    (baseline first, then project: B P B P ...). Each round starts after `wait_quiet` and `wake_threads` (so neither
    side pays for waking the thread pool), with the garbage collector paused while timing, as in timeit.

    `state` sets what runs just before each timed call, the same for both sides (see STATES): 'steady' adds
    STEADY_CALLS untimed calls of the same callable (after an idle moment a small model needs about three calls to
    reach its loop speed); 'after-other' and 'plain' add nothing, so each call follows the other side's.
    gate_each=True also waits for quiet before every call, for rounds long enough to meet other jobs.
    Returns the seconds per call for each name."""
    if state not in STATES:
        raise ValueError(f"state must be one of {list(STATES)}")
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        wait_quiet()
        gc.collect()
        if state != "plain":
            wake_threads()
        gc.disable()
        try:
            for k, (name, fn) in enumerate(fns.items()):
                if gate_each and k:
                    wait_quiet(20)
                if state == "steady":
                    for _ in range(STEADY_CALLS):
                        fn()
                dt, _ = timed(fn)
                times[name].append(dt)
        finally:
            gc.enable()
    return times


def paired_ratios(numerator: list[float], denominator: list[float]) -> list[float]:
    """Per-round ratios of two interleaved series (e.g. baseline time / project time)."""
    return [a / b for a, b in zip(numerator, denominator) if b > 0]


# --------------------------------------------------------------------------- results

@dataclass
class Row:
    """One line of the results table."""

    workload: str
    figure: str
    measured: str
    target: str
    met: bool | None  # None: informational, no target
    detail: str = ""
    key: bool = False  # a headline figure: goes into the README's Performance section
    baseline: str = ""  # overrides the workload's baseline in the Performance section


@dataclass
class WorkloadResult:
    name: str
    rows: list[Row] = field(default_factory=list)
    ratio: float = float("nan")  # the headline figure printed on the RATIO line
    ratio_target: float = float("nan")
    notes: list[str] = field(default_factory=list)
    quick: bool = False
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    def add(self, figure: str, measured: str, target: str = "—", met: bool | None = None, detail: str = "",
            key: bool = False, baseline: str = "") -> None:
        self.rows.append(Row(self.name, figure, measured, target, met, detail, key, baseline))

    def ratio_line(self) -> str:
        return f"RATIO {self.name} {self.ratio:.3g} target {self.ratio_target:.3g}"

    def save(self) -> Path:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        path = OUT_DIR / f"{self.name}.json"
        path.write_text(json.dumps(asdict(self), indent=1, default=str))
        return path

    @classmethod
    def load(cls, path: Path) -> "WorkloadResult":
        data = json.loads(path.read_text())
        data["rows"] = [Row(**r) for r in data["rows"]]
        return cls(**data)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine

def training_job_running() -> bool:
    """Is the long background training job (`... --out runs/bundled`) still alive?"""
    try:
        res = subprocess.run(["pgrep", "-f", TRAINING_MARKER], capture_output=True, text=True)
    except FileNotFoundError:
        return False
    own = {str(os.getpid())}
    return any(pid and pid not in own for pid in res.stdout.split())


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_flags() -> set[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # noqa: BLE001
        return "not installed"


def machine_info() -> dict:
    import torch

    flags = cpu_flags()
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "memory": mem,
        "simd": " ".join(sorted(f for f in flags if f.startswith(("avx512_bf16", "amx", "avx512_vnni", "avx512f", "avx2")))),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {m: _version(m) for m in ("torch", "transformers", "accelerate", "tokenizers", "umap-learn", "numba",
                                               "scikit-learn", "numpy", "streamlit", "playwright")},
    }


_MATMUL_CACHE: dict[str, float] = {}


def read_bandwidth(megabytes: int = 512, repeats: int = 5) -> float:
    """Bytes/s of reading a large fp32 tensor once (torch.sum with all torch threads; best of a few runs)."""
    import torch

    x = torch.ones(megabytes * 2**20 // 4)
    x.sum()
    best = min(timed(x.sum)[0] for _ in range(repeats))
    return x.numel() * 4 / best


def matmul_rate(dtype_name: str = "float32", n: int = 1024, seconds: float = 1.0) -> float:
    """Sustained FLOP/s of an n×n×n torch.matmul with all torch threads (best of a few bursts)."""
    key = f"{dtype_name}-{n}"
    if key in _MATMUL_CACHE:
        return _MATMUL_CACHE[key]
    import torch

    dtype = getattr(torch, dtype_name)
    a = torch.randn(n, n).to(dtype)
    b = torch.randn(n, n).to(dtype)
    for _ in range(3):
        torch.matmul(a, b)
    best = 0.0
    for _ in range(5):
        reps, t0 = 0, time.perf_counter()
        while True:
            torch.matmul(a, b)
            reps += 1
            dt = time.perf_counter() - t0
            if dt >= seconds / 5:
                break
        best = max(best, 2 * n**3 * reps / dt)
    _MATMUL_CACHE[key] = best
    return best


def fmt_ratio(x: float) -> str:
    return f"{x:.2f}×"
