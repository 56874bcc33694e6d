"""Shared fixtures: real tokenizers and real (tiny, randomly initialised) models saved with save_pretrained."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "mlm_core" / "data" / "sample_corpus.txt"
SHARED = ROOT.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def sample_lines():
    from mlm_core.corpus import read_lines

    return read_lines(SAMPLE)


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory, sample_lines):
    from mlm_core.tokenizer_training import train_wordpiece

    out = tmp_path_factory.mktemp("tokenizer")
    train_wordpiece(sample_lines, 2000, out)
    return out


def _save_tiny(kind: str, tokenizer_dir: Path, out: Path) -> Path:
    import torch
    from transformers import (AlbertConfig, AlbertForMaskedLM, AutoTokenizer, BertConfig, BertForMaskedLM,
                              DistilBertConfig, DistilBertForMaskedLM, ElectraConfig, ElectraForMaskedLM,
                              ModernBertConfig, ModernBertForMaskedLM, RobertaConfig, RobertaForMaskedLM)

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    v = len(tok)
    torch.manual_seed(0)
    common = dict(vocab_size=v, pad_token_id=tok.pad_token_id)
    if kind == "modernbert":
        model = ModernBertForMaskedLM(ModernBertConfig(**common, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                                       num_attention_heads=2, max_position_embeddings=128,
                                                       layer_types=["full_attention"] * 2, cls_token_id=tok.cls_token_id,
                                                       sep_token_id=tok.sep_token_id, bos_token_id=tok.cls_token_id,
                                                       eos_token_id=tok.sep_token_id))
    elif kind == "bert":
        model = BertForMaskedLM(BertConfig(**common, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                           num_attention_heads=2, max_position_embeddings=128))
    elif kind == "distilbert":
        model = DistilBertForMaskedLM(DistilBertConfig(**common, dim=64, hidden_dim=128, n_layers=2, n_heads=2,
                                                       max_position_embeddings=128))
    elif kind == "roberta":
        model = RobertaForMaskedLM(RobertaConfig(**common, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                                 num_attention_heads=2, max_position_embeddings=130))
    elif kind == "albert":
        model = AlbertForMaskedLM(AlbertConfig(**common, embedding_size=32, hidden_size=64, intermediate_size=128,
                                               num_hidden_layers=2, num_attention_heads=2, max_position_embeddings=128))
    elif kind == "electra":
        model = ElectraForMaskedLM(ElectraConfig(**common, embedding_size=32, hidden_size=64, intermediate_size=128,
                                                 num_hidden_layers=2, num_attention_heads=2, max_position_embeddings=128))
    else:
        raise ValueError(kind)
    tok.model_max_length = 128
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


FAMILIES = ["modernbert", "bert", "distilbert", "roberta", "albert", "electra"]


@pytest.fixture(scope="session")
def family_dirs(tmp_path_factory, tokenizer_dir):
    return {k: _save_tiny(k, tokenizer_dir, tmp_path_factory.mktemp(k)) for k in FAMILIES}


@pytest.fixture(scope="session")
def tiny_dir(family_dirs):
    return family_dirs["modernbert"]


@pytest.fixture(scope="session")
def tiny(tiny_dir):
    from mlm_core.loading import load_model

    return load_model(str(tiny_dir))


@pytest.fixture(scope="session")
def bundled():
    from mlm_core.loading import load_model

    return load_model("bundled")
