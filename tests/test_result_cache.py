"""The server's result cache: bounded by bytes, one computation per key, read-only shared results."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from mlm_app.result_cache import SizedCache, nbytes
from mlm_core.inference.analysis import analyze


def test_a_long_analysis_is_counted_by_its_arrays(bundled):
    a = analyze(bundled, "word " * 300 + "[MASK].")
    assert nbytes(a) >= a.attentions.nbytes + a.hidden_states.nbytes
    assert nbytes(a) < 1.2 * (a.attentions.nbytes + a.hidden_states.nbytes) + 1_000_000


def test_memory_stays_within_the_budget_whatever_the_number_of_texts(bundled):
    one = analyze(bundled, "word " * 200 + "[MASK].")
    budget = int(3.5 * nbytes(one))
    cache = SizedCache(budget, max_entries=1000)
    for k in range(10):
        cache.get_or_compute(k, lambda k=k: analyze(bundled, f"text {k} " + "word " * 200 + "[MASK]."))
        assert cache.size_bytes <= budget
    assert len(cache) == 3  # the three most recent
    hits = []
    cache.get_or_compute(9, lambda: hits.append(1))
    assert not hits


def test_a_result_larger_than_the_budget_is_returned_but_not_kept():
    cache = SizedCache(1000)
    value = cache.get_or_compute("big", lambda: np.zeros(10_000))
    assert value.shape == (10_000,) and len(cache) == 0


def test_sessions_asking_at_once_share_one_computation():
    cache = SizedCache(10**8)
    calls = []
    gate = threading.Event()

    def compute():
        calls.append(1)
        gate.wait(5)
        return np.arange(5)

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(cache.get_or_compute, "k", compute) for _ in range(8)]
        time.sleep(0.2)
        gate.set()
        values = [f.result(10) for f in futures]
    assert len(calls) == 1
    assert all(v is values[0] for v in values)


def test_errors_are_not_cached():
    cache = SizedCache(10**6)
    with pytest.raises(ValueError):
        cache.get_or_compute("k", lambda: (_ for _ in ()).throw(ValueError("no")))
    assert cache.get_or_compute("k", lambda: 3) == 3


def test_shared_results_are_read_only(bundled):
    cache = SizedCache(10**9)
    a = cache.get_or_compute("a", lambda: analyze(bundled, "The [MASK] sat on the mat."))
    with pytest.raises(ValueError):
        a.attentions[0, 0, 0, 0] = 1.0
