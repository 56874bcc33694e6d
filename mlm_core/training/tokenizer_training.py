"""Train a WordPiece tokenizer on a corpus with the `tokenizers` library and wrap it for transformers."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from ..errors import MLMError

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
# The trainer learns this many extra entries; our own ranking then decides which of them make the cut.
BOUNDARY_MARGIN = 0.05


def _base_tokenizer() -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True, handle_chinese_chars=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def _learn_candidates(lines: list[str], size: int) -> Tokenizer:
    tok = _base_tokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=size, min_frequency=2, special_tokens=SPECIAL_TOKENS, continuing_subword_prefix="##",
        show_progress=False,
    )
    tok.train_from_iterator(lines, trainer=trainer, length=len(lines))
    return tok


def _is_alphabet(token: str) -> bool:
    return len(token) == 1 or (token.startswith("##") and len(token) == 3)


def choose_vocabulary(candidates: Tokenizer, lines: list[str], vocab_size: int) -> list[str]:
    """The final vocabulary, chosen at the boundary by a rule of our own rather than the trainer's hash order.

    The trainer learns a few percent more entries than asked; we keep every single character (so no word becomes
    unencodable) plus the learned entries used most often when the corpus is tokenized with all candidates, ties
    going to the alphabetically first. This settles the boundary, but not everything: the trainer numbers
    characters of equal frequency in hash order, which can change its merge order, so two runs can still differ
    in a few entries (6 of 1,500 on the sample corpus; a fully deterministic trainer is still to do).
    """
    vocab = [t for t in candidates.get_vocab() if t not in SPECIAL_TOKENS]
    alphabet = sorted(t for t in vocab if _is_alphabet(t))
    learned = [t for t in vocab if not _is_alphabet(t)]
    room = vocab_size - len(SPECIAL_TOKENS) - len(alphabet)
    if room >= len(learned):
        return SPECIAL_TOKENS + sorted(alphabet + learned)
    usage: Counter[str] = Counter()
    for start in range(0, len(lines), 4096):
        for enc in candidates.encode_batch(lines[start:start + 4096], add_special_tokens=False):
            usage.update(enc.tokens)
    ranked = sorted(learned, key=lambda t: (-usage[t], t))
    return SPECIAL_TOKENS + sorted(alphabet + ranked[:max(room, 0)])


def train_wordpiece(lines: list[str], vocab_size: int, out_dir: str | Path, max_length: int = 512) -> PreTrainedTokenizerFast:
    """Train an uncased WordPiece vocabulary (our own tie-break at the boundary), save it with save_pretrained and
    reload it from disk.

    Reloading with from_pretrained (and checking the size) guards against the silent
    5-token vocabulary that building a tokenizer from a vocab file can give.
    """
    margin = max(50, int(vocab_size * BOUNDARY_MARGIN))
    candidates = _learn_candidates(lines, vocab_size + margin)
    final = choose_vocabulary(candidates, lines, vocab_size)
    tok = _base_tokenizer()
    tok.model = models.WordPiece(vocab={t: i for i, t in enumerate(final)}, unk_token="[UNK]",
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
