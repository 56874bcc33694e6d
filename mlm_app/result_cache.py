"""A process-wide cache of results bounded by their size in bytes, not only by their number.

`st.cache_data` bounds entries by count; one analysis of a 512-token text on a base-size model holds
~160 MB of attentions, so a count bound lets a classroom's distinct texts grow the server by gigabytes.
This cache keeps the most recently used results within a byte budget, computes each key once even when
several sessions ask for it at the same moment, and hands out read-only arrays, so that a result shared
between sessions cannot be changed by one of them. No Streamlit here: it is plain, testable Python.
"""
from __future__ import annotations

import dataclasses
import os
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

import numpy as np

ENV_BUDGET_MB = "MLM_EXPLORER_RESULT_CACHE_MB"
DEFAULT_BUDGET_MB = 256
DEFAULT_MAX_ENTRIES = 256


def nbytes(obj: Any, _depth: int = 0) -> int:
    """Approximate memory held by a result: arrays by their buffers, containers and dataclasses by their parts."""
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes) + 112
    if _depth > 4:
        return 64
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return 64 + sum(nbytes(getattr(obj, f.name), _depth + 1) for f in dataclasses.fields(obj))
    if isinstance(obj, (list, tuple)):
        if obj and not isinstance(obj[0], (np.ndarray, list, tuple)) and not dataclasses.is_dataclass(obj[0]):
            return 56 + 8 * len(obj) + len(obj) * nbytes(obj[0], _depth + 1)  # homogeneous leaves: sample one
        return 56 + sum(nbytes(x, _depth + 1) for x in obj)
    if isinstance(obj, dict):
        return 232 + sum(nbytes(k, _depth + 1) + nbytes(v, _depth + 1) for k, v in obj.items())
    if isinstance(obj, str):
        return 49 + len(obj)
    return 32


def freeze(obj: Any) -> Any:
    """Mark the arrays of a result (top-level dataclass fields) read-only, so shared results stay unchanged."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
    return obj


def budget_bytes() -> int:
    try:
        mb = float(os.environ.get(ENV_BUDGET_MB, DEFAULT_BUDGET_MB))
    except ValueError:
        mb = DEFAULT_BUDGET_MB
    return int(max(mb, 0) * 1024 * 1024)


class SizedCache:
    """Least-recently-used results within `max_bytes` and `max_entries`; one computation per key at a time."""

    def __init__(self, max_bytes: int, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of `key`, or `compute()` stored under it; errors are not cached."""
        hit = self._get(key)
        if hit is not None:
            return hit[0]
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:  # a second session asking for the same key waits for the first and shares its result
            hit = self._get(key)
            if hit is not None:
                return hit[0]
            try:
                value = freeze(compute())
                self._put(key, value, nbytes(value))
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def _get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def _put(self, key, value, size: int) -> None:
        with self._lock:
            if size > self.max_bytes:
                return  # larger than the whole budget: computed for this call, never kept
            if key in self._items:
                self._bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._items and (self._bytes > self.max_bytes or len(self._items) > self.max_entries):
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
