"""Train a WordPiece tokenizer on a corpus with the `tokenizers` library and wrap it for transformers."""
from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from .errors import MLMError

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def train_wordpiece(lines: list[str], vocab_size: int, out_dir: str | Path, max_length: int = 512) -> PreTrainedTokenizerFast:
    """Train an uncased WordPiece vocabulary, save it with save_pretrained and reload it from disk.

    Reloading with from_pretrained (and checking the size) guards against the silent
    5-token vocabulary that building a tokenizer from a vocab file can give.
    """
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True, handle_chinese_chars=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS, continuing_subword_prefix="##",
        show_progress=False,
    )
    tok.train_from_iterator(lines, trainer=trainer, length=len(lines))
    # the trainer numbers tokens in hash order; sorted ids make a run reproducible
    learned = sorted(t for t in tok.get_vocab() if t not in SPECIAL_TOKENS)
    tok.model = models.WordPiece(vocab={t: i for i, t in enumerate(SPECIAL_TOKENS + learned)}, unk_token="[UNK]",
                                 continuing_subword_prefix="##", max_input_chars_per_word=100)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)]
    )
    tok.decoder = decoders.WordPiece(prefix="##")
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]", model_max_length=max_length,
    )
    out_dir = Path(out_dir)
    wrapped.save_pretrained(out_dir)
    reloaded = AutoTokenizer.from_pretrained(out_dir)
    expected = tok.get_vocab_size()
    if len(reloaded) != expected or expected <= len(SPECIAL_TOKENS):
        raise MLMError(f"Tokenizer training produced a vocabulary of {len(reloaded)} tokens (expected {expected}); the corpus may be too small.")
    return reloaded
