"""Fill-mask post-processing: what the Fill-mask page draws, as plain data, like a pipeline's postprocess step.

Two stages, neither of them a forward pass of its own:

* `read_text` reads a text with the tokenizer alone: its pieces, character spans, words and typed masks
  (`Reading`). The clickable chips (`word_chips`, `piece_chips`), the positions a choice of chips masks
  (`word_positions`), the words split into pieces (`split_words`) and the vocabulary note all come from it.
* `postprocess` turns the `Analysis` of the masked text (the one forward pass, `analysis.analyze`) into
  `FillMaskResult`: one chart per masked position (`MaskChart`: title, bars of clean text / probability /
  raw piece), the slots a target word can fill (`Slot`: adjacent masked pieces of one word), the blanks of
  classroom mode (`Blank`: one per word, however many pieces it has), table rows and blank labels.

Comparing two models (`mapped_positions`, `pair_slots`) matches masks by the characters of the user's text:
each model reads the text with its own tokenizer, so the same word can be one piece for one model and three
for another; a slot of the first model is paired with the other's slot over the same characters.

Labels are clean text ('bank', 'Award'); the raw piece ('ĠAward', '##opotam') stays beside it for hovers and
the tables' "piece" columns (see `token_text`). Their words ("mask 2: bank", "blank 3 of 8") are English by
default; the app passes its interface language's words as `LabelWords`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model.loading import MASK_SPELLINGS, LoadedModel
from ..tokens import trim_offsets
from .analysis import Analysis, JointFill, PseudoLikelihood, TargetScore, Word, encode, group_words, mask_slots
from .token_text import display_tokens

BLANK = "＿＿＿"  # a hidden word in classroom mode
GENERATION_MASK = "▢"  # a mask still to fill in a generated sequence


@dataclass(frozen=True)
class LabelWords:
    """The words of the labels made here (chart titles, slot labels, blanks of a joint fill), as str.format
    templates; English by default, so the core stays free of the app's languages."""

    mask: str = "mask {number}: {word}"  # a masked word of one piece (or a piece outside any word)
    piece: str = "mask {number}: {word}, piece {k} of {n} ({piece})"  # one piece of a split word
    typed: str = "mask {number}: typed mask"  # a mask written in the text
    step_blank: str = "blank {k}"  # a joint-fill step whose blank has no label
    generation_blank: str = "blank {k} of {n}"  # a mask of an all-mask sequence
    single_method: str = "single token: probability at the mask"  # a target word of one piece
    chain_method: str = "{n} pieces: chain rule left to right, later pieces masked"  # a target word of n pieces


ENGLISH = LabelWords()


# ---------------------------------------------------------------- reading a text (tokenizer only)


@dataclass(frozen=True)
class Reading:
    """A text as the model's tokenizer reads it, before any forward pass."""

    text: str  # as the model reads it: typed masks respelled as its mask token, stripped
    tokens: list[str]
    token_ids: list[int]
    texts: list[str]  # display text of each piece
    offsets: list[tuple[int, int]]  # character spans in `text`, whitespace trimmed
    special: list[bool]  # [CLS], [SEP], ... (a typed mask is not special here, as in `Analysis`)
    words: list[Word]
    typed_masks: list[int]  # token positions of the masks written in the text
    mask_token: str
    raw_text: str = ""  # the user's text as typed


def read_text(lm: LoadedModel, text: str) -> Reading:
    """Tokenize `text` as `analysis.analyze` does (same checks, same words), without running the model."""
    normalised, enc = encode(lm, text)
    ids = list(enc["input_ids"])
    mask_id = lm.tokenizer.mask_token_id
    special = [bool(s) and i != mask_id for s, i in zip(enc["special_tokens_mask"], ids)]
    spans = trim_offsets(normalised, enc["offset_mapping"])
    tokens = lm.tokenizer.convert_ids_to_tokens(ids)
    return Reading(normalised, tokens, ids, display_tokens(tokens, lm.tokenizer), spans, special,
                   group_words(normalised, enc.word_ids(), spans), [i for i, t in enumerate(ids) if t == mask_id],
                   lm.tokenizer.mask_token, text or "")


@dataclass(frozen=True)
class Chip:
    """A clickable word or piece: `key` is the word index (word chips) or the token position (piece chips)."""

    key: int
    text: str  # clean text, e.g. 'bank', '##opotam'
    pieces: tuple[str, ...]  # the raw pieces under it, e.g. ('Ġbank',)
    positions: tuple[int, ...]


def word_chips(reading) -> list[Chip]:
    """The words of a `Reading` (or an `Analysis`) that can be clicked (a word holding a typed mask is always
    masked, so it has no chip)."""
    typed = set(_typed_masks(reading))
    return [Chip(w.index, w.text, tuple(reading.tokens[i] for i in w.token_indices), tuple(w.token_indices))
            for w in reading.words if not typed & set(w.token_indices)]


def piece_chips(reading: Reading) -> list[Chip]:
    """Every piece that can be clicked: not special, not a typed mask."""
    typed = set(reading.typed_masks)
    return [Chip(i, reading.texts[i], (reading.tokens[i],), (i,))
            for i, s in enumerate(reading.special) if not s and i not in typed]


def word_positions(reading: Reading, word_indices) -> tuple[int, ...]:
    """Token positions of the chosen words (every piece of each word)."""
    chosen = set(word_indices or [])
    return tuple(sorted(p for w in reading.words if w.index in chosen for p in w.token_indices))


def word_at(words: list[Word], position: int) -> Word | None:
    return next((w for w in words if position in w.token_indices), None)


def split_words(reading: Reading, positions) -> list[tuple[Word, list[str]]]:
    """(word, display texts of its pieces) for every masked word that the tokenizer splits into several pieces."""
    out, done = [], set()
    for p in positions:
        w = word_at(reading.words, p)
        if w is None or w.index in done or len(w.token_indices) < 2:
            continue
        done.add(w.index)
        out.append((w, [reading.texts[i] for i in w.token_indices]))
    return out


# ---------------------------------------------------------------- character spans in the user's text


def raw_index_map(raw_text: str, mask_token: str) -> list[int]:
    """For each character index of the model-normalised text (masks respelled as `mask_token`, stripped), the
    index in the stripped user text; one extra entry for the end."""
    raw = (raw_text or "").strip()
    out: list[int] = []
    pos = 0
    for m in MASK_SPELLINGS.finditer(raw):
        out.extend(range(pos, m.start()))
        out.extend([m.start()] * len(mask_token))
        pos = m.end()
    out.extend(range(pos, len(raw)))
    out.append(len(raw))
    return out


def _raw_span(offsets: list[tuple[int, int]], index_map: list[int], positions) -> tuple[int, int]:
    """The characters of the user's text under `positions` (their spans joined)."""
    last = len(index_map) - 1
    spans = [(index_map[min(offsets[p][0], last)], index_map[min(offsets[p][1], last)]) for p in positions]
    return min(a for a, _ in spans), max(b for _, b in spans)


def _overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


# ---------------------------------------------------------------- post-processing of one analysis


@dataclass(frozen=True)
class MaskChart:
    """One masked position's independent distribution, ready for `viz.topk_bar`."""

    number: int  # 1-based, in text order
    position: int
    title: str  # 'mask 2: bank', 'mask 3: hippopotamus, piece 2 of 3 (##opotam)', 'mask 1: typed mask'
    bars: list[tuple[str, float, str]]  # (clean text, probability, raw piece)


@dataclass(frozen=True)
class Slot:
    """Adjacent masked pieces of one word (or one typed mask): what a target word can fill."""

    number: int  # 1-based
    positions: tuple[int, ...]
    label: str  # 'mask 1: hippopotamus', 'mask 2: typed mask'
    span: tuple[int, int]  # characters of the user's (stripped) text
    bars: list[tuple[str, float, str]]  # the predictions at its first piece


@dataclass(frozen=True)
class Blank:
    """One hidden answer of classroom mode: a whole word (all its masked pieces), or one typed mask."""

    key: str  # stable across reruns of the same text: 'word 4', or 'mask 7' for a typed mask
    number: int  # 1-based
    positions: tuple[int, ...]
    span: tuple[int, int]  # the hidden characters in `Reading.text` / `Analysis.text`
    typed: bool
    word_index: int | None = None  # the word hidden (None for a typed mask)


@dataclass(frozen=True)
class FillMaskResult:
    charts: list[MaskChart]
    slots: list[Slot]
    blanks: list[Blank]
    records: list[dict] = field(default_factory=list)  # one row per (mask, rank), for the table and downloads
    blank_labels: dict[int, str] = field(default_factory=dict)  # token position -> its chart's title

    def charts_of(self, blank_keys) -> list[MaskChart]:
        """The charts of the given blanks, in text order."""
        keys = set(blank_keys)
        shown = {p for b in self.blanks if b.key in keys for p in b.positions}
        return [c for c in self.charts if c.position in shown]


def _piece_text(analysis: Analysis, position: int) -> str:
    """Display text of the piece that was at `position` before masking ('Ġbank' -> 'bank')."""
    texts = analysis.original_texts
    return texts[position] if position < len(texts) else display_tokens([analysis.original_tokens[position]])[0]


def mask_label(analysis: Analysis, position: int, number: int, words: LabelWords = ENGLISH) -> str:
    """'mask 2: bank' / 'mask 3: hippopotamus, piece 2 of 3 (##opotam)' / 'mask 1: typed mask' (in `words`)."""
    mask = next((m for m in analysis.masks if m.index == position), None)
    if mask is None or mask.original is None:
        return words.typed.format(number=number)
    w = word_at(analysis.words, position)
    piece = _piece_text(analysis, position)
    if w is None:
        return words.mask.format(number=number, word=piece)
    if len(w.token_indices) == 1:
        return words.mask.format(number=number, word=w.text)
    k = w.token_indices.index(position) + 1
    return words.piece.format(number=number, word=w.text, k=k, n=len(w.token_indices), piece=piece)


def _slot_label(analysis: Analysis, slot: list[int], number: int, words: LabelWords = ENGLISH) -> str:
    """'mask 1: hippopotamus' (the word, not the piece) / 'mask 2: typed mask'."""
    mask = next(m for m in analysis.masks if m.index == slot[0])
    w = word_at(analysis.words, slot[0])
    if mask.original is None:
        return words.typed.format(number=number)
    return words.mask.format(number=number, word=w.text if w is not None else _piece_text(analysis, slot[0]))


def prediction_bars(analysis: Analysis, position: int) -> list[tuple[str, float, str]]:
    """(clean text, probability, raw piece) of one mask's predictions."""
    mask = next(m for m in analysis.masks if m.index == position)
    return [(p.text or p.token, p.score, p.token) for p in mask.predictions]


def prediction_records(analysis: Analysis) -> list[dict]:
    """One row per (mask, rank): mask_index (token position), original (its text), rank, token (clean text),
    piece (the raw piece, e.g. 'ĠAward'), probability."""
    rows = []
    for m in analysis.masks:
        original = _piece_text(analysis, m.index) if m.original is not None else analysis.tokens[m.index]
        for rank, p in enumerate(m.predictions, start=1):
            rows.append({"mask_index": m.index, "original": original, "rank": rank, "token": p.text or p.token,
                         "piece": p.token, "probability": round(float(p.score), 6)})
    return rows


def mask_blank_labels(analysis: Analysis, words: LabelWords = ENGLISH) -> dict[int, str]:
    """Token position -> its chart's title ('mask 2: bank') for every mask of the analysis: the labels of the
    blanks in a joint fill's steps."""
    return {m.index: mask_label(analysis, m.index, k, words) for k, m in enumerate(analysis.masks, start=1)}


def blanks_of(text, positions) -> list[Blank]:
    """Classroom blanks of a `Reading` or an `Analysis` (`text`) with the masks at `positions` (typed masks are
    always masked): the masked pieces of each word together (a word of 3 pieces is one blank), each typed mask
    on its own; in text order. Known before the forward pass, so the page can hide the words it draws first."""
    typed = set(_typed_masks(text))
    word_of = {i: w.index for w in text.words for i in w.token_indices}
    groups: dict[str, list[int]] = {}
    for p in sorted(set(positions) | typed):
        key = f"word {word_of[p]}" if p not in typed and p in word_of else f"mask {p}"
        groups.setdefault(key, []).append(p)
    out = []
    for number, (key, group) in enumerate(groups.items(), start=1):
        spans = [text.offsets[p] for p in group if text.offsets[p][1] > text.offsets[p][0]] or [text.offsets[group[0]]]
        typed_mask = group[0] in typed
        out.append(Blank(key, number, tuple(group), (min(a for a, _ in spans), max(b for _, b in spans)), typed_mask,
                         None if typed_mask else word_of.get(group[0])))
    return out


def _typed_masks(text) -> list[int]:
    if isinstance(text, Reading):
        return text.typed_masks
    return [m.index for m in text.masks if m.original is None]


def postprocess(analysis: Analysis, raw_text: str | None = None, mask_token: str | None = None,
                words: LabelWords = ENGLISH) -> FillMaskResult:
    """Everything the Fill-mask page draws from one analysis: charts, slots, blanks, table rows, blank labels.

    `raw_text` is the text as the user typed it ([MASK] or <mask>), `mask_token` the model's own; together they
    give each slot its characters in the user's text, which `mapped_positions` and `pair_slots` compare. `words`
    spell the chart titles and labels."""
    raw = analysis.text if raw_text is None else raw_text
    index_map = raw_index_map(raw, mask_token or "")
    charts = [MaskChart(k, m.index, mask_label(analysis, m.index, k, words), prediction_bars(analysis, m.index))
              for k, m in enumerate(analysis.masks, start=1)]
    slots = [Slot(k, tuple(s), _slot_label(analysis, s, k, words), _raw_span(analysis.offsets, index_map, s),
                  prediction_bars(analysis, s[0]))
             for k, s in enumerate(mask_slots(analysis), start=1)]
    return FillMaskResult(charts, slots, blanks_of(analysis, analysis.mask_positions), prediction_records(analysis),
                          mask_blank_labels(analysis, words))


def blanked_text(analysis: Analysis, blanks: list[Blank], shown_keys=()) -> str:
    """The text with every hidden word replaced by a blank (typed masks and revealed words stay as they are)."""
    shown = set(shown_keys)
    text, out, pos = analysis.text, [], 0
    for b in sorted(blanks, key=lambda b: b.span[0]):
        if b.typed or b.key in shown or b.span[0] < pos:
            continue
        out.append(text[pos:b.span[0]])
        out.append(BLANK)
        pos = b.span[1]
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------- two models, the same words


def mapped_positions(slots: list[Slot], other: Reading) -> tuple[int, ...]:
    """Token positions of the other model's reading that cover the characters of `slots`.

    Typed masks need no mapping: the other model reads them as its own mask token."""
    index_map = raw_index_map(other.raw_text, other.mask_token)
    typed = set(other.typed_masks)
    out = []
    for p, special in enumerate(other.special):
        if special or p in typed:
            continue
        span = _raw_span(other.offsets, index_map, [p])
        if span[1] > span[0] and any(_overlaps(span, s.span) for s in slots):
            out.append(p)
    return tuple(out)


def pair_slots(first: FillMaskResult, second: FillMaskResult) -> list[tuple[Slot, Slot | None]]:
    """Each slot of the first model with the second model's slot over the same characters (or None)."""
    return [(slot, next((s for s in second.slots if _overlaps(slot.span, s.span) or slot.span == s.span), None))
            for slot in first.slots]


# ---------------------------------------------------------------- joint fill, generation, scores


def fill_step_rows(joint: JointFill, blanks: dict[int, str] | None = None, words: LabelWords = ENGLISH) -> list[dict]:
    """One row per step: which blank was filled (its label, not a token index), the token, its confidence.

    `blanks` maps token positions to labels ('mask 2: bank', 'blank 3 of 8'): `FillMaskResult.blank_labels` or
    `generation_blank_labels`; a position without one reads `words.step_blank` ('blank 4')."""
    blanks = blanks or {}
    return [{"step": k, "blank": blanks.get(s.position, words.step_blank.format(k=k)), "token": s.text or s.token,
             "piece": s.token, "confidence": round(s.score, 4)} for k, s in enumerate(joint.steps, start=1)]


def generation_blank_labels(token_ids: list[int], mask_id: int, words: LabelWords = ENGLISH) -> dict[int, str]:
    """Token position -> 'blank 3 of 8' for the masks of an all-mask sequence."""
    positions = [i for i, t in enumerate(token_ids) if t == mask_id]
    return {p: words.generation_blank.format(k=k, n=len(positions)) for k, p in enumerate(positions, start=1)}


def sequence_text(tokenizer, tokens: list[str]) -> str:
    """A token sequence as readable text: special tokens dropped, masks shown as '▢'."""
    mask = tokenizer.mask_token
    skip = set(tokenizer.all_special_tokens) - {mask}
    parts, run = [], []
    for t in [t for t in tokens if t not in skip] + [None]:
        if t is None or t == mask:
            if run:
                parts.append(tokenizer.convert_tokens_to_string(run).strip())
                run = []
            if t == mask:
                parts.append(GENERATION_MASK)
        else:
            run.append(t)
    return " ".join(p for p in parts if p)


def target_rows(scores: list[TargetScore], words: LabelWords | None = None) -> list[dict]:
    """One row per target word; the method as scored (`TargetScore.method`), or told in `words` when given."""
    def method(s: TargetScore) -> str:
        if words is None:
            return s.method
        n = len(s.pieces)
        return words.single_method if n == 1 else words.chain_method.format(n=n)

    return [{"word": s.word, "probability": s.prob, "log_prob": round(s.log_prob, 4),
             "pieces": " · ".join(s.piece_texts or s.pieces), "method": method(s)} for s in scores]


def pll_rows(pll: PseudoLikelihood) -> list[dict]:
    texts = pll.texts or pll.tokens
    return [{"token": x, "piece": t, "log_prob": round(lp, 4)} for x, t, lp in zip(texts, pll.tokens, pll.token_log_probs)]


def parse_targets(raw: str) -> tuple[str, ...]:
    """'bank, river,bank' -> ('bank', 'river'): the typed target words, stripped, without repeats."""
    out: list[str] = []
    for part in (raw or "").split(","):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return tuple(out)
