"""The layer a model separates word senses best at, stored beside its weights in `sense_layer.json`.

The Polysemy page and `embed` start at this layer; `embeddings.layer_choice` picks it on labelled natural sentences.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..safe_files import write_bytes_atomic

SENSE_LAYER_FILE = "sense_layer.json"


@dataclass
class SenseLayer:
    layer: int
    chosen_on: str  # where the labelled sentences came from
    n_words: int
    n_sentences: int
    knn_by_layer: list[float]  # mean over words of leave-one-out 1-NN sense accuracy, layer 0 = embeddings

    def reason(self) -> str:
        """One sentence for a page or the CLI: which layer and why."""
        return (f"layer {self.layer} separates word senses best for this model: mean 1-NN sense accuracy "
                f"{self.knn_by_layer[self.layer]:.2f} on {self.n_sentences} labelled sentences of {self.n_words} words "
                f"({self.chosen_on})")


def read_sense_layer(model_dir: str | Path) -> SenseLayer | None:
    """The stored choice of a model directory; None when there is none or it is unreadable (the caller then uses
    the last layer)."""
    path = Path(model_dir) / SENSE_LAYER_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        found = SenseLayer(int(raw["layer"]), str(raw["chosen_on"]), int(raw["n_words"]), int(raw["n_sentences"]),
                           [float(x) for x in raw["knn_by_layer"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if 0 <= found.layer < len(found.knn_by_layer) else None


def write_sense_layer(model_dir: str | Path, choice: SenseLayer) -> Path:
    path = Path(model_dir) / SENSE_LAYER_FILE
    write_bytes_atomic(path, (json.dumps(asdict(choice), indent=1) + "\n").encode("utf-8"))
    return path
