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
    from mlm_core.training.corpus import read_lines

    return read_lines(SAMPLE)


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory, sample_lines):
    from mlm_core.training.tokenizer_training import train_wordpiece

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
    from mlm_core.model.loading import load_model

    return load_model(str(tiny_dir))


@pytest.fixture(scope="session")
def bundled():
    from mlm_core.model.loading import load_model

    return load_model("bundled")


# ---------------------------------------------------------------- tokenizers of the other families
#
# The fixtures above share one WordPiece tokenizer. These train tiny real tokenizers of the other kinds on the
# sample corpus with the `tokenizers` library, set up the way the released checkpoints ship them, wrap them in
# PreTrainedTokenizerFast, save them with save_pretrained and reload them with AutoTokenizer (checking the size).

NATIVE_VOCAB = 2000
VOCAB_PADDING = 37  # ModernBERT-base's output layer is larger than its tokenizer; so is the fixture's
NATIVE_FAMILIES = ["roberta", "modernbert", "albert"]


def _save_reloaded(tok, wrapped, out: Path):
    from transformers import AutoTokenizer

    wrapped.save_pretrained(out)
    reloaded = AutoTokenizer.from_pretrained(out)
    expected = tok.get_vocab_size()
    assert expected > 100 and len(reloaded) == expected, f"{out}: reloaded {len(reloaded)} tokens, trained {expected}"
    return reloaded


def train_family_tokenizer(kind: str, lines: list[str], out: Path, vocab_size: int = NATIVE_VOCAB):
    """A tiny real tokenizer of one family, saved in `out` and reloaded from it.

    roberta: byte-level BPE, 'Ġ' word starts, <s> </s> <pad> <unk> <mask> (lstrip), offsets trimmed by
        RobertaProcessing(trim_offsets=True) as roberta-base ships them ('Ġcat' -> 'cat').
    modernbert: byte-level BPE with NFC, [CLS] [SEP] [PAD] [UNK] [MASK] (lstrip), a TemplateProcessing
        post-processor and ByteLevel(trim_offsets=False): offsets include the space before a word, as
        answerdotai/ModernBERT-base's tokenizer gives them ('Ġcat' -> ' cat').
    albert: SentencePiece-style Unigram, '▁' word starts (WhitespaceSplit + Metaspace), lowercased,
        [CLS] [SEP] <pad> <unk> [MASK] (lstrip), as albert-base-v2.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    out = Path(out)
    if kind in ("roberta", "modernbert"):
        roberta = kind == "roberta"
        specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"] if roberta else ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
        tok = Tokenizer(models.BPE())
        if not roberta:
            tok.normalizer = normalizers.NFC()
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=roberta)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=specials, show_progress=False,
                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
        tok.train_from_iterator(lines, trainer=trainer, length=len(lines))
    elif kind == "albert":
        specials = ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"]
        tok = Tokenizer(models.Unigram())
        tok.normalizer = normalizers.Sequence([normalizers.Replace("``", '"'), normalizers.Replace("''", '"'),
                                               normalizers.NFKD(), normalizers.StripAccents(), normalizers.Lowercase()])
        tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                     pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")])
        tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
        trainer = trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=specials, unk_token="<unk>",
                                          show_progress=False)
        tok.train_from_iterator(lines, trainer=trainer, length=len(lines))
    else:
        raise ValueError(kind)
    mask = specials[-1]
    tok.add_special_tokens([AddedToken(mask, lstrip=True, rstrip=False, normalized=False, special=True)])
    if kind == "roberta":
        tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")),
                                                          trim_offsets=True, add_prefix_space=False)
        names = dict(bos_token="<s>", eos_token="</s>", cls_token="<s>", sep_token="</s>", unk_token="<unk>",
                     pad_token="<pad>")
    else:
        cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
        tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                           special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)])
        names = dict(cls_token="[CLS]", sep_token="[SEP]", unk_token=specials[0] if kind == "modernbert" else "<unk>",
                     pad_token="[PAD]" if kind == "modernbert" else "<pad>")
    wrapped = PreTrainedTokenizerFast(tokenizer_object=tok, mask_token=AddedToken(mask, lstrip=True, rstrip=False,
                                                                                  normalized=False, special=True),
                                      model_max_length=128, **names)
    return _save_reloaded(tok, wrapped, out)


@pytest.fixture(scope="session")
def native_tokenizer_dirs(tmp_path_factory, sample_lines):
    """{'roberta', 'modernbert', 'albert'} -> a directory holding that family's trained tokenizer."""
    dirs = {}
    for kind in NATIVE_FAMILIES:
        out = tmp_path_factory.mktemp(f"{kind}-tokenizer")
        train_family_tokenizer(kind, sample_lines, out)
        dirs[kind] = out
    return dirs


def _save_native(kind: str, tokenizer_dir: Path, out: Path, sample_lines: list[str]) -> Path:
    """A tiny random model of `kind` (hidden 64, 2 layers) saved with its family's tokenizer.

    The ModernBERT one has a padded vocabulary, vocab_size = len(tokenizer) + VOCAB_PADDING, as
    ModernBERT-base ships. Its output bias is the corpus's unigram log-frequency (so it predicts frequent
    tokens, like a barely trained model) and the padded rows' bias lies above every real token's: a ranking
    that forgets to exclude ids past the tokenizer offers them first, every time.
    """
    import torch
    from transformers import (AlbertConfig, AlbertForMaskedLM, AutoTokenizer, ModernBertConfig, ModernBertForMaskedLM,
                              RobertaConfig, RobertaForMaskedLM)

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    v = len(tok)
    torch.manual_seed(0)
    small = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2)
    if kind == "roberta":
        model = RobertaForMaskedLM(RobertaConfig(vocab_size=v, pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                                                 eos_token_id=tok.eos_token_id, max_position_embeddings=130, **small))
    elif kind == "albert":
        model = AlbertForMaskedLM(AlbertConfig(vocab_size=v, pad_token_id=tok.pad_token_id, embedding_size=32,
                                               max_position_embeddings=128, **small))
    elif kind == "modernbert":
        model = ModernBertForMaskedLM(ModernBertConfig(
            vocab_size=v + VOCAB_PADDING, pad_token_id=tok.pad_token_id, max_position_embeddings=128,
            layer_types=["full_attention"] * 2, cls_token_id=tok.cls_token_id, sep_token_id=tok.sep_token_id,
            bos_token_id=tok.cls_token_id, eos_token_id=tok.sep_token_id, **small))
        counts = torch.ones(v)
        for enc in tok.backend_tokenizer.encode_batch(sample_lines, add_special_tokens=False):
            counts += torch.bincount(torch.tensor(enc.ids, dtype=torch.long), minlength=v)[:v].float()
        bias = torch.log(counts / counts.sum())
        with torch.no_grad():
            model.decoder.bias[:v] = bias
            model.decoder.bias[v:] = float(bias.max()) + 3.0
    else:
        raise ValueError(kind)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def native_family_dirs(tmp_path_factory, native_tokenizer_dirs, sample_lines):
    """{'roberta', 'modernbert', 'albert'} -> a saved tiny model with its own family's tokenizer (ModernBERT padded)."""
    return {k: _save_native(k, native_tokenizer_dirs[k], tmp_path_factory.mktemp(f"{k}-native"), sample_lines)
            for k in NATIVE_FAMILIES}


@pytest.fixture(scope="session")
def native_models(native_family_dirs):
    """The models of `native_family_dirs`, loaded with load_model (shared: never change them)."""
    from mlm_core.model.loading import load_model

    return {k: load_model(str(d)) for k, d in native_family_dirs.items()}


@pytest.fixture(scope="session")
def padded_model(native_models):
    """ModernBERT with a padded vocabulary: the output layer has VOCAB_PADDING ids past the tokenizer."""
    return native_models["modernbert"]
