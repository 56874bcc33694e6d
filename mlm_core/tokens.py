"""Token ids as every stage uses them: word-piece markers, special and never-offered ids, a text cut into
windows, rows padded into a batch, character spans of pieces.

One place for the tokenizer plumbing that training, evaluation, masking previews, embeddings and the
fill-mask ranking share:

* `WORDPIECE_PREFIX`, `BPE_SPACE`, `SENTENCEPIECE_SPACE`: how the BERT family's tokenizers mark word
  boundaries in their pieces (WordPiece '##' continues a word; byte-level BPE 'Ġ' and SentencePiece '▁'
  start one). `inference.token_text` turns pieces into display text with them.
* `special_lookup` (per vocabulary id: is it a special token) and `never_offered` (the ids no ranking may
  offer as a fill: special tokens, ids past the tokenizer in a padded output layer, ids without a token).
* `boundary_ids`, `encode_stream` and `windows`: a corpus as one stream of ids, cut into
  `[CLS] ... [SEP]` windows (or the model's `<s> ... </s>`); `encode_windows` adds, per token, whether it begins
  one of the tokenizer's own words (what whole-word and span masking group by, see `masking.words`).
* `pad_batch`: rows of different lengths as one padded batch with its attention mask.
* `trim_offsets`: character spans of pieces without the whitespace some tokenizers include.

`tokenizer_facts` caches per-tokenizer facts (byte-level or not, special token names, never-offered
tensors) once per tokenizer object.
"""
from __future__ import annotations

import threading
import weakref

import numpy as np

WORDPIECE_PREFIX = "##"
BPE_SPACE = "Ġ"
SENTENCEPIECE_SPACE = "▁"
PIECE_MARKERS = (WORDPIECE_PREFIX, BPE_SPACE, SENTENCEPIECE_SPACE)
ENCODE_CHUNK = 4096  # lines per encode_batch call

_CACHE_LOCK = threading.Lock()
_TOKENIZER_FACTS: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def tokenizer_facts(tokenizer) -> dict:
    """Per-tokenizer facts computed once (the tokenizer object is the key; it is never changed here):
    'byte_level' (byte-level BPE), 'specials' (the special tokens' names), 'never' (never_offered per size)."""
    try:
        facts = _TOKENIZER_FACTS.get(tokenizer)
    except TypeError:  # not weak-referenceable: compute every time
        facts = None
    if facts is None:
        facts = {"never": {}}
        backend = getattr(tokenizer, "backend_tokenizer", None)
        names = {type(getattr(backend, part, None)).__name__ for part in ("decoder", "pre_tokenizer")}
        facts["byte_level"] = "ByteLevel" in names
        facts["specials"] = frozenset(getattr(tokenizer, "all_special_tokens", []) or [])
        try:
            with _CACHE_LOCK:
                _TOKENIZER_FACTS[tokenizer] = facts
        except TypeError:
            pass
    return facts


# ---------------------------------------------------------------- special ids


def special_lookup(tokenizer):
    """Bool tensor (len(tokenizer),): True for the special tokens' ids (index it with a batch of ids)."""
    import torch

    vocab = len(tokenizer)
    specials = torch.zeros(vocab, dtype=torch.bool)
    specials[[i for i in tokenizer.all_special_ids if i < vocab]] = True
    return specials


def never_offered(tokenizer, n_outputs: int):
    """Bool tensor (n_outputs,): True for the ids no ranking may offer as a fill.

    Special tokens, ids of the output layer past the tokenizer (padded vocabularies) and ids the
    tokenizer has no token for. The same tensor is returned for the same tokenizer and size: use it
    with out-of-place operations only (`masked_fill`, indexing), never change it.
    """
    import torch

    facts = tokenizer_facts(tokenizer)
    cached = facts["never"].get(n_outputs)
    if cached is not None:
        return cached
    n_tok = len(tokenizer)
    banned = torch.zeros(n_outputs, dtype=torch.bool)
    banned[min(n_tok, n_outputs):] = True
    present = torch.zeros(max(n_tok, n_outputs), dtype=torch.bool)
    ids = [i for i in tokenizer.get_vocab().values() if 0 <= i < len(present)]
    present[ids] = True
    banned |= ~present[:n_outputs]
    special = [i for i in tokenizer.all_special_ids if i is not None and 0 <= i < n_outputs]
    banned[special] = True
    facts["never"][n_outputs] = banned
    return banned


# ---------------------------------------------------------------- streams and windows


def boundary_ids(tokenizer) -> tuple[int, int]:
    """(start id, end id) around a window: [CLS] / [SEP], or <s> / </s> where there is no cls / sep token."""
    cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    return cls_id, sep_id


def encode_stream(tokenizer, lines: list[str], stop_after: int | None = None, *, word_starts: bool = False):
    """The ids of all lines (no special tokens) concatenated into one int32 stream. With `stop_after`, lines
    stop being added once the stream holds that many ids (the line that reaches it is kept whole). With
    `word_starts`, (ids, starts): starts is True at each token that begins a word of the tokenizer's own
    pre-tokenization of its line (`word_ids()`), so a line's first token always begins one."""
    backend = tokenizer.backend_tokenizer
    chunks, starts, total = [], [], 0
    for start in range(0, len(lines), ENCODE_CHUNK):
        for enc in backend.encode_batch(lines[start:start + ENCODE_CHUNK], add_special_tokens=False):
            chunks.append(np.asarray(enc.ids, dtype=np.int32))
            if word_starts:
                starts.append(_word_starts(enc.word_ids))
            total += len(enc.ids)
            if stop_after is not None and total >= stop_after:
                break
        if stop_after is not None and total >= stop_after:
            break
    ids = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    if not word_starts:
        return ids
    return ids, (np.concatenate(starts) if starts else np.zeros(0, dtype=bool))


def _word_starts(word_ids: list) -> np.ndarray:
    """True where a token's word differs from the previous token's (and at the first token, and at tokens of no
    word, such as an added token in the text)."""
    words = np.fromiter((-1 if w is None else w for w in word_ids), dtype=np.int64, count=len(word_ids))
    starts = np.ones(len(words), dtype=bool)
    starts[1:] = (words[1:] != words[:-1]) | (words[1:] < 0)
    return starts


def encode_windows(tokenizer, lines: list[str], seq_len: int, *, stop_after: int | None = None,
                   max_windows: int | None = None, at_least_one: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Lines as `windows` of ids (int32) and, beside them, the word starts of `encode_stream` (bool, False on the
    cls / sep ends): the training windows with the words whole-word and span masking need."""
    ids, starts = encode_stream(tokenizer, lines, stop_after, word_starts=True)
    cls_id, sep_id = boundary_ids(tokenizer)
    cut = dict(max_windows=max_windows, at_least_one=at_least_one)
    return windows(ids, seq_len, cls_id, sep_id, **cut), windows(starts, seq_len, False, False, dtype=bool, **cut)


def windows(stream: np.ndarray, seq_len: int, cls_id: int, sep_id: int, *, max_windows: int | None = None,
            at_least_one: bool = False, dtype=np.int32) -> np.ndarray:
    """Consecutive windows `[cls] + seq_len - 2 ids + [sep]` of the stream, as an (n, seq_len) array of `dtype`.

    The tail that does not fill a window is left out, as are windows past `max_windows`. With
    `at_least_one`, a stream shorter than one window gives one shorter window of all of it."""
    stream = np.asarray(stream, dtype=dtype)
    body = seq_len - 2
    if at_least_one and len(stream) < body:
        body = len(stream)
    n = len(stream) // body if body > 0 else int(at_least_one)
    if max_windows is not None:
        n = min(n, max_windows)
    seqs = np.empty((n, body + 2), dtype=dtype)
    seqs[:, 0], seqs[:, -1] = cls_id, sep_id
    seqs[:, 1:-1] = stream[: n * body].reshape(n, body)
    return seqs


def pad_id(tokenizer) -> int:
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0


def pad_batch(rows, pad: int):
    """Rows of ids of different lengths as one batch: (ids (n, longest) padded with `pad`, attention mask of 1/0),
    both int64 tensors."""
    import torch

    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = torch.as_tensor(row, dtype=torch.long)
        mask[r, : len(row)] = 1
    return ids, mask


# ---------------------------------------------------------------- character spans


def trim_offsets(text: str, offsets) -> list[tuple[int, int]]:
    """Character spans without the whitespace around them.

    Some tokenizers' offsets cover the space before a word (ModernBERT's byte-level BPE, whose
    post-processor does not trim them: ' cat' for 'Ġcat'); others do not (RoBERTa, BERT, ALBERT).
    Trimmed, every family gives the same spans: 'cat'. A piece that is only whitespace gets an empty
    span at the end of its whitespace.
    """
    out = []
    for a, b in offsets:
        if a < b and (text[a].isspace() or text[b - 1].isspace()):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
        out.append((int(a), int(b)))
    return out
