"""Reading training and evaluation text safely: clear errors for empty, binary or non-UTF-8 files, and for a corpus
too small for the chosen batch."""
from __future__ import annotations

from pathlib import Path

from ..errors import MLMError

MAX_CORPUS_BYTES = 2 * 1024**3


def check_text_bytes(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 text or raise a specific MLMError."""
    if not data.strip():
        raise MLMError(f"'{name}' is empty: give a text file with at least a few sentences.")
    if _looks_utf16(data):
        raise MLMError(f"'{name}' is UTF-16 text; re-save it as UTF-8.")
    if b"\x00" in data:  # anywhere: a NUL after the first 64 KiB is as binary as one at the start
        raise MLMError(f"'{name}' looks binary (it contains NUL bytes); give a plain UTF-8 text file.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise MLMError(f"'{name}' is not UTF-8 text (bad byte at position {err.start}); re-save it as UTF-8.") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or mostly-ASCII text with a NUL in every other byte."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4096]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even)) or \
        (even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd))


def read_text_file(path: str | Path, max_bytes: int = MAX_CORPUS_BYTES) -> str:
    """Read one UTF-8 text file, refusing missing, huge, empty or binary files."""
    path = Path(path)
    if not path.is_file():
        raise MLMError(f"Corpus file '{path}' does not exist or is not a file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise MLMError(f"Corpus file '{path}' is {size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB.")
    return check_text_bytes(path.read_bytes(), str(path))


def read_lines(paths, max_bytes: int = MAX_CORPUS_BYTES) -> list[str]:
    """Non-blank lines (paragraphs) of one or more text files."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise MLMError("No corpus file given.")
    lines: list[str] = []
    for p in paths:
        lines.extend(line.strip() for line in read_text_file(p, max_bytes).splitlines() if line.strip())
    return lines


def check_corpus_size(lines: list[str], batch_size: int, seq_len: int) -> None:
    """Refuse, before anything is trained, a corpus that cannot fill one batch whatever the tokenizer: a token covers
    at least one byte of its line or is the one word-start piece of a line ('▁'), so a line gives at most its bytes
    plus one tokens. (`train_mlm` checks the exact count once the corpus is tokenized.)"""
    need = batch_size * (seq_len - 2)
    most = sum(len(line.encode("utf-8")) + 1 for line in lines)
    if most < need:
        raise MLMError(
            f"The corpus is too small for these settings: one batch of {batch_size} sequences of {seq_len} tokens "
            f"needs {need:,} tokens of text, and its {len(lines):,} lines ({most - len(lines):,} bytes) cannot give "
            "that many. Give more text, or lower the batch size or the sequence length.")
