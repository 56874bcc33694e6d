"""The labelled polysemy set: sentences that use an ambiguous word in one of two senses.

It is both the evaluation set for sense separation and the app's demo data, so the
loader is strict: a file that would silently give wrong numbers is rejected instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import MLMError

DEFAULT_PATH = Path(__file__).parent.parent / "data" / "polysemy.tsv"
HEADER = ("word", "sense", "sentence")


@dataclass(frozen=True)
class PolysemyItem:
    """One sentence that uses `word` in the sense `sense`."""

    word: str
    sense: str
    sentence: str


def load_polysemy(path: str | Path | None = None) -> list[PolysemyItem]:
    """Read a `word<TAB>sense<TAB>sentence` file (with that header); the bundled set by default."""
    if path is None:
        return list(_bundled())
    return _read(Path(path))


def polysemy_words() -> list[str]:
    """The bundled set's words, in file order."""
    return list(dict.fromkeys(item.word for item in _bundled()))


def items_for(word: str) -> list[PolysemyItem]:
    """The bundled sentences for one word (case-insensitive), in file order."""
    key = word.strip().lower()
    items = [item for item in _bundled() if item.word == key]
    if not items:
        raise MLMError(f"There are no polysemy sentences for '{word}'.",
                       f"Choose one of: {', '.join(polysemy_words())}.")
    return items


@lru_cache(maxsize=1)
def _bundled() -> tuple[PolysemyItem, ...]:
    return tuple(_read(DEFAULT_PATH))


def _read(path: Path) -> list[PolysemyItem]:
    if not path.is_file():
        raise MLMError(f"Polysemy file not found: {path}.")
    # utf-8-sig tolerates a byte-order mark left by spreadsheet exports.
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        found = repr(lines[0]) if lines else "an empty file"
        raise MLMError(f"Polysemy file {path} must start with the header "
                       f"'word<TAB>sense<TAB>sentence', but has {found}.")
    items = [_parse_line(line, number, path)
             for number, line in enumerate(lines[1:], start=2) if line.strip()]
    if not items:
        raise MLMError(f"Polysemy file {path} has a header but no sentences.")
    return items


def _parse_line(line: str, number: int, path: Path) -> PolysemyItem:
    fields = [field.strip() for field in line.split("\t")]
    where = f"Polysemy file {path}, line {number}"
    if len(fields) != 3 or not all(fields):
        raise MLMError(f"{where}: expected three non-empty tab-separated fields "
                       f"(word, sense, sentence), got {len(fields)}: {line!r}.")
    word, sense, sentence = fields
    word = word.lower()
    if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", sentence, re.IGNORECASE):
        raise MLMError(f"{where}: the sentence does not contain the word '{word}': {sentence!r}.")
    return PolysemyItem(word=word, sense=sense, sentence=sentence)
