"""Benchmark models: the bundled one plus randomly initialised models of the real shapes of
distilbert-base and bert-base (default configs, vocabulary 30,522), saved with save_pretrained and
loaded through mlm_core.model.loading.load_model (so eager attention and fp32, as in the app).

No download is possible, so the tokenizer is the bundled model's WordPiece tokenizer with its
vocabulary padded to 30,522 entries by `[unusedN]` pieces (as BERT's own vocabulary has): the
shapes, the tokenization of real text and its speed are those of a real model.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from common import OUT_DIR, log

MODEL_CACHE = OUT_DIR / "models"
BERT_VOCAB = 30522
SHAPES = ("bundled", "distilbert-base", "bert-base")


def padded_tokenizer(out_dir: Path, vocab_size: int = BERT_VOCAB):
    """The bundled tokenizer with its WordPiece vocabulary padded to `vocab_size` by unreachable [unusedN] pieces."""
    from tokenizers import models
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    from mlm_core.model.loading import BUNDLED_DIR

    src = AutoTokenizer.from_pretrained(BUNDLED_DIR)
    backend = src.backend_tokenizer
    vocab = dict(backend.model.get_vocab()) if hasattr(backend.model, "get_vocab") else dict(backend.get_vocab())
    i = 0
    while len(vocab) < vocab_size:
        name = f"[unused{i}]"
        if name not in vocab:
            vocab[name] = len(vocab)
        i += 1
    backend.model = models.WordPiece(vocab=vocab, unk_token="[UNK]", continuing_subword_prefix="##",
                                     max_input_chars_per_word=100)
    tok = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                  sep_token="[SEP]", mask_token="[MASK]", model_max_length=512)
    tok.save_pretrained(out_dir)
    reloaded = AutoTokenizer.from_pretrained(out_dir)
    if len(reloaded) != vocab_size:
        raise RuntimeError(f"padded tokenizer has {len(reloaded)} tokens, expected {vocab_size}")
    return reloaded


def shaped_model_dir(shape: str) -> Path:
    """A save_pretrained directory with a randomly initialised (seed 0) model of the given real shape; cached."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, DistilBertConfig, DistilBertForMaskedLM

    if shape not in ("distilbert-base", "bert-base"):
        raise ValueError(shape)
    out = MODEL_CACHE / shape
    stamp = out / "bench_shape.json"
    if stamp.exists() and (out / "model.safetensors").exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    log(f"building a random {shape} model (default config) in {out}")
    tok = padded_tokenizer(out)
    torch.manual_seed(0)
    config = BertConfig() if shape == "bert-base" else DistilBertConfig()
    config.pad_token_id = tok.pad_token_id
    model = (BertForMaskedLM if shape == "bert-base" else DistilBertForMaskedLM)(config)
    model.save_pretrained(out)
    stamp.write_text(json.dumps({"shape": shape, "vocab": len(tok)}))
    return out


def load_shape(shape: str):
    """LoadedModel for 'bundled', 'distilbert-base' or 'bert-base' (through mlm_core.model.loading.load_model)."""
    from mlm_core.model.loading import load_model

    if shape == "bundled":
        return load_model("bundled")
    return load_model(str(shaped_model_dir(shape)), allow_local=True)


def layer_list(base):
    """The encoder's list of layers (the largest ModuleList in the base model)."""
    import torch

    lists = [m for m in base.modules() if isinstance(m, torch.nn.ModuleList)]
    return max(lists, key=lambda m: sum(p.numel() for p in m.parameters()))


def _linear_weights(lm) -> tuple[list[int], int]:
    """(weights of the Linear layers of each encoder layer, weights of the LM head's Linear layers)."""
    import torch

    model = lm.model
    base = model.base_model
    per_layer = [sum(m.weight.numel() for m in layer.modules() if isinstance(m, torch.nn.Linear)) for layer in layer_list(base)]
    base_ids = {id(m) for m in base.modules()}
    head_w = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear) and id(m) not in base_ids)
    return per_layer, head_w


def forward_flops(lm, tokens: int, head_positions: int) -> float:
    """FLOPs of one forward: per layer 2·(matmul weights)·tokens + attention matmuls (QKᵀ and AV: 4·tokens²·hidden),
    plus the LM head (2·its matmul weights) at `head_positions` positions."""
    per_layer, head_w = _linear_weights(lm)
    flops = sum(2 * w * tokens + 4 * tokens * tokens * lm.info.hidden for w in per_layer)
    return flops + 2 * head_w * head_positions


def matmul_weight_bytes(lm, bytes_per_weight: int = 4) -> float:
    """Bytes of matmul weights one forward must read at least once (every Linear of the encoder and the LM head)."""
    per_layer, head_w = _linear_weights(lm)
    return float(bytes_per_weight * (sum(per_layer) + head_w))
