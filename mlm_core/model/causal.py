"""The causal (left-to-right) companion: its architecture, and loading one with `load_model`'s safety rules.

The companion is a ModernBERT decoder (`ModernBertDecoderForCausalLM`): the same blocks as the bundled masked
model (embedding norm, rotary positions, GeGLU feed-forward, pre-norm, tied output layer), the same tokenizer and
size preset, but every token attends only to itself and the tokens to its left, and it is trained to predict the
next token. So the two models differ in attention direction and objective, and in nothing else.

`load_causal_model` goes through `loading.load_of_kind`: the same name resolution, local-path lockdown,
serialised construction, no remote code, safetensors, and one-line errors as `load_model`. A masked-LM checkpoint
(or anything else that is not a causal LM) is refused with a clear message.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import torch

from ..errors import BUNDLED_HINT, MLMError
from .loading import LoadedModel, ModelKind, load_of_kind, model_construction

BUNDLED_CAUSAL = "bundled-causal"
BUNDLED_CAUSAL_DIR = Path(__file__).parent.parent / "bundled_causal_model"
CAUSAL_ARCHITECTURE = "ModernBertDecoderForCausalLM"


def _causal_refusal(config, where: str) -> str | None:
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    architectures = list(getattr(config, "architectures", None) or [])
    if architectures and all(a.endswith("ForMaskedLM") for a in architectures):
        return (f"'{where}' is a masked language model ({architectures[0]}), not a causal (left-to-right) one; "
                "give it as the masked model instead.")
    if config.model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        return f"'{where}' is a {config.model_type} model, which is not a causal (left-to-right) language model."
    return None


CAUSAL_LM = ModelKind("AutoModelForCausalLM", _causal_refusal, "causal LM",
                      "it is probably a decoder saved without its language-model head.",
                      needs_mask_token=False, rows_head=False, hint=None)


def load_causal_model(name: str = BUNDLED_CAUSAL, allow_local: bool | None = None) -> LoadedModel:
    """Load a causal LM by 'bundled-causal' (the shipped companion), hub id or local directory; MLMError on any
    failure, as `load_model`. The result is a `LoadedModel` (eval mode, fp32, eager attention)."""
    if (name or "").strip() == BUNDLED_CAUSAL:
        if not (BUNDLED_CAUSAL_DIR / "config.json").is_file():
            raise MLMError(f"The companion causal model is not shipped in {BUNDLED_CAUSAL_DIR}; "
                           "give a trained causal model directory instead (python -m mlm_core train --objective causal).")
        lm = load_of_kind(str(BUNDLED_CAUSAL_DIR), CAUSAL_LM, allow_local=True)
        return dataclasses.replace(lm, name=BUNDLED_CAUSAL, source="bundled")
    return load_of_kind(name, CAUSAL_LM, allow_local)


def is_causal(lm: LoadedModel) -> bool:
    """Whether a loaded model predicts the next token (a causal LM) rather than masked tokens."""
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES, MODEL_FOR_MASKED_LM_MAPPING_NAMES

    name = type(lm.model).__name__
    return name in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES.values() and name not in MODEL_FOR_MASKED_LM_MAPPING_NAMES.values()


def require_causal(lm: LoadedModel, role: str = "the causal model") -> None:
    if not is_causal(lm):
        raise MLMError(f"'{lm.name}' is a masked language model, but {role} must be a causal (left-to-right) one.")


def require_masked(lm: LoadedModel, role: str = "the masked model") -> None:
    if is_causal(lm) or lm.tokenizer.mask_token_id is None:
        raise MLMError(f"'{lm.name}' is not a masked language model, but {role} must be one.")


def saved_objective(directory: str | Path) -> str | None:
    """'causal' or 'mlm' for a saved model directory (from its config's architectures), None when unknown."""
    try:
        config = json.loads((Path(directory) / "config.json").read_text())
    except (OSError, ValueError):
        return None
    architectures = config.get("architectures") or [] if isinstance(config, dict) else []
    if any(str(a).endswith("ForCausalLM") or str(a).endswith("LMHeadModel") for a in architectures):
        return "causal"
    if any(str(a).endswith("ForMaskedLM") for a in architectures):
        return "mlm"
    return None


def build_causal_lm(tokenizer, preset, max_positions: int, seed: int):
    """A new, randomly initialised companion of a size preset (`training.presets.SizePreset`) for `tokenizer`: the
    bundled masked model's architecture with causal attention. Its start token is the tokenizer's start-of-window
    token ([CLS] for WordPiece), the one every training window begins with."""
    from transformers import ModernBertDecoderConfig, ModernBertDecoderForCausalLM

    from ..tokens import boundary_ids

    if preset.hidden % preset.heads:
        raise MLMError("hidden size must be divisible by the number of heads")
    start, end = boundary_ids(tokenizer)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else end
    cfg = ModernBertDecoderConfig(
        vocab_size=len(tokenizer), hidden_size=preset.hidden, intermediate_size=preset.intermediate,
        num_hidden_layers=preset.layers, num_attention_heads=preset.heads, max_position_embeddings=max_positions,
        layer_types=["full_attention"] * preset.layers, pad_token_id=pad, bos_token_id=start, eos_token_id=end,
        cls_token_id=start, sep_token_id=end, tie_word_embeddings=True,
    )
    torch.manual_seed(seed)
    with model_construction():
        return ModernBertDecoderForCausalLM(cfg)


def start_id(lm: LoadedModel) -> int:
    """The token a causal model's text starts from (what every training window began with)."""
    from ..tokens import boundary_ids

    start = boundary_ids(lm.tokenizer)[0]
    if start is None:
        raise MLMError(f"'{lm.name}' has no start token ([CLS] or <s>) to generate from.", BUNDLED_HINT)
    return int(start)
