"""Tiny real tokenizers of the byte-level BPE and SentencePiece families, trained on the sample corpus with the
`tokenizers` library and set up the way the released checkpoints ship them (RoBERTa, ModernBERT, ALBERT), wrapped
in PreTrainedTokenizerFast, saved with save_pretrained and reloaded with AutoTokenizer (checking the size).
The fixtures in `conftest` build the test models on them."""
from __future__ import annotations

from pathlib import Path

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
