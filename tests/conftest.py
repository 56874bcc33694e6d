"""Shared fixtures: real tokenizers and real (tiny, randomly initialised) models saved with save_pretrained.

Each family's test model has a tokenizer of the kind its released checkpoints ship: WordPiece (the project's own,
`tokenizer_dir`) for BERT, DistilBERT, ELECTRA and ModernBERT (as the bundled model, with its output layer padded
past the tokenizer as ModernBERT-base ships it), byte-level BPE for RoBERTa and SentencePiece unigram for ALBERT
(trained by `tests.tokenizer_fixtures`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "mlm_core" / "data" / "sample_corpus.txt"
SHARED = ROOT.parent / "shared" / "corpora"

from tests.tokenizer_fixtures import NATIVE_FAMILIES, NATIVE_VOCAB, VOCAB_PADDING, train_family_tokenizer  # noqa: E402,F401


@pytest.fixture(scope="session")
def sample_lines():
    from mlm_core.training.corpus import read_lines

    return read_lines(SAMPLE)


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory, sample_lines):
    from mlm_core.training.tokenizer_training import train_wordpiece

    out = tmp_path_factory.mktemp("tokenizer")
    train_wordpiece(sample_lines, 2000, out)
    return out


def _save_tiny(kind: str, tokenizer_dir: Path, out: Path, padding: int = 0) -> Path:
    """A tiny random model of `kind` (hidden 64, 2 layers) saved with the tokenizer of `tokenizer_dir`; its output
    layer has `padding` ids past the tokenizer."""
    import torch
    from transformers import (AlbertConfig, AlbertForMaskedLM, AutoTokenizer, BertConfig, BertForMaskedLM,
                              DistilBertConfig, DistilBertForMaskedLM, ElectraConfig, ElectraForMaskedLM,
                              ModernBertConfig, ModernBertForMaskedLM, RobertaConfig, RobertaForMaskedLM)

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    v = len(tok)
    torch.manual_seed(0)
    common = dict(vocab_size=v + padding, pad_token_id=tok.pad_token_id)
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
                                                 num_attention_heads=2, max_position_embeddings=130,
                                                 bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id))
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
FAMILY_TOKENIZERS = {"roberta": "roberta", "albert": "albert"}  # the others: the WordPiece of `tokenizer_dir`
FAMILY_PADDING = {"modernbert": VOCAB_PADDING}  # ids of the output layer past the tokenizer


@pytest.fixture(scope="session")
def family_dirs(tmp_path_factory, tokenizer_dir, native_tokenizer_dirs):
    """Family -> a saved tiny model with its family's kind of tokenizer (`FAMILY_TOKENIZERS`, `FAMILY_PADDING`)."""
    def tokenizer_of(kind: str) -> Path:
        return native_tokenizer_dirs[FAMILY_TOKENIZERS[kind]] if kind in FAMILY_TOKENIZERS else tokenizer_dir

    return {k: _save_tiny(k, tokenizer_of(k), tmp_path_factory.mktemp(k), FAMILY_PADDING.get(k, 0)) for k in FAMILIES}


@pytest.fixture(scope="session")
def tiny_dir(family_dirs):
    return family_dirs["modernbert"]


@pytest.fixture(scope="session")
def tiny(tiny_dir):
    from mlm_core.model.loading import load_model

    return load_model(str(tiny_dir))


@pytest.fixture(scope="session")
def bundled():
    from mlm_core.model.loading import load_model

    return load_model("bundled")


# ---------------------------------------------------------------- tokenizers of the other families


@pytest.fixture(scope="session")
def native_tokenizer_dirs(tmp_path_factory, sample_lines):
    """{'roberta', 'modernbert', 'albert'} -> a directory holding that family's trained tokenizer."""
    dirs = {}
    for kind in NATIVE_FAMILIES:
        out = tmp_path_factory.mktemp(f"{kind}-tokenizer")
        train_family_tokenizer(kind, sample_lines, out)
        dirs[kind] = out
    return dirs


def _save_padded_bpe(tokenizer_dir: Path, out: Path, sample_lines: list[str]) -> Path:
    """A tiny ModernBERT with its byte-level BPE tokenizer and a padded vocabulary, vocab_size = len(tokenizer) +
    VOCAB_PADDING, as ModernBERT-base ships. Its output bias is the corpus's unigram log-frequency (so it predicts
    frequent tokens, like a barely trained model) and the padded rows' bias lies above every real token's: a ranking
    that forgets to exclude ids past the tokenizer offers them first, every time."""
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    _save_tiny("modernbert", tokenizer_dir, out, VOCAB_PADDING)
    tok, model = AutoTokenizer.from_pretrained(out), AutoModelForMaskedLM.from_pretrained(out)
    v = len(tok)
    counts = torch.ones(v)
    for enc in tok.backend_tokenizer.encode_batch(sample_lines, add_special_tokens=False):
        counts += torch.bincount(torch.tensor(enc.ids, dtype=torch.long), minlength=v)[:v].float()
    bias = torch.log(counts / counts.sum())
    with torch.no_grad():
        model.decoder.bias[:v] = bias
        model.decoder.bias[v:] = float(bias.max()) + 3.0
    model.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def native_family_dirs(tmp_path_factory, family_dirs, native_tokenizer_dirs, sample_lines):
    """{'roberta', 'modernbert', 'albert'} -> a saved tiny model with its own family's tokenizer: RoBERTa's and ALBERT's
    are those of `family_dirs`; this ModernBERT has byte-level BPE, a padded vocabulary and a frequency bias."""
    padded = _save_padded_bpe(native_tokenizer_dirs["modernbert"], tmp_path_factory.mktemp("modernbert-native"),
                              sample_lines)
    return {"roberta": family_dirs["roberta"], "modernbert": padded, "albert": family_dirs["albert"]}


@pytest.fixture(scope="session")
def native_models(native_family_dirs):
    """The models of `native_family_dirs`, loaded with load_model (shared: never change them)."""
    from mlm_core.model.loading import load_model

    return {k: load_model(str(d)) for k, d in native_family_dirs.items()}


@pytest.fixture(scope="session")
def padded_model(native_models):
    """ModernBERT with a padded vocabulary: the output layer has VOCAB_PADDING ids past the tokenizer."""
    return native_models["modernbert"]
