"""Model size presets for training from scratch: pre-norm ModernBERT-style encoders, and (objective causal) decoders
of the same blocks and size (`model.causal`)."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import MLMError


@dataclass(frozen=True)
class SizePreset:
    layers: int
    hidden: int
    heads: int
    intermediate: int
    vocab_size: int


PRESETS = {
    "tiny": SizePreset(layers=2, hidden=128, heads=2, intermediate=256, vocab_size=8000),
    "small": SizePreset(layers=4, hidden=256, heads=4, intermediate=512, vocab_size=16000),
    "small-deep": SizePreset(layers=8, hidden=256, heads=4, intermediate=512, vocab_size=16000),
    "small-wide": SizePreset(layers=6, hidden=320, heads=5, intermediate=640, vocab_size=16000),
    "medium": SizePreset(layers=6, hidden=384, heads=6, intermediate=768, vocab_size=16000),
}


def get_preset(name: str) -> SizePreset:
    if name not in PRESETS:
        raise MLMError(f"Unknown size preset '{name}'. Choose one of: {', '.join(PRESETS)}.")
    return PRESETS[name]
