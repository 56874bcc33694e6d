"""A reproducible sample of plain sentences from the bundled corpus (or any lines): what the head-role
summary and the vector-space geometry average over when the user gives no sentences of their own."""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

SAMPLE_CORPUS = Path(__file__).parent / "data" / "sample_corpus.txt"
MIN_WORDS, MAX_WORDS = 6, 40
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'])")


def split_sentences(lines: list[str]) -> list[str]:
    """Sentences of MIN_WORDS..MAX_WORDS words cut out of paragraph lines (headings and fragments left out)."""
    out = []
    for line in lines:
        for s in _SPLIT.split(line.strip()):
            s = s.strip()
            if MIN_WORDS <= len(s.split()) <= MAX_WORDS and s[-1:] in ".!?”\"'" and any(c.islower() for c in s):
                out.append(s)
    return out


@lru_cache(maxsize=1)
def _bundled_sentences() -> tuple[str, ...]:
    return tuple(split_sentences(SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()))


def sample_sentences(n: int = 200, seed: int = 0, lines: list[str] | None = None) -> list[str]:
    """`n` sentences drawn without replacement (seeded) from `lines`, or from the bundled sample corpus."""
    pool = split_sentences(lines) if lines is not None else list(_bundled_sentences())
    if n >= len(pool):
        return pool
    return random.Random(seed).sample(pool, n)
