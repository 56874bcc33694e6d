"""How tokens read to a person: one place for every page and figure.

Display text of a token (`token_text`, `display_tokens`). Tokenizers mark word boundaries in their
pieces differently: WordPiece (BERT) marks a piece that *continues* a word with "##"; byte-level BPE
(RoBERTa, ModernBERT) writes the space before a word as "Ġ" and every byte outside printable ASCII as
another stand-in character; SentencePiece (ALBERT) writes the space before a word as "▁". The display
text is what a reader expects to see:

* the "Ġ" / "▁" word-start markers are dropped (the raw piece stays available: `Prediction.token`, the
  "piece" columns of the tables and the hover text of the figures) and byte-level pieces are decoded
  back to their characters, so 'ĠAward' reads 'Award', '▁take' reads 'take' and 'Ã©' reads 'é';
* WordPiece's "##" stays visible ('##opotam'): it says "this continues a word", which is informative
  and is how BERT's own papers and tools print pieces;
* a byte-level piece that holds only part of a character's UTF-8 bytes shows those bytes as '<0xED>'
  (so does a control byte: '<0x11>');
* a piece that is only a space marker ('Ġ', '▁') shows as '␣';
* special tokens keep the model's own names ('[CLS]', '<s>', '</s>', '<mask>').

The markers themselves, and which ids a ranking may never offer (`never_offered`), are in `mlm_core.tokens`.

`script_coverage` counts the pieces of a text that a vocabulary does not really cover ([UNK], or one
character of a non-Latin script cut into bytes / jamo / single letters), for a "this model is
English-only" note.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..tokens import SENTENCEPIECE_SPACE, tokenizer_facts

SPACE_SYMBOL = "␣"
POOR_COVERAGE_SHARE = 0.3  # from this share of poorly covered pieces on, the text gets a note


# ---------------------------------------------------------------- byte-level BPE alphabet


@lru_cache(maxsize=1)
def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte <-> printable character table, reversed: stand-in character -> byte."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    codes = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(printable, codes)}


@lru_cache(maxsize=1)
def _shifted_chars() -> frozenset[str]:
    """The stand-ins for bytes that are not printable themselves ('Ġ' = space, 'Ċ' = newline, ...)."""
    return frozenset(ch for ch in _byte_decoder() if ord(ch) >= 256)


def _bytes_to_text(data: bytes) -> str:
    """UTF-8 text of `data`; bytes that do not form a whole character, and control characters other than
    whitespace, read '<0xNN>'."""
    out = []
    for ch in data.decode("utf-8", errors="surrogateescape"):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"<0x{code - 0xDC00:02X}>")
        elif unicodedata.category(ch) == "Cc" and not ch.isspace():
            out.append(f"<0x{code:02X}>")
        else:
            out.append(ch)
    return "".join(out)


def _byte_level_text(token: str) -> str:
    table = _byte_decoder()
    data = bytearray()
    for ch in token:
        if ch in table:
            data.append(table[ch])
        else:  # not a byte stand-in (an added token's text): keep the character
            data.extend(ch.encode("utf-8"))
    return _bytes_to_text(bytes(data))


# ---------------------------------------------------------------- display text


def token_text(token: str | None, *, byte_level: bool = False, specials: frozenset[str] | set[str] = frozenset()) -> str:
    """The display text of one raw piece (see the module docstring for the rules)."""
    if token is None:
        return "∅"
    token = str(token)
    if not token or token in specials:
        return token
    if byte_level:
        text = _byte_level_text(token)
    else:
        text = token[1:] if token.startswith(SENTENCEPIECE_SPACE) else token
        text = text.replace(SENTENCEPIECE_SPACE, " ")
    text = text.strip()
    return text or SPACE_SYMBOL


def is_byte_level(tokenizer) -> bool:
    """Whether the tokenizer is byte-level BPE (RoBERTa, GPT-2, ModernBERT)."""
    return tokenizer_facts(tokenizer)["byte_level"]


def looks_byte_level(tokens) -> bool:
    """Guess from the pieces alone: byte-level BPE writes spaces and control bytes as 'Ġ', 'Ċ', ..."""
    shifted = _shifted_chars()
    return any(ch in shifted for t in tokens if t for ch in str(t))


def display_tokens(tokens, tokenizer=None) -> list[str]:
    """Display texts of a sequence of raw pieces; the tokenizer's own rules when given, else guessed from
    the pieces (how the figure builders, which get only the pieces, call it)."""
    tokens = list(tokens)
    if tokenizer is not None:
        facts = tokenizer_facts(tokenizer)
        byte_level, specials = facts["byte_level"], facts["specials"]
    else:
        byte_level, specials = looks_byte_level(tokens), frozenset()
    return [token_text(t, byte_level=byte_level, specials=specials) for t in tokens]


def display_token(token: str | None, tokenizer) -> str:
    return display_tokens([token], tokenizer)[0]


def special_token_names(tokenizer) -> list[str]:
    """The model's own names of the tokens around a text: ['[CLS]', '[SEP]'] or ['<s>', '</s>']."""
    names = []
    for attr in ("cls_token", "bos_token", "sep_token", "eos_token"):
        name = getattr(tokenizer, attr, None)
        if name and str(name) not in names:
            names.append(str(name))
    return names


def special_tokens_label(tokenizer) -> str:
    """'[CLS] / [SEP]' or '<s> / </s>': for labels such as 'Hide [CLS] / [SEP] / punctuation'."""
    return " / ".join(special_token_names(tokenizer)) or "special tokens"


# ---------------------------------------------------------------- script coverage


@dataclass
class Coverage:
    pieces: int  # non-special pieces of the text
    unknown: int  # [UNK] pieces
    fragments: int  # pieces holding one character (or part of one) of a non-Latin script

    @property
    def share(self) -> float:
        return (self.unknown + self.fragments) / self.pieces if self.pieces else 0.0

    @property
    def poor(self) -> bool:
        """A large share of the text is [UNK] or cut into single characters of a script the vocabulary lacks."""
        return self.pieces >= 2 and self.unknown + self.fragments >= 2 and self.share >= POOR_COVERAGE_SHARE


def _non_latin_letter(ch: str) -> bool:
    if not unicodedata.category(ch).startswith("L"):
        return False
    name = unicodedata.name(ch, "")
    return "LATIN" not in name


def _ideograph(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def script_coverage(text: str, offsets, special, token_ids, unk_id: int | None) -> Coverage:
    """Count the pieces of `text` the vocabulary does not cover well.

    A piece counts when it is the unknown token, or when its characters are exactly one letter of a
    non-Latin script: a Hangul syllable cut into jamo or bytes, a Cyrillic word spelt letter by letter.
    A CJK ideograph that is one piece of its own is a normal token (Chinese BERTs read one character per
    piece) and counts only when it is cut into several pieces.
    """
    spans = [(a, b) for a, b in offsets]
    shared: dict[tuple[int, int], int] = {}
    for (a, b), sp in zip(spans, special):
        if not sp and b > a:
            shared[(a, b)] = shared.get((a, b), 0) + 1
    pieces = unknown = fragments = 0
    for (a, b), sp, tid in zip(spans, special, token_ids):
        if sp:
            continue
        pieces += 1
        if unk_id is not None and tid == unk_id:
            unknown += 1
            continue
        chars = text[a:b].strip()
        if len(chars) == 1 and _non_latin_letter(chars) and (not _ideograph(chars) or shared.get((a, b), 0) > 1):
            fragments += 1
    return Coverage(pieces, unknown, fragments)
