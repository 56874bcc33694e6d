"""The points of the Polysemy page: one word's sentences as the user gives them (a preset table, pasted lines or
an edited sentence), one point per sentence with its sense and hover text, and the rows of its tables.

* `parse_pasted`: lines of `sense<TAB>sentence` (copied from a spreadsheet), `word<TAB>sense<TAB>sentence` or
  `sense: sentence` as table rows; `clean_rows`: the sentences and senses of an edited table.
* `word_points`: the vectors of the table's sentences plus, optionally, one edited sentence (`EDITED`), with
  labels, sentences and hover texts side by side.
* `chance_accuracy`: the leave-one-out 1-NN accuracy of a random neighbour, the baseline of the metrics chart.
* `vector_records`, `separation_records`, `neighbour_records`: the downloads and tables.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .senses import LayerSeparation, nearest_neighbours
from .vectors import WordVectors

UNLABELLED = "unlabelled"
EDITED = "edited sentence"
HOVER_WIDTH = 60  # characters per hover line
_HEADERS = (["sense", "sentence"], ["word", "sense", "sentence"])


def parse_pasted(text: str) -> list[dict]:
    """Lines of `sense<TAB>sentence` (or `word<TAB>sense<TAB>sentence`, or `sense: sentence`) as table rows
    {"sentence", "sense"}; a header row copied from a spreadsheet is skipped."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t")]
        if [f.lower() for f in fields] in _HEADERS:
            continue
        if len(fields) >= 2:
            sense, sentence = fields[-2], fields[-1]
        elif ":" in line:
            sense, sentence = (f.strip() for f in line.split(":", 1))
        else:
            sense, sentence = "", line.strip()
        rows.append({"sentence": sentence, "sense": sense})
    return rows


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text in ("nan", "None", "<NA>") and not isinstance(value, str) else text


def clean_rows(pairs) -> tuple[list[str], list[str]]:
    """Sentences and sense labels from (sentence, sense) pairs of an edited table; empty sentences are dropped,
    empty senses read `UNLABELLED`."""
    sentences, senses = [], []
    for sentence, sense in pairs:
        sentence, sense = _cell(sentence), _cell(sense)
        if sentence:
            sentences.append(sentence)
            senses.append(sense or UNLABELLED)
    return sentences, senses


def hover_text(sentence: str, start: int, end: int, sense: str) -> str:
    """The sentence, HTML-escaped, with the word in <b>…</b>, wrapped for the hover box, and its sense."""
    lines, line, width = [], "", 0
    for m in re.finditer(r"\S+", sentence):
        a, b = m.span()
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            piece = (html.escape(sentence[a:lo]) + "<b>" + html.escape(sentence[lo:hi]) + "</b>"
                     + html.escape(sentence[hi:b]))
        else:
            piece = html.escape(sentence[a:b])
        if width and width + 1 + (b - a) > HOVER_WIDTH:
            lines.append(line)
            line, width = piece, b - a
        else:
            line, width = (f"{line} {piece}" if width else piece), width + (1 if width else 0) + (b - a)
    lines.append(line)
    return "<br>".join(lines) + f"<br><i>sense: {html.escape(sense)}</i>"


def chance_accuracy(labels: list[str]) -> float:
    """Expected leave-one-out 1-NN accuracy when the neighbour is a random other sentence."""
    n = len(labels)
    counts = np.array(list(Counter(labels).values()), dtype=float)
    return float((counts * (counts - 1)).sum() / (n * (n - 1))) if n > 1 else 0.0


@dataclass(frozen=True)
class WordPoints:
    """One point per sentence: the table's sentences, then the edited one (when given)."""

    vectors: np.ndarray  # (n, layers + 1, hidden)
    labels: list[str]  # senses; `EDITED` for the edited sentence
    sentences: list[str]
    hovers: list[str]

    def __len__(self) -> int:
        return len(self.sentences)

    @property
    def edited(self) -> list[int]:
        return [i for i, label in enumerate(self.labels) if label == EDITED]


def word_points(wv: WordVectors, senses: list[str], extra: WordVectors | None = None) -> WordPoints:
    """The points of `wv` (senses given per input sentence, as `clean_rows` returns them) and of `extra`."""
    labels = [senses[i] for i in wv.indices] + ([EDITED] * len(extra.sentences) if extra is not None else [])
    sentences = list(wv.sentences) + (list(extra.sentences) if extra is not None else [])
    occurrences = list(wv.occurrences) + (list(extra.occurrences) if extra is not None else [])
    vectors = wv.vectors if extra is None else np.concatenate([wv.vectors, extra.vectors])
    hovers = [hover_text(s, o.start, o.end, lab) for s, o, lab in zip(sentences, occurrences, labels)]
    return WordPoints(vectors, labels, sentences, hovers)


def neighbour_records(points: WordPoints, layer: int, index: int, k: int = 5) -> list[dict]:
    """The `k` sentences whose vectors at `layer` are closest (cosine) to sentence `index`'s."""
    k = min(k, len(points) - 1)
    return [{"sentence": points.sentences[i], "sense": points.labels[i], "cosine": round(cos, 4)}
            for i, cos in nearest_neighbours(points.vectors[:, layer], index, k)]


def separation_records(separation: list[LayerSeparation]) -> list[dict]:
    return [{"layer": s.layer, "layer name": "0 (static embedding)" if s.layer == 0 else str(s.layer),
             "silhouette": round(s.silhouette, 4), "1-NN accuracy": round(s.knn_accuracy, 4),
             "within-sense cosine": round(s.within_cosine, 4), "between-sense cosine": round(s.between_cosine, 4)}
            for s in separation]


def vector_records(points: WordPoints, word: str, layer: int, projection: str, coords: dict[int, np.ndarray]) -> list[dict]:
    """One row per point: word, sentence, sense, layer, projection, its projected x, y(, z) and its vector."""
    records = []
    for i, (sentence, sense) in enumerate(zip(points.sentences, points.labels)):
        record = {"word": word, "sentence": sentence, "sense": sense, "layer": layer, "projection": projection}
        if i in coords:
            record.update({axis: float(v) for axis, v in zip("xyz", coords[i])})
        record.update({f"v{d}": float(v) for d, v in enumerate(points.vectors[i, layer])})
        records.append(record)
    return records
